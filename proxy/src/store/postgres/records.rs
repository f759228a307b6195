//! Versioned documents and their change log in PostgreSQL.

use std::collections::HashMap;

use deadpool_postgres::Transaction;
use tokio_postgres::error::SqlState;
use tokio_postgres::{IsolationLevel, Row};

use super::super::changes::{Change, ChangeKind, page_bounds};
use super::super::records::{ImportSummary, Kind};
use super::super::validate::{Doc, db_version, decode_doc, folded_key, next_version, to_version};
use super::super::{Prepared, StoreError, Versioned};
use super::{PgStore, outbox};

/// How often a transaction that lost a race for a new key is tried again (the next attempt sees
/// the winner and answers 409).
const RACE_ATTEMPTS: usize = 3;

/// What a write step found in the way.
enum Raced {
    /// Another transaction created one of our new keys first: start again.
    Again,
    /// A real answer (success or a refusal).
    Done(Result<(), StoreError>),
}

impl PgStore {
    /// Every record's key, version and time of its last write, in [`Self::list_records`]'s
    /// order (no documents read).
    pub(crate) async fn record_versions(&self) -> Result<Vec<(String, u64, String)>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(
                "SELECT key, version, updated_at FROM documents
                 WHERE kind = 'record' ORDER BY key_folded",
            )
            .await?;
        client
            .query(&stmt, &[])
            .await?
            .iter()
            .map(|row| {
                let key: String = row.get(0);
                let version = to_version(&key, row.get(1))?;
                Ok((key, version, row.get(2)))
            })
            .collect()
    }

    /// Every migration record, ordered by key, each document read by `decode(key, text)`.
    pub(crate) async fn list_records<D>(
        &self,
        decode: fn(&str, &str) -> Result<D, StoreError>,
    ) -> Result<Vec<Versioned<D>>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(
                "SELECT key, version, updated_at, doc FROM documents
                 WHERE kind = 'record' ORDER BY key_folded",
            )
            .await?;
        client
            .query(&stmt, &[])
            .await?
            .iter()
            .map(|row| versioned_with(row, 0, decode))
            .collect()
    }

    pub(crate) async fn get(&self, kind: Kind, key: &str) -> Result<Option<Versioned>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(
                "SELECT key, version, updated_at, doc FROM documents
                 WHERE kind = $1 AND key_folded = $2",
            )
            .await?;
        client
            .query_opt(&stmt, &[&kind.as_str(), &folded_key(key)])
            .await?
            .as_ref()
            .map(versioned)
            .transpose()
    }

    pub(crate) async fn put(
        &self,
        kind: Kind,
        key: &str,
        expected: Option<u64>,
        doc: &Doc,
        actor: &str,
        now: &str,
    ) -> Result<Versioned, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let current = load(&tx, kind, key, true).await?;
        let (id, key, version, change) = match (current, expected) {
            (None, None) => match insert(&tx, kind, key, now, &doc.json).await? {
                Some(id) => (id, key.to_owned(), 1, ChangeKind::Created),
                // Created by another transaction since our look: it committed, so it is visible now.
                None => {
                    return Err(match load(&tx, kind, key, false).await? {
                        Some((_, current)) => kind.conflict(current),
                        None => StoreError::Busy,
                    });
                }
            },
            (Some((_, current)), None) => return Err(kind.conflict(current)),
            (None, Some(expected)) => return Err(kind.missing(key, expected)),
            (Some((_, current)), Some(expected)) if current.version != expected => {
                return Err(kind.conflict(current));
            }
            (Some((id, current)), Some(_)) => {
                let version = next_version(&current.key, current.version)?;
                update(&tx, id, None, version, now, &doc.json).await?;
                (id, current.key, version, ChangeKind::Updated)
            }
        };
        append(&tx, id, &key, version, now, actor, change, &doc.json).await?;
        if kind == Kind::Record {
            outbox::record_changed(&tx, id, &key, version, change, now).await?;
        }
        tx.commit().await?;
        Ok(Versioned {
            key,
            version,
            updated_at: now.to_owned(),
            doc: doc.value.clone(),
        })
    }

    pub(crate) async fn rekey(
        &self,
        old_key: &str,
        new_key: &str,
        expected: u64,
        doc: &Doc,
        actor: &str,
        now: &str,
    ) -> Result<Versioned, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let (id, current) = load(&tx, Kind::Record, old_key, true)
            .await?
            .ok_or_else(|| StoreError::NotFound {
                key: old_key.to_owned(),
            })?;
        if current.version != expected {
            return Err(Kind::Record.conflict(current));
        }
        let taken = || StoreError::AlreadyExists {
            keys: vec![new_key.to_owned()],
        };
        if let Some((other, _)) = load(&tx, Kind::Record, new_key, false).await?
            && other != id
        {
            return Err(taken());
        }
        let version = next_version(&current.key, current.version)?;
        match update(&tx, id, Some(new_key), version, now, &doc.json).await {
            Err(StoreError::Postgres(e)) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => {
                return Err(taken());
            }
            other => other?,
        }
        append(
            &tx,
            id,
            new_key,
            version,
            now,
            actor,
            ChangeKind::Rekeyed,
            &doc.json,
        )
        .await?;
        outbox::record_changed(&tx, id, new_key, version, ChangeKind::Rekeyed, now).await?;
        tx.commit().await?;
        Ok(Versioned {
            key: new_key.to_owned(),
            version,
            updated_at: now.to_owned(),
            doc: doc.value.clone(),
        })
    }

    pub(crate) async fn import(
        &self,
        items: &[Prepared],
        actor: &str,
        now: &str,
    ) -> Result<ImportSummary, StoreError> {
        for _ in 0..RACE_ATTEMPTS {
            let mut summary = ImportSummary {
                created: 0,
                updated: 0,
                records: Vec::with_capacity(items.len()),
            };
            let mut client = self.client().await?;
            let tx = client.transaction().await?;
            match import_once(&tx, items, actor, now, &mut summary).await? {
                Raced::Again => continue, // dropping `tx` rolls it back
                Raced::Done(result) => {
                    result?;
                    tx.commit().await?;
                    return Ok(summary);
                }
            }
        }
        Err(StoreError::Busy)
    }

    pub(crate) async fn changes(
        &self,
        kind: Kind,
        key: &str,
        since: Option<u64>,
        limit: usize,
    ) -> Result<Vec<Change>, StoreError> {
        let mut client = self.client().await?;
        // One snapshot for the lookup and the page, like SQLite's read transaction.
        let tx = client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .await?;
        let Some((id, _)) = load(&tx, kind, key, false).await? else {
            return if kind == Kind::Settings {
                Ok(Vec::new())
            } else {
                Err(StoreError::NotFound {
                    key: key.to_owned(),
                })
            };
        };
        let (since, limit) = page_bounds(since, limit);
        let stmt = tx
            .prepare_cached(
                "SELECT key, version, at, actor, kind, doc FROM changes
                 WHERE document_id = $1 AND version > $2 ORDER BY version LIMIT $3",
            )
            .await?;
        let rows = tx.query(&stmt, &[&id, &since, &limit]).await?;
        tx.commit().await?;
        rows.iter()
            .map(|r| {
                let key: String = r.get(0);
                Ok(Change {
                    version: to_version(&key, r.get(1))?,
                    at: r.get(2),
                    actor: r.get(3),
                    kind: ChangeKind::parse(&key, r.get(4))?,
                    doc: decode_doc(&key, r.get(5))?,
                    key,
                })
            })
            .collect()
    }
}

async fn import_once(
    tx: &Transaction<'_>,
    items: &[Prepared],
    actor: &str,
    now: &str,
    summary: &mut ImportSummary,
) -> Result<Raced, StoreError> {
    // Lock every stored record the import names, in key order (two imports never deadlock).
    let mut folded: Vec<String> = items.iter().map(|i| folded_key(&i.key)).collect();
    folded.sort_unstable();
    let stmt = tx
        .prepare_cached(
            "SELECT id, key, version, updated_at, doc, key_folded FROM documents
             WHERE kind = 'record' AND key_folded = ANY($1) ORDER BY key_folded FOR UPDATE",
        )
        .await?;
    let mut stored: HashMap<String, (i64, Versioned)> = HashMap::new();
    for row in tx.query(&stmt, &[&folded]).await? {
        stored.insert(row.get(5), (row.get(0), versioned_at(&row, 1)?));
    }
    let mut current = Vec::new();
    let mut missing = Vec::new();
    for item in items {
        match (stored.get(&folded_key(&item.key)), item.expected) {
            (Some((_, v)), None) => current.push(v.clone()),
            (Some((_, v)), Some(expected)) if v.version != expected => current.push(v.clone()),
            (None, Some(_)) => missing.push(item.key.clone()),
            _ => {}
        }
    }
    if !current.is_empty() || !missing.is_empty() {
        return Ok(Raced::Done(Err(StoreError::ImportConflict {
            current,
            missing,
        })));
    }
    for item in items {
        let (id, key, version) = match stored.remove(&folded_key(&item.key)) {
            None => {
                let Some(id) = insert(tx, Kind::Record, &item.key, now, &item.doc.json).await?
                else {
                    return Ok(Raced::Again);
                };
                summary.created += 1;
                (id, item.key.clone(), 1)
            }
            Some((id, v)) => {
                let version = next_version(&v.key, v.version)?;
                update(tx, id, None, version, now, &item.doc.json).await?;
                summary.updated += 1;
                (id, v.key, version)
            }
        };
        append(
            tx,
            id,
            &key,
            version,
            now,
            actor,
            ChangeKind::Imported,
            &item.doc.json,
        )
        .await?;
        outbox::record_changed(tx, id, &key, version, ChangeKind::Imported, now).await?;
        summary.records.push(Versioned {
            key,
            version,
            updated_at: now.to_owned(),
            doc: item.doc.value.clone(),
        });
    }
    Ok(Raced::Done(Ok(())))
}

/// A `documents` row (key, version, updated_at, doc from column 0) as a [`Versioned`].
fn versioned(row: &Row) -> Result<Versioned, StoreError> {
    versioned_at(row, 0)
}

fn versioned_at(row: &Row, first: usize) -> Result<Versioned, StoreError> {
    versioned_with(row, first, decode_doc)
}

fn versioned_with<D>(
    row: &Row,
    first: usize,
    decode: fn(&str, &str) -> Result<D, StoreError>,
) -> Result<Versioned<D>, StoreError> {
    let key: String = row.get(first);
    Ok(Versioned {
        version: to_version(&key, row.get(first + 1))?,
        updated_at: row.get(first + 2),
        doc: decode(&key, row.get(first + 3))?,
        key,
    })
}

/// The row id and current state of a document; `lock` holds the row until the transaction ends.
pub(super) async fn load(
    tx: &Transaction<'_>,
    kind: Kind,
    key: &str,
    lock: bool,
) -> Result<Option<(i64, Versioned)>, StoreError> {
    let sql = if lock {
        "SELECT id, key, version, updated_at, doc FROM documents
         WHERE kind = $1 AND key_folded = $2 FOR UPDATE"
    } else {
        "SELECT id, key, version, updated_at, doc FROM documents
         WHERE kind = $1 AND key_folded = $2"
    };
    let stmt = tx.prepare_cached(sql).await?;
    let row = tx
        .query_opt(&stmt, &[&kind.as_str(), &folded_key(key)])
        .await?;
    row.map(|r| Ok((r.get(0), versioned_at(&r, 1)?)))
        .transpose()
}

/// Inserts a new document at version 1; `None` when the key was taken meanwhile.
async fn insert(
    tx: &Transaction<'_>,
    kind: Kind,
    key: &str,
    now: &str,
    doc_json: &str,
) -> Result<Option<i64>, StoreError> {
    let stmt = tx
        .prepare_cached(
            "INSERT INTO documents (kind, key, key_folded, version, updated_at, doc)
             VALUES ($1, $2, $3, 1, $4, $5)
             ON CONFLICT (kind, key_folded) DO NOTHING RETURNING id",
        )
        .await?;
    let row = tx
        .query_opt(
            &stmt,
            &[&kind.as_str(), &key, &folded_key(key), &now, &doc_json],
        )
        .await?;
    Ok(row.map(|r| r.get(0)))
}

async fn update(
    tx: &Transaction<'_>,
    id: i64,
    new_key: Option<&str>,
    version: u64,
    now: &str,
    doc_json: &str,
) -> Result<(), StoreError> {
    let version = db_version("", version)?;
    let new_folded = new_key.map(folded_key);
    let stmt = tx
        .prepare_cached(
            "UPDATE documents SET key = coalesce($2, key), key_folded = coalesce($3, key_folded),
                    version = $4, updated_at = $5, doc = $6
             WHERE id = $1",
        )
        .await?;
    tx.execute(
        &stmt,
        &[&id, &new_key, &new_folded, &version, &now, &doc_json],
    )
    .await?;
    Ok(())
}

/// Appends one row to the change log, inside the caller's transaction.
#[allow(clippy::too_many_arguments)]
async fn append(
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
    let stmt = tx
        .prepare_cached(
            "INSERT INTO changes (document_id, key, version, at, actor, kind, doc)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .await?;
    tx.execute(
        &stmt,
        &[
            &document_id,
            &key,
            &version,
            &at,
            &actor,
            &kind.as_str(),
            &doc_json,
        ],
    )
    .await?;
    Ok(())
}
