//! One module per screen, and the portfolio they share.
pub mod activity;
pub mod calendar;
pub mod customer;
pub mod customers;
pub mod import_export;
pub mod not_found;
pub mod people;
pub mod portfolio;
pub mod settings;
