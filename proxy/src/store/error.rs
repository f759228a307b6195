//! Everything the store can refuse or fail at, each printed as a sentence saying what to do.

use std::path::PathBuf;

use rusqlite::ErrorCode;

use super::Versioned;

/// An error from the store. `Display` gives a sentence meant for the user; the proxy maps each
/// variant to one HTTP status (`InvalidInput`/`InvalidTime`/`TooLarge` → 400, `NotFound` → 404,
/// `Conflict`/`AlreadyExists`/`ImportConflict` → 409, `Busy`/`Unavailable` → 503, the rest → 500).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The SQLite database file could not be opened or prepared.
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

    /// Some records of an import exist already, changed since they were loaded, or are gone;
    /// nothing at all was written.
    #[error("{}", import_conflict_message(current, missing))]
    ImportConflict {
        current: Vec<Versioned>,
        missing: Vec<String>,
    },

    /// Records with these keys exist already; nothing was written.
    #[error(
        "{} already exist{}: {}. Nothing was saved; open the existing record instead.",
        count_records(keys.len()),
        if keys.len() == 1 { "s" } else { "" },
        list_keys(keys)
    )]
    AlreadyExists { keys: Vec<String> },

    /// The caller may not do this (the message says why and who may).
    #[error("{0}")]
    Forbidden(String),

    /// The PostgreSQL server could not be reached or refused the connection.
    #[error(
        "The database at {target} could not be reached ({detail}). Nothing was saved; check that PostgreSQL is running and CUTOVER_DATABASE_URL is right, then try again."
    )]
    Unavailable { target: String, detail: String },

    /// The PostgreSQL database holds tables that are not Cutover's.
    #[error(
        "The database at {target} already holds tables that are not Cutover's. Create an empty database for Cutover (createdb cutover) and point CUTOVER_DATABASE_URL at it."
    )]
    ForeignDatabase { target: String },

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

    /// A stored document is JSON, but not of the shape this Cutover reads.
    #[error(
        "The stored document \"{}\" could not be read by this Cutover ({detail}); restore it from a backup or an export.",
        shorten(key)
    )]
    Unreadable { key: String, detail: String },

    /// The operating system could not supply random bytes for a share link.
    #[error(
        "The operating system could not supply random bytes for a share link ({0}). Try again; if it persists, check the server."
    )]
    Random(getrandom::Error),

    /// The worker running a database call stopped before it answered.
    #[error(
        "The server failed while reading or saving. Reload to see whether the change was saved, then try again."
    )]
    Interrupted,

    /// Any other database failure.
    #[error(
        "The database reported an error: {0}. Try again; if it persists, check the server's log and disk."
    )]
    Database(rusqlite::Error),

    /// Any other PostgreSQL failure.
    #[error(
        "PostgreSQL reported an error: {0}. Try again; if it persists, check the server's log."
    )]
    Postgres(tokio_postgres::Error),
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

impl From<tokio_postgres::Error> for StoreError {
    fn from(error: tokio_postgres::Error) -> Self {
        use tokio_postgres::error::SqlState;
        match error.code() {
            Some(c)
                if *c == SqlState::T_R_SERIALIZATION_FAILURE
                    || *c == SqlState::T_R_DEADLOCK_DETECTED
                    || *c == SqlState::LOCK_NOT_AVAILABLE =>
            {
                StoreError::Busy
            }
            Some(c) if *c == SqlState::DISK_FULL => StoreError::DiskFull,
            Some(c) if *c == SqlState::READ_ONLY_SQL_TRANSACTION => StoreError::ReadOnly,
            None if error.is_closed()
                || std::error::Error::source(&error).is_some_and(|s| s.is::<std::io::Error>()) =>
            {
                StoreError::Unavailable {
                    target: "the PostgreSQL server".into(),
                    detail: error.to_string(),
                }
            }
            _ => StoreError::Postgres(error),
        }
    }
}

impl From<getrandom::Error> for StoreError {
    fn from(error: getrandom::Error) -> Self {
        StoreError::Random(error)
    }
}

fn import_conflict_message(current: &[Versioned], missing: &[String]) -> String {
    let mut text = String::new();
    if !current.is_empty() {
        let keys: Vec<String> = current.iter().map(|c| c.key.clone()).collect();
        text.push_str(&format!(
            "{} already exist{} or changed since the import was prepared: {}. ",
            count_records(keys.len()),
            if keys.len() == 1 { "s" } else { "" },
            list_keys(&keys)
        ));
    }
    if !missing.is_empty() {
        text.push_str(&format!(
            "{} no longer exist{}: {}. ",
            count_records(missing.len()),
            if missing.len() == 1 { "s" } else { "" },
            list_keys(missing)
        ));
    }
    text.push_str("Nothing was imported; reload the customers and import again.");
    text
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
