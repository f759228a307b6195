//! The append-only change log: one row per write, with who, when, and the document as written.
//!
//! A document's changes have versions 1, 2, 3, … without gaps, so the newest `n` changes of a record
//! at version `v` are `changes(key, Some(v.saturating_sub(n)), n)` (what an Atom feed needs).

use rusqlite::{Transaction, params};
use serde::Serialize;
use serde_json::Value;

use super::records::{Kind, SETTINGS_KEY, decode_doc, document_id, to_version};
use super::{Store, StoreError};

/// The most changes one call returns, whatever `limit` asks for.
pub(super) const MAX_CHANGES_PAGE: usize = 1000;

/// What a write did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// The document was created by a single write.
    Created,
    /// The document was replaced by a newer version.
    Updated,
    /// The document was created by a bulk import.
    Imported,
    /// The record got a new key (a prospect's domain replaced by its Partner Center id).
    Rekeyed,
}

impl ChangeKind {
    fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Created => "created",
            ChangeKind::Updated => "updated",
            ChangeKind::Imported => "imported",
            ChangeKind::Rekeyed => "rekeyed",
        }
    }

    fn parse(text: &str) -> Option<ChangeKind> {
        Some(match text {
            "created" => ChangeKind::Created,
            "updated" => ChangeKind::Updated,
            "imported" => ChangeKind::Imported,
            "rekeyed" => ChangeKind::Rekeyed,
            _ => return None,
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

impl Store {
    /// The change log of the record `key`, oldest first: writes with a version above `since` (all
    /// when `None`), at most `limit` (and at most 1,000). Follows the record across
    /// re-keying.
    pub fn changes(
        &self,
        key: &str,
        since: Option<u64>,
        limit: usize,
    ) -> Result<Vec<Change>, StoreError> {
        self.read(|tx| {
            let id = document_id(tx, Kind::Record, key)?.ok_or_else(|| StoreError::NotFound {
                key: key.to_owned(),
            })?;
            query(tx, id, since, limit)
        })
    }

    /// The change log of the settings, oldest first, with the same paging as [`Store::changes`].
    /// Empty while the settings have never been saved.
    pub fn settings_changes(
        &self,
        since: Option<u64>,
        limit: usize,
    ) -> Result<Vec<Change>, StoreError> {
        self.read(|tx| match document_id(tx, Kind::Settings, SETTINGS_KEY)? {
            Some(id) => query(tx, id, since, limit),
            None => Ok(Vec::new()),
        })
    }
}

fn query(
    tx: &Transaction<'_>,
    document_id: i64,
    since: Option<u64>,
    limit: usize,
) -> Result<Vec<Change>, StoreError> {
    let since = since.map_or(0, |v| i64::try_from(v).unwrap_or(i64::MAX));
    let limit = i64::try_from(limit.min(MAX_CHANGES_PAGE)).unwrap_or(0);
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
        let kind = ChangeKind::parse(&kind).ok_or_else(|| StoreError::Corrupt {
            detail: format!("the change log of \"{key}\" holds an unknown kind of change"),
        })?;
        changes.push(Change {
            version: to_version(&key, version)?,
            doc: decode_doc(&key, &doc)?,
            key,
            at,
            actor,
            kind,
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
    let version = i64::try_from(version).map_err(|_| StoreError::Corrupt {
        detail: format!("the version of \"{key}\" is out of range"),
    })?;
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

#[cfg(test)]
mod tests {
    use super::super::tests::{T0, temp_store};
    use super::*;
    use serde_json::json;

    #[test]
    fn every_write_adds_one_change_with_actor_time_and_document() {
        let (_dir, store) = temp_store();
        store
            .put_record("contoso.com", None, &json!({"step": 1}), "ann", T0)
            .unwrap();
        store
            .put_record(
                "contoso.com",
                Some(1),
                &json!({"step": 2}),
                "bob",
                "2025-04-02T10:00:00Z",
            )
            .unwrap();
        let log = store.changes("contoso.com", None, 100).unwrap();
        assert_eq!(log.len(), 2);
        assert_eq!(
            (log[0].version, log[0].kind, log[0].actor.as_str()),
            (1, ChangeKind::Created, "ann")
        );
        assert_eq!(
            (log[1].version, log[1].kind, log[1].at.as_str()),
            (2, ChangeKind::Updated, "2025-04-02T10:00:00Z")
        );
        assert_eq!(log[1].doc, json!({"step": 2}));
    }

    #[test]
    fn changes_page_by_version_and_limit() {
        let (_dir, store) = temp_store();
        store
            .put_record("contoso.com", None, &json!({"n": 1}), "ann", T0)
            .unwrap();
        for v in 1..10 {
            store
                .put_record("contoso.com", Some(v), &json!({"n": v + 1}), "ann", T0)
                .unwrap();
        }
        let page = store.changes("contoso.com", Some(3), 4).unwrap();
        let versions: Vec<u64> = page.iter().map(|c| c.version).collect();
        assert_eq!(versions, [4, 5, 6, 7]);
        // The newest three, as a feed would ask for them.
        let newest = store.changes("contoso.com", Some(10 - 3), 3).unwrap();
        assert_eq!(newest.last().unwrap().version, 10);
        assert!(
            store
                .changes("contoso.com", Some(u64::MAX), 10)
                .unwrap()
                .is_empty()
        );
        assert!(store.changes("contoso.com", None, 0).unwrap().is_empty());
    }

    #[test]
    fn changes_of_an_unknown_record_are_not_found() {
        let (_dir, store) = temp_store();
        let err = store.changes("nobody.example", None, 10).unwrap_err();
        assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
    }

    #[test]
    fn the_change_log_refuses_updates_and_deletes() {
        let (_dir, store) = temp_store();
        store
            .put_record("contoso.com", None, &json!({}), "ann", T0)
            .unwrap();
        let conn = super::super::lock(&store.writer);
        assert!(
            conn.execute("UPDATE changes SET actor = 'eve'", [])
                .is_err()
        );
        assert!(conn.execute("DELETE FROM changes", []).is_err());
    }

    #[test]
    fn settings_have_their_own_change_log() {
        let (_dir, store) = temp_store();
        assert!(store.settings_changes(None, 10).unwrap().is_empty());
        store
            .put_settings(None, &json!({"partner": "Fabrikam"}), "ann", T0)
            .unwrap();
        let log = store.settings_changes(None, 10).unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].kind, ChangeKind::Created);
    }
}
