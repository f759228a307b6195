//! Discovery for every customer whose admin access is active: reads each tenant through Microsoft
//! Graph (a few at a time, waiting as Graph asks when it throttles), keeps what was read in the
//! customer's record, and reports per customer what was found or why it failed. A run that stopped
//! resumes where it stopped; nothing already read today is read again.
use std::collections::HashMap;

use cutover_plan::Date;
use cutover_plan::gdap::active_tenants;
use cutover_plan::partner_center::Customer;
use cutover_plan::record::{CustomerKey, MigrationRecord};
use cutover_plan::tenant::{TenantSnapshot, propose_originals, summarize};
use cutover_plan::wire::{ApiError, Versioned};
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, SaveError, UserAction};
use crate::components::error_banner::ErrorBanner;
use crate::i18n::{discover as t, use_lang};
use crate::pages::portfolio::use_portfolio;

/// Tenants read at the same time.
const PARALLEL: usize = 4;
/// Waits for Graph's throttling on one tenant before reporting it as failed.
const MAX_WAITS: u32 = 5;
/// The longest single wait, in seconds.
const MAX_WAIT_SECS: u64 = 60;

/// What happened for one customer.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Found { proposed: usize, differ: usize },
    AlreadyRead,
    Failed(String),
}

#[derive(Debug, Clone, PartialEq)]
struct Row {
    tenant: String,
    name: String,
    outcome: Outcome,
}

/// Reads one tenant and keeps the reading in its record (creating one for a customer without).
async fn discover_one(
    action: &UserAction,
    customer: &Customer,
    stored: Option<Versioned<MigrationRecord>>,
    today: Date,
) -> Result<(Versioned<MigrationRecord>, usize, usize), ApiError> {
    let mut waits = 0;
    let read = loop {
        match api::graph::read_tenant(action, &customer.id).await {
            Ok(r) => break r,
            Err(e) if e.retryable && e.retry_after.is_some() && waits < MAX_WAITS => {
                waits += 1;
                let secs = e.retry_after.unwrap_or(1).clamp(1, MAX_WAIT_SECS);
                TimeoutFuture::new((secs * 1000) as u32).await;
            }
            Err(e) => return Err(e),
        }
    };
    let csp: Vec<String> = api::subscriptions(action, &customer.id)
        .await
        .map(|c| c.items.into_iter().map(|s| s.id).collect())
        .unwrap_or_default();
    let proposals = propose_originals(&read.subscriptions, &csp, today);
    let snapshot = TenantSnapshot {
        read_on: today,
        subscriptions: read.subscriptions,
    };
    let (key, base, mut doc) = match stored {
        Some(v) => (v.key.clone(), Some(v.version), v.doc),
        None => {
            let mut r = MigrationRecord::prospect(&customer.company_name, &customer.domain);
            r.key = CustomerKey::PcCustomerId(customer.id.clone());
            (customer.id.clone(), None, r)
        }
    };
    let summary = summarize(&proposals, &doc.originals);
    doc.tenant = Some(snapshot.clone());
    match api::save_record(&key, base, &doc).await {
        Ok(v) => Ok((v, summary.proposed, summary.differ)),
        // Someone saved this customer meanwhile: put the reading on what is stored now.
        Err(SaveError::Conflict(current)) => {
            let mut doc = current.doc.clone();
            let summary = summarize(&proposals, &doc.originals);
            doc.tenant = Some(snapshot);
            match api::save_record(&current.key, Some(current.version), &doc).await {
                Ok(v) => Ok((v, summary.proposed, summary.differ)),
                Err(SaveError::Conflict(_)) => Err(ApiError::new(
                    "conflict",
                    "Someone kept changing this customer; open it and read the tenant there.",
                    false,
                )),
                Err(SaveError::Failed(e)) => Err(e),
            }
        }
        Err(SaveError::Failed(e)) => Err(e),
    }
}

/// The bulk discovery card.
#[component]
pub fn BulkDiscovery() -> impl IntoView {
    let lang = use_lang();
    let portfolio = use_portfolio();
    portfolio.ensure_customers();
    portfolio.ensure_records();
    let rows = RwSignal::new(Vec::<Row>::new());
    let total = RwSignal::new(None::<usize>);
    let running = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let run = move |_| {
        if running.get_untracked() {
            return;
        }
        running.set(true);
        error.set(None);
        spawn_local(async move {
            let action = UserAction::new();
            let today = crate::i18n::dates::today();
            let relationships = match api::graph::all_admin_relationships(&action).await {
                Ok(r) => r,
                Err(e) => {
                    error.set(Some(e));
                    running.set(false);
                    return;
                }
            };
            let active = active_tenants(&relationships, today);
            let customers: HashMap<String, Customer> = portfolio.customers.with_untracked(|all| {
                all.iter()
                    .map(|c| (c.id.to_ascii_lowercase(), c.clone()))
                    .collect()
            });
            let todo: Vec<Customer> = active
                .iter()
                .filter_map(|t| customers.get(t).cloned())
                .collect();
            total.set(Some(todo.len()));
            // Resume: what this run already did (or read today) is not read again.
            let done: Vec<String> = rows.with_untracked(|r| {
                r.iter()
                    .filter(|r| !matches!(r.outcome, Outcome::Failed(_)))
                    .map(|r| r.tenant.clone())
                    .collect()
            });
            rows.update(|r| r.retain(|r| !matches!(r.outcome, Outcome::Failed(_))));
            let pending: Vec<Customer> = todo
                .into_iter()
                .filter(|c| !done.contains(&c.id.to_ascii_lowercase()))
                .collect();
            for chunk in pending.chunks(PARALLEL) {
                let work: Vec<_> = chunk
                    .iter()
                    .map(|c| {
                        let c = c.clone();
                        let action = action.clone();
                        let stored = portfolio.records.with_untracked(|all| {
                            all.iter()
                                .find(|r| {
                                    r.key.eq_ignore_ascii_case(&c.id)
                                        || r.doc.domain.eq_ignore_ascii_case(&c.domain)
                                })
                                .cloned()
                        });
                        async move {
                            let read_today = stored
                                .as_ref()
                                .and_then(|v| v.doc.tenant.as_ref())
                                .is_some_and(|t| t.read_on == today);
                            let outcome = if read_today {
                                (Outcome::AlreadyRead, None)
                            } else {
                                match discover_one(&action, &c, stored, today).await {
                                    Ok((saved, proposed, differ)) => {
                                        (Outcome::Found { proposed, differ }, Some(saved))
                                    }
                                    Err(e) => (Outcome::Failed(e.message), None),
                                }
                            };
                            (c, outcome)
                        }
                    })
                    .collect();
                for (c, (outcome, saved)) in futures::future::join_all(work).await {
                    if let Some(v) = saved {
                        let old = v.key.clone();
                        portfolio.upsert_record(&old, v);
                    }
                    rows.update(|r| {
                        r.push(Row {
                            tenant: c.id.to_ascii_lowercase(),
                            name: c.company_name.clone(),
                            outcome,
                        })
                    });
                }
            }
            running.set(false);
        });
    };
    let done_count = move || rows.with(Vec::len);
    let failed = move || {
        rows.with(|r| {
            r.iter()
                .filter(|r| matches!(r.outcome, Outcome::Failed(_)))
                .count()
        })
    };
    view! {
        <section class="card" aria-labelledby="bulk-title" data-testid="bulk-discovery">
            <h2 id="bulk-title">{move || t::title(lang.get())}</h2>
            <p>{move || t::help(lang.get())}</p>
            <div class="actions">
                <button type="button" class="button" data-testid="bulk-discover" disabled=move || running.get()
                    on:click=run>
                    {move || if failed() > 0 { t::resume(lang.get()) } else { t::start(lang.get()) }}
                </button>
            </div>
            {move || error.get().map(|e| view! { <ErrorBanner error=e /> })}
            {move || total.get().map(|n| view! {
                <p role="status" aria-live="polite" data-testid="bulk-progress">
                    {t::progress(lang.get(), done_count(), n, failed())}
                </p>
                <progress max=n.max(1).to_string() value=done_count().to_string()
                    aria-label=move || t::title(lang.get())></progress>
            })}
            {move || (!rows.with(Vec::is_empty)).then(|| {
                let l = lang.get();
                view! {
                    <div class="table-wrap" tabindex="0" role="group" aria-labelledby="bulk-title"><table class="table compact">
                        <thead><tr>
                            <th scope="col">{t::col_customer(l)}</th>
                            <th scope="col">{t::col_result(l)}</th>
                        </tr></thead>
                        <tbody>
                            {rows.get().into_iter().map(|r| {
                                let (kind, text) = match &r.outcome {
                                    Outcome::Found { proposed, differ } => ("found", t::found(l, *proposed, *differ)),
                                    Outcome::AlreadyRead => ("already", t::already(l).to_owned()),
                                    Outcome::Failed(why) => ("failed", t::failed(l, why)),
                                };
                                view! {
                                    <tr data-testid="bulk-row" data-result=kind>
                                        <td><a href=format!("/customers/{}", r.tenant)>{r.name.clone()}</a></td>
                                        <td>{text}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }
            })}
        </section>
    }
}
