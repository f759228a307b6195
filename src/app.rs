//! The app shell: header, navigation and routes. Status pages (`/status/…`) get no partner shell.
use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;

use crate::i18n::{LangSwitch, provide_locale};
use crate::pages::{
    customer::CustomerPage, customers::CustomerList, not_found::NotFound, status::StatusPage,
};

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    provide_locale();
    view! {
        <Router>
            <PartnerHeader />
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=CustomerList />
                    <Route path=path!("/customers/:id") view=CustomerPage />
                    <Route path=path!("/status/:token") view=StatusPage />
                </Routes>
            </main>
        </Router>
    }
}

/// Header and navigation for partner staff; absent on customers' status pages.
#[component]
fn PartnerHeader() -> impl IntoView {
    let location = use_location();
    let is_status = move || location.pathname.get().starts_with("/status/");
    view! {
        <Show when=move || !is_status()>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <header class="app-header">
                <A href="/" attr:class="brand">"Cutover"</A>
                <nav aria-label="Main">
                    <A href="/">"Customers"</A>
                </nav>
                <LangSwitch />
            </header>
        </Show>
    }
}
