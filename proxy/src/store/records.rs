//! Migration records and the settings: versioned JSON documents written by compare-and-swap.

use serde::Serialize;

use super::Versioned;

/// The settings are one document with this fixed key.
pub(crate) const SETTINGS_KEY: &str = "settings";

/// Which kind of document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Record,
    Settings,
}

impl Kind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Kind::Record => "record",
            Kind::Settings => "settings",
        }
    }

    pub(crate) fn conflict(self, current: Versioned) -> super::StoreError {
        let current = Box::new(current);
        match self {
            Kind::Record => super::StoreError::Conflict { current },
            Kind::Settings => super::StoreError::SettingsConflict { current },
        }
    }

    pub(crate) fn missing(self, key: &str, expected: u64) -> super::StoreError {
        match self {
            Kind::Record => super::StoreError::NotFound {
                key: key.to_owned(),
            },
            Kind::Settings => super::StoreError::InvalidInput(format!(
                "The settings have never been saved, so there is no version {expected} to update. Save them without a version."
            )),
        }
    }
}

/// One record of a bulk import: a create (`expected: None`) or an update of a stored version.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportItem {
    /// The record's key.
    pub key: String,
    /// `None`: the key must not exist yet. `Some(v)`: the record must be at version `v`.
    pub expected: Option<u64>,
    /// The whole new document.
    pub doc: serde_json::Value,
}

/// What a bulk import wrote.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportSummary {
    /// How many records were created.
    pub created: usize,
    /// How many records were updated.
    pub updated: usize,
    /// Every record written, with its new version, in the order given.
    pub records: Vec<Versioned>,
}
