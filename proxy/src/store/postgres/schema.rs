//! The PostgreSQL schema and its versioned migrations, tracked in the table `cutover_schema`.
//!
//! All pending migrations run in one transaction that first takes an advisory lock, so when
//! several instances start at once exactly one migrates and the others wait, then find nothing
//! to do. Migrations are append-only: never edit one that has shipped, add the next.

use tokio_postgres::Client;

use super::super::StoreError;

/// Advisory lock key for migrations: ASCII "CUTO", as SQLite's `application_id`.
const MIGRATION_LOCK: i64 = 0x4355_544F;

const MIGRATIONS: &[&str] = &[
    // 1: versioned documents (migration records and the settings), their change log, share links.
    // The same tables as SQLite's first migration. Text that SQL compares (folded keys, instants)
    // uses the "C" collation, so it orders byte by byte exactly as SQLite does.
    r#"
    CREATE TABLE documents (
        id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind        TEXT   NOT NULL CHECK (kind IN ('record', 'settings')),
        -- The key keeps the spelling it was first given; key_folded (ASCII lower case, computed
        -- by the proxy) makes "Contoso.com" and "contoso.com" one customer, like SQLite's NOCASE.
        key         TEXT   NOT NULL,
        key_folded  TEXT   NOT NULL COLLATE "C",
        version     BIGINT NOT NULL CHECK (version >= 1),
        updated_at  TEXT   NOT NULL COLLATE "C",
        doc         TEXT   NOT NULL,
        UNIQUE (kind, key_folded)
    );

    -- One row per write. A document's rows have versions 1, 2, 3, ... with no gaps.
    -- `key` is the document's key at the time of the write (a record can be re-keyed).
    CREATE TABLE changes (
        seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        document_id  BIGINT NOT NULL REFERENCES documents (id),
        key          TEXT   NOT NULL,
        version      BIGINT NOT NULL,
        at           TEXT   NOT NULL COLLATE "C",
        actor        TEXT   NOT NULL,
        kind         TEXT   NOT NULL CHECK (kind IN ('created', 'updated', 'imported', 'rekeyed')),
        doc          TEXT   NOT NULL,
        UNIQUE (document_id, version)
    );

    CREATE FUNCTION cutover_changes_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'the change log is append-only'; END $$;
    CREATE TRIGGER changes_are_append_only BEFORE UPDATE OR DELETE ON changes
        FOR EACH ROW EXECUTE FUNCTION cutover_changes_are_append_only();
    CREATE TRIGGER changes_are_never_truncated BEFORE TRUNCATE ON changes
        FOR EACH STATEMENT EXECUTE FUNCTION cutover_changes_are_append_only();

    -- The token itself is never stored, only its SHA-256.
    CREATE TABLE share_links (
        id            TEXT   PRIMARY KEY,
        seq           BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
        document_id   BIGINT NOT NULL REFERENCES documents (id),
        token_sha256  BYTEA  NOT NULL UNIQUE CHECK (octet_length(token_sha256) = 32),
        created_at    TEXT   NOT NULL COLLATE "C",
        expires_at    TEXT   COLLATE "C",
        last_used_at  TEXT   COLLATE "C",
        revoked_at    TEXT   COLLATE "C"
    );
    CREATE INDEX share_links_by_document ON share_links (document_id);
    "#,
    // 2: notifications (issue 17): the same tables as SQLite's second migration.
    r#"
    ALTER TABLE share_links ADD COLUMN lang TEXT CHECK (lang IN ('en', 'ja'));

    CREATE TABLE subscribers (
        id              TEXT   PRIMARY KEY,
        seq             BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
        share_link_id   TEXT   NOT NULL REFERENCES share_links (id),
        address         TEXT   NOT NULL,
        address_folded  TEXT   NOT NULL COLLATE "C",
        lang            TEXT   NOT NULL CHECK (lang IN ('en', 'ja')),
        token           TEXT   NOT NULL UNIQUE,
        created_at      TEXT   NOT NULL COLLATE "C",
        confirmed_at    TEXT   COLLATE "C",
        UNIQUE (share_link_id, address_folded)
    );

    CREATE TABLE outbox (
        id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        dedup_id         TEXT   NOT NULL UNIQUE,
        kind             TEXT   NOT NULL CHECK (kind IN ('record_change', 'mail', 'webhook')),
        subscriber_id    TEXT,
        document_id      BIGINT,
        payload          TEXT   NOT NULL,
        state            TEXT   NOT NULL CHECK (state IN ('pending', 'sent', 'dropped', 'failed')),
        created_at       TEXT   NOT NULL COLLATE "C",
        next_attempt_at  TEXT   NOT NULL COLLATE "C",
        lease_until      TEXT   COLLATE "C",
        attempts         INTEGER NOT NULL DEFAULT 0,
        last_error       TEXT,
        done_at          TEXT   COLLATE "C"
    );
    CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
    CREATE INDEX outbox_by_subscriber ON outbox (subscriber_id);

    CREATE TABLE calendar_links (
        id            TEXT   PRIMARY KEY,
        seq           BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
        token_sha256  BYTEA  NOT NULL UNIQUE CHECK (octet_length(token_sha256) = 32),
        label         TEXT   NOT NULL,
        lang          TEXT   NOT NULL CHECK (lang IN ('en', 'ja')),
        created_at    TEXT   NOT NULL COLLATE "C",
        last_used_at  TEXT   COLLATE "C",
        revoked_at    TEXT   COLLATE "C"
    );
    "#,
    // 3: team use, the same tables as SQLite's third migration: people and their roles,
    // sessions and sign-ins under way (hashes only), the append-only event log, order approvals.
    r#"
    CREATE TABLE people (
        subject        TEXT PRIMARY KEY,
        name           TEXT NOT NULL,
        email          TEXT NOT NULL,
        role           TEXT CHECK (role IN ('viewer', 'editor', 'orderer', 'admin')),
        group_role     TEXT CHECK (group_role IN ('viewer', 'editor', 'orderer', 'admin')),
        first_seen_at  TEXT NOT NULL COLLATE "C",
        last_seen_at   TEXT NOT NULL COLLATE "C"
    );

    CREATE TABLE sessions (
        token_sha256  BYTEA PRIMARY KEY CHECK (octet_length(token_sha256) = 32),
        subject       TEXT  NOT NULL REFERENCES people (subject),
        created_at    TEXT  NOT NULL COLLATE "C",
        expires_at    TEXT  NOT NULL COLLATE "C"
    );
    CREATE INDEX sessions_by_expiry ON sessions (expires_at);

    CREATE TABLE sign_ins (
        state_sha256   BYTEA PRIMARY KEY CHECK (octet_length(state_sha256) = 32),
        nonce          TEXT  NOT NULL,
        code_verifier  TEXT  NOT NULL,
        redirect_uri   TEXT  NOT NULL,
        return_to      TEXT  NOT NULL,
        expires_at     TEXT  NOT NULL COLLATE "C"
    );
    CREATE INDEX sign_ins_by_expiry ON sign_ins (expires_at);

    CREATE TABLE events (
        seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at           TEXT   NOT NULL COLLATE "C",
        actor        TEXT   NOT NULL,
        kind         TEXT   NOT NULL CHECK (kind IN ('share_link_created', 'share_link_revoked',
                                    'role_changed', 'approval_requested', 'order_approved')),
        document_id  BIGINT REFERENCES documents (id),
        subject      TEXT   NOT NULL,
        detail       TEXT   NOT NULL
    );
    CREATE INDEX events_by_document ON events (document_id);
    CREATE INDEX events_by_time ON events (at);
    CREATE FUNCTION cutover_events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'the event log is append-only'; END $$;
    CREATE TRIGGER events_are_append_only BEFORE UPDATE OR DELETE ON events
        FOR EACH ROW EXECUTE FUNCTION cutover_events_are_append_only();
    CREATE TRIGGER events_are_never_truncated BEFORE TRUNCATE ON events
        FOR EACH STATEMENT EXECUTE FUNCTION cutover_events_are_append_only();

    CREATE INDEX changes_by_time ON changes (at);

    CREATE TABLE order_approvals (
        -- Lower case (the proxy folds it): MS-RequestId is a GUID, compared without case.
        request_id     TEXT   PRIMARY KEY COLLATE "C",
        customer_id    TEXT   NOT NULL,
        customer_name  TEXT   NOT NULL,
        lines          TEXT   NOT NULL,
        seats          BIGINT NOT NULL CHECK (seats >= 0),
        requested_by   TEXT   NOT NULL,
        requested_at   TEXT   NOT NULL COLLATE "C",
        approved_by    TEXT,
        approved_at    TEXT   COLLATE "C",
        sent_at        TEXT   COLLATE "C"
    );
    "#,
];

/// The schema version this build writes.
pub(crate) const LATEST: i64 = MIGRATIONS.len() as i64;

/// Brings the database up to [`LATEST`], refusing databases that hold other programs' tables or
/// were migrated by a newer Cutover.
pub(super) async fn migrate(client: &mut Client, target: &str) -> Result<(), StoreError> {
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    let tracked: bool = tx
        .query_one("SELECT to_regclass('cutover_schema') IS NOT NULL", &[])
        .await?
        .get(0);
    if !tracked {
        let tables: i64 = tx
            .query_one(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()",
                &[],
            )
            .await?
            .get(0);
        if tables > 0 {
            return Err(StoreError::ForeignDatabase {
                target: target.to_owned(),
            });
        }
        tx.batch_execute(
            "CREATE TABLE cutover_schema (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
        )
        .await?;
    }
    let current: i64 = tx
        .query_one(
            "SELECT coalesce(max(version), 0)::BIGINT FROM cutover_schema",
            &[],
        )
        .await?
        .get(0);
    if current > LATEST {
        return Err(StoreError::NewerSchema {
            found: current,
            supported: LATEST,
        });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        tx.batch_execute(sql).await?;
        let version = index as i32 + 1;
        tx.execute(
            "INSERT INTO cutover_schema (version) VALUES ($1)",
            &[&version],
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
