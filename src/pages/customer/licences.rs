//! What Partner Center reports about the customer: its CSP subscriptions and every licence in the
//! tenant (subscribed SKUs, whatever channel they were bought through). Items that could not be
//! read and items Partner Center announced but did not send are said, never dropped silently.
use cutover_plan::partner_center::{Collection, ItemProblem};
use leptos::prelude::*;

use super::Page;
use crate::i18n::customer as t;
use crate::i18n::{Lang, dates, use_lang};

/// Unread items and missing ones of a collection, as sentences.
fn gaps<T>(l: Lang, what: &'static str, c: &Collection<T>) -> impl IntoView + use<T> {
    let missing = c
        .not_sent()
        .map(|n| t::not_sent(l, what, c.total_count.unwrap_or_default(), n));
    let problems: Vec<ItemProblem> = c.problems.clone();
    view! {
        {missing.map(|m| view! { <p class="banner banner-warning" role="status" data-testid="not-sent">{m}</p> })}
        {(!problems.is_empty()).then(|| view! {
            <div class="banner banner-warning" role="status" data-testid="unreadable">
                <p>{t::unreadable(l, what, problems.len())}</p>
                <ul>{problems.into_iter().map(|p| view! {
                    <li>{format!("#{} {}: {}", p.index + 1, p.id.unwrap_or_default(), p.message)}</li>
                }).collect_view()}</ul>
            </div>
        })}
    }
}

/// Partner Center's own view of this customer.
#[component]
pub fn PartnerCenterView(page: Page) -> impl IntoView {
    let lang = use_lang();
    let shown = move || {
        page.pc_customer.with(Option::is_some)
            || page
                .subscriptions
                .with(|s| !s.items.is_empty() || !s.problems.is_empty())
    };
    view! {
        <Show when=shown>
            <section class="card" aria-labelledby="pc-subs-title" data-testid="pc-subscriptions">
                <h2 id="pc-subs-title">{move || t::pc_subs_title(lang.get())}</h2>
                {move || page.subscriptions.with(|c| gaps(lang.get(), t::what_subscriptions(lang.get()), c))}
                {move || {
                    let l = lang.get();
                    page.subscriptions.with(|c| if c.items.is_empty() {
                        view! { <p class="muted">{t::pc_subs_none(l)}</p> }.into_any()
                    } else {
                        view! {
                            <div class="table-wrap" tabindex="0" role="group" aria-labelledby="pc-subs-title"><table class="table">
                                <thead><tr>
                                    <th scope="col">{t::col_offer(l)}</th>
                                    <th scope="col">{t::col_offer_id(l)}</th>
                                    <th scope="col">{t::col_seats(l)}</th>
                                    <th scope="col">{t::col_status(l)}</th>
                                    <th scope="col">{t::col_end(l)}</th>
                                    <th scope="col">{t::col_auto_renew(l)}</th>
                                </tr></thead>
                                <tbody>{c.items.iter().map(|s| view! {
                                    <tr data-testid="pc-subscription">
                                        <td>{s.offer_name.clone()}</td>
                                        <td><code>{s.offer_id.clone()}</code></td>
                                        <td>{s.quantity}</td>
                                        <td>{s.status.clone()}</td>
                                        <td>{s.commitment_end_date.map(|d| dates::date(l, d)).unwrap_or_default()}</td>
                                        <td>{if s.auto_renew { t::yes(l) } else { t::no(l) }}</td>
                                    </tr>
                                }).collect_view()}</tbody>
                            </table></div>
                        }.into_any()
                    })
                }}
            </section>
            <section class="card" aria-labelledby="pc-skus-title" data-testid="licences">
                <h2 id="pc-skus-title">{move || t::licences_title(lang.get())}</h2>
                <p class="muted">{move || t::licences_help(lang.get())}</p>
                {move || page.skus.with(|c| gaps(lang.get(), t::what_licences(lang.get()), c))}
                {move || {
                    let l = lang.get();
                    page.skus.with(|c| if c.items.is_empty() {
                        view! { <p class="muted">{t::licences_none(l)}</p> }.into_any()
                    } else {
                        view! {
                            <div class="table-wrap" tabindex="0" role="group" aria-labelledby="pc-skus-title"><table class="table">
                                <thead><tr>
                                    <th scope="col">{t::col_licence(l)}</th>
                                    <th scope="col">{t::col_status(l)}</th>
                                    <th scope="col">{t::col_enabled(l)}</th>
                                    <th scope="col">{t::col_warning(l)}</th>
                                    <th scope="col">{t::col_suspended(l)}</th>
                                    <th scope="col">{t::col_consumed(l)}</th>
                                </tr></thead>
                                <tbody>{c.items.iter().map(|s| view! {
                                    <tr data-testid="licence">
                                        <td>{s.name.clone()}
                                            {s.part_number.clone().filter(|p| *p != s.name).map(|p| view! { <br /><small class="muted">{p}</small> })}
                                        </td>
                                        <td>{s.status.clone().unwrap_or_default()}</td>
                                        <td>{s.enabled_units}</td>
                                        <td>{s.warning_units}</td>
                                        <td>{s.suspended_units}</td>
                                        <td>{s.consumed_units}</td>
                                    </tr>
                                }).collect_view()}</tbody>
                            </table></div>
                        }.into_any()
                    })
                }}
            </section>
        </Show>
    }
}
