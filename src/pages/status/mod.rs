//! The customer's read-only status page behind a share link (`/status/{token}`).
use leptos::prelude::*;

/// The status page.
#[component]
pub fn StatusPage() -> impl IntoView {
    view! { <section class="page"><h1>"Migration status"</h1></section> }
}
