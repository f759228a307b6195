//! One customer's migration checklist (filled in by the partner UI work).
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// The customer page.
#[component]
pub fn CustomerPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    view! {
        <section class="page">
            <p><A href="/">"← Customers"</A></p>
            <h1>"Customer"</h1>
            <p class="muted">"Partner Center id " <code>{id}</code></p>
        </section>
    }
}
