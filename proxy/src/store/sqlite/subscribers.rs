//! E-mail subscribers and share-link languages in SQLite (see `store::subscribers`).

use rusqlite::{OptionalExtension, Transaction, params};

use super::super::StoreError;
use super::super::outbox::NewMessage;
use super::super::records::Kind;
use super::super::subscribers::{MAX_PER_LINK, MailTarget, NewSubscriber, Subscribed, Subscriber};
use super::SqliteStore;
use super::outbox::{drop_waiting_mails, insert_all};
use super::records::document_id;

impl SqliteStore {
    pub(crate) fn subscribe(
        &self,
        new: &NewSubscriber,
        confirmation: &NewMessage,
        now: &str,
    ) -> Result<Subscribed, StoreError> {
        self.write(|tx| {
            let works: Option<i64> = tx
                .prepare_cached(
                    "SELECT 1 FROM share_links WHERE id = ?1 AND revoked_at IS NULL
                       AND (expires_at IS NULL OR expires_at > ?2)",
                )?
                .query_row(params![new.link_id, now], |r| r.get(0))
                .optional()?;
            if works.is_none() {
                return Err(StoreError::InvalidInput(
                    "This status link no longer works, so nothing can be subscribed to it.".into(),
                ));
            }
            let folded = new.address.to_lowercase();
            let existing: Option<(String, Option<String>)> = tx
                .prepare_cached(
                    "SELECT id, confirmed_at FROM subscribers
                     WHERE share_link_id = ?1 AND address_folded = ?2",
                )?
                .query_row(params![new.link_id, folded], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let subscriber_id = match existing {
                Some((_, Some(_))) => return Ok(Subscribed::AlreadyConfirmed),
                Some((id, None)) => {
                    tx.prepare_cached(
                        "UPDATE subscribers SET token = ?2, lang = ?3 WHERE id = ?1",
                    )?
                    .execute(params![id, new.token, new.lang])?;
                    id
                }
                None => {
                    let n: i64 = tx
                        .prepare_cached(
                            "SELECT count(*) FROM subscribers WHERE share_link_id = ?1",
                        )?
                        .query_row([&new.link_id], |r| r.get(0))?;
                    if n as u64 >= MAX_PER_LINK {
                        return Ok(Subscribed::LinkFull);
                    }
                    tx.prepare_cached(
                        "INSERT INTO subscribers
                           (id, share_link_id, address, address_folded, lang, token, created_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    )?
                    .execute(params![
                        new.id,
                        new.link_id,
                        new.address,
                        folded,
                        new.lang,
                        new.token,
                        now
                    ])?;
                    new.id.clone()
                }
            };
            let mail = NewMessage {
                subscriber_id: Some(subscriber_id),
                ..confirmation.clone()
            };
            insert_all(tx, std::slice::from_ref(&mail), now)?;
            Ok(Subscribed::ConfirmationQueued)
        })
    }

    pub(crate) fn confirm_subscriber(
        &self,
        token: &str,
        now: &str,
    ) -> Result<Option<String>, StoreError> {
        self.write(|tx| {
            let found: Option<(String, String)> = tx
                .prepare_cached(
                    "SELECT s.id, s.lang FROM subscribers s
                     JOIN share_links l ON l.id = s.share_link_id
                     WHERE s.token = ?1 AND l.revoked_at IS NULL
                       AND (l.expires_at IS NULL OR l.expires_at > ?2)",
                )?
                .query_row(params![token, now], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let Some((id, lang)) = found else {
                return Ok(None);
            };
            tx.prepare_cached(
                "UPDATE subscribers SET confirmed_at = coalesce(confirmed_at, ?2) WHERE id = ?1",
            )?
            .execute(params![id, now])?;
            Ok(Some(lang))
        })
    }

    pub(crate) fn subscriber_lang(&self, token: &str) -> Result<Option<String>, StoreError> {
        self.read(|tx| {
            Ok(tx
                .prepare_cached("SELECT lang FROM subscribers WHERE token = ?1")?
                .query_row([token], |r| r.get(0))
                .optional()?)
        })
    }

    pub(crate) fn unsubscribe(&self, token: &str) -> Result<Option<String>, StoreError> {
        self.write(|tx| {
            let found: Option<(String, String)> = tx
                .prepare_cached("SELECT id, lang FROM subscribers WHERE token = ?1")?
                .query_row([token], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let Some((id, lang)) = found else {
                return Ok(None);
            };
            forget(tx, &id)?;
            Ok(Some(lang))
        })
    }

    pub(crate) fn list_subscribers(&self, key: &str) -> Result<Vec<Subscriber>, StoreError> {
        self.read(|tx| {
            let Some(document) = document_id(tx, Kind::Record, key)? else {
                return Err(StoreError::NotFound {
                    key: key.to_owned(),
                });
            };
            let mut stmt = tx.prepare_cached(
                "SELECT s.id, s.share_link_id, s.address, s.lang, s.created_at, s.confirmed_at
                 FROM subscribers s JOIN share_links l ON l.id = s.share_link_id
                 WHERE l.document_id = ?1 ORDER BY s.created_at, s.rowid",
            )?;
            let rows = stmt.query_map([document], |r| {
                Ok(Subscriber {
                    id: r.get(0)?,
                    link_id: r.get(1)?,
                    address: r.get(2)?,
                    lang: r.get(3)?,
                    created_at: r.get(4)?,
                    confirmed_at: r.get(5)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    pub(crate) fn remove_subscriber(&self, key: &str, id: &str) -> Result<bool, StoreError> {
        self.write(|tx| {
            let Some(document) = document_id(tx, Kind::Record, key)? else {
                return Ok(false);
            };
            let found: Option<i64> = tx
                .prepare_cached(
                    "SELECT 1 FROM subscribers s JOIN share_links l ON l.id = s.share_link_id
                     WHERE s.id = ?1 AND l.document_id = ?2",
                )?
                .query_row(params![id, document], |r| r.get(0))
                .optional()?;
            if found.is_none() {
                return Ok(false);
            }
            forget(tx, id)?;
            Ok(true)
        })
    }

    pub(crate) fn mail_targets(
        &self,
        key: Option<&str>,
        now: &str,
    ) -> Result<Vec<MailTarget>, StoreError> {
        self.read(|tx| {
            let mut stmt = tx.prepare_cached(
                "SELECT s.id, s.token, s.lang, d.key FROM subscribers s
                 JOIN share_links l ON l.id = s.share_link_id
                 JOIN documents d ON d.id = l.document_id
                 WHERE s.confirmed_at IS NOT NULL AND l.revoked_at IS NULL
                   AND (l.expires_at IS NULL OR l.expires_at > ?1)
                   AND d.kind = 'record' AND (?2 IS NULL OR d.key = ?2)
                 ORDER BY d.key, s.created_at, s.rowid",
            )?;
            let rows = stmt.query_map(params![now, key], |r| {
                Ok(MailTarget {
                    id: r.get(0)?,
                    token: r.get(1)?,
                    lang: r.get(2)?,
                    record_key: r.get(3)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    pub(crate) fn forget_expired(&self, now: &str) -> Result<u64, StoreError> {
        self.write(|tx| {
            let ids: Vec<String> = {
                let mut stmt = tx.prepare_cached(
                    "SELECT s.id FROM subscribers s JOIN share_links l ON l.id = s.share_link_id
                     WHERE l.revoked_at IS NOT NULL
                        OR (l.expires_at IS NOT NULL AND l.expires_at <= ?1)",
                )?;
                let rows = stmt.query_map([now], |r| r.get(0))?;
                rows.collect::<Result<_, _>>()?
            };
            for id in &ids {
                forget(tx, id)?;
            }
            Ok(ids.len() as u64)
        })
    }

    pub(crate) fn share_link_lang(&self, link_id: &str) -> Result<Option<String>, StoreError> {
        self.read(|tx| {
            Ok(tx
                .prepare_cached("SELECT lang FROM share_links WHERE id = ?1")?
                .query_row([link_id], |r| r.get::<_, Option<String>>(0))
                .optional()?
                .flatten())
        })
    }
}

/// Deletes a subscriber and the mails still waiting for it.
fn forget(tx: &Transaction<'_>, id: &str) -> Result<(), StoreError> {
    drop_waiting_mails(tx, id)?;
    tx.prepare_cached("DELETE FROM subscribers WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// Deletes every subscriber of a share link (it was revoked), inside the caller's transaction.
pub(super) fn forget_link(tx: &Transaction<'_>, link_id: &str) -> Result<(), StoreError> {
    let ids: Vec<String> = {
        let mut stmt = tx.prepare_cached("SELECT id FROM subscribers WHERE share_link_id = ?1")?;
        let rows = stmt.query_map([link_id], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    for id in &ids {
        forget(tx, id)?;
    }
    Ok(())
}
