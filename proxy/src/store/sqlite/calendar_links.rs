//! Calendar links in SQLite: only the token's SHA-256 is stored.

use rusqlite::{OptionalExtension, params};

use super::super::StoreError;
use super::super::calendar_links::CalendarLink;
use super::SqliteStore;

impl SqliteStore {
    pub(crate) fn create_calendar_link(
        &self,
        link: &CalendarLink,
        hash: &[u8; 32],
    ) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.prepare_cached(
                "INSERT INTO calendar_links (id, token_sha256, label, lang, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                link.id,
                hash.as_slice(),
                link.label,
                link.lang,
                link.created_at
            ])?;
            Ok(())
        })
    }

    pub(crate) fn list_calendar_links(&self) -> Result<Vec<CalendarLink>, StoreError> {
        self.read(|tx| {
            let mut stmt = tx.prepare_cached(
                "SELECT id, label, lang, created_at, last_used_at, revoked_at FROM calendar_links
                 ORDER BY created_at, rowid",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok(CalendarLink {
                    id: r.get(0)?,
                    label: r.get(1)?,
                    lang: r.get(2)?,
                    created_at: r.get(3)?,
                    last_used_at: r.get(4)?,
                    revoked_at: r.get(5)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    pub(crate) fn revoke_calendar_link(&self, id: &str, now: &str) -> Result<bool, StoreError> {
        self.write(|tx| {
            let n = tx
                .prepare_cached(
                    "UPDATE calendar_links SET revoked_at = coalesce(revoked_at, ?2) WHERE id = ?1",
                )?
                .execute(params![id, now])?;
            Ok(n > 0)
        })
    }

    pub(crate) fn resolve_calendar_token(
        &self,
        hash: &[u8; 32],
        now: &str,
    ) -> Result<Option<CalendarLink>, StoreError> {
        self.write(|tx| {
            let found = tx
                .prepare_cached(
                    "SELECT id, label, lang, created_at, last_used_at, revoked_at FROM calendar_links
                     WHERE token_sha256 = ?1 AND revoked_at IS NULL",
                )?
                .query_row([hash.as_slice()], |r| {
                    Ok(CalendarLink {
                        id: r.get(0)?,
                        label: r.get(1)?,
                        lang: r.get(2)?,
                        created_at: r.get(3)?,
                        last_used_at: r.get(4)?,
                        revoked_at: r.get(5)?,
                    })
                })
                .optional()?;
            let Some(mut link) = found else {
                return Ok(None);
            };
            tx.prepare_cached("UPDATE calendar_links SET last_used_at = ?2 WHERE id = ?1")?
                .execute(params![link.id, now])?;
            link.last_used_at = Some(now.to_owned());
            Ok(Some(link))
        })
    }
}
