//! Cutover's partner app (Leptos, client-side rendered): pages, components and API calls, mounted
//! by `src/main.rs` (whose shell and lazily loaded routes live in `src/partner/`). The messages,
//! dates, DOM helpers and status sections it shares with the customer status page come from
//! `cutover-web` (`web/`, which also builds the status page, bin `cutover-status`) and are
//! re-exported here under the same paths.
pub mod api;
pub mod components;
pub use cutover_web::dom;
pub mod i18n;
pub mod pages;
