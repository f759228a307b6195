//! The app shell: header, navigation and routes. Customers' status pages (`/status/…`) are a
//! separate entry point (`src/bin/cutover-status.rs`), not a route of this app.
use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;

use crate::i18n::{LangSwitch, common, provide_locale, use_lang};
use crate::lazy_routes::{calendar_screen, customer_screen, import_screen, settings_screen};
use crate::pages::portfolio::provide_portfolio;
use crate::pages::{customers::CustomerList, not_found::NotFound};

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    provide_locale();
    provide_portfolio();
    view! {
        <Router>
            <PartnerHeader />
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=CustomerList />
                    // Downloaded on first visit (src/lazy_routes.rs).
                    <Route path=path!("/customers/:id") view=customer_screen />
                    <Route path=path!("/calendar") view=calendar_screen />
                    <Route path=path!("/import") view=import_screen />
                    <Route path=path!("/settings") view=settings_screen />
                </Routes>
            </main>
        </Router>
    }
}

/// Header and navigation for partner staff.
#[component]
fn PartnerHeader() -> impl IntoView {
    let lang = use_lang();
    view! {
        <a class="skip-link" href="#main">{move || common::skip_to_content(lang.get())}</a>
        <header class="app-header">
            <A href="/" attr:class="brand">"Cutover"</A>
            <nav aria-label=move || common::nav_main(lang.get())>
                <A href="/">{move || common::nav_customers(lang.get())}</A>
                <A href="/calendar">{move || common::nav_calendar(lang.get())}</A>
                <A href="/import">{move || common::nav_import(lang.get())}</A>
                <A href="/settings">{move || common::nav_settings(lang.get())}</A>
            </nav>
            <LangSwitch />
        </header>
    }
}
