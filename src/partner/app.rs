//! The app shell: header, navigation and routes. Customers' status pages (`/status/…`) are a
//! separate entry point (`web/src/bin/cutover-status.rs`), not a route of this app.
use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;
use wasm_bindgen::JsCast;

use crate::components::sign_in::{SignInGate, SignInPage, WhoAmI, use_role};
use crate::i18n::{LangSwitch, common, provide_locale, team, use_lang};
use crate::lazy_routes::{
    activity_screen, calendar_screen, customer_screen, import_screen, people_screen,
    settings_screen,
};
use crate::pages::portfolio::{provide_portfolio, use_portfolio};
use crate::pages::{customers::CustomerList, not_found::NotFound};
use cutover::components::route_focus::{RouteAnnouncer, provide_page_name};

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    provide_locale();
    provide_portfolio();
    provide_page_name();
    view! {
        <Router>
            <PartnerHeader />
            <main id="main" tabindex="-1">
                <RouteAnnouncer />
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

/// Moves focus to `<main>` (the skip link: following `#main` alone scrolls but leaves focus
/// where it was).
fn focus_main(ev: leptos::ev::MouseEvent) {
    if let Some(main) = document()
        .get_element_by_id("main")
        .and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok())
    {
        ev.prevent_default();
        let _ = main.focus();
        main.scroll_into_view();
    }
}

/// Header and navigation for partner staff. On a phone, navigation and the language switch fold
/// into a menu button (a disclosure: it shows and hides them, and closes on Esc or navigation).
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
    let open = RwSignal::new(false);
    let pathname = use_location().pathname;
    Effect::new(move |_| {
        pathname.track();
        open.set(false);
    });
    let menu_button = NodeRef::<leptos::html::Button>::new();
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" && open.get_untracked() {
            open.set(false);
            if let Some(b) = menu_button.get_untracked() {
                let _ = b.focus();
            }
        }
    };
    view! {
        <a class="skip-link" href="#main" on:click=focus_main>{move || common::skip_to_content(lang.get())}</a>
        <header class="app-header" on:keydown=on_key>
            <A href="/" attr:class="brand">"Cutover"</A>
            <button type="button" class="menu-button" aria-controls="header-menu" node_ref=menu_button
                aria-expanded=move || open.get().to_string() data-testid="menu-button"
                on:click=move |_| open.update(|o| *o = !*o)>
                <span aria-hidden="true">"☰ "</span>{move || common::menu(lang.get())}
            </button>
            <div id="header-menu" class="header-menu" class:open=move || open.get()>
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
            </div>
        </header>
    }
}
