//! History: who changed what and when, field by field, in the viewer's language and time zone.
//! The panel on each customer page, and the table the activity page shares with it.
use cutover_plan::history::HistoryEntry;
use leptos::prelude::*;

use crate::api::team;
use crate::components::error_banner::ErrorBanner;
use crate::i18n::{Lang, common, dates, team as t, use_lang};
use crate::pages::portfolio::use_portfolio;

/// The history of one customer's record; reloads when the record is saved again.
#[component]
pub fn HistoryPanel(#[prop(into)] record_key: Signal<String>) -> impl IntoView {
    let lang = use_lang();
    let portfolio = use_portfolio();
    let refresh = RwSignal::new(0u32);
    // Only a change of key reloads (the signal it derives from changes on every keystroke).
    let record_key = Memo::new(move |_| record_key.get());
    // The stored version: every save on this page (or import) puts the new one in the portfolio.
    let version = Memo::new(move |_| {
        let key = record_key.get();
        portfolio.records.with(|all| {
            all.iter()
                .find(|r| r.key.eq_ignore_ascii_case(&key))
                .map(|r| r.version)
        })
    });
    let history = LocalResource::new(move || {
        refresh.track();
        version.track();
        let key = record_key.get();
        async move { team::history(&key).await }
    });
    let retry = Callback::new(move |_| refresh.update(|n| *n += 1));
    view! {
        <section class="card history" aria-labelledby="history-title" data-testid="history">
            <div class="card-head">
                <h2 id="history-title">{move || t::history_title(lang.get())}</h2>
                <button type="button" class="button secondary small" data-testid="history-reload"
                    on:click=move |_| refresh.update(|n| *n += 1)>{move || common::reload(lang.get())}</button>
            </div>
            <p class="muted">{move || t::history_help(lang.get())}</p>
            {move || match history.get() {
                None => view! { <p class="muted" role="status">{common::loading(lang.get())}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorBanner error=e on_retry=retry /> }.into_any(),
                Some(Ok(list)) => {
                    let truncated = list.truncated;
                    view! {
                        <HistoryTable entries=list.entries show_customer=false />
                        <Show when=move || truncated>
                            <p class="muted small">{move || t::history_truncated(lang.get())}</p>
                        </Show>
                    }.into_any()
                }
            }}
        </section>
    }
}

/// Entries as a table: when (in the viewer's zone), who, (customer), kind, what changed.
#[component]
pub fn HistoryTable(entries: Vec<HistoryEntry>, show_customer: bool) -> impl IntoView {
    let lang = use_lang();
    move || {
        let l = lang.get();
        if entries.is_empty() {
            return view! { <p class="muted" data-testid="history-empty">{t::history_empty(l)}</p> }.into_any();
        }
        let rows = entries
            .iter()
            .map(|e| entry_row(l, e, show_customer))
            .collect_view();
        view! {
            <div class="table-scroll">
                <table class="history-table" data-testid="history-table">
                    <thead><tr>
                        <th scope="col">{t::col_when(l)}</th>
                        <th scope="col">{t::col_who(l)}</th>
                        {show_customer.then(|| view! { <th scope="col">{t::col_customer(l)}</th> })}
                        <th scope="col">{t::col_kind(l)}</th>
                        <th scope="col">{t::col_what(l)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    }
}

fn entry_row(l: Lang, e: &HistoryEntry, show_customer: bool) -> impl IntoView + use<> {
    let kinds = e
        .kinds
        .iter()
        .map(|k| t::kind(l, *k))
        .collect::<Vec<_>>()
        .join(", ");
    let changes = if e.changes.is_empty() {
        view! { <span class="muted">{t::no_field_changes(l)}</span> }.into_any()
    } else {
        let items = e
            .changes
            .iter()
            .map(|c| {
                let (field, old, new) = t::change(l, c);
                view! {
                    <li>
                        <span class="history-field">{field}</span>": "
                        <span class="history-old">{old}</span>
                        <span aria-hidden="true">" → "</span>
                        <span class="sr-only">" / "</span>
                        <span class="history-new">{new}</span>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="history-changes">{items}</ul> }.into_any()
    };
    let customer = show_customer.then(|| {
        let name = if e.customer.is_empty() {
            e.key.clone()
        } else {
            e.customer.clone()
        };
        let link = (!e.customer.is_empty()).then(|| format!("/customers/{}", e.key));
        view! {
            <td data-label=t::col_customer(l)>{match link {
                Some(href) => view! { <a href=href>{name}</a> }.into_any(),
                None => view! { <span>{name}</span> }.into_any(),
            }}</td>
        }
    });
    view! {
        <tr data-testid="history-row">
            <td class="nowrap" data-label=t::col_when(l)><time datetime=e.at.clone()>{dates::instant_text(l, &e.at)}</time></td>
            <td data-label=t::col_who(l)>{e.actor.clone()}</td>
            {customer}
            <td data-label=t::col_kind(l)>{kinds}</td>
            <td data-label=t::col_what(l)>{changes}</td>
        </tr>
    }
}
