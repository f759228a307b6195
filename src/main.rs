//! Browser entry point of the partner app: the shell and its routes live in this binary, not in
//! the library, because the lazily loaded screens' split points (`partner/lazy_routes.rs`) are
//! wasm exports, and exports are kept alive in every binary that links them.
#[path = "partner/app.rs"]
mod app;
#[path = "partner/lazy_routes.rs"]
mod lazy_routes;

// The modules app.rs and lazy_routes.rs reach through `crate::…`.
use cutover::{components, i18n, pages};

/// Replaces the static "Loading Cutover…" placeholder with the app.
fn main() {
    console_error_panic_hook::set_once();
    if let Some(boot) = leptos::prelude::document().get_element_by_id("boot") {
        boot.remove();
    }
    leptos::mount::mount_to_body(app::App);
}
