//! `cutover-proxy migrate-store`: an SQLite store copied into PostgreSQL reads back the same,
//! through the same `Store` interface. Run by `store_postgres.rs` (each case gets an empty
//! PostgreSQL database as its fixture).
use std::process::Command;

use cutover_proxy::store::copy::{CopyError, sqlite_to_postgres};
use cutover_proxy::store::{Store, StoreLocation};
use serde_json::json;

use crate::store_suite::{Case, Fixture, T0};

pub fn all() -> Vec<(&'static str, Case)> {
    vec![
        (
            "everything_is_copied_and_reads_back_the_same",
            (|f| Box::pin(everything_is_copied_and_reads_back_the_same(f))) as Case,
        ),
        (
            "a_database_that_is_not_empty_is_refused",
            (|f| Box::pin(a_database_that_is_not_empty_is_refused(f))) as Case,
        ),
        (
            "the_command_line_copies_and_reports_counts",
            (|f| Box::pin(the_command_line_copies_and_reports_counts(f))) as Case,
        ),
        (
            "subscribers_calendar_links_and_waiting_messages_are_copied",
            (|f| {
                Box::pin(subscribers_calendar_links_and_waiting_messages_are_copied(
                    f,
                ))
            }) as Case,
        ),
    ]
}

async fn subscribers_calendar_links_and_waiting_messages_are_copied(f: Fixture) {
    use cutover_proxy::store::{MessageKind, NewMessage, NewSubscriber};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cutover.sqlite3");
    let s = Store::open(&StoreLocation::Sqlite(path.clone()))
        .await
        .unwrap();
    s.put_record("contoso.com", None, &json!({}), "ann", T0)
        .await
        .unwrap();
    let (link, _) = s
        .create_share_link_in("contoso.com", None, Some("ja"), "ann", T0)
        .await
        .unwrap();
    let token = "ab".repeat(32);
    s.subscribe(
        NewSubscriber {
            id: "s1".into(),
            token: token.clone(),
            link_id: link.id.clone(),
            address: "it@contoso.example".into(),
            lang: "ja".into(),
        },
        NewMessage {
            dedup_id: "confirm:s1".into(),
            kind: MessageKind::Mail,
            subscriber_id: Some("s1".into()),
            payload: json!({"type": "confirmation"}),
        },
        T0,
    )
    .await
    .unwrap();
    s.confirm_subscriber(&token, T0).await.unwrap().unwrap();
    let (_, calendar_token) = s.create_calendar_link("Ann", "en", T0).await.unwrap();
    let waiting = s.outbox_ids().await.unwrap();
    drop(s);
    let url = match &f.location {
        StoreLocation::Postgres(url) => url.clone(),
        StoreLocation::Sqlite(_) => unreachable!("migrate cases run on PostgreSQL"),
    };
    sqlite_to_postgres(&path, &url).await.unwrap();
    let pg = Store::open(&f.location).await.unwrap();
    assert_eq!(
        pg.share_link_lang(&link.id).await.unwrap().as_deref(),
        Some("ja")
    );
    let targets = pg.mail_targets(Some("contoso.com"), LATER).await.unwrap();
    assert_eq!(targets.len(), 1);
    assert_eq!(targets[0].token, token);
    assert!(
        pg.resolve_calendar_token(&calendar_token, LATER)
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(pg.outbox_ids().await.unwrap(), waiting);
    // The copied event still finds its record in PostgreSQL.
    let claimed = pg
        .claim_due(LATER, "2025-04-05T09:01:00Z", 10)
        .await
        .unwrap();
    let event = claimed
        .iter()
        .find(|m| m.kind == MessageKind::RecordChange)
        .unwrap();
    assert_eq!(event.record_key.as_deref(), Some("contoso.com"));
}

const LATER: &str = "2025-04-05T09:00:00Z";

/// An SQLite store with a bit of everything: records at several versions, a re-keyed record,
/// an imported update, settings, live, revoked and expiring share links.
async fn sqlite_with_history(dir: &tempfile::TempDir) -> (std::path::PathBuf, Store, Vec<String>) {
    let path = dir.path().join("cutover.sqlite3");
    let s = Store::open(&StoreLocation::Sqlite(path.clone()))
        .await
        .unwrap();
    for i in 0..25 {
        let key = format!("Customer{i}.example");
        s.put_record(&key, None, &json!({"i": i, "名前": "顧客"}), "ann", T0)
            .await
            .unwrap();
        for v in 1..=(i % 4) {
            s.put_record(&key, Some(v), &json!({"i": i, "v": v}), "bob", LATER)
                .await
                .unwrap();
        }
    }
    s.rekey_record(
        "Customer0.example",
        "4b1c7f4e-0000-4000-8000-000000000001",
        1,
        &json!({"rekeyed": true}),
        "ann",
        LATER,
    )
    .await
    .unwrap();
    s.import_records(
        &[cutover_proxy::store::ImportItem {
            key: "customer1.EXAMPLE".into(),
            expected: Some(2),
            doc: json!({"imported": true}),
        }],
        "carol",
        LATER,
    )
    .await
    .unwrap();
    s.put_settings(None, &json!({"provisionLeadDays": 9}), "ann", T0)
        .await
        .unwrap();
    let mut tokens = Vec::new();
    let (_, t) = s
        .create_share_link("customer2.example", None, "ann", T0)
        .await
        .unwrap();
    tokens.push(t);
    let (link, t) = s
        .create_share_link("customer3.example", Some("2030-01-01T00:00:00Z"), "ann", T0)
        .await
        .unwrap();
    tokens.push(t);
    s.revoke_share_link("customer3.example", &link.id, "ann", LATER)
        .await
        .unwrap();
    let (_, t) = s
        .create_share_link("4b1c7f4e-0000-4000-8000-000000000001", None, "ann", T0)
        .await
        .unwrap();
    tokens.push(t);
    s.resolve_share_token(&tokens[0], LATER).await.unwrap();
    // Team use: a person with a role (logged), and an approved order.
    s.sign_in(
        &cutover_proxy::store::SignIn {
            subject: "oid-ann".into(),
            name: "Ann".into(),
            email: "ann@partner.example".into(),
            group_role: Some(cutover_plan::roles::Role::Editor),
        },
        "session-token",
        T0,
        LATER,
    )
    .await
    .unwrap();
    s.set_role(
        "oid-ann",
        Some(cutover_plan::roles::Role::Orderer),
        "ada",
        T0,
    )
    .await
    .unwrap();
    let rid = "5f0c7a52-9b8e-4d7e-8f0a-1b2c3d4e5f60";
    s.request_approval(
        rid,
        "customer2.example",
        "C2",
        &json!([{"offerId": "X", "quantity": 300}]),
        300,
        "ann",
        T0,
    )
    .await
    .unwrap();
    s.approve(rid, "ada", LATER).await.unwrap();
    (path, s, tokens)
}

async fn everything_is_copied_and_reads_back_the_same(f: Fixture) {
    let StoreLocation::Postgres(url) = &f.location else {
        unreachable!()
    };
    let dir = tempfile::tempdir().unwrap();
    let (path, sqlite, tokens) = sqlite_with_history(&dir).await;
    let counts = sqlite_to_postgres(&path, url).await.unwrap();
    assert_eq!(counts, sqlite.counts().await.unwrap());
    assert_eq!(
        (counts.records, counts.settings, counts.share_links),
        (25, 1, 3)
    );
    let pg = f.store;
    let records = sqlite.list_records().await.unwrap();
    assert_eq!(pg.list_records().await.unwrap(), records);
    for r in &records {
        assert_eq!(
            pg.changes(&r.key, None, 1000).await.unwrap(),
            sqlite.changes(&r.key, None, 1000).await.unwrap(),
            "{}",
            r.key
        );
        assert_eq!(
            pg.list_share_links(&r.key).await.unwrap(),
            sqlite.list_share_links(&r.key).await.unwrap()
        );
    }
    assert_eq!(
        pg.get_settings().await.unwrap(),
        sqlite.get_settings().await.unwrap()
    );
    assert_eq!(
        pg.settings_changes(None, 10).await.unwrap(),
        sqlite.settings_changes(None, 10).await.unwrap()
    );
    assert_eq!(pg.people().await.unwrap(), sqlite.people().await.unwrap());
    assert_eq!(
        pg.approvals(10).await.unwrap(),
        sqlite.approvals(10).await.unwrap()
    );
    let window = ("2000-01-01T00:00:00Z", "2100-01-01T00:00:00Z");
    let events = |a: cutover_proxy::store::Activity| {
        a.events
            .into_iter()
            .map(|e| (e.at, e.actor, e.kind, e.key, e.subject, e.detail))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        events(pg.activity(window.0, window.1, 100).await.unwrap()),
        events(sqlite.activity(window.0, window.1, 100).await.unwrap())
    );
    assert_eq!((counts.people, counts.events, counts.approvals), (1, 7, 1));
    // Links keep working (and stay revoked); writes carry on from the copied versions.
    for (token, works) in tokens.iter().zip([true, false, true]) {
        assert_eq!(
            pg.resolve_share_token(token, LATER)
                .await
                .unwrap()
                .is_some(),
            works
        );
    }
    let v = pg
        .get_record("customer3.example")
        .await
        .unwrap()
        .unwrap()
        .version;
    let next = pg
        .put_record("customer3.example", Some(v), &json!({}), "ann", LATER)
        .await
        .unwrap();
    assert_eq!(next.version, v + 1);
    assert!(
        pg.put_record("customer3.example", Some(v), &json!({}), "ann", LATER)
            .await
            .is_err()
    );
}

async fn a_database_that_is_not_empty_is_refused(f: Fixture) {
    let StoreLocation::Postgres(url) = &f.location else {
        unreachable!()
    };
    f.store
        .put_record("already.example", None, &json!({}), "ann", T0)
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (path, _, _) = sqlite_with_history(&dir).await;
    let err = sqlite_to_postgres(&path, url).await.unwrap_err();
    assert!(matches!(err, CopyError::TargetNotEmpty { .. }), "{err}");
    assert!(
        !err.to_string().contains(crate::support::postgres::PASSWORD),
        "{err}"
    );
    assert_eq!(
        f.store.list_records().await.unwrap().len(),
        1,
        "nothing was copied"
    );
    let err = sqlite_to_postgres(&dir.path().join("missing.sqlite3"), url)
        .await
        .unwrap_err();
    assert!(matches!(err, CopyError::NoSource(_)), "{err}");
}

async fn the_command_line_copies_and_reports_counts(f: Fixture) {
    let StoreLocation::Postgres(url) = &f.location else {
        unreachable!()
    };
    let dir = tempfile::tempdir().unwrap();
    let (path, _, _) = sqlite_with_history(&dir).await;
    let out = Command::new(env!("CARGO_BIN_EXE_cutover-proxy"))
        .args(["migrate-store", "--from"])
        .arg(&path)
        .args(["--to", url])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("Copied and verified: 25 records, 1 settings"),
        "{stdout}"
    );
    assert!(
        !stdout.contains(crate::support::postgres::PASSWORD),
        "{stdout}"
    );
    assert_eq!(f.store.list_records().await.unwrap().len(), 25);
    // Twice is refused: the database is no longer empty.
    let again = Command::new(env!("CARGO_BIN_EXE_cutover-proxy"))
        .args(["migrate-store", "--from"])
        .arg(&path)
        .args(["--to", url])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("empty database"));
}
