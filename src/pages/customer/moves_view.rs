//! Choosing the way onto CSP for each original (every path side by side, from cutover-plan's
//! `path_options`), and the moves that are not purchases: a partner-to-partner transfer requested
//! and followed, an EA channel transfer recorded as scheduled.
use cutover_plan::checklist::ProvisionState;
use cutover_plan::move_path::{MovePath, PathUnavailable};
use cutover_plan::path_choice::{CustomerDuty, PathOption, grace_suggestions, path_options};
use cutover_plan::transfers::TransferState;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::Page;
use crate::api::{self, UserAction};
use crate::components::error_banner::ErrorBanner;
use crate::i18n::customer as t;
use crate::i18n::{Lang, common, dates, use_lang};

fn unavailable_text(l: Lang, u: PathUnavailable) -> &'static str {
    match u {
        PathUnavailable::Channel => t::path_no_channel(l),
        PathUnavailable::Ended => t::path_ended(l),
        PathUnavailable::GraceOver => t::path_grace_over(l),
        PathUnavailable::TargetOfferDiffers => t::path_target_differs(l),
    }
}

fn duty_text(l: Lang, d: CustomerDuty) -> String {
    match d {
        CustomerDuty::AcceptInvitation => t::duty_accept(l).to_owned(),
        CustomerDuty::SwitchOffAutoRenew { by } => t::duty_auto_renew(l, &dates::date(l, by)),
        CustomerDuty::WaitForTransfer => t::duty_transfer(l).to_owned(),
    }
}

/// Sets the requested path of one original and saves at once (the checklist re-plans).
fn choose(page: Page, id: String, path: MovePath) {
    page.commit(move |r| {
        if let Some(o) = r.originals.iter_mut().find(|o| o.id == id) {
            o.path = path;
        }
    });
    page.editor_gen.update(|g| *g += 1);
}

/// Every way onto CSP for one original, side by side, with a button to choose one.
#[component]
pub fn PathChoice(page: Page, original_id: String) -> impl IntoView {
    let lang = use_lang();
    let id = StoredValue::new(original_id);
    let options = move || -> Vec<PathOption> {
        let rel = page
            .status
            .with(|s| s.as_ref().map(|s| s.checklist.relationship.relationship()));
        let planner = page.planner.get().0;
        page.draft.with(|d| match (d.as_ref(), rel) {
            (Some(r), Some(rel)) => {
                id.with_value(|id| path_options(r, id, rel, &planner, page.today))
            }
            _ => Vec::new(),
        })
    };
    view! {
        <details class="paths" data-testid="paths">
            <summary id="paths-title">{move || t::paths_title(lang.get())}</summary>
            <div class="table-wrap" tabindex="0" role="group" aria-labelledby="paths-title">
                <table class="table compact">
                    <thead><tr>
                        <th scope="col">{move || t::col_path(lang.get())}</th>
                        <th scope="col">{move || t::col_path_date(lang.get())}</th>
                        <th scope="col">{move || t::overlap(lang.get())}</th>
                        <th scope="col">{move || t::col_deadline(lang.get())}</th>
                        <th scope="col">{move || t::col_customer_must(lang.get())}</th>
                        <th scope="col"><span class="sr-only">{move || t::col_choose(lang.get())}</span></th>
                    </tr></thead>
                    <tbody>
                        {move || {
                            let l = lang.get();
                            options().into_iter().map(|o| {
                                let name = common::path_name(l, o.path);
                                let cost = match (o.dates.overlap_cost, page.draft.with(|d| d.as_ref().and_then(|r| r.originals.iter().find(|x| id.with_value(|id| &x.id == id)).and_then(|x| x.price.as_ref().map(|p| p.currency.clone()))))) {
                                    (Some(m), Some(c)) => dates::money(l, m, &c),
                                    _ => t::no_price(l).to_owned(),
                                };
                                let row_cells = match o.unavailable {
                                    Some(why) => view! {
                                        <td colspan="4" class="muted">{t::path_not_possible(l)} " " {unavailable_text(l, why)}</td>
                                    }.into_any(),
                                    None => view! {
                                        <td>{dates::date(l, o.dates.provision_on)}</td>
                                        <td>{t::overlap_days(l, o.dates.overlap_days)} " · " {cost}</td>
                                        <td>{common::action(l, o.deadline.0)} ": " <strong>{dates::date(l, o.deadline.1)}</strong></td>
                                        <td>{o.customer_must.iter().map(|d| duty_text(l, *d)).collect::<Vec<_>>().join("; ")}</td>
                                    }.into_any(),
                                };
                                let path = o.path;
                                let label = format!("{} {}", t::choose_path(l), name);
                                view! {
                                    <tr data-testid="path-option" data-path=path.code() data-chosen=o.chosen.to_string()>
                                        <th scope="row">{name}</th>
                                        {row_cells}
                                        <td>
                                            {if o.chosen {
                                                view! { <span class="badge badge-done">"✓ " {t::chosen(l)}</span> }.into_any()
                                            } else if o.unavailable.is_none() {
                                                view! {
                                                    <button type="button" class="button secondary small" aria-label=label
                                                        data-testid="choose-path"
                                                        on:click=move |_| choose(page, id.get_value(), path)>
                                                        {t::choose(l)}
                                                    </button>
                                                }.into_any()
                                            } else {
                                                ().into_any()
                                            }}
                                        </td>
                                    </tr>
                                }
                            }).collect_view()
                        }}
                    </tbody>
                </table>
            </div>
        </details>
    }
}

/// Suggests moving on `grace` when duplicating would pass the tenant's subscription limit.
#[component]
pub fn GraceSuggestion(page: Page) -> impl IntoView {
    let lang = use_lang();
    let suggested = move || {
        let planner = page.planner.get().0;
        page.status.with(|s| {
            page.draft.with(|d| match (d.as_ref(), s.as_ref()) {
                (Some(r), Some(s)) => grace_suggestions(r, &s.checklist, &planner, page.today),
                _ => Vec::new(),
            })
        })
    };
    let apply = move |_| {
        let ids = suggested();
        page.commit(move |r| {
            for o in r.originals.iter_mut().filter(|o| ids.contains(&o.id)) {
                o.path = MovePath::Grace;
            }
        });
        page.editor_gen.update(|g| *g += 1);
    };
    view! {
        {move || {
            let n = suggested().len();
            (n > 0).then(|| view! {
                <div class="banner banner-warning" role="status" data-testid="grace-suggestion">
                    <p>{t::grace_suggestion(lang.get(), n)}</p>
                    <button type="button" class="button secondary" on:click=apply>{t::use_grace(lang.get())}</button>
                </div>
            })
        }}
    }
}

/// The moves that are not purchases, for one original: request and follow a partner-to-partner
/// transfer, or record a scheduled EA channel transfer.
#[component]
pub fn MoveActions(page: Page, original_id: String) -> impl IntoView {
    let lang = use_lang();
    let id = StoredValue::new(original_id);
    let state = move || {
        page.status.with(|s| {
            s.as_ref().and_then(|s| {
                id.with_value(|id| s.checklist.original(id).map(|c| (c.plan.path, c.provision)))
            })
        })
    };
    let source = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None);
    let invalid = RwSignal::new(None::<&'static str>);
    let request = move |_| {
        if busy.get_untracked() {
            return;
        }
        let (src, mail) = (source.get_untracked(), email.get_untracked());
        let l = lang.get_untracked();
        if !cutover_plan::partner_center::is_guid(src.trim()) {
            invalid.set(Some(t::transfer_bad_source(l)));
            return;
        }
        if !mail.contains('@') {
            invalid.set(Some(t::transfer_bad_email(l)));
            return;
        }
        let Some(customer) = page.order_customer_id() else {
            return;
        };
        invalid.set(None);
        error.set(None);
        busy.set(true);
        let oid = id.get_value();
        spawn_local(async move {
            let result = api::request_transfer(&UserAction::new(), &customer, &src, &mail).await;
            busy.set(false);
            match result {
                Ok(pc) => {
                    let record = pc.to_record(vec![oid], page.today);
                    page.commit(move |r| r.transfers.push(record));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let record_schedule = move |_| {
        let oid = id.get_value();
        let today = page.today;
        page.commit(move |r| {
            if let Some(o) = r.originals.iter_mut().find(|o| o.id == oid) {
                o.confirmed.ea_transfer_scheduled_on = Some(today);
            }
        });
    };
    view! {
        {move || {
            let l = lang.get();
            match state() {
                Some((MovePath::CspTransfer, ProvisionState::Pending | ProvisionState::PartiallyProvisioned { .. })) => Some(view! {
                    <div class="move-actions" data-testid="transfer-form">
                        <p class="muted">{t::transfer_help(l)}</p>
                        <div class="actions">
                            <label class="field">
                                <span>{t::transfer_source(l)}</span>
                                <input data-testid="transfer-source" prop:value=source on:input=move |ev| source.set(event_target_value(&ev)) />
                            </label>
                            <label class="field">
                                <span>{t::transfer_email(l)}</span>
                                <input type="email" data-testid="transfer-email" prop:value=email on:input=move |ev| email.set(event_target_value(&ev)) />
                            </label>
                            <button type="button" class="button secondary" data-testid="request-transfer" disabled=move || busy.get() on:click=request>
                                {t::request_transfer(l)}
                            </button>
                        </div>
                        {move || invalid.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                        {move || error.get().map(|e| view! { <ErrorBanner error=e /> })}
                    </div>
                }.into_any()),
                Some((MovePath::EaTransfer, ProvisionState::Pending | ProvisionState::PartiallyProvisioned { .. })) => Some(view! {
                    <div class="move-actions">
                        <p class="muted">{t::ea_help(l)}</p>
                        <button type="button" class="button secondary" data-testid="record-ea-schedule" on:click=record_schedule>
                            {t::record_ea_schedule(l)}
                        </button>
                    </div>
                }.into_any()),
                _ => None,
            }
        }}
    }
}

/// Asks Partner Center about transfers still waiting and keeps their new status in the record.
pub fn follow_transfers(page: Page) {
    let Some(customer) = page.order_customer_id() else {
        return;
    };
    let today = page.today;
    let waiting: Vec<String> = page.stored.with_untracked(|s| {
        s.as_ref()
            .map(|v| {
                v.doc
                    .transfers
                    .iter()
                    .filter(|t| matches!(t.state(today), TransferState::Waiting { .. }))
                    .map(|t| t.id.clone())
                    .collect()
            })
            .unwrap_or_default()
    });
    if waiting.is_empty() {
        return;
    }
    spawn_local(async move {
        let action = UserAction::new();
        let mut updates = Vec::new();
        for tid in waiting {
            if let Ok(pc) = api::transfer(&action, &customer, &tid).await {
                updates.push(pc);
            }
        }
        let changed = page.stored.with_untracked(|s| {
            s.as_ref().is_some_and(|v| {
                updates.iter().any(|u| {
                    v.doc.transfers.iter().any(|t| {
                        t.id == u.id && (t.status != u.status || t.completed_on != u.completed_on)
                    })
                })
            })
        });
        if changed {
            page.commit(move |r| {
                for u in &updates {
                    if let Some(t) = r.transfers.iter_mut().find(|t| t.id == u.id) {
                        t.status = u.status.clone();
                        t.completed_on = u.completed_on.or(t.completed_on);
                        if let Some(e) = u.expires_on {
                            t.expires_on = e;
                        }
                    }
                }
            });
        }
    });
}
