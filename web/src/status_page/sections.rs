//! The parts of a loaded status page, as plain functions of the derived status and the language.
use cutover_plan::customer_status::{Milestone, MilestoneKind, StatusPageModel};

use super::mail;
use crate::components::customer_status::{
    card, steps_section, subscriptions_section, todo_section,
};
use crate::components::download::{download, safe_name};
use crate::dom::{El, text_el};
use crate::i18n::{Lang, dates, status as t};

/// The whole loaded page.
pub fn page(m: &StatusPageModel, l: Lang, feed: Option<&str>, mail: &mail::Form) -> Vec<El> {
    let s = &m.status;
    let partner = m.partner_name.as_str();
    let (zone_id, zone_name) = dates::time_zone(l);
    let meta = El::new("p")
        .class("status-meta muted")
        .text(&t::as_of(l, &dates::instant_text(l, &m.as_of)))
        .text(" ")
        .child(text_el("span", "", &t::zone_note(l, &zone_name, &zone_id)).testid("time-zone"));
    let unavailable = m.facts_unavailable.then(|| {
        text_el("p", "banner banner-warning", t::facts_unavailable(l)).attr("role", "note")
    });
    let header = El::new("header")
        .class("status-header")
        .child(text_el("p", "status-partner", partner).testid("partner-name"))
        .child(text_el("h1", "", &s.customer_name).testid("customer-name"))
        .child(text_el("p", "status-lede", &t::moving_to_csp(l, partner)))
        .child(meta)
        .child_opt(unavailable);
    let mut parts = vec![
        header,
        todo_section(s, partner, l),
        steps_section(s, partner, l),
    ];
    parts.extend(subscriptions_section(s, l));
    parts.push(timeline_section(m, l));
    parts.push(keep_section(m, l, feed));
    parts.extend(m.mail_enabled.then(|| mail.section(l)));
    parts.push(text_el(
        "footer",
        "status-footer muted",
        &t::footer(l, partner),
    ));
    parts
}

/// Offers the customer's calendar file in `l` as a download.
pub fn download_ics(m: &StatusPageModel, l: Lang) {
    if let Some(ics) = m.ics(l.into()) {
        let name = format!("{}-csp-migration.ics", safe_name(&m.status.domain));
        download(&name, "text/calendar", &ics);
    }
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

fn milestone_list(list: &[Milestone], partner: &str, l: Lang, testid: &str) -> El {
    if list.is_empty() {
        return text_el("p", "muted", t::timeline_empty(l)).testid(testid);
    }
    let items: Vec<El> = list
        .iter()
        .map(|m| {
            El::new("li")
                .child(
                    text_el("time", "", &dates::date(l, m.date))
                        .attr("datetime", &m.date.to_string()),
                )
                .child(text_el("span", "", &milestone_text(m, partner, l)))
        })
        .collect();
    El::new("ol")
        .class("status-timeline")
        .testid(testid)
        .children(items)
}

fn timeline_section(m: &StatusPageModel, l: Lang) -> El {
    let s = &m.status;
    let part = |heading: &str, list: &[Milestone], testid: &str| {
        El::new("div")
            .child(text_el("h3", "", heading))
            .child(milestone_list(list, &m.partner_name, l, testid))
    };
    card(
        "status-card",
        "status-timeline-h",
        "timeline",
        t::timeline_heading(l),
    )
    .child(
        El::new("div")
            .class("timeline-parts")
            .child(part(
                t::timeline_upcoming(l),
                &s.upcoming,
                "timeline-upcoming",
            ))
            .child(part(t::timeline_past(l), &s.past, "timeline-past")),
    )
}

fn keep_section(m: &StatusPageModel, l: Lang, feed: Option<&str>) -> El {
    // Whether there is anything to put in a calendar (the file itself is made on the click).
    let calendar = if m.has_calendar() {
        text_el("button", "button", t::download_ics(l))
            .attr("type", "button")
            .testid("download-ics")
            .attr("data-action", "download-ics")
    } else {
        text_el("p", "muted", t::no_ics(l))
    };
    let print = text_el("button", "button button-secondary", t::print(l))
        .attr("type", "button")
        .attr("data-action", "print");
    let feed = feed.map(|href| {
        El::new("p")
            .class("status-feed")
            .child(
                text_el("a", "", t::feed_link(l))
                    .attr("href", href)
                    .attr("type", "application/atom+xml")
                    .testid("feed-link"),
            )
            .child(El::new("br"))
            .child(text_el("small", "muted", t::feed_hint(l)))
    });
    El::new("section")
        .class("status-card status-keep")
        .attr("aria-labelledby", "status-keep-h")
        .child(text_el("h2", "", t::keep_heading(l)).attr("id", "status-keep-h"))
        .child(
            El::new("div")
                .class("status-keep-actions")
                .child(calendar)
                .child(print),
        )
        .child_opt(feed)
}
