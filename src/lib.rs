//! Cutover's browser app (Leptos, client-side rendered): pages, components, messages and API
//! calls. Two binaries mount it: `src/main.rs` (the partner app, whose shell and lazily loaded
//! routes live in `src/partner/`) and `src/bin/cutover-status.rs` (customers' status pages).
pub mod api;
pub mod components;
pub mod i18n;
pub mod pages;
