//! How a customer's move stands, rendered the same way on the partner's customer page and on the
//! customer's status page: the steps, what the customer must do, and each original subscription.
//! Both pages pass the same `CustomerStatus` from `cutover-plan`, so they cannot disagree, and
//! both show the same elements, built here with [`crate::dom`] (the partner page through
//! the `cutover` crate's `DomPart`).
use cutover_plan::Date;
use cutover_plan::checklist::{
    ContinuityState, OriginalState, ProvisionState, RelationshipState, StepStatus,
};
use cutover_plan::customer_status::{CustomerStatus, SubscriptionStatus, Todo};

use crate::dom::{El, text_el};
use crate::i18n::{Lang, dates, status as t};

/// What the customer has to do, addressed to the customer.
pub fn todo_section(s: &CustomerStatus, partner: &str, l: Lang) -> El {
    let d = |date: Date| dates::date(l, date);
    let action = |kind: &str, main: &str| {
        El::new("li")
            .class("todo todo-action")
            .attr("data-todo", kind)
            .child(text_el("strong", "", main))
    };
    let info = |kind: &str, text: &str| {
        El::new("li")
            .class("todo todo-info")
            .attr("data-todo", kind)
            .text(text)
    };
    let link = |href: &Option<String>, label: &str| {
        href.as_deref().map(|href| {
            text_el("a", "button status-invite", label)
                .attr("href", href)
                .attr("rel", "noreferrer noopener")
                .attr("target", "_blank")
        })
    };
    let items: Vec<El> = s
        .todos
        .iter()
        .map(|todo| match todo {
            Todo::AcceptInvitation { url, sent_on, by } => {
                let sent = match (sent_on, url) {
                    (Some(on), _) => t::invitation_sent_on(l, &d(*on)),
                    (None, None) => t::invitation_coming(l, partner),
                    (None, Some(_)) => String::new(),
                };
                let before = by.map(|by| t::accept_before(l, &d(by))).unwrap_or_default();
                action("accept-invitation", &t::todo_accept(l, partner))
                    .child(text_el("span", "todo-detail", &format!("{sent} {before}")))
                    .child_opt(link(url, t::open_invitation(l)))
            }
            Todo::ApproveAdminAccess { url, by } => {
                action("approve-admin-access", &t::todo_approve_access(l, partner))
                    .child(text_el(
                        "span",
                        "todo-detail",
                        &t::approve_access_detail(l, &d(*by)),
                    ))
                    .child_opt(link(url, t::open_access_request(l)))
            }
            Todo::SwitchOffAutoRenew {
                offer,
                by,
                end_date,
                overdue,
            } => {
                let when = by.map(d).unwrap_or_else(|| d(*end_date));
                let main = if *overdue {
                    t::todo_auto_renew_overdue(l, offer, &when)
                } else {
                    t::todo_auto_renew(l, offer, &when)
                };
                action("auto-renew-off", &main).child(text_el(
                    "span",
                    "todo-detail",
                    &t::renews_at(l, &dates::renewal_instant(l, *end_date)),
                ))
            }
            Todo::WaitForProvisioning { on } => {
                info("wait", &t::todo_wait(l, partner, on.map(d).as_deref()))
            }
            Todo::ReassignLicences { from, to, by } => action(
                "reassign",
                &t::todo_reassign(l, from, to, by.map(d).as_deref()),
            ),
            Todo::NoLicenceChanges => info("no-licence-changes", t::todo_no_licence_changes(l)),
            Todo::AllDone => info("all-done", t::todo_all_done(l)),
            Todo::NothingRecorded => {
                info("nothing-recorded", &t::todo_nothing_recorded(l, partner))
            }
        })
        .collect();
    card(
        "status-card status-todo",
        "status-todo-h",
        "todo",
        t::todo_heading(l),
    )
    .child(El::new("ul").class("todo-list").children(items))
}

/// A `<section>` card labelled by its `<h2>`.
pub fn card(class: &str, heading_id: &str, testid: &str, heading: &str) -> El {
    El::new("section")
        .class(class)
        .attr("aria-labelledby", heading_id)
        .testid(testid)
        .child(text_el("h2", "", heading).attr("id", heading_id))
}

fn step_code(s: StepStatus) -> &'static str {
    match s {
        StepStatus::Done => "done",
        StepStatus::Open => "open",
        StepStatus::NotNeeded => "not-needed",
    }
}

fn step_icon(s: StepStatus) -> &'static str {
    match s {
        StepStatus::Done => "✓",
        StepStatus::Open => "…",
        StepStatus::NotNeeded => "–",
    }
}

/// The four steps with their state and one line each.
pub fn steps_section(s: &CustomerStatus, partner: &str, l: Lang) -> El {
    let d = |date: Date| dates::date(l, date);
    let steps = s.steps();
    let open_subs = || {
        s.subscriptions.iter().filter(|x| {
            matches!(
                x.provision,
                ProvisionState::Pending | ProvisionState::PartiallyProvisioned { .. }
            )
        })
    };
    let details = [
        match s.checklist.relationship {
            RelationshipState::NotRequested => t::rel_not_requested(l).to_owned(),
            RelationshipState::InvitationSent { on } => t::rel_sent(l, &d(on)),
            RelationshipState::Accepted => t::rel_accepted(l, partner),
        },
        t::provision_summary(
            l,
            steps[1],
            open_subs().map(|x| x.provision_on).min().map(d).as_deref(),
        ),
        t::originals_summary(
            l,
            steps[2],
            s.subscriptions
                .iter()
                .filter(|x| !matches!(x.original, OriginalState::Ended { .. }))
                .map(|x| x.end_date)
                .max()
                .map(d)
                .as_deref(),
        ),
        t::continuity_summary(
            l,
            steps[3],
            s.subscriptions
                .iter()
                .filter(|x| x.continuity == ContinuityState::ReassignLicences)
                .filter_map(|x| x.reassign_by)
                .min()
                .map(d)
                .as_deref(),
        ),
    ];
    let items: Vec<El> = details
        .into_iter()
        .enumerate()
        .map(|(i, detail)| {
            let st = steps[i];
            let title = El::new("h3")
                .child(text_el("span", "step-number", &format!("{}. ", i + 1)))
                .text(t::step_title(l, i));
            let line = El::new("p")
                .child(text_el("strong", "step-state", t::step_status(l, st)))
                .text(" · ")
                .text(&detail);
            El::new("li")
                .class("status-step")
                .attr("data-state", step_code(st))
                .testid(&format!("step-{}", i + 1))
                .child(text_el("span", "step-badge", step_icon(st)).attr("aria-hidden", "true"))
                .child(El::new("div").class("step-body").child(title).child(line))
        })
        .collect();
    card(
        "status-card",
        "status-steps-h",
        "checklist",
        t::steps_heading(l),
    )
    .child(El::new("ol").class("status-steps").children(items))
}

fn subscription_lines(x: &SubscriptionStatus, l: Lang) -> [String; 3] {
    let d = |date: Date| dates::date(l, date);
    [
        match x.provision {
            ProvisionState::Pending => t::provision_pending(l, &d(x.provision_on)),
            ProvisionState::PartiallyProvisioned {
                provisioned,
                required,
            } => t::provision_partial(l, provisioned, required, &d(x.provision_on)),
            ProvisionState::Ordered { .. } => t::provision_ordered(l).to_owned(),
            ProvisionState::TransferRequested { expires_on } => {
                t::provision_transfer_waiting(l, &d(expires_on))
            }
            ProvisionState::Transferred => t::provision_transferred(l).to_owned(),
            ProvisionState::TransferScheduled { .. } => {
                t::provision_ea_scheduled(l, &d(x.provision_on))
            }
            ProvisionState::Provisioned => t::provision_done(l).to_owned(),
        },
        match x.original {
            OriginalState::AutoRenewToSwitchOff => {
                t::original_auto_renew(l, x.auto_renew_off_by.map(d).as_deref())
            }
            OriginalState::WaitingForExpiry => {
                t::original_waiting(l, &dates::renewal_instant(l, x.end_date))
            }
            OriginalState::Ended { how, .. } => t::original_ended(l, how).to_owned(),
        },
        match x.continuity {
            ContinuityState::NoActionNeeded => t::continuity_same(l).to_owned(),
            ContinuityState::ReassignLicences => {
                t::continuity_reassign(l, x.reassign_by.map(d).as_deref())
            }
            ContinuityState::Reassigned { .. } => t::continuity_done(l).to_owned(),
        },
    ]
}

/// Each original subscription with its three step lines (nothing when there are none).
pub fn subscriptions_section(s: &CustomerStatus, l: Lang) -> Option<El> {
    (!s.subscriptions.is_empty()).then(|| {
        let items: Vec<El> = s
            .subscriptions
            .iter()
            .map(|x| {
                let lines: Vec<El> = subscription_lines(x, l)
                    .iter()
                    .map(|line| text_el("li", "", line))
                    .collect();
                let meta = format!(
                    "{} · {}",
                    t::seats(l, x.seats),
                    t::ends_on(l, &dates::date(l, x.end_date))
                );
                El::new("li")
                    .class("status-sub")
                    .child(text_el("h3", "", &x.offer))
                    .child(text_el("p", "muted", &meta))
                    .child_opt(
                        x.target
                            .as_ref()
                            .map(|to| text_el("p", "sub-target", &t::moves_to(l, to))),
                    )
                    .child(El::new("ul").class("sub-lines").children(lines))
            })
            .collect();
        card(
            "status-card status-subs-card",
            "status-subs-h",
            "subscriptions",
            t::subscriptions_heading(l),
        )
        .child(El::new("ul").class("status-subs").children(items))
    })
}
