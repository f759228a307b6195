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

/// The current page's name, as its window title says it (shared with the announcer).
#[derive(Debug, Clone, Copy)]
pub struct PageName(RwSignal<String>);

/// Provides the page name the announcer reads; called once by the app shell.
pub fn provide_page_name() {
    provide_context(PageName(RwSignal::new(String::new())));
}

/// Sets the window title to "`page` · Cutover" while the calling page is shown.
pub fn use_page_title(page: impl Fn() -> String + 'static) {
    let shared = use_context::<PageName>();
    Effect::new(move |_| {
        let name = page();
        document().set_title(&format!("{name} · Cutover"));
        if let Some(PageName(n)) = shared {
            n.set(name);
        }
    });
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
    let name = use_context::<PageName>().map(|n| n.0);
    // Until when (ms since the epoch) a change of the page's name is news: a customer's page names
    // itself by its id until the record has arrived.
    let fresh_until = StoredValue::new(0.0_f64);
    let announced = StoredValue::new(String::new());
    let announce = move |page: String| {
        if page.is_empty() || announced.with_value(|a| *a == page) {
            return;
        }
        announced.set_value(page.clone());
        // Emptied first, so that the same words are announced again on a later visit.
        message.set(String::new());
        gloo_timers::callback::Timeout::new(50, move || {
            message.set(common::now_on_page(lang.get_untracked(), &page));
        })
        .forget();
    };
    Effect::new(move |_| {
        let page = name.map(|n| n.get()).unwrap_or_default();
        if js_sys::Date::now() < fresh_until.get_value() {
            announce(page);
        }
    });
    // Each navigation gets a number; a later one stops the search of an earlier one.
    let generation = RwSignal::new(0_u32);
    Effect::new(move |previous: Option<String>| {
        let path = pathname.get();
        // The first page load keeps the browser's own focus (the skip link comes first).
        if let Some(prev) = previous
            && prev != path
        {
            generation.update(|g| *g += 1);
            announced.set_value(String::new());
            let mine = generation.get_untracked();
            // What had focus when the link was followed; if it is still there, focus is "lost".
            let from = document().active_element();
            let found = move |heading: String| {
                fresh_until.set_value(js_sys::Date::now() + 5_000.0);
                let page = name.map(|n| n.get_untracked()).unwrap_or_default();
                announce(if page.is_empty() { heading } else { page });
            };
            look_for_heading(mine, generation, from, TRIES, found);
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
    from: Option<web_sys::Element>,
    tries: u32,
    found: impl Fn(String) + Copy + 'static,
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
                look_for_heading(mine, generation, from, tries - 1, found);
            }
            return;
        };
        found(h1.text_content().unwrap_or_default().trim().to_owned());
        let active = document().active_element();
        let lost = match &active {
            None => true,
            Some(a) => {
                from.as_ref() == Some(a)
                    || a.tag_name().eq_ignore_ascii_case("body")
                    || a.tag_name().eq_ignore_ascii_case("main")
            }
        };
        // A page that places focus itself says so while it renders (before this first look).
        let claimed = CLAIMED.with(|c| c.replace(false));
        if lost && !claimed {
            focus_main_heading();
        }
    })
    .forget();
}
