//! The parts of a loaded status page, as plain functions of the derived status and the language.
use cutover_plan::customer_status::{Milestone, MilestoneKind, StatusPageModel};
use leptos::prelude::*;

use crate::components::customer_status::{steps_section, subscriptions_section, todo_section};
use crate::components::download::{download, safe_name};
use crate::i18n::{Lang, dates, status as t};

/// The whole loaded page.
pub fn page(m: &StatusPageModel, l: Lang, feed: Option<&str>) -> AnyView {
    let s = &m.status;
    let partner = m.partner_name.as_str();
    let (zone_id, zone_name) = dates::time_zone(l);
    let unavailable = m.facts_unavailable.then(|| {
        view! { <p class="banner banner-warning" role="note">{t::facts_unavailable(l)}</p> }
    });
    view! {
        <header class="status-header">
            <p class="status-partner" data-testid="partner-name">{partner.to_owned()}</p>
            <h1 data-testid="customer-name">{s.customer_name.clone()}</h1>
            <p class="status-lede">{t::moving_to_csp(l, partner)}</p>
            <p class="status-meta muted">
                {t::as_of(l, &dates::instant_text(l, &m.as_of))} " "
                <span data-testid="time-zone">{t::zone_note(l, &zone_name, &zone_id)}</span>
            </p>
            {unavailable}
        </header>
        {todo_section(s, partner, l)}
        {steps_section(s, partner, l)}
        {subscriptions_section(s, l)}
        {timeline_section(m, l)}
        {keep_section(m, l, feed)}
        <crate::components::mail_subscribe::MailSubscribe enabled=m.mail_enabled />
        <footer class="status-footer muted">{t::footer(l, partner)}</footer>
    }
    .into_any()
}

fn milestone_text(m: &Milestone, partner: &str, l: Lang) -> String {
    match &m.kind {
        MilestoneKind::InvitationSent => t::m_invitation_sent(l).to_owned(),
        MilestoneKind::InvitationPlanned => t::m_invitation_planned(l, partner),
        MilestoneKind::Provision { offer } => t::m_provision(l, partner, offer),
        MilestoneKind::AutoRenewSwitchedOff { offer } => t::m_auto_renew_off(l, offer),
        MilestoneKind::AutoRenewOffBy { offer } => t::m_auto_renew_off_by(l, offer),
        MilestoneKind::OriginalEnds { offer } => {
            t::m_original_ends(l, offer, &dates::renewal_instant(l, m.date))
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
                    <time datetime=m.date.to_string()>{dates::date(l, m.date)}</time>
                    <span>{milestone_text(m, partner, l)}</span>
                </li>
            }
            .into_any()
        })
        .collect();
    view! { <ol class="status-timeline" data-testid=testid>{items}</ol> }.into_any()
}

fn timeline_section(m: &StatusPageModel, l: Lang) -> impl IntoView {
    let s = &m.status;
    view! {
        <section class="status-card" aria-labelledby="status-timeline-h" data-testid="timeline">
            <h2 id="status-timeline-h">{t::timeline_heading(l)}</h2>
            <div class="timeline-parts">
                <div>
                    <h3>{t::timeline_upcoming(l)}</h3>
                    {milestone_list(&s.upcoming, &m.partner_name, l, "timeline-upcoming")}
                </div>
                <div>
                    <h3>{t::timeline_past(l)}</h3>
                    {milestone_list(&s.past, &m.partner_name, l, "timeline-past")}
                </div>
            </div>
        </section>
    }
}

fn keep_section(m: &StatusPageModel, l: Lang, feed: Option<&str>) -> impl IntoView {
    let calendar = match m.ics(l.into()) {
        Some(ics) => {
            let name = format!("{}-csp-migration.ics", safe_name(&m.status.domain));
            view! {
                <button
                    type="button"
                    class="button"
                    data-testid="download-ics"
                    on:click=move |_| {
                        download(&name, "text/calendar", &ics);
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
