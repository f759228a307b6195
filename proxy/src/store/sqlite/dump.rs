//! Raw rows in storage order, for `migrate-store` (see `store::copy`).

use rusqlite::params;

use super::super::StoreError;
use super::super::copy::{ChangeRow, DocumentRow, LinkRow};
use super::SqliteStore;

impl SqliteStore {
    /// Up to `limit` documents with an id above `after`, by id.
    pub(crate) fn dump_documents(
        &self,
        after: i64,
        limit: i64,
    ) -> Result<Vec<DocumentRow>, StoreError> {
        self.read(|tx| {
            let mut stmt = tx.prepare(
                "SELECT id, kind, key, version, updated_at, doc FROM documents
                 WHERE id > ?1 ORDER BY id LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![after, limit], |r| {
                Ok(DocumentRow {
                    id: r.get(0)?,
                    kind: r.get(1)?,
                    key: r.get(2)?,
                    version: r.get(3)?,
                    updated_at: r.get(4)?,
                    doc: r.get(5)?,
                })
            })?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
    }

    /// Up to `limit` changes with a sequence number above `after`, in log order.
    pub(crate) fn dump_changes(
        &self,
        after: i64,
        limit: i64,
    ) -> Result<Vec<ChangeRow>, StoreError> {
        self.read(|tx| {
            let mut stmt = tx.prepare(
                "SELECT seq, document_id, key, version, at, actor, kind, doc FROM changes
                 WHERE seq > ?1 ORDER BY seq LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![after, limit], |r| {
                Ok(ChangeRow {
                    seq: r.get(0)?,
                    document_id: r.get(1)?,
                    key: r.get(2)?,
                    version: r.get(3)?,
                    at: r.get(4)?,
                    actor: r.get(5)?,
                    kind: r.get(6)?,
                    doc: r.get(7)?,
                })
            })?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
    }

    /// Up to `limit` share links with a row id above `after`, in creation order.
    pub(crate) fn dump_share_links(
        &self,
        after: i64,
        limit: i64,
    ) -> Result<Vec<LinkRow>, StoreError> {
        self.read(|tx| {
            let mut stmt = tx.prepare(
                "SELECT rowid, id, document_id, token_sha256, created_at, expires_at,
                        last_used_at, revoked_at
                 FROM share_links WHERE rowid > ?1 ORDER BY rowid LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![after, limit], |r| {
                Ok(LinkRow {
                    rowid: r.get(0)?,
                    id: r.get(1)?,
                    document_id: r.get(2)?,
                    token_sha256: r.get(3)?,
                    created_at: r.get(4)?,
                    expires_at: r.get(5)?,
                    last_used_at: r.get(6)?,
                    revoked_at: r.get(7)?,
                })
            })?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
    }
}
