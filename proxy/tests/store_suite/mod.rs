//! The store's behaviour, written once and run against every backend: `store_sqlite.rs` runs it
//! on SQLite files, `store_postgres.rs` on a real PostgreSQL server. Each case gets a fresh,
//! empty store. A backend that behaves differently from the other fails the same case.
#![allow(dead_code)]

pub mod outbox;
pub mod runner;
pub mod team;

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use cutover_proxy::store::{
    ChangeKind, ImportItem, MAX_CHANGES_PAGE, MAX_DOC_BYTES, MAX_KEY_CHARS, Store, StoreError,
};
use serde_json::{Value, json};

pub use runner::{Case, Fixture};

pub const T0: &str = "2025-04-01T09:00:00Z";
const LATER: &str = "2025-04-02T09:00:00Z";

macro_rules! cases {
    ($($name:ident),* $(,)?) => {
        /// Every case, by name.
        pub fn all() -> Vec<(&'static str, Case)> {
            vec![$((stringify!($name), (|f| Box::pin($name(f))) as Case)),*]
        }
    };
}

cases!(
    a_new_record_starts_at_version_one,
    a_stale_write_is_refused_with_the_current_record,
    keys_differing_only_in_case_are_one_record,
    records_are_listed_by_key_ignoring_case,
    a_typed_list_reads_what_the_json_list_reads,
    concurrent_writers_never_overwrite_each_other,
    invalid_keys_are_refused_with_a_sentence,
    bad_actor_time_or_document_writes_nothing,
    rekeying_moves_the_record_and_keeps_its_history,
    rekeying_onto_an_existing_key_or_from_a_stale_version_is_refused,
    settings_use_the_same_compare_and_swap,
    an_import_creates_and_updates_in_one_step,
    an_import_with_one_existing_key_writes_nothing,
    an_import_with_a_stale_or_missing_update_writes_nothing,
    an_import_with_a_bad_or_repeated_key_writes_nothing,
    an_empty_import_writes_nothing,
    concurrent_imports_of_the_same_records_apply_once,
    every_write_adds_one_change_with_actor_time_and_document,
    changes_page_by_version_and_limit,
    changes_of_an_unknown_record_are_not_found,
    settings_have_their_own_change_log,
    a_token_has_256_random_bits_and_opens_only_its_record,
    listing_shows_links_without_tokens_and_records_last_use,
    revoked_links_stop_working_like_unknown_ones,
    links_expire_at_their_expiry_instant,
    an_expiry_in_the_past_or_malformed_is_refused,
    malformed_truncated_and_guessed_tokens_resolve_to_nothing,
    links_follow_a_record_when_it_is_rekeyed,
    a_link_for_an_unknown_record_is_refused,
    counts_cover_every_table,
    two_handles_on_one_store_see_each_others_writes,
);

fn create(key: &str) -> ImportItem {
    ImportItem {
        key: key.to_owned(),
        expected: None,
        doc: json!({"name": key}),
    }
}

fn update(key: &str, version: u64, doc: Value) -> ImportItem {
    ImportItem {
        key: key.to_owned(),
        expected: Some(version),
        doc,
    }
}

async fn seed(store: &Store, keys: &[&str]) {
    for key in keys {
        store
            .put_record(key, None, &json!({"name": key}), "ann", T0)
            .await
            .unwrap();
    }
}

// --- records -----------------------------------------------------------------------------------

async fn a_new_record_starts_at_version_one(f: Fixture) {
    let store = f.store;
    let doc = json!({"companyName": "Contoso <script>alert(1)</script>", "seats": 25, "名前": "コントソ"});
    let made = store
        .put_record("contoso.com", None, &doc, "ann", "2025-04-01T09:00:00.123Z")
        .await
        .unwrap();
    assert_eq!(made.version, 1);
    assert_eq!(made.updated_at, "2025-04-01T09:00:00Z");
    assert_eq!(store.get_record("contoso.com").await.unwrap(), Some(made));
    assert_eq!(store.get_record("fabrikam.com").await.unwrap(), None);
}

async fn a_stale_write_is_refused_with_the_current_record(f: Fixture) {
    let store = f.store;
    store
        .put_record("contoso.com", None, &json!({"n": 1}), "ann", T0)
        .await
        .unwrap();
    store
        .put_record("contoso.com", Some(1), &json!({"n": 2}), "ann", T0)
        .await
        .unwrap();
    let err = store
        .put_record("contoso.com", Some(1), &json!({"n": 99}), "bob", T0)
        .await
        .unwrap_err();
    let StoreError::Conflict { current } = &err else {
        panic!("expected a conflict, got {err}");
    };
    assert_eq!((current.version, &current.doc), (2, &json!({"n": 2})));
    assert!(err.to_string().contains("version 2"), "{err}");
    // Creating over an existing record is a conflict too.
    let err = store
        .put_record("contoso.com", None, &json!({}), "bob", T0)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    let err = store
        .put_record("nobody.example", Some(1), &json!({}), "bob", T0)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
    assert_eq!(
        store.changes("contoso.com", None, 10).await.unwrap().len(),
        2
    );
}

async fn keys_differing_only_in_case_are_one_record(f: Fixture) {
    let store = f.store;
    store
        .put_record("Contoso.com", None, &json!({}), "ann", T0)
        .await
        .unwrap();
    let err = store
        .put_record("contoso.COM", None, &json!({}), "bob", T0)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    let found = store.get_record("CONTOSO.COM").await.unwrap().unwrap();
    assert_eq!(found.key, "Contoso.com");
    // Only ASCII letters fold (as SQLite's NOCASE): "Ä" and "ä" stay two keys.
    seed(&store, &["Äpfel.example", "äpfel.example"]).await;
    assert_eq!(store.list_records().await.unwrap().len(), 3);
}

async fn records_are_listed_by_key_ignoring_case(f: Fixture) {
    let store = f.store;
    seed(
        &store,
        &[
            "b.example",
            "C.example",
            "a.example",
            "_x.example",
            "Z.example",
        ],
    )
    .await;
    let keys: Vec<String> = store
        .list_records()
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.key)
        .collect();
    assert_eq!(
        keys,
        [
            "_x.example",
            "a.example",
            "b.example",
            "C.example",
            "Z.example"
        ]
    );
}

/// The customer list's read (`list_records_as`) gives what the JSON list gives, read into the
/// caller's type; a document of another shape is a sentence naming it, never a panic or a record
/// left out silently.
async fn a_typed_list_reads_what_the_json_list_reads(f: Fixture) {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Named {
        name: String,
    }
    let store = f.store;
    seed(&store, &["b.example", "A.example"]).await;
    store
        .put_record(
            "b.example",
            Some(1),
            &json!({"name": "Bee", "more": [1, 2]}),
            "bob",
            LATER,
        )
        .await
        .unwrap();
    let json = store.list_records().await.unwrap();
    let typed = store.list_records_as::<Named>().await.unwrap();
    assert_eq!(typed.len(), json.len());
    for (t, j) in typed.iter().zip(&json) {
        assert_eq!(
            (&t.key, t.version, &t.updated_at),
            (&j.key, j.version, &j.updated_at)
        );
        assert_eq!(json!(t.doc.name), j.doc["name"]);
    }
    assert_eq!(typed[1].doc, Named { name: "Bee".into() });
    assert_eq!((typed[1].version, typed[1].updated_at.as_str()), (2, LATER));

    store
        .put_record("c.example", None, &json!({"title": "no name"}), "ann", T0)
        .await
        .unwrap();
    let err = store.list_records_as::<Named>().await.unwrap_err();
    assert!(matches!(err, StoreError::Unreadable { .. }), "{err}");
    let said = err.to_string();
    assert!(
        said.contains("\"c.example\"") && said.contains("name"),
        "{said}"
    );
    assert_eq!(store.list_records().await.unwrap().len(), 3);
}

async fn concurrent_writers_never_overwrite_each_other(f: Fixture) {
    const WRITERS: usize = 8;
    const ATTEMPTS: usize = 40;
    let store = f.store;
    store
        .put_record("contoso.com", None, &json!({"by": "seed"}), "seed", T0)
        .await
        .unwrap();
    let succeeded = Arc::new(AtomicU64::new(0));
    let tasks: Vec<_> = (0..WRITERS)
        .map(|t| {
            let store = store.clone();
            let succeeded = Arc::clone(&succeeded);
            tokio::spawn(async move {
                let mut conflicts = 0;
                for i in 0..ATTEMPTS {
                    let seen = store.get_record("contoso.com").await.unwrap().unwrap();
                    let doc = json!({"by": t, "attempt": i, "based_on": seen.version});
                    match store
                        .put_record("contoso.com", Some(seen.version), &doc, "w", T0)
                        .await
                    {
                        Ok(written) => {
                            assert_eq!(written.version, seen.version + 1);
                            succeeded.fetch_add(1, Ordering::SeqCst);
                        }
                        Err(StoreError::Conflict { current }) => {
                            assert!(current.version > seen.version);
                            conflicts += 1;
                        }
                        Err(other) => panic!("unexpected error: {other}"),
                    }
                }
                conflicts
            })
        })
        .collect();
    let mut conflicts = 0;
    for t in tasks {
        conflicts += t.await.unwrap();
    }
    let succeeded = succeeded.load(Ordering::SeqCst);
    assert_eq!(succeeded as usize + conflicts, WRITERS * ATTEMPTS);
    let record = store.get_record("contoso.com").await.unwrap().unwrap();
    assert_eq!(record.version, 1 + succeeded);
    let mut log = Vec::new();
    loop {
        let since = log.last().map(|c: &cutover_proxy::store::Change| c.version);
        let page = store.changes("contoso.com", since, 100).await.unwrap();
        if page.is_empty() {
            break;
        }
        log.extend(page);
    }
    assert_eq!(log.len() as u64, 1 + succeeded);
    for (i, change) in log.iter().enumerate() {
        assert_eq!(change.version, i as u64 + 1);
        // Every successful write was based on the version just before it: nothing was lost.
        if i > 0 {
            assert_eq!(change.doc["based_on"], json!(i));
        }
    }
    assert_eq!(log.last().unwrap().doc, record.doc);
}

async fn invalid_keys_are_refused_with_a_sentence(f: Fixture) {
    let store = f.store;
    let long = "a".repeat(MAX_KEY_CHARS + 1);
    for key in ["", " contoso.com", "contoso.com\n", "a\0b", long.as_str()] {
        let err = store
            .put_record(key, None, &json!({}), "ann", T0)
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::InvalidInput(_)), "{err}");
        let message = err.to_string();
        assert!(message.ends_with('.') && message.len() < 400, "{message}");
        assert!(store.get_record(key).await.is_err());
    }
    let longest = "あ".repeat(MAX_KEY_CHARS);
    store
        .put_record(&longest, None, &json!({}), "ann", T0)
        .await
        .unwrap();
    assert!(store.get_record(&longest).await.unwrap().is_some());
}

async fn bad_actor_time_or_document_writes_nothing(f: Fixture) {
    let store = f.store;
    let huge = json!({"notes": "x".repeat(MAX_DOC_BYTES)});
    let cases = [
        ("  ", T0, json!({})),
        ("ann", "yesterday", json!({})),
        ("ann", "2025-04-01T09:00:00+09:00", json!({})),
        ("ann", T0, huge),
    ];
    for (actor, now, doc) in cases {
        let err = store
            .put_record("contoso.com", None, &doc, actor, now)
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::InvalidInput(_)
                    | StoreError::InvalidTime { .. }
                    | StoreError::TooLarge { .. }
            ),
            "{err}"
        );
    }
    let mut deep = json!(1);
    for _ in 0..1_000 {
        deep = Value::Array(vec![deep]);
    }
    let err = store
        .put_record("contoso.com", None, &deep, "ann", T0)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("nested"), "{err}");
    assert!(store.list_records().await.unwrap().is_empty());
}

async fn rekeying_moves_the_record_and_keeps_its_history(f: Fixture) {
    let store = f.store;
    store
        .put_record(
            "contoso.com",
            None,
            &json!({"stage": "prospect"}),
            "ann",
            T0,
        )
        .await
        .unwrap();
    let id = "4b1c7f4e-0000-4000-8000-000000000001";
    let moved = store
        .rekey_record(
            "contoso.com",
            id,
            1,
            &json!({"stage": "accepted"}),
            "ann",
            T0,
        )
        .await
        .unwrap();
    assert_eq!((moved.key.as_str(), moved.version), (id, 2));
    assert_eq!(store.get_record("contoso.com").await.unwrap(), None);
    let log = store.changes(id, None, 10).await.unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(
        (log[0].key.as_str(), log[0].kind),
        ("contoso.com", ChangeKind::Created)
    );
    assert_eq!(
        (log[1].key.as_str(), log[1].kind),
        (id, ChangeKind::Rekeyed)
    );
    // Re-keying to another spelling of the same key is allowed.
    let respelled = store
        .rekey_record(id, &id.to_uppercase(), 2, &json!({}), "ann", T0)
        .await
        .unwrap();
    assert_eq!(respelled.version, 3);
    assert_eq!(
        store.get_record(id).await.unwrap().unwrap().key,
        id.to_uppercase()
    );
}

async fn rekeying_onto_an_existing_key_or_from_a_stale_version_is_refused(f: Fixture) {
    let store = f.store;
    seed(&store, &["contoso.com", "fabrikam.com"]).await;
    let err = store
        .rekey_record("contoso.com", "Fabrikam.com", 1, &json!({}), "ann", T0)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::AlreadyExists { .. }), "{err}");
    let err = store
        .rekey_record("contoso.com", "new-id", 7, &json!({}), "ann", T0)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    let err = store
        .rekey_record("nobody.example", "new-id", 1, &json!({}), "ann", T0)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
    assert_eq!(
        store
            .get_record("contoso.com")
            .await
            .unwrap()
            .unwrap()
            .version,
        1
    );
    assert_eq!(store.list_records().await.unwrap().len(), 2);
}

async fn settings_use_the_same_compare_and_swap(f: Fixture) {
    let store = f.store;
    assert_eq!(store.get_settings().await.unwrap(), None);
    let err = store
        .put_settings(Some(1), &json!({}), "ann", T0)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::InvalidInput(_)), "{err}");
    let first = store
        .put_settings(None, &json!({"partner": "Fabrikam"}), "ann", T0)
        .await
        .unwrap();
    assert_eq!(first.version, 1);
    store
        .put_settings(Some(1), &json!({"partner": "Fabrikam KK"}), "ann", T0)
        .await
        .unwrap();
    let err = store
        .put_settings(Some(1), &json!({"partner": "stale"}), "bob", T0)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::SettingsConflict { .. }), "{err}");
    assert!(
        err.to_string().starts_with("The settings were changed"),
        "{err}"
    );
    assert_eq!(
        store.get_settings().await.unwrap().unwrap().doc,
        json!({"partner": "Fabrikam KK"})
    );
    // The settings are not a migration record, even under the key "settings".
    assert!(store.list_records().await.unwrap().is_empty());
    store
        .put_record("settings", None, &json!({}), "ann", T0)
        .await
        .unwrap();
    assert_eq!(store.get_settings().await.unwrap().unwrap().version, 2);
}

// --- imports -----------------------------------------------------------------------------------

async fn an_import_creates_and_updates_in_one_step(f: Fixture) {
    let store = f.store;
    seed(&store, &["fabrikam.com"]).await;
    store
        .put_record(
            "fabrikam.com",
            Some(1),
            &json!({"name": "F", "n": 2}),
            "ann",
            T0,
        )
        .await
        .unwrap();
    let mut items: Vec<ImportItem> = (0..300)
        .map(|i| create(&format!("customer{i}.example")))
        .collect();
    items.push(update(
        "FABRIKAM.com",
        2,
        json!({"name": "Fabrikam", "n": 3}),
    ));
    let summary = store.import_records(&items, "bob", LATER).await.unwrap();
    assert_eq!((summary.created, summary.updated), (300, 1));
    assert_eq!(summary.records.len(), 301);
    assert_eq!(summary.records[0].key, "customer0.example");
    assert_eq!(summary.records[0].version, 1);
    let updated = summary.records.last().unwrap();
    // The stored spelling of the key stays; the version moves on from the one named.
    assert_eq!((updated.key.as_str(), updated.version), ("fabrikam.com", 3));
    assert_eq!(updated.updated_at, LATER);
    assert_eq!(store.list_records().await.unwrap().len(), 301);
    let log = store.changes("customer7.example", None, 10).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(
        (log[0].kind, log[0].actor.as_str()),
        (ChangeKind::Imported, "bob")
    );
    // The updated record keeps its history and gains an `imported` change.
    let log = store.changes("fabrikam.com", None, 10).await.unwrap();
    let kinds: Vec<ChangeKind> = log.iter().map(|c| c.kind).collect();
    assert_eq!(
        kinds,
        [
            ChangeKind::Created,
            ChangeKind::Updated,
            ChangeKind::Imported
        ]
    );
    assert_eq!(log[2].doc, json!({"name": "Fabrikam", "n": 3}));
    assert_eq!(
        store.get_record("fabrikam.com").await.unwrap().unwrap().doc,
        json!({"name": "Fabrikam", "n": 3})
    );
}

async fn an_import_with_one_existing_key_writes_nothing(f: Fixture) {
    let store = f.store;
    store
        .put_record("fabrikam.com", None, &json!({"keep": true}), "ann", T0)
        .await
        .unwrap();
    seed(&store, &["northwind.example"]).await;
    let items = vec![
        create("contoso.com"),
        create("FABRIKAM.com"),
        update("northwind.example", 1, json!({"changed": true})),
    ];
    let err = store.import_records(&items, "bob", T0).await.unwrap_err();
    let StoreError::ImportConflict { current, missing } = &err else {
        panic!("expected ImportConflict, got {err}");
    };
    assert_eq!(current.len(), 1);
    assert_eq!(
        (current[0].key.as_str(), current[0].version, &current[0].doc),
        ("fabrikam.com", 1, &json!({"keep": true}))
    );
    assert!(missing.is_empty());
    assert!(err.to_string().contains("Nothing was imported"), "{err}");
    assert!(err.to_string().contains("fabrikam.com"), "{err}");
    assert_eq!(store.get_record("contoso.com").await.unwrap(), None);
    let northwind = store
        .get_record("northwind.example")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        northwind.version, 1,
        "the valid update was not applied either"
    );
    assert_eq!(store.list_records().await.unwrap().len(), 2);
}

async fn an_import_with_a_stale_or_missing_update_writes_nothing(f: Fixture) {
    let store = f.store;
    seed(&store, &["a.example", "b.example"]).await;
    store
        .put_record(
            "b.example",
            Some(1),
            &json!({"name": "B", "v": 2}),
            "ann",
            T0,
        )
        .await
        .unwrap();
    let items = vec![
        create("new.example"),
        update("a.example", 1, json!({"fine": true})),
        update("b.example", 1, json!({"stale": true})),
        update("gone.example", 4, json!({})),
    ];
    let err = store.import_records(&items, "bob", T0).await.unwrap_err();
    let StoreError::ImportConflict { current, missing } = &err else {
        panic!("expected ImportConflict, got {err}");
    };
    let stale: Vec<(&str, u64)> = current
        .iter()
        .map(|c| (c.key.as_str(), c.version))
        .collect();
    assert_eq!(stale, [("b.example", 2)]);
    assert_eq!(current[0].doc, json!({"name": "B", "v": 2}));
    assert_eq!(missing, &["gone.example"]);
    assert!(err.to_string().contains("gone.example"), "{err}");
    assert_eq!(store.get_record("new.example").await.unwrap(), None);
    assert_eq!(
        store
            .get_record("a.example")
            .await
            .unwrap()
            .unwrap()
            .version,
        1
    );
    assert_eq!(store.changes("a.example", None, 10).await.unwrap().len(), 1);
}

async fn an_import_with_a_bad_or_repeated_key_writes_nothing(f: Fixture) {
    let store = f.store;
    seed(&store, &["fabrikam.com"]).await;
    let repeated = vec![
        create("contoso.com"),
        update("fabrikam.com", 1, json!({})),
        create("Contoso.com"),
    ];
    let err = store
        .import_records(&repeated, "ann", T0)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("Items 1 and 3"), "{err}");
    let bad = vec![create("contoso.com"), create("")];
    let err = store.import_records(&bad, "ann", T0).await.unwrap_err();
    assert!(
        err.to_string().starts_with("Item 2: The key is empty"),
        "{err}"
    );
    let err = store
        .import_records(&[create("contoso.com")], "", T0)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::InvalidInput(_)), "{err}");
    assert_eq!(store.list_records().await.unwrap().len(), 1);
    assert_eq!(
        store
            .get_record("fabrikam.com")
            .await
            .unwrap()
            .unwrap()
            .version,
        1
    );
}

async fn an_empty_import_writes_nothing(f: Fixture) {
    let store = f.store;
    let summary = store.import_records(&[], "ann", T0).await.unwrap();
    assert_eq!(
        (summary.created, summary.updated, summary.records.len()),
        (0, 0, 0)
    );
    assert_eq!(store.counts().await.unwrap().changes, 0);
}

async fn concurrent_imports_of_the_same_records_apply_once(f: Fixture) {
    let store = f.store;
    seed(&store, &["a.example", "b.example"]).await;
    // Eight imports, all based on version 1 of both records and each creating its own record.
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                let items = vec![
                    update("b.example", 1, json!({"by": i})),
                    create(&format!("new{i}.example")),
                    update("a.example", 1, json!({"by": i})),
                ];
                store.import_records(&items, "w", T0).await
            })
        })
        .collect();
    let mut winners = Vec::new();
    for (i, t) in tasks.into_iter().enumerate() {
        match t.await.unwrap() {
            Ok(summary) => {
                assert_eq!((summary.created, summary.updated), (1, 2));
                winners.push(i);
            }
            Err(StoreError::ImportConflict { current, .. }) => assert_eq!(current.len(), 2),
            Err(other) => panic!("unexpected error: {other}"),
        }
    }
    assert_eq!(winners.len(), 1, "exactly one import applies");
    let by = json!({"by": winners[0]});
    for key in ["a.example", "b.example"] {
        let r = store.get_record(key).await.unwrap().unwrap();
        assert_eq!((r.version, &r.doc), (2, &by));
    }
    assert_eq!(store.list_records().await.unwrap().len(), 3);
}

// --- the change log ----------------------------------------------------------------------------

async fn every_write_adds_one_change_with_actor_time_and_document(f: Fixture) {
    let store = f.store;
    store
        .put_record("contoso.com", None, &json!({"step": 1}), "ann", T0)
        .await
        .unwrap();
    store
        .put_record(
            "contoso.com",
            Some(1),
            &json!({"step": 2}),
            "bob",
            "2025-04-02T10:00:00Z",
        )
        .await
        .unwrap();
    let log = store.changes("contoso.com", None, 100).await.unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(
        (log[0].version, log[0].kind, log[0].actor.as_str()),
        (1, ChangeKind::Created, "ann")
    );
    assert_eq!(
        (log[1].version, log[1].kind, log[1].at.as_str()),
        (2, ChangeKind::Updated, "2025-04-02T10:00:00Z")
    );
    assert_eq!(log[1].doc, json!({"step": 2}));
}

async fn changes_page_by_version_and_limit(f: Fixture) {
    let store = f.store;
    store
        .put_record("contoso.com", None, &json!({"n": 1}), "ann", T0)
        .await
        .unwrap();
    for v in 1..10 {
        store
            .put_record("contoso.com", Some(v), &json!({"n": v + 1}), "ann", T0)
            .await
            .unwrap();
    }
    let page = store.changes("contoso.com", Some(3), 4).await.unwrap();
    let versions: Vec<u64> = page.iter().map(|c| c.version).collect();
    assert_eq!(versions, [4, 5, 6, 7]);
    let newest = store.changes("contoso.com", Some(10 - 3), 3).await.unwrap();
    assert_eq!(newest.last().unwrap().version, 10);
    assert!(
        store
            .changes("contoso.com", Some(u64::MAX), 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .changes("contoso.com", None, 0)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store
            .changes("contoso.com", None, usize::MAX)
            .await
            .unwrap()
            .len(),
        10.min(MAX_CHANGES_PAGE)
    );
}

async fn changes_of_an_unknown_record_are_not_found(f: Fixture) {
    let err = f
        .store
        .changes("nobody.example", None, 10)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
}

async fn settings_have_their_own_change_log(f: Fixture) {
    let store = f.store;
    assert!(store.settings_changes(None, 10).await.unwrap().is_empty());
    store
        .put_settings(None, &json!({"partner": "Fabrikam"}), "ann", T0)
        .await
        .unwrap();
    let log = store.settings_changes(None, 10).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].kind, ChangeKind::Created);
}

// --- share links -------------------------------------------------------------------------------

async fn a_token_has_256_random_bits_and_opens_only_its_record(f: Fixture) {
    let store = f.store;
    seed(&store, &["contoso.com", "fabrikam.com"]).await;
    let (link, token) = store
        .create_share_link("contoso.com", None, "ann", T0)
        .await
        .unwrap();
    let (_, other) = store
        .create_share_link("fabrikam.com", None, "ann", T0)
        .await
        .unwrap();
    assert_eq!(token.len(), 64);
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_ne!(token, other);
    assert_ne!(link.id, token);
    assert_eq!(
        store
            .resolve_share_token(&token, LATER)
            .await
            .unwrap()
            .as_deref(),
        Some("contoso.com")
    );
    assert_eq!(
        store
            .resolve_share_token(&other, LATER)
            .await
            .unwrap()
            .as_deref(),
        Some("fabrikam.com")
    );
    // A different spelling of the key finds the same record.
    let (_, third) = store
        .create_share_link("CONTOSO.com", None, "ann", T0)
        .await
        .unwrap();
    assert_eq!(
        store
            .resolve_share_token(&third, LATER)
            .await
            .unwrap()
            .as_deref(),
        Some("contoso.com")
    );
}

async fn listing_shows_links_without_tokens_and_records_last_use(f: Fixture) {
    let store = f.store;
    seed(&store, &["contoso.com", "fabrikam.com"]).await;
    assert!(
        store
            .list_share_links("contoso.com")
            .await
            .unwrap()
            .is_empty()
    );
    let (made, token) = store
        .create_share_link("contoso.com", Some("2025-05-01T00:00:00Z"), "ann", T0)
        .await
        .unwrap();
    let (second, _) = store
        .create_share_link("contoso.com", None, "ann", T0)
        .await
        .unwrap();
    store
        .create_share_link("fabrikam.com", None, "ann", T0)
        .await
        .unwrap();
    let links = store.list_share_links("contoso.com").await.unwrap();
    assert_eq!(
        links,
        vec![made.clone(), second],
        "oldest first, then in creation order"
    );
    assert_eq!(links[0].last_used_at, None);
    let listed = serde_json::to_string(&links).unwrap();
    assert!(!listed.contains(&token));

    store
        .resolve_share_token(&token, LATER)
        .await
        .unwrap()
        .unwrap();
    let used = &store.list_share_links("contoso.com").await.unwrap()[0];
    assert_eq!(used.last_used_at.as_deref(), Some(LATER));
    // Using it again in the same second writes nothing new; later uses move it on.
    store
        .resolve_share_token(&token, LATER)
        .await
        .unwrap()
        .unwrap();
    store
        .resolve_share_token(&token, "2025-04-03T00:00:00.5Z")
        .await
        .unwrap()
        .unwrap();
    let used = &store.list_share_links("contoso.com").await.unwrap()[0];
    assert_eq!(used.last_used_at.as_deref(), Some("2025-04-03T00:00:00Z"));
}

async fn revoked_links_stop_working_like_unknown_ones(f: Fixture) {
    let store = f.store;
    seed(&store, &["contoso.com", "fabrikam.com"]).await;
    let (link, token) = store
        .create_share_link("contoso.com", None, "ann", T0)
        .await
        .unwrap();
    // Another customer's key cannot revoke it.
    assert!(
        !store
            .revoke_share_link("fabrikam.com", &link.id, "ann", LATER)
            .await
            .unwrap()
    );
    assert!(
        store
            .resolve_share_token(&token, LATER)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .revoke_share_link("Contoso.COM", &link.id, "ann", LATER)
            .await
            .unwrap()
    );
    assert_eq!(
        store.resolve_share_token(&token, LATER).await.unwrap(),
        None
    );
    // Revoking again keeps the first time.
    assert!(
        store
            .revoke_share_link("contoso.com", &link.id, "ann", "2025-06-01T00:00:00Z")
            .await
            .unwrap()
    );
    let listed = &store.list_share_links("contoso.com").await.unwrap()[0];
    assert_eq!(listed.revoked_at.as_deref(), Some(LATER));
    assert!(
        !store
            .revoke_share_link("contoso.com", "no-such-link", "ann", LATER)
            .await
            .unwrap()
    );
    assert!(
        !store
            .revoke_share_link("nobody.example", &link.id, "ann", LATER)
            .await
            .unwrap()
    );
}

async fn links_expire_at_their_expiry_instant(f: Fixture) {
    let store = f.store;
    seed(&store, &["contoso.com"]).await;
    let expiry = "2025-04-10T00:00:00Z";
    let (_, token) = store
        .create_share_link("contoso.com", Some(expiry), "ann", T0)
        .await
        .unwrap();
    assert!(
        store
            .resolve_share_token(&token, "2025-04-09T23:59:59Z")
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(
        store.resolve_share_token(&token, expiry).await.unwrap(),
        None
    );
    assert_eq!(
        store
            .resolve_share_token(&token, "2026-01-01T00:00:00Z")
            .await
            .unwrap(),
        None
    );
}

async fn an_expiry_in_the_past_or_malformed_is_refused(f: Fixture) {
    let store = f.store;
    seed(&store, &["contoso.com"]).await;
    let err = store
        .create_share_link("contoso.com", Some(T0), "ann", T0)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("not in the future"), "{err}");
    let err = store
        .create_share_link("contoso.com", Some("next week"), "ann", T0)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::InvalidTime { .. }), "{err}");
    assert!(
        store
            .list_share_links("contoso.com")
            .await
            .unwrap()
            .is_empty()
    );
}

async fn malformed_truncated_and_guessed_tokens_resolve_to_nothing(f: Fixture) {
    let store = f.store;
    seed(&store, &["contoso.com"]).await;
    let (_, token) = store
        .create_share_link("contoso.com", None, "ann", T0)
        .await
        .unwrap();
    let mut flipped = token.clone().into_bytes();
    flipped[10] = if flipped[10] == b'0' { b'1' } else { b'0' };
    let flipped = String::from_utf8(flipped).unwrap();
    let huge = "a".repeat(1_000_000);
    let with_slash = format!("{}/", &token[..63]);
    let non_ascii = format!("{}é", &token[..62]);
    for bad in [
        "",
        &token[..63],
        &token[..32],
        &format!("{token}0"),
        &flipped,
        &"0".repeat(64),
        &"g".repeat(64),
        &with_slash,
        &non_ascii,
        &huge,
        "../../etc/passwd",
    ] {
        assert_eq!(store.resolve_share_token(bad, LATER).await.unwrap(), None);
    }
}

async fn links_follow_a_record_when_it_is_rekeyed(f: Fixture) {
    let store = f.store;
    seed(&store, &["contoso.com"]).await;
    let (_, token) = store
        .create_share_link("contoso.com", None, "ann", T0)
        .await
        .unwrap();
    let id = "4b1c7f4e-0000-4000-8000-000000000001";
    store
        .rekey_record("contoso.com", id, 1, &json!({}), "ann", LATER)
        .await
        .unwrap();
    assert_eq!(
        store
            .resolve_share_token(&token, LATER)
            .await
            .unwrap()
            .as_deref(),
        Some(id)
    );
    assert_eq!(store.list_share_links(id).await.unwrap().len(), 1);
}

async fn a_link_for_an_unknown_record_is_refused(f: Fixture) {
    let store = f.store;
    let err = store
        .create_share_link("nobody.example", None, "ann", T0)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
    let err = store.list_share_links("nobody.example").await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
}

// --- the whole store ---------------------------------------------------------------------------

async fn counts_cover_every_table(f: Fixture) {
    let store = f.store;
    seed(&store, &["a.example", "b.example"]).await;
    store
        .put_record("a.example", Some(1), &json!({}), "ann", T0)
        .await
        .unwrap();
    store
        .put_settings(None, &json!({}), "ann", T0)
        .await
        .unwrap();
    store
        .create_share_link("a.example", None, "ann", T0)
        .await
        .unwrap();
    let counts = store.counts().await.unwrap();
    assert_eq!(
        (
            counts.records,
            counts.settings,
            counts.changes,
            counts.share_links,
            counts.version_sum
        ),
        (2, 1, 4, 1, 4)
    );
    store.ping().await.unwrap();
}

async fn two_handles_on_one_store_see_each_others_writes(f: Fixture) {
    // Stands in for a second proxy instance on the same database.
    let a = f.store;
    let b = Store::open(&f.location).await.unwrap();
    a.put_record("contoso.com", None, &json!({"by": "a"}), "ann", T0)
        .await
        .unwrap();
    let err = b
        .put_record("contoso.com", None, &json!({}), "bob", T0)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    let seen = b.get_record("contoso.com").await.unwrap().unwrap();
    assert_eq!((seen.version, &seen.doc), (1, &json!({"by": "a"})));
    let (_, token) = a
        .create_share_link("contoso.com", None, "ann", T0)
        .await
        .unwrap();
    assert!(
        b.resolve_share_token(&token, LATER)
            .await
            .unwrap()
            .is_some()
    );
    let written: HashSet<u64> = [
        a.put_record("contoso.com", Some(1), &json!({}), "ann", T0)
            .await,
        b.put_record("contoso.com", Some(1), &json!({}), "bob", T0)
            .await,
    ]
    .into_iter()
    .filter_map(Result::ok)
    .map(|v| v.version)
    .collect();
    assert_eq!(
        written,
        HashSet::from([2]),
        "one of two stale-racing writes wins"
    );
    b.close();
}
