//! Orders through the proxy: the app's MS-RequestId is kept, reused on retries and echoed back.
mod common;

use common::{Proxy, header, small_sandbox, start_with};
use cutover_sandbox::SandboxConfig;
use serde_json::{Value, json};

fn order(customer: &str) -> Value {
    json!({
        "referenceCustomerId": customer,
        "billingCycle": "monthly",
        "lineItems": [
            {"lineItemNumber": 0, "offerId": "CFQ7TTC0LH18:0001:CFQ7TTC0K971", "quantity": 4, "termDuration": "P1Y"},
            {"lineItemNumber": 1, "offerId": "CFQ7TTC0LFLX:0001:CFQ7TTC0K3C2", "quantity": 2}
        ]
    })
}

async fn post_order(p: &Proxy, cid: &str, request_id: Option<&str>) -> reqwest::Response {
    let mut req = p
        .http
        .post(p.url(&format!("/api/pc/v1/customers/{cid}/orders")))
        .header("MS-CorrelationId", "9a7b6c5d-4e3f-4a2b-8c1d-0e9f8a7b6c5d")
        .json(&order(cid));
    if let Some(id) = request_id {
        req = req.header("MS-RequestId", id);
    }
    req.send().await.unwrap()
}

async fn subscription_count(p: &Proxy, cid: &str) -> u64 {
    let r = p
        .get(&format!("/api/pc/v1/customers/{cid}/subscriptions"))
        .await;
    assert_eq!(r.status(), 200);
    r.json::<Value>().await.unwrap()["items"]
        .as_array()
        .unwrap()
        .len() as u64
}

#[tokio::test]
async fn the_apps_request_id_is_echoed_and_a_repeat_returns_the_first_order() {
    let p = start_with(small_sandbox(), |_| {}).await;
    let cid = p.some_customer_id().await;
    let before = subscription_count(&p, &cid).await;
    let id = "5b0f3a9e-2c4d-4e8f-9a1b-7c6d5e4f3a2b";
    let first = post_order(&p, &cid, Some(id)).await;
    assert_eq!(first.status(), 201);
    assert_eq!(header(first.headers(), "ms-requestid"), id);
    let first: Value = first.json().await.unwrap();
    let second = post_order(&p, &cid, Some(id)).await;
    assert_eq!(second.status(), 201);
    let second: Value = second.json().await.unwrap();
    assert_eq!(first["id"], second["id"]);
    assert_eq!(subscription_count(&p, &cid).await, before + 2);
}

#[tokio::test]
async fn an_order_without_request_id_gets_a_fresh_one_back() {
    let p = start_with(small_sandbox(), |_| {}).await;
    let cid = p.some_customer_id().await;
    let r = post_order(&p, &cid, None).await;
    assert_eq!(r.status(), 201);
    let id = header(r.headers(), "ms-requestid").to_string();
    assert!(cutover_proxy::ids::is_guid(&id), "{id:?}");
}

#[tokio::test]
async fn a_request_id_that_is_not_a_guid_is_refused_with_a_sentence() {
    let p = start_with(small_sandbox(), |_| {}).await;
    let cid = p.some_customer_id().await;
    let before = subscription_count(&p, &cid).await;
    let r = post_order(&p, &cid, Some("order-1")).await;
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "bad_request");
    assert!(body["message"].as_str().unwrap().contains("MS-RequestId"));
    assert_eq!(subscription_count(&p, &cid).await, before);
}

#[tokio::test]
async fn dropped_connections_are_retried_with_the_same_request_id_and_buy_once() {
    // A dropped connection happens after the sandbox placed the order: a retry with a new
    // request id would buy twice.
    let p = start_with(
        SandboxConfig {
            rate_drop: 0.4,
            ..small_sandbox()
        },
        |_| {},
    )
    .await;
    let cid = loop {
        let r = p.get("/api/pc/v1/customers?size=5").await;
        if r.status() == 200 {
            let page = cutover_plan::partner_center::parse_customer_page(&r.text().await.unwrap())
                .unwrap();
            break page.customers[0].id.clone();
        }
    };
    let count = async || loop {
        let r = p
            .get(&format!("/api/pc/v1/customers/{cid}/subscriptions"))
            .await;
        if r.status() == 200 {
            return r.json::<Value>().await.unwrap()["items"]
                .as_array()
                .unwrap()
                .len();
        }
    };
    let before = count().await;
    let ids = [
        "11111111-2222-4333-8444-555555555501",
        "11111111-2222-4333-8444-555555555502",
        "11111111-2222-4333-8444-555555555503",
        "11111111-2222-4333-8444-555555555504",
        "11111111-2222-4333-8444-555555555505",
    ];
    for id in ids {
        // The app retries a failed order with the same id, as the proxy does inside one call.
        let mut tries = 0;
        loop {
            let r = post_order(&p, &cid, Some(id)).await;
            assert_eq!(header(r.headers(), "ms-requestid"), id);
            if r.status() == 201 {
                break;
            }
            tries += 1;
            assert!(tries < 20, "order {id} never went through");
        }
    }
    assert_eq!(count().await, before + 2 * ids.len());
}

#[tokio::test]
async fn an_order_is_followed_through_the_proxy_until_fulfilled() {
    let p = start_with(
        SandboxConfig {
            order_fulfil_secs: 1,
            ..small_sandbox()
        },
        |_| {},
    )
    .await;
    let cid = p.some_customer_id().await;
    let placed: Value = post_order(&p, &cid, None).await.json().await.unwrap();
    assert_eq!(placed["status"], "pending");
    let oid = placed["id"].as_str().unwrap();
    let mut seen = Vec::new();
    for _ in 0..50 {
        let o: Value = p
            .get(&format!("/api/pc/v1/customers/{cid}/orders/{oid}"))
            .await
            .json()
            .await
            .unwrap();
        let status = o["status"].as_str().unwrap().to_string();
        if seen.last() != Some(&status) {
            seen.push(status.clone());
        }
        if status == "completed" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(seen, ["pending", "completed"]);
    let prov: Value = p
        .get(&format!(
            "/api/pc/v1/customers/{cid}/orders/{oid}/provisioningstatus"
        ))
        .await
        .json()
        .await
        .unwrap();
    let items = prov["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert!(items.iter().all(|i| i["status"] == "fulfilled"));
}
