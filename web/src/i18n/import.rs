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
    waiting_for_customers: "Loading Partner Center's customers, so that customers already there are saved under their Partner Center id…", "Partner Center の顧客を読み込んでいます (登録済みの顧客を Partner Center の ID で保存するため)…";
    planned_dates: "Suggested dates for every row", "すべての行の提案日";
    nothing_to_change: "Everything in this file is already in Cutover: nothing to save.", "このファイルの内容はすべて Cutover に保存済みです。保存するものはありません。";
    f_customer: "Customer name", "顧客名";
    f_invitation: "Invitation sent on", "招待の送信日";
    f_new_original: "New subscription (seats)", "新しいサブスクリプション (シート数)";
    f_channel: "Channel", "購入経路";
    f_auto_renew: "Auto-renew", "自動更新";
    f_price: "Price per seat per month", "月額単価 (1 シート)";
    f_target: "Target CSP offer", "移行先プラン";
    f_path: "Move path", "移行方法";
    customer_level: "(customer)", "(顧客)";
    col_field: "Field", "項目";
    col_old: "In Cutover now", "現在の値";
    col_new: "In the file", "ファイルの値";
    in_pc: "In Partner Center: saved under its Partner Center id", "Partner Center に登録済み: Partner Center の ID で保存";
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
pub fn confirm_changes(l: Lang, new: usize, changed: usize) -> String {
    match l {
        Lang::En => format!("Save: {new} new, {changed} changed"),
        Lang::Ja => format!("保存: 新規 {new} 社、変更 {changed} 社"),
    }
}

/// What the file would do.
#[must_use]
pub fn summary(l: Lang, new: usize, changed: usize, unchanged: usize) -> String {
    match l {
        Lang::En => format!("{new} new customers, {changed} changed, {unchanged} unchanged."),
        Lang::Ja => format!("新規 {new} 社、変更 {changed} 社、変更なし {unchanged} 社。"),
    }
}

/// After the import.
#[must_use]
pub fn done(l: Lang, created: usize, updated: usize) -> String {
    match l {
        Lang::En => format!("Imported: {created} customers created, {updated} updated."),
        Lang::Ja => format!("インポートしました: {created} 社を作成、{updated} 社を更新しました。"),
    }
}

/// Records someone changed after the preview.
#[must_use]
pub fn changed_meanwhile(l: Lang, keys: &str) -> String {
    match l {
        Lang::En => format!(
            "Nothing was imported: someone changed these customers after your preview: {keys}. The preview below now compares with what is stored; check it and save again."
        ),
        Lang::Ja => format!(
            "何もインポートされていません。プレビューの後に次の顧客がほかのユーザーによって変更されました: {keys}。下のプレビューは現在保存されている内容と比較し直しています。確認して、もう一度保存してください。"
        ),
    }
}

/// Heading over the changed customers.
#[must_use]
pub fn changed_title(l: Lang, n: usize) -> String {
    match l {
        Lang::En => format!("Changed customers ({n})"),
        Lang::Ja => format!("変更される顧客 ({n})"),
    }
}

/// Heading over the new customers.
#[must_use]
pub fn new_title(l: Lang, n: usize) -> String {
    match l {
        Lang::En => format!("New customers ({n})"),
        Lang::Ja => format!("新しい顧客 ({n})"),
    }
}

/// Heading over the unchanged customers.
#[must_use]
pub fn unchanged_title(l: Lang, n: usize) -> String {
    match l {
        Lang::En => format!("Unchanged customers ({n})"),
        Lang::Ja => format!("変更のない顧客 ({n})"),
    }
}

/// Number of subscriptions.
#[must_use]
pub fn subscriptions_n(l: Lang, n: usize) -> String {
    match l {
        Lang::En => format!("{n} subscriptions"),
        Lang::Ja => format!("サブスクリプション {n} 件"),
    }
}

/// `accepted` in the file, not a reseller customer in Partner Center.
#[must_use]
pub fn accepted_not_in_pc(l: Lang, domain: &str) -> String {
    match l {
        Lang::En => format!(
            "{domain} is marked accepted, but Partner Center does not list it as your reseller customer: no invitation date is recorded, and step 1 follows what Partner Center says."
        ),
        Lang::Ja => format!(
            "{domain} は承諾済みとされていますが、Partner Center では再販業者関係の顧客として表示されていません。招待日は記録せず、ステップ 1 は Partner Center の情報に従います。"
        ),
    }
}

/// Yes or no.
#[must_use]
pub fn yes_no(l: Lang, b: bool) -> &'static str {
    match (l, b) {
        (Lang::En, true) => "yes",
        (Lang::En, false) => "no",
        (Lang::Ja, true) => "はい",
        (Lang::Ja, false) => "いいえ",
    }
}
