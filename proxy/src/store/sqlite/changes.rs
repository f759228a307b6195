//! The change log in SQLite: append-only (triggers refuse updates and deletes).

use rusqlite::{Transaction, params};

use super::super::StoreError;
use super::super::changes::{Change, ChangeKind, page_bounds};
use super::super::records::Kind;
use super::super::validate::{db_version, decode_doc, to_version};
use super::SqliteStore;
use super::records::document_id;

impl SqliteStore {
    /// The change log of one document, oldest first. A record that does not exist is
    /// [`StoreError::NotFound`]; settings never saved have an empty log.
    pub(crate) fn changes(
        &self,
        kind: Kind,
        key: &str,
        since: Option<u64>,
        limit: usize,
    ) -> Result<Vec<Change>, StoreError> {
        self.read(|tx| match document_id(tx, kind, key)? {
            Some(id) => query(tx, id, since, limit),
            None if kind == Kind::Settings => Ok(Vec::new()),
            None => Err(StoreError::NotFound {
                key: key.to_owned(),
            }),
        })
    }
}

fn query(
    tx: &Transaction<'_>,
    document_id: i64,
    since: Option<u64>,
    limit: usize,
) -> Result<Vec<Change>, StoreError> {
    let (since, limit) = page_bounds(since, limit);
    let mut stmt = tx.prepare_cached(
        "SELECT key, version, at, actor, kind, doc FROM changes
         WHERE document_id = ?1 AND version > ?2 ORDER BY version LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![document_id, since, limit], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
        ))
    })?;
    let mut changes = Vec::new();
    for row in rows {
        let (key, version, at, actor, kind, doc) = row?;
        changes.push(Change {
            kind: ChangeKind::parse(&key, &kind)?,
            version: to_version(&key, version)?,
            doc: decode_doc(&key, &doc)?,
            key,
            at,
            actor,
        });
    }
    Ok(changes)
}

/// Appends one row to the change log, inside the caller's write transaction.
#[allow(clippy::too_many_arguments)]
pub(super) fn append(
    tx: &Transaction<'_>,
    document_id: i64,
    key: &str,
    version: u64,
    at: &str,
    actor: &str,
    kind: ChangeKind,
    doc_json: &str,
) -> Result<(), StoreError> {
    let version = db_version(key, version)?;
    tx.prepare_cached(
        "INSERT INTO changes (document_id, key, version, at, actor, kind, doc)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        document_id,
        key,
        version,
        at,
        actor,
        kind.as_str(),
        doc_json
    ])?;
    Ok(())
}
