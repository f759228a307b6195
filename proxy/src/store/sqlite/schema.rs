//! The database schema and its migrations, tracked in `PRAGMA user_version`.
//!
//! Each migration runs in its own `BEGIN IMMEDIATE` transaction together with the `user_version`
//! bump, so a crash mid-migration leaves the previous version intact and the next start retries it.
//! Migrations are append-only: never edit one that has shipped, add the next.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use super::super::StoreError;

/// Marks the file as Cutover's (`PRAGMA application_id`), so pointing the proxy at some other
/// SQLite file fails with a clear message instead of adding tables to it. ASCII "CUTO".
pub(super) const APPLICATION_ID: i64 = 0x4355_544F;

const MIGRATIONS: &[&str] = &[
    // 1: versioned documents (migration records and the settings), their change log, share links.
    r#"
    CREATE TABLE documents (
        id          INTEGER PRIMARY KEY,
        kind        TEXT    NOT NULL CHECK (kind IN ('record', 'settings')),
        -- NOCASE: domains and Partner Center ids are case-insensitive, so "Contoso.com" and
        -- "contoso.com" are one customer. The key keeps the spelling it was first given.
        key         TEXT    NOT NULL COLLATE NOCASE,
        version     INTEGER NOT NULL CHECK (version >= 1),
        updated_at  TEXT    NOT NULL,
        doc         TEXT    NOT NULL,
        UNIQUE (kind, key)
    ) STRICT;

    -- One row per write. A document's rows have versions 1, 2, 3, ... with no gaps.
    -- `key` is the document's key at the time of the write (a record can be re-keyed).
    CREATE TABLE changes (
        seq          INTEGER PRIMARY KEY AUTOINCREMENT,
        document_id  INTEGER NOT NULL REFERENCES documents (id),
        key          TEXT    NOT NULL,
        version      INTEGER NOT NULL,
        at           TEXT    NOT NULL,
        actor        TEXT    NOT NULL,
        kind         TEXT    NOT NULL CHECK (kind IN ('created', 'updated', 'imported', 'rekeyed')),
        doc          TEXT    NOT NULL,
        UNIQUE (document_id, version)
    ) STRICT;

    CREATE TRIGGER changes_are_append_only_update BEFORE UPDATE ON changes
    BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
    CREATE TRIGGER changes_are_append_only_delete BEFORE DELETE ON changes
    BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;

    -- The token itself is never stored, only its SHA-256.
    CREATE TABLE share_links (
        id            TEXT    PRIMARY KEY,
        document_id   INTEGER NOT NULL REFERENCES documents (id),
        token_sha256  BLOB    NOT NULL UNIQUE CHECK (length(token_sha256) = 32),
        created_at    TEXT    NOT NULL,
        expires_at    TEXT,
        last_used_at  TEXT,
        revoked_at    TEXT
    ) STRICT;
    CREATE INDEX share_links_by_document ON share_links (document_id);
    "#,
    // 2: notifications (issue 17): the language a share link was made in, e-mail subscribers of
    // status pages, the outbox of mails and webhooks, partner staff's calendar links.
    r#"
    ALTER TABLE share_links ADD COLUMN lang TEXT CHECK (lang IN ('en', 'ja'));

    -- An address is kept only while wanted: unsubscribing or revoking the link deletes the row.
    CREATE TABLE subscribers (
        id              TEXT    PRIMARY KEY,
        share_link_id   TEXT    NOT NULL REFERENCES share_links (id),
        address         TEXT    NOT NULL,
        address_folded  TEXT    NOT NULL,
        lang            TEXT    NOT NULL CHECK (lang IN ('en', 'ja')),
        token           TEXT    NOT NULL UNIQUE,
        created_at      TEXT    NOT NULL,
        confirmed_at    TEXT,
        UNIQUE (share_link_id, address_folded)
    ) STRICT;

    -- Mails name their subscriber, never the address. `dedup_id` is unique: a message is
    -- enqueued once, and the id travels with it.
    CREATE TABLE outbox (
        id               INTEGER PRIMARY KEY AUTOINCREMENT,
        dedup_id         TEXT    NOT NULL UNIQUE,
        kind             TEXT    NOT NULL CHECK (kind IN ('record_change', 'mail', 'webhook')),
        subscriber_id    TEXT,
        document_id      INTEGER,
        payload          TEXT    NOT NULL,
        state            TEXT    NOT NULL CHECK (state IN ('pending', 'sent', 'dropped', 'failed')),
        created_at       TEXT    NOT NULL,
        next_attempt_at  TEXT    NOT NULL,
        lease_until      TEXT,
        attempts         INTEGER NOT NULL DEFAULT 0,
        last_error       TEXT,
        done_at          TEXT
    ) STRICT;
    CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
    CREATE INDEX outbox_by_subscriber ON outbox (subscriber_id);

    -- The token itself is never stored, only its SHA-256.
    CREATE TABLE calendar_links (
        id            TEXT    PRIMARY KEY,
        token_sha256  BLOB    NOT NULL UNIQUE CHECK (length(token_sha256) = 32),
        label         TEXT    NOT NULL,
        lang          TEXT    NOT NULL CHECK (lang IN ('en', 'ja')),
        created_at    TEXT    NOT NULL,
        last_used_at  TEXT,
        revoked_at    TEXT
    ) STRICT;
    "#,
    // 3: team use. People who signed in with OpenID Connect and the role an admin gave them;
    // sign-in sessions and sign-ins under way (only SHA-256 hashes of their secrets); an
    // append-only log of what is not a document version (share links made and revoked, roles
    // given, orders approved); large orders waiting for a second person's approval.
    r#"
    CREATE TABLE people (
        subject        TEXT PRIMARY KEY,
        name           TEXT NOT NULL,
        email          TEXT NOT NULL,
        role           TEXT CHECK (role IN ('viewer', 'editor', 'orderer', 'admin')),
        group_role     TEXT CHECK (group_role IN ('viewer', 'editor', 'orderer', 'admin')),
        first_seen_at  TEXT NOT NULL,
        last_seen_at   TEXT NOT NULL
    ) STRICT;

    CREATE TABLE sessions (
        token_sha256  BLOB NOT NULL PRIMARY KEY CHECK (length(token_sha256) = 32),
        subject       TEXT NOT NULL REFERENCES people (subject),
        created_at    TEXT NOT NULL,
        expires_at    TEXT NOT NULL
    ) STRICT;
    CREATE INDEX sessions_by_expiry ON sessions (expires_at);

    CREATE TABLE sign_ins (
        state_sha256   BLOB NOT NULL PRIMARY KEY CHECK (length(state_sha256) = 32),
        nonce          TEXT NOT NULL,
        code_verifier  TEXT NOT NULL,
        redirect_uri   TEXT NOT NULL,
        return_to      TEXT NOT NULL,
        expires_at     TEXT NOT NULL
    ) STRICT;
    CREATE INDEX sign_ins_by_expiry ON sign_ins (expires_at);

    CREATE TABLE events (
        seq          INTEGER PRIMARY KEY AUTOINCREMENT,
        at           TEXT    NOT NULL,
        actor        TEXT    NOT NULL,
        kind         TEXT    NOT NULL CHECK (kind IN ('share_link_created', 'share_link_revoked',
                                     'role_changed', 'approval_requested', 'order_approved')),
        document_id  INTEGER REFERENCES documents (id),
        subject      TEXT    NOT NULL,
        detail       TEXT    NOT NULL
    ) STRICT;
    CREATE INDEX events_by_document ON events (document_id);
    CREATE INDEX events_by_time ON events (at);
    CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
    CREATE TRIGGER events_are_append_only_delete BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;

    -- The activity page reads the change log by time.
    CREATE INDEX changes_by_time ON changes (at);

    CREATE TABLE order_approvals (
        -- Lower case (the proxy folds it): MS-RequestId is a GUID, compared without case.
        request_id     TEXT    NOT NULL PRIMARY KEY,
        customer_id    TEXT    NOT NULL,
        customer_name  TEXT    NOT NULL,
        lines          TEXT    NOT NULL,
        seats          INTEGER NOT NULL CHECK (seats >= 0),
        requested_by   TEXT    NOT NULL,
        requested_at   TEXT    NOT NULL,
        approved_by    TEXT,
        approved_at    TEXT,
        sent_at        TEXT
    ) STRICT;
    "#,
];

/// The schema version this build writes.
pub(super) const LATEST: i64 = MIGRATIONS.len() as i64;

/// Brings the database up to [`LATEST`], refusing files that are not Cutover's or are newer.
pub(super) fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let app_id: i64 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if app_id != APPLICATION_ID {
        let foreign = app_id != 0 || version != 0 || has_tables(conn)?;
        if foreign {
            return Err(StoreError::NotCutoverDatabase {
                path: path.to_owned(),
            });
        }
    }
    if version > LATEST {
        return Err(StoreError::NewerSchema {
            found: version,
            supported: LATEST,
        });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate() {
        let target = index as i64 + 1;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Re-read inside the write lock: another process may have migrated meanwhile.
        let current: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if current >= target {
            continue;
        }
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.pragma_update(None, "user_version", target)?;
        tx.commit()?;
    }
    Ok(())
}

fn has_tables(conn: &Connection) -> Result<bool, StoreError> {
    let count: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table'",
        [],
        |r| r.get(0),
    )?;
    Ok(count > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_file_is_migrated_to_the_latest_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fresh.db");
        let mut conn = Connection::open(&path).unwrap();
        migrate(&mut conn, &path).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, LATEST);
        // Running again is a no-op.
        migrate(&mut conn, &path).unwrap();
    }

    #[test]
    fn a_database_from_a_newer_cutover_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("newer.db");
        let mut conn = Connection::open(&path).unwrap();
        migrate(&mut conn, &path).unwrap();
        conn.pragma_update(None, "user_version", LATEST + 1)
            .unwrap();
        let err = migrate(&mut conn, &path).unwrap_err();
        assert!(matches!(err, StoreError::NewerSchema { .. }), "{err}");
        assert!(err.to_string().contains("Upgrade cutover-proxy"));
    }

    #[test]
    fn another_programs_database_is_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("other.db");
        let mut conn = Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE invoices (id INTEGER PRIMARY KEY);")
            .unwrap();
        let err = migrate(&mut conn, &path).unwrap_err();
        assert!(
            matches!(err, StoreError::NotCutoverDatabase { .. }),
            "{err}"
        );
        assert!(!has_tables_named(&conn, "documents"));
    }

    fn has_tables_named(conn: &Connection, name: &str) -> bool {
        conn.query_row(
            "SELECT count(*) FROM sqlite_schema WHERE name = ?1",
            [name],
            |r| r.get::<_, i64>(0),
        )
        .unwrap()
            > 0
    }
}
