//! Transfers, MCA acceptance and co-terming through the proxy's allow-list.
mod common;

use common::{small_sandbox, start_with};
use serde_json::{Value, json};

#[tokio::test]
async fn transfers_agreements_and_coterm_dates_pass_through_the_allow_list() {
    let p = start_with(small_sandbox(), |_| {}).await;
    let cid = p.some_customer_id().await;
    let r = p
        .http
        .post(p.url(&format!("/api/pc/v1/customers/{cid}/transfers")))
        .json(&json!({"sourcePartnerTenantId": "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let t: Value = r.json().await.unwrap();
    let tid = t["id"].as_str().unwrap();
    let r = p
        .get(&format!("/api/pc/v1/customers/{cid}/transfers/{tid}"))
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["status"], "Active");
    let r = p
        .http
        .post(p.url(&format!("/api/pc/v1/customers/{cid}/agreements")))
        .json(&json!({
            "primaryContact": {"firstName": "Aoi", "lastName": "Sato", "email": "aoi@example.jp"},
            "dateAgreed": "2026-01-05T00:00:00Z",
            "type": "MicrosoftCustomerAgreement",
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let r = p
        .get(&format!(
            "/api/pc/v1/customers/{cid}/agreements?agreementType=MicrosoftCustomerAgreement"
        ))
        .await;
    assert_eq!(r.json::<Value>().await.unwrap()["totalCount"], 1);
    let r = p
        .get(&format!(
            "/api/pc/v1/customers/{cid}/subscriptions/customTermEndDates?term_duration=P1Y"
        ))
        .await;
    assert_eq!(r.status(), 200);
    assert!(
        !r.json::<Value>().await.unwrap()["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let r = p
        .http
        .patch(p.url(&format!("/api/pc/v1/customers/{cid}/transfers/{tid}")))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}
