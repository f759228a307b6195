//! The outbox, e-mail subscribers and calendar links (issue 17), on every backend.
use std::collections::HashSet;

use cutover_proxy::store::{
    ImportItem, MessageKind, NewMessage, NewSubscriber, Outcome, Store, Subscribed,
};
use serde_json::json;

use super::{Case, Fixture, T0};

macro_rules! cases {
    ($($name:ident),* $(,)?) => {
        /// Every outbox case, by name.
        pub fn all() -> Vec<(&'static str, Case)> {
            vec![$((stringify!($name), (|f| Box::pin($name(f))) as Case)),*]
        }
    };
}

cases!(
    every_record_write_queues_its_event_in_the_same_transaction,
    messages_are_enqueued_once_per_deduplication_id,
    a_claim_holds_a_message_until_its_lease_ends,
    outcomes_settle_messages_and_retries_wait_their_turn,
    concurrent_claims_never_take_the_same_message,
    completing_an_event_adds_its_messages_and_settles_it_once,
    subscribing_queues_the_confirmation_with_the_subscription,
    unsubscribing_deletes_the_address_and_its_waiting_mails,
    confirmed_subscribers_are_mail_targets_until_the_link_is_revoked,
    expired_links_lose_their_subscribers,
    a_link_has_a_limited_number_of_subscribers,
    share_links_remember_their_language,
    calendar_links_work_until_revoked,
);

const T1: &str = "2025-04-01T09:00:01Z";
const T5: &str = "2025-04-01T09:00:05Z";
const T10: &str = "2025-04-01T09:00:10Z";
const T60: &str = "2025-04-01T09:01:00Z";
const T61: &str = "2025-04-01T09:01:01Z";

fn webhook(id: &str) -> NewMessage {
    NewMessage {
        dedup_id: id.to_owned(),
        kind: MessageKind::Webhook,
        subscriber_id: None,
        payload: json!({"id": id}),
    }
}

async fn ids(store: &Store) -> Vec<String> {
    store
        .outbox_ids()
        .await
        .unwrap()
        .into_iter()
        .map(|(id, _)| id)
        .collect()
}

async fn linked(store: &Store, key: &str) -> (String, String) {
    store
        .put_record(key, None, &json!({"name": key}), "ann", T0)
        .await
        .unwrap();
    let (link, token) = store
        .create_share_link_in(key, None, Some("ja"), "ann", T0)
        .await
        .unwrap();
    (link.id, token)
}

fn subscriber(link: &str, n: u32, address: &str) -> (NewSubscriber, NewMessage) {
    let id = format!("{n:032x}");
    let token = format!("{n:064x}");
    (
        NewSubscriber {
            id: id.clone(),
            token,
            link_id: link.to_owned(),
            address: address.to_owned(),
            lang: "ja".into(),
        },
        NewMessage {
            dedup_id: format!("confirm:{id}"),
            kind: MessageKind::Mail,
            subscriber_id: Some(id),
            payload: json!({"type": "confirmation"}),
        },
    )
}

async fn every_record_write_queues_its_event_in_the_same_transaction(f: Fixture) {
    let store = f.store;
    store
        .put_record("contoso.com", None, &json!({"n": 1}), "ann", T0)
        .await
        .unwrap();
    store
        .put_record("contoso.com", Some(1), &json!({"n": 2}), "ann", T0)
        .await
        .unwrap();
    // A refused write queues nothing: its transaction wrote nothing.
    store
        .put_record("contoso.com", Some(1), &json!({"n": 9}), "bob", T0)
        .await
        .unwrap_err();
    store
        .import_records(
            &[
                ImportItem {
                    key: "fabrikam.com".into(),
                    expected: None,
                    doc: json!({}),
                },
                ImportItem {
                    key: "contoso.com".into(),
                    expected: Some(2),
                    doc: json!({"n": 3}),
                },
            ],
            "ann",
            T0,
        )
        .await
        .unwrap();
    store
        .rekey_record("fabrikam.com", "guid-1", 1, &json!({}), "ann", T0)
        .await
        .unwrap();
    // Settings are not a customer's record: no event.
    store
        .put_settings(None, &json!({}), "ann", T0)
        .await
        .unwrap();
    let all = ids(&store).await;
    assert_eq!(all.len(), 5, "{all:?}");
    assert!(all.iter().all(|id| id.starts_with("change:")));
    let claimed = store.claim_due(T0, T60, 10).await.unwrap();
    let rekeyed = claimed.last().unwrap();
    assert_eq!(rekeyed.kind, MessageKind::RecordChange);
    assert_eq!(rekeyed.record_key.as_deref(), Some("guid-1"));
    assert_eq!(rekeyed.payload["kind"], "rekeyed");
    assert_eq!(rekeyed.payload["version"], 2);
    // Events name the record by its key now: the imported one follows the re-keying.
    assert_eq!(claimed[0].record_key.as_deref(), Some("contoso.com"));
    assert_eq!(claimed[2].record_key.as_deref(), Some("guid-1"));
}

async fn messages_are_enqueued_once_per_deduplication_id(f: Fixture) {
    let store = f.store;
    let added = store
        .enqueue(vec![webhook("a"), webhook("b"), webhook("a")], T0)
        .await
        .unwrap();
    assert_eq!(added, 2);
    assert_eq!(store.enqueue(vec![webhook("b")], T1).await.unwrap(), 0);
    // Even once sent, the id stays taken.
    for m in store.claim_due(T1, T60, 10).await.unwrap() {
        store.finish(m.id, Outcome::Sent, T1).await.unwrap();
    }
    assert_eq!(store.enqueue(vec![webhook("a")], T5).await.unwrap(), 0);
    assert_eq!(ids(&store).await, ["a", "b"]);
    let err = store.enqueue(vec![webhook("")], T5).await.unwrap_err();
    assert!(err.to_string().contains("deduplication id"), "{err}");
}

async fn a_claim_holds_a_message_until_its_lease_ends(f: Fixture) {
    let store = f.store;
    store
        .enqueue(vec![webhook("a"), webhook("b"), webhook("c")], T0)
        .await
        .unwrap();
    let first = store.claim_due(T0, T60, 10).await.unwrap();
    assert_eq!(first.len(), 3);
    assert!(first.iter().all(|m| m.attempts == 1));
    assert!(store.claim_due(T1, T61, 10).await.unwrap().is_empty());
    // The worker died (kill -9): after the lease every message is claimed again.
    let again = store.claim_due(T60, T61, 2).await.unwrap();
    assert_eq!(
        again
            .iter()
            .map(|m| m.dedup_id.as_str())
            .collect::<Vec<_>>(),
        ["a", "b"]
    );
    assert!(again.iter().all(|m| m.attempts == 2));
    assert_eq!(store.outbox_counts().await.unwrap().pending, 3);
}

async fn outcomes_settle_messages_and_retries_wait_their_turn(f: Fixture) {
    let store = f.store;
    store
        .enqueue(vec![webhook("a"), webhook("b"), webhook("c")], T0)
        .await
        .unwrap();
    let claimed = store.claim_due(T0, T60, 10).await.unwrap();
    store
        .finish(claimed[0].id, Outcome::Sent, T1)
        .await
        .unwrap();
    store
        .finish(
            claimed[1].id,
            Outcome::Retry {
                at: T10.into(),
                error: "the endpoint answered 503".into(),
            },
            T1,
        )
        .await
        .unwrap();
    store
        .finish(
            claimed[2].id,
            Outcome::Failed {
                error: "given up".into(),
            },
            T1,
        )
        .await
        .unwrap();
    let counts = store.outbox_counts().await.unwrap();
    assert_eq!((counts.pending, counts.sent, counts.failed), (1, 1, 1));
    assert!(store.claim_due(T5, T60, 10).await.unwrap().is_empty());
    let retried = store.claim_due(T10, T60, 10).await.unwrap();
    assert_eq!(retried.len(), 1);
    assert_eq!(
        (retried[0].dedup_id.as_str(), retried[0].attempts),
        ("b", 2)
    );
    // A sent message keeps its id but not its content.
    store
        .finish(retried[0].id, Outcome::Sent, T10)
        .await
        .unwrap();
    assert_eq!(store.prune_outbox(T5).await.unwrap(), 2);
    assert_eq!(ids(&store).await, ["b"]);
}

async fn concurrent_claims_never_take_the_same_message(f: Fixture) {
    let store = f.store;
    let all: Vec<NewMessage> = (0..60).map(|i| webhook(&format!("m{i}"))).collect();
    store.enqueue(all, T0).await.unwrap();
    let other = Store::open(&f.location).await.unwrap();
    let tasks: Vec<_> = (0..6)
        .map(|i| {
            let s = if i % 2 == 0 {
                store.clone()
            } else {
                other.clone()
            };
            tokio::spawn(async move {
                let mut mine = Vec::new();
                loop {
                    let got = s.claim_due(T0, T60, 7).await.unwrap();
                    if got.is_empty() {
                        return mine;
                    }
                    mine.extend(got.into_iter().map(|m| m.dedup_id));
                }
            })
        })
        .collect();
    let mut seen = HashSet::new();
    let mut total = 0;
    for t in tasks {
        for id in t.await.unwrap() {
            total += 1;
            assert!(seen.insert(id.clone()), "{id} was claimed twice");
        }
    }
    assert_eq!((total, seen.len()), (60, 60));
}

async fn completing_an_event_adds_its_messages_and_settles_it_once(f: Fixture) {
    let store = f.store;
    store
        .put_record("contoso.com", None, &json!({}), "ann", T0)
        .await
        .unwrap();
    let event = store.claim_due(T0, T60, 1).await.unwrap().remove(0);
    let added = store
        .complete_event(event.id, vec![webhook("w1"), webhook("w2")], T1)
        .await
        .unwrap();
    assert_eq!(added, 2);
    // Expanding again (a crash before the worker learned of it) adds nothing new.
    let again = store
        .complete_event(event.id, vec![webhook("w1"), webhook("w2")], T1)
        .await
        .unwrap();
    assert_eq!(again, 0);
    let counts = store.outbox_counts().await.unwrap();
    assert_eq!((counts.pending, counts.sent), (2, 1));
}

async fn subscribing_queues_the_confirmation_with_the_subscription(f: Fixture) {
    let store = f.store;
    let (link, _) = linked(&store, "contoso.com").await;
    let (new, mail) = subscriber(&link, 1, "IT@Contoso.example");
    assert_eq!(
        store.subscribe(new, mail, T0).await.unwrap(),
        Subscribed::ConfirmationQueued
    );
    let listed = store.list_subscribers("contoso.com").await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].address.as_str(), listed[0].lang.as_str()),
        ("IT@Contoso.example", "ja")
    );
    assert_eq!(listed[0].confirmed_at, None);
    let claimed = store.claim_due(T0, T60, 10).await.unwrap();
    let mail = claimed
        .iter()
        .find(|m| m.kind == MessageKind::Mail)
        .expect("the confirmation is queued");
    let to = mail.recipient.as_ref().unwrap();
    assert_eq!(
        (to.address.as_str(), to.confirmed),
        ("IT@Contoso.example", false)
    );
    // Asking again (another case of the address) while unconfirmed sends a new confirmation
    // for the same subscription.
    let (again, mail2) = subscriber(&link, 2, "it@contoso.EXAMPLE");
    assert_eq!(
        store.subscribe(again, mail2, T1).await.unwrap(),
        Subscribed::ConfirmationQueued
    );
    let listed = store.list_subscribers("contoso.com").await.unwrap();
    assert_eq!(listed.len(), 1);
    let resent = store.claim_due(T1, T60, 10).await.unwrap();
    assert_eq!(resent.len(), 1);
    assert_eq!(resent[0].dedup_id, format!("confirm:{:032x}", 2));
    assert!(
        resent[0].recipient.is_some(),
        "it goes to the same subscriber"
    );
    // Only the newest token works.
    assert_eq!(
        store
            .confirm_subscriber(&format!("{:064x}", 1), T1)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .confirm_subscriber(&format!("{:064x}", 2), T1)
            .await
            .unwrap()
            .as_deref(),
        Some("ja")
    );
}

async fn unsubscribing_deletes_the_address_and_its_waiting_mails(f: Fixture) {
    let store = f.store;
    let (link, _) = linked(&store, "contoso.com").await;
    let (new, mail) = subscriber(&link, 1, "it@contoso.example");
    store.subscribe(new, mail, T0).await.unwrap();
    let token = format!("{:064x}", 1);
    assert_eq!(
        store.subscriber_lang(&token).await.unwrap().as_deref(),
        Some("ja")
    );
    assert_eq!(
        store.unsubscribe(&token).await.unwrap().as_deref(),
        Some("ja")
    );
    assert!(
        store
            .list_subscribers("contoso.com")
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.outbox_counts().await.unwrap().pending,
        1,
        "only the record's event"
    );
    assert_eq!(
        store.unsubscribe(&token).await.unwrap(),
        None,
        "twice is harmless"
    );
    assert_eq!(store.unsubscribe("not-a-token").await.unwrap(), None);
    // The partner removes a subscriber the same way.
    let (new, mail) = subscriber(&link, 3, "ops@contoso.example");
    store.subscribe(new, mail, T0).await.unwrap();
    let id = format!("{:032x}", 3);
    assert!(!store.remove_subscriber("other.example", &id).await.unwrap());
    assert!(store.remove_subscriber("CONTOSO.com", &id).await.unwrap());
    assert!(
        store
            .list_subscribers("contoso.com")
            .await
            .unwrap()
            .is_empty()
    );
}

async fn confirmed_subscribers_are_mail_targets_until_the_link_is_revoked(f: Fixture) {
    let store = f.store;
    let (link, _) = linked(&store, "contoso.com").await;
    let (other_link, _) = linked(&store, "fabrikam.com").await;
    for (n, l, a) in [
        (1, &link, "a@x.example"),
        (2, &link, "b@x.example"),
        (3, &other_link, "c@x.example"),
    ] {
        let (new, mail) = subscriber(l, n, a);
        store.subscribe(new, mail, T0).await.unwrap();
    }
    for n in [1, 3] {
        store
            .confirm_subscriber(&format!("{n:064x}"), T1)
            .await
            .unwrap()
            .unwrap();
    }
    let targets = store.mail_targets(Some("CONTOSO.COM"), T1).await.unwrap();
    assert_eq!(targets.len(), 1, "b has not confirmed");
    assert_eq!(
        (targets[0].id.as_str(), targets[0].record_key.as_str()),
        (format!("{:032x}", 1).as_str(), "contoso.com")
    );
    assert_eq!(store.mail_targets(None, T1).await.unwrap().len(), 2);
    let (again, mail) = subscriber(&link, 9, "A@x.example");
    assert_eq!(
        store.subscribe(again, mail, T1).await.unwrap(),
        Subscribed::AlreadyConfirmed
    );
    assert!(
        store
            .revoke_share_link("contoso.com", &link, "ann", T5)
            .await
            .unwrap()
    );
    assert!(
        store
            .list_subscribers("contoso.com")
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .mail_targets(Some("contoso.com"), T5)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.mail_targets(None, T5).await.unwrap().len(), 1);
    let (late, mail) = subscriber(&link, 10, "late@x.example");
    assert!(
        store.subscribe(late, mail, T10).await.is_err(),
        "a revoked link takes no subscribers"
    );
}

async fn expired_links_lose_their_subscribers(f: Fixture) {
    let store = f.store;
    store
        .put_record("contoso.com", None, &json!({}), "ann", T0)
        .await
        .unwrap();
    let (link, _) = store
        .create_share_link("contoso.com", Some(T10), "ann", T0)
        .await
        .unwrap();
    let (new, mail) = subscriber(&link.id, 1, "a@x.example");
    store.subscribe(new, mail, T0).await.unwrap();
    store
        .confirm_subscriber(&format!("{:064x}", 1), T1)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(store.forget_expired(T5).await.unwrap(), 0);
    assert!(
        store.mail_targets(None, T10).await.unwrap().is_empty(),
        "expired at T10"
    );
    // A mail claimed after the expiry has nobody to go to.
    store
        .enqueue(
            vec![NewMessage {
                dedup_id: "late".into(),
                kind: MessageKind::Mail,
                subscriber_id: Some(format!("{:032x}", 1)),
                payload: json!({}),
            }],
            T10,
        )
        .await
        .unwrap();
    let late = store.claim_due(T10, T60, 10).await.unwrap();
    let late = late.iter().find(|m| m.dedup_id == "late").unwrap();
    assert_eq!(late.recipient, None);
    assert_eq!(store.forget_expired(T10).await.unwrap(), 1);
    assert!(
        store
            .list_subscribers("contoso.com")
            .await
            .unwrap()
            .is_empty()
    );
}

async fn a_link_has_a_limited_number_of_subscribers(f: Fixture) {
    let store = f.store;
    let (link, _) = linked(&store, "contoso.com").await;
    let max = cutover_proxy::store::subscribers::MAX_PER_LINK as u32;
    for n in 0..max {
        let (new, mail) = subscriber(&link, n + 1, &format!("u{n}@x.example"));
        assert_eq!(
            store.subscribe(new, mail, T0).await.unwrap(),
            Subscribed::ConfirmationQueued
        );
    }
    let (one_more, mail) = subscriber(&link, max + 1, "more@x.example");
    assert_eq!(
        store.subscribe(one_more, mail, T0).await.unwrap(),
        Subscribed::LinkFull
    );
}

async fn share_links_remember_their_language(f: Fixture) {
    let store = f.store;
    let (ja, _) = linked(&store, "contoso.com").await;
    let (plain, _) = store
        .create_share_link("contoso.com", None, "ann", T0)
        .await
        .unwrap();
    assert_eq!(
        store.share_link_lang(&ja).await.unwrap().as_deref(),
        Some("ja")
    );
    assert_eq!(store.share_link_lang(&plain.id).await.unwrap(), None);
    let err = store
        .create_share_link_in("contoso.com", None, Some("fr"), "ann", T0)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("Japanese"), "{err}");
}

async fn calendar_links_work_until_revoked(f: Fixture) {
    let store = f.store;
    let (link, token) = store
        .create_calendar_link("Ann's Outlook", "ja", T0)
        .await
        .unwrap();
    assert_eq!(token.len(), 64);
    let opened = store
        .resolve_calendar_token(&token, T1)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (opened.id.as_str(), opened.lang.as_str()),
        (link.id.as_str(), "ja")
    );
    assert_eq!(opened.last_used_at.as_deref(), Some(T1));
    assert!(
        store
            .resolve_calendar_token(&token[..63], T1)
            .await
            .unwrap()
            .is_none()
    );
    let listed = store.list_calendar_links().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert!(!serde_json::to_string(&listed).unwrap().contains(&token));
    assert!(store.revoke_calendar_link(&link.id, T5).await.unwrap());
    assert!(
        store
            .resolve_calendar_token(&token, T10)
            .await
            .unwrap()
            .is_none()
    );
    assert!(!store.revoke_calendar_link("nope", T5).await.unwrap());
    let err = store.create_calendar_link("x", "fr", T0).await.unwrap_err();
    assert!(err.to_string().contains("Japanese"), "{err}");
}
