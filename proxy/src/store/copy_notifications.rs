//! `migrate-store`'s second part: what notifications keep (see `store::copy`). Share links'
//! languages, e-mail subscribers, calendar links and the messages still waiting in the outbox are
//! copied in the same transaction as the records, and counted on both sides before it commits.
//! Messages already sent are not copied: nothing waits for them.

use std::collections::HashMap;

use deadpool_postgres::Transaction;

use super::StoreError;
use super::sqlite::SqliteStore;

/// Every notification row of an SQLite store, as stored.
#[derive(Debug, Default)]
pub(crate) struct NotificationRows {
    /// (share link id, language) of links made in a language.
    pub link_langs: Vec<(String, String)>,
    /// id, link, address, folded address, lang, token, created, confirmed.
    pub subscribers: Vec<[Option<String>; 8]>,
    /// dedup id, kind, subscriber, document (SQLite id), payload, created, next attempt, attempts.
    pub outbox: Vec<OutboxRow>,
    /// id, token hash, label, lang, created, last used, revoked.
    pub calendar_links: Vec<(String, Vec<u8>, [Option<String>; 5])>,
}

/// A waiting outbox row.
#[derive(Debug)]
pub(crate) struct OutboxRow {
    pub dedup_id: String,
    pub kind: String,
    pub subscriber_id: Option<String>,
    pub document_id: Option<i64>,
    pub payload: String,
    pub created_at: String,
    pub next_attempt_at: String,
    pub attempts: i64,
}

/// Copies the notification rows of `source` into the PostgreSQL transaction `tx`; `documents`
/// maps SQLite document ids to the new ones. Fails (and the caller rolls back) if a count differs.
pub(crate) async fn copy(
    source: &std::sync::Arc<SqliteStore>,
    tx: &Transaction<'_>,
    documents: &HashMap<i64, i64>,
) -> Result<(), StoreError> {
    let s = std::sync::Arc::clone(source);
    let rows = tokio::task::spawn_blocking(move || s.dump_notifications())
        .await
        .map_err(|_| StoreError::Interrupted)??;
    for (id, lang) in &rows.link_langs {
        tx.execute(
            "UPDATE share_links SET lang = $2 WHERE id = $1",
            &[id, lang],
        )
        .await?;
    }
    for [id, link, address, folded, lang, token, created, confirmed] in &rows.subscribers {
        tx.execute(
            "INSERT INTO subscribers
               (id, share_link_id, address, address_folded, lang, token, created_at, confirmed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[id, link, address, folded, lang, token, created, confirmed],
        )
        .await?;
    }
    for o in &rows.outbox {
        let document = o.document_id.and_then(|d| documents.get(&d).copied());
        let attempts = i32::try_from(o.attempts).unwrap_or(i32::MAX);
        tx.execute(
            "INSERT INTO outbox (dedup_id, kind, subscriber_id, document_id, payload, state,
                                 created_at, next_attempt_at, attempts)
             VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $8)",
            &[
                &o.dedup_id,
                &o.kind,
                &o.subscriber_id,
                &document,
                &o.payload,
                &o.created_at,
                &o.next_attempt_at,
                &attempts,
            ],
        )
        .await?;
    }
    for (id, hash, [label, lang, created, used, revoked]) in &rows.calendar_links {
        tx.execute(
            "INSERT INTO calendar_links (id, token_sha256, label, lang, created_at, last_used_at, revoked_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[id, hash, label, lang, created, used, revoked],
        )
        .await?;
    }
    let count = |sql: &'static str| async move {
        let n: i64 = tx.query_one(sql, &[]).await?.get(0);
        Ok::<u64, StoreError>(u64::try_from(n).unwrap_or(0))
    };
    let copied = (
        count("SELECT count(*) FROM subscribers").await?,
        count("SELECT count(*) FROM outbox WHERE state = 'pending'").await?,
        count("SELECT count(*) FROM calendar_links").await?,
        count("SELECT count(*) FROM share_links WHERE lang IS NOT NULL").await?,
    );
    let expected = (
        rows.subscribers.len() as u64,
        rows.outbox.len() as u64,
        rows.calendar_links.len() as u64,
        rows.link_langs.len() as u64,
    );
    if copied != expected {
        return Err(StoreError::Corrupt {
            detail: format!(
                "the copy of subscribers, waiting messages, calendar links and link languages did not verify ({copied:?} copied of {expected:?}); nothing was copied"
            ),
        });
    }
    Ok(())
}
