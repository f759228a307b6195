//! Calendar links in PostgreSQL: only the token's SHA-256 is stored.

use tokio_postgres::Row;

use super::super::StoreError;
use super::super::calendar_links::CalendarLink;
use super::PgStore;

fn link(r: &Row) -> CalendarLink {
    CalendarLink {
        id: r.get(0),
        label: r.get(1),
        lang: r.get(2),
        created_at: r.get(3),
        last_used_at: r.get(4),
        revoked_at: r.get(5),
    }
}

impl PgStore {
    pub(crate) async fn create_calendar_link(
        &self,
        l: &CalendarLink,
        hash: &[u8; 32],
    ) -> Result<(), StoreError> {
        let client = self.client().await?;
        client
            .execute(
                "INSERT INTO calendar_links (id, token_sha256, label, lang, created_at)
                 VALUES ($1, $2, $3, $4, $5)",
                &[&l.id, &hash.as_slice(), &l.label, &l.lang, &l.created_at],
            )
            .await?;
        Ok(())
    }

    pub(crate) async fn list_calendar_links(&self) -> Result<Vec<CalendarLink>, StoreError> {
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT id, label, lang, created_at, last_used_at, revoked_at FROM calendar_links
                 ORDER BY created_at, seq",
                &[],
            )
            .await?;
        Ok(rows.iter().map(link).collect())
    }

    pub(crate) async fn revoke_calendar_link(
        &self,
        id: &str,
        now: &str,
    ) -> Result<bool, StoreError> {
        let client = self.client().await?;
        let n = client
            .execute(
                "UPDATE calendar_links SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1",
                &[&id, &now],
            )
            .await?;
        Ok(n > 0)
    }

    pub(crate) async fn resolve_calendar_token(
        &self,
        hash: &[u8; 32],
        now: &str,
    ) -> Result<Option<CalendarLink>, StoreError> {
        let client = self.client().await?;
        let row = client
            .query_opt(
                "UPDATE calendar_links SET last_used_at = $2
                 WHERE token_sha256 = $1 AND revoked_at IS NULL
                 RETURNING id, label, lang, created_at, last_used_at, revoked_at",
                &[&hash.as_slice(), &now],
            )
            .await?;
        Ok(row.as_ref().map(link))
    }
}
