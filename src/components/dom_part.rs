//! Elements built with [`crate::dom`] shown inside a Leptos page: how the partner's customer page
//! shows the status sections exactly as the customer's status page builds them.
use leptos::prelude::*;

use crate::dom::{El, replace_children};

/// A `display: contents` box whose children are `parts()`'s elements, built again whenever a
/// signal `parts` reads changes.
#[component]
pub fn DomPart(parts: impl Fn() -> Vec<El> + 'static) -> impl IntoView {
    let host = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        let parts = parts();
        if let Some(host) = host.get() {
            replace_children(&host, parts);
        }
    });
    view! { <div class="dom-part" node_ref=host></div> }
}
