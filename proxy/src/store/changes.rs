//! The append-only change log: one entry per write, with who, when, and the document as written.
//!
//! A document's changes have versions 1, 2, 3, … without gaps, so the newest `n` changes of a record
//! at version `v` are `changes(key, Some(v.saturating_sub(n)), n)` (what an Atom feed needs).

use serde::Serialize;
use serde_json::Value;

use super::StoreError;

/// The most changes one call returns, whatever `limit` asks for.
pub const MAX_CHANGES_PAGE: usize = 1000;

/// What a write did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// The document was created by a single write.
    Created,
    /// The document was replaced by a newer version.
    Updated,
    /// The document was created or replaced by a bulk import.
    Imported,
    /// The record got a new key (a prospect's domain replaced by its Partner Center id).
    Rekeyed,
}

impl ChangeKind {
    /// The name stored in the database.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Created => "created",
            ChangeKind::Updated => "updated",
            ChangeKind::Imported => "imported",
            ChangeKind::Rekeyed => "rekeyed",
        }
    }

    /// Reads a stored name back; anything else means the database was tampered with.
    pub(crate) fn parse(key: &str, text: &str) -> Result<ChangeKind, StoreError> {
        Ok(match text {
            "created" => ChangeKind::Created,
            "updated" => ChangeKind::Updated,
            "imported" => ChangeKind::Imported,
            "rekeyed" => ChangeKind::Rekeyed,
            _ => {
                return Err(StoreError::Corrupt {
                    detail: format!(
                        "the change log of \"{}\" holds an unknown kind of change",
                        super::error::shorten(key)
                    ),
                });
            }
        })
    }
}

/// One write in the change log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The document's key when this write happened.
    pub key: String,
    /// The version this write created.
    pub version: u64,
    /// When, as `YYYY-MM-DDTHH:MM:SSZ`.
    pub at: String,
    /// Who, as the caller named them.
    pub actor: String,
    /// What kind of write.
    pub kind: ChangeKind,
    /// The whole document as this write left it.
    pub doc: Value,
}

/// `since` and `limit` as both databases take them.
pub(crate) fn page_bounds(since: Option<u64>, limit: usize) -> (i64, i64) {
    let since = since.map_or(0, |v| i64::try_from(v).unwrap_or(i64::MAX));
    let limit = i64::try_from(limit.min(MAX_CHANGES_PAGE)).unwrap_or(0);
    (since, limit)
}
