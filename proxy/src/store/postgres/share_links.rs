//! Share links in PostgreSQL: only the token's SHA-256 is stored.

use super::super::StoreError;
use super::super::records::Kind;
use super::super::share_links::{NewLink, ShareLink};
use super::super::team::EventKind;
use super::super::validate::folded_key;
use super::PgStore;
use super::team::append_event;

impl PgStore {
    pub(crate) async fn create_share_link(
        &self,
        key: &str,
        link: &NewLink,
        expires_at: Option<&str>,
        lang: Option<&str>,
        actor: &str,
        now: &str,
    ) -> Result<ShareLink, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        // One statement: the record is found and the link inserted atomically.
        let stmt = tx
            .prepare_cached(
                "INSERT INTO share_links (id, document_id, token_sha256, created_at, expires_at, lang)
                 SELECT $1, d.id, $2, $3, $4, $6 FROM documents d
                 WHERE d.kind = 'record' AND d.key_folded = $5
                 RETURNING (SELECT key FROM documents WHERE id = document_id), document_id",
            )
            .await?;
        let row = tx
            .query_opt(
                &stmt,
                &[
                    &link.id,
                    &link.hash.as_slice(),
                    &now,
                    &expires_at,
                    &folded_key(key),
                    &lang,
                ],
            )
            .await?
            .ok_or_else(|| StoreError::NotFound {
                key: key.to_owned(),
            })?;
        append_event(
            &tx,
            now,
            actor,
            EventKind::ShareLinkCreated,
            Some(row.get(1)),
            &link.id,
            &serde_json::json!({ "expiresAt": expires_at }),
        )
        .await?;
        tx.commit().await?;
        Ok(ShareLink {
            id: link.id.clone(),
            key: row.get(0),
            created_at: now.to_owned(),
            expires_at: expires_at.map(str::to_owned),
            last_used_at: None,
            revoked_at: None,
        })
    }

    pub(crate) async fn list_share_links(&self, key: &str) -> Result<Vec<ShareLink>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(
                "SELECT d.key, s.id, s.created_at, s.expires_at, s.last_used_at, s.revoked_at
                 FROM documents d LEFT JOIN share_links s ON s.document_id = d.id
                 WHERE d.kind = 'record' AND d.key_folded = $1
                 ORDER BY s.created_at, s.seq",
            )
            .await?;
        let rows = client.query(&stmt, &[&folded_key(key)]).await?;
        if rows.is_empty() {
            return Err(StoreError::NotFound {
                key: key.to_owned(),
            });
        }
        Ok(rows
            .iter()
            .filter_map(|r| {
                Some(ShareLink {
                    id: r.get::<_, Option<String>>(1)?,
                    key: r.get(0),
                    created_at: r.get(2),
                    expires_at: r.get(3),
                    last_used_at: r.get(4),
                    revoked_at: r.get(5),
                })
            })
            .collect())
    }

    pub(crate) async fn revoke_share_link(
        &self,
        key: &str,
        link_id: &str,
        actor: &str,
        now: &str,
    ) -> Result<bool, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        // Locks the link: of two revocations at once, one revokes and logs, the other finds it
        // revoked (the first revocation stands).
        let stmt = tx
            .prepare_cached(
                "SELECT s.document_id, s.revoked_at IS NULL FROM share_links s
                 JOIN documents d ON d.id = s.document_id
                 WHERE s.id = $1 AND d.kind = $3 AND d.key_folded = $2 FOR UPDATE OF s",
            )
            .await?;
        let Some(row) = tx
            .query_opt(&stmt, &[&link_id, &folded_key(key), &Kind::Record.as_str()])
            .await?
        else {
            return Ok(false);
        };
        let (document, live): (i64, bool) = (row.get(0), row.get(1));
        if live {
            tx.execute(
                "UPDATE share_links SET revoked_at = $2 WHERE id = $1",
                &[&link_id, &now],
            )
            .await?;
            // A revoked link's subscribers are forgotten with it.
            super::subscribers::forget_link(&tx, link_id).await?;
            append_event(
                &tx,
                now,
                actor,
                EventKind::ShareLinkRevoked,
                Some(document),
                link_id,
                &serde_json::json!({}),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    pub(crate) async fn resolve_share_link(
        &self,
        hash: &[u8; 32],
        now: &str,
    ) -> Result<Option<(String, String)>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(
                "SELECT s.id, d.key, s.last_used_at FROM share_links s
                 JOIN documents d ON d.id = s.document_id
                 WHERE s.token_sha256 = $1 AND d.kind = 'record' AND s.revoked_at IS NULL
                   AND (s.expires_at IS NULL OR s.expires_at > $2)",
            )
            .await?;
        let Some(row) = client.query_opt(&stmt, &[&hash.as_slice(), &now]).await? else {
            return Ok(None);
        };
        let (id, key, last_used): (String, String, Option<String>) =
            (row.get(0), row.get(1), row.get(2));
        if last_used.as_deref() == Some(now) {
            // Most views need no write: only touch last_used_at when it would change.
            return Ok(Some((id, key)));
        }
        // Checked again in the same statement: the link may have been revoked meanwhile.
        let stmt = client
            .prepare_cached(
                "UPDATE share_links SET last_used_at = $2
                 WHERE id = $1 AND revoked_at IS NULL
                   AND (expires_at IS NULL OR expires_at > $2)
                   AND (last_used_at IS NULL OR last_used_at < $2)",
            )
            .await?;
        let touched = client.execute(&stmt, &[&id, &now]).await?;
        if touched == 0 {
            // Either revoked meanwhile, or another view moved last_used_at on: look once more.
            let still = client
                .query_opt(
                    "SELECT 1 FROM share_links WHERE id = $1 AND revoked_at IS NULL
                       AND (expires_at IS NULL OR expires_at > $2)",
                    &[&id, &now],
                )
                .await?;
            if still.is_none() {
                return Ok(None);
            }
        }
        Ok(Some((id, key)))
    }
}
