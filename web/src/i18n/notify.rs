//! Messages of notifications: the status page's e-mail form, the partner's subscriber list and
//! calendar links, and the language a status link is shared in.
use super::Lang;

messages! {
    // Status page: the e-mail form.
    mail_heading: "Get e-mail updates", "メールで通知を受け取る";
    mail_intro: "We send an e-mail when your move changes and a few days before each of your deadlines. You confirm the address first, and every mail has a link to unsubscribe.", "移行の状況が変わったときと、各期限の数日前にメールをお送りします。最初にアドレスの確認があり、すべてのメールに配信停止のリンクがあります。";
    mail_address: "E-mail address", "メール アドレス";
    mail_subscribe: "Subscribe", "購読する";
    mail_sending: "Sending…", "送信中…";
    mail_sent: "Check your inbox: we sent a mail to confirm the subscription. Nothing more is sent until you confirm.", "受信トレイを確認してください。購読を確認するメールを送信しました。確認するまで、ほかのメールは送信されません。";
    mail_invalid: "Enter an e-mail address such as it@example.com.", "it@example.com のようなメール アドレスを入力してください。";
    mail_failed: "The subscription could not be sent. Try again in a few minutes.", "購読を送信できませんでした。数分後にもう一度お試しください。";
    mail_language_note: "Mails will be in the language this page is shown in.", "メールはこのページの表示言語で送信されます。";
    // Partner: subscribers of a customer's status links.
    subs_heading: "E-mail subscribers", "メール通知の購読者";
    subs_intro: "People who asked for e-mail on this customer's status page. Addresses are deleted when they unsubscribe, when you remove them, or when their status link is revoked.", "この顧客の状況ページでメール通知を依頼した人です。配信停止、削除、または状況リンクの取り消しでアドレスは削除されます。";
    subs_none: "No subscribers yet.", "購読者はまだいません。";
    subs_mail_off: "This server sends no mail (CUTOVER_SMTP_URL is not set), so status pages do not offer e-mail updates.", "このサーバーはメールを送信しない設定 (CUTOVER_SMTP_URL 未設定) のため、状況ページにメール通知は表示されません。";
    subs_loading: "Loading subscribers…", "購読者を読み込んでいます…";
    col_address: "Address", "アドレス";
    col_language: "Language", "言語";
    col_since: "Since", "開始";
    col_state: "State", "状態";
    confirmed: "Confirmed", "確認済み";
    pending: "Waiting for confirmation", "確認待ち";
    remove: "Remove", "削除";
    remove_confirm: "Remove this address? It gets no more mail and is deleted.", "このアドレスを削除しますか? メールは送信されなくなり、アドレスは削除されます。";
    remove_yes: "Remove address", "アドレスを削除";
    cancel: "Cancel", "キャンセル";
    // Partner: share-link language.
    link_language: "Customer's language", "顧客の言語";
    // Partner: calendar links.
    cal_heading: "Subscribe in your calendar", "カレンダーで購読";
    cal_intro: "A secret address that Outlook or Google Calendar can subscribe to: this week's and next week's actions across every customer, kept up to date. Anyone with the address can read it; revoke it when it is no longer needed.", "Outlook や Google カレンダーで購読できる秘密のアドレスです。全顧客の今週と来週の作業が表示され、自動で更新されます。アドレスを知っている人は誰でも閲覧できるため、不要になったら取り消してください。";
    cal_label: "For (e.g. your name)", "用途 (例: 自分の名前)";
    cal_language: "Language", "言語";
    cal_create: "Create calendar address", "カレンダーのアドレスを作成";
    cal_new: "New calendar address. Copy it now: it is shown only once. In Outlook: Add calendar → Subscribe from web.", "新しいカレンダーのアドレスです。表示されるのは今回だけなので、今すぐコピーしてください。Outlook では [予定表を追加] → [Web から購読] を使います。";
    cal_none: "No calendar addresses yet.", "カレンダーのアドレスはまだありません。";
    cal_revoke: "Revoke", "取り消す";
    cal_revoked: "Revoked", "取り消し済み";
    cal_active: "Active", "有効";
    cal_never_used: "Not fetched yet", "未取得";
    col_for: "For", "用途";
    col_created: "Created", "作成日時";
    col_last_fetched: "Last fetched", "最終取得日時";
}

/// A language's own name.
#[must_use]
pub fn language_name(lang: cutover_plan::lang::Lang) -> &'static str {
    match lang {
        cutover_plan::lang::Lang::En => "English",
        cutover_plan::lang::Lang::Ja => "日本語",
    }
}

/// The app's language as the plan crate's.
#[must_use]
pub fn plan_lang(l: Lang) -> cutover_plan::lang::Lang {
    l.into()
}
