//! Small reusable view pieces that take plain data.
pub mod error_banner;
pub mod virtual_rows;
