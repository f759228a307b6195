//! The app shell: header, navigation and routes.
use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;

use crate::pages::{customer::CustomerPage, customers::CustomerList, not_found::NotFound};

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <header class="app-header">
                <A href="/" attr:class="brand">"Cutover"</A>
                <nav aria-label="Main">
                    <A href="/">"Customers"</A>
                </nav>
            </header>
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=CustomerList />
                    <Route path=path!("/customers/:id") view=CustomerPage />
                </Routes>
            </main>
        </Router>
    }
}
