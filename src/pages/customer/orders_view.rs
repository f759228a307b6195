//! Orders placed through Cutover: sending one (written into the record first), following each to
//! fulfilment with Partner Center, and the list of them on the customer page.
use cutover_plan::orders::{OrderPhase, PlacedOrder};
use cutover_plan::record::MigrationRecord;
use cutover_plan::wire::ApiError;
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::Page;
use crate::api::{self, OrderError, UserAction};
use crate::i18n::customer as t;
use crate::i18n::{Lang, dates, use_lang};

/// How often an open order is asked about, and for how long one page visit keeps asking.
const FOLLOW_UP_MS: u32 = 4_000;
const FOLLOW_UP_ROUNDS: u32 = 90;

/// Why an order was not confirmed by Partner Center.
#[derive(Debug, Clone, PartialEq)]
pub enum SendFailure {
    /// The intent could not be saved: nothing was sent (the page says why).
    NotSaved,
    /// Partner Center refused it: nothing was bought.
    Refused(ApiError),
    /// No answer: it may have been placed; sending again reuses the request id.
    Unknown(ApiError),
}

impl Page {
    /// The Partner Center customer an order is for: the id in the URL, or a prospect's customer
    /// once Partner Center lists it.
    pub(crate) fn order_customer_id(self) -> Option<String> {
        let id = self.id.get_untracked();
        if !super::is_domain(&id) {
            return Some(id);
        }
        self.pc_customer
            .with_untracked(|c| c.as_ref().map(|c| c.id.clone()))
    }

    /// Applies `change` to the order `request_id` in the stored record (and in the draft, so
    /// unsaved edits are kept) and saves the stored record with its version.
    async fn update_order(
        self,
        request_id: &str,
        change: impl Fn(&mut PlacedOrder),
    ) -> Result<(), ()> {
        let Some(stored) = self.stored.get_untracked() else {
            return Err(());
        };
        let apply = |r: &mut MigrationRecord| {
            if let Some(o) = r.orders.iter_mut().find(|o| o.request_id == request_id) {
                change(o);
            }
        };
        let mut doc = stored.doc.clone();
        apply(&mut doc);
        if doc == stored.doc {
            return Ok(());
        }
        self.draft.update(|d| {
            if let Some(r) = d {
                apply(r);
            }
        });
        self.save_doc(doc).await.map(|_| ())
    }
}

/// Sends an order. With `new`, the order is first added to the record and saved (if that fails,
/// nothing is sent); otherwise it is already there and is sent again with the same request id.
pub async fn send_order(
    page: Page,
    action: &UserAction,
    customer_id: &str,
    order: PlacedOrder,
    new: bool,
) -> Result<(), SendFailure> {
    if new {
        let Some(stored) = page.stored.get_untracked() else {
            return Err(SendFailure::NotSaved);
        };
        let mut doc = stored.doc.clone();
        doc.orders.push(order.clone());
        page.draft.update(|d| {
            if let Some(r) = d {
                r.orders.push(order.clone());
            }
        });
        if page.save_doc(doc).await.is_err() {
            page.draft.update(|d| {
                if let Some(r) = d {
                    r.orders.retain(|o| o.request_id != order.request_id);
                }
            });
            return Err(SendFailure::NotSaved);
        }
    }
    let rid = order.request_id.clone();
    match api::place_order(action, customer_id, &rid, &order.lines).await {
        Ok(answer) => {
            let _ = page
                .update_order(&rid, |o| o.apply_answer(&answer.id, &answer.status))
                .await;
            page.reload_pc();
            Ok(())
        }
        Err(OrderError::Refused(e)) => {
            let why = e.message.clone();
            let _ = page.update_order(&rid, |o| o.refuse(&why)).await;
            Err(SendFailure::Refused(e))
        }
        Err(OrderError::Unknown(e)) => Err(SendFailure::Unknown(e)),
    }
}

/// One line about an order: when, who, what, where it stands.
#[must_use]
pub fn order_summary(l: Lang, o: &PlacedOrder) -> String {
    let lines: Vec<String> = o
        .lines
        .iter()
        .map(|x| format!("{} × {}", x.offer_name, x.quantity))
        .collect();
    format!(
        "{} · {} · {} · {}",
        dates::instant_text(l, &o.created_at),
        lines.join(", "),
        phase_text(l, o.phase()),
        o.id.clone().unwrap_or_else(|| t::no_order_id(l).to_owned())
    )
}

fn phase_text(l: Lang, p: OrderPhase) -> &'static str {
    match p {
        OrderPhase::Sending => t::order_phase_sending(l),
        OrderPhase::Pending => t::order_phase_pending(l),
        OrderPhase::Completed => t::order_phase_completed(l),
        OrderPhase::Fulfilled => t::order_phase_fulfilled(l),
        OrderPhase::Failed => t::order_phase_failed(l),
        OrderPhase::Cancelled => t::order_phase_cancelled(l),
    }
}

/// Asks Partner Center about every open order that has an id, a bounded number of times;
/// `following` is cleared when it stops, so a later order starts it again.
fn follow_up(page: Page, following: StoredValue<bool>) {
    let id = page.id.get_untracked();
    spawn_local(async move {
        ask_until_settled(page, &id).await;
        following.set_value(false);
    });
}

async fn ask_until_settled(page: Page, id: &str) {
    {
        for _ in 0..FOLLOW_UP_ROUNDS {
            TimeoutFuture::new(FOLLOW_UP_MS).await;
            if page.id.get_untracked() != id {
                return;
            }
            let open: Vec<(String, String)> = page.stored.with_untracked(|s| {
                s.as_ref()
                    .map(|v| {
                        v.doc
                            .orders
                            .iter()
                            .filter(|o| o.needs_follow_up())
                            .filter_map(|o| Some((o.request_id.clone(), o.id.clone()?)))
                            .collect()
                    })
                    .unwrap_or_default()
            });
            if open.is_empty() {
                return;
            }
            let Some(customer_id) = page.order_customer_id() else {
                return;
            };
            let action = UserAction::new();
            for (rid, order_id) in open {
                let Ok(answer) = api::order(&action, &customer_id, &order_id).await else {
                    continue;
                };
                let fulfilled = answer.status == "completed"
                    && api::order_fulfilled(&action, &customer_id, &order_id)
                        .await
                        .unwrap_or(false);
                let _ = page
                    .update_order(&rid, |o| {
                        o.apply_answer(&answer.id, &answer.status);
                        o.fulfilled |= fulfilled;
                    })
                    .await;
                if fulfilled {
                    page.reload_pc();
                }
            }
        }
    }
}

/// The orders of this customer, newest first, each with its state and follow-up.
#[component]
pub fn OrdersView(page: Page) -> impl IntoView {
    let lang = use_lang();
    let orders = move || {
        page.draft.with(|d| {
            let mut v = d.as_ref().map(|r| r.orders.clone()).unwrap_or_default();
            v.reverse();
            v
        })
    };
    // Follow open orders while the page is open.
    let following = StoredValue::new(false);
    Effect::new(move |_| {
        let any_open = page.stored.with(|s| {
            s.as_ref().is_some_and(|v| {
                v.doc
                    .orders
                    .iter()
                    .any(|o| o.needs_follow_up() && o.id.is_some())
            })
        });
        if any_open && !following.get_value() {
            following.set_value(true);
            follow_up(page, following);
        }
    });
    let resend_error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let resend = move |order: PlacedOrder| {
        if busy.get_untracked() {
            return;
        }
        let Some(customer_id) = page.order_customer_id() else {
            return;
        };
        busy.set(true);
        resend_error.set(None);
        spawn_local(async move {
            let outcome = send_order(page, &UserAction::new(), &customer_id, order, false).await;
            busy.set(false);
            if let Err(SendFailure::Refused(e) | SendFailure::Unknown(e)) = outcome {
                resend_error.set(Some(e));
            }
        });
    };
    view! {
        <Show when=move || page.draft.with(|d| d.as_ref().is_some_and(|r| !r.orders.is_empty()))>
            <section class="card" aria-labelledby="orders-title" data-testid="orders">
                <h2 id="orders-title">{move || t::orders_title(lang.get())}</h2>
                {move || resend_error.get().map(|e| view! { <crate::components::error_banner::ErrorBanner error=e /> })}
                <div class="table-wrap" tabindex="0" role="group" aria-labelledby="orders-title">
                    <table class="table">
                        <thead><tr>
                            <th scope="col">{move || t::col_ordered_at(lang.get())}</th>
                            <th scope="col">{move || t::col_lines(lang.get())}</th>
                            <th scope="col">{move || t::col_status(lang.get())}</th>
                            <th scope="col">{move || t::col_order_id(lang.get())}</th>
                            <th scope="col">{move || t::col_placed_by(lang.get())}</th>
                        </tr></thead>
                        <tbody>
                            {move || orders().into_iter().map(|o| {
                                let l = lang.get();
                                let lines = o.lines.iter().map(|x| match x.custom_term_end {
                                    Some(end) => format!("{} × {} ({})", x.offer_name, x.quantity, t::ends_on(l, &dates::date(l, end))),
                                    None => format!("{} × {}", x.offer_name, x.quantity),
                                }).collect::<Vec<_>>().join(", ");
                                let phase = o.phase();
                                let reducible = o.seats_reducible_until().map(|d| t::reducible_until(l, &dates::date(l, d)));
                                let resend_button = (phase == OrderPhase::Sending).then(|| {
                                    let o = o.clone();
                                    view! {
                                        <button type="button" class="button secondary small" data-testid="resend-order"
                                            disabled=move || busy.get() on:click=move |_| resend(o.clone())>
                                            {t::resend_order(l)}
                                        </button>
                                    }
                                });
                                view! {
                                    <tr data-testid="order-row" data-phase=format!("{phase:?}").to_lowercase()>
                                        <td>{dates::instant_text(l, &o.created_at)}</td>
                                        <td>{lines}</td>
                                        <td>
                                            <span data-testid="order-status">{phase_text(l, phase)}</span>
                                            {o.error.clone().map(|e| view! { <br /><small class="field-error">{e}</small> })}
                                            {reducible.map(|r| view! { <br /><small class="muted">{r}</small> })}
                                            {resend_button}
                                        </td>
                                        <td><code data-testid="order-id">{o.id.clone().unwrap_or_else(|| t::no_order_id(l).to_owned())}</code></td>
                                        <td>{o.placed_by.clone()}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
        </Show>
    }
}
