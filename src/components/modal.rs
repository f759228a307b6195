//! A modal dialog that behaves like one for keyboard and screen-reader users: focus moves into it
//! when it opens, Tab and Shift+Tab stay inside, Esc closes it, and focus goes back to whatever
//! opened it (or, if that is gone, to the page's heading).
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

/// What can take focus inside a dialog, in document order.
const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), \
     textarea:not([disabled]), summary, [tabindex]:not([tabindex=\"-1\"])";

fn focusable_in(root: &web_sys::Element) -> Vec<HtmlElement> {
    let Ok(list) = root.query_selector_all(FOCUSABLE) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<HtmlElement>().ok())
        // Hidden elements (display: none) have no layout box and cannot take focus.
        .filter(|e| e.get_client_rects().length() > 0)
        .collect()
}

fn active_element() -> Option<HtmlElement> {
    document()
        .active_element()
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
}

/// Puts focus on the page's main heading (made focusable for this) when nothing better is left.
pub fn focus_main_heading() {
    if let Ok(Some(h1)) = document().query_selector("main h1")
        && let Ok(h1) = h1.dyn_into::<HtmlElement>()
    {
        if !h1.has_attribute("tabindex") {
            let _ = h1.set_attribute("tabindex", "-1");
        }
        let _ = h1.focus();
    }
}

/// A modal dialog labelled by the element with id `labelledby`. `on_close` is called for Esc;
/// the caller decides what closing means (usually hiding the `<Show>` this sits in).
#[component]
pub fn Modal(
    /// Id of the dialog's heading.
    labelledby: &'static str,
    /// Asked to close (Esc).
    on_close: Callback<()>,
    /// `data-testid` of the dialog element.
    #[prop(optional)]
    testid: &'static str,
    children: Children,
) -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Div>::new();
    // Whoever had focus when the dialog opened gets it back when it closes.
    let opener = SendWrapper::new(active_element());
    on_cleanup(move || {
        let opener = opener.take();
        if let Some(el) = opener.as_ref().filter(|el| el.is_connected()) {
            let _ = el.focus();
        }
        // The opener may go away with the change that closed the dialog, or with the answer that
        // follows it a while later (a button no longer offered once the order is placed): then
        // the page's heading, rather than nowhere. Checked every 100 ms for 2.5 s (a keyboard
        // user is never left on <body> for long), then at 5 and 10 s; checks after the first
        // second act only once the opener is gone, so focus someone moved on purpose is left alone.
        for ms in (0..=25).map(|i| i * 100).chain([5_000, 10_000]) {
            let opener = opener.clone();
            gloo_timers::callback::Timeout::new(ms, move || {
                let lost = document()
                    .active_element()
                    .is_none_or(|a| a.tag_name().eq_ignore_ascii_case("body"));
                let gone = opener.as_ref().is_none_or(|el| !el.is_connected());
                if lost && (ms <= 1_000 || gone) {
                    focus_main_heading();
                }
            })
            .forget();
        }
    });
    // Focus the first field or button (or the dialog itself) once it is in the document.
    Effect::new(move |_| {
        if let Some(d) = dialog.get() {
            match focusable_in(&d).into_iter().next() {
                Some(first) => {
                    let _ = first.focus();
                }
                None => {
                    let _ = d.focus();
                }
            }
        }
    });
    // On the window, so Tab is kept inside even when focus has wandered to the page (a click on
    // the backdrop puts it on <body>).
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        let Some(d) = dialog.get_untracked() else {
            return;
        };
        match ev.key().as_str() {
            "Escape" => {
                ev.prevent_default();
                ev.stop_propagation();
                on_close.run(());
            }
            "Tab" => {
                let all = focusable_in(&d);
                let (Some(first), Some(last)) = (all.first(), all.last()) else {
                    ev.prevent_default();
                    return;
                };
                let current = active_element();
                let inside = current
                    .as_ref()
                    .is_some_and(|c| d.contains(Some(c.unchecked_ref())));
                if ev.shift_key() && (!inside || current.as_ref() == Some(first)) {
                    ev.prevent_default();
                    let _ = last.focus();
                } else if !ev.shift_key() && (!inside || current.as_ref() == Some(last)) {
                    ev.prevent_default();
                    let _ = first.focus();
                }
            }
            _ => {}
        }
    });
    on_cleanup(move || keys.remove());
    view! {
        <div class="modal-backdrop">
            <div class="modal" role="dialog" aria-modal="true" aria-labelledby=labelledby tabindex="-1"
                data-testid=(!testid.is_empty()).then_some(testid) node_ref=dialog>
                {children()}
            </div>
        </div>
    }
}
