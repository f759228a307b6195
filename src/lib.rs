//! Cutover's browser app (Leptos, client-side rendered).
pub mod api;
pub mod app;
pub mod components;
pub mod i18n;
pub mod pages;

/// Replaces the static "Loading Cutover…" placeholder with the app.
pub fn mount() {
    console_error_panic_hook::set_once();
    if let Some(boot) = leptos::prelude::document().get_element_by_id("boot") {
        boot.remove();
    }
    leptos::mount::mount_to_body(app::App);
}
