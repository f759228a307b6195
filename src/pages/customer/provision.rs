//! Confirming and placing the Partner Center order for the CSP subscriptions still missing.
use cutover_plan::checklist::ProvisionState;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::Page;
use cutover_plan::offers::offer_id_for;
use crate::api::{self, OrderLine};
use crate::components::error_banner::ErrorBanner;
use crate::i18n::customer as t;
use crate::i18n::{common, use_lang};

/// One line of the proposed order, editable before confirming.
#[derive(Clone, Debug, PartialEq)]
struct Line {
    offer_name: String,
    offer_id: RwSignal<String>,
    quantity: RwSignal<String>,
}

/// A modal confirmation showing offer and seats; places the order on confirm.
#[component]
pub fn ProvisionDialog(page: Page, open: RwSignal<bool>) -> impl IntoView {
    let lang = use_lang();
    let lines: Vec<Line> = page.draft.with_untracked(|d| {
        let Some(r) = d else { return Vec::new() };
        let list = page.checklist.get_untracked();
        r.originals
            .iter()
            .zip(list.map(|c| c.originals).unwrap_or_default())
            .filter_map(|(o, c)| {
                let missing = match c.provision {
                    ProvisionState::Pending => o.seats,
                    ProvisionState::PartiallyProvisioned {
                        provisioned,
                        required,
                    } => required.saturating_sub(provisioned),
                    ProvisionState::Provisioned => return None,
                };
                let (id, name) = match &o.target {
                    Some(t) if !t.offer_name.trim().is_empty() => {
                        (t.offer_id.clone(), t.offer_name.clone())
                    }
                    _ => (o.offer_id.clone(), o.offer_name.clone()),
                };
                let id = id
                    .or_else(|| offer_id_for(&name).map(str::to_owned))
                    .unwrap_or_default();
                Some(Line {
                    offer_name: name,
                    offer_id: RwSignal::new(id),
                    quantity: RwSignal::new(missing.to_string()),
                })
            })
            .collect()
    });
    let lines = StoredValue::new(lines);
    let error = RwSignal::new(None);
    let invalid = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let place = move |_| {
        let Some(customer) = page.pc_customer.get_untracked() else {
            return;
        };
        let mut order = Vec::new();
        for l in lines.get_value() {
            let id = l.offer_id.get_untracked().trim().to_owned();
            let q = l
                .quantity
                .get_untracked()
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|q| *q > 0);
            match (id.is_empty(), q) {
                (false, Some(quantity)) => order.push(OrderLine {
                    offer_id: id,
                    quantity,
                }),
                _ => {
                    invalid.set(Some(t::order_line_invalid(
                        lang.get_untracked(),
                        &l.offer_name,
                    )));
                    return;
                }
            }
        }
        invalid.set(None);
        error.set(None);
        busy.set(true);
        spawn_local(async move {
            let result = api::place_order(&customer.id, &order).await;
            busy.set(false);
            match result {
                Ok(()) => {
                    open.set(false);
                    page.load_pc(customer.id.clone());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <div class="modal-backdrop">
            <div class="modal" role="dialog" aria-modal="true" aria-labelledby="order-title" data-testid="order-dialog">
                <h2 id="order-title">{move || t::order_title(lang.get())}</h2>
                <p>{move || t::order_text(lang.get())}</p>
                <table class="table">
                    <thead><tr>
                        <th scope="col">{move || t::col_offer(lang.get())}</th>
                        <th scope="col">{move || t::col_offer_id(lang.get())}</th>
                        <th scope="col">{move || t::col_seats(lang.get())}</th>
                    </tr></thead>
                    <tbody>
                        {lines.get_value().into_iter().map(|l| view! {
                            <tr>
                                <td>{l.offer_name.clone()}</td>
                                <td><input aria-label=move || t::col_offer_id(lang.get()) prop:value=l.offer_id
                                    on:input=move |ev| l.offer_id.set(event_target_value(&ev)) /></td>
                                <td><input type="number" min="1" aria-label=move || t::col_seats(lang.get()) prop:value=l.quantity
                                    on:input=move |ev| l.quantity.set(event_target_value(&ev)) /></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                {move || invalid.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                {move || error.get().map(|e| view! { <ErrorBanner error=e /> })}
                <div class="actions">
                    <button type="button" class="button secondary" on:click=move |_| open.set(false)>{move || common::cancel(lang.get())}</button>
                    <button type="button" class="button" data-testid="confirm-order" disabled=move || busy.get() on:click=place>
                        {move || t::order_confirm(lang.get())}
                    </button>
                </div>
            </div>
        </div>
    }
}
