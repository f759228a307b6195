//! Messages of the customer page and its plan editor.
use super::Lang;

messages! {
    back: "← Customers", "← 顧客一覧";
    pc_id: "Partner Center customer id", "Partner Center の顧客 ID";
    in_pc_reseller: "Reseller relationship in Partner Center", "Partner Center で再販業者関係あり";
    in_pc_other: "In Partner Center, no reseller relationship", "Partner Center に登録済み (再販業者関係なし)";
    prospect: "Prospect (not in Partner Center yet)", "見込み顧客 (Partner Center 未登録)";
    settings_defaults: "The partner settings could not be loaded, so default settings are used.", "パートナー設定を読み込めなかったため、既定の設定を使用しています。";
    no_record_title: "No migration plan yet", "移行計画はまだありません";
    no_record_text: "Cutover has no record of this customer's original subscriptions. Create one to plan the move to CSP.", "この顧客の元のサブスクリプションの記録がありません。CSP への移行を計画するには作成してください。";
    create_from_pc: "Create from Partner Center subscriptions", "Partner Center のサブスクリプションから作成";
    create_empty: "Create an empty plan", "空の計画を作成";
    unsaved: "Unsaved changes", "未保存の変更があります";
    now_in_pc: "This prospect has accepted and is now in Partner Center. Move its record to the Partner Center customer id?", "この見込み顧客は招待を承諾し、Partner Center に登録されました。記録を Partner Center の顧客 ID に移しますか?";
    rekey: "Move record", "記録を移動";
    export_title: "Export this customer's plan", "この顧客の計画をエクスポート";
    export_csv: "Download CSV", "CSV をダウンロード";
    export_ics: "Download calendar (.ics)", "カレンダー (.ics) をダウンロード";
    share_title: "Share with the customer", "顧客と共有";
    notes_title: "Notes", "メモ";
    conflict_title: "Someone else saved this customer first. Nothing of yours was saved.", "ほかのユーザーが先にこの顧客を保存しました。あなたの変更は保存されていません。";
    diff_field: "Field", "項目";
    diff_theirs: "Saved now", "現在保存されている内容";
    diff_mine: "Yours", "あなたの変更";
    conflict_reload: "Reload (discard mine)", "再読み込み (自分の変更を破棄)";
    conflict_reapply: "Re-apply my changes", "自分の変更を再適用";
    field_name: "Customer name", "顧客名";
    field_notes: "Notes", "メモ";
    field_invitation: "Invitation sent on", "招待の送信日";
    field_overrides: "Setting overrides", "設定の上書き";
    removed: "removed", "削除";
    added: "added", "追加";
    checklist_title: "Checklist", "チェックリスト";
    no_originals: "No original subscriptions yet: add them in the plan editor below to get dates.", "元のサブスクリプションがありません。下の計画エディターで追加すると日付が計算されます。";
    rel_accepted: "Accepted: the customer is in Partner Center with a reseller relationship.", "承諾済み: 顧客は Partner Center で再販業者関係にあります。";
    rel_not_requested: "Not requested yet.", "まだ要求していません。";
    invite_by: "Send the invitation by", "招待の送信期限";
    why: "Why:", "理由:";
    copy_invite: "Copy the reseller invitation link", "再販業者関係の招待リンクをコピー";
    copied: "Copied to the clipboard: ", "クリップボードにコピーしました: ";
    copy_manually: "Copy this link: ", "このリンクをコピーしてください: ";
    sent_on: "Invitation sent on", "招待の送信日";
    record_sent: "Record invitation sent", "招待の送信を記録";
    prov_pending: "Not provisioned", "未プロビジョニング";
    prov_done: "Provisioned", "プロビジョニング済み";
    provision_on: "Provision on", "プロビジョニング日";
    provision_button: "Provision matching CSP subscriptions…", "対応する CSP サブスクリプションをプロビジョニング…";
    provision_after_accept: "Provisioning is possible once the customer has accepted the reseller relationship.", "顧客が再販業者関係を承諾するとプロビジョニングできます。";
    orig_switch_off: "Auto-renew is on: switch it off", "自動更新がオン: オフにしてください";
    orig_waiting: "Waiting for the end date", "有効期限まで待機中";
    orig_cancelled: "Cancelled", "取り消し済み";
    auto_renew_off_by: "Switch auto-renew off by", "自動更新をオフにする期限";
    confirm_auto_renew_off: "Auto-renew is off", "自動更新をオフにした";
    confirm_expired: "It has expired", "期限切れになった";
    confirm_cancelled: "It was cancelled", "取り消した";
    cont_same: "Same offer: no licence changes needed", "同じプラン: ライセンスの割り当て変更は不要";
    cont_reassign: "Reassign licences to the new offer", "新しいプランへライセンスの割り当てを変更";
    reassign_by: "Reassign licences by", "ライセンス割り当て変更の期限";
    confirm_reassigned: "Licences reassigned", "ライセンスの割り当てを変更した";
    order_title: "Provision in CSP", "CSP でプロビジョニング";
    order_text: "This places an order in Partner Center for these subscriptions. Check the offers and seats.", "次のサブスクリプションを Partner Center で注文します。プランとシート数を確認してください。";
    order_confirm: "Place the order", "注文する";
    col_offer: "Offer", "プラン";
    col_offer_id: "Offer id", "オファー ID";
    col_seats: "Seats", "シート数";
    col_end: "End date", "有効期限";
    col_channel: "Channel", "購入経路";
    col_auto_renew: "Auto-renew", "自動更新";
    col_price: "Price per seat per month", "月額単価 (1 シート)";
    col_currency: "Currency", "通貨";
    col_target: "Target CSP offer", "移行先プラン";
    same_offer: "Same offer", "同じプラン";
    remove_original: "Remove", "削除";
    add_original: "Add original subscription", "元のサブスクリプションを追加";
    discard: "Discard changes", "変更を破棄";
    editor_title: "Plan", "計画";
    overrides_title: "This customer's exceptions (blank = partner setting)", "この顧客だけの設定 (空欄 = パートナー設定)";
    ov_provision: "Provision lead days", "プロビジョニングの準備日数";
    ov_invite: "Invitation lead days", "招待の準備日数";
    ov_auto_renew: "Auto-renew notice days", "自動更新オフの通知日数";
    fix_errors: "Fix the marked fields to save.", "保存するには、表示されている項目を修正してください。";
    err_name: "Enter the customer's name.", "顧客名を入力してください。";
    err_offer: "Enter the offer name.", "プラン名を入力してください。";
    err_seats: "Enter a whole number of seats from 1 to 1,000,000.", "シート数は 1～1,000,000 の整数で入力してください。";
    err_date: "Enter a date as YYYY-MM-DD.", "日付は YYYY-MM-DD の形式で入力してください。";
    err_price: "Enter a price such as 12.50, or leave it blank.", "単価は 12.50 のように入力するか、空欄にしてください。";
    err_currency: "Enter a three-letter currency code such as USD or JPY.", "通貨は USD や JPY のような 3 文字のコードで入力してください。";
    err_days: "Enter a whole number of days from 0 to 365, or leave it blank.", "日数は 0～365 の整数で入力するか、空欄にしてください。";
    stands_title: "What the customer sees", "顧客に表示される内容";
    stands_help: "Exactly what the customer's status page shows them, including what they need to do.", "顧客の状況ページに表示される内容そのものです (顧客が行う必要があることを含みます)。";
    no_price: "no price entered", "単価未入力";
    cancel_not_possible: "nothing (already ended)", "なし (終了済み)";
    overlap: "Paid twice", "二重の支払い";
    cancel_today: "Cancelling today forfeits", "今日取り消した場合に失う金額";
    access_lost_on: "Users lose access on", "ユーザーが利用できなくなる日";
    data_deleted_on: "Data is deleted on", "データが削除される日";
    totals_title: "This customer's costs", "この顧客のコスト";
    order_nothing: "Choose at least one line to order.", "注文する行を 1 つ以上選んでください。";
    order_unknown: "Partner Center did not answer, so it is not known whether the order was placed. It is kept in Orders as \"sending\": use Send again there — it is sent with the same request id, so Partner Center cannot place it twice.", "Partner Center から応答がなかったため、注文されたかどうか不明です。注文は「送信中」として注文一覧に残っています。そこで「再送信」を使ってください。同じリクエスト ID で送信されるため、二重に注文されることはありません。";
    order_sending: "Placing the order…", "注文しています…";
    earlier_order: "Already ordered through Cutover:", "Cutover から注文済み:";
    orders_title: "Orders", "注文";
    col_ordered_at: "Confirmed", "確定日時";
    col_lines: "Lines", "明細";
    col_status: "Status", "状態";
    col_order_id: "Order id", "注文 ID";
    col_placed_by: "By", "担当者";
    no_order_id: "no id yet", "ID 未取得";
    order_phase_sending: "Sending (no answer yet)", "送信中 (応答待ち)";
    order_phase_pending: "Pending in Partner Center", "Partner Center で処理中";
    order_phase_completed: "Completed, provisioning", "完了 (プロビジョニング中)";
    order_phase_fulfilled: "Fulfilled", "プロビジョニング完了";
    order_phase_failed: "Refused: nothing was bought", "拒否されました (購入されていません)";
    order_phase_cancelled: "Cancelled", "キャンセル済み";
    resend_order: "Send again (same request)", "再送信 (同じリクエスト)";
    pc_subs_title: "CSP subscriptions in Partner Center", "Partner Center の CSP サブスクリプション";
    pc_subs_none: "Partner Center lists no CSP subscriptions for this customer.", "Partner Center にはこの顧客の CSP サブスクリプションがありません。";
    licences_title: "Licences in the customer's tenant", "顧客テナントのライセンス";
    licences_help: "Every licence the tenant has, bought through any channel (Partner Center's subscribed SKUs).", "購入経路を問わず、テナントにあるすべてのライセンス (Partner Center の subscribed SKU)。";
    licences_none: "Partner Center lists no licences for this tenant.", "Partner Center にはこのテナントのライセンスがありません。";
    col_licence: "Licence", "ライセンス";
    col_enabled: "Enabled", "有効";
    col_warning: "In grace period", "猶予期間中";
    col_suspended: "Suspended", "停止中";
    col_consumed: "Assigned", "割り当て済み";
    yes: "Yes", "はい";
    no: "No", "いいえ";
    gdap_title: "Admin access to the customer's tenant (GDAP)", "顧客テナントへの管理者アクセス (GDAP)";
    gdap_none: "Not requested.", "要求していません。";
    gdap_created: "Created but not yet sent to the customer for approval.", "作成済みですが、まだ顧客に承認を依頼していません。";
    gdap_active: "Active: Cutover can read the tenant's subscriptions.", "有効: Cutover はテナントのサブスクリプションを読み取れます。";
    gdap_expired: "Expired: request it again to read the tenant.", "期限切れ: テナントを読み取るにはもう一度要求してください。";
    gdap_terminated: "Ended by the partner or the customer: request it again to read the tenant.", "パートナーまたは顧客によって終了されました。テナントを読み取るにはもう一度要求してください。";
    gdap_lost: "Access is gone: the tenant cannot be read until a new request is approved.", "アクセスがありません。新しい要求が承認されるまでテナントを読み取れません。";
    gdap_link: "The customer approves here:", "顧客の承認ページ:";
    gdap_why: "Read-only (Global Reader), for 2 years, extended automatically. Needed to read the tenant's subscriptions and licences, not to order.", "閲覧のみ (グローバル閲覧者)、期間 2 年、自動延長。テナントのサブスクリプションとライセンスを読み取るために必要です (注文には不要です)。";
    gdap_request: "Request admin access", "管理者アクセスを要求";
    gdap_send: "Send the request for approval", "承認を依頼";
    drift_title: "The tenant differs from this plan (as last read):", "テナントの内容がこの計画と異なります (前回の読み取り時点):";
    tenant_link: "Link to the tenant's subscription", "テナントのサブスクリプションとの関連付け";
    discovery_title: "Originals from the customer's tenant", "顧客テナントの元のサブスクリプション";
    discovery_help: "Reads every subscription in the tenant, whatever channel it was bought through, and proposes those that are not your CSP subscriptions. Nothing changes until you accept.", "購入経路を問わずテナントのすべてのサブスクリプションを読み取り、自社の CSP サブスクリプション以外を提案します。承認するまで何も変更されません。";
    read_tenant: "Read subscriptions from the tenant", "テナントからサブスクリプションを読み取る";
    reading_tenant: "Reading the tenant…", "テナントを読み取っています…";
    discovered_gone: "No longer in the tenant: remove it from the plan?", "テナントにありません。計画から削除しますか?";
    accept_line: "Accept:", "承認:";
    col_accept: "Accept", "承認";
    col_change: "Change", "変更";
    col_detail: "Details", "詳細";
    accept_discovery: "Accept the selected changes", "選択した変更を承認";
    keep_reading: "Keep this reading (for later differences)", "この読み取り結果を保存 (今後の差分の確認用)";
    path_no_channel: "this way does not exist for the original's channel", "元のサブスクリプションの購入経路では利用できません";
    path_ended: "the original has already ended; a transfer needs a running subscription", "元のサブスクリプションは終了済みです (移管には有効なサブスクリプションが必要です)";
    path_grace_over: "the grace period after the end date is over", "有効期限後の猶予期間が終わっています";
    path_target_differs: "a transfer keeps the offer; moving to another offer needs an overlap", "移管ではプランは変わりません。別のプランに移る場合は重複期間が必要です";
    duty_accept: "accept the reseller invitation", "再販業者の招待を承諾";
    duty_transfer: "nothing; the other partner releases the subscriptions", "不要 (相手のパートナーがサブスクリプションを手放します)";
    paths_title: "Ways onto CSP for this subscription", "このサブスクリプションを CSP に移す方法";
    col_path: "Way", "方法";
    col_path_date: "New subscription starts", "新しいサブスクリプションの開始";
    col_deadline: "Deadline not to miss", "守るべき期限";
    col_customer_must: "The customer must", "顧客が行うこと";
    col_choose: "Choose", "選択";
    choose: "Choose", "選択";
    choose_path: "Choose:", "選択:";
    chosen: "Chosen", "選択中";
    path_not_possible: "Not possible:", "利用できません:";
    use_grace: "Move them during the grace period", "猶予期間中に移行する";
    transfer_help: "Ask the other partner to transfer these subscriptions to you (new commerce, same offer and term). If they do not act within 30 days, buy on the date above.", "相手のパートナーにサブスクリプションの移管を依頼します (新しいコマース、同じプランと期間)。30 日以内に対応がない場合は、上の日付に購入してください。";
    transfer_source: "Current partner's tenant id", "現在のパートナーのテナント ID";
    transfer_email: "Customer's e-mail for the transfer", "移管の連絡先 (顧客のメールアドレス)";
    request_transfer: "Request the transfer", "移管を要求";
    transfer_bad_source: "Enter the current partner's tenant id (a GUID such as 3b33e682-00c3-41ee-9dd2-a548adf56438).", "現在のパートナーのテナント ID (3b33e682-00c3-41ee-9dd2-a548adf56438 のような GUID) を入力してください。";
    transfer_bad_email: "Enter the customer's e-mail address.", "顧客のメールアドレスを入力してください。";
    ea_help: "Schedule the channel transfer (renew to CSP) in Partner Center, then record it here: Microsoft creates the CSP subscription the day after the Enterprise Agreement ends.", "Partner Center でチャネル移行 (CSP へ更新) を予約してから、ここに記録してください。Enterprise Agreement 終了の翌日に Microsoft が CSP サブスクリプションを作成します。";
    record_ea_schedule: "It is scheduled in Partner Center", "Partner Center で予約した";
    col_term_end: "Ends (co-term)", "終了日 (期間の統一)";
    full_term: "A full term from today", "今日から 1 期間";
    mca_title: "The customer has not accepted the Microsoft Customer Agreement in Partner Center yet.", "顧客はまだ Partner Center で Microsoft 顧客契約に同意していません。";
    mca_help: "Partner Center refuses orders until the acceptance is recorded. Enter the customer's primary contact who accepted it and the date.", "同意が記録されるまで Partner Center は注文を受け付けません。同意した顧客の主な連絡先と日付を入力してください。";
    mca_first: "First name", "名";
    mca_last: "Last name", "姓";
    mca_email: "E-mail", "メールアドレス";
    mca_date: "Accepted on", "同意日";
    mca_record: "Record the acceptance", "同意を記録";
    mca_invalid: "Enter the contact's first and last name, e-mail and the date.", "連絡先の姓名、メールアドレス、日付を入力してください。";
}

/// A gap of admin access: days left.
#[must_use]
pub fn days_left(l: Lang, n: i32) -> String {
    match l {
        Lang::En if n == 1 => "1 day left".into(),
        Lang::En => format!("{n} days left"),
        Lang::Ja => format!("残り {n} 日"),
    }
}

/// Waiting for the customer's approval.
#[must_use]
pub fn gdap_pending(l: Lang, expires: &str) -> String {
    match l {
        Lang::En => {
            format!("Waiting for the customer's approval; the request expires after {expires}.")
        }
        Lang::Ja => format!("顧客の承認待ちです。要求の有効期限は {expires} です。"),
    }
}

/// Active until a date.
#[must_use]
pub fn gdap_active_until(l: Lang, end: &str, auto_extend: bool) -> String {
    match (l, auto_extend) {
        (Lang::En, true) => format!("Active until {end}, then extended automatically by 180 days."),
        (Lang::En, false) => format!("Active until {end}; it does not extend by itself."),
        (Lang::Ja, true) => format!("{end} まで有効。その後 180 日ずつ自動延長されます。"),
        (Lang::Ja, false) => format!("{end} まで有効。自動延長されません。"),
    }
}

/// The request expires soon.
#[must_use]
pub fn gdap_expires_soon(l: Lang, days: i32) -> String {
    match l {
        Lang::En => format!("The customer has {days} days left to approve; remind them."),
        Lang::Ja => format!("顧客が承認できるのはあと {days} 日です。顧客に連絡してください。"),
    }
}

/// Access ends soon.
#[must_use]
pub fn gdap_ends_soon(l: Lang, days: i32) -> String {
    match l {
        Lang::En => format!("Admin access ends in {days} days and does not extend by itself."),
        Lang::Ja => format!("管理者アクセスはあと {days} 日で終了し、自動延長されません。"),
    }
}

/// Drift: the end date changed.
#[must_use]
pub fn drift_end(l: Lang, offer: &str, recorded: &str, tenant: &str) -> String {
    match l {
        Lang::En => format!("{offer}: the plan says it ends {recorded}, the tenant says {tenant}."),
        Lang::Ja => format!("{offer}: 計画の有効期限は {recorded}、テナントでは {tenant} です。"),
    }
}

/// Drift: seats changed.
#[must_use]
pub fn drift_seats(l: Lang, offer: &str, recorded: u32, tenant: u32) -> String {
    match l {
        Lang::En => format!("{offer}: the plan has {recorded} seats, the tenant has {tenant}."),
        Lang::Ja => format!("{offer}: 計画のシート数は {recorded}、テナントでは {tenant} です。"),
    }
}

/// Drift: gone from the tenant.
#[must_use]
pub fn drift_gone(l: Lang, offer: &str) -> String {
    match l {
        Lang::En => format!("{offer}: no longer in the tenant."),
        Lang::Ja => format!("{offer}: テナントにありません。"),
    }
}

/// A discovered subscription's seats and end date.
#[must_use]
pub fn discovered_line(l: Lang, seats: u32, end: &str) -> String {
    match l {
        Lang::En => format!("{seats} seats, ends {end}"),
        Lang::Ja => format!("{seats} シート、有効期限 {end}"),
    }
}

/// A discovered subscription without an end date.
#[must_use]
pub fn discovered_no_end(l: Lang, seats: u32) -> String {
    match l {
        Lang::En => format!(
            "{seats} seats; the tenant gives no end date: add it in the plan editor with the date from the customer's invoice."
        ),
        Lang::Ja => format!(
            "{seats} シート。テナントに有効期限がありません。顧客の請求書の日付を計画エディターで入力してください。"
        ),
    }
}

/// The kind of a discovered difference.
#[must_use]
pub fn diff_kind(l: Lang, kind: &str) -> &'static str {
    match (l, kind) {
        (Lang::En, "new") => "New",
        (Lang::En, "changed") => "Changed",
        (Lang::En, "gone") => "Gone",
        (Lang::Ja, "new") => "新規",
        (Lang::Ja, "changed") => "変更",
        (Lang::Ja, "gone") => "削除",
        _ => "",
    }
}

/// What the reading found.
#[must_use]
pub fn discovery_summary(l: Lang, read: usize, differences: usize, unchanged: usize) -> String {
    match l {
        Lang::En => format!(
            "{read} subscriptions in the tenant: {differences} differ from the plan, {unchanged} match it."
        ),
        Lang::Ja => format!(
            "テナントのサブスクリプション {read} 件: 計画との差分 {differences} 件、一致 {unchanged} 件。"
        ),
    }
}

/// Items Graph sent that could not be read.
#[must_use]
pub fn discovery_unreadable(l: Lang, n: usize) -> String {
    match l {
        Lang::En => {
            format!("{n} items from Microsoft Graph could not be read and are not proposed.")
        }
        Lang::Ja => {
            format!("Microsoft Graph の {n} 件の項目を読み取れなかったため、提案していません。")
        }
    }
}

/// What accepting did.
#[must_use]
pub fn discovery_done(
    l: Lang,
    added: usize,
    changed: usize,
    removed: usize,
    without_end: usize,
) -> String {
    match l {
        Lang::En => format!(
            "Accepted: {added} added, {changed} changed, {removed} removed.{}",
            if without_end > 0 {
                format!(" {without_end} without an end date were not added.")
            } else {
                String::new()
            }
        ),
        Lang::Ja => format!(
            "承認しました: 追加 {added} 件、変更 {changed} 件、削除 {removed} 件。{}",
            if without_end > 0 {
                format!("有効期限のない {without_end} 件は追加していません。")
            } else {
                String::new()
            }
        ),
    }
}

/// Ordered, waiting for Partner Center to show the seats.
#[must_use]
pub fn prov_ordered(l: Lang, got: u32, needed: u32) -> String {
    match l {
        Lang::En => format!("Ordered; Partner Center shows {got} of {needed} seats so far"),
        Lang::Ja => {
            format!("注文済み。Partner Center で確認できたのは {needed} シート中 {got} シート")
        }
    }
}

/// Overlap days.
#[must_use]
pub fn overlap_days(l: Lang, n: u32) -> String {
    match l {
        Lang::En if n == 1 => "1 day".into(),
        Lang::En => format!("{n} days"),
        Lang::Ja => format!("{n} 日"),
    }
}

/// Originals without a price.
#[must_use]
pub fn unpriced(l: Lang, n: usize) -> String {
    match l {
        Lang::En => format!("{n} subscription(s) have no price and are not in the totals."),
        Lang::Ja => {
            format!("{n} 件のサブスクリプションは単価が未入力のため合計に含まれていません。")
        }
    }
}

/// One line of the order dialog, as its inputs' labels name it.
#[must_use]
pub fn order_line(l: Lang, n: usize, offer: &str) -> String {
    match l {
        Lang::En => format!("line {n} ({offer})"),
        Lang::Ja => format!("{n} 行目 ({offer})"),
    }
}

/// Label of the offer id input of one order line.
#[must_use]
pub fn offer_id_for(l: Lang, offer: &str) -> String {
    match l {
        Lang::En => format!("Offer id for {offer}"),
        Lang::Ja => format!("{offer} のオファー ID"),
    }
}

/// Label of the seats input of one order line.
#[must_use]
pub fn seats_for(l: Lang, offer: &str) -> String {
    match l {
        Lang::En => format!("Seats of {offer}"),
        Lang::Ja => format!("{offer} のシート数"),
    }
}

/// Label of the "order again" checkbox of one line.
#[must_use]
pub fn order_again_for(l: Lang, offer: &str) -> String {
    match l {
        Lang::En => format!("Order {offer} again anyway"),
        Lang::Ja => format!("{offer} をもう一度注文する"),
    }
}

/// Seats still needed against the original's seats.
#[must_use]
pub fn seats_needed(l: Lang, needed: u32, original: u32) -> String {
    match l {
        Lang::En => format!("{needed} seats needed (the original has {original})"),
        Lang::Ja => format!("必要なシート数 {needed} (元のサブスクリプションは {original})"),
    }
}

/// More seats than needed.
#[must_use]
pub fn seats_more(l: Lang, extra: u32) -> String {
    match l {
        Lang::En => format!(
            "{extra} more than needed: new-commerce seats can be reduced only within 7 days of buying."
        ),
        Lang::Ja => format!(
            "必要数より {extra} シート多く注文します。新しいコマースのシートは購入後 7 日以内しか減らせません。"
        ),
    }
}

/// Fewer seats than needed.
#[must_use]
pub fn seats_fewer(l: Lang, short: u32) -> String {
    match l {
        Lang::En => format!(
            "{short} fewer than needed: that many users lose their licence when the original ends."
        ),
        Lang::Ja => format!(
            "必要数より {short} シート少なく注文します。元のサブスクリプション終了時に、その人数のユーザーがライセンスを失います。"
        ),
    }
}

/// Until when an order's seats can be reduced.
#[must_use]
pub fn reducible_until(l: Lang, date: &str) -> String {
    match l {
        Lang::En => format!("Seats can be reduced until {date}"),
        Lang::Ja => format!("{date} までシート数を減らせます"),
    }
}

/// Partner Center announced more items than it sent.
#[must_use]
pub fn not_sent(l: Lang, what: &str, total: u64, missing: u64) -> String {
    match l {
        Lang::En => format!(
            "Partner Center says there are {total} {what} but sent {} of them; {missing} are not shown. Try again later, or check them in Partner Center.",
            total - missing
        ),
        Lang::Ja => format!(
            "Partner Center によると{what}は {total} 件ありますが、受け取ったのは {} 件です。{missing} 件は表示されていません。後でもう一度試すか、Partner Center で確認してください。",
            total - missing
        ),
    }
}

/// Items that could not be read.
#[must_use]
pub fn unreadable(l: Lang, what: &str, n: usize) -> String {
    match l {
        Lang::En => format!("{n} {what} from Partner Center could not be read and are not used:"),
        Lang::Ja => {
            format!("Partner Center の{what} {n} 件を読み取れなかったため、使用していません:")
        }
    }
}

/// "subscriptions" as counted in the sentences above.
#[must_use]
pub fn what_subscriptions(l: Lang) -> &'static str {
    match l {
        Lang::En => "subscriptions",
        Lang::Ja => "サブスクリプション",
    }
}

/// "licences" as counted in the sentences above.
#[must_use]
pub fn what_licences(l: Lang) -> &'static str {
    match l {
        Lang::En => "licences",
        Lang::Ja => "ライセンス",
    }
}

/// "Invitation sent on {date}."
#[must_use]
pub fn rel_sent(l: Lang, date: &str) -> String {
    match l {
        Lang::En => format!("Invitation sent on {date}; waiting for the customer to accept."),
        Lang::Ja => format!("{date} に招待を送信しました。顧客の承諾を待っています。"),
    }
}

/// Seats count.
#[must_use]
pub fn seats(l: Lang, n: u32) -> String {
    match l {
        Lang::En if n == 1 => "1 seat".into(),
        Lang::En => format!("{n} seats"),
        Lang::Ja => format!("{n} シート"),
    }
}

/// Partly provisioned.
#[must_use]
pub fn prov_partial(l: Lang, got: u32, needed: u32) -> String {
    match l {
        Lang::En => format!("Partly provisioned: {got} of {needed} seats"),
        Lang::Ja => format!("一部プロビジョニング済み: {needed} シート中 {got} シート"),
    }
}

/// Expired, confirmed or by date.
#[must_use]
pub fn orig_expired(l: Lang, confirmed: bool) -> String {
    match (l, confirmed) {
        (Lang::En, true) => "Expired (confirmed)".into(),
        (Lang::En, false) => "Expired (the end date has passed)".into(),
        (Lang::Ja, true) => "期限切れ (確認済み)".into(),
        (Lang::Ja, false) => "期限切れ (有効期限を過ぎました)".into(),
    }
}

/// Reassigned.
#[must_use]
pub fn cont_done(l: Lang, confirmed: bool) -> String {
    match (l, confirmed) {
        (Lang::En, true) => "Licences reassigned (confirmed)".into(),
        (Lang::En, false) => "Licences reassigned (seen in the tenant's licences)".into(),
        (Lang::Ja, true) => "ライセンスの割り当て変更済み (確認済み)".into(),
        (Lang::Ja, false) => "ライセンスの割り当て変更済み (テナントのライセンスで検出)".into(),
    }
}

/// The end date and the renewal instant in local time.
#[must_use]
pub fn ends(l: Lang, date: &str, instant: &str) -> String {
    match l {
        Lang::En => format!("Ends {date}; it would renew at {instant} (your time)."),
        Lang::Ja => format!("有効期限 {date}。自動更新される時刻は {instant} (現地時刻) です。"),
    }
}

/// Order line problem (the sentence comes from cutover-plan's check, in English).
#[must_use]
pub fn order_line_invalid(l: Lang, problem: &str) -> String {
    match l {
        Lang::En => format!("{problem}."),
        Lang::Ja => {
            format!("{problem} (オファー ID と 1 以上の整数のシート数を入力してください)。")
        }
    }
}

/// Heading of one original in the editor.
#[must_use]
pub fn original_n(l: Lang, n: usize) -> String {
    match l {
        Lang::En => format!("Original subscription {n}"),
        Lang::Ja => format!("元のサブスクリプション {n}"),
    }
}

/// Placeholder naming the partner's value.
#[must_use]
pub fn partner_default(l: Lang, days: u32) -> String {
    match l {
        Lang::En => format!("Partner setting: {days}"),
        Lang::Ja => format!("パートナー設定: {days}"),
    }
}

/// Stored version.
#[must_use]
pub fn version(l: Lang, v: u64) -> String {
    match l {
        Lang::En => format!("Saved (version {v})"),
        Lang::Ja => format!("保存済み (バージョン {v})"),
    }
}

/// What the conflict is.
#[must_use]
pub fn conflict_text(l: Lang, version: u64, when: &str) -> String {
    match l {
        Lang::En => format!(
            "What is stored now is version {version} (saved {when}). Compare below, then reload theirs or re-apply your changes on top of it."
        ),
        Lang::Ja => format!(
            "現在保存されているのはバージョン {version} ({when} に保存) です。下で比較し、再読み込みするか、自分の変更を再適用してください。"
        ),
    }
}

/// A transfer waiting for the other partner, with its countdown.
#[must_use]
pub fn prov_transfer_waiting(l: Lang, until: &str, days_left: i32) -> String {
    match l {
        Lang::En => format!(
            "Transfer requested; the other partner has until {until} ({days_left} days left), then buy on the overlap date"
        ),
        Lang::Ja => format!(
            "移管を要求済み。相手のパートナーの期限は {until} (残り {days_left} 日)。期限後は重複期間の日付で購入します"
        ),
    }
}

/// Transferred.
#[must_use]
pub fn prov_transferred(l: Lang) -> &'static str {
    match l {
        Lang::En => "Transferred from the other partner",
        Lang::Ja => "相手のパートナーから移管済み",
    }
}

/// EA channel transfer scheduled.
#[must_use]
pub fn prov_ea_scheduled(l: Lang, on: &str, starts: &str) -> String {
    match l {
        Lang::En => format!(
            "EA channel transfer scheduled on {on}; Microsoft creates the CSP subscription on {starts}"
        ),
        Lang::Ja => format!(
            "{on} に EA からのチャネル移行を予約済み。{starts} に Microsoft が CSP サブスクリプションを作成します"
        ),
    }
}

/// What the customer must do on a path: switch auto-renew off by a date.
#[must_use]
pub fn duty_auto_renew(l: Lang, by: &str) -> String {
    match l {
        Lang::En => format!("switch auto-renew off by {by}"),
        Lang::Ja => format!("{by} までに自動更新をオフ"),
    }
}

/// Originals that could move during the grace period instead.
#[must_use]
pub fn grace_suggestion(l: Lang, n: usize) -> String {
    match l {
        Lang::En => format!(
            "Buying every subscription before the originals end would pass the tenant's limit of 150 subscriptions. {n} of them can move during the grace period instead (users keep access while the original is expired), as Microsoft advises."
        ),
        Lang::Ja => format!(
            "元のサブスクリプションが終わる前にすべてを購入すると、テナントのサブスクリプション上限 (150) を超えます。Microsoft の推奨どおり、{n} 件は猶予期間中 (期限切れでもユーザーは利用可能) に移行できます。"
        ),
    }
}

/// Label of the co-term end date of one order line.
#[must_use]
pub fn term_end_for(l: Lang, offer: &str) -> String {
    match l {
        Lang::En => format!("End date of {offer}"),
        Lang::Ja => format!("{offer} の終了日"),
    }
}

/// A chosen end date.
#[must_use]
pub fn ends_on(l: Lang, date: &str) -> String {
    match l {
        Lang::En => format!("ends {date}"),
        Lang::Ja => format!("終了日 {date}"),
    }
}
