//! Small reusable view pieces that take plain data.
pub mod bulk_discovery;
pub mod calendar_links;
pub use cutover_web::components::{customer_status, download};
pub mod dom_part;
pub mod error_banner;
pub mod history;
pub mod modal;
pub mod portfolio_summary;
pub mod route_focus;
pub mod share_links;
pub mod sign_in;
pub mod subscribers;
pub mod virtual_rows;
