//! E-mail subscribers of a status page: an address, the language it subscribed in, and whether it
//! confirmed (double opt-in). A subscriber belongs to the share link it subscribed through.
//!
//! An address is kept only while it is wanted: unsubscribing, the partner removing it, or the
//! link being revoked deletes the row and every mail still waiting for it, in one transaction.
//! Links that expired lose their subscribers at the next clean-up ([`Store::forget_expired`]).
//!
//! Each subscriber has a random token (256 bits) that only confirms or ends that one
//! subscription; it is in the subscriber's mails, so it is kept as it is (unlike share tokens,
//! which open a status page and are stored hashed).

use serde::Serialize;

use super::outbox::{NewMessage, check_messages};
use super::timestamp::canonical_utc;
use super::validate::check_key;
use super::{Backend, Store, StoreError, blocking};

/// Longest address accepted (RFC 5321's path limit).
pub const MAX_ADDRESS_CHARS: usize = 254;
/// Most subscribers (confirmed or not) one share link may have.
pub const MAX_PER_LINK: u64 = 50;

/// A subscriber as the partner sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Subscriber {
    /// Random id.
    pub id: String,
    /// The share link it subscribed through.
    pub link_id: String,
    /// The address.
    pub address: String,
    /// `en` or `ja`.
    pub lang: String,
    /// When it subscribed.
    pub created_at: String,
    /// When it confirmed; `None` while waiting.
    pub confirmed_at: Option<String>,
}

/// A confirmed subscriber that mails are written for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailTarget {
    /// Its id.
    pub id: String,
    /// Its token (for the unsubscribe link).
    pub token: String,
    /// `en` or `ja`.
    pub lang: String,
    /// The record it follows (its key now).
    pub record_key: String,
}

/// A subscription about to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSubscriber {
    /// Random id.
    pub id: String,
    /// Random token.
    pub token: String,
    /// The share link's id.
    pub link_id: String,
    /// The address, as typed (trimmed).
    pub address: String,
    /// `en` or `ja`.
    pub lang: String,
}

/// What a subscription request did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subscribed {
    /// New, or waiting for confirmation: the confirmation mail was queued.
    ConfirmationQueued,
    /// Already confirmed: nothing was sent.
    AlreadyConfirmed,
    /// The link has as many subscribers as it may have.
    LinkFull,
}

/// A random token (or id) of `bytes` bytes as hex.
pub fn random_hex(bytes: usize) -> Result<String, StoreError> {
    let mut b = vec![0u8; bytes];
    getrandom::fill(&mut b)?;
    Ok(hex::encode(b))
}

/// Whether a token looks like one of ours (64 hex digits), before asking the database.
fn well_formed(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

impl Store {
    /// Subscribes an address through a share link and queues its confirmation mail in the same
    /// transaction. Asking again while unconfirmed replaces the token (only the newest mail's
    /// links work) and queues a new mail; asking again once confirmed sends nothing.
    pub async fn subscribe(
        &self,
        new: NewSubscriber,
        confirmation: NewMessage,
        now: &str,
    ) -> Result<Subscribed, StoreError> {
        let now = canonical_utc("now", now)?;
        let address = new.address.trim();
        if address.is_empty() || address.chars().count() > MAX_ADDRESS_CHARS {
            return Err(StoreError::InvalidInput(format!(
                "An e-mail address has 1 to {MAX_ADDRESS_CHARS} characters."
            )));
        }
        check_messages(std::slice::from_ref(&confirmation))?;
        let new = NewSubscriber {
            address: address.to_owned(),
            ..new
        };
        match &self.backend {
            Backend::Sqlite(s) => {
                blocking(s, move |s| s.subscribe(&new, &confirmation, &now)).await
            }
            Backend::Postgres(p) => p.subscribe(&new, &confirmation, &now).await,
        }
    }

    /// Confirms the subscription with this token; its language, or `None` for an unknown token.
    pub async fn confirm_subscriber(
        &self,
        token: &str,
        now: &str,
    ) -> Result<Option<String>, StoreError> {
        let now = canonical_utc("now", now)?;
        if !well_formed(token) {
            return Ok(None);
        }
        let token = token.to_ascii_lowercase();
        match &self.backend {
            Backend::Sqlite(s) => blocking(s, move |s| s.confirm_subscriber(&token, &now)).await,
            Backend::Postgres(p) => p.confirm_subscriber(&token, &now).await,
        }
    }

    /// The language of the subscription with this token, if there is one (to word its pages).
    pub async fn subscriber_lang(&self, token: &str) -> Result<Option<String>, StoreError> {
        if !well_formed(token) {
            return Ok(None);
        }
        let token = token.to_ascii_lowercase();
        match &self.backend {
            Backend::Sqlite(s) => blocking(s, move |s| s.subscriber_lang(&token)).await,
            Backend::Postgres(p) => p.subscriber_lang(&token).await,
        }
    }

    /// Ends the subscription with this token: deletes the address and its waiting mails. Returns
    /// its language, or `None` when there was no such subscription (already ended, say).
    pub async fn unsubscribe(&self, token: &str) -> Result<Option<String>, StoreError> {
        if !well_formed(token) {
            return Ok(None);
        }
        let token = token.to_ascii_lowercase();
        match &self.backend {
            Backend::Sqlite(s) => blocking(s, move |s| s.unsubscribe(&token)).await,
            Backend::Postgres(p) => p.unsubscribe(&token).await,
        }
    }

    /// The subscribers of every share link of the record `key`, oldest first.
    pub async fn list_subscribers(&self, key: &str) -> Result<Vec<Subscriber>, StoreError> {
        check_key(key)?;
        match &self.backend {
            Backend::Sqlite(s) => {
                let key = key.to_owned();
                blocking(s, move |s| s.list_subscribers(&key)).await
            }
            Backend::Postgres(p) => p.list_subscribers(key).await,
        }
    }

    /// Removes one subscriber of the record `key` (and its waiting mails); `false` if that record
    /// has no such subscriber.
    pub async fn remove_subscriber(&self, key: &str, id: &str) -> Result<bool, StoreError> {
        check_key(key)?;
        match &self.backend {
            Backend::Sqlite(s) => {
                let (key, id) = (key.to_owned(), id.to_owned());
                blocking(s, move |s| s.remove_subscriber(&key, &id)).await
            }
            Backend::Postgres(p) => p.remove_subscriber(key, id).await,
        }
    }

    /// The confirmed subscribers, through links that work at `now`, of the record `key` (every
    /// record when `None`): whom change mails and reminders are written for.
    pub async fn mail_targets(
        &self,
        key: Option<&str>,
        now: &str,
    ) -> Result<Vec<MailTarget>, StoreError> {
        if let Some(k) = key {
            check_key(k)?;
        }
        let now = canonical_utc("now", now)?;
        match &self.backend {
            Backend::Sqlite(s) => {
                let key = key.map(str::to_owned);
                blocking(s, move |s| s.mail_targets(key.as_deref(), &now)).await
            }
            Backend::Postgres(p) => p.mail_targets(key, &now).await,
        }
    }

    /// Deletes the subscribers of links that expired by `now` (revoking deletes them at once),
    /// with their waiting mails; returns how many.
    pub async fn forget_expired(&self, now: &str) -> Result<u64, StoreError> {
        let now = canonical_utc("now", now)?;
        match &self.backend {
            Backend::Sqlite(s) => blocking(s, move |s| s.forget_expired(&now)).await,
            Backend::Postgres(p) => p.forget_expired(&now).await,
        }
    }

    /// The language a share link was made in, when one was chosen.
    pub async fn share_link_lang(&self, link_id: &str) -> Result<Option<String>, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => {
                let id = link_id.to_owned();
                blocking(s, move |s| s.share_link_lang(&id)).await
            }
            Backend::Postgres(p) => p.share_link_lang(link_id).await,
        }
    }
}
