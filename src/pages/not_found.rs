//! The page for a path the app does not know.
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::route_focus::use_page_title;
use crate::i18n::{common, use_lang};

/// "Not found" with a way back.
#[component]
pub fn NotFound() -> impl IntoView {
    let lang = use_lang();
    use_page_title(move || common::not_found_title(lang.get()).to_owned());
    view! {
        <section class="page">
            <h1>{move || common::not_found_title(lang.get())}</h1>
            <p>{move || common::not_found_text(lang.get())}<A href="/">{move || common::back_to_list(lang.get())}</A></p>
        </section>
    }
}
