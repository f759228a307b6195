//! Migration records and the settings: versioned JSON documents written by compare-and-swap.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;
use serde_json::Value;

use super::changes::{self, ChangeKind};
use super::error::shorten;
use super::timestamp::canonical_utc;
use super::{Store, StoreError, Versioned};

/// The longest key accepted, in characters (an e-mail-length domain or a Partner Center id fits).
pub(super) const MAX_KEY_CHARS: usize = 320;
/// The longest actor name accepted, in characters.
pub(super) const MAX_ACTOR_CHARS: usize = 200;
/// The largest document accepted, in bytes of compact JSON.
pub(super) const MAX_DOC_BYTES: usize = 1024 * 1024;
/// Deeper documents could be written but not read back (serde_json stops parsing at 128 levels).
const MAX_DOC_DEPTH: usize = 100;

/// The settings are one document with this fixed key.
pub(super) const SETTINGS_KEY: &str = "settings";

/// Which kind of document a row of `documents` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Record,
    Settings,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Record => "record",
            Kind::Settings => "settings",
        }
    }

    fn conflict(self, current: Versioned) -> StoreError {
        let current = Box::new(current);
        match self {
            Kind::Record => StoreError::Conflict { current },
            Kind::Settings => StoreError::SettingsConflict { current },
        }
    }
}

/// What a bulk import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    /// How many records were created (all of them; an import never writes only some).
    pub created: usize,
}

impl Store {
    /// Every migration record, ordered by key.
    pub fn list_records(&self) -> Result<Vec<Versioned>, StoreError> {
        self.read(|tx| {
            let mut stmt = tx.prepare_cached(
                "SELECT key, version, updated_at, doc FROM documents
                 WHERE kind = 'record' ORDER BY key",
            )?;
            let rows = stmt.query_map([], raw_row)?;
            let mut records = Vec::new();
            for row in rows {
                records.push(row?.into_versioned()?);
            }
            Ok(records)
        })
    }

    /// The record with this key (compared case-insensitively), if there is one.
    pub fn get_record(&self, key: &str) -> Result<Option<Versioned>, StoreError> {
        check_key(key)?;
        self.read(|tx| Ok(load(tx, Kind::Record, key)?.map(|(_, v)| v)))
    }

    /// Writes the record `key` if it is still at `expected_version` (`None`: it must not exist yet),
    /// and returns it at its new version. A stale version gives [`StoreError::Conflict`] with the
    /// current record, and nothing is written.
    pub fn put_record(
        &self,
        key: &str,
        expected_version: Option<u64>,
        doc: &Value,
        actor: &str,
        now: &str,
    ) -> Result<Versioned, StoreError> {
        check_key(key)?;
        self.put(Kind::Record, key, expected_version, doc, actor, now)
    }

    /// Moves the record at `old_key` (at `expected_version`) to `new_key` and writes `doc` in the
    /// same step, as when a prospect keyed by domain accepts and gets its Partner Center id. Its
    /// change log and share links follow it.
    pub fn rekey_record(
        &self,
        old_key: &str,
        new_key: &str,
        expected_version: u64,
        doc: &Value,
        actor: &str,
        now: &str,
    ) -> Result<Versioned, StoreError> {
        check_key(old_key)?;
        check_key(new_key)?;
        let actor = check_actor(actor)?;
        let now = canonical_utc("now", now)?;
        let doc_json = encode_doc(doc)?;
        self.write(|tx| {
            let (id, current) =
                load(tx, Kind::Record, old_key)?.ok_or_else(|| StoreError::NotFound {
                    key: old_key.to_owned(),
                })?;
            if current.version != expected_version {
                return Err(Kind::Record.conflict(current));
            }
            if let Some(other) = document_id(tx, Kind::Record, new_key)?
                && other != id
            {
                return Err(StoreError::AlreadyExists {
                    keys: vec![new_key.to_owned()],
                });
            }
            let version = next_version(&current)?;
            update(tx, id, Some(new_key), version, &now, &doc_json)?;
            changes::append(
                tx,
                id,
                new_key,
                version,
                &now,
                actor,
                ChangeKind::Rekeyed,
                &doc_json,
            )?;
            Ok(Versioned {
                key: new_key.to_owned(),
                version,
                updated_at: now.clone(),
                doc: doc.clone(),
            })
        })
    }

    /// Creates all these records in one transaction, or none of them: an invalid or repeated key
    /// is refused before anything is written, and keys that already exist give
    /// [`StoreError::AlreadyExists`] listing them.
    pub fn import_records(
        &self,
        docs: &[(String, Value)],
        actor: &str,
        now: &str,
    ) -> Result<ImportSummary, StoreError> {
        let actor = check_actor(actor)?;
        let now = canonical_utc("now", now)?;
        let mut first_seen: HashMap<String, usize> = HashMap::with_capacity(docs.len());
        let mut encoded = Vec::with_capacity(docs.len());
        for (index, (key, doc)) in docs.iter().enumerate() {
            let item = index + 1;
            let in_item = |e: StoreError| StoreError::InvalidInput(format!("Item {item}: {e}"));
            check_key(key).map_err(in_item)?;
            if let Some(earlier) = first_seen.insert(key.to_ascii_lowercase(), item) {
                return Err(StoreError::InvalidInput(format!(
                    "Items {earlier} and {item} have the same key \"{}\". Each customer may appear only once in an import; nothing was saved.",
                    shorten(key)
                )));
            }
            encoded.push(encode_doc(doc).map_err(in_item)?);
        }
        self.write(|tx| {
            let mut existing = Vec::new();
            for (key, _) in docs {
                if let Some((_, current)) = load_meta(tx, Kind::Record, key)? {
                    existing.push(current);
                }
            }
            if !existing.is_empty() {
                return Err(StoreError::AlreadyExists { keys: existing });
            }
            for ((key, _), doc_json) in docs.iter().zip(&encoded) {
                let id = insert(tx, Kind::Record, key, &now, doc_json)?;
                changes::append(tx, id, key, 1, &now, actor, ChangeKind::Imported, doc_json)?;
            }
            Ok(ImportSummary {
                created: docs.len(),
            })
        })
    }

    /// The settings, if they were ever saved.
    pub fn get_settings(&self) -> Result<Option<Versioned>, StoreError> {
        self.read(|tx| Ok(load(tx, Kind::Settings, SETTINGS_KEY)?.map(|(_, v)| v)))
    }

    /// Writes the settings with the same compare-and-swap as [`Store::put_record`]; a stale
    /// version gives [`StoreError::SettingsConflict`].
    pub fn put_settings(
        &self,
        expected_version: Option<u64>,
        doc: &Value,
        actor: &str,
        now: &str,
    ) -> Result<Versioned, StoreError> {
        self.put(
            Kind::Settings,
            SETTINGS_KEY,
            expected_version,
            doc,
            actor,
            now,
        )
    }

    fn put(
        &self,
        kind: Kind,
        key: &str,
        expected_version: Option<u64>,
        doc: &Value,
        actor: &str,
        now: &str,
    ) -> Result<Versioned, StoreError> {
        let actor = check_actor(actor)?;
        let now = canonical_utc("now", now)?;
        let doc_json = encode_doc(doc)?;
        self.write(|tx| {
            let current = load(tx, kind, key)?;
            let (id, key, version, change) = match (current, expected_version) {
                (None, None) => {
                    let id = insert(tx, kind, key, &now, &doc_json)?;
                    (id, key.to_owned(), 1, ChangeKind::Created)
                }
                (Some((_, current)), None) => return Err(kind.conflict(current)),
                (None, Some(expected)) => return Err(missing(kind, key, expected)),
                (Some((_, current)), Some(expected)) if current.version != expected => {
                    return Err(kind.conflict(current));
                }
                (Some((id, current)), Some(_)) => {
                    let version = next_version(&current)?;
                    update(tx, id, None, version, &now, &doc_json)?;
                    (id, current.key, version, ChangeKind::Updated)
                }
            };
            changes::append(tx, id, &key, version, &now, actor, change, &doc_json)?;
            Ok(Versioned {
                key,
                version,
                updated_at: now.clone(),
                doc: doc.clone(),
            })
        })
    }
}

fn missing(kind: Kind, key: &str, expected: u64) -> StoreError {
    match kind {
        Kind::Record => StoreError::NotFound {
            key: key.to_owned(),
        },
        Kind::Settings => StoreError::InvalidInput(format!(
            "The settings have never been saved, so there is no version {expected} to update. Save them without a version."
        )),
    }
}

/// Refuses keys that cannot be a customer id or a domain, before they reach the database.
pub(super) fn check_key(key: &str) -> Result<(), StoreError> {
    let problem = if key.is_empty() {
        "The key is empty. Use the customer's Partner Center id, or its primary domain before it has one.".to_owned()
    } else if key.chars().count() > MAX_KEY_CHARS {
        format!(
            "The key is {} characters long; keys are at most {MAX_KEY_CHARS} characters. Use the customer's Partner Center id or primary domain.",
            key.chars().count()
        )
    } else if key.chars().any(char::is_control) {
        format!(
            "The key \"{}\" contains a control character (such as a line break). Use the customer's Partner Center id or primary domain.",
            shorten(&key.replace(char::is_control, " "))
        )
    } else if key.trim() != key {
        format!(
            "The key \"{}\" starts or ends with a space. Remove the spaces and try again.",
            shorten(key)
        )
    } else {
        return Ok(());
    };
    Err(StoreError::InvalidInput(problem))
}

pub(super) fn check_actor(actor: &str) -> Result<&str, StoreError> {
    let actor = actor.trim();
    if actor.is_empty()
        || actor.chars().count() > MAX_ACTOR_CHARS
        || actor.chars().any(char::is_control)
    {
        return Err(StoreError::InvalidInput(format!(
            "The name recorded for this change must be 1 to {MAX_ACTOR_CHARS} characters without line breaks. Sign in again or fix the name."
        )));
    }
    Ok(actor)
}

fn encode_doc(doc: &Value) -> Result<String, StoreError> {
    if depth_exceeds(doc, MAX_DOC_DEPTH) {
        return Err(StoreError::InvalidInput(format!(
            "The document is nested more than {MAX_DOC_DEPTH} levels deep. Flatten it and try again."
        )));
    }
    let text = serde_json::to_string(doc).map_err(|e| {
        StoreError::InvalidInput(format!(
            "The document could not be written as JSON ({e}). Check its contents and try again."
        ))
    })?;
    if text.len() > MAX_DOC_BYTES {
        return Err(StoreError::TooLarge {
            bytes: text.len(),
            limit: MAX_DOC_BYTES,
        });
    }
    Ok(text)
}

/// Without recursion, so a hostile document cannot overflow the stack here.
fn depth_exceeds(doc: &Value, max: usize) -> bool {
    let mut stack = vec![(doc, 1usize)];
    while let Some((value, depth)) = stack.pop() {
        if depth > max {
            return true;
        }
        match value {
            Value::Array(items) => stack.extend(items.iter().map(|v| (v, depth + 1))),
            Value::Object(map) => stack.extend(map.values().map(|v| (v, depth + 1))),
            _ => {}
        }
    }
    false
}

pub(super) fn decode_doc(key: &str, text: &str) -> Result<Value, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt {
        detail: format!(
            "the stored document of \"{}\" is not valid JSON: {e}",
            shorten(key)
        ),
    })
}

pub(super) fn to_version(key: &str, version: i64) -> Result<u64, StoreError> {
    u64::try_from(version).map_err(|_| StoreError::Corrupt {
        detail: format!("the version of \"{}\" is negative", shorten(key)),
    })
}

fn next_version(current: &Versioned) -> Result<u64, StoreError> {
    current
        .version
        .checked_add(1)
        .filter(|v| i64::try_from(*v).is_ok())
        .ok_or_else(|| StoreError::Corrupt {
            detail: format!(
                "the version of \"{}\" cannot grow any further",
                shorten(&current.key)
            ),
        })
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
        Ok(Versioned {
            version: to_version(&self.key, self.version)?,
            doc: decode_doc(&self.key, &self.doc)?,
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
fn load_meta(
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
    let version = i64::try_from(version).unwrap_or(i64::MAX);
    tx.prepare_cached(
        "UPDATE documents SET key = coalesce(?2, key), version = ?3, updated_at = ?4, doc = ?5
         WHERE id = ?1",
    )?
    .execute(params![id, new_key, version, now, doc_json])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};

    use super::super::tests::{T0, temp_store};
    use super::*;
    use serde_json::json;

    #[test]
    fn a_new_record_starts_at_version_one() {
        let (_dir, store) = temp_store();
        let doc = json!({"companyName": "Contoso <script>alert(1)</script>", "seats": 25});
        let made = store
            .put_record("contoso.com", None, &doc, "ann", "2025-04-01T09:00:00.123Z")
            .unwrap();
        assert_eq!(made.version, 1);
        assert_eq!(made.updated_at, "2025-04-01T09:00:00Z");
        assert_eq!(store.get_record("contoso.com").unwrap(), Some(made));
        assert_eq!(store.get_record("fabrikam.com").unwrap(), None);
    }

    #[test]
    fn a_stale_write_is_refused_with_the_current_record() {
        let (_dir, store) = temp_store();
        store
            .put_record("contoso.com", None, &json!({"n": 1}), "ann", T0)
            .unwrap();
        store
            .put_record("contoso.com", Some(1), &json!({"n": 2}), "ann", T0)
            .unwrap();
        let err = store
            .put_record("contoso.com", Some(1), &json!({"n": 99}), "bob", T0)
            .unwrap_err();
        let StoreError::Conflict { current } = &err else {
            panic!("expected a conflict, got {err}");
        };
        assert_eq!((current.version, &current.doc), (2, &json!({"n": 2})));
        assert!(err.to_string().contains("version 2"), "{err}");
        // Creating over an existing record is a conflict too.
        let err = store
            .put_record("contoso.com", None, &json!({}), "bob", T0)
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
        let err = store
            .put_record("nobody.example", Some(1), &json!({}), "bob", T0)
            .unwrap_err();
        assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
        assert_eq!(store.changes("contoso.com", None, 10).unwrap().len(), 2);
    }

    #[test]
    fn keys_differing_only_in_case_are_one_record() {
        let (_dir, store) = temp_store();
        store
            .put_record("Contoso.com", None, &json!({}), "ann", T0)
            .unwrap();
        let err = store
            .put_record("contoso.COM", None, &json!({}), "bob", T0)
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
        let found = store.get_record("CONTOSO.COM").unwrap().unwrap();
        assert_eq!(found.key, "Contoso.com");
    }

    #[test]
    fn concurrent_writers_never_overwrite_each_other() {
        const THREADS: usize = 8;
        const ATTEMPTS: usize = 200;
        let (_dir, store) = temp_store();
        let store = Arc::new(store);
        store
            .put_record("contoso.com", None, &json!({"by": "seed"}), "seed", T0)
            .unwrap();
        let succeeded = Arc::new(AtomicU64::new(0));
        let threads: Vec<_> = (0..THREADS)
            .map(|t| {
                let store = Arc::clone(&store);
                let succeeded = Arc::clone(&succeeded);
                std::thread::spawn(move || {
                    let mut conflicts = 0;
                    for i in 0..ATTEMPTS {
                        let seen = store.get_record("contoso.com").unwrap().unwrap();
                        let doc = json!({"by": t, "attempt": i, "based_on": seen.version});
                        match store.put_record("contoso.com", Some(seen.version), &doc, "w", T0) {
                            Ok(written) => {
                                assert_eq!(written.version, seen.version + 1);
                                succeeded.fetch_add(1, Ordering::SeqCst);
                            }
                            Err(StoreError::Conflict { current }) => {
                                assert!(current.version > seen.version);
                                conflicts += 1;
                            }
                            Err(other) => panic!("unexpected error: {other}"),
                        }
                    }
                    conflicts
                })
            })
            .collect();
        let conflicts: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
        let succeeded = succeeded.load(Ordering::SeqCst);
        assert_eq!(succeeded as usize + conflicts, THREADS * ATTEMPTS);
        let record = store.get_record("contoso.com").unwrap().unwrap();
        assert_eq!(record.version, 1 + succeeded);
        let mut log = Vec::new();
        loop {
            let since = log.last().map(|c: &super::super::Change| c.version);
            let page = store.changes("contoso.com", since, 100).unwrap();
            if page.is_empty() {
                break;
            }
            log.extend(page);
        }
        eprintln!("{succeeded} writes succeeded, {conflicts} were refused as stale");
        assert_eq!(log.len() as u64, 1 + succeeded);
        for (i, change) in log.iter().enumerate() {
            assert_eq!(change.version, i as u64 + 1);
            // Every successful write was based on the version just before it: nothing was lost.
            if i > 0 {
                assert_eq!(change.doc["based_on"], json!(i));
            }
        }
        assert_eq!(log.last().unwrap().doc, record.doc);
    }

    #[test]
    fn an_import_writes_every_record_in_one_step() {
        let (_dir, store) = temp_store();
        let docs: Vec<(String, Value)> = (0..500)
            .map(|i| (format!("customer{i}.example"), json!({"row": i})))
            .collect();
        let summary = store.import_records(&docs, "ann", T0).unwrap();
        assert_eq!(summary.created, 500);
        let all = store.list_records().unwrap();
        assert_eq!(all.len(), 500);
        assert!(all.iter().all(|r| r.version == 1));
        let log = store.changes("customer7.example", None, 10).unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].kind, ChangeKind::Imported);
    }

    #[test]
    fn an_import_with_one_existing_key_writes_nothing() {
        let (_dir, store) = temp_store();
        store
            .put_record("fabrikam.com", None, &json!({"keep": true}), "ann", T0)
            .unwrap();
        let docs = vec![
            ("contoso.com".to_owned(), json!({})),
            ("FABRIKAM.com".to_owned(), json!({"keep": false})),
            ("northwind.example".to_owned(), json!({})),
        ];
        let err = store.import_records(&docs, "bob", T0).unwrap_err();
        let StoreError::AlreadyExists { keys } = &err else {
            panic!("expected AlreadyExists, got {err}");
        };
        assert_eq!(keys, &["fabrikam.com"]);
        assert!(err.to_string().contains("Nothing was saved"), "{err}");
        let all = store.list_records().unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].doc, json!({"keep": true}));
    }

    #[test]
    fn an_import_with_a_bad_or_repeated_key_writes_nothing() {
        let (_dir, store) = temp_store();
        let repeated = vec![
            ("contoso.com".to_owned(), json!({})),
            ("fabrikam.com".to_owned(), json!({})),
            ("Contoso.com".to_owned(), json!({})),
        ];
        let err = store.import_records(&repeated, "ann", T0).unwrap_err();
        assert!(err.to_string().contains("Items 1 and 3"), "{err}");
        let bad = vec![
            ("contoso.com".to_owned(), json!({})),
            (String::new(), json!({})),
        ];
        let err = store.import_records(&bad, "ann", T0).unwrap_err();
        assert!(
            err.to_string().starts_with("Item 2: The key is empty"),
            "{err}"
        );
        assert!(store.list_records().unwrap().is_empty());
    }

    #[test]
    fn invalid_keys_are_refused_with_a_sentence() {
        let (_dir, store) = temp_store();
        let long = "a".repeat(MAX_KEY_CHARS + 1);
        for key in ["", " contoso.com", "contoso.com\n", "a\0b", long.as_str()] {
            let err = store
                .put_record(key, None, &json!({}), "ann", T0)
                .unwrap_err();
            assert!(matches!(err, StoreError::InvalidInput(_)), "{err}");
            let message = err.to_string();
            assert!(message.ends_with('.') && message.len() < 400, "{message}");
            assert!(store.get_record(key).is_err());
        }
        let longest = "あ".repeat(MAX_KEY_CHARS);
        store
            .put_record(&longest, None, &json!({}), "ann", T0)
            .unwrap();
        assert!(store.get_record(&longest).unwrap().is_some());
    }

    #[test]
    fn bad_actor_time_or_document_writes_nothing() {
        let (_dir, store) = temp_store();
        let cases = [
            store.put_record("contoso.com", None, &json!({}), "  ", T0),
            store.put_record("contoso.com", None, &json!({}), "ann", "yesterday"),
            store.put_record(
                "contoso.com",
                None,
                &json!({}),
                "ann",
                "2025-04-01T09:00:00+09:00",
            ),
            store.put_record(
                "contoso.com",
                None,
                &json!({"notes": "x".repeat(MAX_DOC_BYTES)}),
                "ann",
                T0,
            ),
        ];
        for result in cases {
            let err = result.unwrap_err();
            assert!(!matches!(err, StoreError::Database(_)), "{err}");
        }
        let mut deep = json!(1);
        for _ in 0..1_000 {
            deep = Value::Array(vec![deep]);
        }
        let err = store
            .put_record("contoso.com", None, &deep, "ann", T0)
            .unwrap_err();
        assert!(err.to_string().contains("nested"), "{err}");
        assert!(store.list_records().unwrap().is_empty());
    }

    #[test]
    fn damaged_json_in_the_database_is_an_error_not_a_panic() {
        let (_dir, store) = temp_store();
        store
            .put_record("contoso.com", None, &json!({}), "ann", T0)
            .unwrap();
        super::super::lock(&store.writer)
            .execute(
                "UPDATE documents SET doc = '{not json' WHERE key = 'contoso.com'",
                [],
            )
            .unwrap();
        let err = store.get_record("contoso.com").unwrap_err();
        assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
        assert!(store.list_records().is_err());
        let err = store
            .put_record("contoso.com", Some(1), &json!({}), "ann", T0)
            .unwrap_err();
        assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
    }

    #[test]
    fn rekeying_moves_the_record_and_keeps_its_history() {
        let (_dir, store) = temp_store();
        store
            .put_record(
                "contoso.com",
                None,
                &json!({"stage": "prospect"}),
                "ann",
                T0,
            )
            .unwrap();
        let id = "4b1c7f4e-0000-4000-8000-000000000001";
        let moved = store
            .rekey_record(
                "contoso.com",
                id,
                1,
                &json!({"stage": "accepted"}),
                "ann",
                T0,
            )
            .unwrap();
        assert_eq!((moved.key.as_str(), moved.version), (id, 2));
        assert_eq!(store.get_record("contoso.com").unwrap(), None);
        let log = store.changes(id, None, 10).unwrap();
        assert_eq!(log.len(), 2);
        assert_eq!(
            (log[0].key.as_str(), log[0].kind),
            ("contoso.com", ChangeKind::Created)
        );
        assert_eq!(
            (log[1].key.as_str(), log[1].kind),
            (id, ChangeKind::Rekeyed)
        );
    }

    #[test]
    fn rekeying_onto_an_existing_key_or_from_a_stale_version_is_refused() {
        let (_dir, store) = temp_store();
        for key in ["contoso.com", "fabrikam.com"] {
            store.put_record(key, None, &json!({}), "ann", T0).unwrap();
        }
        let err = store
            .rekey_record("contoso.com", "fabrikam.com", 1, &json!({}), "ann", T0)
            .unwrap_err();
        assert!(matches!(err, StoreError::AlreadyExists { .. }), "{err}");
        let err = store
            .rekey_record("contoso.com", "new-id", 7, &json!({}), "ann", T0)
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
        let err = store
            .rekey_record("nobody.example", "new-id", 1, &json!({}), "ann", T0)
            .unwrap_err();
        assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
        assert_eq!(store.get_record("contoso.com").unwrap().unwrap().version, 1);
    }

    #[test]
    fn settings_use_the_same_compare_and_swap() {
        let (_dir, store) = temp_store();
        assert_eq!(store.get_settings().unwrap(), None);
        let first = store
            .put_settings(None, &json!({"partner": "Fabrikam"}), "ann", T0)
            .unwrap();
        assert_eq!(first.version, 1);
        store
            .put_settings(Some(1), &json!({"partner": "Fabrikam KK"}), "ann", T0)
            .unwrap();
        let err = store
            .put_settings(Some(1), &json!({"partner": "stale"}), "bob", T0)
            .unwrap_err();
        assert!(matches!(err, StoreError::SettingsConflict { .. }), "{err}");
        assert!(
            err.to_string().starts_with("The settings were changed"),
            "{err}"
        );
        assert_eq!(
            store.get_settings().unwrap().unwrap().doc,
            json!({"partner": "Fabrikam KK"})
        );
        // The settings are not a migration record, even under the key "settings".
        assert!(store.list_records().unwrap().is_empty());
        store
            .put_record("settings", None, &json!({}), "ann", T0)
            .unwrap();
        assert_eq!(store.get_settings().unwrap().unwrap().version, 2);
    }
}
