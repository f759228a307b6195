//! What a screen reader and a keyboard need when the app changes page without a page load:
//! every page names itself in the window title, focus moves to the new page's main heading, and
//! a polite live region says where the user now is. A page that knows better where focus
//! belongs (the customer list returning to the row the user came from) claims it.
use std::cell::Cell;

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use wasm_bindgen::JsCast;

use crate::components::modal::focus_main_heading;
use crate::i18n::{common, use_lang};

thread_local! {
    /// Set by a page that will put focus somewhere itself after this navigation.
    static CLAIMED: Cell<bool> = const { Cell::new(false) };
}

/// Tells the focus manager that this page places focus itself after the current navigation.
pub fn claim_focus() {
    CLAIMED.with(|c| c.set(true));
}

/// Sets the window title to "`page` · Cutover" while the calling page is shown.
pub fn use_page_title(page: impl Fn() -> String + 'static) {
    Effect::new(move |_| document().set_title(&format!("{} · Cutover", page())));
}

/// How many times to look for the new page's heading (every 100 ms): screens downloaded on first
/// visit render their heading only once their code has arrived.
const TRIES: u32 = 100;

/// The live region and the focus manager; sits once in the app shell, inside `<main>`.
#[component]
pub fn RouteAnnouncer() -> impl IntoView {
    let lang = use_lang();
    let pathname = use_location().pathname;
    let message = RwSignal::new(String::new());
    // Each navigation gets a number; a later one stops the search of an earlier one.
    let generation = RwSignal::new(0_u32);
    Effect::new(move |previous: Option<String>| {
        let path = pathname.get();
        // The first page load keeps the browser's own focus (the skip link comes first).
        if let Some(prev) = previous
            && prev != path
        {
            CLAIMED.with(|c| c.set(false));
            generation.update(|g| *g += 1);
            let mine = generation.get_untracked();
            // What had focus when the link was followed; if it is still there, focus is "lost".
            let from = document().active_element();
            look_for_heading(mine, generation, message, from, TRIES, lang);
        }
        path
    });
    view! {
        <div class="sr-only" role="status" aria-live="polite" aria-atomic="true" data-testid="route-announcer">
            {move || message.get()}
        </div>
    }
}

fn look_for_heading(
    mine: u32,
    generation: RwSignal<u32>,
    message: RwSignal<String>,
    from: Option<web_sys::Element>,
    tries: u32,
    lang: RwSignal<crate::i18n::Lang>,
) {
    gloo_timers::callback::Timeout::new(if tries == TRIES { 0 } else { 100 }, move || {
        if generation.get_untracked() != mine {
            return;
        }
        let heading = document()
            .query_selector("main h1")
            .ok()
            .flatten()
            .and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok());
        let Some(h1) = heading else {
            if tries > 1 {
                look_for_heading(mine, generation, message, from, tries - 1, lang);
            }
            return;
        };
        let name = h1.text_content().unwrap_or_default();
        // Said after the region has been emptied, so the same page name is announced again.
        message.set(String::new());
        gloo_timers::callback::Timeout::new(50, move || {
            message.set(common::now_on_page(lang.get_untracked(), name.trim()));
        })
        .forget();
        let active = document().active_element();
        let lost = match &active {
            None => true,
            Some(a) => {
                from.as_ref() == Some(a)
                    || a.tag_name().eq_ignore_ascii_case("body")
                    || a.tag_name().eq_ignore_ascii_case("main")
            }
        };
        if lost && !CLAIMED.with(Cell::get) {
            focus_main_heading();
        }
    })
    .forget();
}
