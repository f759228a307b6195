//! The portfolio at a glance: how many customers are at each step, and the overlap cost by month
//! and currency for the next twelve months. Both computed by cutover-plan from the planned list.
use cutover_plan::costs::overlap_by_month;
use cutover_plan::portfolio::step_counts;
use cutover_plan::{Date, Money};
use leptos::prelude::*;

use crate::i18n::{common, customers as t, dates, use_lang};
use crate::pages::portfolio::Entries;

/// Counts per step, and the monthly overlap costs behind a disclosure.
#[component]
pub fn PortfolioSummary(entries: Memo<Entries>) -> impl IntoView {
    let lang = use_lang();
    let today = dates::today();
    let counts = Memo::new(move |_| entries.with(|e| step_counts(&e.0)));
    let months = Memo::new(move |_| {
        entries.with(|e| overlap_by_month(e.0.iter().flat_map(|x| x.overlap.iter()), today, 12))
    });
    let currencies = move || {
        let mut all: Vec<String> = months.with(|m| {
            m.iter()
                .flat_map(|x| x.by_currency.keys().cloned())
                .collect()
        });
        all.sort_unstable();
        all.dedup();
        all
    };
    view! {
        <section class="summary" aria-labelledby="summary-title" data-testid="portfolio-summary">
            <h2 id="summary-title" class="sr-only">{move || t::summary_title(lang.get())}</h2>
            <ul class="step-counts" data-testid="step-counts">
                {move || {
                    let l = lang.get();
                    let c = counts.get();
                    let mut items = vec![(t::no_plan(l).to_owned(), c.no_plan)];
                    for (i, n) in c.at_step.iter().enumerate() {
                        items.push((format!("{}. {}", i + 1, common::step_name(l, i)), *n));
                    }
                    items.push((t::all_done(l).to_owned(), c.done));
                    items.into_iter().map(|(label, n)| view! {
                        <li><strong>{n}</strong> " " <span>{label}</span></li>
                    }).collect_view()
                }}
            </ul>
            <details class="costs-by-month" data-testid="costs-by-month">
                <summary id="costs-title">{move || t::costs_title(lang.get())}</summary>
                <p class="muted">{move || t::costs_help(lang.get())}</p>
                {move || {
                    let l = lang.get();
                    let cur = currencies();
                    if cur.is_empty() {
                        return view! { <p class="muted">{t::costs_none(l)}</p> }.into_any();
                    }
                    let head = cur.clone();
                    view! {
                        <div class="table-wrap" tabindex="0" role="group" aria-labelledby="costs-title">
                            <table class="table compact">
                                <thead><tr>
                                    <th scope="col">{t::col_month(l)}</th>
                                    {head.into_iter().map(|c| view! { <th scope="col">{c}</th> }).collect_view()}
                                </tr></thead>
                                <tbody>
                                    {months.get().into_iter().map(|m| {
                                        let first = Date::from_ymd(m.year, m.month, 1).unwrap_or(today);
                                        view! {
                                            <tr>
                                                <th scope="row">{dates::month(l, first)}</th>
                                                {cur.iter().map(|c| {
                                                    let amount = m.by_currency.get(c).copied().unwrap_or(Money::from_cents(0));
                                                    view! { <td>{dates::money(l, amount, c)}</td> }
                                                }).collect_view()}
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }}
            </details>
        </section>
    }
}
