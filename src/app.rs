//! The app shell: header, navigation and routes. Status pages (`/status/…`) get no partner shell.
use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;

use crate::components::sign_in::{SignInGate, SignInPage, WhoAmI, use_role};
use crate::i18n::{LangSwitch, common, provide_locale, team, use_lang};
use crate::pages::portfolio::{provide_portfolio, use_portfolio};
use crate::pages::{
    activity::ActivityPage, calendar::CalendarPage, customer::CustomerPage,
    customers::CustomerList, import_export::ImportExportPage, not_found::NotFound,
    people::PeoplePage, settings::SettingsPage, status::StatusPage,
};

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
                        <Route path=path!("/customers/:id") view=CustomerPage />
                        <Route path=path!("/calendar") view=CalendarPage />
                        <Route path=path!("/import") view=ImportExportPage />
                        <Route path=path!("/settings") view=SettingsPage />
                        <Route path=path!("/activity") view=ActivityPage />
                        <Route path=path!("/people") view=PeoplePage />
                        <Route path=path!("/sign-in") view=SignInPage />
                        <Route path=path!("/status/:token") view=StatusPage />
                    </Routes>
                </SignInGate>
            </main>
        </Router>
    }
}

/// Header and navigation for partner staff; absent on customers' status pages.
#[component]
fn PartnerHeader() -> impl IntoView {
    let location = use_location();
    let lang = use_lang();
    let is_status = move || location.pathname.get().starts_with("/status/");
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
        <Show when=move || !is_status()>
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
        </Show>
    }
}
