//! The outbox worker: claims due messages for a lease, sends them a few at a time, records each
//! outcome, and waits longer after each failure (1 s, 2 s, 4 s … up to 15 minutes, with jitter;
//! after [`MAX_ATTEMPTS`] it gives up and keeps the message as failed). Between rounds it looks
//! for reminders, forgets subscribers of expired links and prunes old rows, and it keeps the
//! `cutover_outbox_backlog` gauge up to date.
//!
//! Delivery is at least once: a message is marked sent only after the SMTP server or the webhook
//! endpoint took it, so a crash in between sends it again after the lease (each copy carries the
//! same deduplication id).
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::store::{Claimed, MessageKind, Outcome, StoreError};
use crate::{AppState, clock, ids, metrics};

use super::smtp::{MailPayload, SendError};
use super::{fanout, reminders};

/// Attempts before a message is given up.
pub const MAX_ATTEMPTS: u32 = 15;
/// Longest wait between two attempts.
const MAX_BACKOFF_SECS: u64 = 15 * 60;
/// Messages claimed per round.
const BATCH: usize = 16;
/// Mails and webhooks sent at once (they hold a database connection only to record the outcome).
/// With the SMTP timeout, a batch takes at most 2 × 20 s, well inside the default lease.
const SENDS_AT_ONCE: usize = 8;
/// Record changes worked out at once: each reads the store and may ask Partner Center, and the
/// worker must leave the connection pool (16 on PostgreSQL) to the requests people wait for.
const EVENTS_AT_ONCE: usize = 2;
/// How often an idle worker looks for messages other instances queued.
const POLL: Duration = Duration::from_secs(1);
/// How often an idle worker refreshes the backlog gauge (other instances may have queued).
const GAUGE_EVERY: Duration = Duration::from_secs(5);
/// How often reminders, expired links and old rows are looked at.
const HOUSEKEEPING: Duration = Duration::from_secs(15 * 60);
/// How long done rows are kept (their ids keep reminders from being sent twice).
const KEEP_DONE_DAYS: u64 = 60;

/// The worker loop; runs until the task is aborted.
pub async fn run(state: Arc<AppState>) {
    let mut last_housekeeping: Option<Instant> = None;
    let mut last_gauge: Option<Instant> = None;
    loop {
        let housekeeping_due = last_housekeeping.is_none_or(|t| t.elapsed() >= HOUSEKEEPING);
        if housekeeping_due || state.notify.take_reminders_due() {
            if let Err(e) = housekeeping(&state, housekeeping_due).await {
                tracing::warn!(error = %e, "outbox housekeeping failed; trying again later");
            }
            if housekeeping_due {
                last_housekeeping = Some(Instant::now());
            }
        }
        match round(&state).await {
            Ok(0) => {
                if last_gauge.is_none_or(|t| t.elapsed() >= GAUGE_EVERY) {
                    refresh_backlog(&state).await;
                    last_gauge = Some(Instant::now());
                }
                tokio::select! {
                    () = state.notify.wake.notified() => {}
                    () = tokio::time::sleep(POLL) => {}
                }
            }
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(error = %e, "the outbox could not be read; trying again in 5 s");
                tokio::time::sleep(Duration::from_secs(5)).await;
            }
        }
    }
}

async fn refresh_backlog(state: &AppState) {
    if let Ok(pending) = state.store.outbox_backlog().await {
        metrics::set_outbox_backlog(i64::try_from(pending).unwrap_or(i64::MAX));
    }
}

async fn housekeeping(state: &AppState, full: bool) -> Result<(), StoreError> {
    let now = clock::now_utc();
    let queued = reminders::queue_due(state, &now).await?;
    if queued > 0 {
        tracing::info!(queued, "reminders queued");
    }
    if full {
        let forgotten = state.store.forget_expired(&now).await?;
        if forgotten > 0 {
            tracing::info!(forgotten, "subscribers of expired status links forgotten");
        }
        let before = clock::format_unix(clock::unix_now().saturating_sub(KEEP_DONE_DAYS * 86_400));
        state.store.prune_outbox(&before).await?;
    }
    Ok(())
}

/// One round: claims what is due and sends it; returns how many were claimed.
async fn round(state: &Arc<AppState>) -> Result<usize, StoreError> {
    let now = clock::unix_now();
    let lease = state.notify.lease().as_secs().max(1);
    let claimed = state
        .store
        .claim_due(
            &clock::format_unix(now),
            &clock::format_unix(now + lease),
            BATCH,
        )
        .await?;
    let n = claimed.len();
    let (events, messages): (Vec<Claimed>, Vec<Claimed>) = claimed
        .into_iter()
        .partition(|m| m.kind == MessageKind::RecordChange);
    settle_events(state, events).await;
    let mut tasks = tokio::task::JoinSet::new();
    let permits = Arc::new(tokio::sync::Semaphore::new(SENDS_AT_ONCE));
    for message in messages {
        let state = Arc::clone(state);
        let permits = Arc::clone(&permits);
        tasks.spawn(async move {
            // Closed only when dropped, which cannot happen while tasks hold it.
            let Ok(_permit) = permits.acquire_owned().await else {
                return;
            };
            let outcome = attempt(&state, &message).await;
            log(&message, &outcome);
            if let Err(e) = state.store.finish(message.id, outcome, &clock::now_utc()).await {
                // The lease runs out and the message is sent again: at least once.
                tracing::warn!(error = %e, dedup_id = %message.dedup_id, "an outbox outcome could not be saved");
            }
        });
    }
    while tasks.join_next().await.is_some() {}
    if n > 0 {
        refresh_backlog(state).await;
    }
    Ok(n)
}

/// Works out what each claimed record change causes, then queues all of it and settles the
/// events in one transaction. An event that could not be worked out is tried again later.
async fn settle_events(state: &Arc<AppState>, events: Vec<Claimed>) {
    if events.is_empty() {
        return;
    }
    let now = clock::now_utc();
    let permits = Arc::new(tokio::sync::Semaphore::new(EVENTS_AT_ONCE));
    let mut tasks = tokio::task::JoinSet::new();
    for event in events {
        let state = Arc::clone(state);
        let permits = Arc::clone(&permits);
        let now = now.clone();
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await.ok();
            let result = fanout::expand(&state, &event, &now).await;
            (event, result)
        });
    }
    let mut done = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        let Ok((event, result)) = joined else {
            continue;
        };
        match result {
            Ok(messages) => done.push((event.id, messages)),
            Err(e) => {
                let outcome = retry(&event, format!("the record could not be read ({e})"));
                log(&event, &outcome);
                let _ = state.store.finish(event.id, outcome, &now).await;
            }
        }
    }
    let queued = done.iter().any(|(_, m)| !m.is_empty());
    match state.store.complete_events(done, &now).await {
        Ok(_) if queued => state.notify.wake(),
        Ok(_) => {}
        // The leases run out and the events are worked out again (their messages' ids repeat).
        Err(e) => {
            tracing::warn!(error = %e, "record changes could not be settled; trying again later")
        }
    }
}

fn log(message: &Claimed, outcome: &Outcome) {
    let kind = message.kind;
    match outcome {
        Outcome::Sent => {
            tracing::info!(?kind, dedup_id = %message.dedup_id, attempts = message.attempts, "outbox message sent")
        }
        Outcome::Dropped => {
            tracing::info!(?kind, dedup_id = %message.dedup_id, "outbox message dropped: nobody to send it to")
        }
        Outcome::Retry { at, error } => {
            tracing::warn!(?kind, dedup_id = %message.dedup_id, attempts = message.attempts, retry_at = %at, %error, "outbox message not sent; will retry")
        }
        Outcome::Failed { error } => {
            tracing::error!(?kind, dedup_id = %message.dedup_id, attempts = message.attempts, %error, "outbox message given up")
        }
    }
}

/// One attempt at one mail or webhook.
async fn attempt(state: &AppState, m: &Claimed) -> Outcome {
    match m.kind {
        // Settled in batches by `settle_events`; never sent on its own.
        MessageKind::RecordChange => Outcome::Sent,
        MessageKind::Mail => send_mail(state, m).await,
        MessageKind::Webhook => {
            let Some(sender) = state.notify.webhook() else {
                return Outcome::Failed {
                    error: "webhooks are no longer configured (CUTOVER_WEBHOOK_URL)".into(),
                };
            };
            let body = m.payload.to_string();
            match sender
                .deliver(&m.dedup_id, body.as_bytes(), clock::unix_now())
                .await
            {
                Ok(()) => Outcome::Sent,
                Err(e) => retry(m, e),
            }
        }
    }
}

async fn send_mail(state: &AppState, m: &Claimed) -> Outcome {
    let Some(recipient) = &m.recipient else {
        return Outcome::Dropped;
    };
    let Ok(mail) = serde_json::from_value::<MailPayload>(m.payload.clone()) else {
        return Outcome::Failed {
            error: "the queued mail is not readable".into(),
        };
    };
    if mail.kind != "confirmation" && !recipient.confirmed {
        return Outcome::Dropped;
    }
    let Some(mailer) = state.notify.mailer() else {
        return Outcome::Failed {
            error: "mail is no longer configured (CUTOVER_SMTP_URL)".into(),
        };
    };
    match mailer
        .send(&recipient.address, &m.dedup_id, &m.created_at, &mail)
        .await
    {
        Ok(()) => Outcome::Sent,
        Err(SendError::Transient(e)) => retry(m, e),
        Err(SendError::Permanent(e)) => Outcome::Failed { error: e },
    }
}

/// The next attempt after a failure, or giving up after the last one.
fn retry(m: &Claimed, error: String) -> Outcome {
    if m.attempts >= MAX_ATTEMPTS {
        return Outcome::Failed { error };
    }
    let secs = backoff_secs(m.attempts);
    // ±20% jitter, so messages that failed together do not all come back together.
    let jitter = secs / 5;
    let secs = secs - jitter + ids::below(2 * jitter + 1);
    Outcome::Retry {
        at: clock::format_unix(clock::unix_now() + secs),
        error,
    }
}

/// Seconds to wait after the `attempts`-th failed attempt: 1, 2, 4, … up to 15 minutes.
pub fn backoff_secs(attempts: u32) -> u64 {
    1u64.checked_shl(attempts.saturating_sub(1))
        .unwrap_or(u64::MAX)
        .min(MAX_BACKOFF_SECS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_fifteen_minutes() {
        let waits: Vec<u64> = (1..=12).map(backoff_secs).collect();
        assert_eq!(waits[..6], [1, 2, 4, 8, 16, 32]);
        assert_eq!(waits[10], 900);
        assert_eq!(backoff_secs(200), 900);
    }
}
