//! A virtualized customer table: only the rows in view (plus a margin) are in the DOM.
//!
//! For assistive technology it is an ARIA table: column headers, a row count for the whole list
//! and each row's index in it, so a screen reader says "Cutover: 14 Jan 2028" and "row 120 of
//! 3000" although only a few dozen rows exist at a time. Each row's steps and warnings are in a
//! dialog opened from the row (no information lives only in a hover title), and returning from a
//! customer puts focus back on that customer's row.
use std::cell::RefCell;
use std::rc::Rc;

use cutover_plan::checklist::StepStatus;
use leptos::prelude::*;
use leptos_router::components::A;
use wasm_bindgen::JsCast;
use web_sys::Element;

use crate::components::modal::{Modal, focus_main_heading};
use crate::components::route_focus::claim_focus;
use crate::dom::{El, closest_with, text_el};
use crate::i18n::customers as t;
use crate::i18n::{Lang, common, dates, use_lang};
use crate::pages::portfolio::{Entries, Entry, Standing};

/// Row height in CSS pixels; must match `.vrow` in style/customers.css.
pub const ROW_HEIGHT: i32 = 44;
/// Rows rendered above and below the visible window.
const OVERSCAN: usize = 10;

/// The top of row `pos`, or the height of `pos` rows, in CSS pixels.
fn px(pos: usize) -> i32 {
    i32::try_from(pos).map_or(i32::MAX, |p| p.saturating_mul(ROW_HEIGHT))
}

/// The first row to render and how many, for a list scrolled to `scroll_top` showing `height`
/// pixels: the rows in view and [`OVERSCAN`] on each side (none above the first row, so the
/// first screen builds only the rows it can show soon).
fn window_rows(scroll_top: i32, height: i32) -> (usize, usize) {
    let top = usize::try_from(scroll_top / ROW_HEIGHT).unwrap_or(0);
    let visible = usize::try_from((height + ROW_HEIGHT - 1) / ROW_HEIGHT).unwrap_or(0);
    let first = top.saturating_sub(OVERSCAN);
    (first, top + visible + OVERSCAN - first)
}

thread_local! {
    /// The customer (route id) whose row was followed last, to return focus to it.
    static LAST_OPENED: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// "Relationship: Done; …" for each step of `e`.
fn step_texts(l: Lang, e: &Entry) -> Vec<String> {
    e.steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let st = match s {
                StepStatus::Done => common::status_done(l),
                StepStatus::Open => common::status_open(l),
                StepStatus::NotNeeded => common::status_not_needed(l),
            };
            format!("{}. {}: {st}", i + 1, common::step_name(l, i))
        })
        .collect()
}

/// Every warning of `e` as a sentence, tenant differences included ([`Entry::warning_count`] of
/// them).
fn warning_texts(l: Lang, e: &Entry) -> Vec<String> {
    let mut out: Vec<String> = e
        .warnings
        .iter()
        .map(|w| common::warning(l, w).to_owned())
        .collect();
    if e.drift > 0 {
        out.push(t::tenant_differs(l, e.drift));
    }
    out
}

/// What identifies a rendered row: its position, its entry, the portfolio's generation and the
/// language. A row whose key is unchanged is kept as it is.
type RowKey = (usize, usize, usize, Lang);

/// One row, built as plain elements: a page of rows is rendered on every scroll, and the list's
/// first rows are on the critical path of the first screen. Clicks are handled by one listener on
/// the list (`data-opens`, `data-details`); the router follows the plain link like any other.
fn row_element(e: &Entry, pos: usize, idx: usize, l: Lang) -> Element {
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
    let fill = if needed == 0 || !e.has_record {
        0
    } else {
        done * 100 / needed
    };
    let steps = step_texts(l, e).join("; ");
    let next = e
        .next
        .map(|n| format!("{} · {}", common::action(l, n.kind), dates::date(l, n.date)))
        .unwrap_or_default();
    let cutover = e.cutover.map(|d| dates::date(l, d)).unwrap_or_default();
    let nw = e.warning_count();
    let cell = |class: &str| El::new("span").class(class).attr("role", "cell");
    let details = El::new("button")
        .attr("type", "button")
        .class(if nw > 0 {
            "row-details warn-chip"
        } else {
            "row-details"
        })
        .attr("aria-haspopup", "dialog")
        .testid("row-details")
        .attr("data-details", &idx.to_string())
        .text(&if nw > 0 {
            format!("⚠ {nw}")
        } else {
            t::details(l).to_owned()
        })
        .child(text_el(
            "span",
            "sr-only",
            &format!(" — {}", t::details_for(l, &e.name)),
        ));
    El::new("div")
        .class("vrow")
        .attr("role", "row")
        .attr("aria-rowindex", &(pos + 2).to_string())
        .attr("data-pos", &pos.to_string())
        .attr("style", &format!("top: {}px", px(pos)))
        .child(
            cell("vrow-name").child(
                El::new("a")
                    .attr("href", &format!("/customers/{}", e.link))
                    .attr("data-opens", &e.link)
                    .text(&e.name),
            ),
        )
        .child(cell("vrow-domain").text(&e.domain))
        .child(cell("vrow-rel").text(standing))
        .child(
            cell("vrow-progress")
                .child(
                    El::new("span")
                        .class("meter")
                        .attr("aria-hidden", "true")
                        .child(
                            El::new("span")
                                .class("meter-fill")
                                .attr("style", &format!("width: {fill}%")),
                        ),
                )
                .text(&progress)
                .child(text_el("span", "sr-only", &format!(" ({steps})"))),
        )
        .child(cell("vrow-next").text(&next))
        .child(cell("vrow-cutover").text(&cutover))
        .child(cell("vrow-warn").child(details))
        .into_element()
}

/// Makes `host`'s rows those of `want` (sorted by position), keeping the elements of rows whose
/// key is unchanged in place (moving a focused row would take its focus away) and building the
/// others with `build`.
fn reconcile_rows(
    host: &Element,
    shown: &mut Vec<(RowKey, Element)>,
    want: &[RowKey],
    build: impl Fn(RowKey) -> Option<Element>,
) {
    let mut kept = std::mem::take(shown);
    kept.retain(|(k, el)| {
        let keep = want.contains(k);
        if !keep {
            el.remove();
        }
        keep
    });
    // Both lists are sorted by position, so the kept rows are in the order `want` has them.
    let mut kept = kept.into_iter().peekable();
    let mut next: Option<Element> = host.first_element_child();
    for &k in want {
        if kept.peek().is_some_and(|(old, _)| *old == k) {
            if let Some((k, el)) = kept.next() {
                next = el.next_element_sibling();
                shown.push((k, el));
            }
        } else if let Some(el) = build(k) {
            let before: Option<&web_sys::Node> = next.as_ref().map(AsRef::as_ref);
            let _ = host.insert_before(&el, before);
            shown.push((k, el));
        }
    }
}

/// One customer's steps and warnings, in a dialog opened from the row.
#[component]
fn RowDetails(entry: Entry, details: RwSignal<Option<usize>>) -> impl IntoView {
    let lang = use_lang();
    let close = Callback::new(move |_| details.set(None));
    let link = format!("/customers/{}", entry.link);
    let entry = StoredValue::new(entry);
    view! {
        <Modal labelledby="row-details-title" on_close=close testid="row-details-dialog">
            {move || {
                let l = lang.get();
                entry.with_value(|e| {
                    let warnings = warning_texts(l, e);
                    view! {
                        <h2 id="row-details-title">{e.name.clone()}</h2>
                        <p class="muted">{e.domain.clone()}</p>
                        <h3>{t::col_progress(l)}</h3>
                        <ul class="details-list">
                            {step_texts(l, e).into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}
                        </ul>
                        <h3>{t::col_warnings(l)}</h3>
                        {if warnings.is_empty() {
                            view! { <p>{t::no_warnings(l)}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="details-list warnings">
                                    {warnings.into_iter().map(|w| view! { <li class="warning">"⚠ " {w}</li> }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    }
                })
            }}
            <div class="actions">
                <A href=link.clone() attr:class="button secondary">{move || t::open_customer(lang.get())}</A>
                <button type="button" class="button" on:click=move |_| close.run(())>{move || common::close(lang.get())}</button>
            </div>
        </Modal>
    }
}

/// The space the page keeps above and below the list, and the list's least height: the same
/// numbers as `.vlist` in style/customers.css (`height: calc(100vh - 330px); min-height: 300px`;
/// a test below reads the stylesheet).
const LIST_CHROME_PX: i32 = 330;
const LIST_MIN_PX: i32 = 300;

/// The list's height in a window `inner_height` px tall, before it is laid out.
fn initial_list_height(inner_height: i32) -> i32 {
    (inner_height - LIST_CHROME_PX).max(LIST_MIN_PX)
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
    let scroll_top = RwSignal::new(0_i32);
    // The list's height until it is scrolled, as style/customers.css sets it; reading it from the
    // element would force a layout before the first rows exist.
    let view_height = RwSignal::new(
        window()
            .inner_height()
            .ok()
            .and_then(|h| h.as_f64())
            .map_or(640, |h| initial_list_height(h as i32)),
    );
    let list_ref = NodeRef::<leptos::html::Div>::new();
    let inner_ref = NodeRef::<leptos::html::Div>::new();
    let details = RwSignal::new(None::<usize>);
    let window = Memo::new(move |_| {
        let (first, count) = window_rows(scroll_top.get(), view_height.get());
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
        scroll_top.set(el.scroll_top());
        view_height.set(el.client_height());
    };
    // Scrolls row `pos` into the middle of the list when it is not in view; then focuses its link.
    let show_row = move |pos: usize| {
        let Some(list) = list_ref.get_untracked() else {
            return;
        };
        let head = inner_ref.get_untracked().map_or(0, |i| i.offset_top());
        let top = head.saturating_add(px(pos));
        let height = list.client_height();
        let scroll = list.scroll_top();
        if top < scroll + head || top + ROW_HEIGHT > scroll + height {
            list.set_scroll_top((top - height / 2).max(0));
            scroll_top.set(list.scroll_top());
        }
        view_height.set(height);
        let focus = move || {
            if let Some(Ok(Some(a))) = list_ref
                .get_untracked()
                .map(|l| l.query_selector(&format!("[data-pos=\"{pos}\"] a")))
                && let Ok(a) = a.dyn_into::<web_sys::HtmlElement>()
            {
                let _ = a.focus();
                true
            } else {
                false
            }
        };
        // At once when the row is rendered (so a fast second key press starts from it), else
        // once the scrolled window has rendered it.
        if !focus() {
            gloo_timers::callback::Timeout::new(0, move || {
                focus();
            })
            .forget();
        }
    };
    // Arrow keys move between rows, scrolling rows that are not rendered yet into view.
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let step: i64 = match ev.key().as_str() {
            "ArrowDown" => 1,
            "ArrowUp" => -1,
            _ => return,
        };
        let current = document()
            .active_element()
            .and_then(|a| a.closest("[data-pos]").ok().flatten())
            .and_then(|row| row.get_attribute("data-pos"))
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or(-1);
        let len = rows.with_untracked(Vec::len) as i64;
        let target = (current + step).clamp(0, (len - 1).max(0));
        ev.prevent_default();
        show_row(target as usize);
    };
    // Back from a customer: focus that customer's row once the list has it (or the heading if the
    // list no longer shows it).
    let returning = LAST_OPENED.with(|o| o.borrow().clone());
    if returning.is_some() {
        claim_focus();
        let pending = StoredValue::new(returning);
        Effect::new(move |_| {
            let Some(link) = pending.get_value() else {
                return;
            };
            // The list may not be in the document yet (a page shown inside the sign-in gate
            // mounts after this runs): wait for it rather than give the focus up.
            if list_ref.get().is_none() {
                return;
            }
            let pos = entries.with(|e| {
                rows.with(|r| {
                    r.iter()
                        .position(|i| e.0.get(*i).is_some_and(|x| x.link == link))
                })
            });
            let done = match pos {
                Some(pos) => {
                    show_row(pos);
                    true
                }
                None if !loading.get() => {
                    focus_main_heading();
                    true
                }
                None => false,
            };
            if done {
                pending.set_value(None);
                LAST_OPENED.with(|o| *o.borrow_mut() = None);
            }
        });
    }
    // Rows are rebuilt when the portfolio is re-planned: if that took the focused row away,
    // focus goes back to the same place in the new row rather than to the top of the page.
    let focused_at = StoredValue::new(None::<(usize, bool)>);
    let on_focusin = move |ev: leptos::ev::FocusEvent| {
        let target = event_target::<web_sys::Element>(&ev);
        let pos = target
            .closest("[data-pos]")
            .ok()
            .flatten()
            .and_then(|r| r.get_attribute("data-pos"))
            .and_then(|p| p.parse::<usize>().ok());
        focused_at.set_value(pos.map(|p| (p, target.tag_name().eq_ignore_ascii_case("button"))));
    };
    let on_focusout = move |ev: leptos::ev::FocusEvent| {
        let inside = ev
            .related_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
            .zip(list_ref.get_untracked())
            .is_some_and(|(t, l)| l.contains(Some(&t)));
        if ev.related_target().is_some() && !inside {
            focused_at.set_value(None);
        }
    };
    Effect::new(move |_| {
        window.track();
        gloo_timers::callback::Timeout::new(0, move || {
            let Some((pos, button)) = focused_at.get_value() else {
                return;
            };
            let lost = document()
                .active_element()
                .is_none_or(|a| a.tag_name().eq_ignore_ascii_case("body"));
            let what = if button { "button" } else { "a" };
            if lost
                && let Some(Ok(Some(el))) = list_ref
                    .get_untracked()
                    .map(|l| l.query_selector(&format!("[data-pos=\"{pos}\"] {what}")))
                && let Ok(el) = el.dyn_into::<web_sys::HtmlElement>()
            {
                let _ = el.focus();
            }
        })
        .forget();
    });
    // The rows in the window, kept in step with it (see `row_element`).
    let shown = Rc::new(RefCell::new(Vec::<(RowKey, Element)>::new()));
    Effect::new(move |_| {
        let want = window.get();
        let Some(host) = inner_ref.get() else {
            return;
        };
        let all = entries.get_untracked();
        reconcile_rows(&host, &mut shown.borrow_mut(), &want, |(pos, idx, _, l)| {
            all.0.get(idx).map(|e| row_element(e, pos, idx, l))
        });
    });
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if let Some((_, idx)) = closest_with(&ev, "data-details") {
            if let Ok(idx) = idx.parse::<usize>() {
                details.set(Some(idx));
            }
        } else if let Some((_, link)) = closest_with(&ev, "data-opens") {
            LAST_OPENED.with(|o| *o.borrow_mut() = Some(link));
        }
    };
    let count = move || (rows.with(Vec::len) + 1).to_string();
    let header = move |text: fn(Lang) -> &'static str| {
        view! { <span role="columnheader">{move || text(lang.get())}</span> }
    };
    view! {
        <div class="vtable">
            <div class="vlist" role="table" aria-label=move || t::list_label(lang.get()) aria-rowcount=count
                data-testid="customer-list" node_ref=list_ref on:scroll=on_scroll on:keydown=on_key on:click=on_click
                on:focusin=on_focusin on:focusout=on_focusout>
                <div class="vlist-head" role="rowgroup">
                    <div class="vhead" role="row" aria-rowindex="1">
                        {header(t::col_name)}
                        {header(t::col_domain)}
                        {header(t::col_relationship)}
                        {header(t::col_progress)}
                        {header(t::col_next)}
                        {header(t::col_cutover)}
                        {header(t::col_warnings)}
                    </div>
                </div>
                <div class="vlist-inner" role="rowgroup" node_ref=inner_ref
                    style:height=move || format!("{}px", px(rows.with(Vec::len)))>
                </div>
            </div>
            <Show when=move || rows.with(Vec::is_empty) && !loading.get()>
                <p class="empty muted">{move || t::none_match(lang.get())}</p>
            </Show>
            {move || details.get().and_then(|i| entries.with_untracked(|e| e.0.get(i).cloned())).map(|entry| view! {
                <RowDetails entry details />
            })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_height_uses_the_stylesheets_numbers() {
        let css = include_str!("../../style/customers.css");
        let vlist = css
            .lines()
            .find(|l| l.starts_with(".vlist {"))
            .expect("style/customers.css styles .vlist");
        assert!(
            vlist.contains(&format!("height: calc(100vh - {LIST_CHROME_PX}px)")),
            "{vlist}"
        );
        assert!(
            vlist.contains(&format!("min-height: {LIST_MIN_PX}px")),
            "{vlist}"
        );
        assert_eq!(initial_list_height(800), 470);
        assert_eq!(initial_list_height(500), LIST_MIN_PX);
    }
}
