//! The page for a path the app does not know.
use leptos::prelude::*;
use leptos_router::components::A;

/// "Not found" with a way back.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="page">
            <h1>"Page not found"</h1>
            <p>"This address is not part of Cutover. "<A href="/">"Back to the customer list"</A></p>
        </section>
    }
}
