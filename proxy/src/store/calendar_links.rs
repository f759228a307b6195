//! Calendar links: secret URLs that partner staff subscribe to in Outlook or Google Calendar to
//! see the week's actions across every customer. Like share links, the token (256 bits) is shown
//! once and only its SHA-256 is stored; a link is revocable and names its language.

use serde::Serialize;

use super::share_links::{NewLink, token_hash};
use super::timestamp::canonical_utc;
use super::{Backend, Store, StoreError, blocking};

/// Longest label.
pub const MAX_LABEL_CHARS: usize = 100;

/// A calendar link as partner staff see it (never its token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CalendarLink {
    /// Its id.
    pub id: String,
    /// Who or what it is for (`Ann's Outlook`).
    pub label: String,
    /// `en` or `ja`.
    pub lang: String,
    /// When it was made.
    pub created_at: String,
    /// When a calendar last fetched it.
    pub last_used_at: Option<String>,
    /// When it was revoked.
    pub revoked_at: Option<String>,
}

impl Store {
    /// Makes a calendar link; returns it and its token (shown now, never again).
    pub async fn create_calendar_link(
        &self,
        label: &str,
        lang: &str,
        now: &str,
    ) -> Result<(CalendarLink, String), StoreError> {
        let now = canonical_utc("now", now)?;
        let label = label.trim();
        if label.chars().count() > MAX_LABEL_CHARS || label.chars().any(char::is_control) {
            return Err(StoreError::InvalidInput(format!(
                "A calendar link's label has at most {MAX_LABEL_CHARS} characters on one line."
            )));
        }
        if !matches!(lang, "en" | "ja") {
            return Err(StoreError::InvalidInput(
                "A calendar link is in English (en) or Japanese (ja).".into(),
            ));
        }
        let link = NewLink::generate()?;
        let token = link.token.clone();
        let made = CalendarLink {
            id: link.id.clone(),
            label: label.to_owned(),
            lang: lang.to_owned(),
            created_at: now,
            last_used_at: None,
            revoked_at: None,
        };
        let stored = made.clone();
        match &self.backend {
            Backend::Sqlite(s) => {
                blocking(s, move |s| s.create_calendar_link(&stored, &link.hash)).await?
            }
            Backend::Postgres(p) => p.create_calendar_link(&stored, &link.hash).await?,
        }
        Ok((made, token))
    }

    /// Every calendar link, oldest first, revoked ones included.
    pub async fn list_calendar_links(&self) -> Result<Vec<CalendarLink>, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => blocking(s, |s| s.list_calendar_links()).await,
            Backend::Postgres(p) => p.list_calendar_links().await,
        }
    }

    /// Revokes a calendar link for good; `false` if there is no such link.
    pub async fn revoke_calendar_link(&self, id: &str, now: &str) -> Result<bool, StoreError> {
        let now = canonical_utc("now", now)?;
        match &self.backend {
            Backend::Sqlite(s) => {
                let id = id.to_owned();
                blocking(s, move |s| s.revoke_calendar_link(&id, &now)).await
            }
            Backend::Postgres(p) => p.revoke_calendar_link(id, &now).await,
        }
    }

    /// The link a token opens now, or `None` (malformed, unknown or revoked alike); records use.
    pub async fn resolve_calendar_token(
        &self,
        token: &str,
        now: &str,
    ) -> Result<Option<CalendarLink>, StoreError> {
        let now = canonical_utc("now", now)?;
        let Some(hash) = token_hash(token) else {
            return Ok(None);
        };
        match &self.backend {
            Backend::Sqlite(s) => blocking(s, move |s| s.resolve_calendar_token(&hash, &now)).await,
            Backend::Postgres(p) => p.resolve_calendar_token(&hash, &now).await,
        }
    }
}
