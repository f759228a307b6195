//! `/api/public/*` and `/status/*`: the customer's view through a share link, and nothing more.
mod common;

use common::{assert_private, record, start, start_with};
use cutover_plan::wire::StatusProjection;
use cutover_sandbox::SandboxConfig;
use serde_json::{Value, json};

#[tokio::test]
async fn the_status_shows_only_the_customers_projection() {
    let p = start().await;
    let id = p.some_customer_id().await;
    let mut doc = record("pcCustomerId", &id, "Contoso <b>Ltd</b>", "contoso.com");
    doc["notes"] = json!("INTERNAL-NOTE discount for renewal");
    doc["originals"][0]["id"] = json!("orig-internal-7f3a");
    doc["originals"][0]["price"] = json!({"perSeatPerMonth": "987.65", "currency": "EUR"});
    p.create(&doc).await;
    p.create(&record(
        "domain",
        "other.example",
        "Othercorp Hidden",
        "other.example",
    ))
    .await;
    let (link_id, token) = p.share(&id, None).await;

    let resp = p.get(&format!("/api/public/status/{token}")).await;
    assert_eq!(resp.status(), 200);
    assert_private(resp.headers(), "status");
    let body = resp.text().await.unwrap();
    for secret in [
        "987.65",
        "EUR",
        "perSeatPerMonth",
        "INTERNAL-NOTE",
        "orig-internal-7f3a",
        id.as_str(),
        "Othercorp",
        "other.example",
        token.as_str(),
        link_id.as_str(),
    ] {
        assert!(!body.contains(secret), "{secret} leaked: {body}");
    }
    let projection: StatusProjection = serde_json::from_str(&body).unwrap();
    assert_eq!(projection.partner_name, "Test partner");
    assert_eq!(projection.record.customer_name, "Contoso <b>Ltd</b>");
    assert_eq!(projection.record.originals[0].offer_name, "Office 365 E3");
    assert!(
        projection.facts.relationship_accepted,
        "a reseller customer"
    );
    assert!(!projection.facts_unavailable);
    assert_eq!(projection.invitation_url, None);
    assert_eq!(projection.settings.provision_lead_days, 7);
}

#[tokio::test]
async fn a_prospect_gets_the_invitation_link_and_no_detected_facts() {
    let p = start().await;
    p.create(&record(
        "domain",
        "prospect.example",
        "Prospect",
        "prospect.example",
    ))
    .await;
    let (_, token) = p.share("prospect.example", None).await;
    let projection: StatusProjection = p
        .get(&format!("/api/public/status/{token}"))
        .await
        .json()
        .await
        .unwrap();
    assert!(!projection.facts.relationship_accepted);
    assert!(!projection.facts_unavailable);
    assert!(
        projection
            .invitation_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://admin.microsoft.com/"))
    );
}

#[tokio::test]
async fn a_failing_partner_center_still_gives_a_status_marked_as_such() {
    let p = start_with(
        SandboxConfig {
            customers: 5,
            fail_status: Some(503),
            ..SandboxConfig::default()
        },
        |_| {},
    )
    .await;
    let id = "b44bb1fb-c595-45b0-9e09-d657365580bf";
    p.create(&record("pcCustomerId", id, "Contoso", "contoso.com"))
        .await;
    let (_, token) = p.share(id, None).await;
    let resp = p.get(&format!("/api/public/status/{token}")).await;
    assert_eq!(resp.status(), 200);
    let projection: StatusProjection = resp.json().await.unwrap();
    assert!(projection.facts_unavailable);
    assert!(!projection.facts.relationship_accepted);
}

#[tokio::test]
async fn unknown_truncated_revoked_and_expired_tokens_answer_exactly_alike() {
    let p = start().await;
    p.create(&record("domain", "contoso.com", "Contoso", "contoso.com"))
        .await;
    let (revoked_id, revoked) = p.share("contoso.com", None).await;
    let (_, live) = p.share("contoso.com", None).await;
    let soon = cutover_proxy::clock::format_unix(cutover_proxy::clock::unix_now() + 2);
    let (_, expiring) = p.share("contoso.com", Some(&soon)).await;
    let get = |token: String, feed: bool| {
        let path = if feed {
            format!("/api/public/status/{token}/feed.atom")
        } else {
            format!("/api/public/status/{token}")
        };
        p.http.get(p.url(&path)).send()
    };
    assert_eq!(get(expiring.clone(), false).await.unwrap().status(), 200);
    assert_eq!(get(revoked.clone(), false).await.unwrap().status(), 200);
    let resp = p
        .http
        .delete(p.url(&format!(
            "/api/store/records/contoso.com/links/{revoked_id}"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);
    tokio::time::sleep(std::time::Duration::from_millis(3100)).await;

    let unknown = "0".repeat(64);
    let candidates = [
        unknown,
        live[..63].to_string(),
        live[..32].to_string(),
        format!("{live}0"),
        live.to_uppercase()
            .replace(|c: char| c.is_ascii_digit(), "G"),
        "not-a-token".to_string(),
        revoked,
        expiring,
    ];
    let mut bodies = Vec::new();
    for token in candidates {
        for feed in [false, true] {
            let resp = get(token.clone(), feed).await.unwrap();
            assert_eq!(resp.status(), 404, "{token}");
            assert_private(resp.headers(), &token);
            bodies.push(resp.bytes().await.unwrap());
        }
    }
    assert!(bodies.windows(2).all(|w| w[0] == w[1]), "{bodies:?}");
    let body: Value = serde_json::from_slice(&bodies[0]).unwrap();
    assert_eq!(body["code"], "link_not_valid");
    assert_eq!(get(live, false).await.unwrap().status(), 200);
}

#[tokio::test]
async fn the_feed_is_atom_with_one_entry_per_visible_step_change() {
    let p = start().await;
    let mut doc = record("domain", "contoso.com", "Contoso & Sons", "contoso.com");
    doc["originals"][0]["price"] = json!({"perSeatPerMonth": "987.65", "currency": "EUR"});
    p.create(&doc).await;
    let steps = [
        ("invitationSentOn", json!("2026-11-02")),
        ("notes", json!("INTERNAL-NOTE only the partner sees")),
        ("autoRenewOffOn", json!("2027-03-01")),
    ];
    for (version, (field, value)) in steps.into_iter().enumerate() {
        if field == "autoRenewOffOn" {
            doc["originals"][0]["confirmed"] = json!({ field: value });
        } else {
            doc[field] = value;
        }
        let resp = p
            .put_record(
                "contoso.com",
                &doc,
                Some(("If-Match", &format!("\"{}\"", version + 1))),
            )
            .await;
        assert_eq!(resp.status(), 200);
    }
    let (link_id, token) = p.share("contoso.com", None).await;
    let resp = p
        .get(&format!("/api/public/status/{token}/feed.atom"))
        .await;
    assert_eq!(resp.status(), 200);
    assert_private(resp.headers(), "feed");
    assert!(common::header(resp.headers(), "content-type").starts_with("application/atom+xml"));
    let xml = resp.text().await.unwrap();
    for secret in ["987.65", "EUR", "INTERNAL-NOTE"] {
        assert!(!xml.contains(secret), "{secret} leaked: {xml}");
    }
    let parsed = roxmltree::Document::parse(&xml).unwrap();
    // The token appears only where the feed links to itself and to the status page (addresses
    // the reader already has), never in ids, titles or content.
    for node in parsed.descendants().filter(|n| n.is_text()) {
        assert!(
            !node.text().unwrap_or("").contains(token.as_str()),
            "the token leaked into text"
        );
    }
    let hrefs: Vec<(&str, &str)> = parsed
        .descendants()
        .filter(|n| n.tag_name().name() == "link")
        .map(|n| {
            (
                n.attribute("rel").unwrap_or(""),
                n.attribute("href").unwrap_or(""),
            )
        })
        .collect();
    assert!(hrefs.contains(&(
        "self",
        format!("/api/public/status/{token}/feed.atom").as_str()
    )));
    assert!(hrefs.contains(&("alternate", format!("/status/{token}").as_str())));
    assert_eq!(
        parsed
            .root_element()
            .attribute(("http://www.w3.org/XML/1998/namespace", "lang")),
        Some("en")
    );
    let atom = "http://www.w3.org/2005/Atom";
    let feed = parsed.root_element();
    assert_eq!(feed.tag_name().name(), "feed");
    assert_eq!(feed.tag_name().namespace(), Some(atom));
    let child = |node: roxmltree::Node<'_, '_>, name: &str| {
        node.children()
            .find(|c| c.tag_name().name() == name && c.tag_name().namespace() == Some(atom))
            .and_then(|c| c.text().map(str::to_string))
    };
    assert_eq!(
        child(feed, "id").unwrap(),
        format!("urn:cutover:link:{link_id}")
    );
    assert_eq!(child(feed, "title").unwrap(), "Contoso & Sons: move to CSP");
    assert!(child(feed, "updated").is_some());
    assert!(
        feed.children().any(|c| c.tag_name().name() == "author"
            && child(c, "name").as_deref() == Some("Test partner"))
    );
    let entries: Vec<_> = feed
        .children()
        .filter(|c| c.tag_name().name() == "entry")
        .collect();
    let titles: Vec<String> = entries
        .iter()
        .map(|e| child(*e, "title").unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Auto-renew switched off: Office 365 E3",
            "Reseller invitation sent",
            "Migration plan created"
        ]
    );
    let mut ids = Vec::new();
    for e in &entries {
        let id = child(*e, "id").unwrap();
        assert!(id.starts_with("urn:cutover:link:"), "{id}");
        assert!(child(*e, "updated").unwrap().ends_with('Z'));
        assert!(child(*e, "content").is_some());
        ids.push(id);
    }
    ids.dedup();
    assert_eq!(ids.len(), 3, "entry ids are distinct");
}

#[tokio::test]
async fn status_pages_are_their_own_page_with_privacy_headers() {
    let p = start().await;
    let resp = p.get(&format!("/status/{}", "ab".repeat(32))).await;
    assert_eq!(resp.status(), 200);
    assert_private(resp.headers(), "/status/ page");
    let policy = common::header(resp.headers(), "content-security-policy").to_owned();
    let body = resp.text().await.unwrap();
    assert!(body.contains(common::STATUS_MARKER), "{body}");
    assert!(!body.contains(common::INDEX_MARKER));
    // The status page's policy lets its own inline script run (by hash), nothing else inline.
    assert_eq!(policy.matches("'sha256-").count(), 1, "{policy}");
    assert!(
        !policy.contains("script-src 'self' 'unsafe-inline'"),
        "{policy}"
    );
    // Partner pages are the partner app, with the ordinary policy and no status-page hash.
    let resp = p.get("/customers").await;
    assert_eq!(
        common::header(resp.headers(), "referrer-policy"),
        "same-origin"
    );
    let app_policy = common::header(resp.headers(), "content-security-policy").to_owned();
    assert!(resp.text().await.unwrap().contains(common::INDEX_MARKER));
    assert_eq!(app_policy.matches("'sha256-").count(), 0, "{app_policy}");
    assert_ne!(policy, app_policy);
}
