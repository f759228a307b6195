//! Everything the store can refuse or fail at, each printed as a sentence saying what to do.

use std::path::PathBuf;

use rusqlite::ErrorCode;

use super::Versioned;

/// An error from the store. `Display` gives a sentence meant for the user; the proxy maps each
/// variant to one HTTP status (`InvalidInput`/`InvalidTime`/`TooLarge` → 400, `NotFound` → 404,
/// `Conflict`/`AlreadyExists` → 409, `Busy` → 503, the rest → 500).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database file could not be opened or prepared.
    #[error(
        "Could not open the database at {path}: {source}. Check that the data directory exists and that the proxy may write to it."
    )]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },

    /// The file is an SQLite database that belongs to some other program.
    #[error(
        "The file {path} is not a Cutover database. Choose an empty data directory or the one Cutover created."
    )]
    NotCutoverDatabase { path: PathBuf },

    /// The file was migrated by a newer Cutover than this one.
    #[error(
        "The database uses schema version {found}, but this cutover-proxy only knows versions up to {supported}. Upgrade cutover-proxy, or point it at another data directory."
    )]
    NewerSchema { found: i64, supported: i64 },

    /// The file system refused write-ahead logging (some network file systems do).
    #[error(
        "The database at {path} cannot use write-ahead logging (journal mode is {mode}). Put the data directory on a local disk."
    )]
    NoWal { path: PathBuf, mode: String },

    /// An argument was refused; the message says which and why.
    #[error("{0}")]
    InvalidInput(String),

    /// An instant was not an RFC 3339 UTC timestamp.
    #[error(
        "The time given as {field} (\"{value}\") is not a UTC timestamp. Use the form 2025-04-01T09:30:00Z."
    )]
    InvalidTime { field: &'static str, value: String },

    /// A document is larger than the store accepts.
    #[error(
        "The document is {bytes} bytes of JSON, more than the {limit} bytes allowed. Shorten its notes or split the data."
    )]
    TooLarge { bytes: usize, limit: usize },

    /// No migration record has this key.
    #[error(
        "There is no migration record for \"{}\". It may have been renamed or never created; reload the customer list.",
        shorten(key)
    )]
    NotFound { key: String },

    /// The write was based on a version that is no longer current; nothing was written.
    #[error(
        "The record \"{}\" was changed by someone else since you loaded it (it is now at version {}). Nothing was saved; reload it, apply your change again and save.",
        shorten(&current.key),
        current.version
    )]
    Conflict { current: Box<Versioned> },

    /// The settings write was based on a version that is no longer current; nothing was written.
    #[error(
        "The settings were changed by someone else since you loaded them (they are now at version {}). Nothing was saved; reload them, apply your change again and save.",
        current.version
    )]
    SettingsConflict { current: Box<Versioned> },

    /// Records with these keys exist already; nothing was written.
    #[error(
        "{} already exist{}: {}. Nothing was saved; remove {} from the import or edit the existing records instead.",
        count_records(keys.len()),
        if keys.len() == 1 { "s" } else { "" },
        list_keys(keys),
        if keys.len() == 1 { "it" } else { "them" }
    )]
    AlreadyExists { keys: Vec<String> },

    /// Another process held the database lock for longer than the busy timeout.
    #[error("The database is busy with another writer. Nothing was saved; try again in a moment.")]
    Busy,

    /// The disk holding the database is full.
    #[error("The disk holding the database is full. Free some space; nothing was saved.")]
    DiskFull,

    /// The database file or its directory is read-only.
    #[error(
        "The database is read-only. Check the permissions of the data directory and its files; nothing was saved."
    )]
    ReadOnly,

    /// Stored data could not be read back.
    #[error(
        "The database is damaged ({detail}). Stop the proxy and restore the data directory from a backup."
    )]
    Corrupt { detail: String },

    /// The operating system could not supply random bytes for a share link.
    #[error(
        "The operating system could not supply random bytes for a share link ({0}). Try again; if it persists, check the server."
    )]
    Random(getrandom::Error),

    /// Any other database failure.
    #[error(
        "The database reported an error: {0}. Try again; if it persists, check the server's log and disk."
    )]
    Database(rusqlite::Error),
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        match error.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy,
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly,
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => StoreError::Corrupt {
                detail: error.to_string(),
            },
            _ => StoreError::Database(error),
        }
    }
}

impl From<getrandom::Error> for StoreError {
    fn from(error: getrandom::Error) -> Self {
        StoreError::Random(error)
    }
}

fn count_records(n: usize) -> String {
    if n == 1 {
        "A record with this key".to_owned()
    } else {
        format!("{n} records with these keys")
    }
}

fn list_keys(keys: &[String]) -> String {
    const SHOWN: usize = 10;
    let mut text = keys
        .iter()
        .take(SHOWN)
        .map(|k| format!("\"{}\"", shorten(k)))
        .collect::<Vec<_>>()
        .join(", ");
    if keys.len() > SHOWN {
        text.push_str(&format!(" and {} more", keys.len() - SHOWN));
    }
    text
}

/// A bounded copy of untrusted text for an error message, so a 1 MB key does not become a 1 MB error.
pub(super) fn shorten(value: &str) -> String {
    const MAX: usize = 60;
    if value.chars().count() <= MAX {
        value.to_owned()
    } else {
        let head: String = value.chars().take(MAX).collect();
        format!("{head}…")
    }
}
