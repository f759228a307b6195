//! E-mail subscribers and share-link languages in PostgreSQL (see `store::subscribers`).

use deadpool_postgres::Transaction;

use super::super::StoreError;
use super::super::outbox::NewMessage;
use super::super::subscribers::{MAX_PER_LINK, MailTarget, NewSubscriber, Subscribed, Subscriber};
use super::super::validate::folded_key;
use super::PgStore;
use super::outbox::{drop_waiting_mails, insert_all};

impl PgStore {
    pub(crate) async fn subscribe(
        &self,
        new: &NewSubscriber,
        confirmation: &NewMessage,
        now: &str,
    ) -> Result<Subscribed, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        // Lock the link: two requests for one link are counted and inserted one after the other.
        let works = tx
            .query_opt(
                "SELECT 1 FROM share_links WHERE id = $1 AND revoked_at IS NULL
                   AND (expires_at IS NULL OR expires_at > $2) FOR UPDATE",
                &[&new.link_id, &now],
            )
            .await?;
        if works.is_none() {
            return Err(StoreError::InvalidInput(
                "This status link no longer works, so nothing can be subscribed to it.".into(),
            ));
        }
        let folded = new.address.to_lowercase();
        let existing = tx
            .query_opt(
                "SELECT id, confirmed_at FROM subscribers
                 WHERE share_link_id = $1 AND address_folded = $2",
                &[&new.link_id, &folded],
            )
            .await?;
        let subscriber_id = match existing {
            Some(row) if row.get::<_, Option<String>>(1).is_some() => {
                return Ok(Subscribed::AlreadyConfirmed);
            }
            Some(row) => {
                let id: String = row.get(0);
                tx.execute(
                    "UPDATE subscribers SET token = $2, lang = $3 WHERE id = $1",
                    &[&id, &new.token, &new.lang],
                )
                .await?;
                id
            }
            None => {
                let n: i64 = tx
                    .query_one(
                        "SELECT count(*) FROM subscribers WHERE share_link_id = $1",
                        &[&new.link_id],
                    )
                    .await?
                    .get(0);
                if u64::try_from(n).unwrap_or(0) >= MAX_PER_LINK {
                    return Ok(Subscribed::LinkFull);
                }
                tx.execute(
                    "INSERT INTO subscribers
                       (id, share_link_id, address, address_folded, lang, token, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    &[
                        &new.id,
                        &new.link_id,
                        &new.address,
                        &folded,
                        &new.lang,
                        &new.token,
                        &now,
                    ],
                )
                .await?;
                new.id.clone()
            }
        };
        let mail = NewMessage {
            subscriber_id: Some(subscriber_id),
            ..confirmation.clone()
        };
        insert_all(&tx, std::slice::from_ref(&mail), now).await?;
        tx.commit().await?;
        Ok(Subscribed::ConfirmationQueued)
    }

    pub(crate) async fn confirm_subscriber(
        &self,
        token: &str,
        now: &str,
    ) -> Result<Option<String>, StoreError> {
        let client = self.client().await?;
        let row = client
            .query_opt(
                "UPDATE subscribers s SET confirmed_at = coalesce(s.confirmed_at, $2)
                 FROM share_links l
                 WHERE s.token = $1 AND l.id = s.share_link_id AND l.revoked_at IS NULL
                   AND (l.expires_at IS NULL OR l.expires_at > $2)
                 RETURNING s.lang",
                &[&token, &now],
            )
            .await?;
        Ok(row.map(|r| r.get(0)))
    }

    pub(crate) async fn subscriber_lang(&self, token: &str) -> Result<Option<String>, StoreError> {
        let client = self.client().await?;
        let row = client
            .query_opt("SELECT lang FROM subscribers WHERE token = $1", &[&token])
            .await?;
        Ok(row.map(|r| r.get(0)))
    }

    pub(crate) async fn unsubscribe(&self, token: &str) -> Result<Option<String>, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let row = tx
            .query_opt(
                "SELECT id, lang FROM subscribers WHERE token = $1 FOR UPDATE",
                &[&token],
            )
            .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let id: String = row.get(0);
        forget(&tx, &id).await?;
        tx.commit().await?;
        Ok(Some(row.get(1)))
    }

    pub(crate) async fn list_subscribers(&self, key: &str) -> Result<Vec<Subscriber>, StoreError> {
        let client = self.client().await?;
        let found = client
            .query_opt(
                "SELECT id FROM documents WHERE kind = 'record' AND key_folded = $1",
                &[&folded_key(key)],
            )
            .await?;
        let Some(doc) = found else {
            return Err(StoreError::NotFound {
                key: key.to_owned(),
            });
        };
        let doc: i64 = doc.get(0);
        let rows = client
            .query(
                "SELECT s.id, s.share_link_id, s.address, s.lang, s.created_at, s.confirmed_at
                 FROM subscribers s JOIN share_links l ON l.id = s.share_link_id
                 WHERE l.document_id = $1 ORDER BY s.created_at, s.seq",
                &[&doc],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| Subscriber {
                id: r.get(0),
                link_id: r.get(1),
                address: r.get(2),
                lang: r.get(3),
                created_at: r.get(4),
                confirmed_at: r.get(5),
            })
            .collect())
    }

    pub(crate) async fn remove_subscriber(&self, key: &str, id: &str) -> Result<bool, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let found = tx
            .query_opt(
                "SELECT s.id FROM subscribers s
                 JOIN share_links l ON l.id = s.share_link_id
                 JOIN documents d ON d.id = l.document_id
                 WHERE s.id = $1 AND d.kind = 'record' AND d.key_folded = $2
                 FOR UPDATE OF s",
                &[&id, &folded_key(key)],
            )
            .await?;
        if found.is_none() {
            return Ok(false);
        }
        forget(&tx, id).await?;
        tx.commit().await?;
        Ok(true)
    }

    pub(crate) async fn mail_targets(
        &self,
        key: Option<&str>,
        now: &str,
    ) -> Result<Vec<MailTarget>, StoreError> {
        let client = self.client().await?;
        let folded = key.map(folded_key);
        let rows = client
            .query(
                "SELECT s.id, s.token, s.lang, d.key FROM subscribers s
                 JOIN share_links l ON l.id = s.share_link_id
                 JOIN documents d ON d.id = l.document_id
                 WHERE s.confirmed_at IS NOT NULL AND l.revoked_at IS NULL
                   AND (l.expires_at IS NULL OR l.expires_at > $1)
                   AND d.kind = 'record' AND ($2::TEXT IS NULL OR d.key_folded = $2)
                 ORDER BY d.key_folded, s.created_at, s.seq",
                &[&now, &folded],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| MailTarget {
                id: r.get(0),
                token: r.get(1),
                lang: r.get(2),
                record_key: r.get(3),
            })
            .collect())
    }

    pub(crate) async fn forget_expired(&self, now: &str) -> Result<u64, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let rows = tx
            .query(
                "SELECT s.id FROM subscribers s JOIN share_links l ON l.id = s.share_link_id
                 WHERE l.revoked_at IS NOT NULL
                    OR (l.expires_at IS NOT NULL AND l.expires_at <= $1)
                 FOR UPDATE OF s",
                &[&now],
            )
            .await?;
        for r in &rows {
            let id: String = r.get(0);
            forget(&tx, &id).await?;
        }
        tx.commit().await?;
        Ok(rows.len() as u64)
    }

    pub(crate) async fn share_link_lang(
        &self,
        link_id: &str,
    ) -> Result<Option<String>, StoreError> {
        let client = self.client().await?;
        let row = client
            .query_opt("SELECT lang FROM share_links WHERE id = $1", &[&link_id])
            .await?;
        Ok(row.and_then(|r| r.get(0)))
    }
}

/// Deletes a subscriber and the mails still waiting for it.
async fn forget(tx: &Transaction<'_>, id: &str) -> Result<(), StoreError> {
    drop_waiting_mails(tx, id).await?;
    tx.execute("DELETE FROM subscribers WHERE id = $1", &[&id])
        .await?;
    Ok(())
}

/// Deletes every subscriber of a share link (it was revoked), inside the caller's transaction.
pub(super) async fn forget_link(tx: &Transaction<'_>, link_id: &str) -> Result<(), StoreError> {
    let rows = tx
        .query(
            "SELECT id FROM subscribers WHERE share_link_id = $1",
            &[&link_id],
        )
        .await?;
    for r in &rows {
        let id: String = r.get(0);
        forget(tx, &id).await?;
    }
    Ok(())
}
