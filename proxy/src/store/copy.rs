//! `cutover-proxy migrate-store`: copies an SQLite store into an empty PostgreSQL database,
//! every row as it is (records with their versions, the settings, the whole change log, share
//! links with their hashes and times), in one transaction, then verifies the counts.
//!
//! Stop every proxy writing to the SQLite file first: writes made during the copy would not be
//! copied (the verification then fails and nothing is lost, but nothing is copied either).

use std::collections::HashMap;
use std::path::Path;

use super::postgres::PgStore;
use super::sqlite::SqliteStore;
use super::{StoreCounts, StoreError};

/// Rows read from SQLite per step, so a large store never sits in memory whole.
const BATCH: i64 = 500;

/// A `documents` row, as stored.
pub(crate) struct DocumentRow {
    pub id: i64,
    pub kind: String,
    pub key: String,
    pub version: i64,
    pub updated_at: String,
    pub doc: String,
}

/// A `changes` row, as stored (`seq` orders the log).
pub(crate) struct ChangeRow {
    pub seq: i64,
    pub document_id: i64,
    pub key: String,
    pub version: i64,
    pub at: String,
    pub actor: String,
    pub kind: String,
    pub doc: String,
}

/// A `share_links` row, as stored (`rowid` keeps their order).
pub(crate) struct LinkRow {
    pub rowid: i64,
    pub id: String,
    pub document_id: i64,
    pub token_sha256: Vec<u8>,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

/// Why a copy did not happen; each prints one sentence saying what to do.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    /// The source file does not exist.
    #[error(
        "There is no SQLite store at {0}. Name the cutover.sqlite3 file in the data directory."
    )]
    NoSource(String),
    /// The target already holds data.
    #[error(
        "The PostgreSQL database at {target} already holds {records} records, {changes} changes and {links} share links. Nothing was copied; migrate into an empty database (createdb a new one)."
    )]
    TargetNotEmpty {
        target: String,
        records: u64,
        changes: u64,
        links: u64,
    },
    /// The counts after the copy differ.
    #[error(
        "The copy did not verify: the SQLite store has {sqlite:?} but PostgreSQL has {postgres:?}. Stop every proxy using the SQLite file and run migrate-store again into a fresh database."
    )]
    Mismatch {
        sqlite: StoreCounts,
        postgres: StoreCounts,
    },
    /// Either store failed.
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// Copies the SQLite store at `from` into the PostgreSQL database at `to` (which must be empty)
/// and returns the verified counts.
pub async fn sqlite_to_postgres(from: &Path, to: &str) -> Result<StoreCounts, CopyError> {
    if !from.is_file() {
        return Err(CopyError::NoSource(from.display().to_string()));
    }
    let path = from.to_owned();
    let source = tokio::task::spawn_blocking(move || SqliteStore::open(&path))
        .await
        .map_err(|_| StoreError::Interrupted)??;
    let source = std::sync::Arc::new(source);
    let target = PgStore::open(to).await?;
    let before = target.counts().await?;
    if before.records + before.settings + before.changes + before.share_links > 0 {
        return Err(CopyError::TargetNotEmpty {
            target: super::postgres::redact_url(to),
            records: before.records,
            changes: before.changes,
            links: before.share_links,
        });
    }
    let source_counts = {
        let s = std::sync::Arc::clone(&source);
        tokio::task::spawn_blocking(move || s.counts())
            .await
            .map_err(|_| StoreError::Interrupted)??
    };

    let mut client = target.client().await?;
    let tx = client.transaction().await.map_err(StoreError::from)?;
    let mut ids: HashMap<i64, i64> = HashMap::new();
    let mut after = 0;
    loop {
        let s = std::sync::Arc::clone(&source);
        let rows = tokio::task::spawn_blocking(move || s.dump_documents(after, BATCH))
            .await
            .map_err(|_| StoreError::Interrupted)??;
        let Some(last) = rows.last() else { break };
        after = last.id;
        for row in rows {
            let new_id = super::postgres::copy_document(&tx, &row).await?;
            ids.insert(row.id, new_id);
        }
    }
    let unknown_document = |id: i64| StoreError::Corrupt {
        detail: format!("a row refers to document {id}, which does not exist"),
    };
    let mut after = 0;
    loop {
        let s = std::sync::Arc::clone(&source);
        let rows = tokio::task::spawn_blocking(move || s.dump_changes(after, BATCH))
            .await
            .map_err(|_| StoreError::Interrupted)??;
        let Some(last) = rows.last() else { break };
        after = last.seq;
        for row in rows {
            let id = *ids
                .get(&row.document_id)
                .ok_or_else(|| unknown_document(row.document_id))?;
            super::postgres::copy_change(&tx, id, &row).await?;
        }
    }
    let mut after = 0;
    loop {
        let s = std::sync::Arc::clone(&source);
        let rows = tokio::task::spawn_blocking(move || s.dump_share_links(after, BATCH))
            .await
            .map_err(|_| StoreError::Interrupted)??;
        let Some(last) = rows.last() else { break };
        after = last.rowid;
        for row in rows {
            let id = *ids
                .get(&row.document_id)
                .ok_or_else(|| unknown_document(row.document_id))?;
            super::postgres::copy_share_link(&tx, id, &row).await?;
        }
    }
    super::copy_notifications::copy(&source, &tx, &ids).await?;
    copy_team(&source, &tx, &ids).await?;
    tx.commit().await.map_err(StoreError::from)?;
    drop(client);

    let copied = target.counts().await?;
    // Counted again: a proxy still writing to the file would show up here.
    let s = std::sync::Arc::clone(&source);
    let source_after = tokio::task::spawn_blocking(move || s.counts())
        .await
        .map_err(|_| StoreError::Interrupted)??;
    target.close();
    if copied != source_counts || source_after != source_counts {
        return Err(CopyError::Mismatch {
            sqlite: source_after,
            postgres: copied,
        });
    }
    Ok(copied)
}

/// An `events` row, as stored.
pub(crate) struct EventRow {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub kind: String,
    pub document_id: Option<i64>,
    pub subject: String,
    pub detail: String,
}

/// People (with their roles), the event log and order approvals. Sessions and sign-ins under
/// way are not copied: everyone signs in again after the move.
async fn copy_team(
    source: &std::sync::Arc<SqliteStore>,
    tx: &deadpool_postgres::Transaction<'_>,
    ids: &HashMap<i64, i64>,
) -> Result<(), StoreError> {
    let s = std::sync::Arc::clone(source);
    let (people, approvals) = tokio::task::spawn_blocking(move || {
        Ok::<_, StoreError>((s.people()?, s.approvals(usize::MAX)?))
    })
    .await
    .map_err(|_| StoreError::Interrupted)??;
    for p in &people {
        super::postgres::copy_person(tx, p).await?;
    }
    for a in approvals.iter().rev() {
        super::postgres::copy_approval(tx, a).await?;
    }
    let mut after = 0;
    loop {
        let s = std::sync::Arc::clone(source);
        let rows = tokio::task::spawn_blocking(move || s.dump_events(after, BATCH))
            .await
            .map_err(|_| StoreError::Interrupted)??;
        let Some(last) = rows.last() else { break };
        after = last.seq;
        for row in rows {
            let document = match row.document_id {
                Some(old) => Some(*ids.get(&old).ok_or_else(|| StoreError::Corrupt {
                    detail: format!("an event refers to document {old}, which does not exist"),
                })?),
                None => None,
            };
            super::postgres::copy_event(tx, document, &row).await?;
        }
    }
    Ok(())
}
