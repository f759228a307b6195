//! Share links of one customer: create (token shown once), copy, list, revoke.
use leptos::prelude::*;

/// The share-link panel on the customer page.
#[component]
pub fn ShareLinks(#[prop(into)] record_key: Signal<String>) -> impl IntoView {
    let _ = record_key;
    view! { <section class="share-links" aria-label="Share links"></section> }
}
