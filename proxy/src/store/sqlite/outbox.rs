//! The outbox in SQLite (see `store::outbox`): claims, outcomes and events, each in one
//! `BEGIN IMMEDIATE` transaction, so two processes sharing the file never claim the same row.

use rusqlite::{OptionalExtension, Transaction, params};

use super::super::ChangeKind;
use super::super::StoreError;
use super::super::outbox::{
    Claimed, MessageKind, NewMessage, OutboxCounts, Outcome, Recipient, change_event,
};
use super::SqliteStore;

impl SqliteStore {
    pub(crate) fn enqueue(&self, messages: &[NewMessage], now: &str) -> Result<usize, StoreError> {
        self.write(|tx| insert_all(tx, messages, now))
    }

    pub(crate) fn claim_due(
        &self,
        now: &str,
        lease_until: &str,
        limit: usize,
    ) -> Result<Vec<Claimed>, StoreError> {
        self.write(|tx| {
            let ids: Vec<i64> = {
                let mut stmt = tx.prepare_cached(
                    "SELECT id FROM outbox
                     WHERE state = 'pending' AND next_attempt_at <= ?1
                       AND (lease_until IS NULL OR lease_until <= ?1)
                     ORDER BY id LIMIT ?2",
                )?;
                let rows = stmt.query_map(params![now, limit as i64], |r| r.get(0))?;
                rows.collect::<Result<_, _>>()?
            };
            let mut claimed = Vec::with_capacity(ids.len());
            for id in ids {
                tx.prepare_cached(
                    "UPDATE outbox SET lease_until = ?2, attempts = attempts + 1 WHERE id = ?1",
                )?
                .execute(params![id, lease_until])?;
                claimed.push(load_claimed(tx, id, now)?);
            }
            Ok(claimed)
        })
    }

    pub(crate) fn finish(&self, id: i64, outcome: &Outcome, now: &str) -> Result<(), StoreError> {
        self.write(|tx| {
            match outcome {
                Outcome::Sent | Outcome::Dropped => {
                    let state = if *outcome == Outcome::Sent {
                        "sent"
                    } else {
                        "dropped"
                    };
                    tx.prepare_cached(
                        "UPDATE outbox SET state = ?2, done_at = ?3, lease_until = NULL,
                                last_error = NULL, payload = '{}'
                         WHERE id = ?1 AND state = 'pending'",
                    )?
                    .execute(params![id, state, now])?;
                }
                Outcome::Retry { at, error } => {
                    tx.prepare_cached(
                        "UPDATE outbox SET next_attempt_at = ?2, last_error = ?3, lease_until = NULL
                         WHERE id = ?1 AND state = 'pending'",
                    )?
                    .execute(params![id, at, error])?;
                }
                Outcome::Failed { error } => {
                    tx.prepare_cached(
                        "UPDATE outbox SET state = 'failed', done_at = ?2, last_error = ?3,
                                lease_until = NULL
                         WHERE id = ?1 AND state = 'pending'",
                    )?
                    .execute(params![id, now, error])?;
                }
            }
            Ok(())
        })
    }

    pub(crate) fn complete_events(
        &self,
        events: &[(i64, Vec<NewMessage>)],
        now: &str,
    ) -> Result<usize, StoreError> {
        self.write(|tx| {
            let mut added = 0;
            for (event_id, messages) in events {
                added += insert_all(tx, messages, now)?;
                tx.prepare_cached(
                    "UPDATE outbox SET state = 'sent', done_at = ?2, lease_until = NULL, last_error = NULL
                     WHERE id = ?1 AND state = 'pending'",
                )?
                .execute(params![event_id, now])?;
            }
            Ok(added)
        })
    }

    pub(crate) fn outbox_backlog(&self) -> Result<u64, StoreError> {
        self.read(|tx| {
            let n: i64 = tx
                .prepare_cached("SELECT count(*) FROM outbox WHERE state = 'pending'")?
                .query_row([], |r| r.get(0))?;
            Ok(u64::try_from(n).unwrap_or(0))
        })
    }

    pub(crate) fn outbox_counts(&self) -> Result<OutboxCounts, StoreError> {
        self.read(|tx| {
            let mut counts = OutboxCounts::default();
            let mut stmt =
                tx.prepare_cached("SELECT state, count(*) FROM outbox GROUP BY state")?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
            for row in rows {
                let (state, n) = row?;
                let n = u64::try_from(n).unwrap_or(0);
                match state.as_str() {
                    "pending" => counts.pending = n,
                    "sent" => counts.sent = n,
                    "dropped" => counts.dropped = n,
                    _ => counts.failed += n,
                }
            }
            Ok(counts)
        })
    }

    pub(crate) fn prune_outbox(&self, before: &str) -> Result<u64, StoreError> {
        self.write(|tx| {
            let n = tx
                .prepare_cached("DELETE FROM outbox WHERE state <> 'pending' AND done_at < ?1")?
                .execute([before])?;
            Ok(n as u64)
        })
    }

    pub(crate) fn outbox_ids(&self) -> Result<Vec<(String, String)>, StoreError> {
        self.read(|tx| {
            let mut stmt = tx.prepare_cached("SELECT dedup_id, state FROM outbox ORDER BY id")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }
}

/// Adds messages that are not in the outbox yet (by deduplication id); how many were added.
pub(super) fn insert_all(
    tx: &Transaction<'_>,
    messages: &[NewMessage],
    now: &str,
) -> Result<usize, StoreError> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO outbox (dedup_id, kind, subscriber_id, payload, state, created_at, next_attempt_at)
         VALUES (?1, ?2, ?3, ?4, 'pending', ?5, ?5)
         ON CONFLICT (dedup_id) DO NOTHING",
    )?;
    let mut added = 0;
    for m in messages {
        added += stmt.execute(params![
            m.dedup_id,
            m.kind.as_str(),
            m.subscriber_id,
            m.payload.to_string(),
            now
        ])?;
    }
    Ok(added)
}

/// Adds the `record_change` event of a record write, inside that write's transaction.
pub(super) fn record_changed(
    tx: &Transaction<'_>,
    document_id: i64,
    key: &str,
    version: u64,
    kind: ChangeKind,
    now: &str,
) -> Result<(), StoreError> {
    let (dedup, payload) = change_event(document_id, key, version, kind);
    tx.prepare_cached(
        "INSERT INTO outbox (dedup_id, kind, document_id, payload, state, created_at, next_attempt_at)
         VALUES (?1, 'record_change', ?2, ?3, 'pending', ?4, ?4)
         ON CONFLICT (dedup_id) DO NOTHING",
    )?
    .execute(params![dedup, document_id, payload, now])?;
    Ok(())
}

/// Deletes the mails still waiting for this subscriber (inside the caller's transaction).
pub(super) fn drop_waiting_mails(
    tx: &Transaction<'_>,
    subscriber_id: &str,
) -> Result<(), StoreError> {
    tx.prepare_cached("DELETE FROM outbox WHERE subscriber_id = ?1 AND state = 'pending'")?
        .execute([subscriber_id])?;
    Ok(())
}

fn load_claimed(tx: &Transaction<'_>, id: i64, now: &str) -> Result<Claimed, StoreError> {
    let row = tx
        .prepare_cached(
            "SELECT o.dedup_id, o.kind, o.payload, o.attempts, o.created_at,
                    s.address, s.confirmed_at IS NOT NULL, d.key
             FROM outbox o
             LEFT JOIN subscribers s ON s.id = o.subscriber_id AND EXISTS (
                 SELECT 1 FROM share_links l WHERE l.id = s.share_link_id
                   AND l.revoked_at IS NULL AND (l.expires_at IS NULL OR l.expires_at > ?2))
             LEFT JOIN documents d ON d.id = o.document_id
             WHERE o.id = ?1",
        )?
        .query_row(params![id, now], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, Option<bool>>(6)?,
                r.get::<_, Option<String>>(7)?,
            ))
        })
        .optional()?
        .ok_or_else(|| StoreError::Corrupt {
            detail: "an outbox row vanished while it was claimed".into(),
        })?;
    let (dedup_id, kind, payload, attempts, created_at, address, confirmed, record_key) = row;
    Ok(Claimed {
        id,
        kind: MessageKind::parse(&kind)?,
        payload: serde_json::from_str(&payload).map_err(|_| StoreError::Corrupt {
            detail: format!("the outbox message {dedup_id} is not readable JSON"),
        })?,
        dedup_id,
        attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
        created_at,
        recipient: address.map(|address| Recipient {
            address,
            confirmed: confirmed.unwrap_or(false),
        }),
        record_key,
    })
}
