//! The app shell: header, navigation and routes. Customers' status pages (`/status/…`) are a
//! separate entry point (`src/bin/cutover-status.rs`), not a route of this app.
use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;

use crate::components::sign_in::{SignInGate, SignInPage, WhoAmI, use_role};
use crate::i18n::{LangSwitch, common, provide_locale, team, use_lang};
use crate::lazy_routes::{
    activity_screen, calendar_screen, customer_screen, import_screen, people_screen,
    settings_screen,
};
use crate::pages::portfolio::{provide_portfolio, use_portfolio};
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
                <SignInGate>
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=CustomerList />
                        // Downloaded on first visit (src/partner/lazy_routes.rs).
                        <Route path=path!("/customers/:id") view=customer_screen />
                        <Route path=path!("/calendar") view=calendar_screen />
                        <Route path=path!("/import") view=import_screen />
                        <Route path=path!("/settings") view=settings_screen />
                        <Route path=path!("/activity") view=activity_screen />
                        <Route path=path!("/people") view=people_screen />
                        <Route path=path!("/sign-in") view=SignInPage />
                    </Routes>
                </SignInGate>
            </main>
        </Router>
    }
}

/// Header and navigation for partner staff.
#[component]
fn PartnerHeader() -> impl IntoView {
    let lang = use_lang();
    let portfolio = use_portfolio();
    let role = use_role();
    // People and roles exist only with sign-in; only admins manage them.
    let show_people = move || {
        let oidc = portfolio.session.with(|s| {
            s.as_ref()
                .is_some_and(|s| s.team.mode == cutover_plan::wire::SignInMode::Oidc)
        });
        oidc && role.get() == Some(cutover_plan::roles::Role::Admin)
    };
    view! {
        <a class="skip-link" href="#main">{move || common::skip_to_content(lang.get())}</a>
        <header class="app-header">
            <A href="/" attr:class="brand">"Cutover"</A>
            <nav aria-label=move || common::nav_main(lang.get())>
                <A href="/">{move || common::nav_customers(lang.get())}</A>
                <A href="/calendar">{move || common::nav_calendar(lang.get())}</A>
                <A href="/import">{move || common::nav_import(lang.get())}</A>
                <A href="/settings">{move || common::nav_settings(lang.get())}</A>
                <A href="/activity">{move || team::nav_activity(lang.get())}</A>
                <Show when=show_people>
                    <A href="/people">{move || team::nav_people(lang.get())}</A>
                </Show>
            </nav>
            <WhoAmI />
            <LangSwitch />
        </header>
    }
}
