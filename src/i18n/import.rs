//! Messages of the import / export page.
use super::Lang;

messages! {
    import_title: "Import original subscriptions (CSV)", "元のサブスクリプションをインポート (CSV)";
    import_help: "Columns customer, domain, offer, seats and end_date are required; channel, auto_renew, monthly_price, currency, target_offer and relationship are optional. UTF-8 or Shift_JIS. Nothing is saved until you confirm the preview.", "customer、domain、offer、seats、end_date の列は必須です (channel、auto_renew、monthly_price、currency、target_offer、relationship は任意)。UTF-8 または Shift_JIS。プレビューを確認するまで何も保存されません。";
    choose_file: "CSV file", "CSV ファイル";
    nothing_saved: "Nothing was saved. Fix these in the file and choose it again.", "何も保存されていません。ファイルを修正して、もう一度選択してください。";
    col_row: "Row", "行";
    col_column: "Column", "列";
    col_message: "Problem", "問題";
    col_customer: "Customer", "顧客名";
    col_domain: "Domain", "ドメイン";
    col_offer: "Offer", "プラン";
    col_seats: "Seats", "シート数";
    col_end: "End date", "有効期限";
    col_provision: "Provision on", "プロビジョニング日";
    col_invite: "Invite by", "招待の期限";
    col_warnings: "Warnings", "警告";
    place_file: "file", "ファイル";
    place_header: "header", "見出し行";
    preview_text: "Check the rows and the suggested dates, then confirm to save them all at once.", "行と提案された日付を確認し、確定するとまとめて保存されます。";
    export_title: "Export the plan", "計画をエクスポート";
    export_which: "Customers", "顧客";
    all_customers: "All customers", "すべての顧客";
    export_csv: "Download CSV (Excel)", "CSV (Excel) をダウンロード";
    export_ics: "Download calendar (.ics)", "カレンダー (.ics) をダウンロード";
}

/// Heading over the error list.
#[must_use]
pub fn errors_title(l: Lang, file: &str, n: usize) -> String {
    match l {
        Lang::En => format!("{file}: {n} problems"),
        Lang::Ja => format!("{file}: {n} 件の問題"),
    }
}

/// Heading over the preview.
#[must_use]
pub fn preview_title(l: Lang, file: &str, rows: usize, customers: usize) -> String {
    match l {
        Lang::En => format!("{file}: {rows} subscriptions of {customers} customers"),
        Lang::Ja => format!("{file}: 顧客 {customers} 社、サブスクリプション {rows} 件"),
    }
}

/// The confirm button.
#[must_use]
pub fn confirm(l: Lang, customers: usize) -> String {
    match l {
        Lang::En => format!("Save {customers} customers"),
        Lang::Ja => format!("{customers} 社を保存"),
    }
}

/// After the import.
#[must_use]
pub fn created(l: Lang, n: usize) -> String {
    match l {
        Lang::En => format!("Imported: {n} customers created."),
        Lang::Ja => format!("インポートしました: {n} 社を作成しました。"),
    }
}

/// Keys that already exist.
#[must_use]
pub fn existing(l: Lang, keys: &str) -> String {
    match l {
        Lang::En => format!(
            "Already in Cutover: {keys}. The import will be refused as a whole; remove them from the file."
        ),
        Lang::Ja => format!(
            "すでに Cutover にあります: {keys}。インポート全体が拒否されるため、ファイルから削除してください。"
        ),
    }
}
