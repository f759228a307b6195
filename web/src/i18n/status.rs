//! Messages of the customer status page and of the partner's share-link panel.
//!
//! Japanese follows Partner Center's own vocabulary: 再販業者 (reseller), 招待 (invitation),
//! サブスクリプション, ライセンス, 有効期限, プラン, プロビジョニング.
use super::Lang;
use cutover_plan::checklist::StepStatus;
use cutover_plan::record::EndedHow;

fn pick(l: Lang, en: &'static str, ja: &'static str) -> &'static str {
    match l {
        Lang::En => en,
        Lang::Ja => ja,
    }
}

// ---- page frame -------------------------------------------------------------------------------

/// The page's heading and `<title>`.
pub fn page_title(l: Lang) -> &'static str {
    pick(l, "Migration status", "移行状況")
}

/// Who is moving the customer, and where to.
pub fn moving_to_csp(l: Lang, partner: &str) -> String {
    match l {
        Lang::En => format!(
            "{partner} is moving your Microsoft 365 subscriptions onto its Cloud Solution Provider (CSP) contract."
        ),
        Lang::Ja => format!(
            "{partner} がお客様の Microsoft 365 サブスクリプションをクラウド ソリューション プロバイダー (CSP) 契約に移行しています。"
        ),
    }
}

/// When the status was read.
pub fn as_of(l: Lang, when: &str) -> String {
    match l {
        Lang::En => format!("Status as of {when}."),
        Lang::Ja => format!("{when} 時点の状況です。"),
    }
}

/// Which time zone times are shown in.
pub fn zone_note(l: Lang, name: &str, id: &str) -> String {
    let zone = if name.is_empty() || name == id {
        id.to_owned()
    } else {
        format!("{name} ({id})")
    };
    match l {
        Lang::En => format!("Times are shown in your time zone: {zone}."),
        Lang::Ja => format!("時刻はお使いのタイム ゾーン ({zone}) で表示しています。"),
    }
}

/// Partner Center did not answer when the status was built.
pub fn facts_unavailable(l: Lang) -> &'static str {
    pick(
        l,
        "Partner Center could not be reached just now, so some steps may be behind. Reload this page later.",
        "現在パートナー センターに接続できないため、一部の状況が最新でない可能性があります。しばらくしてからこのページを再読み込みしてください。",
    )
}

/// Shown while the status loads.
pub fn loading(l: Lang) -> &'static str {
    pick(
        l,
        "Loading your migration status…",
        "移行状況を読み込んでいます…",
    )
}

/// Heading of the invalid-link page (the same for unknown, revoked and expired links).
pub fn invalid_title(l: Lang) -> &'static str {
    pick(l, "This link is not valid", "このリンクは無効です")
}

/// Body of the invalid-link page.
pub fn invalid_body(l: Lang) -> &'static str {
    pick(
        l,
        "It may be incomplete, or it may have been revoked or have expired. Ask your partner for a new link.",
        "リンクが不完全か、取り消されたか、有効期限が切れている可能性があります。パートナーに新しいリンクを依頼してください。",
    )
}

/// Heading when the server could not be reached.
pub fn unavailable_title(l: Lang) -> &'static str {
    pick(
        l,
        "The status could not be loaded",
        "状況を読み込めませんでした",
    )
}

/// Body when the server could not be reached.
pub fn unavailable_body(l: Lang) -> &'static str {
    pick(
        l,
        "The server could not be reached or had a passing problem. Check your connection and try again.",
        "サーバーに接続できないか、一時的な問題が発生しました。接続を確認して、もう一度お試しください。",
    )
}

/// Retry button.
pub fn try_again(l: Lang) -> &'static str {
    pick(l, "Try again", "再試行")
}

/// The page footer.
pub fn footer(l: Lang, partner: &str) -> String {
    match l {
        Lang::En => format!(
            "A read-only status page from {partner}. It shows only the status of your move."
        ),
        Lang::Ja => format!(
            "{partner} が提供する読み取り専用の状況ページです。移行の状況のみを表示します。"
        ),
    }
}

// ---- what you need to do ----------------------------------------------------------------------

/// Heading of the to-do list.
pub fn todo_heading(l: Lang) -> &'static str {
    pick(l, "What you need to do", "お客様に必要な作業")
}

/// Accept the reseller invitation.
pub fn todo_accept(l: Lang, partner: &str) -> String {
    match l {
        Lang::En => format!("Accept the reseller invitation from {partner}."),
        Lang::Ja => format!("{partner} からの再販業者の招待を承諾してください。"),
    }
}

/// The link to the invitation.
pub fn open_invitation(l: Lang) -> &'static str {
    pick(
        l,
        "Open the invitation in the Microsoft 365 admin center",
        "Microsoft 365 管理センターで招待を開く",
    )
}

/// When the invitation was sent.
pub fn invitation_sent_on(l: Lang, date: &str) -> String {
    match l {
        Lang::En => format!("It was sent on {date}."),
        Lang::Ja => format!("招待は {date} に送信されました。"),
    }
}

/// Accept before provisioning is due.
pub fn accept_before(l: Lang, date: &str) -> String {
    match l {
        Lang::En => format!(
            "Please accept before {date} so your new subscriptions can be provisioned on time."
        ),
        Lang::Ja => format!(
            "新しいサブスクリプションを予定どおりプロビジョニングできるよう、{date} までに承諾してください。"
        ),
    }
}

/// The invitation is still to come.
pub fn invitation_coming(l: Lang, partner: &str) -> String {
    match l {
        Lang::En => format!("{partner} will send it to you; accept it when it arrives."),
        Lang::Ja => format!("{partner} から招待が届きます。届いたら承諾してください。"),
    }
}

/// Switch auto-renew off by a date.
pub fn todo_auto_renew(l: Lang, offer: &str, date: &str) -> String {
    match l {
        Lang::En => {
            format!("Switch off auto-renew on your current {offer} subscription by {date}.")
        }
        Lang::Ja => format!(
            "現在の {offer} サブスクリプションの自動更新を {date} までにオフにしてください。"
        ),
    }
}

/// Switch auto-renew off now: the suggested day has passed.
pub fn todo_auto_renew_overdue(l: Lang, offer: &str, date: &str) -> String {
    match l {
        Lang::En => format!(
            "Switch off auto-renew on your current {offer} subscription now (the suggested date was {date})."
        ),
        Lang::Ja => format!(
            "現在の {offer} サブスクリプションの自動更新を今すぐオフにしてください (推奨期限は {date} でした)。"
        ),
    }
}

/// What happens if auto-renew stays on.
pub fn renews_at(l: Lang, when: &str) -> String {
    match l {
        Lang::En => format!(
            "Otherwise it renews by itself at {when}. Do not cancel it early: cancelling is not refunded."
        ),
        Lang::Ja => format!(
            "オフにしないと {when} に自動更新されます。取り消しても返金されないため、早めに取り消さないでください。"
        ),
    }
}

/// Nothing to do while the partner provisions.
pub fn todo_wait(l: Lang, partner: &str, date: Option<&str>) -> String {
    match (l, date) {
        (Lang::En, Some(d)) => format!(
            "Nothing to do while {partner} provisions your new subscriptions in CSP (planned for {d})."
        ),
        (Lang::En, None) => {
            format!("Nothing to do while {partner} provisions your new subscriptions in CSP.")
        }
        (Lang::Ja, Some(d)) => format!(
            "{partner} が CSP で新しいサブスクリプションをプロビジョニングする間 ({d} 予定)、お客様の作業はありません。"
        ),
        (Lang::Ja, None) => format!(
            "{partner} が CSP で新しいサブスクリプションをプロビジョニングする間、お客様の作業はありません。"
        ),
    }
}

/// Licences must move to a different offer.
pub fn todo_reassign(l: Lang, from: &str, to: &str, date: Option<&str>) -> String {
    match (l, date) {
        (Lang::En, Some(d)) => {
            format!("Reassign your users' licences from {from} to {to} by {d}.")
        }
        (Lang::En, None) => format!("Reassign your users' licences from {from} to {to}."),
        (Lang::Ja, Some(d)) => format!(
            "ユーザーのライセンスの割り当てを {from} から {to} に {d} までに変更してください。"
        ),
        (Lang::Ja, None) => {
            format!("ユーザーのライセンスの割り当てを {from} から {to} に変更してください。")
        }
    }
}

/// Same offers: nothing changes for users.
pub fn todo_no_licence_changes(l: Lang) -> &'static str {
    pick(
        l,
        "No licence changes are needed: you keep the same offers, so your users carry on without interruption.",
        "プランは変わらないため、ライセンスの割り当て変更は不要です。ユーザーは中断なく使い続けられます。",
    )
}

/// Everything is done.
pub fn todo_all_done(l: Lang) -> &'static str {
    pick(
        l,
        "Nothing left to do: your move to CSP is complete.",
        "必要な作業はありません。CSP への移行は完了しています。",
    )
}

/// The partner has not recorded subscriptions yet.
pub fn todo_nothing_recorded(l: Lang, partner: &str) -> String {
    match l {
        Lang::En => {
            format!("Nothing to do for now: {partner} has not added your subscriptions yet.")
        }
        Lang::Ja => format!(
            "現在お客様の作業はありません。{partner} がまだサブスクリプションを登録していません。"
        ),
    }
}

// ---- the four steps ---------------------------------------------------------------------------

/// Heading of the checklist.
pub fn steps_heading(l: Lang) -> &'static str {
    pick(l, "Where your move stands", "移行の進み具合")
}

/// Title of step `i` (0-based).
pub fn step_title(l: Lang, i: usize) -> &'static str {
    const EN: [&str; 4] = [
        "Reseller relationship",
        "Provision in CSP",
        "Original subscriptions run out",
        "Continuity",
    ];
    const JA: [&str; 4] = [
        "再販業者関係",
        "CSP でのプロビジョニング",
        "元のサブスクリプションの期限切れ",
        "中断なく継続",
    ];
    pick(l, EN[i.min(3)], JA[i.min(3)])
}

/// A step's state, as words (the badge also has an icon; colour is never the only signal).
pub fn step_status(l: Lang, s: StepStatus) -> &'static str {
    match s {
        StepStatus::Done => pick(l, "Done", "完了"),
        StepStatus::Open => pick(l, "In progress", "進行中"),
        StepStatus::NotNeeded => pick(l, "Not needed", "不要"),
    }
}

/// Step 1: no invitation yet.
pub fn rel_not_requested(l: Lang) -> &'static str {
    pick(
        l,
        "The reseller invitation has not been sent yet.",
        "再販業者の招待はまだ送信されていません。",
    )
}

/// Step 1: invitation sent.
pub fn rel_sent(l: Lang, date: &str) -> String {
    match l {
        Lang::En => format!("Invitation sent on {date}; waiting for you to accept it."),
        Lang::Ja => format!("{date} に招待を送信しました。承諾をお待ちしています。"),
    }
}

/// Step 1: accepted.
pub fn rel_accepted(l: Lang, partner: &str) -> String {
    match l {
        Lang::En => format!("Accepted: {partner} is your reseller."),
        Lang::Ja => format!("承諾済み: {partner} が再販業者です。"),
    }
}

/// Step 2 summary.
pub fn provision_summary(l: Lang, status: StepStatus, date: Option<&str>) -> String {
    match (status, date) {
        (StepStatus::Done, _) => pick(
            l,
            "Every subscription is provisioned in CSP.",
            "すべてのサブスクリプションを CSP でプロビジョニングしました。",
        )
        .to_owned(),
        (StepStatus::NotNeeded, _) => pick(
            l,
            "No subscriptions to move yet.",
            "移行するサブスクリプションはまだありません。",
        )
        .to_owned(),
        (StepStatus::Open, Some(d)) => match l {
            Lang::En => format!("Planned for {d}."),
            Lang::Ja => format!("{d} に予定しています。"),
        },
        (StepStatus::Open, None) => pick(l, "Under way.", "進行中です。").to_owned(),
    }
}

/// Step 3 summary.
pub fn originals_summary(l: Lang, status: StepStatus, last_end: Option<&str>) -> String {
    match (status, last_end) {
        (StepStatus::Done, _) => pick(
            l,
            "Every original subscription has run out.",
            "元のサブスクリプションはすべて期限切れになりました。",
        )
        .to_owned(),
        (StepStatus::Open, Some(d)) => match l {
            Lang::En => format!("The last one runs out on {d}."),
            Lang::Ja => format!("最後のサブスクリプションの有効期限は {d} です。"),
        },
        _ => pick(l, "Nothing to wait for.", "待つものはありません。").to_owned(),
    }
}

/// Step 4 summary.
pub fn continuity_summary(l: Lang, status: StepStatus, date: Option<&str>) -> String {
    match (status, date) {
        (StepStatus::NotNeeded, _) => pick(
            l,
            "Same offers: no licence changes, no interruption for users.",
            "プランは同じです。ライセンスの割り当て変更は不要で、ユーザーへの影響はありません。",
        )
        .to_owned(),
        (StepStatus::Done, _) => pick(
            l,
            "Your users are on the new licences.",
            "ユーザーは新しいライセンスに移行済みです。",
        )
        .to_owned(),
        (StepStatus::Open, Some(d)) => match l {
            Lang::En => format!("Licences to reassign by {d}."),
            Lang::Ja => format!("{d} までにライセンスの割り当てを変更してください。"),
        },
        (StepStatus::Open, None) => pick(
            l,
            "Licences to reassign.",
            "ライセンスの割り当て変更が必要です。",
        )
        .to_owned(),
    }
}

// ---- subscriptions ----------------------------------------------------------------------------

/// Heading of the per-subscription list.
pub fn subscriptions_heading(l: Lang) -> &'static str {
    pick(l, "Your subscriptions", "お客様のサブスクリプション")
}

/// Licence count.
pub fn seats(l: Lang, n: u32) -> String {
    match (l, n) {
        (Lang::En, 1) => "1 licence".to_owned(),
        (Lang::En, n) => format!("{n} licences"),
        (Lang::Ja, n) => format!("{n} ライセンス"),
    }
}

/// The original's last day.
pub fn ends_on(l: Lang, date: &str) -> String {
    match l {
        Lang::En => format!("Original ends on {date}"),
        Lang::Ja => format!("元のサブスクリプションの有効期限: {date}"),
    }
}

/// The offer it moves to.
pub fn moves_to(l: Lang, target: &str) -> String {
    match l {
        Lang::En => format!("Moves to {target}"),
        Lang::Ja => format!("移行先のプラン: {target}"),
    }
}

/// To-do: approve the partner's admin access request.
pub fn todo_approve_access(l: Lang, partner: &str) -> String {
    match l {
        Lang::En => {
            format!("Approve {partner}'s request for read-only admin access to your tenant.")
        }
        Lang::Ja => format!(
            "{partner} からのテナントへの閲覧用管理者アクセス (GDAP) の要求を承認してください。"
        ),
    }
}

/// Why, and by when.
pub fn approve_access_detail(l: Lang, date: &str) -> String {
    match l {
        Lang::En => format!(
            "It lets your partner read which subscriptions you have and when they end, so nothing is missed. The request expires after {date}."
        ),
        Lang::Ja => format!(
            "パートナーがお客様のサブスクリプションとその有効期限を確認し、漏れなく移行するためのものです。要求の有効期限は {date} です。"
        ),
    }
}

/// The button to approve admin access.
pub fn open_access_request(l: Lang) -> &'static str {
    pick(
        l,
        "Review the request in the Microsoft 365 admin center",
        "Microsoft 365 管理センターで要求を確認する",
    )
}

/// Step 2 for one subscription.
pub fn provision_pending(l: Lang, date: &str) -> String {
    match l {
        Lang::En => format!("To be provisioned in CSP on {date}"),
        Lang::Ja => format!("{date} に CSP でプロビジョニング予定"),
    }
}

/// Step 2, partly done.
pub fn provision_partial(l: Lang, done: u32, of: u32, date: &str) -> String {
    match l {
        Lang::En => {
            format!("{done} of {of} licences provisioned in CSP; the rest planned for {date}")
        }
        Lang::Ja => format!(
            "{of} ライセンス中 {done} ライセンスを CSP でプロビジョニング済み。残りは {date} に予定"
        ),
    }
}

/// Step 2, ordered and waiting for Partner Center to provision.
pub fn provision_ordered(l: Lang) -> &'static str {
    pick(
        l,
        "Ordered in CSP; waiting for Microsoft to provision the licences",
        "CSP で注文済み。Microsoft によるライセンスのプロビジョニング待ち",
    )
}

/// Step 2, a partner-to-partner transfer waiting for the other partner.
pub fn provision_transfer_waiting(l: Lang, until: &str) -> String {
    match l {
        Lang::En => format!(
            "Being transferred from your current partner (the request is open until {until}); nothing to buy twice"
        ),
        Lang::Ja => format!(
            "現在のパートナーから移管中です (要求の期限は {until})。二重に購入する必要はありません"
        ),
    }
}

/// Step 2, transferred.
pub fn provision_transferred(l: Lang) -> &'static str {
    pick(
        l,
        "Transferred to CSP from your previous partner",
        "以前のパートナーから CSP へ移管済み",
    )
}

/// Step 2, EA channel transfer scheduled.
pub fn provision_ea_scheduled(l: Lang, on: &str) -> String {
    match l {
        Lang::En => format!(
            "Scheduled: Microsoft creates the CSP subscription on {on}, the day after your agreement ends"
        ),
        Lang::Ja => format!(
            "予約済み: 契約終了の翌日 {on} に Microsoft が CSP サブスクリプションを作成します"
        ),
    }
}

/// Step 2, done.
pub fn provision_done(l: Lang) -> &'static str {
    pick(l, "Provisioned in CSP", "CSP でプロビジョニング済み")
}

/// Step 3, auto-renew still on.
pub fn original_auto_renew(l: Lang, date: Option<&str>) -> String {
    match (l, date) {
        (Lang::En, Some(d)) => format!("Auto-renew is on: switch it off by {d}"),
        (Lang::En, None) => "Auto-renew is on: switch it off".to_owned(),
        (Lang::Ja, Some(d)) => format!("自動更新がオンです: {d} までにオフにしてください"),
        (Lang::Ja, None) => "自動更新がオンです: オフにしてください".to_owned(),
    }
}

/// Step 3, waiting for the end date.
pub fn original_waiting(l: Lang, when: &str) -> String {
    match l {
        Lang::En => format!("Auto-renew is off; the original ends at {when}"),
        Lang::Ja => format!("自動更新はオフです。元のサブスクリプションは {when} に終了します"),
    }
}

/// Step 3, ended.
pub fn original_ended(l: Lang, how: EndedHow) -> &'static str {
    match how {
        EndedHow::Expired => pick(
            l,
            "The original has expired",
            "元のサブスクリプションは期限切れです",
        ),
        EndedHow::Cancelled => pick(
            l,
            "The original was cancelled",
            "元のサブスクリプションは取り消されました",
        ),
    }
}

/// Step 4, same offer.
pub fn continuity_same(l: Lang) -> &'static str {
    pick(
        l,
        "Same offer: no licence changes needed",
        "同じプラン: ライセンスの割り当て変更は不要",
    )
}

/// Step 4, to reassign.
pub fn continuity_reassign(l: Lang, date: Option<&str>) -> String {
    match (l, date) {
        (Lang::En, Some(d)) => format!("Licences to reassign by {d}"),
        (Lang::En, None) => "Licences to reassign".to_owned(),
        (Lang::Ja, Some(d)) => format!("{d} までにライセンスの割り当てを変更"),
        (Lang::Ja, None) => "ライセンスの割り当て変更が必要".to_owned(),
    }
}

/// Step 4, done.
pub fn continuity_done(l: Lang) -> &'static str {
    pick(l, "Licences reassigned", "ライセンスの割り当て変更済み")
}

// ---- timeline ---------------------------------------------------------------------------------

/// Heading of the timeline.
pub fn timeline_heading(l: Lang) -> &'static str {
    pick(l, "Timeline", "タイムライン")
}

/// Past milestones.
pub fn timeline_past(l: Lang) -> &'static str {
    pick(l, "So far", "これまで")
}

/// Upcoming milestones.
pub fn timeline_upcoming(l: Lang) -> &'static str {
    pick(l, "Coming up", "今後の予定")
}

/// An empty part of the timeline.
pub fn timeline_empty(l: Lang) -> &'static str {
    pick(l, "Nothing yet.", "まだありません。")
}

/// Reseller invitation sent.
pub fn m_invitation_sent(l: Lang) -> &'static str {
    pick(l, "Reseller invitation sent", "再販業者の招待を送信")
}

/// The partner sends the invitation.
pub fn m_invitation_planned(l: Lang, partner: &str) -> String {
    match l {
        Lang::En => format!("{partner} sends the reseller invitation"),
        Lang::Ja => format!("{partner} が再販業者の招待を送信"),
    }
}

/// Provisioning.
pub fn m_provision(l: Lang, partner: &str, offer: &str) -> String {
    match l {
        Lang::En => format!("{partner} provisions {offer} in CSP"),
        Lang::Ja => format!("{partner} が CSP で {offer} をプロビジョニング"),
    }
}

/// Auto-renew confirmed off.
pub fn m_auto_renew_off(l: Lang, offer: &str) -> String {
    match l {
        Lang::En => format!("Auto-renew switched off on the original {offer}"),
        Lang::Ja => format!("元の {offer} の自動更新をオフに設定"),
    }
}

/// Deadline for auto-renew.
pub fn m_auto_renew_off_by(l: Lang, offer: &str) -> String {
    match l {
        Lang::En => format!("Last day to switch off auto-renew on the original {offer}"),
        Lang::Ja => format!("元の {offer} の自動更新をオフにする期限"),
    }
}

/// The original's last day.
pub fn m_original_ends(l: Lang, offer: &str, when: &str) -> String {
    match l {
        Lang::En => format!("Last day of the original {offer} (it ends at {when})"),
        Lang::Ja => format!("元の {offer} の有効期限 ({when} に終了)"),
    }
}

/// The original ended.
pub fn m_original_ended(l: Lang, offer: &str, how: EndedHow) -> String {
    match (l, how) {
        (Lang::En, EndedHow::Expired) => format!("The original {offer} expired"),
        (Lang::En, EndedHow::Cancelled) => format!("The original {offer} was cancelled"),
        (Lang::Ja, EndedHow::Expired) => format!("元の {offer} が期限切れ"),
        (Lang::Ja, EndedHow::Cancelled) => format!("元の {offer} を取り消し"),
    }
}

/// Deadline to reassign.
pub fn m_reassign_by(l: Lang, offer: &str, to: &str) -> String {
    match l {
        Lang::En => format!("Reassign licences from {offer} to {to}"),
        Lang::Ja => format!("ライセンスの割り当てを {offer} から {to} に変更"),
    }
}

/// Reassigned.
pub fn m_reassigned(l: Lang, offer: &str) -> String {
    match l {
        Lang::En => format!("Licences moved off {offer}"),
        Lang::Ja => format!("{offer} からライセンスの割り当てを変更済み"),
    }
}

// ---- calendar, feed, print --------------------------------------------------------------------

/// Heading of the stay-informed section.
pub fn keep_heading(l: Lang) -> &'static str {
    pick(l, "Keep track", "予定と更新情報")
}

/// The `.ics` download.
pub fn download_ics(l: Lang) -> &'static str {
    pick(
        l,
        "Add the upcoming dates to your calendar (.ics)",
        "今後の予定をカレンダーに追加 (.ics)",
    )
}

/// Nothing to put in a calendar.
pub fn no_ics(l: Lang) -> &'static str {
    pick(
        l,
        "No upcoming dates to add to a calendar.",
        "カレンダーに追加する今後の予定はありません。",
    )
}

/// The Atom feed link.
pub fn feed_link(l: Lang) -> &'static str {
    pick(
        l,
        "Follow changes (Atom feed)",
        "変更を購読 (Atom フィード)",
    )
}

/// What the feed is for.
pub fn feed_hint(l: Lang) -> &'static str {
    pick(
        l,
        "Add this feed to Outlook or a feed reader to hear about each step as it changes.",
        "このフィードを Outlook やフィード リーダーに追加すると、各ステップの変更を受け取れます。",
    )
}

/// Print button.
pub fn print(l: Lang) -> &'static str {
    pick(l, "Print a summary", "概要を印刷")
}

// ---- the partner's share-link panel -----------------------------------------------------------

/// Panel heading.
pub fn links_heading(l: Lang) -> &'static str {
    pick(l, "Status links for the customer", "顧客向けの状況リンク")
}

/// What a status link is.
pub fn links_intro(l: Lang) -> &'static str {
    pick(
        l,
        "A status link lets the customer's IT admin see this customer's migration status without signing in. It never shows prices or notes.",
        "状況リンクを使うと、顧客の IT 管理者はサインインせずにこの顧客の移行状況を確認できます。価格やメモは表示されません。",
    )
}

/// Expiry field label.
pub fn expires_label(l: Lang) -> &'static str {
    pick(l, "Stops working after (optional)", "有効期限 (省略可)")
}

/// Create button.
pub fn create_link(l: Lang) -> &'static str {
    pick(l, "Create link", "リンクを作成")
}

/// Create button while busy.
pub fn creating(l: Lang) -> &'static str {
    pick(l, "Creating…", "作成中…")
}

/// The new link, shown once.
pub fn new_link(l: Lang) -> &'static str {
    pick(
        l,
        "New link. Copy it now: it is shown only once.",
        "新しいリンクです。表示されるのは今回だけなので、今すぐコピーしてください。",
    )
}

/// Label of the field holding the new link.
pub fn new_link_label(l: Lang) -> &'static str {
    pick(l, "Status link", "状況リンク")
}

/// Copy button.
pub fn copy(l: Lang) -> &'static str {
    pick(l, "Copy", "コピー")
}

/// Copied.
pub fn copied(l: Lang) -> &'static str {
    pick(l, "Copied", "コピーしました")
}

/// Copying failed.
pub fn copy_failed(l: Lang) -> &'static str {
    pick(
        l,
        "Could not copy: select the link and copy it by hand.",
        "コピーできませんでした。リンクを選択して手動でコピーしてください。",
    )
}

/// Table column.
pub fn col_created(l: Lang) -> &'static str {
    pick(l, "Created", "作成日時")
}

/// Table column.
pub fn col_last_used(l: Lang) -> &'static str {
    pick(l, "Last used", "最終使用日時")
}

/// Table column.
pub fn col_expires(l: Lang) -> &'static str {
    pick(l, "Expires", "有効期限")
}

/// Table column.
pub fn col_status(l: Lang) -> &'static str {
    pick(l, "Status", "状態")
}

/// No expiry.
pub fn never(l: Lang) -> &'static str {
    pick(l, "Never", "なし")
}

/// Not opened yet.
pub fn not_used(l: Lang) -> &'static str {
    pick(l, "Not yet", "未使用")
}

/// Link works.
pub fn link_active(l: Lang) -> &'static str {
    pick(l, "Active", "有効")
}

/// Link revoked.
pub fn link_revoked(l: Lang, when: &str) -> String {
    match l {
        Lang::En => format!("Revoked {when}"),
        Lang::Ja => format!("取り消し済み ({when})"),
    }
}

/// Link expired.
pub fn link_expired(l: Lang) -> &'static str {
    pick(l, "Expired", "期限切れ")
}

/// Revoke button.
pub fn revoke(l: Lang) -> &'static str {
    pick(l, "Revoke", "取り消す")
}

/// Revoke confirmation question.
pub fn revoke_confirm(l: Lang) -> &'static str {
    pick(
        l,
        "Revoke this link? The customer will no longer be able to open it.",
        "このリンクを取り消しますか? 顧客はこのリンクを開けなくなります。",
    )
}

/// Confirm revoking.
pub fn revoke_yes(l: Lang) -> &'static str {
    pick(l, "Revoke link", "リンクを取り消す")
}

/// Cancel.
pub fn cancel(l: Lang) -> &'static str {
    pick(l, "Cancel", "キャンセル")
}

/// No links.
pub fn no_links(l: Lang) -> &'static str {
    pick(l, "No links yet.", "リンクはまだありません。")
}

/// Loading the list.
pub fn links_loading(l: Lang) -> &'static str {
    pick(l, "Loading links…", "リンクを読み込んでいます…")
}
