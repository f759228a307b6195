//! A virtualized customer table: only the rows in view (plus a margin) are in the DOM.
use cutover_plan::checklist::StepStatus;
use leptos::prelude::*;
use leptos_router::components::A;
use wasm_bindgen::JsCast;

use crate::i18n::customers as t;
use crate::i18n::{common, dates, use_lang};
use crate::pages::portfolio::{Entries, Entry, Standing};

/// Row height in CSS pixels; must match `.vrow` in style/customers.css.
pub const ROW_HEIGHT: f64 = 44.0;
/// Rows rendered above and below the visible window.
const OVERSCAN: usize = 10;

fn row_view(e: &Entry, pos: usize) -> impl IntoView + use<> {
    let lang = use_lang();
    let l = lang.get_untracked();
    let (done, needed) = e.progress();
    let standing = match e.standing {
        Standing::Reseller => t::standing_reseller(l),
        Standing::Other => t::standing_other(l),
        Standing::Prospect => t::standing_prospect(l),
    };
    let progress = if e.has_record {
        format!("{done}/{needed}")
    } else {
        t::no_plan(l).to_owned()
    };
    let step_title = e
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let st = match s {
                StepStatus::Done => common::status_done(l),
                StepStatus::Open => common::status_open(l),
                StepStatus::NotNeeded => common::status_not_needed(l),
            };
            format!("{}: {st}", common::step_name(l, i))
        })
        .collect::<Vec<_>>()
        .join("; ");
    let next = e
        .next
        .map(|n| format!("{} · {}", common::action(l, n.kind), dates::date(l, n.date)))
        .unwrap_or_default();
    let cutover = e.cutover.map(|d| dates::date(l, d)).unwrap_or_default();
    let nw = e.warnings.iter().count() + e.drift;
    let mut warn_texts: Vec<String> = e
        .warnings
        .iter()
        .map(|w| common::warning(l, w).to_owned())
        .collect();
    if e.drift > 0 {
        warn_texts.push(t::tenant_differs(l, e.drift));
    }
    let warn_title = warn_texts.join("; ");
    let (link, name, domain) = (
        format!("/customers/{}", e.link),
        e.name.clone(),
        e.domain.clone(),
    );
    let warn_label = warn_title.clone();
    view! {
        <div class="vrow" role="listitem" data-pos=pos.to_string() style:top=format!("{}px", pos as f64 * ROW_HEIGHT)>
            <span class="vrow-name"><A href=link>{name}</A></span>
            <span class="vrow-domain">{domain}</span>
            <span class="vrow-rel">{standing}</span>
            <span class="vrow-progress" title=step_title>
                <span class="meter" aria-hidden="true"><span class="meter-fill" style:width=format!("{}%", if needed == 0 || !e.has_record { 0 } else { done * 100 / needed })></span></span>
                {progress}
            </span>
            <span class="vrow-next">{next}</span>
            <span class="vrow-cutover">{cutover}</span>
            <span class="vrow-warn" title=warn_title>
                {(nw > 0).then(|| view! { <span class="warn-chip" aria-label=warn_label>"⚠ " {nw}</span> })}
            </span>
        </div>
    }
}

/// Renders `rows` (indices into `entries`) as a scrollable, virtualized table.
#[component]
pub fn VirtualRows(
    entries: Memo<Entries>,
    rows: Memo<Vec<usize>>,
    /// While true, an empty list means "nothing yet", not "nothing matches".
    loading: Signal<bool>,
) -> impl IntoView {
    let lang = use_lang();
    let scroll_top = RwSignal::new(0.0_f64);
    let view_height = RwSignal::new(640.0_f64);
    let list_ref = NodeRef::<leptos::html::Div>::new();
    let window = Memo::new(move |_| {
        let first = ((scroll_top.get() / ROW_HEIGHT).floor() as usize).saturating_sub(OVERSCAN);
        let count = (view_height.get() / ROW_HEIGHT).ceil() as usize + 2 * OVERSCAN;
        // Rows are rebuilt when the portfolio is re-planned or the language changes.
        let generation = entries.with(|e| std::sync::Arc::as_ptr(&e.0) as usize);
        let l = lang.get();
        rows.with(|r| {
            let end = (first + count).min(r.len());
            (first.min(end)..end)
                .map(|pos| (pos, r[pos], generation, l))
                .collect::<Vec<_>>()
        })
    });
    let on_scroll = move |ev: leptos::ev::Event| {
        let el = event_target::<web_sys::Element>(&ev);
        scroll_top.set(el.scroll_top() as f64);
        view_height.set(el.client_height() as f64);
    };
    // Arrow keys move between rows, scrolling rows that are not rendered yet into view.
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let step: i64 = match ev.key().as_str() {
            "ArrowDown" => 1,
            "ArrowUp" => -1,
            _ => return,
        };
        let Some(list) = list_ref.get() else { return };
        let current = document()
            .active_element()
            .and_then(|a| a.closest("[data-pos]").ok().flatten())
            .and_then(|row| row.get_attribute("data-pos"))
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or(-1);
        let len = rows.with_untracked(Vec::len) as i64;
        let target = (current + step).clamp(0, (len - 1).max(0));
        ev.prevent_default();
        let top = target as f64 * ROW_HEIGHT;
        let height = f64::from(list.client_height());
        let scroll = f64::from(list.scroll_top());
        if top < scroll || top + ROW_HEIGHT > scroll + height {
            list.set_scroll_top((top - height / 2.0).max(0.0) as i32);
            scroll_top.set(f64::from(list.scroll_top()));
        }
        let focus = move || {
            if let Some(Ok(Some(a))) = list_ref
                .get_untracked()
                .map(|l| l.query_selector(&format!("[data-pos=\"{target}\"] a")))
                && let Ok(a) = a.dyn_into::<web_sys::HtmlElement>()
            {
                let _ = a.focus();
            }
        };
        gloo_timers::callback::Timeout::new(0, focus).forget();
    };
    view! {
        <div class="vtable">
            <div class="vlist-head" aria-hidden="true">
                <span>{move || t::col_name(lang.get())}</span>
                <span>{move || t::col_domain(lang.get())}</span>
                <span>{move || t::col_relationship(lang.get())}</span>
                <span>{move || t::col_progress(lang.get())}</span>
                <span>{move || t::col_next(lang.get())}</span>
                <span>{move || t::col_cutover(lang.get())}</span>
                <span>{move || t::col_warnings(lang.get())}</span>
            </div>
            <div class="vlist" role="list" aria-label=move || t::list_label(lang.get()) data-testid="customer-list" node_ref=list_ref on:scroll=on_scroll on:keydown=on_key>
                <div class="vlist-inner" style:height=move || format!("{}px", rows.with(Vec::len) as f64 * ROW_HEIGHT)>
                    <For each=move || window.get() key=|item| *item let:item>
                        {
                            let (pos, idx, _, _) = item;
                            let all = entries.get_untracked();
                            all.0.get(idx).map(|e| row_view(e, pos))
                        }
                    </For>
                </div>
                <Show when=move || rows.with(Vec::is_empty) && !loading.get()>
                    <p class="empty muted">{move || t::none_match(lang.get())}</p>
                </Show>
            </div>
        </div>
    }
}
