//! CSP subscriptions (list, get, PATCH) and subscribed SKUs.
mod common;

use common::{Sandbox, config, today};
use serde_json::{Value, json};

/// The first customer with at least one active CSP subscription, and that subscription.
async fn customer_with_active_subscription(sandbox: &Sandbox, token: &str) -> (String, Value) {
    for c in sandbox.all_customers(token, 500).await {
        let id = c["id"].as_str().unwrap().to_string();
        let (_, subs) = sandbox
            .get_json(token, &format!("/v1/customers/{id}/subscriptions"))
            .await;
        if let Some(s) = subs["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["status"] == "active")
        {
            return (id, s.clone());
        }
    }
    panic!("no customer with an active subscription");
}

#[tokio::test]
async fn subscriptions_have_realistic_offers_and_end_dates() {
    let sandbox = Sandbox::start(config()).await;
    let token = sandbox.app_token().await;
    let mut seen = 0;
    let mut offers = std::collections::HashSet::new();
    let today = today().to_string();
    let limit = cutover_sandbox::Date::parse(&today)
        .unwrap()
        .add_days(550)
        .to_string();
    for c in sandbox.all_customers(&token, 500).await.iter().take(60) {
        let (status, subs) = sandbox
            .get_json(
                &token,
                &format!("/v1/customers/{}/subscriptions", c["id"].as_str().unwrap()),
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(subs["attributes"]["objectType"], "Collection");
        assert_eq!(
            subs["totalCount"].as_u64().unwrap() as usize,
            subs["items"].as_array().unwrap().len()
        );
        for s in subs["items"].as_array().unwrap() {
            seen += 1;
            offers.insert(s["offerName"].as_str().unwrap().to_string());
            let offer_id = s["offerId"].as_str().unwrap();
            assert_eq!(offer_id.split(':').count(), 3, "{offer_id}");
            assert!(s["quantity"].as_u64().unwrap() >= 1);
            let end = s["commitmentEndDate"].as_str().unwrap();
            assert!(end.ends_with("T00:00:00Z"));
            assert!(
                s["commitmentEndDateTime"]
                    .as_str()
                    .unwrap()
                    .ends_with("T23:59:59Z")
            );
            let active = s["status"] == "active";
            assert!(
                !active || (end[..10] > *today && end[..10] <= *limit),
                "{end}"
            );
            assert!(
                ["monthly", "annual", "triennial"].contains(&s["billingCycle"].as_str().unwrap())
            );
            assert!(["P1M", "P1Y", "P3Y"].contains(&s["termDuration"].as_str().unwrap()));
            assert!(s["autoRenewEnabled"].is_boolean());
            assert_eq!(s["unitType"], "Licenses");
            assert_eq!(s["attributes"]["objectType"], "Subscription");
            assert!(s["attributes"]["etag"].is_string());
        }
    }
    assert!(seen > 30, "{seen}");
    assert!(offers.len() >= 5, "{offers:?}");
}

#[tokio::test]
async fn get_one_subscription_and_unknown_ones() {
    let sandbox = Sandbox::start(config()).await;
    let token = sandbox.app_token().await;
    let (cid, s) = customer_with_active_subscription(&sandbox, &token).await;
    let sid = s["id"].as_str().unwrap();
    let (status, one) = sandbox
        .get_json(&token, &format!("/v1/customers/{cid}/subscriptions/{sid}"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(one, s);
    let (status, err) = sandbox
        .get_json(
            &token,
            &format!("/v1/customers/{cid}/subscriptions/00000000-0000-4000-8000-000000000000"),
        )
        .await;
    assert_eq!(status, 404);
    assert_eq!(err["code"], "20003");
}

#[tokio::test]
async fn patch_raises_quantity_but_old_seats_cannot_be_removed() {
    let sandbox = Sandbox::start(config()).await;
    let token = sandbox.app_token().await;
    let (cid, mut s) = customer_with_active_subscription(&sandbox, &token).await;
    let sid = s["id"].as_str().unwrap().to_string();
    let url = sandbox.url(&format!("/v1/customers/{cid}/subscriptions/{sid}"));
    let before = s["quantity"].as_u64().unwrap();
    let max = if s["offerName"].as_str().unwrap().contains("Business") {
        300
    } else {
        10_000
    };
    let target = if before < max { before + 1 } else { before };
    s["quantity"] = json!(target);
    let etag = s["attributes"]["etag"].as_str().unwrap().to_string();
    let r = sandbox
        .http
        .patch(&url)
        .bearer_auth(&token)
        .header("If-Match", format!("\"{etag}\""))
        .json(&s)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let updated: Value = r.json().await.unwrap();
    assert_eq!(updated["quantity"], target);
    assert_eq!(updated["autoRenewEnabled"], s["autoRenewEnabled"]);
    assert_ne!(updated["attributes"]["etag"], etag.as_str());
    // The stale ETag is refused.
    let r = sandbox
        .http
        .patch(&url)
        .bearer_auth(&token)
        .header("If-Match", format!("\"{etag}\""))
        .json(&s)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 412);
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "2055");
    // Seats older than seven days cannot be removed.
    if before > 1 {
        let mut lower = updated.clone();
        lower["quantity"] = json!(before - 1);
        let r = sandbox
            .http
            .patch(&url)
            .bearer_auth(&token)
            .json(&lower)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400);
        assert_eq!(r.json::<Value>().await.unwrap()["code"], "800090");
    }
    // The seat just added can be removed again.
    let mut back = updated.clone();
    back["quantity"] = json!(before);
    let r = sandbox
        .http
        .patch(&url)
        .bearer_auth(&token)
        .json(&back)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (_, now) = sandbox
        .get_json(&token, &format!("/v1/customers/{cid}/subscriptions/{sid}"))
        .await;
    assert_eq!(now["quantity"], before);
}

#[tokio::test]
async fn patch_without_auto_renew_turns_it_off_as_the_real_service_does() {
    let sandbox = Sandbox::start(config()).await;
    let token = sandbox.app_token().await;
    let (cid, s) = customer_with_active_subscription(&sandbox, &token).await;
    let url = sandbox.url(&format!(
        "/v1/customers/{cid}/subscriptions/{}",
        s["id"].as_str().unwrap()
    ));
    let r = sandbox
        .http
        .patch(&url)
        .bearer_auth(&token)
        .json(&json!({"autoRenewEnabled": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["autoRenewEnabled"], true);
    let r = sandbox
        .http
        .patch(&url)
        .bearer_auth(&token)
        .json(&json!({"quantity": s["quantity"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["autoRenewEnabled"], false);
}

#[tokio::test]
async fn patch_rejects_bad_bodies_and_quantities() {
    let sandbox = Sandbox::start(config()).await;
    let token = sandbox.app_token().await;
    let (cid, s) = customer_with_active_subscription(&sandbox, &token).await;
    let url = sandbox.url(&format!(
        "/v1/customers/{cid}/subscriptions/{}",
        s["id"].as_str().unwrap()
    ));
    let r = sandbox
        .http
        .patch(&url)
        .bearer_auth(&token)
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = sandbox
        .http
        .patch(&url)
        .bearer_auth(&token)
        .json(&json!({"quantity": 0}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "2002");
    let r = sandbox
        .http
        .patch(&url)
        .bearer_auth(&token)
        .json(&json!({"quantity": 1_000_000}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = sandbox
        .http
        .patch(&url)
        .bearer_auth(&token)
        .json(&json!({"status": "deleted"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "900117");
}

#[tokio::test]
async fn subscribed_skus_show_licences_from_outside_csp() {
    let sandbox = Sandbox::start(config()).await;
    let app = sandbox.app_token().await;
    let user = sandbox.user_token().await;
    let mut found_non_csp = false;
    for c in sandbox.all_customers(&app, 500).await.iter().take(80) {
        let id = c["id"].as_str().unwrap();
        let (status, skus) = sandbox
            .get_json(&user, &format!("/v1/customers/{id}/subscribedskus"))
            .await;
        assert_eq!(status, 200);
        let (_, subs) = sandbox
            .get_json(&app, &format!("/v1/customers/{id}/subscriptions"))
            .await;
        let csp_seats: u64 = subs["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["status"] == "active")
            .map(|s| s["quantity"].as_u64().unwrap())
            .sum();
        let mut active_seats = 0;
        for sku in skus["items"].as_array().unwrap() {
            assert_eq!(sku["attributes"]["objectType"], "SubscribedSku");
            assert_eq!(sku["productSku"]["id"].as_str().unwrap().len(), 36);
            assert!(sku["productSku"]["skuPartNumber"].is_string());
            let total = sku["totalUnits"].as_u64().unwrap();
            assert_eq!(
                total,
                sku["activeUnits"].as_u64().unwrap() + sku["warningUnits"].as_u64().unwrap()
            );
            assert_eq!(
                sku["availableUnits"].as_u64().unwrap(),
                total - sku["consumedUnits"].as_u64().unwrap()
            );
            if !sku["productSku"]["skuPartNumber"]
                .as_str()
                .unwrap()
                .contains("FREE")
                && !["POWER_BI_STANDARD", "TEAMS_EXPLORATORY"]
                    .contains(&sku["productSku"]["skuPartNumber"].as_str().unwrap())
            {
                active_seats += sku["activeUnits"].as_u64().unwrap();
            }
        }
        found_non_csp |= active_seats > csp_seats;
    }
    assert!(found_non_csp, "some tenant holds seats bought outside CSP");
    let (status, _) = sandbox
        .get_json(&app, "/v1/customers/x/subscribedskus")
        .await;
    assert_eq!(status, 403, "subscribed SKUs are App+User only");
}
