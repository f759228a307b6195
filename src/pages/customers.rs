//! The customer list: Partner Center customers merged with the store's prospects, planned in one
//! pass; search, filters and sorting live in the URL so a view can be shared.
use std::cmp::Ordering;

use cutover_plan::record::Channel;
use cutover_plan::{Date, Warning};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::components::error_banner::ErrorBanner;
use crate::components::portfolio_summary::PortfolioSummary;
use crate::components::route_focus::use_page_title;
use crate::components::virtual_rows::VirtualRows;
use crate::i18n::customers as t;
use crate::i18n::{common, use_lang};
use crate::pages::portfolio::{Entries, Entry, Load, channel_bit, use_portfolio};

/// The list's filters and sorting, as held in the URL query.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    /// Search text.
    pub q: String,
    /// Warning code, or `any`.
    pub warn: String,
    /// Current step 1–4, or 5 for done.
    pub step: String,
    /// Channel code.
    pub channel: String,
    /// Cutover date from (inclusive).
    pub from: String,
    /// Cutover date to (inclusive).
    pub to: String,
    /// `name`, `domain`, `next`, `cutover`, `progress`.
    pub sort: String,
    /// Descending.
    pub desc: bool,
}

impl Filters {
    const KEYS: [&'static str; 7] = ["q", "warn", "step", "channel", "from", "to", "sort"];

    fn get(&self, key: &str) -> &str {
        match key {
            "q" => &self.q,
            "warn" => &self.warn,
            "step" => &self.step,
            "channel" => &self.channel,
            "from" => &self.from,
            "to" => &self.to,
            _ => &self.sort,
        }
    }

    fn set(&mut self, key: &str, v: String) {
        match key {
            "q" => self.q = v,
            "warn" => self.warn = v,
            "step" => self.step = v,
            "channel" => self.channel = v,
            "from" => self.from = v,
            "to" => self.to = v,
            "desc" => self.desc = v == "1",
            _ => self.sort = v,
        }
    }

    /// The query string (`?q=…&sort=…`), empty values left out.
    #[must_use]
    pub fn to_query(&self) -> String {
        let mut parts: Vec<String> = Self::KEYS
            .iter()
            .filter(|k| !self.get(k).is_empty())
            .map(|k| {
                format!(
                    "{k}={}",
                    String::from(js_sys::encode_uri_component(self.get(k)))
                )
            })
            .collect();
        if self.desc {
            parts.push("desc=1".into());
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }

    /// Whether an entry passes every filter.
    #[must_use]
    pub fn matches(&self, e: &Entry, q: &str, from: Option<Date>, to: Option<Date>) -> bool {
        if !q.is_empty() && !e.haystack.contains(q) {
            return false;
        }
        match self.warn.as_str() {
            "" => {}
            "any" => {
                if e.warnings.is_empty() {
                    return false;
                }
            }
            code => {
                if !Warning::from_code(code).is_some_and(|w| e.warnings.contains(w)) {
                    return false;
                }
            }
        }
        if let Ok(step) = self.step.parse::<usize>()
            && e.current_step() != step
        {
            return false;
        }
        if let Some(c) = Channel::parse(&self.channel)
            && e.channels & (1 << channel_bit(c)) == 0
        {
            return false;
        }
        if from.is_some() || to.is_some() {
            let Some(d) = e.cutover else { return false };
            if from.is_some_and(|f| d < f) || to.is_some_and(|t| d > t) {
                return false;
            }
        }
        true
    }
}

/// The indices of `entries` that pass `f`, sorted as `f` says.
#[must_use]
pub fn filter_and_sort(entries: &[Entry], f: &Filters) -> Vec<usize> {
    let q = f.q.trim().to_lowercase();
    let from = Date::parse(&f.from).ok();
    let to = Date::parse(&f.to).ok();
    let mut rows: Vec<usize> = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| f.matches(e, &q, from, to))
        .map(|(i, _)| i)
        .collect();
    // One comparison function per column, and ties kept in Partner Center's order by the index:
    // the same order a stable sort gives, from one unstable sort compiled once (each stable
    // sort by a different key was its own ~4 KB of code in the first screen's wasm).
    let by: fn(&Entry, &Entry) -> Ordering = match f.sort.as_str() {
        "domain" => |a, b| a.domain.cmp(&b.domain),
        "next" => |a, b| next_date(a).cmp(&next_date(b)),
        "cutover" => |a, b| cutover_date(a).cmp(&cutover_date(b)),
        "progress" => |a, b| a.current_step().cmp(&b.current_step()),
        // Case-insensitive, without a lower-cased copy per comparison.
        "name" => |a, b| lower_name(a).cmp(lower_name(b)),
        // Work first: customers with a plan by their next action, then by cutover date; customers
        // without a plan after them, in Partner Center's order.
        _ => |a, b| {
            (!a.has_record, next_date(a), cutover_date(a)).cmp(&(
                !b.has_record,
                next_date(b),
                cutover_date(b),
            ))
        },
    };
    rows.sort_unstable_by(|&a, &b| by(&entries[a], &entries[b]).then(a.cmp(&b)));
    if f.desc {
        rows.reverse();
    }
    rows
}

/// Sorts after every date: rows without one come last.
const FAR: Date = Date::from_days(i32::MAX / 2);

fn lower_name(e: &Entry) -> impl Iterator<Item = char> + '_ {
    e.name.chars().flat_map(char::to_lowercase)
}

fn next_date(e: &Entry) -> Date {
    e.next.map_or(FAR, |n| n.date)
}

fn cutover_date(e: &Entry) -> Date {
    e.cutover.unwrap_or(FAR)
}

/// The customer list page.
#[component]
pub fn CustomerList() -> impl IntoView {
    let lang = use_lang();
    use_page_title(move || common::nav_customers(lang.get()).to_owned());
    let portfolio = use_portfolio();
    portfolio.ensure_customers();
    portfolio.ensure_records();
    portfolio.ensure_settings();
    let query = use_query_map();
    let filters = Memo::new(move |_| {
        let q = query.read();
        let mut f = Filters::default();
        for k in Filters::KEYS.iter().chain(&["desc"]) {
            if let Some(v) = q.get(k) {
                f.set(k, v);
            }
        }
        f
    });
    let navigate = use_navigate();
    let set = move |key: &'static str, value: String| {
        let mut f = filters.get_untracked();
        f.set(key, value);
        navigate(
            &format!("/{}", f.to_query()),
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    };
    let set = StoredValue::new(set);
    // The list waits for the records and the settings before it shows anyone: shown earlier,
    // every customer would read "No plan" and the rows would reorder themselves under the
    // pointer when the plans arrive (a click could open the wrong customer). Once shown, they
    // stay while the records are loaded again (Retry).
    let settled = Memo::new(move |was: Option<&bool>| {
        was.copied().unwrap_or(false) || portfolio.plans_settled()
    });
    let entries = Memo::new(move |_| {
        if settled.get() {
            portfolio.entries.get()
        } else {
            Entries::default()
        }
    });
    let rows = Memo::new(move |_| {
        let f = filters.get();
        entries.with(|e| filter_and_sort(&e.0, &f))
    });
    let progress = portfolio.progress;
    let customers = portfolio.customers;
    let status_line = move || {
        let l = lang.get();
        // The rows wait for the plans (see `settled`): say so, rather than "loading customers"
        // over an empty list.
        if !settled.get() && progress.with(|p| p.error.is_none() && p.retry_in.is_none()) {
            return t::loading_plans(l).to_owned();
        }
        let loaded = customers.with(Vec::len);
        progress.with(|p| match p.retry_in {
            Some(secs) => t::throttled(l, loaded, p.total, secs),
            None => t::status_line(l, loaded, p.total, p.done, p.error.is_some()),
        })
    };
    let shown = move || t::shown(lang.get(), rows.with(Vec::len), entries.with(|e| e.0.len()));
    let select = move |key: &'static str, options: Vec<(String, String)>, label: &'static str| {
        view! {
            <label class="field">
                <span>{label}</span>
                <select data-testid=format!("filter-{key}")
                    prop:value=move || filters.with(|f| f.get(key).to_owned())
                    on:change=move |ev| set.with_value(|s| s(key, event_target_value(&ev)))>
                    {options.into_iter().map(|(v, text)| {
                        let v2 = v.clone();
                        view! { <option value=v selected=move || filters.with(|f| f.get(key) == v2)>{text}</option> }
                    }).collect_view()}
                </select>
            </label>
        }
    };
    let toolbar = move || {
        let l = lang.get();
        let mut warn = vec![
            (String::new(), t::all(l).to_owned()),
            ("any".into(), t::any_warning(l).to_owned()),
        ];
        warn.extend(
            Warning::ALL
                .iter()
                .map(|w| (w.code().to_owned(), common::warning(l, *w).to_owned())),
        );
        let mut step = vec![(String::new(), t::all(l).to_owned())];
        step.extend((0..4).map(|i| {
            (
                (i + 1).to_string(),
                format!("{}. {}", i + 1, common::step_name(l, i)),
            )
        }));
        step.push(("5".into(), t::all_done(l).to_owned()));
        let mut channel = vec![(String::new(), t::all(l).to_owned())];
        channel.extend(
            [
                Channel::Direct,
                Channel::Partner,
                Channel::Open,
                Channel::Ea,
            ]
            .iter()
            .map(|c| (c.code().to_owned(), common::channel(l, *c).to_owned())),
        );
        let sort = vec![
            (String::new(), t::sort_default(l).to_owned()),
            ("name".into(), t::col_name(l).to_owned()),
            ("domain".into(), t::col_domain(l).to_owned()),
            ("progress".into(), t::col_progress(l).to_owned()),
            ("next".into(), t::col_next(l).to_owned()),
            ("cutover".into(), t::col_cutover(l).to_owned()),
        ];
        view! {
            <div class="toolbar" role="search">
                <label class="field">
                    <span>{t::search(l)}</span>
                    <input type="search" placeholder=t::search_placeholder(l) data-testid="search"
                        prop:value=move || filters.with(|f| f.q.clone())
                        on:input=move |ev| set.with_value(|s| s("q", event_target_value(&ev))) />
                </label>
                {select("warn", warn, t::filter_warning(l))}
                {select("step", step, t::filter_step(l))}
                {select("channel", channel, t::filter_channel(l))}
                <label class="field short">
                    <span>{t::cutover_from(l)}</span>
                    <input type="date" data-testid="filter-from" prop:value=move || filters.with(|f| f.from.clone())
                        on:change=move |ev| set.with_value(|s| s("from", event_target_value(&ev))) />
                </label>
                <label class="field short">
                    <span>{t::cutover_to(l)}</span>
                    <input type="date" data-testid="filter-to" prop:value=move || filters.with(|f| f.to.clone())
                        on:change=move |ev| set.with_value(|s| s("to", event_target_value(&ev))) />
                </label>
                {select("sort", sort, t::sort_by(l))}
                <label class="field check">
                    <input type="checkbox" data-testid="sort-desc" prop:checked=move || filters.with(|f| f.desc)
                        on:change=move |ev| set.with_value(|s| s("desc", if event_target_checked(&ev) { "1".into() } else { String::new() })) />
                    <span>{t::descending(l)}</span>
                </label>
            </div>
        }
    };

    view! {
        <section class="page">
            <div class="page-head">
                <h1>{move || common::nav_customers(lang.get())}</h1>
                <p class="muted" role="status" aria-live="polite" data-testid="load-status">{status_line}</p>
                <p class="muted" data-testid="shown-count">{shown}</p>
            </div>
            <Show when=move || progress.with(|p| p.started && !p.done && p.error.is_none())>
                <progress
                    class="load-progress"
                    aria-label=move || t::progress_label(lang.get())
                    max=move || progress.with(|p| p.total.unwrap_or(0)).max(1).to_string()
                    value=move || customers.with(Vec::len).to_string()
                ></progress>
            </Show>
            {move || progress.with(|p| p.error.clone()).map(|e| view! {
                <ErrorBanner error=e on_retry=Callback::new(move |_| portfolio.load_customers()) />
            })}
            {move || match portfolio.records_load.get() {
                Load::Failed(e) => Some(view! {
                    <ErrorBanner error=e on_retry=Callback::new(move |_| portfolio.load_records()) />
                }),
                _ => None,
            }}
            {move || {
                let n = progress.with(|p| p.problems.len());
                (n > 0).then(|| view! {
                    <div class="banner banner-warning" role="status">
                        <p>{t::unreadable(lang.get(), n)}</p>
                    </div>
                })
            }}
            <PortfolioSummary entries=entries />
            {toolbar}
            <VirtualRows entries=entries rows=rows loading=Signal::derive(move || !settled.get() || !progress.with(|p| p.done)) />
        </section>
    }
}
