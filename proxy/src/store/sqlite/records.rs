//! Versioned documents in SQLite: each write is a compare-and-swap inside `BEGIN IMMEDIATE`.

use rusqlite::{OptionalExtension, Transaction, params};

use super::super::changes::ChangeKind;
use super::super::records::{ImportSummary, Kind};
use super::super::validate::{Doc, db_version, decode_doc, next_version, to_version};
use super::super::{Prepared, StoreError, Versioned};
use super::SqliteStore;
use super::changes;
use super::outbox;

impl SqliteStore {
    /// Every migration record, ordered by key, each document read by `decode(key, text)`.
    pub(crate) fn list_records<D>(
        &self,
        decode: fn(&str, &str) -> Result<D, StoreError>,
    ) -> Result<Vec<Versioned<D>>, StoreError> {
        self.read(|tx| {
            let mut stmt = tx.prepare_cached(
                "SELECT key, version, updated_at, doc FROM documents
                 WHERE kind = 'record' ORDER BY key",
            )?;
            let rows = stmt.query_map([], raw_row)?;
            let mut records = Vec::new();
            for row in rows {
                records.push(row?.into_versioned_with(decode)?);
            }
            Ok(records)
        })
    }

    /// Every record's key, version and time of its last write, in [`Self::list_records`]'s
    /// order (no documents read).
    pub(crate) fn record_versions(&self) -> Result<Vec<(String, u64, String)>, StoreError> {
        self.read(|tx| {
            let mut stmt = tx.prepare_cached(
                "SELECT key, version, updated_at FROM documents
                 WHERE kind = 'record' ORDER BY key",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get(2)?))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (key, version, at) = row?;
                let version = to_version(&key, version)?;
                out.push((key, version, at));
            }
            Ok(out)
        })
    }

    pub(crate) fn get(&self, kind: Kind, key: &str) -> Result<Option<Versioned>, StoreError> {
        self.read(|tx| Ok(load(tx, kind, key)?.map(|(_, v)| v)))
    }

    pub(crate) fn put(
        &self,
        kind: Kind,
        key: &str,
        expected: Option<u64>,
        doc: &Doc,
        actor: &str,
        now: &str,
    ) -> Result<Versioned, StoreError> {
        self.write(|tx| {
            let current = load(tx, kind, key)?;
            let (id, key, version, change) = match (current, expected) {
                (None, None) => {
                    let id = insert(tx, kind, key, now, &doc.json)?;
                    (id, key.to_owned(), 1, ChangeKind::Created)
                }
                (Some((_, current)), None) => return Err(kind.conflict(current)),
                (None, Some(expected)) => return Err(kind.missing(key, expected)),
                (Some((_, current)), Some(expected)) if current.version != expected => {
                    return Err(kind.conflict(current));
                }
                (Some((id, current)), Some(_)) => {
                    let version = next_version(&current.key, current.version)?;
                    update(tx, id, None, version, now, &doc.json)?;
                    (id, current.key, version, ChangeKind::Updated)
                }
            };
            changes::append(tx, id, &key, version, now, actor, change, &doc.json)?;
            if kind == Kind::Record {
                outbox::record_changed(tx, id, &key, version, change, now)?;
            }
            Ok(Versioned {
                key,
                version,
                updated_at: now.to_owned(),
                doc: doc.value.clone(),
            })
        })
    }

    pub(crate) fn rekey(
        &self,
        old_key: &str,
        new_key: &str,
        expected: u64,
        doc: &Doc,
        actor: &str,
        now: &str,
    ) -> Result<Versioned, StoreError> {
        self.write(|tx| {
            let (id, current) =
                load(tx, Kind::Record, old_key)?.ok_or_else(|| StoreError::NotFound {
                    key: old_key.to_owned(),
                })?;
            if current.version != expected {
                return Err(Kind::Record.conflict(current));
            }
            if let Some(other) = document_id(tx, Kind::Record, new_key)?
                && other != id
            {
                return Err(StoreError::AlreadyExists {
                    keys: vec![new_key.to_owned()],
                });
            }
            let version = next_version(&current.key, current.version)?;
            update(tx, id, Some(new_key), version, now, &doc.json)?;
            changes::append(
                tx,
                id,
                new_key,
                version,
                now,
                actor,
                ChangeKind::Rekeyed,
                &doc.json,
            )?;
            outbox::record_changed(tx, id, new_key, version, ChangeKind::Rekeyed, now)?;
            Ok(Versioned {
                key: new_key.to_owned(),
                version,
                updated_at: now.to_owned(),
                doc: doc.value.clone(),
            })
        })
    }

    pub(crate) fn import(
        &self,
        items: &[Prepared],
        actor: &str,
        now: &str,
    ) -> Result<ImportSummary, StoreError> {
        self.write(|tx| {
            // First every check, then every write: a refusal leaves nothing to roll back.
            let mut current = Vec::new();
            let mut missing = Vec::new();
            let mut found = Vec::with_capacity(items.len());
            for item in items {
                let stored = load(tx, Kind::Record, &item.key)?;
                match (&stored, item.expected) {
                    (Some((_, v)), None) => current.push(v.clone()),
                    (Some((_, v)), Some(expected)) if v.version != expected => {
                        current.push(v.clone())
                    }
                    (None, Some(_)) => missing.push(item.key.clone()),
                    _ => {}
                }
                found.push(stored);
            }
            if !current.is_empty() || !missing.is_empty() {
                return Err(StoreError::ImportConflict { current, missing });
            }
            let mut summary = ImportSummary {
                created: 0,
                updated: 0,
                records: Vec::with_capacity(items.len()),
            };
            for (item, stored) in items.iter().zip(found) {
                let (id, key, version) = match stored {
                    None => {
                        summary.created += 1;
                        let id = insert(tx, Kind::Record, &item.key, now, &item.doc.json)?;
                        (id, item.key.clone(), 1)
                    }
                    Some((id, v)) => {
                        summary.updated += 1;
                        let version = next_version(&v.key, v.version)?;
                        update(tx, id, None, version, now, &item.doc.json)?;
                        (id, v.key, version)
                    }
                };
                changes::append(
                    tx,
                    id,
                    &key,
                    version,
                    now,
                    actor,
                    ChangeKind::Imported,
                    &item.doc.json,
                )?;
                outbox::record_changed(tx, id, &key, version, ChangeKind::Imported, now)?;
                summary.records.push(Versioned {
                    key,
                    version,
                    updated_at: now.to_owned(),
                    doc: item.doc.value.clone(),
                });
            }
            Ok(summary)
        })
    }
}

/// A `documents` row as SQLite returns it, before the checks that may fail.
struct RawRow {
    key: String,
    version: i64,
    updated_at: String,
    doc: String,
}

impl RawRow {
    fn into_versioned(self) -> Result<Versioned, StoreError> {
        self.into_versioned_with(decode_doc)
    }

    fn into_versioned_with<D>(
        self,
        decode: fn(&str, &str) -> Result<D, StoreError>,
    ) -> Result<Versioned<D>, StoreError> {
        Ok(Versioned {
            version: to_version(&self.key, self.version)?,
            doc: decode(&self.key, &self.doc)?,
            key: self.key,
            updated_at: self.updated_at,
        })
    }
}

fn raw_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawRow> {
    Ok(RawRow {
        key: r.get(0)?,
        version: r.get(1)?,
        updated_at: r.get(2)?,
        doc: r.get(3)?,
    })
}

/// The row id and current state of a document.
fn load(
    tx: &Transaction<'_>,
    kind: Kind,
    key: &str,
) -> Result<Option<(i64, Versioned)>, StoreError> {
    let row = tx
        .prepare_cached(
            "SELECT id, key, version, updated_at, doc FROM documents WHERE kind = ?1 AND key = ?2",
        )?
        .query_row(params![kind.as_str(), key], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                RawRow {
                    key: r.get(1)?,
                    version: r.get(2)?,
                    updated_at: r.get(3)?,
                    doc: r.get(4)?,
                },
            ))
        })
        .optional()?;
    row.map(|(id, raw)| Ok((id, raw.into_versioned()?)))
        .transpose()
}

/// The row id and stored key of a document, without reading its body.
pub(super) fn load_meta(
    tx: &Transaction<'_>,
    kind: Kind,
    key: &str,
) -> Result<Option<(i64, String)>, StoreError> {
    Ok(tx
        .prepare_cached("SELECT id, key FROM documents WHERE kind = ?1 AND key = ?2")?
        .query_row(params![kind.as_str(), key], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

pub(super) fn document_id(
    tx: &Transaction<'_>,
    kind: Kind,
    key: &str,
) -> Result<Option<i64>, StoreError> {
    Ok(load_meta(tx, kind, key)?.map(|(id, _)| id))
}

fn insert(
    tx: &Transaction<'_>,
    kind: Kind,
    key: &str,
    now: &str,
    doc_json: &str,
) -> Result<i64, StoreError> {
    tx.prepare_cached(
        "INSERT INTO documents (kind, key, version, updated_at, doc) VALUES (?1, ?2, 1, ?3, ?4)",
    )?
    .execute(params![kind.as_str(), key, now, doc_json])?;
    Ok(tx.last_insert_rowid())
}

fn update(
    tx: &Transaction<'_>,
    id: i64,
    new_key: Option<&str>,
    version: u64,
    now: &str,
    doc_json: &str,
) -> Result<(), StoreError> {
    let version = db_version("", version)?;
    tx.prepare_cached(
        "UPDATE documents SET key = coalesce(?2, key), version = ?3, updated_at = ?4, doc = ?5
         WHERE id = ?1",
    )?
    .execute(params![id, new_key, version, now, doc_json])?;
    Ok(())
}
