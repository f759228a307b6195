//! Share links in SQLite: only the token's SHA-256 is stored.

use rusqlite::{OptionalExtension, Transaction, params};

use super::super::StoreError;
use super::super::records::Kind;
use super::super::share_links::{NewLink, ShareLink};
use super::super::team::EventKind;
use super::SqliteStore;
use super::records::document_id;
use super::team::append_event;

impl SqliteStore {
    pub(crate) fn create_share_link(
        &self,
        key: &str,
        link: &NewLink,
        expires_at: Option<&str>,
        lang: Option<&str>,
        actor: &str,
        now: &str,
    ) -> Result<ShareLink, StoreError> {
        self.write(|tx| {
            let (document, stored_key) = record_of(tx, key)?;
            tx.prepare_cached(
                "INSERT INTO share_links (id, document_id, token_sha256, created_at, expires_at, lang)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                link.id,
                document,
                link.hash.as_slice(),
                now,
                expires_at,
                lang
            ])?;
            append_event(
                tx,
                now,
                actor,
                EventKind::ShareLinkCreated,
                Some(document),
                &link.id,
                &serde_json::json!({ "expiresAt": expires_at }),
            )?;
            Ok(ShareLink {
                id: link.id.clone(),
                key: stored_key,
                created_at: now.to_owned(),
                expires_at: expires_at.map(str::to_owned),
                last_used_at: None,
                revoked_at: None,
            })
        })
    }

    pub(crate) fn list_share_links(&self, key: &str) -> Result<Vec<ShareLink>, StoreError> {
        self.read(|tx| {
            let (document, stored_key) = record_of(tx, key)?;
            let mut stmt = tx.prepare_cached(
                "SELECT id, created_at, expires_at, last_used_at, revoked_at FROM share_links
                 WHERE document_id = ?1 ORDER BY created_at, rowid",
            )?;
            let rows = stmt.query_map([document], |r| {
                Ok(ShareLink {
                    id: r.get(0)?,
                    key: stored_key.clone(),
                    created_at: r.get(1)?,
                    expires_at: r.get(2)?,
                    last_used_at: r.get(3)?,
                    revoked_at: r.get(4)?,
                })
            })?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
    }

    pub(crate) fn revoke_share_link(
        &self,
        key: &str,
        link_id: &str,
        actor: &str,
        now: &str,
    ) -> Result<bool, StoreError> {
        self.write(|tx| {
            let Some(document) = document_id(tx, Kind::Record, key)? else {
                return Ok(false);
            };
            let revoked = tx
                .prepare_cached(
                    "UPDATE share_links SET revoked_at = ?3
                     WHERE id = ?1 AND document_id = ?2 AND revoked_at IS NULL",
                )?
                .execute(params![link_id, document, now])?;
            if revoked > 0 {
                // A revoked link's subscribers are forgotten with it.
                super::subscribers::forget_link(tx, link_id)?;
                append_event(
                    tx,
                    now,
                    actor,
                    EventKind::ShareLinkRevoked,
                    Some(document),
                    link_id,
                    &serde_json::json!({}),
                )?;
                return Ok(true);
            }
            // Revoked before (the first revocation stands), or no such link.
            let exists = tx
                .prepare_cached("SELECT 1 FROM share_links WHERE id = ?1 AND document_id = ?2")?
                .query_row(params![link_id, document], |_| Ok(()))
                .optional()?;
            Ok(exists.is_some())
        })
    }

    pub(crate) fn resolve_share_link(
        &self,
        hash: &[u8; 32],
        now: &str,
    ) -> Result<Option<(String, String)>, StoreError> {
        // Most views need no write: only touch last_used_at when it would change.
        let seen = self.read(|tx| valid_link(tx, hash, now))?;
        match seen {
            None => Ok(None),
            Some((id, key, last_used)) if last_used.as_deref() == Some(now) => Ok(Some((id, key))),
            Some(_) => self.write(|tx| {
                // Checked again under the write lock: the link may have been revoked meanwhile.
                let Some((id, key, _)) = valid_link(tx, hash, now)? else {
                    return Ok(None);
                };
                tx.prepare_cached(
                    "UPDATE share_links SET last_used_at = ?2
                     WHERE id = ?1 AND (last_used_at IS NULL OR last_used_at < ?2)",
                )?
                .execute(params![id, now])?;
                Ok(Some((id, key)))
            }),
        }
    }
}

/// The link's id, the record's key and the last use, if the link works at `now`.
fn valid_link(
    tx: &Transaction<'_>,
    hash: &[u8; 32],
    now: &str,
) -> Result<Option<(String, String, Option<String>)>, StoreError> {
    Ok(tx
        .prepare_cached(
            "SELECT s.id, d.key, s.last_used_at FROM share_links s
             JOIN documents d ON d.id = s.document_id
             WHERE s.token_sha256 = ?1 AND d.kind = 'record' AND s.revoked_at IS NULL
               AND (s.expires_at IS NULL OR s.expires_at > ?2)",
        )?
        .query_row(params![hash.as_slice(), now], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?)
}

fn record_of(tx: &Transaction<'_>, key: &str) -> Result<(i64, String), StoreError> {
    tx.prepare_cached("SELECT id, key FROM documents WHERE kind = 'record' AND key = ?1")?
        .query_row([key], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or_else(|| StoreError::NotFound {
            key: key.to_owned(),
        })
}
