//! The four steps of one customer with states, suggested dates, reasons, costs and actions. Every
//! state, date and amount comes from the customer's `CustomerStatus` (cutover-plan); this file only
//! renders it and records what the partner confirms.
use cutover_plan::Date;
use cutover_plan::checklist::{ContinuityState, OriginalState, ProvisionState, RelationshipState};
use cutover_plan::costs::customer_totals;
use cutover_plan::customer_status::{CustomerStatus, SubscriptionStatus};
use cutover_plan::explain::Explanation;
use cutover_plan::planner::Stage;
use cutover_plan::record::{Ended, EndedHow, OriginalSubscription};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::Page;
use super::provision::ProvisionDialog;
use crate::api::{self, UserAction};
use crate::components::error_banner::ErrorBanner;
use crate::i18n::customer as t;
use crate::i18n::{Lang, common, dates, use_lang};

fn status_badge(l: Lang, s: cutover_plan::checklist::StepStatus) -> impl IntoView {
    use cutover_plan::checklist::StepStatus;
    let (class, mark, text) = match s {
        StepStatus::Done => ("badge badge-done", "✓ ", common::status_done(l)),
        StepStatus::Open => ("badge badge-open", "○ ", common::status_open(l)),
        StepStatus::NotNeeded => ("badge", "– ", common::status_not_needed(l)),
    };
    view! { <span class=class>{mark}{text}</span> }
}

/// A suggested date with its reason underneath.
fn dated(
    l: Lang,
    label: &'static str,
    date: Date,
    why: Option<String>,
    today: Date,
) -> impl IntoView {
    let overdue = date < today;
    view! {
        <div class="dated">
            <span class="dated-label">{label}</span>" "
            <strong class="date" class:overdue=overdue>{dates::date(l, date)}</strong>
            {overdue.then(|| view! { <span class="badge badge-warn">"⚠ " {common::overdue(l)}</span> })}
            {why.map(|w| view! { <p class="why">{t::why(l)} " " {w}</p> })}
        </div>
    }
}

/// What it costs to move this original, and what happens if nothing is done.
fn costs_and_lifecycle(l: Lang, s: &SubscriptionStatus) -> impl IntoView + use<> {
    let amount = |m: Option<cutover_plan::Money>| match (m, &s.currency) {
        (Some(m), Some(c)) => dates::money(l, m, c),
        _ => t::no_price(l).to_owned(),
    };
    let cancel = if s.stage == Stage::Active {
        amount(s.cancel_today_cost)
    } else {
        t::cancel_not_possible(l).to_owned()
    };
    view! {
        <dl class="facts" data-testid="original-costs">
            <div><dt>{t::overlap(l)}</dt>
                <dd data-testid="overlap">{t::overlap_days(l, s.overlap_days)} " · " {amount(s.overlap_cost)}</dd></div>
            <div><dt>{t::cancel_today(l)}</dt><dd data-testid="cancel-today">{cancel}</dd></div>
            <div><dt>{t::access_lost_on(l)}</dt><dd data-testid="access-lost">{dates::date(l, s.access_lost_on)}</dd></div>
            <div><dt>{t::data_deleted_on(l)}</dt><dd data-testid="data-deleted">{dates::date(l, s.data_deleted_on)}</dd></div>
        </dl>
    }
}

/// The customer's totals, per currency.
fn totals(l: Lang, status: &CustomerStatus) -> impl IntoView + use<> {
    let totals = customer_totals(&status.subscriptions);
    let rows: Vec<_> = totals
        .by_currency
        .iter()
        .map(|(currency, t)| {
            view! {
                <tr>
                    <th scope="row">{currency.clone()}</th>
                    <td>{dates::money(l, t.overlap, currency)}</td>
                    <td>{dates::money(l, t.cancel_today, currency)}</td>
                </tr>
            }
        })
        .collect();
    let unpriced = (totals.unpriced > 0).then(|| {
        view! { <p class="muted">{t::unpriced(l, totals.unpriced)}</p> }
    });
    view! {
        <div class="totals" data-testid="customer-totals">
            <h3>{t::totals_title(l)}</h3>
            {(!rows.is_empty()).then(|| view! {
                <table class="table compact">
                    <thead><tr>
                        <th scope="col">{t::col_currency(l)}</th>
                        <th scope="col">{t::overlap(l)}</th>
                        <th scope="col">{t::cancel_today(l)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            })}
            {unpriced}
        </div>
    }
}

/// The checklist section.
#[component]
pub fn ChecklistView(page: Page) -> impl IntoView {
    let lang = use_lang();
    let today = page.today;
    let explanations = Memo::new(move |_| {
        let planner = page.planner();
        let rel = page
            .status
            .with(|s| s.as_ref().map(|s| s.checklist.relationship.relationship()));
        page.draft.with(|d| match (d.as_ref(), rel) {
            (Some(r), Some(rel)) => r
                .plan_rows(rel)
                .iter()
                .map(|row| planner.explain(row, today))
                .collect::<Vec<Explanation>>(),
            _ => Vec::new(),
        })
    });
    let show_order = RwSignal::new(false);
    type Item = (
        OriginalSubscription,
        SubscriptionStatus,
        Option<Explanation>,
    );
    let items = move || -> Vec<Item> {
        let ex = explanations.get();
        page.status.with(|s| {
            page.draft.with(|d| {
                let (Some(r), Some(s)) = (d.as_ref(), s.as_ref()) else {
                    return Vec::new();
                };
                r.originals
                    .iter()
                    .zip(&s.subscriptions)
                    .enumerate()
                    .map(|(i, (o, sub))| (o.clone(), sub.clone(), ex.get(i).cloned()))
                    .collect()
            })
        })
    };
    let warnings_of = move |id: &str| {
        page.status.with(|s| {
            s.as_ref()
                .and_then(|s| s.checklist.original(id).map(|c| c.warnings()))
                .unwrap_or_default()
        })
    };
    let steps = move || page.status.with(|s| s.as_ref().map(|s| s.checklist.steps));
    let step_head = move |i: usize| {
        view! {
            <div class="step-head">
                <h3>{move || format!("{}. {}", i + 1, common::step_name(lang.get(), i))}</h3>
                {move || steps().map(|s| status_badge(lang.get(), s[i]))}
            </div>
        }
    };

    // Step 1 actions.
    let invite_url = RwSignal::new(None::<String>);
    let invite_error = RwSignal::new(None);
    let copied = RwSignal::new(false);
    let copy_link = move |_| {
        invite_error.set(None);
        spawn_local(async move {
            match api::invitation_url(&UserAction::new()).await {
                Ok(url) => {
                    copied.set(crate::components::download::copy_text(&url).await);
                    invite_url.set(Some(url));
                }
                Err(e) => invite_error.set(Some(e)),
            }
        });
    };
    let sent_on = RwSignal::new(today.to_string());
    let record_sent = move |_| {
        if let Ok(d) = Date::parse(&sent_on.get_untracked()) {
            page.commit(|r| r.invitation_sent_on = Some(d));
        }
    };
    let relationship = move || {
        page.status
            .with(|s| s.as_ref().map(|s| s.checklist.relationship))
    };
    let invite_by = move || {
        page.status
            .with(|s| s.as_ref().and_then(|s| s.checklist.invite_by))
    };
    let invite_why = move || {
        let by = invite_by()?;
        let l = lang.get();
        explanations.with(|ex| {
            ex.iter()
                .find(|e| e.invite_by.date == by)
                .map(|e| common::reason(l, &e.invite_by))
        })
    };
    let can_order = move || {
        page.is_reseller()
            && page.status.with(|s| {
                // Ordered but not all seats seen yet counts too: it can be ordered again, behind
                // a confirmation.
                s.as_ref().is_some_and(|s| {
                    s.checklist
                        .originals
                        .iter()
                        .any(|o| o.provision != ProvisionState::Provisioned)
                })
            })
    };

    let confirm = move |id: String, f: fn(&mut OriginalSubscription, Date)| {
        page.commit(move |r| {
            if let Some(o) = r.originals.iter_mut().find(|o| o.id == id) {
                f(o, today);
            }
        });
    };

    view! {
        <section class="card checklist" aria-labelledby="checklist-title" data-testid="partner-checklist">
            <h2 id="checklist-title">{move || t::checklist_title(lang.get())}</h2>
            <Show when=move || page.draft.with(|d| d.as_ref().is_some_and(|r| r.originals.is_empty()))>
                <p class="banner banner-warning">{move || t::no_originals(lang.get())}</p>
            </Show>
            {move || {
                let l = lang.get();
                let drift = page.status.with(|s| s.as_ref().map(|s| s.checklist.drift.clone()).unwrap_or_default());
                (!drift.is_empty()).then(|| view! {
                    <div class="banner banner-warning" role="status" data-testid="drift">
                        <p><strong>{t::drift_title(l)}</strong></p>
                        <ul>{drift.iter().map(|d| view! { <li>{super::discovery::drift_text(l, d)}</li> }).collect_view()}</ul>
                    </div>
                })
            }}
            <ol class="steps">
                <li class="step" data-testid="work-step-1">
                    {step_head(0)}
                    <p>{move || {
                        let l = lang.get();
                        match relationship() {
                            Some(RelationshipState::Accepted) => t::rel_accepted(l).to_owned(),
                            Some(RelationshipState::InvitationSent { on }) => t::rel_sent(l, &dates::date(l, on)),
                            _ => t::rel_not_requested(l).to_owned(),
                        }
                    }}</p>
                    {move || invite_by().map(|d| dated(lang.get(), t::invite_by(lang.get()), d, invite_why(), today))}
                    <Show when=move || relationship() != Some(RelationshipState::Accepted)>
                        <div class="actions">
                            <button type="button" class="button secondary" data-testid="copy-invite" on:click=copy_link>
                                {move || t::copy_invite(lang.get())}
                            </button>
                            <label class="field inline">
                                <span>{move || t::sent_on(lang.get())}</span>
                                <input type="date" prop:value=sent_on on:input=move |ev| sent_on.set(event_target_value(&ev)) />
                            </label>
                            <button type="button" class="button" data-testid="record-invite" on:click=record_sent>
                                {move || t::record_sent(lang.get())}
                            </button>
                        </div>
                        {move || invite_error.get().map(|e| view! { <ErrorBanner error=e /> })}
                        {move || invite_url.get().map(|u| view! {
                            <p class="muted">
                                {move || if copied.get() { t::copied(lang.get()) } else { t::copy_manually(lang.get()) }}
                                <input class="link-box" readonly prop:value=u aria-label=move || t::copy_invite(lang.get()) />
                            </p>
                        })}
                    </Show>
                    <super::admin_access::AdminAccessView page=page />
                </li>
                <li class="step" data-testid="work-step-2">
                    {step_head(1)}
                    <super::moves_view::GraceSuggestion page=page />
                    <ul class="originals">
                        {move || items().into_iter().map(|(o, s, ex)| {
                            let l = lang.get();
                            let state = match s.provision {
                                ProvisionState::Pending => t::prov_pending(l).to_owned(),
                                ProvisionState::Ordered { provisioned, required } => t::prov_ordered(l, provisioned, required),
                                ProvisionState::PartiallyProvisioned { provisioned, required } => t::prov_partial(l, provisioned, required),
                                ProvisionState::Provisioned => t::prov_done(l).to_owned(),
                                ProvisionState::TransferRequested { expires_on } => t::prov_transfer_waiting(l, &dates::date(l, expires_on), expires_on.days_since(today)),
                                ProvisionState::Transferred => t::prov_transferred(l).to_owned(),
                                ProvisionState::TransferScheduled { on } => t::prov_ea_scheduled(l, &dates::date(l, on), &dates::date(l, s.provision_on)),
                            };
                            let open = matches!(s.provision, ProvisionState::Pending | ProvisionState::PartiallyProvisioned { .. });
                            let target = o.target.as_ref().map(|t| t.offer_name.clone()).filter(|t| !t.trim().is_empty());
                            let warnings = warnings_of(&o.id);
                            view! {
                                <li class="original" data-testid="original">
                                    <p><strong>{o.offer_name.clone()}</strong>
                                        {target.map(|t| format!(" → {t}"))}
                                        {format!(" · {}", t::seats(l, o.seats))}
                                        " · " <span class="state" data-testid="provision-state">{state}</span></p>
                                    {open.then(|| dated(l, t::provision_on(l), s.provision_on, ex.as_ref().map(|e| common::reason(l, &e.provision_on)), today))}
                                    {costs_and_lifecycle(l, &s)}
                                    <super::moves_view::MoveActions page=page original_id=o.id.clone() />
                                    <super::moves_view::PathChoice page=page original_id=o.id.clone() />
                                    <ul class="warnings">
                                        {warnings.iter().map(|w| view! { <li class="warning">"⚠ " {common::warning(l, w)}</li> }).collect_view()}
                                    </ul>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    {move || page.status.with(|s| s.as_ref().map(|s| totals(lang.get(), s)))}
                    <Show when=can_order>
                        <div class="actions">
                            <button type="button" class="button" data-testid="provision" on:click=move |_| show_order.set(true)>
                                {move || t::provision_button(lang.get())}
                            </button>
                        </div>
                    </Show>
                    <Show when=move || !page.is_reseller()>
                        <p class="muted">{move || t::provision_after_accept(lang.get())}</p>
                    </Show>
                    <Show when=move || show_order.get()>
                        <ProvisionDialog page=page open=show_order />
                    </Show>
                </li>
                <li class="step" data-testid="work-step-3">
                    {step_head(2)}
                    <ul class="originals">
                        {move || items().into_iter().map(|(o, s, ex)| {
                            let l = lang.get();
                            let state = match s.original {
                                OriginalState::AutoRenewToSwitchOff => t::orig_switch_off(l).to_owned(),
                                OriginalState::WaitingForExpiry => t::orig_waiting(l).to_owned(),
                                OriginalState::Ended { how: EndedHow::Expired, confirmed } => t::orig_expired(l, confirmed),
                                OriginalState::Ended { how: EndedHow::Cancelled, .. } => t::orig_cancelled(l).to_owned(),
                            };
                            let (id1, id2, id3) = (o.id.clone(), o.id.clone(), o.id.clone());
                            let ended = matches!(s.original, OriginalState::Ended { confirmed: true, .. });
                            let switch_off = s.original == OriginalState::AutoRenewToSwitchOff;
                            view! {
                                <li class="original">
                                    <p><strong>{o.offer_name.clone()}</strong> " · " <span class="state">{state}</span></p>
                                    <p class="muted">{t::ends(l, &dates::date(l, o.end_date), &dates::renewal_instant(l, o.end_date))}</p>
                                    {s.auto_renew_off_by.filter(|_| switch_off).map(|d| dated(l, t::auto_renew_off_by(l), d, ex.as_ref().and_then(|e| e.auto_renew_off_by.as_ref()).map(|r| common::reason(l, r)), today))}
                                    <div class="actions">
                                        {switch_off.then(|| view! {
                                            <button type="button" class="button secondary" on:click=move |_| confirm(id1.clone(), |o, d| o.confirmed.auto_renew_off_on = Some(d))>
                                                {t::confirm_auto_renew_off(l)}
                                            </button>
                                        })}
                                        {(!ended).then(|| view! {
                                            <button type="button" class="button secondary" on:click=move |_| confirm(id2.clone(), |o, d| o.confirmed.ended = Some(Ended { on: d, how: EndedHow::Expired }))>
                                                {t::confirm_expired(l)}
                                            </button>
                                            <button type="button" class="button secondary" on:click=move |_| confirm(id3.clone(), |o, d| o.confirmed.ended = Some(Ended { on: d, how: EndedHow::Cancelled }))>
                                                {t::confirm_cancelled(l)}
                                            </button>
                                        })}
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </li>
                <li class="step" data-testid="work-step-4">
                    {step_head(3)}
                    <ul class="originals">
                        {move || items().into_iter().map(|(o, s, ex)| {
                            let l = lang.get();
                            let state = match s.continuity {
                                ContinuityState::NoActionNeeded => t::cont_same(l).to_owned(),
                                ContinuityState::ReassignLicences => t::cont_reassign(l).to_owned(),
                                ContinuityState::Reassigned { confirmed } => t::cont_done(l, confirmed),
                            };
                            let id = o.id.clone();
                            let open = s.continuity == ContinuityState::ReassignLicences;
                            view! {
                                <li class="original">
                                    <p><strong>{o.offer_name.clone()}</strong> " · " <span class="state">{state}</span></p>
                                    {s.reassign_by.filter(|_| open).map(|d| dated(l, t::reassign_by(l), d, ex.as_ref().and_then(|e| e.reassign_by.as_ref()).map(|r| common::reason(l, r)), today))}
                                    {open.then(|| view! {
                                        <div class="actions">
                                            <button type="button" class="button secondary" on:click=move |_| confirm(id.clone(), |o, d| o.confirmed.licences_reassigned_on = Some(d))>
                                                {t::confirm_reassigned(l)}
                                            </button>
                                        </div>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </li>
            </ol>
        </section>
    }
}
