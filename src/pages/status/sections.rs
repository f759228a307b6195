//! The parts of a loaded status page, as plain functions of the derived status and the language.
use cutover_plan::Date;
use cutover_plan::checklist::{
    ContinuityState, OriginalState, ProvisionState, RelationshipState, StepStatus,
};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use super::format;
use super::model::{CustomerStatus, Milestone, MilestoneKind, SubscriptionStatus, Todo};
use crate::i18n::{Lang, status as t};

/// The whole loaded page.
pub fn page(s: &CustomerStatus, l: Lang, feed: Option<&str>) -> AnyView {
    let (zone_id, zone_name) = format::time_zone(l);
    let unavailable = s.facts_unavailable.then(|| {
        view! { <p class="banner banner-warning" role="note">{t::facts_unavailable(l)}</p> }
    });
    view! {
        <header class="status-header">
            <p class="status-partner" data-testid="partner-name">{s.partner_name.clone()}</p>
            <h1 data-testid="customer-name">{s.customer_name.clone()}</h1>
            <p class="status-lede">{t::moving_to_csp(l, &s.partner_name)}</p>
            <p class="status-meta muted">
                {t::as_of(l, &format::instant_text(&s.as_of, l))} " "
                <span data-testid="time-zone">{t::zone_note(l, &zone_name, &zone_id)}</span>
            </p>
            {unavailable}
        </header>
        {todo_section(s, l)}
        {steps_section(s, l)}
        {subscriptions_section(s, l)}
        {timeline_section(s, l)}
        {keep_section(s, l, feed)}
        <footer class="status-footer muted">{t::footer(l, &s.partner_name)}</footer>
    }
    .into_any()
}

fn todo_section(s: &CustomerStatus, l: Lang) -> impl IntoView {
    let d = |date: Date| format::date(date, l);
    let partner = s.partner_name.as_str();
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
                            {t::renews_at(l, &format::renewal_instant(*end_date, l))}
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

fn steps_section(s: &CustomerStatus, l: Lang) -> impl IntoView {
    let d = |date: Date| format::date(date, l);
    let steps = s.steps();
    let open_subs = || {
        s.subscriptions
            .iter()
            .filter(|x| x.provision != ProvisionState::Provisioned)
    };
    let details = [
        match s.checklist.relationship {
            RelationshipState::NotRequested => t::rel_not_requested(l).to_owned(),
            RelationshipState::InvitationSent { on } => t::rel_sent(l, &d(on)),
            RelationshipState::Accepted => t::rel_accepted(l, &s.partner_name),
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
    let d = |date: Date| format::date(date, l);
    [
        match x.provision {
            ProvisionState::Pending => t::provision_pending(l, &d(x.provision_on)),
            ProvisionState::PartiallyProvisioned {
                provisioned,
                required,
            } => t::provision_partial(l, provisioned, required, &d(x.provision_on)),
            ProvisionState::Provisioned => t::provision_done(l).to_owned(),
        },
        match x.original {
            OriginalState::AutoRenewToSwitchOff => {
                t::original_auto_renew(l, x.auto_renew_off_by.map(d).as_deref())
            }
            OriginalState::WaitingForExpiry => {
                t::original_waiting(l, &format::renewal_instant(x.end_date, l))
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

fn subscriptions_section(s: &CustomerStatus, l: Lang) -> impl IntoView {
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
                            {t::seats(l, x.seats)} " · " {t::ends_on(l, &format::date(x.end_date, l))}
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

fn milestone_text(m: &Milestone, partner: &str, l: Lang) -> String {
    match &m.kind {
        MilestoneKind::InvitationSent => t::m_invitation_sent(l).to_owned(),
        MilestoneKind::InvitationPlanned => t::m_invitation_planned(l, partner),
        MilestoneKind::Provision { offer } => t::m_provision(l, partner, offer),
        MilestoneKind::AutoRenewSwitchedOff { offer } => t::m_auto_renew_off(l, offer),
        MilestoneKind::AutoRenewOffBy { offer } => t::m_auto_renew_off_by(l, offer),
        MilestoneKind::OriginalEnds { offer } => {
            t::m_original_ends(l, offer, &format::renewal_instant(m.date, l))
        }
        MilestoneKind::OriginalEnded { offer, how } => t::m_original_ended(l, offer, *how),
        MilestoneKind::ReassignBy { offer, to } => t::m_reassign_by(l, offer, to),
        MilestoneKind::Reassigned { offer } => t::m_reassigned(l, offer),
    }
}

fn milestone_list(list: &[Milestone], partner: &str, l: Lang, testid: &'static str) -> AnyView {
    if list.is_empty() {
        return view! { <p class="muted" data-testid=testid>{t::timeline_empty(l)}</p> }.into_any();
    }
    let items: Vec<AnyView> = list
        .iter()
        .map(|m| {
            view! {
                <li>
                    <time datetime=m.date.to_string()>{format::date(m.date, l)}</time>
                    <span>{milestone_text(m, partner, l)}</span>
                </li>
            }
            .into_any()
        })
        .collect();
    view! { <ol class="status-timeline" data-testid=testid>{items}</ol> }.into_any()
}

fn timeline_section(s: &CustomerStatus, l: Lang) -> impl IntoView {
    view! {
        <section class="status-card" aria-labelledby="status-timeline-h" data-testid="timeline">
            <h2 id="status-timeline-h">{t::timeline_heading(l)}</h2>
            <div class="timeline-parts">
                <div>
                    <h3>{t::timeline_upcoming(l)}</h3>
                    {milestone_list(&s.upcoming, &s.partner_name, l, "timeline-upcoming")}
                </div>
                <div>
                    <h3>{t::timeline_past(l)}</h3>
                    {milestone_list(&s.past, &s.partner_name, l, "timeline-past")}
                </div>
            </div>
        </section>
    }
}

fn keep_section(s: &CustomerStatus, l: Lang, feed: Option<&str>) -> impl IntoView {
    let calendar = match s.ics.clone() {
        Some(ics) => {
            let name = format!("{}-csp-migration.ics", file_stem(&s.domain));
            view! {
                <button
                    type="button"
                    class="button"
                    data-testid="download-ics"
                    on:click=move |_| {
                        let _ = download(&name, "text/calendar;charset=utf-8", &ics);
                    }
                >
                    {t::download_ics(l)}
                </button>
            }
            .into_any()
        }
        None => view! { <p class="muted">{t::no_ics(l)}</p> }.into_any(),
    };
    let feed = feed.map(|href| {
        view! {
            <p class="status-feed">
                <a href=href.to_owned() type="application/atom+xml" data-testid="feed-link">
                    {t::feed_link(l)}
                </a>
                <br />
                <small class="muted">{t::feed_hint(l)}</small>
            </p>
        }
    });
    view! {
        <section class="status-card status-keep" aria-labelledby="status-keep-h">
            <h2 id="status-keep-h">{t::keep_heading(l)}</h2>
            <div class="status-keep-actions">
                {calendar}
                <button
                    type="button"
                    class="button button-secondary"
                    on:click=move |_| {
                        let _ = window().print();
                    }
                >
                    {t::print(l)}
                </button>
            </div>
            {feed}
        </section>
    }
}

/// A file name from a domain: letters, digits, dots and dashes only.
fn file_stem(domain: &str) -> String {
    let stem: String = domain
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-')
        .collect();
    if stem.is_empty() {
        "status".to_owned()
    } else {
        stem
    }
}

/// Offers `text` as a file download.
fn download(name: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(text.as_bytes()).into());
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let a: web_sys::HtmlAnchorElement = document().create_element("a")?.dyn_into()?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // Revoking at once can cancel the download in some browsers.
    gloo_timers::callback::Timeout::new(60_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}
