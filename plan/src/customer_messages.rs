//! Sentences about a customer's move, in English and Japanese, for what Cutover sends outside the
//! browser: mails, calendar files and feeds. The status page in the browser words the same
//! things in `web/src/i18n/status.rs`; keep the two in step.
//!
//! Japanese follows Partner Center's own vocabulary: 再販業者 (reseller), 招待 (invitation),
//! サブスクリプション, ライセンス, 有効期限, プラン, プロビジョニング.

use crate::checklist::StepStatus;
use crate::customer_status::Todo;
use crate::date::Date;
use crate::lang::Lang;
use crate::notifications::{CustomerChange, RecordNews};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A calendar day as people write it: `31 March 2027`, `2027年3月31日`.
#[must_use]
pub fn date_text(l: Lang, d: Date) -> String {
    let (y, m, day) = d.ymd();
    match l {
        Lang::En => format!("{day} {} {y}", MONTHS[(m as usize).clamp(1, 12) - 1]),
        Lang::Ja => format!("{y}年{m}月{day}日"),
    }
}

/// When an original whose last day is `end` stops: 00:00 UTC the day after.
#[must_use]
pub fn renewal_text(l: Lang, end: Date) -> String {
    let next = date_text(l, end.add_days(1));
    match l {
        Lang::En => format!("00:00 UTC on {next}"),
        Lang::Ja => format!("{next} 0:00 (UTC)"),
    }
}

/// The name of step `i` (0-based).
#[must_use]
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
    l.pick(EN[i.min(3)], JA[i.min(3)])
}

/// A step's state in words.
#[must_use]
pub fn step_status(l: Lang, s: StepStatus) -> &'static str {
    match s {
        StepStatus::Done => l.pick("Done", "完了"),
        StepStatus::Open => l.pick("In progress", "進行中"),
        StepStatus::NotNeeded => l.pick("Not needed", "不要"),
    }
}

/// What the customer is asked to do, as one sentence with its date.
#[must_use]
pub fn todo_text(l: Lang, todo: &Todo, partner: &str) -> String {
    let on = |d: &Option<Date>| d.map(|d| date_text(l, d));
    match (l, todo) {
        (Lang::En, Todo::AcceptInvitation { by, .. }) => match on(by) {
            Some(d) => format!("Accept the reseller invitation from {partner} by {d}."),
            None => format!("Accept the reseller invitation from {partner}."),
        },
        (Lang::Ja, Todo::AcceptInvitation { by, .. }) => match on(by) {
            Some(d) => format!("{partner} からの再販業者の招待を {d} までに承諾してください。"),
            None => format!("{partner} からの再販業者の招待を承諾してください。"),
        },
        (Lang::En, Todo::ApproveAdminAccess { by, .. }) => format!(
            "Approve {partner}'s request for read-only admin access to your tenant by {}.",
            date_text(l, *by)
        ),
        (Lang::Ja, Todo::ApproveAdminAccess { by, .. }) => format!(
            "{partner} からのテナントへの閲覧用管理者アクセス (GDAP) の要求を {} までに承認してください。",
            date_text(l, *by)
        ),
        (Lang::En, Todo::SwitchOffAutoRenew { offer, by, .. }) => match on(by) {
            Some(d) => {
                format!("Switch off auto-renew on your current {offer} subscription by {d}.")
            }
            None => format!("Switch off auto-renew on your current {offer} subscription."),
        },
        (Lang::Ja, Todo::SwitchOffAutoRenew { offer, by, .. }) => match on(by) {
            Some(d) => format!(
                "現在の {offer} サブスクリプションの自動更新を {d} までにオフにしてください。"
            ),
            None => format!("現在の {offer} サブスクリプションの自動更新をオフにしてください。"),
        },
        (Lang::En, Todo::WaitForProvisioning { on: day }) => match on(day) {
            Some(d) => format!(
                "Nothing to do while {partner} provisions your new subscriptions in CSP (planned for {d})."
            ),
            None => {
                format!("Nothing to do while {partner} provisions your new subscriptions in CSP.")
            }
        },
        (Lang::Ja, Todo::WaitForProvisioning { on: day }) => match on(day) {
            Some(d) => format!(
                "{partner} が CSP で新しいサブスクリプションをプロビジョニングする間 ({d} 予定)、お客様の作業はありません。"
            ),
            None => format!(
                "{partner} が CSP で新しいサブスクリプションをプロビジョニングする間、お客様の作業はありません。"
            ),
        },
        (Lang::En, Todo::ReassignLicences { from, to, by }) => match on(by) {
            Some(d) => format!("Reassign your users' licences from {from} to {to} by {d}."),
            None => format!("Reassign your users' licences from {from} to {to}."),
        },
        (Lang::Ja, Todo::ReassignLicences { from, to, by }) => match on(by) {
            Some(d) => format!(
                "ユーザーのライセンスの割り当てを {from} から {to} に {d} までに変更してください。"
            ),
            None => {
                format!("ユーザーのライセンスの割り当てを {from} から {to} に変更してください。")
            }
        },
        (_, Todo::NoLicenceChanges) => l
            .pick(
                "No licence changes are needed: you keep the same offers.",
                "プランは変わらないため、ライセンスの割り当て変更は不要です。",
            )
            .to_owned(),
        (_, Todo::AllDone) => l
            .pick(
                "Nothing left to do: your move to CSP is complete.",
                "必要な作業はありません。CSP への移行は完了しています。",
            )
            .to_owned(),
        (Lang::En, Todo::NothingRecorded) => {
            format!("Nothing to do for now: {partner} has not added your subscriptions yet.")
        }
        (Lang::Ja, Todo::NothingRecorded) => format!(
            "現在お客様の作業はありません。{partner} がまだサブスクリプションを登録していません。"
        ),
    }
}

/// One change for the customer, as one sentence.
#[must_use]
pub fn change_text(l: Lang, change: &CustomerChange, partner: &str) -> String {
    match change {
        CustomerChange::Step { step, to, .. } => match l {
            Lang::En => format!(
                "Step {}, {}: now {}.",
                step + 1,
                step_title(l, *step),
                step_status(l, *to).to_lowercase()
            ),
            Lang::Ja => format!(
                "ステップ {} ({}) が「{}」になりました。",
                step + 1,
                step_title(l, *step),
                step_status(l, *to)
            ),
        },
        CustomerChange::TodoAdded(todo) => match todo {
            Todo::AllDone | Todo::NoLicenceChanges | Todo::WaitForProvisioning { .. } => {
                todo_text(l, todo, partner)
            }
            _ => match l {
                Lang::En => format!("New: {}", todo_text(l, todo, partner)),
                Lang::Ja => format!("新しい作業: {}", todo_text(l, todo, partner)),
            },
        },
        CustomerChange::TodoRemoved(todo) => match l {
            Lang::En => format!(
                "No longer needed: {}",
                todo_text(l, todo, partner).trim_end_matches('.')
            ),
            Lang::Ja => format!("不要になりました: {}", todo_text(l, todo, partner)),
        },
        CustomerChange::TodoMoved { todo, from } => {
            let before = from.map(|d| date_text(l, d));
            match (l, before) {
                (Lang::En, Some(b)) => {
                    format!("Date changed (was {b}): {}", todo_text(l, todo, partner))
                }
                (Lang::En, None) => format!("Date changed: {}", todo_text(l, todo, partner)),
                (Lang::Ja, Some(b)) => {
                    format!(
                        "日付が変わりました (変更前 {b}): {}",
                        todo_text(l, todo, partner)
                    )
                }
                (Lang::Ja, None) => format!("日付が変わりました: {}", todo_text(l, todo, partner)),
            }
        }
    }
}

/// A feed entry's title for one piece of news.
#[must_use]
pub fn news_text(l: Lang, news: &RecordNews) -> String {
    match (l, news) {
        (_, RecordNews::PlanCreated) => l
            .pick("Migration plan created", "移行プランを作成しました")
            .to_owned(),
        (_, RecordNews::RelationshipAccepted) => l
            .pick(
                "Reseller relationship accepted",
                "再販業者関係が承諾されました",
            )
            .to_owned(),
        (_, RecordNews::InvitationSent) => l
            .pick("Reseller invitation sent", "再販業者の招待を送信しました")
            .to_owned(),
        (Lang::En, RecordNews::AutoRenewSwitchedOff { offer }) => {
            format!("Auto-renew switched off: {offer}")
        }
        (Lang::Ja, RecordNews::AutoRenewSwitchedOff { offer }) => {
            format!("自動更新をオフにしました: {offer}")
        }
        (Lang::En, RecordNews::OriginalEnded { offer }) => {
            format!("Original subscription ended: {offer}")
        }
        (Lang::Ja, RecordNews::OriginalEnded { offer }) => {
            format!("元のサブスクリプションが終了しました: {offer}")
        }
        (Lang::En, RecordNews::LicencesReassigned { offer }) => {
            format!("Licences reassigned: {offer}")
        }
        (Lang::Ja, RecordNews::LicencesReassigned { offer }) => {
            format!("ライセンスの割り当てを変更しました: {offer}")
        }
        (_, RecordNews::PlanUpdated) => l
            .pick("Plan updated", "移行プランを更新しました")
            .to_owned(),
    }
}

/// The title of a customer's status (feeds, calendars): `Contoso: move to CSP`.
#[must_use]
pub fn status_title(l: Lang, customer: &str) -> String {
    match l {
        Lang::En => format!("{customer}: move to CSP"),
        Lang::Ja => format!("{customer}: CSP への移行"),
    }
}

/// Who sends the status (feeds, calendars).
#[must_use]
pub fn status_from(l: Lang, partner: &str) -> String {
    match l {
        Lang::En => format!("Migration status from {partner}"),
        Lang::Ja => format!("{partner} からの移行状況"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn dates_are_written_the_way_each_language_writes_them() {
        assert_eq!(date_text(Lang::En, d("2027-03-31")), "31 March 2027");
        assert_eq!(date_text(Lang::Ja, d("2027-03-31")), "2027年3月31日");
        assert_eq!(
            renewal_text(Lang::Ja, d("2027-03-31")),
            "2027年4月1日 0:00 (UTC)"
        );
    }

    #[test]
    fn to_dos_name_the_partner_the_offer_and_the_deadline_in_japanese() {
        let todo = Todo::SwitchOffAutoRenew {
            offer: "Office 365 E3".into(),
            by: Some(d("2027-03-26")),
            end_date: d("2027-03-31"),
            overdue: false,
        };
        assert_eq!(
            todo_text(Lang::Ja, &todo, "Contoso"),
            "現在の Office 365 E3 サブスクリプションの自動更新を 2027年3月26日 までにオフにしてください。"
        );
        let accept = Todo::AcceptInvitation {
            url: None,
            sent_on: None,
            by: Some(d("2027-03-24")),
        };
        assert!(
            todo_text(Lang::En, &accept, "Contoso CSP")
                .contains("from Contoso CSP by 24 March 2027")
        );
    }

    #[test]
    fn step_changes_are_worded_per_language() {
        let c = CustomerChange::Step {
            step: 2,
            from: StepStatus::Open,
            to: StepStatus::Done,
        };
        assert_eq!(
            change_text(Lang::En, &c, "P"),
            "Step 3, Original subscriptions run out: now done."
        );
        assert!(change_text(Lang::Ja, &c, "P").contains("「完了」"));
    }
}
