//! Confirming and placing the Partner Center order for the CSP subscriptions still missing.
//!
//! The order is written into the record (status `sending`, with its `MS-RequestId`) before it is
//! sent, and the button is disabled while it is on its way: a double click or a retry can never buy
//! twice. Originals an earlier order already covers are only offered behind "order again", next
//! to that earlier order.
use cutover_plan::orders::{
    OrderLine, PlacedOrder, ProposedLine, SeatAdvice, check_line, earlier_orders, propose_order,
    propose_reorder, seat_advice,
};
use cutover_plan::record::MigrationRecord;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::Page;
use super::orders_view::{order_summary, send_order};
use crate::api::{self, UserAction};
use crate::components::error_banner::ErrorBanner;
use crate::components::modal::Modal;
use crate::i18n::customer as t;
use crate::i18n::{Lang, common, dates, use_lang};

/// One line of the proposed order, editable before confirming.
#[derive(Clone, Debug, PartialEq)]
struct Line {
    proposed: ProposedLine,
    /// Offered only because of "order again".
    again: bool,
    include: RwSignal<bool>,
    offer_id: RwSignal<String>,
    quantity: RwSignal<String>,
    /// The end date to co-term with (empty: a full term).
    term_end: RwSignal<String>,
}

fn advice_text(l: Lang, a: SeatAdvice) -> String {
    match a {
        SeatAdvice::More { extra } => t::seats_more(l, extra),
        SeatAdvice::Fewer { short } => t::seats_fewer(l, short),
    }
}

fn lines_for(record: &MigrationRecord, page: Page) -> Vec<Line> {
    let Some(list) = page.status.get_untracked().map(|s| s.checklist) else {
        return Vec::new();
    };
    let make = |p: ProposedLine, again: bool| Line {
        offer_id: RwSignal::new(p.offer_id.clone().unwrap_or_default()),
        quantity: RwSignal::new(p.quantity.to_string()),
        term_end: RwSignal::new(String::new()),
        include: RwSignal::new(!again),
        again,
        proposed: p,
    };
    propose_order(record, &list)
        .into_iter()
        .map(|p| make(p, false))
        .chain(
            propose_reorder(record, &list)
                .into_iter()
                .map(|p| make(p, true)),
        )
        .collect()
}

/// A modal confirmation showing offer and seats per line; places the order on confirm.
#[component]
pub fn ProvisionDialog(page: Page, open: RwSignal<bool>) -> impl IntoView {
    let lang = use_lang();
    let record = page.draft.get_untracked();
    let lines = StoredValue::new(
        record
            .as_ref()
            .map(|r| lines_for(r, page))
            .unwrap_or_default(),
    );
    let error = RwSignal::new(None);
    let invalid = RwSignal::new(None::<String>);
    let unknown = RwSignal::new(false);
    let busy = RwSignal::new(false);
    // Co-terming: the end dates Partner Center allows for a new one-year subscription.
    let term_ends = RwSignal::new(Vec::<cutover_plan::Date>::new());
    if let Some(customer) = page.order_customer_id() {
        spawn_local(async move {
            if let Ok(d) = api::term_end_dates(&UserAction::new(), &customer).await {
                term_ends.set(d);
            }
        });
    }
    // Orders need the customer's acceptance of the Microsoft Customer Agreement.
    let mca_missing = move || page.mca_accepted.get() == Some(false);
    let place = move |_| {
        // One intent at a time: a second click while this one is on its way does nothing.
        if busy.get_untracked() || mca_missing() {
            return;
        }
        let l = lang.get_untracked();
        let mut order: Vec<OrderLine> = Vec::new();
        for line in lines.get_value() {
            if !line.include.get_untracked() {
                continue;
            }
            match check_line(
                &line.proposed,
                &line.offer_id.get_untracked(),
                &line.quantity.get_untracked(),
            ) {
                Ok(mut ok) => {
                    ok.custom_term_end =
                        cutover_plan::Date::parse(&line.term_end.get_untracked()).ok();
                    order.push(ok);
                }
                Err(e) => {
                    invalid.set(Some(t::order_line_invalid(l, &e.to_string())));
                    return;
                }
            }
        }
        if order.is_empty() {
            invalid.set(Some(t::order_nothing(l).to_owned()));
            return;
        }
        let Some(customer_id) = page.order_customer_id() else {
            invalid.set(Some(t::provision_after_accept(l).to_owned()));
            return;
        };
        invalid.set(None);
        error.set(None);
        unknown.set(false);
        busy.set(true);
        let intent = PlacedOrder::intent(
            &api::guid(),
            order,
            &dates::now_rfc3339(),
            &page.portfolio.actor(),
        );
        spawn_local(async move {
            let outcome = send_order(page, &UserAction::new(), &customer_id, intent, true).await;
            busy.set(false);
            match outcome {
                Ok(()) => open.set(false),
                Err(super::orders_view::SendFailure::Refused(e)) => error.set(Some(e)),
                Err(super::orders_view::SendFailure::Unknown(e)) => {
                    unknown.set(true);
                    error.set(Some(e));
                }
                Err(super::orders_view::SendFailure::NotSaved) => {}
            }
        });
    };
    let earlier = move |original_id: &str| -> Vec<String> {
        let l = lang.get();
        page.draft.with(|d| {
            d.as_ref()
                .map(|r| {
                    earlier_orders(r, &[original_id])
                        .into_iter()
                        .map(|o| order_summary(l, o))
                        .collect()
                })
                .unwrap_or_default()
        })
    };
    let row = move |(n, line): (usize, Line)| {
        let name = line.proposed.offer_name.clone();
        let needed = line.proposed.quantity;
        // Every input names its line ("line 2 (Microsoft 365 E3)"): two lines may share an offer.
        let stored_name = StoredValue::new(name.clone());
        let which = move || stored_name.with_value(|s| t::order_line(lang.get(), n + 1, s));
        let id_label = move || t::offer_id_for(lang.get(), &which());
        let seats_label = move || t::seats_for(lang.get(), &which());
        let again_label = move || t::order_again_for(lang.get(), &which());
        let term_label = move || t::term_end_for(lang.get(), &which());
        let advice = move || {
            let q = line.quantity.get().trim().parse::<u32>().ok()?;
            seat_advice(q, needed).map(|a| advice_text(lang.get(), a))
        };
        let previous = line.again.then(|| earlier(&line.proposed.original_id));
        view! {
            <tr data-testid="order-line">
                <th scope="row">
                    <span class="muted">{format!("{}. ", n + 1)}</span><strong>{name.clone()}</strong>
                    <br /><small class="muted">{move || t::seats_needed(lang.get(), needed, line.proposed.original_seats)}</small>
                    {previous.map(|p| view! {
                        <div class="earlier-orders" data-testid="earlier-order">
                            <p class="muted">{move || t::earlier_order(lang.get())}</p>
                            <ul>{p.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
                            <label class="field inline">
                                <input type="checkbox" data-testid="order-again"
                                    prop:checked=line.include
                                    on:change=move |ev| line.include.set(event_target_checked(&ev)) />
                                <span>{again_label}</span>
                            </label>
                        </div>
                    })}
                </th>
                <td data-label=move || t::col_offer_id(lang.get())><input aria-label=id_label prop:value=line.offer_id disabled=move || !line.include.get()
                    on:input=move |ev| line.offer_id.set(event_target_value(&ev)) /></td>
                <td data-label=move || t::col_seats(lang.get())>
                    <input type="number" min="1" aria-label=seats_label prop:value=line.quantity disabled=move || !line.include.get()
                        on:input=move |ev| line.quantity.set(event_target_value(&ev)) />
                    {move || advice().map(|a| view! { <p class="field-warning" role="status">"⚠ " {a}</p> })}
                </td>
                <td data-label=move || t::col_term_end(lang.get())>
                    <select aria-label=term_label data-testid="term-end" disabled=move || !line.include.get()
                        on:change=move |ev| line.term_end.set(event_target_value(&ev))>
                        <option value="">{move || t::full_term(lang.get())}</option>
                        {move || term_ends.get().into_iter().map(|d| view! {
                            <option value=d.to_string() selected=move || line.term_end.get() == d.to_string()>
                                {dates::date(lang.get(), d)}
                            </option>
                        }).collect_view()}
                    </select>
                </td>
            </tr>
        }
    };
    view! {
        <Modal labelledby="order-title" on_close=Callback::new(move |_| open.set(false)) testid="order-dialog">
                <h2 id="order-title">{move || t::order_title(lang.get())}</h2>
                <p>{move || t::order_text(lang.get())}</p>
                <table class="table order-table">
                    <thead><tr>
                        <th scope="col">{move || t::col_offer(lang.get())}</th>
                        <th scope="col">{move || t::col_offer_id(lang.get())}</th>
                        <th scope="col">{move || t::col_seats(lang.get())}</th>
                        <th scope="col">{move || t::col_term_end(lang.get())}</th>
                    </tr></thead>
                    <tbody>
                        {lines.get_value().into_iter().enumerate().map(row).collect_view()}
                    </tbody>
                </table>
                <Show when=mca_missing>
                    <McaForm page=page />
                </Show>
                {move || invalid.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                {move || unknown.get().then(|| view! { <p class="banner banner-warning" role="alert" data-testid="order-unknown">{t::order_unknown(lang.get())}</p> })}
                {move || error.get().map(|e| view! { <ErrorBanner error=e /> })}
                <div class="actions">
                    <button type="button" class="button secondary" on:click=move |_| open.set(false)>{move || common::cancel(lang.get())}</button>
                    <button type="button" class="button" data-testid="confirm-order" disabled=move || busy.get() || mca_missing() on:click=place>
                        {move || if busy.get() { t::order_sending(lang.get()) } else { t::order_confirm(lang.get()) }}
                    </button>
                </div>
        </Modal>
    }
}

/// Records the customer's acceptance of the Microsoft Customer Agreement in Partner Center (the
/// primary contact and the date they agreed), which orders need.
#[component]
fn McaForm(page: Page) -> impl IntoView {
    let lang = use_lang();
    let first = RwSignal::new(String::new());
    let last = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let agreed = RwSignal::new(page.today.to_string());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None);
    let invalid = RwSignal::new(false);
    let save = move |_| {
        let date = cutover_plan::Date::parse(&agreed.get_untracked()).ok();
        let ok = !first.get_untracked().trim().is_empty()
            && !last.get_untracked().trim().is_empty()
            && email.get_untracked().contains('@');
        let (Some(date), true, Some(customer)) = (date, ok, page.order_customer_id()) else {
            invalid.set(true);
            return;
        };
        invalid.set(false);
        busy.set(true);
        error.set(None);
        let body = cutover_plan::transfers::mca_body(
            &first.get_untracked(),
            &last.get_untracked(),
            &email.get_untracked(),
            date,
        );
        spawn_local(async move {
            let result = api::record_mca(&UserAction::new(), &customer, &body).await;
            busy.set(false);
            match result {
                Ok(()) => page.mca_accepted.set(Some(true)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <div class="banner banner-warning mca" role="group" aria-labelledby="mca-title" data-testid="mca-form">
            <p id="mca-title"><strong>{move || t::mca_title(lang.get())}</strong></p>
            <p>{move || t::mca_help(lang.get())}</p>
            <div class="actions">
                <label class="field"><span>{move || t::mca_first(lang.get())}</span>
                    <input data-testid="mca-first" prop:value=first on:input=move |ev| first.set(event_target_value(&ev)) /></label>
                <label class="field"><span>{move || t::mca_last(lang.get())}</span>
                    <input data-testid="mca-last" prop:value=last on:input=move |ev| last.set(event_target_value(&ev)) /></label>
                <label class="field"><span>{move || t::mca_email(lang.get())}</span>
                    <input type="email" data-testid="mca-email" prop:value=email on:input=move |ev| email.set(event_target_value(&ev)) /></label>
                <label class="field"><span>{move || t::mca_date(lang.get())}</span>
                    <input type="date" data-testid="mca-date" prop:value=agreed on:input=move |ev| agreed.set(event_target_value(&ev)) /></label>
                <button type="button" class="button secondary" data-testid="record-mca" disabled=move || busy.get() on:click=save>
                    {move || t::mca_record(lang.get())}
                </button>
            </div>
            {move || invalid.get().then(|| view! { <p class="field-error" role="alert">{t::mca_invalid(lang.get())}</p> })}
            {move || error.get().map(|e| view! { <ErrorBanner error=e /> })}
        </div>
    }
}
