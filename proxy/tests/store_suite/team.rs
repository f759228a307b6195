//! Team use in the store, on every backend: sign-ins under way, sessions, people and roles, the
//! event log, history reads and order approvals.
use cutover_plan::roles::Role;
use cutover_proxy::store::{EventKind, PendingSignIn, SignIn, StoreError};
use serde_json::json;

use super::{Case, Fixture, T0};

const LATER: &str = "2025-04-01T10:00:00Z";
const MUCH_LATER: &str = "2025-04-02T09:00:00Z";

macro_rules! cases {
    ($($name:ident),* $(,)?) => {
        /// Every team case, by name.
        pub fn all() -> Vec<(&'static str, Case)> {
            vec![$((stringify!($name), (|f| Box::pin($name(f))) as Case)),*]
        }
    };
}

cases!(
    a_sign_in_under_way_is_taken_once_and_not_after_it_expires,
    a_session_finds_its_person_until_it_expires_or_ends,
    signing_in_again_refreshes_the_person_and_keeps_the_given_role,
    roles_are_given_to_people_who_signed_in_and_logged,
    share_links_made_and_revoked_are_logged_with_who_did_it,
    a_records_history_has_every_version_with_the_one_before_and_its_events,
    activity_reads_a_window_of_changes_and_events,
    an_approval_needs_a_second_person_and_keeps_the_first,
    counts_include_people_events_and_approvals,
);

fn pending(nonce: &str) -> PendingSignIn {
    PendingSignIn {
        nonce: nonce.into(),
        code_verifier: format!("verifier-{nonce}"),
        redirect_uri: "http://127.0.0.1:8080/api/auth/callback".into(),
        return_to: "/customers/x".into(),
    }
}

fn who(subject: &str, email: &str, group_role: Option<Role>) -> SignIn {
    SignIn {
        subject: subject.into(),
        name: format!("Name of {email}"),
        email: email.into(),
        group_role,
    }
}

async fn a_sign_in_under_way_is_taken_once_and_not_after_it_expires(f: Fixture) {
    let s = f.store;
    s.begin_sign_in("state-1", &pending("n1"), T0, LATER)
        .await
        .unwrap();
    s.begin_sign_in("state-2", &pending("n2"), T0, LATER)
        .await
        .unwrap();
    assert_eq!(s.take_sign_in("state-unknown", T0).await.unwrap(), None);
    let taken = s.take_sign_in("state-1", T0).await.unwrap();
    assert_eq!(taken, Some(pending("n1")));
    assert_eq!(
        s.take_sign_in("state-1", T0).await.unwrap(),
        None,
        "a replayed state finds nothing"
    );
    assert_eq!(
        s.take_sign_in("state-2", LATER).await.unwrap(),
        None,
        "expired at its expiry instant"
    );
    assert!(matches!(
        s.begin_sign_in("state-3", &pending("n3"), "soon", LATER)
            .await
            .unwrap_err(),
        StoreError::InvalidTime { .. }
    ));
}

async fn a_session_finds_its_person_until_it_expires_or_ends(f: Fixture) {
    let s = f.store;
    let p = s
        .sign_in(
            &who("oid-1", "ann@partner.example", Some(Role::Editor)),
            "token-a",
            T0,
            LATER,
        )
        .await
        .unwrap();
    assert_eq!(p.email, "ann@partner.example");
    assert_eq!(p.group_role, Some(Role::Editor));
    assert_eq!(p.assigned, None);
    s.sign_in(
        &who("oid-1", "ann@partner.example", Some(Role::Editor)),
        "token-b",
        T0,
        MUCH_LATER,
    )
    .await
    .unwrap();
    let found = s.session("token-a", T0).await.unwrap().unwrap();
    assert_eq!(found.subject, "oid-1");
    assert_eq!(s.session("token-forged", T0).await.unwrap(), None);
    assert_eq!(s.session("token-a", LATER).await.unwrap(), None, "expired");
    s.end_session("token-b").await.unwrap();
    assert_eq!(s.session("token-b", T0).await.unwrap(), None, "signed out");
    s.end_session("token-never-issued").await.unwrap();
    let err = s
        .sign_in(&who("", "x@y", None), "t", T0, LATER)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::InvalidInput(_)), "{err}");
}

async fn signing_in_again_refreshes_the_person_and_keeps_the_given_role(f: Fixture) {
    let s = f.store;
    s.sign_in(&who("oid-1", "ann@old.example", None), "t1", T0, LATER)
        .await
        .unwrap();
    s.set_role("oid-1", Some(Role::Orderer), "ada@partner.example", T0)
        .await
        .unwrap();
    let again = s
        .sign_in(
            &who("oid-1", "ann@new.example", Some(Role::Viewer)),
            "t2",
            LATER,
            MUCH_LATER,
        )
        .await
        .unwrap();
    assert_eq!(again.email, "ann@new.example");
    assert_eq!(again.group_role, Some(Role::Viewer));
    assert_eq!(again.assigned, Some(Role::Orderer));
    assert_eq!(again.first_seen_at, T0);
    assert_eq!(again.last_seen_at, LATER);
    assert_eq!(s.people().await.unwrap(), vec![again]);
}

async fn roles_are_given_to_people_who_signed_in_and_logged(f: Fixture) {
    let s = f.store;
    s.sign_in(&who("oid-2", "bob@partner.example", None), "t", T0, LATER)
        .await
        .unwrap();
    let err = s
        .set_role("oid-nobody", Some(Role::Admin), "ada", T0)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("signed in"), "{err}");
    let (old, p) = s
        .set_role("oid-2", Some(Role::Editor), "ada@partner.example", T0)
        .await
        .unwrap();
    assert_eq!((old, p.assigned), (None, Some(Role::Editor)));
    // The same role again changes nothing and logs nothing.
    s.set_role("oid-2", Some(Role::Editor), "ada@partner.example", LATER)
        .await
        .unwrap();
    let (old, p) = s
        .set_role("oid-2", None, "ada@partner.example", LATER)
        .await
        .unwrap();
    assert_eq!((old, p.assigned), (Some(Role::Editor), None));
    let a = s.activity(T0, MUCH_LATER, 100).await.unwrap();
    let roles: Vec<_> = a
        .events
        .iter()
        .map(|e| {
            (
                e.kind,
                e.actor.as_str(),
                e.subject.as_str(),
                e.detail["old"].clone(),
                e.detail["new"].clone(),
            )
        })
        .collect();
    assert_eq!(
        roles,
        vec![
            (
                EventKind::RoleChanged,
                "ada@partner.example",
                "oid-2",
                json!(null),
                json!("editor")
            ),
            (
                EventKind::RoleChanged,
                "ada@partner.example",
                "oid-2",
                json!("editor"),
                json!(null)
            ),
        ]
    );
}

async fn share_links_made_and_revoked_are_logged_with_who_did_it(f: Fixture) {
    let s = f.store;
    s.put_record("contoso.com", None, &json!({"n": 1}), "ann", T0)
        .await
        .unwrap();
    let (link, token) = s
        .create_share_link("contoso.com", Some(MUCH_LATER), "ann", T0)
        .await
        .unwrap();
    assert!(
        s.revoke_share_link("contoso.com", &link.id, "bob", LATER)
            .await
            .unwrap()
    );
    assert!(
        s.revoke_share_link("contoso.com", &link.id, "eve", MUCH_LATER)
            .await
            .unwrap(),
        "revoking again still says the link is revoked"
    );
    let h = s.record_activity("contoso.com", 100).await.unwrap();
    let events: Vec<_> = h
        .events
        .iter()
        .map(|e| {
            (
                e.kind,
                e.actor.as_str(),
                e.subject.as_str(),
                e.key.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        events,
        vec![
            (
                EventKind::ShareLinkCreated,
                "ann",
                link.id.as_str(),
                Some("contoso.com")
            ),
            (
                EventKind::ShareLinkRevoked,
                "bob",
                link.id.as_str(),
                Some("contoso.com")
            ),
        ],
        "the second revocation is not logged: the first stands"
    );
    assert_eq!(h.events[0].detail["expiresAt"], MUCH_LATER);
    let text =
        serde_json::to_string(&h.events.iter().map(|e| &e.detail).collect::<Vec<_>>()).unwrap();
    assert!(!text.contains(&token), "the token never reaches the log");
}

async fn a_records_history_has_every_version_with_the_one_before_and_its_events(f: Fixture) {
    let s = f.store;
    s.put_record("contoso.com", None, &json!({"n": 1}), "ann", T0)
        .await
        .unwrap();
    s.put_record("contoso.com", Some(1), &json!({"n": 2}), "bob", LATER)
        .await
        .unwrap();
    s.rekey_record("contoso.com", "4b1c7f4e", 2, &json!({"n": 3}), "ann", LATER)
        .await
        .unwrap();
    s.put_record("fabrikam.com", None, &json!({"n": 9}), "eve", LATER)
        .await
        .unwrap();
    let h = s.record_activity("4B1C7F4E", 100).await.unwrap();
    let got: Vec<_> = h
        .changes
        .iter()
        .map(|c| {
            (
                c.change.version,
                c.change.actor.as_str(),
                c.change.key.as_str(),
                c.change.doc["n"].clone(),
                c.previous.as_ref().map(|p| p["n"].clone()),
                c.settings,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (1, "ann", "contoso.com", json!(1), None, false),
            (2, "bob", "contoso.com", json!(2), Some(json!(1)), false),
            (3, "ann", "4b1c7f4e", json!(3), Some(json!(2)), false),
        ]
    );
    assert!(!h.truncated);
    let newest_two = s.record_activity("4b1c7f4e", 2).await.unwrap();
    assert!(newest_two.truncated);
    assert_eq!(
        newest_two
            .changes
            .iter()
            .map(|c| c.change.version)
            .collect::<Vec<_>>(),
        vec![2, 3]
    );
    assert_eq!(
        newest_two.changes[0]
            .previous
            .as_ref()
            .map(|p| p["n"].clone()),
        Some(json!(1)),
        "the oldest version read still has the one before it"
    );
    assert!(matches!(
        s.record_activity("nobody.example", 10).await.unwrap_err(),
        StoreError::NotFound { .. }
    ));
}

async fn activity_reads_a_window_of_changes_and_events(f: Fixture) {
    let s = f.store;
    s.put_record("a.example", None, &json!({"n": 1}), "ann", T0)
        .await
        .unwrap();
    s.put_settings(None, &json!({"x": 1}), "ada", LATER)
        .await
        .unwrap();
    s.put_record("b.example", None, &json!({"n": 1}), "bob", MUCH_LATER)
        .await
        .unwrap();
    s.create_share_link("a.example", None, "ann", LATER)
        .await
        .unwrap();
    let a = s.activity(T0, MUCH_LATER, 100).await.unwrap();
    let keys: Vec<_> = a
        .changes
        .iter()
        .map(|c| (c.change.key.as_str(), c.settings))
        .collect();
    assert_eq!(
        keys,
        vec![("a.example", false), ("settings", true)],
        "from inclusive, to exclusive"
    );
    assert_eq!(a.events.len(), 1);
    assert_eq!(a.events[0].key.as_deref(), Some("a.example"));
    let one = s.activity(T0, "2030-01-01T00:00:00Z", 1).await.unwrap();
    assert!(one.truncated);
    assert_eq!(one.changes.len(), 1);
    assert_eq!(
        one.changes[0].change.key, "b.example",
        "the newest are kept"
    );
    assert!(matches!(
        s.activity("yesterday", T0, 10).await.unwrap_err(),
        StoreError::InvalidTime { .. }
    ));
}

async fn an_approval_needs_a_second_person_and_keeps_the_first(f: Fixture) {
    let s = f.store;
    let rid = "5F0C7A52-9B8E-4D7E-8F0A-1B2C3D4E5F60";
    let lines =
        json!([{"offerId": "CFQ7TTC0LF8R:0001", "offerName": "Office 365 E3", "quantity": 300}]);
    s.put_record("4b1c7f4e", None, &json!({"n": 1}), "olga", T0)
        .await
        .unwrap();
    let asked = s
        .request_approval(rid, "4b1c7f4e", "Contoso", &lines, 300, "olga", T0)
        .await
        .unwrap();
    assert_eq!(asked.request_id, rid.to_lowercase());
    assert_eq!(asked.approved_by, None);
    // Asking again for the same order changes nothing; for other lines it is refused.
    let again = s
        .request_approval(rid, "4b1c7f4e", "Contoso", &lines, 300, "olga", LATER)
        .await
        .unwrap();
    assert_eq!(again.requested_at, T0);
    let other = json!([{"offerId": "CFQ7TTC0LF8R:0001", "quantity": 3000}]);
    assert!(
        s.request_approval(rid, "4b1c7f4e", "Contoso", &other, 3000, "olga", LATER)
            .await
            .is_err()
    );
    let own = s.approve(rid, "OLGA", LATER).await.unwrap_err();
    assert!(matches!(own, StoreError::Forbidden(_)), "{own}");
    let approved = s.approve(&rid.to_lowercase(), "ada", LATER).await.unwrap();
    assert_eq!(approved.approved_by.as_deref(), Some("ada"));
    let twice = s.approve(rid, "otto", MUCH_LATER).await.unwrap();
    assert_eq!(twice.approved_by.as_deref(), Some("ada"));
    assert_eq!(twice.approved_at.as_deref(), Some(LATER));
    s.mark_approval_sent(rid, LATER).await.unwrap();
    s.mark_approval_sent(rid, MUCH_LATER).await.unwrap();
    let stored = s.approval(rid).await.unwrap().unwrap();
    assert_eq!(stored.sent_at.as_deref(), Some(LATER), "first send kept");
    assert_eq!(stored.lines, lines);
    assert_eq!(s.approvals(10).await.unwrap(), vec![stored]);
    assert_eq!(s.approval("not-a-guid!").await.unwrap(), None);
    assert!(
        s.approve("00000000-0000-0000-0000-000000000000", "ada", T0)
            .await
            .is_err()
    );
    let h = s.record_activity("4b1c7f4e", 10).await.unwrap();
    let kinds: Vec<_> = h
        .events
        .iter()
        .map(|e| (e.kind, e.actor.as_str()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (EventKind::ApprovalRequested, "olga"),
            (EventKind::OrderApproved, "ada")
        ]
    );
}

async fn counts_include_people_events_and_approvals(f: Fixture) {
    let s = f.store;
    s.put_record("a.example", None, &json!({}), "ann", T0)
        .await
        .unwrap();
    s.sign_in(&who("oid-1", "ann@partner.example", None), "t", T0, LATER)
        .await
        .unwrap();
    s.set_role("oid-1", Some(Role::Viewer), "ada", T0)
        .await
        .unwrap();
    s.create_share_link("a.example", None, "ann", T0)
        .await
        .unwrap();
    s.request_approval(
        "5f0c7a52-9b8e-4d7e-8f0a-1b2c3d4e5f60",
        "a.example",
        "A",
        &json!([]),
        0,
        "ann",
        T0,
    )
    .await
    .unwrap();
    let c = s.counts().await.unwrap();
    assert_eq!((c.people, c.events, c.approvals), (1, 3, 1));
}
