//! Notification rows for `migrate-store` (see `store::copy_notifications`).

use super::super::StoreError;
use super::super::copy_notifications::{NotificationRows, OutboxRow};
use super::SqliteStore;

impl SqliteStore {
    /// Share-link languages, subscribers, waiting outbox messages and calendar links.
    pub(crate) fn dump_notifications(&self) -> Result<NotificationRows, StoreError> {
        self.read(|tx| {
            let mut rows = NotificationRows::default();
            let mut stmt = tx.prepare(
                "SELECT id, lang FROM share_links WHERE lang IS NOT NULL ORDER BY rowid",
            )?;
            rows.link_langs = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
            let mut stmt = tx.prepare(
                "SELECT id, share_link_id, address, address_folded, lang, token, created_at,
                        confirmed_at FROM subscribers ORDER BY rowid",
            )?;
            rows.subscribers = stmt
                .query_map([], |r| {
                    Ok([
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                        r.get(7)?,
                    ])
                })?
                .collect::<Result<_, _>>()?;
            let mut stmt = tx.prepare(
                "SELECT dedup_id, kind, subscriber_id, document_id, payload, created_at,
                        next_attempt_at, attempts FROM outbox WHERE state = 'pending' ORDER BY id",
            )?;
            rows.outbox = stmt
                .query_map([], |r| {
                    Ok(OutboxRow {
                        dedup_id: r.get(0)?,
                        kind: r.get(1)?,
                        subscriber_id: r.get(2)?,
                        document_id: r.get(3)?,
                        payload: r.get(4)?,
                        created_at: r.get(5)?,
                        next_attempt_at: r.get(6)?,
                        attempts: r.get(7)?,
                    })
                })?
                .collect::<Result<_, _>>()?;
            let mut stmt = tx.prepare(
                "SELECT id, token_sha256, label, lang, created_at, last_used_at, revoked_at
                 FROM calendar_links ORDER BY rowid",
            )?;
            rows.calendar_links = stmt
                .query_map([], |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        [r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?],
                    ))
                })?
                .collect::<Result<_, _>>()?;
            Ok(rows)
        })
    }
}
