//! Small reusable view pieces that take plain data.
pub mod bulk_discovery;
pub mod calendar_links;
pub mod customer_status;
pub mod download;
pub mod error_banner;
pub mod history;
pub mod mail_subscribe;
pub mod modal;
pub mod portfolio_summary;
pub mod route_focus;
pub mod share_links;
pub mod sign_in;
pub mod subscribers;
pub mod virtual_rows;
