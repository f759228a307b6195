//! Cutover's browser code that needs no Leptos, shared by both browser entry points:
//! - the customer status page (`status_page`, bin `cutover-status`, built from `status.html`),
//!   a small bundle for customers' phones;
//! - the partner app (the `cutover` crate), which re-exports these modules under the same paths.
//!
//! The module paths mirror the `cutover` crate's (`i18n`, `api::public`, `components::…`), so
//! code reads the same in both crates.
pub mod api {
    //! Calls to the proxy that need no partner session.
    pub mod public;
    pub mod read_js;
}
pub mod components {
    //! Pieces both pages show.
    pub mod customer_status;
    pub mod download;
}
pub mod dom;
pub mod i18n;
pub mod status_page;
