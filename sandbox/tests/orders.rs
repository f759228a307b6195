//! `POST /v1/customers/{id}/orders`.
mod common;

use common::{Sandbox, config};
use cutover_sandbox::SandboxConfig;
use serde_json::{Value, json};

async fn first_customer(sandbox: &Sandbox, token: &str) -> String {
    let (_, page) = sandbox.get_json(token, "/v1/customers?size=1").await;
    page["items"][0]["id"].as_str().unwrap().to_string()
}

fn order(customer: &str) -> Value {
    json!({
        "referenceCustomerId": customer,
        "billingCycle": "monthly",
        "lineItems": [
            {"lineItemNumber": 0, "offerId": "CFQ7TTC0LH18:0001:CFQ7TTC0K971", "friendlyName": "Business Basic", "quantity": 12, "termDuration": "P1Y"},
            {"lineItemNumber": 1, "offerId": "CFQ7TTC0LFLX:0001:CFQ7TTC0K3C2", "quantity": 3}
        ]
    })
}

#[tokio::test]
async fn an_order_creates_subscriptions() {
    let sandbox = Sandbox::start(config()).await;
    let token = sandbox.app_token().await;
    let cid = first_customer(&sandbox, &token).await;
    let (_, before) = sandbox
        .get_json(&token, &format!("/v1/customers/{cid}/subscriptions"))
        .await;
    let r = sandbox
        .http
        .post(sandbox.url(&format!("/v1/customers/{cid}/orders")))
        .bearer_auth(&token)
        .json(&order(&cid))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let o: Value = r.json().await.unwrap();
    assert_eq!(o["referenceCustomerId"], cid.as_str());
    // The default fulfilment delay is a few seconds: the order starts pending.
    assert_eq!(o["status"], "pending");
    assert_eq!(o["attributes"]["objectType"], "Order");
    let lines = o["lineItems"].as_array().unwrap();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["lineItemNumber"], 0);
    assert_eq!(lines[0]["quantity"], 12);
    assert_eq!(lines[0]["transactionType"], "new");
    let sid = lines[0]["subscriptionId"].as_str().unwrap();
    let (status, s) = sandbox
        .get_json(&token, &format!("/v1/customers/{cid}/subscriptions/{sid}"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(s["offerName"], "Microsoft 365 Business Basic");
    assert_eq!(s["friendlyName"], "Business Basic");
    assert_eq!(s["quantity"], 12);
    assert_eq!(s["status"], "active");
    assert_eq!(s["orderId"], o["id"]);
    assert_eq!(s["refundableQuantity"]["totalQuantity"], 12);
    let (_, after) = sandbox
        .get_json(&token, &format!("/v1/customers/{cid}/subscriptions"))
        .await;
    assert_eq!(
        after["totalCount"].as_u64().unwrap(),
        before["totalCount"].as_u64().unwrap() + 2
    );
    let (_, by_order) = sandbox
        .get_json(
            &token,
            &format!(
                "/v1/customers/{cid}/subscriptions?order_id={}",
                o["id"].as_str().unwrap()
            ),
        )
        .await;
    assert_eq!(by_order["totalCount"], 2);
    // Within seven days the new seats may be reduced and the subscription cancelled.
    let url = sandbox.url(&format!("/v1/customers/{cid}/subscriptions/{sid}"));
    let mut less = s.clone();
    less["quantity"] = json!(10);
    let r = sandbox
        .http
        .patch(&url)
        .bearer_auth(&token)
        .json(&less)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = sandbox
        .http
        .patch(&url)
        .bearer_auth(&token)
        .json(&json!({"status": "deleted"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["status"], "deleted");
}

#[tokio::test]
async fn a_retried_request_id_does_not_buy_twice() {
    let sandbox = Sandbox::start(config()).await;
    let token = sandbox.app_token().await;
    let cid = first_customer(&sandbox, &token).await;
    let send = || {
        sandbox
            .http
            .post(sandbox.url(&format!("/v1/customers/{cid}/orders")))
            .bearer_auth(&token)
            .header("MS-RequestId", "3f1c1c8e-6a43-4c38-9d8e-2f6f5e0b7a11")
            .json(&order(&cid))
            .send()
    };
    let first: Value = send().await.unwrap().json().await.unwrap();
    let second: Value = send().await.unwrap().json().await.unwrap();
    assert_eq!(first, second);
    let (_, by_order) = sandbox
        .get_json(
            &token,
            &format!(
                "/v1/customers/{cid}/subscriptions?order_id={}",
                first["id"].as_str().unwrap()
            ),
        )
        .await;
    assert_eq!(by_order["totalCount"], 2);
}

#[tokio::test]
async fn invalid_orders_are_refused_and_change_nothing() {
    let sandbox = Sandbox::start(config()).await;
    let token = sandbox.app_token().await;
    let cid = first_customer(&sandbox, &token).await;
    let url = sandbox.url(&format!("/v1/customers/{cid}/orders"));
    let (_, before) = sandbox
        .get_json(&token, &format!("/v1/customers/{cid}/subscriptions"))
        .await;
    let cases = [
        (json!({"lineItems": []}), "400"),
        (
            json!({"lineItems": [{"offerId": "NOPE", "quantity": 1}]}),
            "10001",
        ),
        (
            json!({"lineItems": [{"offerId": "CFQ7TTC0LH18:0001:CFQ7TTC0K971", "quantity": 301}]}),
            "2002",
        ),
        (
            json!({"lineItems": [{"offerId": "CFQ7TTC0LH18:0001:CFQ7TTC0K971", "quantity": 1}, {"offerId": "CFQ7TTC0LH18:0001:CFQ7TTC0K971", "quantity": -1}]}),
            "2002",
        ),
        (
            json!({"lineItems": [{"offerId": "CFQ7TTC0LH18:0001:CFQ7TTC0K971", "quantity": 1, "termDuration": "P2Y"}]}),
            "400",
        ),
        (
            json!({"referenceCustomerId": "someone-else", "lineItems": [{"offerId": "CFQ7TTC0LH18:0001:CFQ7TTC0K971", "quantity": 1}]}),
            "400",
        ),
    ];
    for (body, code) in cases {
        let r = sandbox
            .http
            .post(&url)
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{body}");
        let err: Value = r.json().await.unwrap();
        assert_eq!(err["code"], code, "{body}");
        assert!(err["description"].is_string());
    }
    let r = sandbox
        .http
        .post(&url)
        .bearer_auth(&token)
        .body("lineItems=1")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let (_, after) = sandbox
        .get_json(&token, &format!("/v1/customers/{cid}/subscriptions"))
        .await;
    assert_eq!(before, after);
    let r = sandbox
        .http
        .post(sandbox.url("/v1/customers/00000000-0000-4000-8000-000000000000/orders"))
        .bearer_auth(&token)
        .json(&order("00000000-0000-4000-8000-000000000000"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

async fn place(sandbox: &Sandbox, token: &str, cid: &str, request_id: &str) -> Value {
    let r = sandbox
        .http
        .post(sandbox.url(&format!("/v1/customers/{cid}/orders")))
        .bearer_auth(token)
        .header("MS-RequestId", request_id)
        .json(&order(cid))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    r.json().await.unwrap()
}

#[tokio::test]
async fn an_order_is_pending_until_its_fulfilment_delay_has_passed() {
    let sandbox = Sandbox::start(SandboxConfig {
        order_fulfil_secs: 3600,
        ..config()
    })
    .await;
    let token = sandbox.app_token().await;
    let cid = first_customer(&sandbox, &token).await;
    let o = place(
        &sandbox,
        &token,
        &cid,
        "6d1a0c55-1f7e-4b43-8f0e-7c1c2a4b9e01",
    )
    .await;
    let oid = o["id"].as_str().unwrap();
    let (status, got) = sandbox
        .get_json(&token, &format!("/v1/customers/{cid}/orders/{oid}"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(got["status"], "pending");
    assert_eq!(got["id"], o["id"]);
    assert_eq!(got["referenceCustomerId"], cid.as_str());
    assert_eq!(got["lineItems"], o["lineItems"]);
    assert!(got["creationDate"].is_string());
    let (status, prov) = sandbox
        .get_json(
            &token,
            &format!("/v1/customers/{cid}/orders/{oid}/provisioningstatus"),
        )
        .await;
    assert_eq!(status, 200);
    let items = prov["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert!(items.iter().all(|i| i["status"] == "pending"));
    assert_eq!(items[1]["lineItemNumber"], 1);
    assert_eq!(
        items[1]["quantityProvisioningInformation"][0]["quantity"],
        3
    );
}

#[tokio::test]
async fn an_order_without_delay_is_completed_and_its_lines_fulfilled() {
    let sandbox = Sandbox::start(SandboxConfig {
        order_fulfil_secs: 0,
        ..config()
    })
    .await;
    let token = sandbox.app_token().await;
    let cid = first_customer(&sandbox, &token).await;
    let o = place(
        &sandbox,
        &token,
        &cid,
        "6d1a0c55-1f7e-4b43-8f0e-7c1c2a4b9e02",
    )
    .await;
    assert_eq!(o["status"], "completed");
    let oid = o["id"].as_str().unwrap();
    let (_, got) = sandbox
        .get_json(&token, &format!("/v1/customers/{cid}/orders/{oid}"))
        .await;
    assert_eq!(got["status"], "completed");
    let (_, prov) = sandbox
        .get_json(
            &token,
            &format!("/v1/customers/{cid}/orders/{oid}/provisioningstatus"),
        )
        .await;
    assert!(
        prov["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["status"] == "fulfilled")
    );
}

#[tokio::test]
async fn an_unknown_order_is_404() {
    let sandbox = Sandbox::start(config()).await;
    let token = sandbox.app_token().await;
    let cid = first_customer(&sandbox, &token).await;
    let (status, err) = sandbox
        .get_json(&token, &format!("/v1/customers/{cid}/orders/0123456789ab"))
        .await;
    assert_eq!(status, 404);
    assert!(
        err["description"]
            .as_str()
            .unwrap()
            .contains("0123456789ab")
    );
}

#[tokio::test]
async fn the_same_request_id_never_places_a_second_order_but_a_new_one_does() {
    let sandbox = Sandbox::start(config()).await;
    let token = sandbox.app_token().await;
    let cid = first_customer(&sandbox, &token).await;
    let (_, before) = sandbox
        .get_json(&token, &format!("/v1/customers/{cid}/subscriptions"))
        .await;
    let before = before["totalCount"].as_u64().unwrap();
    let a = place(
        &sandbox,
        &token,
        &cid,
        "0b8d7f4e-3c2a-4e6f-9a1b-5d4c3b2a1f00",
    )
    .await;
    let again = place(
        &sandbox,
        &token,
        &cid,
        "0b8d7f4e-3c2a-4e6f-9a1b-5d4c3b2a1f00",
    )
    .await;
    assert_eq!(a["id"], again["id"]);
    let (_, mid) = sandbox
        .get_json(&token, &format!("/v1/customers/{cid}/subscriptions"))
        .await;
    assert_eq!(mid["totalCount"].as_u64().unwrap(), before + 2);
    let b = place(
        &sandbox,
        &token,
        &cid,
        "0b8d7f4e-3c2a-4e6f-9a1b-5d4c3b2a1f01",
    )
    .await;
    assert_ne!(a["id"], b["id"]);
    let (_, after) = sandbox
        .get_json(&token, &format!("/v1/customers/{cid}/subscriptions"))
        .await;
    assert_eq!(after["totalCount"].as_u64().unwrap(), before + 4);
}

#[tokio::test]
async fn a_seeded_subscriptions_order_can_be_read_and_is_completed() {
    let sandbox = Sandbox::start(config()).await;
    let token = sandbox.user_token().await;
    let customers = sandbox.all_customers(&token, 50).await;
    for c in &customers {
        let cid = c["id"].as_str().unwrap();
        let (_, subs) = sandbox
            .get_json(&token, &format!("/v1/customers/{cid}/subscriptions"))
            .await;
        let Some(s) = subs["items"].as_array().unwrap().first() else {
            continue;
        };
        let oid = s["orderId"].as_str().unwrap();
        let (status, o) = sandbox
            .get_json(&token, &format!("/v1/customers/{cid}/orders/{oid}"))
            .await;
        assert_eq!(status, 200);
        assert_eq!(o["status"], "completed");
        assert!(
            o["lineItems"]
                .as_array()
                .unwrap()
                .iter()
                .any(|l| l["subscriptionId"] == s["id"])
        );
        let (_, prov) = sandbox
            .get_json(
                &token,
                &format!("/v1/customers/{cid}/orders/{oid}/provisioningstatus"),
            )
            .await;
        assert_eq!(prov["items"][0]["status"], "fulfilled");
        return;
    }
    panic!("no seeded customer has a CSP subscription");
}
