//! What only PostgreSQL has to prove (the shared suite covers behaviour): the change log is
//! append-only in the database itself, migrations refuse foreign and newer databases, and only a
//! share token's hash is stored. Run by `store_postgres.rs`.
use cutover_proxy::store::{Store, StoreError, StoreLocation};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::store_suite::{Case, Fixture, T0};

pub fn all() -> Vec<(&'static str, Case)> {
    vec![
        (
            "the_change_log_refuses_updates_deletes_and_truncation",
            (|f| Box::pin(the_change_log_refuses_updates_deletes_and_truncation(f))) as Case,
        ),
        (
            "databases_of_other_programs_or_newer_cutovers_are_refused",
            (|f| Box::pin(databases_of_other_programs_or_newer_cutovers_are_refused(f))) as Case,
        ),
        (
            "only_the_tokens_hash_is_stored",
            (|f| Box::pin(only_the_tokens_hash_is_stored(f))) as Case,
        ),
    ]
}

async fn connect(url: &str) -> tokio_postgres::Client {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    client
}

fn url_of(f: &Fixture) -> String {
    let StoreLocation::Postgres(url) = &f.location else {
        unreachable!("a PostgreSQL fixture")
    };
    url.clone()
}

async fn the_change_log_refuses_updates_deletes_and_truncation(f: Fixture) {
    f.store
        .put_record("contoso.com", None, &json!({}), "ann", T0)
        .await
        .unwrap();
    let db = connect(&url_of(&f)).await;
    for sql in [
        "UPDATE changes SET actor = 'eve'",
        "DELETE FROM changes",
        "TRUNCATE changes CASCADE",
    ] {
        let err = db.batch_execute(sql).await.unwrap_err();
        assert!(format!("{err:?}").contains("append-only"), "{sql}: {err:?}");
    }
    assert_eq!(
        f.store
            .changes("contoso.com", None, 10)
            .await
            .unwrap()
            .len(),
        1
    );
}

async fn databases_of_other_programs_or_newer_cutovers_are_refused(f: Fixture) {
    let url = url_of(&f);
    let db = connect(&url).await;
    // A database holding another program's tables is left alone.
    db.batch_execute("CREATE DATABASE invoices_app")
        .await
        .unwrap();
    let (base, _) = url.rsplit_once('/').unwrap();
    let other_url = format!("{base}/invoices_app");
    connect(&other_url)
        .await
        .batch_execute("CREATE TABLE invoices (id INT PRIMARY KEY)")
        .await
        .unwrap();
    let Err(err) = Store::open(&StoreLocation::Postgres(other_url.clone())).await else {
        panic!("a foreign database was accepted");
    };
    assert!(matches!(err, StoreError::ForeignDatabase { .. }), "{err}");
    assert!(
        !err.to_string().contains(crate::support::postgres::PASSWORD),
        "{err}"
    );
    let tables: i64 = connect(&other_url)
        .await
        .query_one(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(tables, 1, "nothing was added to it");
    // Reopening a current database migrates nothing; one from a newer Cutover is refused.
    Store::open(&f.location).await.unwrap();
    db.batch_execute("INSERT INTO cutover_schema (version) VALUES (999)")
        .await
        .unwrap();
    let Err(err) = Store::open(&f.location).await else {
        panic!("a newer schema was accepted");
    };
    assert!(
        matches!(err, StoreError::NewerSchema { found: 999, .. }),
        "{err}"
    );
}

async fn only_the_tokens_hash_is_stored(f: Fixture) {
    f.store
        .put_record("contoso.com", None, &json!({}), "ann", T0)
        .await
        .unwrap();
    let (_, token) = f
        .store
        .create_share_link("contoso.com", None, "ann", T0)
        .await
        .unwrap();
    let db = connect(&url_of(&f)).await;
    let rows = db
        .query("SELECT token_sha256, id FROM share_links", &[])
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    let stored: Vec<u8> = rows[0].get(0);
    let expected = Sha256::digest(hex::decode(&token).unwrap());
    assert_eq!(stored, expected.as_slice());
    let dump: String = db
        .query_one(
            "SELECT string_agg(t::text, ' ') FROM (SELECT * FROM share_links) t",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!(!dump.contains(&token) && !dump.contains(&token.to_uppercase()));
}
