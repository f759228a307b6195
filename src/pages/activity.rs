//! Activity across the portfolio: who did what and when, for a period, filtered by person,
//! customer and kind, exportable as CSV; and the large orders waiting for a second person.
use crate::components::route_focus::use_page_title;
use cutover_plan::Date;
use cutover_plan::history::{CsvText, HistoryKind, to_csv};
use cutover_plan::roles::Role;
use cutover_plan::wire::{ApiError, HistoryList, OrderApproval};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::team::{self, ActivityQuery};
use crate::components::download::download;
use crate::components::error_banner::ErrorBanner;
use crate::components::history::HistoryTable;
use crate::components::sign_in::use_role;
use crate::i18n::{Lang, common, dates, team as t, use_lang};
use crate::pages::portfolio::use_portfolio;

/// Days shown when the page opens (Partner Center keeps 90 days of activity too).
const DEFAULT_DAYS: u32 = 90;

/// The instant the calendar day `d` starts in the viewer's time zone, as RFC 3339 UTC.
fn start_of_local_day(d: Date) -> Option<String> {
    dates::end_of_local_day(d.minus_days(1))
}

/// The activity page.
#[component]
pub fn ActivityPage() -> impl IntoView {
    let lang = use_lang();
    use_page_title(move || t::activity_title(lang.get()).to_owned());
    let portfolio = use_portfolio();
    portfolio.ensure_session();
    let today = dates::today();
    let from = RwSignal::new(today.minus_days(DEFAULT_DAYS).to_string());
    let to = RwSignal::new(today.to_string());
    let person = RwSignal::new(String::new());
    let customer = RwSignal::new(String::new());
    let kind = RwSignal::new(None::<HistoryKind>);
    let query = RwSignal::new(None::<ActivityQuery>);
    let build = move || ActivityQuery {
        from: Date::parse(from.get_untracked().trim())
            .ok()
            .and_then(start_of_local_day),
        to: Date::parse(to.get_untracked().trim())
            .ok()
            .and_then(dates::end_of_local_day),
        person: person.get_untracked(),
        customer: customer.get_untracked(),
        kind: kind.get_untracked(),
    };
    query.set(Some(build()));
    let result = LocalResource::new(move || {
        let q = query.get();
        async move {
            match q {
                Some(q) => team::activity(&q).await,
                None => Ok(HistoryList {
                    entries: Vec::new(),
                    truncated: false,
                }),
            }
        }
    });
    let show = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        query.set(Some(build()));
    };
    let export = move |_| {
        let Some(Ok(list)) = result.get_untracked() else {
            return;
        };
        let l = lang.get_untracked();
        let kind_name = |k: HistoryKind| t::kind(l, k).to_owned();
        let change = |c: &cutover_plan::history::FieldChange| t::change_for_csv(l, c);
        let local = |at: &str| dates::instant_text(l, at);
        let text = to_csv(
            &list.entries,
            &CsvText {
                headings: [
                    t::csv_time_utc(l),
                    t::csv_time_local(l),
                    t::col_who(l),
                    t::col_customer(l),
                    t::csv_key(l),
                    t::col_kind(l),
                    t::col_field(l),
                    t::col_old(l),
                    t::col_new(l),
                ],
                kind: &kind_name,
                change: &change,
                local_time: &local,
            },
        );
        download(
            &format!("cutover-activity-{}.csv", dates::today()),
            "text/csv",
            &text,
        );
    };
    let kind_options = move || {
        let l = lang.get();
        HistoryKind::ALL
            .into_iter()
            .map(|k| view! { <option value=k.code()>{t::kind(l, k)}</option> })
            .collect_view()
    };
    view! {
        <section class="page activity-page" aria-labelledby="activity-title">
            <h1 id="activity-title">{move || t::activity_title(lang.get())}</h1>
            <p class="muted">{move || t::activity_help(lang.get())}</p>
            <Approvals />
            <form class="card filters" on:submit=show data-testid="activity-filters">
                <label class="field">
                    <span>{move || t::filter_from(lang.get())}</span>
                    <input type="date" data-testid="filter-from" prop:value=from
                        on:input=move |ev| from.set(event_target_value(&ev)) />
                </label>
                <label class="field">
                    <span>{move || t::filter_to(lang.get())}</span>
                    <input type="date" data-testid="filter-to" prop:value=to
                        on:input=move |ev| to.set(event_target_value(&ev)) />
                </label>
                <label class="field">
                    <span>{move || t::filter_person(lang.get())}</span>
                    <input type="search" data-testid="filter-person" prop:value=person
                        on:input=move |ev| person.set(event_target_value(&ev)) />
                </label>
                <label class="field">
                    <span>{move || t::filter_customer(lang.get())}</span>
                    <input type="search" data-testid="filter-customer" prop:value=customer
                        on:input=move |ev| customer.set(event_target_value(&ev)) />
                </label>
                <label class="field">
                    <span>{move || t::filter_kind(lang.get())}</span>
                    <select data-testid="filter-kind"
                        on:change=move |ev| kind.set(HistoryKind::parse(&event_target_value(&ev)))>
                        <option value="">{move || t::filter_all_kinds(lang.get())}</option>
                        {kind_options}
                    </select>
                </label>
                <div class="actions">
                    <button type="submit" class="button" data-testid="activity-show">{move || t::filter_apply(lang.get())}</button>
                    <button type="button" class="button secondary" data-testid="activity-export"
                        on:click=export>{move || t::export_csv(lang.get())}</button>
                </div>
            </form>
            {move || match result.get() {
                None => view! { <p class="muted" role="status">{common::loading(lang.get())}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorBanner error=e /> }.into_any(),
                Some(Ok(list)) => {
                    let truncated = list.truncated;
                    view! {
                        <Show when=move || truncated>
                            <div class="banner banner-warning" role="status"><p>{move || t::activity_truncated(lang.get())}</p></div>
                        </Show>
                        <HistoryTable entries=list.entries show_customer=true />
                    }.into_any()
                }
            }}
        </section>
    }
}

/// Large orders waiting for (or given) a second person's approval; orderers approve others'.
#[component]
fn Approvals() -> impl IntoView {
    let lang = use_lang();
    let portfolio = use_portfolio();
    let role = use_role();
    let enabled = move || {
        portfolio
            .session
            .with(|s| s.as_ref().and_then(|s| s.team.order_approval_seats))
            .is_some()
    };
    let refresh = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        refresh.track();
        let on = enabled();
        async move {
            if on {
                team::approvals().await
            } else {
                Ok(Vec::new())
            }
        }
    });
    let error = RwSignal::new(None::<ApiError>);
    let approve = move |id: String| {
        error.set(None);
        spawn_local(async move {
            match team::approve(&id).await {
                Ok(_) => refresh.update(|n| *n += 1),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let me = move || portfolio.actor();
    let row = move |l: Lang, a: OrderApproval| {
        let may = role.get().is_some_and(|r| r.includes(Role::Orderer))
            && !a.requested_by.eq_ignore_ascii_case(&me())
            && a.approved_by.is_none();
        let lines = a
            .lines
            .iter()
            .map(|x| {
                format!(
                    "{} × {}",
                    if x.offer_name.is_empty() {
                        &x.offer_id
                    } else {
                        &x.offer_name
                    },
                    x.quantity
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let id = a.request_id.clone();
        let state = match (&a.approved_by, &a.sent_at) {
            (Some(by), Some(_)) => format!("{} {by} · {}", t::approved_by(l), t::sent_at(l)),
            (Some(by), None) => format!("{} {by}", t::approved_by(l)),
            (None, _) => String::new(),
        };
        view! {
            <tr data-testid="approval-row">
                <td class="nowrap">{dates::instant_text(l, &a.requested_at)}</td>
                <td><a href=format!("/customers/{}", a.customer_id)>{if a.customer_name.is_empty() { a.customer_id.clone() } else { a.customer_name.clone() }}</a></td>
                <td>{lines}" ("{a.seats}" "{t::seats(l)}")"</td>
                <td>{t::asked_by(l)}" "{a.requested_by.clone()}</td>
                <td>{state}
                    {may.then(|| view! {
                        <button type="button" class="button small" data-testid="approve"
                            on:click=move |_| approve(id.clone())>{t::approve(l)}</button>
                    })}
                </td>
            </tr>
        }
    };
    view! {
        <Show when=enabled>
            <section class="card approvals" aria-labelledby="approvals-title" data-testid="approvals">
                <h2 id="approvals-title">{move || t::approvals_title(lang.get())}</h2>
                <p class="muted">{move || t::approvals_help(lang.get())}</p>
                {move || error.get().map(|e| view! { <ErrorBanner error=e /> })}
                {move || match list.get() {
                    None => view! { <p class="muted">{common::loading(lang.get())}</p> }.into_any(),
                    Some(Err(e)) => view! { <ErrorBanner error=e /> }.into_any(),
                    Some(Ok(all)) if all.is_empty() => view! { <p class="muted">{t::approvals_empty(lang.get())}</p> }.into_any(),
                    Some(Ok(all)) => {
                        let l = lang.get();
                        view! {
                            <div class="table-scroll"><table class="history-table"><tbody>
                                {all.into_iter().map(|a| row(l, a)).collect_view()}
                            </tbody></table></div>
                        }.into_any()
                    }
                }}
            </section>
        </Show>
    }
}
