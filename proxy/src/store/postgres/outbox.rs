//! The outbox in PostgreSQL (see `store::outbox`). Claims lock the due rows with
//! `FOR UPDATE SKIP LOCKED`, so instances claiming at the same moment take different rows.

use deadpool_postgres::Transaction;
use tokio_postgres::Row;

use super::super::ChangeKind;
use super::super::StoreError;
use super::super::outbox::{
    Claimed, MessageKind, NewMessage, OutboxCounts, Outcome, Recipient, change_event,
};
use super::PgStore;

impl PgStore {
    pub(crate) async fn enqueue(
        &self,
        messages: &[NewMessage],
        now: &str,
    ) -> Result<usize, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let added = insert_all(&tx, messages, now).await?;
        tx.commit().await?;
        Ok(added)
    }

    pub(crate) async fn claim_due(
        &self,
        now: &str,
        lease_until: &str,
        limit: usize,
    ) -> Result<Vec<Claimed>, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let limit = i64::try_from(limit).unwrap_or(1);
        let stmt = tx
            .prepare_cached(
                "WITH due AS (
                   SELECT id FROM outbox
                   WHERE state = 'pending' AND next_attempt_at <= $1
                     AND (lease_until IS NULL OR lease_until <= $1)
                   ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
                 UPDATE outbox o SET lease_until = $2, attempts = o.attempts + 1
                 FROM due WHERE o.id = due.id RETURNING o.id",
            )
            .await?;
        let ids: Vec<i64> = tx
            .query(&stmt, &[&now, &lease_until, &limit])
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let stmt = tx
            .prepare_cached(
                "SELECT o.id, o.dedup_id, o.kind, o.payload, o.attempts, o.created_at,
                        s.address, s.confirmed_at IS NOT NULL, d.key
                 FROM outbox o
                 LEFT JOIN subscribers s ON s.id = o.subscriber_id AND EXISTS (
                     SELECT 1 FROM share_links l WHERE l.id = s.share_link_id
                       AND l.revoked_at IS NULL AND (l.expires_at IS NULL OR l.expires_at > $2))
                 LEFT JOIN documents d ON d.id = o.document_id
                 WHERE o.id = ANY($1) ORDER BY o.id",
            )
            .await?;
        let rows = tx.query(&stmt, &[&ids, &now]).await?;
        tx.commit().await?;
        rows.iter().map(claimed).collect()
    }

    pub(crate) async fn finish(
        &self,
        id: i64,
        outcome: &Outcome,
        now: &str,
    ) -> Result<(), StoreError> {
        let client = self.client().await?;
        match outcome {
            Outcome::Sent | Outcome::Dropped => {
                let state = if *outcome == Outcome::Sent {
                    "sent"
                } else {
                    "dropped"
                };
                let stmt = client
                    .prepare_cached(
                        "UPDATE outbox SET state = $2, done_at = $3, lease_until = NULL,
                                last_error = NULL, payload = '{}'
                         WHERE id = $1 AND state = 'pending'",
                    )
                    .await?;
                client.execute(&stmt, &[&id, &state, &now]).await?;
            }
            Outcome::Retry { at, error } => {
                let stmt = client
                    .prepare_cached(
                        "UPDATE outbox SET next_attempt_at = $2, last_error = $3, lease_until = NULL
                         WHERE id = $1 AND state = 'pending'",
                    )
                    .await?;
                client.execute(&stmt, &[&id, at, error]).await?;
            }
            Outcome::Failed { error } => {
                let stmt = client
                    .prepare_cached(
                        "UPDATE outbox SET state = 'failed', done_at = $2, last_error = $3,
                                lease_until = NULL
                         WHERE id = $1 AND state = 'pending'",
                    )
                    .await?;
                client.execute(&stmt, &[&id, &now, error]).await?;
            }
        }
        Ok(())
    }

    pub(crate) async fn complete_events(
        &self,
        events: &[(i64, Vec<NewMessage>)],
        now: &str,
    ) -> Result<usize, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let mut added = 0;
        let stmt = tx
            .prepare_cached(
                "UPDATE outbox SET state = 'sent', done_at = $2, lease_until = NULL, last_error = NULL
                 WHERE id = $1 AND state = 'pending'",
            )
            .await?;
        for (event_id, messages) in events {
            added += insert_all(&tx, messages, now).await?;
            tx.execute(&stmt, &[event_id, &now]).await?;
        }
        tx.commit().await?;
        Ok(added)
    }

    pub(crate) async fn outbox_backlog(&self) -> Result<u64, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached("SELECT count(*) FROM outbox WHERE state = 'pending'")
            .await?;
        let n: i64 = client.query_one(&stmt, &[]).await?.get(0);
        Ok(u64::try_from(n).unwrap_or(0))
    }

    pub(crate) async fn outbox_counts(&self) -> Result<OutboxCounts, StoreError> {
        let client = self.client().await?;
        let rows = client
            .query("SELECT state, count(*) FROM outbox GROUP BY state", &[])
            .await?;
        let mut counts = OutboxCounts::default();
        for r in rows {
            let n = u64::try_from(r.get::<_, i64>(1)).unwrap_or(0);
            match r.get::<_, &str>(0) {
                "pending" => counts.pending = n,
                "sent" => counts.sent = n,
                "dropped" => counts.dropped = n,
                _ => counts.failed += n,
            }
        }
        Ok(counts)
    }

    pub(crate) async fn prune_outbox(&self, before: &str) -> Result<u64, StoreError> {
        let client = self.client().await?;
        let n = client
            .execute(
                "DELETE FROM outbox WHERE state <> 'pending' AND done_at < $1",
                &[&before],
            )
            .await?;
        Ok(n)
    }

    pub(crate) async fn outbox_ids(&self) -> Result<Vec<(String, String)>, StoreError> {
        let client = self.client().await?;
        let rows = client
            .query("SELECT dedup_id, state FROM outbox ORDER BY id", &[])
            .await?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }
}

fn claimed(r: &Row) -> Result<Claimed, StoreError> {
    let dedup_id: String = r.get(1);
    let payload: String = r.get(3);
    let address: Option<String> = r.get(6);
    let confirmed: Option<bool> = r.get(7);
    Ok(Claimed {
        id: r.get(0),
        kind: MessageKind::parse(r.get(2))?,
        payload: serde_json::from_str(&payload).map_err(|_| StoreError::Corrupt {
            detail: format!("the outbox message {dedup_id} is not readable JSON"),
        })?,
        dedup_id,
        attempts: u32::try_from(r.get::<_, i32>(4)).unwrap_or(0),
        created_at: r.get(5),
        recipient: address.map(|address| Recipient {
            address,
            confirmed: confirmed.unwrap_or(false),
        }),
        record_key: r.get(8),
    })
}

/// Adds messages that are not in the outbox yet (by deduplication id); how many were added.
pub(super) async fn insert_all(
    tx: &Transaction<'_>,
    messages: &[NewMessage],
    now: &str,
) -> Result<usize, StoreError> {
    let stmt = tx
        .prepare_cached(
            "INSERT INTO outbox (dedup_id, kind, subscriber_id, payload, state, created_at, next_attempt_at)
             VALUES ($1, $2, $3, $4, 'pending', $5, $5)
             ON CONFLICT (dedup_id) DO NOTHING",
        )
        .await?;
    let mut added = 0;
    for m in messages {
        let payload = m.payload.to_string();
        added += tx
            .execute(
                &stmt,
                &[
                    &m.dedup_id,
                    &m.kind.as_str(),
                    &m.subscriber_id,
                    &payload,
                    &now,
                ],
            )
            .await?;
    }
    Ok(usize::try_from(added).unwrap_or(usize::MAX))
}

/// Adds the `record_change` event of a record write, inside that write's transaction.
pub(super) async fn record_changed(
    tx: &Transaction<'_>,
    document_id: i64,
    key: &str,
    version: u64,
    kind: ChangeKind,
    now: &str,
) -> Result<(), StoreError> {
    let (dedup, payload) = change_event(document_id, key, version, kind);
    let stmt = tx
        .prepare_cached(
            "INSERT INTO outbox (dedup_id, kind, document_id, payload, state, created_at, next_attempt_at)
             VALUES ($1, 'record_change', $2, $3, 'pending', $4, $4)
             ON CONFLICT (dedup_id) DO NOTHING",
        )
        .await?;
    tx.execute(&stmt, &[&dedup, &document_id, &payload, &now])
        .await?;
    Ok(())
}

/// Deletes the mails still waiting for this subscriber (inside the caller's transaction).
pub(super) async fn drop_waiting_mails(
    tx: &Transaction<'_>,
    subscriber_id: &str,
) -> Result<(), StoreError> {
    tx.execute(
        "DELETE FROM outbox WHERE subscriber_id = $1 AND state = 'pending'",
        &[&subscriber_id],
    )
    .await?;
    Ok(())
}
