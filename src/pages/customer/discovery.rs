//! The originals from the customer's tenant: once admin access is active, Cutover reads every
//! subscription in the tenant (Microsoft Graph), proposes those that are not this partner's CSP
//! subscriptions, and shows them as a diff against the plan; the partner accepts what is right.
use cutover_plan::tenant::{
    Drift, DriftKind, OriginalDiff, OriginalField, TenantSnapshot, accept_discovery,
    diff_originals, propose_originals,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::Page;
use crate::api::{self, UserAction};
use crate::components::error_banner::ErrorBanner;
use crate::i18n::customer as t;
use crate::i18n::{Lang, dates, use_lang};

/// One difference between the record and the tenant, as a sentence.
#[must_use]
pub fn drift_text(l: Lang, d: &Drift) -> String {
    match &d.kind {
        DriftKind::EndDate { recorded, tenant } => t::drift_end(
            l,
            &d.offer_name,
            &dates::date(l, *recorded),
            &tenant
                .map(|x| dates::date(l, x))
                .unwrap_or_else(|| "—".into()),
        ),
        DriftKind::Seats { recorded, tenant } => {
            t::drift_seats(l, &d.offer_name, *recorded, *tenant)
        }
        DriftKind::Gone => t::drift_gone(l, &d.offer_name),
    }
}

fn field_name(l: Lang, f: OriginalField) -> &'static str {
    match f {
        OriginalField::OfferName => t::col_offer(l),
        OriginalField::Seats => t::col_seats(l),
        OriginalField::EndDate => t::col_end(l),
        OriginalField::TenantSubscriptionId => t::tenant_link(l),
    }
}

/// What was read, with the diff and the partner's choices.
#[derive(Clone, Debug, PartialEq)]
struct Reading {
    snapshot: TenantSnapshot,
    diffs: Vec<(OriginalDiff, RwSignal<bool>)>,
    problems: usize,
}

/// The discovery panel.
#[component]
pub fn DiscoveryView(page: Page) -> impl IntoView {
    let lang = use_lang();
    let active = move || {
        page.status.with(|s| {
            s.as_ref()
                .is_some_and(|s| s.checklist.admin_access.state.is_active())
        })
    };
    let reading = RwSignal::new(None::<Reading>);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None);
    let accepted = RwSignal::new(None::<cutover_plan::tenant::Accepted>);
    let read = move |_| {
        if busy.get_untracked() {
            return;
        }
        let id = page.id.get_untracked();
        busy.set(true);
        error.set(None);
        accepted.set(None);
        spawn_local(async move {
            let result = api::graph::read_tenant(&UserAction::new(), &id).await;
            busy.set(false);
            if page.id.get_untracked() != id {
                return;
            }
            match result {
                Ok(read) => {
                    let today = page.today;
                    let csp: Vec<String> = page
                        .subscriptions
                        .with_untracked(|c| c.items.iter().map(|s| s.id.clone()).collect());
                    let proposals = propose_originals(&read.subscriptions, &csp, today);
                    let stored = page.draft.with_untracked(|d| {
                        d.as_ref().map(|r| r.originals.clone()).unwrap_or_default()
                    });
                    let diffs = diff_originals(&proposals, &stored)
                        .into_iter()
                        .map(|d| {
                            // New and changed are proposed; removing a gone one needs a choice.
                            let on = matches!(
                                d,
                                OriginalDiff::New { .. } | OriginalDiff::Changed { .. }
                            );
                            (d, RwSignal::new(on))
                        })
                        .collect();
                    reading.set(Some(Reading {
                        snapshot: TenantSnapshot {
                            read_on: today,
                            subscriptions: read.subscriptions,
                        },
                        diffs,
                        problems: read.problems.len(),
                    }));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let accept = move |_| {
        let Some(r) = reading.get_untracked() else {
            return;
        };
        let chosen: Vec<OriginalDiff> = r
            .diffs
            .iter()
            .filter(|(_, on)| on.get_untracked())
            .map(|(d, _)| d.clone())
            .collect();
        let mut outcome = None;
        page.commit(|rec| {
            outcome = Some(accept_discovery(rec, &chosen, r.snapshot.clone()));
        });
        page.editor_gen.update(|g| *g += 1);
        accepted.set(outcome);
        reading.set(None);
    };
    let row = move |(d, on): (OriginalDiff, RwSignal<bool>)| {
        let l = lang.get();
        let ja = l == Lang::Ja;
        let name = |p: &cutover_plan::tenant::Proposal| {
            if ja {
                p.product_name_ja.clone()
            } else {
                p.product_name_en.clone()
            }
        };
        let (kind, what, detail, choosable): (&str, String, String, bool) = match &d {
            OriginalDiff::New { proposal } => (
                "new",
                name(proposal),
                match proposal.end_date {
                    Some(end) => t::discovered_line(l, proposal.seats, &dates::date(l, end)),
                    None => t::discovered_no_end(l, proposal.seats),
                },
                proposal.end_date.is_some(),
            ),
            OriginalDiff::Changed {
                proposal, changes, ..
            } => (
                "changed",
                name(proposal),
                changes
                    .iter()
                    .map(|c| format!("{}: {} → {}", field_name(l, c.field), c.old, c.new))
                    .collect::<Vec<_>>()
                    .join("; "),
                true,
            ),
            OriginalDiff::Unchanged { .. } => ("unchanged", String::new(), String::new(), false),
            OriginalDiff::Gone { offer_name, .. } => (
                "gone",
                offer_name.clone(),
                t::discovered_gone(l).to_owned(),
                true,
            ),
        };
        (kind != "unchanged").then(|| {
            let label = format!("{} {}", t::accept_line(l), what);
            view! {
                <tr data-testid="discovered" data-kind=kind>
                    <td>
                        {choosable.then(|| view! {
                            <input type="checkbox" aria-label=label prop:checked=on
                                on:change=move |ev| on.set(event_target_checked(&ev)) />
                        })}
                    </td>
                    <td>{t::diff_kind(l, kind)}</td>
                    <td>{what}</td>
                    <td>{detail}</td>
                </tr>
            }
        })
    };
    view! {
        <Show when=active>
            <section class="card" aria-labelledby="discovery-title" data-testid="discovery">
                <h2 id="discovery-title">{move || t::discovery_title(lang.get())}</h2>
                <p class="muted">{move || t::discovery_help(lang.get())}</p>
                <div class="actions">
                    <button type="button" class="button secondary" data-testid="read-tenant"
                        disabled=move || busy.get() on:click=read>
                        {move || if busy.get() { t::reading_tenant(lang.get()) } else { t::read_tenant(lang.get()) }}
                    </button>
                </div>
                {move || error.get().map(|e| view! { <ErrorBanner error=e /> })}
                {move || accepted.get().map(|a| view! {
                    <p class="banner banner-ok" role="status" data-testid="discovery-accepted">
                        {t::discovery_done(lang.get(), a.added, a.changed, a.removed, a.without_end_date)}
                    </p>
                })}
                {move || reading.get().map(|r| {
                    let l = lang.get();
                    let unchanged = r.diffs.iter().filter(|(d, _)| matches!(d, OriginalDiff::Unchanged { .. })).count();
                    let rows: Vec<_> = r.diffs.clone().into_iter().filter_map(row).collect();
                    let nothing = rows.is_empty();
                    view! {
                        <p data-testid="discovery-summary">{t::discovery_summary(l, r.snapshot.subscriptions.len(), rows.len(), unchanged)}</p>
                        {(r.problems > 0).then(|| view! { <p class="banner banner-warning" role="status">{t::discovery_unreadable(l, r.problems)}</p> })}
                        {(!nothing).then(|| view! {
                            <div class="table-wrap" tabindex="0" role="group" aria-labelledby="discovery-title"><table class="table">
                                <thead><tr>
                                    <th scope="col">{t::col_accept(l)}</th>
                                    <th scope="col">{t::col_change(l)}</th>
                                    <th scope="col">{t::col_offer(l)}</th>
                                    <th scope="col">{t::col_detail(l)}</th>
                                </tr></thead>
                                <tbody>{rows}</tbody>
                            </table></div>
                        })}
                        <div class="actions">
                            <button type="button" class="button" data-testid="accept-discovery" on:click=accept>
                                {if nothing { t::keep_reading(l) } else { t::accept_discovery(l) }}
                            </button>
                        </div>
                    }
                })}
            </section>
        </Show>
    }
}
