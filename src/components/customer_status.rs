//! How a customer's move stands, rendered the same way on the partner's customer page and on the
//! customer's status page: the steps, what the customer must do, and each original subscription.
//! Both pages pass the same `CustomerStatus` from `cutover-plan`, so they cannot disagree.
use cutover_plan::Date;
use cutover_plan::checklist::{
    ContinuityState, OriginalState, ProvisionState, RelationshipState, StepStatus,
};
use cutover_plan::customer_status::{CustomerStatus, SubscriptionStatus, Todo};
use leptos::prelude::*;

use crate::i18n::{Lang, dates, status as t};

/// What the customer has to do, addressed to the customer.
pub fn todo_section(s: &CustomerStatus, partner: &str, l: Lang) -> impl IntoView + use<> {
    let d = |date: Date| dates::date(l, date);
    let items: Vec<AnyView> = s
        .todos
        .iter()
        .map(|todo| match todo {
            Todo::AcceptInvitation { url, sent_on, by } => {
                let link = url.clone().map(|href| {
                    view! {
                        <a class="button status-invite" href=href rel="noreferrer noopener" target="_blank">
                            {t::open_invitation(l)}
                        </a>
                    }
                });
                let sent = match (sent_on, url) {
                    (Some(on), _) => Some(t::invitation_sent_on(l, &d(*on))),
                    (None, None) => Some(t::invitation_coming(l, partner)),
                    (None, Some(_)) => None,
                };
                let before = by.map(|by| t::accept_before(l, &d(by)));
                view! {
                    <li class="todo todo-action" data-todo="accept-invitation">
                        <strong>{t::todo_accept(l, partner)}</strong>
                        <span class="todo-detail">{sent} " " {before}</span>
                        {link}
                    </li>
                }
                .into_any()
            }
            Todo::ApproveAdminAccess { url, by } => {
                let link = url.clone().map(|href| {
                    view! {
                        <a class="button status-invite" href=href rel="noreferrer noopener" target="_blank">
                            {t::open_access_request(l)}
                        </a>
                    }
                });
                view! {
                    <li class="todo todo-action" data-todo="approve-admin-access">
                        <strong>{t::todo_approve_access(l, partner)}</strong>
                        <span class="todo-detail">{t::approve_access_detail(l, &d(*by))}</span>
                        {link}
                    </li>
                }
                .into_any()
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
                view! {
                    <li class="todo todo-action" data-todo="auto-renew-off">
                        <strong>{main}</strong>
                        <span class="todo-detail">
                            {t::renews_at(l, &dates::renewal_instant(l, *end_date))}
                        </span>
                    </li>
                }
                .into_any()
            }
            Todo::WaitForProvisioning { on } => view! {
                <li class="todo todo-info" data-todo="wait">
                    {t::todo_wait(l, partner, on.map(d).as_deref())}
                </li>
            }
            .into_any(),
            Todo::ReassignLicences { from, to, by } => view! {
                <li class="todo todo-action" data-todo="reassign">
                    <strong>{t::todo_reassign(l, from, to, by.map(d).as_deref())}</strong>
                </li>
            }
            .into_any(),
            Todo::NoLicenceChanges => view! {
                <li class="todo todo-info" data-todo="no-licence-changes">
                    {t::todo_no_licence_changes(l)}
                </li>
            }
            .into_any(),
            Todo::AllDone => view! {
                <li class="todo todo-info" data-todo="all-done">{t::todo_all_done(l)}</li>
            }
            .into_any(),
            Todo::NothingRecorded => view! {
                <li class="todo todo-info" data-todo="nothing-recorded">
                    {t::todo_nothing_recorded(l, partner)}
                </li>
            }
            .into_any(),
        })
        .collect();
    view! {
        <section class="status-card status-todo" aria-labelledby="status-todo-h" data-testid="todo">
            <h2 id="status-todo-h">{t::todo_heading(l)}</h2>
            <ul class="todo-list">{items}</ul>
        </section>
    }
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
pub fn steps_section(s: &CustomerStatus, partner: &str, l: Lang) -> impl IntoView + use<> {
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
    let items: Vec<AnyView> = details
        .into_iter()
        .enumerate()
        .map(|(i, detail)| {
            let st = steps[i];
            view! {
                <li class="status-step" data-state=step_code(st) data-testid=format!("step-{}", i + 1)>
                    <span class="step-badge" aria-hidden="true">{step_icon(st)}</span>
                    <div class="step-body">
                        <h3>
                            <span class="step-number">{format!("{}. ", i + 1)}</span>
                            {t::step_title(l, i)}
                        </h3>
                        <p>
                            <strong class="step-state">{t::step_status(l, st)}</strong>
                            " · "
                            {detail}
                        </p>
                    </div>
                </li>
            }
            .into_any()
        })
        .collect();
    view! {
        <section class="status-card" aria-labelledby="status-steps-h" data-testid="checklist">
            <h2 id="status-steps-h">{t::steps_heading(l)}</h2>
            <ol class="status-steps">{items}</ol>
        </section>
    }
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

/// Each original subscription with its three step lines.
pub fn subscriptions_section(s: &CustomerStatus, l: Lang) -> impl IntoView + use<> {
    (!s.subscriptions.is_empty()).then(|| {
        let items: Vec<AnyView> = s
            .subscriptions
            .iter()
            .map(|x| {
                let lines: Vec<AnyView> = subscription_lines(x, l)
                    .into_iter()
                    .map(|line| view! { <li>{line}</li> }.into_any())
                    .collect();
                let target = x
                    .target
                    .as_ref()
                    .map(|to| view! { <p class="sub-target">{t::moves_to(l, to)}</p> });
                view! {
                    <li class="status-sub">
                        <h3>{x.offer.clone()}</h3>
                        <p class="muted">
                            {t::seats(l, x.seats)} " · " {t::ends_on(l, &dates::date(l, x.end_date))}
                        </p>
                        {target}
                        <ul class="sub-lines">{lines}</ul>
                    </li>
                }
                .into_any()
            })
            .collect();
        view! {
            <section
                class="status-card status-subs-card"
                aria-labelledby="status-subs-h"
                data-testid="subscriptions"
            >
                <h2 id="status-subs-h">{t::subscriptions_heading(l)}</h2>
                <ul class="status-subs">{items}</ul>
            </section>
        }
    })
}
