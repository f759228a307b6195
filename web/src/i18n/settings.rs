//! Messages of the settings page.
use super::Lang;

messages! {
    intro: "These settings apply to every customer (a customer's plan can override the lead days). Every date is re-planned as soon as they are saved.", "この設定はすべての顧客に適用されます (準備日数は顧客ごとに上書きできます)。保存するとすべての日付が再計算されます。";
    lead_title: "Lead days", "準備日数";
    provision: "Provision this many days before the end date", "有効期限の何日前にプロビジョニングするか";
    invite: "Send the invitation this many days before provisioning", "プロビジョニングの何日前に招待を送信するか";
    auto_renew: "Switch auto-renew off this many days before the end date", "有効期限の何日前に自動更新をオフにするか";
    holidays_title: "Holidays (besides weekends)", "休日 (週末以外)";
    japan: "Japanese national holidays", "日本の祝日";
    custom: "Company holidays, one date per line (YYYY-MM-DD)", "会社の休業日 (1 行に 1 日、YYYY-MM-DD)";
    lifecycle_title: "After an original's end date, per channel", "元のサブスクリプションの有効期限後 (購入経路別)";
    channel: "Channel", "購入経路";
    grace: "Expired (grace) days", "期限切れ (猶予) 日数";
    disabled: "Disabled days", "無効化日数";
    access: "Users keep access during grace", "猶予期間中も利用可能";
    currency_title: "Display currency", "表示通貨";
    currency: "Currency code (blank: each row's own)", "通貨コード (空欄: 行ごとの通貨)";
    err_days: "Enter a whole number of days.", "日数は整数で入力してください。";
    err_currency: "Enter a three-letter code such as JPY, or leave it blank.", "JPY のような 3 文字のコードを入力するか、空欄にしてください。";
    keep_mine: "Save mine over theirs", "自分の設定で上書き保存";
}

/// A custom holiday that is not a date.
#[must_use]
pub fn err_date(l: Lang, bad: &str) -> String {
    match l {
        Lang::En => format!("\"{bad}\" is not a date; write YYYY-MM-DD."),
        Lang::Ja => format!("「{bad}」は日付ではありません。YYYY-MM-DD の形式で入力してください。"),
    }
}

/// Someone else saved the settings first.
#[must_use]
pub fn conflict(l: Lang, version: u64) -> String {
    match l {
        Lang::En => format!(
            "Someone else saved the settings first (now version {version}); yours were not saved. Reload theirs, or save yours over them."
        ),
        Lang::Ja => format!(
            "ほかのユーザーが先に設定を保存しました (現在バージョン {version})。あなたの設定は保存されていません。再読み込みするか、自分の設定で上書きしてください。"
        ),
    }
}
