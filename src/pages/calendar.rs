//! The portfolio calendar: every open action by week or month on an HTML timeline with a today
//! line and overdue items marked, plus the same actions as a plain list.
use cutover_plan::Date;
use cutover_plan::planner::ActionKind;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::route_focus::use_page_title;
use crate::i18n::calendar as t;
use crate::i18n::{common, dates, use_lang};
use crate::pages::portfolio::use_portfolio;

/// Actions shown per timeline column before "+N more".
const PER_COLUMN: usize = 12;
/// Items in the plain list.
const LIST_LIMIT: usize = 1_000;
/// Overdue actions older than this are left off the timeline (they stay in the list).
const PAST_WEEKS: i32 = 4;

/// One action to show.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// When.
    pub date: Date,
    /// What.
    pub kind: ActionKind,
    /// Customer name.
    pub name: String,
    /// Route id.
    pub link: String,
    /// Offer concerned.
    pub offer: String,
}

/// The Monday on or before `d`.
#[must_use]
pub fn week_start(d: Date) -> Date {
    d.add_days(-(d.weekday() as i32))
}

/// The first of `d`'s month.
#[must_use]
pub fn month_start(d: Date) -> Date {
    let (y, m, _) = d.ymd();
    Date::from_ymd(y, m, 1).unwrap_or(d)
}

fn next_month(d: Date) -> Date {
    let (y, m, _) = d.ymd();
    let (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    Date::from_ymd(y, m, 1).unwrap_or(d.plus_days(31))
}

/// The calendar page.
#[component]
pub fn CalendarPage() -> impl IntoView {
    let lang = use_lang();
    use_page_title(move || common::nav_calendar(lang.get()).to_owned());
    let portfolio = use_portfolio();
    portfolio.ensure_customers();
    portfolio.ensure_records();
    portfolio.ensure_settings();
    let by_month = RwSignal::new(false);
    let today = dates::today();
    let items = Memo::new(move |_| {
        let entries = portfolio.entries.get();
        let mut items: Vec<Item> = entries
            .0
            .iter()
            .flat_map(|e| {
                e.actions.iter().map(move |a| Item {
                    date: a.date,
                    kind: a.kind,
                    name: e.name.clone(),
                    link: e.link.clone(),
                    offer: a.offer.clone(),
                })
            })
            .collect();
        items.sort_by(|a, b| (a.date, a.kind, &a.name).cmp(&(b.date, b.kind, &b.name)));
        items
    });
    let columns = Memo::new(move |_| {
        let monthly = by_month.get();
        let (first, count) = if monthly {
            (month_start(today), 6)
        } else {
            (
                week_start(today).add_days(-7 * PAST_WEEKS),
                16 + PAST_WEEKS as usize,
            )
        };
        let mut starts = vec![first];
        for _ in 1..=count {
            let last = *starts.last().unwrap_or(&first);
            starts.push(if monthly {
                next_month(last)
            } else {
                last.plus_days(7)
            });
        }
        items.with(|all| {
            starts
                .windows(2)
                .map(|w| {
                    let (from, to) = (w[0], w[1]);
                    let inside: Vec<Item> = all
                        .iter()
                        .filter(|i| i.date >= from && i.date < to)
                        .cloned()
                        .collect();
                    (from, to, inside)
                })
                .collect::<Vec<_>>()
        })
    });
    let overdue_before = move || {
        let first = columns.with(|c| c.first().map(|c| c.0));
        items.with(|all| first.map_or(0, |f| all.iter().filter(|i| i.date < f).count()))
    };

    view! {
        <section class="page calendar-page">
            <div class="page-head">
                <h1>{move || common::nav_calendar(lang.get())}</h1>
                <div class="segmented" role="group" aria-label=move || t::view_label(lang.get())>
                    <button type="button" class="lang-button" aria-pressed=move || (!by_month.get()).to_string()
                        data-testid="by-week" on:click=move |_| by_month.set(false)>{move || t::by_week(lang.get())}</button>
                    <button type="button" class="lang-button" aria-pressed=move || by_month.get().to_string()
                        data-testid="by-month" on:click=move |_| by_month.set(true)>{move || t::by_month(lang.get())}</button>
                </div>
            </div>
            {move || (overdue_before() > 0).then(|| view! {
                <p class="banner banner-warning" role="status">{t::older_overdue(lang.get(), overdue_before())}</p>
            })}
            <div class="timeline" aria-hidden="true" data-testid="timeline">
                {move || {
                    let l = lang.get();
                    let monthly = by_month.get();
                    columns.get().into_iter().map(|(from, to, inside)| {
                        let span = to.days_since(from).max(1);
                        let now = today >= from && today < to;
                        let pct = f64::from(today.days_since(from)) * 100.0 / f64::from(span);
                        let label = if monthly { dates::month(l, from) } else { dates::date(l, from) };
                        let more = inside.len().saturating_sub(PER_COLUMN);
                        view! {
                            <div class="tl-col" class:tl-now=now>
                                <div class="tl-head">{label}</div>
                                {now.then(|| view! { <div class="tl-today" style:left=format!("{pct:.1}%")><span>{t::today(l)}</span></div> })}
                                <ul class="tl-items">
                                    {inside.into_iter().take(PER_COLUMN).map(|i| {
                                        let overdue = i.date < today;
                                        view! {
                                            <li class="tl-item" class:overdue=overdue>
                                                <A href=format!("/customers/{}", i.link) attr:tabindex="-1">
                                                    {overdue.then_some("⚠ ")}
                                                    <span class="tl-date">{format!("{}/{} ", i.date.ymd().1, i.date.ymd().2)}</span>
                                                    {i.name.clone()}
                                                    <small>{format!(" · {}", common::action(l, i.kind))}</small>
                                                </A>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                                {(more > 0).then(|| view! { <p class="muted small">{t::more(l, more)}</p> })}
                            </div>
                        }
                    }).collect_view()
                }}
            </div>
            <section aria-labelledby="cal-list-title">
                <h2 id="cal-list-title">{move || t::list_title(lang.get())}</h2>
                <ol class="action-list" data-testid="action-list">
                    {move || {
                        let l = lang.get();
                        items.with(|all| all.iter().take(LIST_LIMIT).cloned().map(|i| {
                            let overdue = i.date < today;
                            view! {
                                <li class:overdue=overdue>
                                    <span class="date">{dates::date(l, i.date)}</span>" — "
                                    {overdue.then(|| view! { <strong>{format!("{}: ", common::overdue(l))}</strong> })}
                                    {common::action(l, i.kind)}" — "
                                    <A href=format!("/customers/{}", i.link)>{i.name}</A>
                                    {(!i.offer.is_empty()).then(|| format!(" ({})", i.offer))}
                                </li>
                            }
                        }).collect::<Vec<_>>())
                    }}
                </ol>
                {move || {
                    let n = items.with(Vec::len);
                    (n > LIST_LIMIT).then(|| view! { <p class="muted">{t::list_cut(lang.get(), LIST_LIMIT, n)}</p> })
                }}
                <Show when=move || items.with(Vec::is_empty)>
                    <p class="muted">{move || t::nothing(lang.get())}</p>
                </Show>
            </section>
            <crate::components::calendar_links::CalendarLinks />
        </section>
    }
}
