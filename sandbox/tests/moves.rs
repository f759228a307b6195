//! Partner-to-partner transfers, MCA acceptance and co-terming end dates.
mod common;

use common::{Sandbox, config, today};
use cutover_sandbox::SandboxConfig;
use serde_json::{Value, json};

async fn post(sandbox: &Sandbox, token: &str, path: &str, body: &Value) -> (u16, Value) {
    let r = sandbox
        .http
        .post(sandbox.url(path))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

const OTHER_PARTNER: &str = "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d";

/// A customer that still holds subscriptions bought through another partner.
async fn customer_with_partner_originals(sandbox: &Sandbox) -> (String, usize) {
    let prospects: Value = sandbox
        .http
        .get(sandbox.url("/sandbox/originals.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .map(Value::String)
        .unwrap();
    let csv = prospects.as_str().unwrap();
    let token = sandbox.app_token().await;
    for c in sandbox.all_customers(&token, 500).await {
        let domain = c["companyProfile"]["domain"].as_str().unwrap();
        let n = csv
            .lines()
            .filter(|l| l.contains(&format!(",{domain},")) && l.contains(",partner,"))
            .count();
        if n > 0 {
            return (c["id"].as_str().unwrap().to_string(), n);
        }
    }
    panic!("no customer buys through another partner");
}

#[tokio::test]
async fn a_transfer_is_requested_then_completed_and_the_subscriptions_become_csp() {
    let sandbox = Sandbox::start(config()).await;
    let token = sandbox.user_token().await;
    let (cid, partner_originals) = customer_with_partner_originals(&sandbox).await;
    let (_, before) = sandbox
        .get_json(&token, &format!("/v1/customers/{cid}/subscriptions"))
        .await;
    let (status, t) = post(
        &sandbox,
        &token,
        &format!("/v1/customers/{cid}/transfers"),
        &json!({"sourcePartnerTenantId": OTHER_PARTNER, "customerEmailId": "it@example.com", "targetProductTypes": ["OnlineServicesNCE"]}),
    )
    .await;
    assert_eq!(status, 201, "{t}");
    assert_eq!(t["status"], "Active");
    assert_eq!(t["transferType"], 5);
    assert_eq!(t["sourcePartnerTenantId"], OTHER_PARTNER);
    let created = cutover_sandbox::Date::parse(&t["createdTime"].as_str().unwrap()[..10]).unwrap();
    let expires =
        cutover_sandbox::Date::parse(&t["expirationTime"].as_str().unwrap()[..10]).unwrap();
    assert_eq!(expires.0 - created.0, 30);
    let tid = t["id"].as_str().unwrap();
    let (_, list) = sandbox
        .get_json(&token, &format!("/v1/customers/{cid}/transfers"))
        .await;
    assert_eq!(list["items"][0]["id"], tid);
    let done: Value = sandbox
        .http
        .post(sandbox.url(&format!("/sandbox/transfers/{tid}/complete")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(done["status"], "Completed");
    assert!(done["completedTime"].is_string());
    let (_, got) = sandbox
        .get_json(&token, &format!("/v1/customers/{cid}/transfers/{tid}"))
        .await;
    assert_eq!(got["status"], "Completed");
    let (_, after) = sandbox
        .get_json(&token, &format!("/v1/customers/{cid}/subscriptions"))
        .await;
    let moved = done["lineItems"].as_array().unwrap().len();
    assert!(moved >= 1 && moved <= partner_originals);
    assert_eq!(
        after["totalCount"].as_u64().unwrap(),
        before["totalCount"].as_u64().unwrap() + moved as u64
    );
    // A completed transfer cannot expire.
    let r = sandbox
        .http
        .post(sandbox.url(&format!("/sandbox/transfers/{tid}/expire")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
}

#[tokio::test]
async fn a_transfer_can_be_expired_and_bad_requests_are_refused() {
    let sandbox = Sandbox::start(config()).await;
    let token = sandbox.user_token().await;
    let cid = sandbox.all_customers(&token, 1).await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/v1/customers/{cid}/transfers");
    let (status, _) = post(&sandbox, &token, &path, &json!({})).await;
    assert_eq!(status, 400);
    let (status, _) = post(
        &sandbox,
        &token,
        &path,
        &json!({"sourcePartnerTenantId": OTHER_PARTNER, "targetProductTypes": ["Perpetual"]}),
    )
    .await;
    assert_eq!(status, 400);
    let (_, t) = post(
        &sandbox,
        &token,
        &path,
        &json!({"sourcePartnerTenantId": OTHER_PARTNER}),
    )
    .await;
    let tid = t["id"].as_str().unwrap();
    let r = sandbox
        .http
        .post(sandbox.url(&format!("/sandbox/transfers/{tid}/expire")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (_, got) = sandbox.get_json(&token, &format!("{path}/{tid}")).await;
    assert_eq!(got["status"], "Expired");
    let (status, _) = sandbox.get_json(&token, &format!("{path}/nope")).await;
    assert_eq!(status, 404);
}

fn order() -> Value {
    json!({"lineItems": [{"offerId": "CFQ7TTC0LH18:0001:CFQ7TTC0K971", "quantity": 2}]})
}

#[tokio::test]
async fn orders_need_a_recorded_mca_acceptance_only_when_the_sandbox_requires_it() {
    let strict = Sandbox::start(SandboxConfig {
        require_mca: true,
        ..config()
    })
    .await;
    let token = strict.user_token().await;
    let cid = strict.all_customers(&token, 1).await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let orders = format!("/v1/customers/{cid}/orders");
    let (status, err) = post(&strict, &token, &orders, &order()).await;
    assert_eq!(status, 403);
    assert_eq!(err["code"], "13605");
    let agreements = format!("/v1/customers/{cid}/agreements");
    let (status, _) = post(
        &strict,
        &token,
        &agreements,
        &json!({"primaryContact": {"firstName": "Aoi"}, "dateAgreed": "2026-11-20T00:00:00Z"}),
    )
    .await;
    assert_eq!(status, 400);
    let (status, a) = post(
        &strict,
        &token,
        &agreements,
        &json!({
            "primaryContact": {"firstName": "Aoi", "lastName": "Sato", "email": "aoi@example.jp"},
            "dateAgreed": "2026-11-20T00:00:00Z",
            "type": "MicrosoftCustomerAgreement",
        }),
    )
    .await;
    assert_eq!(status, 201, "{a}");
    assert_eq!(a["dateAgreed"], "2026-11-20T00:00:00Z");
    let (_, list) = strict
        .get_json(
            &token,
            &format!("{agreements}?agreementType=MicrosoftCustomerAgreement"),
        )
        .await;
    assert_eq!(list["totalCount"], 1);
    assert_eq!(
        list["items"][0]["primaryContact"]["email"],
        "aoi@example.jp"
    );
    let (status, _) = post(&strict, &token, &orders, &order()).await;
    assert_eq!(status, 201);
    // The default sandbox does not ask, so existing journeys keep working.
    let lenient = Sandbox::start(config()).await;
    let token = lenient.user_token().await;
    let (status, _) = post(&lenient, &token, &orders, &order()).await;
    assert_eq!(status, 201);
    // Recording an acceptance is App+User only.
    let app = lenient.app_token().await;
    let (status, _) = post(&lenient, &app, &agreements, &json!({})).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn custom_term_end_dates_offer_month_ends_and_the_customers_csp_end_dates() {
    let sandbox = Sandbox::start(config()).await;
    let token = sandbox.app_token().await;
    let customers = sandbox.all_customers(&token, 500).await;
    let today = today();
    let mut seen_aligned = false;
    for c in customers.iter().take(30) {
        let cid = c["id"].as_str().unwrap();
        let (status, body) = sandbox
            .get_json(
                &token,
                &format!("/v1/customers/{cid}/subscriptions/customTermEndDates?term_duration=P1Y"),
            )
            .await;
        assert_eq!(status, 200);
        let items = body["items"].as_array().unwrap();
        let month_ends: Vec<&Value> = items
            .iter()
            .filter(|i| i["allowedCustomTermEndDateType"] == "calendarMonthAligned")
            .collect();
        assert_eq!(month_ends.len(), 12, "{cid}");
        assert_eq!(
            month_ends[0]["allowedCustomTermEndDate"],
            "2026-11-30T00:00:00Z"
        );
        assert_eq!(
            month_ends[11]["allowedCustomTermEndDate"],
            "2027-10-31T00:00:00Z"
        );
        for i in items
            .iter()
            .filter(|i| i["allowedCustomTermEndDateType"] == "subscriptionAligned")
        {
            seen_aligned = true;
            let end = cutover_sandbox::Date::parse(
                &i["allowedCustomTermEndDate"].as_str().unwrap()[..10],
            )
            .unwrap();
            assert!(end >= today && end.0 - today.0 <= 365);
            assert!(!i["cotermSubscriptionIds"].as_array().unwrap().is_empty());
        }
    }
    assert!(seen_aligned);
    let cid = customers[0]["id"].as_str().unwrap();
    let (status, _) = sandbox
        .get_json(
            &token,
            &format!("/v1/customers/{cid}/subscriptions/customTermEndDates?term_duration=P2Y"),
        )
        .await;
    assert_eq!(status, 400);
}
