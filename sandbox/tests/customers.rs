//! `GET /v1/customers` (paging, shape, determinism), get-by-id and the invitation link.
mod common;

use std::collections::HashSet;
use std::time::Instant;

use common::{Sandbox, config};
use cutover_sandbox::SandboxConfig;
use serde_json::Value;

#[tokio::test]
async fn paging_walks_every_customer_exactly_once() {
    let sandbox = Sandbox::start(config()).await;
    let token = sandbox.app_token().await;
    let customers = sandbox.all_customers(&token, 40).await;
    assert_eq!(customers.len(), 300);
    let ids: HashSet<&str> = customers
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 300);
}

#[tokio::test]
async fn first_page_has_the_documented_shape() {
    let sandbox = Sandbox::start(config()).await;
    let token = sandbox.app_token().await;
    let (status, page) = sandbox.get_json(&token, "/v1/customers?size=40").await;
    assert_eq!(status, 200);
    assert_eq!(page["totalCount"], 300);
    assert_eq!(page["items"].as_array().unwrap().len(), 40);
    assert_eq!(page["attributes"]["objectType"], "Collection");
    assert_eq!(page["links"]["self"]["uri"], "/v1/customers?size=40");
    assert_eq!(page["links"]["self"]["method"], "GET");
    let next = &page["links"]["next"];
    assert!(
        next["uri"]
            .as_str()
            .unwrap()
            .ends_with("seekOperation=Next")
    );
    assert_eq!(next["method"], "GET");
    assert_eq!(next["headers"][0]["key"], "MS-ContinuationToken");
    let c = &page["items"][0];
    let id = c["id"].as_str().unwrap();
    assert_eq!(id.len(), 36);
    assert_eq!(c["companyProfile"]["tenantId"], id);
    assert!(
        c["companyProfile"]["domain"]
            .as_str()
            .unwrap()
            .contains('.')
    );
    assert!(
        !c["companyProfile"]["companyName"]
            .as_str()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        c["companyProfile"]["attributes"]["objectType"],
        "CustomerCompanyProfile"
    );
    assert_eq!(c["relationshipToPartner"], "reseller");
    assert_eq!(c["attributes"]["objectType"], "Customer");
}

#[tokio::test]
async fn last_page_has_no_next_link() {
    let sandbox = Sandbox::start(SandboxConfig {
        customers: 10,
        ..config()
    })
    .await;
    let token = sandbox.app_token().await;
    let (_, page) = sandbox.get_json(&token, "/v1/customers?size=40").await;
    assert_eq!(page["items"].as_array().unwrap().len(), 10);
    assert!(page["links"].get("next").is_none());
    assert!(page.get("continuationToken").is_none());
}

#[tokio::test]
async fn same_seed_same_customers_other_seed_others() {
    let a = Sandbox::start(config()).await;
    let b = Sandbox::start(config()).await;
    let c = Sandbox::start(SandboxConfig {
        seed: 99,
        ..config()
    })
    .await;
    let (ta, tb, tc) = (
        a.app_token().await,
        b.app_token().await,
        c.app_token().await,
    );
    let (_, pa) = a.get_json(&ta, "/v1/customers?size=100").await;
    let (_, pb) = b.get_json(&tb, "/v1/customers?size=100").await;
    let (_, pc) = c.get_json(&tc, "/v1/customers?size=100").await;
    assert_eq!(pa["items"], pb["items"]);
    assert_eq!(pa["continuationToken"], pb["continuationToken"]);
    assert_ne!(pa["items"][0]["id"], pc["items"][0]["id"]);
}

#[tokio::test]
async fn names_are_english_and_japanese_and_domains_plausible() {
    let sandbox = Sandbox::start(config()).await;
    let token = sandbox.app_token().await;
    let customers = sandbox.all_customers(&token, 500).await;
    let names: Vec<&str> = customers
        .iter()
        .map(|c| c["companyProfile"]["companyName"].as_str().unwrap())
        .collect();
    let domains: Vec<&str> = customers
        .iter()
        .map(|c| c["companyProfile"]["domain"].as_str().unwrap())
        .collect();
    let japanese = names
        .iter()
        .filter(|n| n.contains("株式会社") || n.contains("有限会社") || n.contains("合同会社"))
        .count();
    assert!(japanese > 60, "{japanese} Japanese names");
    assert!(names.iter().any(|n| n.is_ascii()));
    assert!(names.iter().all(|n| !n.starts_with("Customer ")));
    assert!(domains.iter().any(|d| d.ends_with(".onmicrosoft.com")));
    assert!(domains.iter().any(|d| d.ends_with(".co.jp")));
    assert!(domains.iter().any(|d| !d.ends_with(".onmicrosoft.com")));
    assert_eq!(domains.iter().collect::<HashSet<_>>().len(), domains.len());
}

#[tokio::test]
async fn ten_thousand_customers_start_fast_and_page_completely() {
    let started = Instant::now();
    let sandbox = Sandbox::start(SandboxConfig {
        customers: 10_000,
        ..config()
    })
    .await;
    assert!(
        started.elapsed().as_millis() < 2_000,
        "took {:?}",
        started.elapsed()
    );
    let token = sandbox.app_token().await;
    let customers = sandbox.all_customers(&token, 500).await;
    assert_eq!(customers.len(), 10_000);
    let ids: HashSet<&str> = customers
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 10_000);
}

#[tokio::test]
async fn size_is_capped_and_defaulted() {
    let sandbox = Sandbox::start(SandboxConfig {
        customers: 1200,
        ..config()
    })
    .await;
    let token = sandbox.app_token().await;
    let (_, page) = sandbox.get_json(&token, "/v1/customers?size=5000").await;
    assert_eq!(page["items"].as_array().unwrap().len(), 500);
    let (_, page) = sandbox.get_json(&token, "/v1/customers").await;
    assert_eq!(page["items"].as_array().unwrap().len(), 500);
    let (status, body) = sandbox.get_json(&token, "/v1/customers?size=many").await;
    assert_eq!(status, 400);
    assert_eq!(body["source"], "PartnerFD");
}

#[tokio::test]
async fn bad_or_missing_continuation_token_is_a_400() {
    let sandbox = Sandbox::start(config()).await;
    let token = sandbox.app_token().await;
    let r = sandbox
        .get(&token, "/v1/customers?size=40&seekOperation=Next")
        .header("MS-ContinuationToken", "forged")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    assert!(
        body["description"]
            .as_str()
            .unwrap()
            .contains("continuation token")
    );
    let (status, _) = sandbox
        .get_json(&token, "/v1/customers?size=40&seekOperation=Next")
        .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn domain_filter_finds_customers_by_prefix() {
    let sandbox = Sandbox::start(config()).await;
    let token = sandbox.app_token().await;
    let (_, page) = sandbox.get_json(&token, "/v1/customers?size=1").await;
    let domain = page["items"][0]["companyProfile"]["domain"]
        .as_str()
        .unwrap()
        .to_string();
    let prefix = domain[..4].to_ascii_uppercase();
    let filter = format!(
        "%7B%22Field%22%3A%22Domain%22%2C%22Value%22%3A%22{prefix}%22%2C%22Operator%22%3A%22starts_with%22%7D"
    );
    let (status, found) = sandbox
        .get_json(&token, &format!("/v1/customers?size=0&filter={filter}"))
        .await;
    assert_eq!(status, 200);
    let items = found["items"].as_array().unwrap();
    assert!(
        items
            .iter()
            .any(|c| c["companyProfile"]["domain"] == domain.as_str())
    );
    assert!(items.iter().all(|c| {
        c["companyProfile"]["domain"]
            .as_str()
            .unwrap()
            .starts_with(&prefix.to_ascii_lowercase())
    }));
}

#[tokio::test]
async fn get_by_id_adds_address_and_billing_profile() {
    let sandbox = Sandbox::start(config()).await;
    let token = sandbox.app_token().await;
    let (_, page) = sandbox.get_json(&token, "/v1/customers?size=1").await;
    let id = page["items"][0]["id"].as_str().unwrap();
    let (status, c) = sandbox
        .get_json(&token, &format!("/v1/customers/{id}"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(c["id"], id);
    assert!(c["companyProfile"]["address"]["country"].is_string());
    assert!(c["billingProfile"]["culture"].is_string());
    assert_eq!(c["attributes"]["objectType"], "Customer");
    let (status, err) = sandbox
        .get_json(&token, "/v1/customers/00000000-0000-4000-8000-000000000000")
        .await;
    assert_eq!(status, 404);
    assert_eq!(err["code"], "20002");
    assert!(err["description"].is_string());
}

#[tokio::test]
async fn relationship_request_link_needs_app_plus_user() {
    let sandbox = Sandbox::start(config()).await;
    let user = sandbox.user_token().await;
    let (status, body) = sandbox
        .get_json(&user, "/v1/customers/relationshiprequests")
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["attributes"]["objectType"], "RelationshipRequest");
    let url = body["url"].as_str().unwrap();
    assert!(url.starts_with(
        "https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship&partnerId="
    ));
    assert!(url.ends_with("#/BillingAccounts/partner-invitation"));
    let app = sandbox.app_token().await;
    let (status, _) = sandbox
        .get_json(&app, "/v1/customers/relationshiprequests")
        .await;
    assert_eq!(status, 403);
}
