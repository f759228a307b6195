//! Cutover's domain: planning rules, migration records, CSV and iCalendar. No web dependencies.
//!
//! Start with [`plan`] (or a [`Planner`] built once per settings), [`csv_import::import_csv`],
//! [`checklist::checklist`] and [`Planner::explain`]. Every rule is a pure function: today's
//! date and the settings are arguments.

pub mod calendar;
pub mod checklist;
pub mod cli;
pub mod costs;
pub mod csv_export;
pub mod csv_import;
pub mod csv_reader;
mod customer_groups;
pub mod customer_messages;
pub mod customer_status;
pub mod date;
pub mod explain;
pub mod gdap;
pub mod history;
pub mod holidays;
pub mod ics;
pub mod import_merge;
pub mod lang;
pub mod mail_content;
pub mod money;
pub mod move_path;
pub mod notifications;
pub mod offers;
pub mod orders;
pub mod partner_center;
pub mod path_choice;
pub mod planner;
pub mod portfolio;
pub mod record;
pub mod roles;
pub mod settings;
pub mod tenant;
pub mod transfers;
pub mod warnings;
pub mod wire;

pub use calendar::Calendar;
pub use date::Date;
pub use money::{Money, UnitPrice};
pub use move_path::MovePath;
pub use planner::{Plan, PlanRow, Planner, plan};
pub use settings::Settings;
pub use warnings::{Warning, Warnings};
