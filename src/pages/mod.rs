//! One module per screen.
pub mod customer;
pub mod customers;
pub mod not_found;
pub mod status;
