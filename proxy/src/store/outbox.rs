//! The outbox: messages (mails, webhooks) and the events that cause them, written in the same
//! transaction as the change that causes them and sent afterwards by a worker, at least once.
//!
//! - Every write to a migration record adds a `record_change` event in its own transaction (see
//!   the backends' `put`, `rekey` and `import`). A worker later turns the event into mails and
//!   webhooks ([`Store::complete_event`]), again in one transaction, so a crash anywhere loses
//!   nothing: the event or the messages are still there when the proxy starts again.
//! - Every row has a deduplication id, unique in the table: enqueuing the same message twice adds
//!   it once, and the id travels with the message (the mail's `Message-ID`, the webhook's
//!   `Cutover-Webhook-Id`), so a receiver can drop the copy an at-least-once delivery may bring.
//! - A worker claims due rows for a lease; a worker that dies (kill -9) leaves the lease to run
//!   out, and the row is claimed again. Failures wait longer each time (the worker's backoff).
//! - A mail names its subscriber, never the address: the address lives only in the subscriber's
//!   row, which unsubscribing or revoking the link deletes together with the mails still waiting.
//!
//! Instants are RFC 3339 UTC text with whole seconds, which compare in time order as text.

use serde::Serialize;
use serde_json::Value;

use super::timestamp::canonical_utc;
use super::{Backend, Store, StoreError, blocking};

/// Longest deduplication id.
pub const MAX_DEDUP_CHARS: usize = 200;
/// Most rows one claim returns.
pub const MAX_CLAIM: usize = 100;

/// What an outbox row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// A record was written: the worker works out the mails and webhooks it causes.
    RecordChange,
    /// A mail to a subscriber.
    Mail,
    /// A POST to the partner's webhook.
    Webhook,
}

impl MessageKind {
    /// The name stored in the database.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            MessageKind::RecordChange => "record_change",
            MessageKind::Mail => "mail",
            MessageKind::Webhook => "webhook",
        }
    }

    /// Reads a stored name back.
    pub(crate) fn parse(text: &str) -> Result<MessageKind, StoreError> {
        Ok(match text {
            "record_change" => MessageKind::RecordChange,
            "mail" => MessageKind::Mail,
            "webhook" => MessageKind::Webhook,
            _ => {
                return Err(StoreError::Corrupt {
                    detail: "the outbox holds an unknown kind of message".into(),
                });
            }
        })
    }
}

/// A message to add to the outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMessage {
    /// Unique per message: the same id is enqueued once.
    pub dedup_id: String,
    /// A mail or a webhook.
    pub kind: MessageKind,
    /// The subscriber a mail goes to (the worker reads the address when it sends).
    pub subscriber_id: Option<String>,
    /// What to send (the mail's content, the webhook's body).
    pub payload: Value,
}

/// A message claimed for one attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct Claimed {
    /// The row.
    pub id: i64,
    /// Its deduplication id.
    pub dedup_id: String,
    /// What it is.
    pub kind: MessageKind,
    /// What to send.
    pub payload: Value,
    /// Attempts so far, this one included.
    pub attempts: u32,
    /// When it was enqueued.
    pub created_at: String,
    /// For mails: where to, while the subscriber (and its link) still exist.
    pub recipient: Option<Recipient>,
    /// For record changes: the record's key now (it may have been re-keyed since).
    pub record_key: Option<String>,
}

/// Where a mail goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    /// The address.
    pub address: String,
    /// Whether the subscriber confirmed (only confirmation mails go to unconfirmed ones).
    pub confirmed: bool,
}

/// How many outbox rows are in each state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct OutboxCounts {
    /// Waiting to be sent (the backlog).
    pub pending: u64,
    /// Sent.
    pub sent: u64,
    /// Not sent because there was no longer anyone to send to (unsubscribed, link revoked).
    pub dropped: u64,
    /// Given up after the last attempt.
    pub failed: u64,
}

/// What became of one attempt.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Delivered (or, for an event, turned into its messages).
    Sent,
    /// Nothing to deliver to any more.
    Dropped,
    /// Failed; try again at this instant.
    Retry {
        /// When.
        at: String,
        /// Why it failed, one sentence (never a secret).
        error: String,
    },
    /// Failed for the last time.
    Failed {
        /// Why.
        error: String,
    },
}

pub(crate) fn check_messages(messages: &[NewMessage]) -> Result<(), StoreError> {
    for m in messages {
        if m.dedup_id.is_empty() || m.dedup_id.chars().count() > MAX_DEDUP_CHARS {
            return Err(StoreError::InvalidInput(format!(
                "An outbox message needs a deduplication id of 1 to {MAX_DEDUP_CHARS} characters."
            )));
        }
        if m.kind == MessageKind::Mail && m.subscriber_id.is_none() {
            return Err(StoreError::InvalidInput(
                "A mail in the outbox must name its subscriber.".into(),
            ));
        }
    }
    Ok(())
}

impl Store {
    /// Adds these messages, each unless its deduplication id is already in the outbox (sent or
    /// not); returns how many were added. Due at `now`.
    pub async fn enqueue(&self, messages: Vec<NewMessage>, now: &str) -> Result<usize, StoreError> {
        check_messages(&messages)?;
        let now = canonical_utc("now", now)?;
        match &self.backend {
            Backend::Sqlite(s) => blocking(s, move |s| s.enqueue(&messages, &now)).await,
            Backend::Postgres(p) => p.enqueue(&messages, &now).await,
        }
    }

    /// Claims up to `limit` messages due at `now` that no one holds, for one attempt each, until
    /// `lease_until`; oldest first.
    pub async fn claim_due(
        &self,
        now: &str,
        lease_until: &str,
        limit: usize,
    ) -> Result<Vec<Claimed>, StoreError> {
        let now = canonical_utc("now", now)?;
        let lease_until = canonical_utc("lease_until", lease_until)?;
        let limit = limit.clamp(1, MAX_CLAIM);
        match &self.backend {
            Backend::Sqlite(s) => {
                blocking(s, move |s| s.claim_due(&now, &lease_until, limit)).await
            }
            Backend::Postgres(p) => p.claim_due(&now, &lease_until, limit).await,
        }
    }

    /// Records what became of a claimed message's attempt and releases it. A sent mail keeps only
    /// its deduplication id and dates: its content is cleared.
    pub async fn finish(&self, id: i64, outcome: Outcome, now: &str) -> Result<(), StoreError> {
        let now = canonical_utc("now", now)?;
        let outcome = match outcome {
            Outcome::Retry { at, error } => Outcome::Retry {
                at: canonical_utc("at", &at)?,
                error,
            },
            other => other,
        };
        match &self.backend {
            Backend::Sqlite(s) => blocking(s, move |s| s.finish(id, &outcome, &now)).await,
            Backend::Postgres(p) => p.finish(id, &outcome, &now).await,
        }
    }

    /// Turns a claimed event into its messages: adds them (deduplicated) and marks the event
    /// done, in one transaction.
    pub async fn complete_event(
        &self,
        event_id: i64,
        messages: Vec<NewMessage>,
        now: &str,
    ) -> Result<usize, StoreError> {
        self.complete_events(vec![(event_id, messages)], now).await
    }

    /// [`Store::complete_event`] for several events at once, in one transaction (a worker settles
    /// a whole batch of record changes with one commit).
    pub async fn complete_events(
        &self,
        events: Vec<(i64, Vec<NewMessage>)>,
        now: &str,
    ) -> Result<usize, StoreError> {
        for (_, messages) in &events {
            check_messages(messages)?;
        }
        let now = canonical_utc("now", now)?;
        match &self.backend {
            Backend::Sqlite(s) => blocking(s, move |s| s.complete_events(&events, &now)).await,
            Backend::Postgres(p) => p.complete_events(&events, &now).await,
        }
    }

    /// How many messages wait to be sent (the backlog).
    pub async fn outbox_backlog(&self) -> Result<u64, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => blocking(s, |s| s.outbox_backlog()).await,
            Backend::Postgres(p) => p.outbox_backlog().await,
        }
    }

    /// How many rows are in each state.
    pub async fn outbox_counts(&self) -> Result<OutboxCounts, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => blocking(s, |s| s.outbox_counts()).await,
            Backend::Postgres(p) => p.outbox_counts().await,
        }
    }

    /// Deletes rows that were done (sent, dropped, failed) before `before`; returns how many.
    pub async fn prune_outbox(&self, before: &str) -> Result<u64, StoreError> {
        let before = canonical_utc("before", before)?;
        match &self.backend {
            Backend::Sqlite(s) => blocking(s, move |s| s.prune_outbox(&before)).await,
            Backend::Postgres(p) => p.prune_outbox(&before).await,
        }
    }

    /// Every deduplication id in the outbox with its state, oldest first (for tests and checks).
    pub async fn outbox_ids(&self) -> Result<Vec<(String, String)>, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => blocking(s, |s| s.outbox_ids()).await,
            Backend::Postgres(p) => p.outbox_ids().await,
        }
    }
}

/// The payload of a `record_change` event.
pub(crate) fn change_event(
    document_id: i64,
    key: &str,
    version: u64,
    kind: super::ChangeKind,
) -> (String, String) {
    let payload = serde_json::json!({
        "key": key,
        "version": version,
        "kind": kind.as_str(),
    });
    (
        format!("change:{document_id}:{version}"),
        payload.to_string(),
    )
}
