//! Microsoft Graph through the proxy against the embedded sandbox: the allow-list, tokens per
//! tenant, GDAP, a customer tenant's subscriptions, paging, retries and errors.
mod common;

use common::{Proxy, small_sandbox, start_with};
use cutover_sandbox::SandboxConfig;
use serde_json::{Value, json};

const RELATIONSHIPS: &str = "/api/graph/v1.0/tenantRelationships/delegatedAdminRelationships";
const GLOBAL_READER: &str = "f2ef992c-3afb-46b9-b7cf-a126ee74c451";

async fn customer_ids(p: &Proxy) -> Vec<String> {
    let text = p
        .get("/api/pc/v1/customers?size=500")
        .await
        .text()
        .await
        .unwrap();
    cutover_plan::partner_center::parse_customer_page(&text)
        .unwrap()
        .customers
        .into_iter()
        .map(|c| c.id)
        .collect()
}

async fn relationships_of(p: &Proxy, tenant: &str) -> Vec<Value> {
    let r = p
        .get(&format!(
            "{RELATIONSHIPS}?$filter=customer%2FtenantId%20eq%20%27{tenant}%27"
        ))
        .await;
    assert_eq!(r.status(), 200);
    r.json::<Value>().await.unwrap()["value"]
        .as_array()
        .unwrap()
        .clone()
}

/// Requests admin access through the proxy and approves it through the sandbox's control route.
async fn grant_access(p: &Proxy, tenant: &str) -> String {
    let r = p
        .http
        .post(p.url(RELATIONSHIPS))
        .json(&json!({
            "displayName": format!("Cutover {}", &tenant[..8]),
            "duration": "P730D",
            "customer": {"tenantId": tenant},
            "accessDetails": {"unifiedRoles": [{"roleDefinitionId": GLOBAL_READER}]},
            "autoExtendDuration": "P180D",
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let created: Value = r.json().await.unwrap();
    assert_eq!(created["status"], "created");
    let id = created["id"].as_str().unwrap().to_string();
    let r = p
        .http
        .post(p.url(&format!("{RELATIONSHIPS}/{id}/requests")))
        .json(&json!({"action": "lockForApproval"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let got: Value = p
        .get(&format!("{RELATIONSHIPS}/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(got["status"], "approvalPending");
    let sandbox = p.sandbox.as_ref().unwrap();
    let r = p
        .http
        .post(format!("{sandbox}/sandbox/gdap/{id}/approve"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    id
}

/// A customer without any admin relationship yet.
async fn customer_without_access(p: &Proxy) -> String {
    for id in customer_ids(p).await {
        if relationships_of(p, &id).await.is_empty() {
            return id;
        }
    }
    panic!("every customer already has an admin relationship");
}

#[tokio::test]
async fn admin_access_requested_through_the_proxy_opens_the_customer_tenant() {
    let p = start_with(small_sandbox(), |_| {}).await;
    let tenant = customer_without_access(&p).await;
    let subs = format!("/api/graph/tenants/{tenant}/v1.0/directory/subscriptions");
    let r = p.get(&subs).await;
    assert_eq!(r.status(), 403);
    let err: Value = r.json().await.unwrap();
    assert_eq!(err["code"], "graph_access_denied");
    assert_eq!(err["retryable"], false);
    assert!(err["message"].as_str().unwrap().contains("admin access"));
    assert!(err["requestId"].is_string());
    let id = grant_access(&p, &tenant).await;
    let r = p.get(&subs).await;
    assert_eq!(r.status(), 200);
    let page: Value = r.json().await.unwrap();
    assert!(page["@odata.context"].is_string());
    assert!(page["value"].is_array());
    let r = p
        .get(&format!("/api/graph/tenants/{tenant}/v1.0/subscribedSkus"))
        .await;
    assert_eq!(r.status(), 200);
    // The customer revokes access: the next read is refused again, as a sentence.
    let sandbox = p.sandbox.as_ref().unwrap();
    p.http
        .post(format!("{sandbox}/sandbox/gdap/{id}/terminate"))
        .send()
        .await
        .unwrap();
    let r = p.get(&subs).await;
    assert_eq!(r.status(), 403);
    let rels = relationships_of(&p, &tenant).await;
    assert_eq!(rels[0]["status"], "terminated");
}

#[tokio::test]
async fn calls_outside_the_graph_allow_list_are_refused() {
    let p = start_with(small_sandbox(), |_| {}).await;
    let tenant = &customer_ids(&p).await[0];
    for path in [
        "/api/graph/v1.0/users".to_string(),
        "/api/graph/v1.0/directory/subscriptions".to_string(),
        format!("/api/graph/tenants/{tenant}/v1.0/users"),
        format!("/api/graph/tenants/{tenant}/v1.0/directory/subscriptions?$select=id"),
        format!("{RELATIONSHIPS}?$filter=status%20eq%20%27active%27"),
    ] {
        let r = p.get(&path).await;
        assert_eq!(r.status(), 403, "{path}");
        let err: Value = r.json().await.unwrap();
        assert_eq!(err["code"], "not_allowed", "{path}");
    }
    let r = p
        .http
        .delete(p.url(&format!(
            "{RELATIONSHIPS}/5e5594d3-6f82-458b-b567-77db4811f0cd-{tenant}"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn a_tenant_with_hundreds_of_subscriptions_pages_through_the_proxy() {
    let p = start_with(small_sandbox(), |_| {}).await;
    let tenant = customer_ids(&p).await[5].clone();
    if !relationships_of(&p, &tenant)
        .await
        .iter()
        .any(|r| r["status"] == "active")
    {
        grant_access(&p, &tenant).await;
    }
    let mut query = String::new();
    let mut all = Vec::new();
    let mut pages = 0;
    loop {
        let r = p
            .get(&format!(
                "/api/graph/tenants/{tenant}/v1.0/directory/subscriptions{query}"
            ))
            .await;
        assert_eq!(r.status(), 200);
        let page: Value = r.json().await.unwrap();
        pages += 1;
        all.extend(page["value"].as_array().unwrap().iter().cloned());
        let Some(next) = page["@odata.nextLink"].as_str() else {
            break;
        };
        query = format!("?{}", next.split_once('?').unwrap().1);
        assert!(pages < 50);
    }
    assert!(all.len() >= 340, "{}", all.len());
    assert!(pages >= 4);
}

#[tokio::test]
async fn graph_faults_are_retried_away() {
    let p = start_with(
        SandboxConfig {
            customers: 40,
            rate_429: 0.10,
            retry_after_secs: 0,
            rate_5xx: 0.05,
            rate_malformed: 0.03,
            ..SandboxConfig::default()
        },
        |_| {},
    )
    .await;
    // The customer list itself may meet faults too; the proxy retries those as well.
    let ids = customer_ids(&p).await;
    let mut read = 0;
    for id in ids.iter().take(25) {
        let rels = relationships_of(&p, id).await;
        if !rels.iter().any(|r| r["status"] == "active") {
            continue;
        }
        for path in ["v1.0/directory/subscriptions", "v1.0/subscribedSkus"] {
            let r = p.get(&format!("/api/graph/tenants/{id}/{path}")).await;
            assert_eq!(r.status(), 200, "{id} {path}");
        }
        read += 1;
    }
    assert!(read > 3, "{read}");
}

#[tokio::test]
async fn a_long_graph_retry_after_is_handed_to_the_app() {
    let p = start_with(
        SandboxConfig {
            rate_429: 1.0,
            retry_after_secs: 120,
            ..small_sandbox()
        },
        |_| {},
    )
    .await;
    let r = p.get(RELATIONSHIPS).await;
    assert_eq!(r.status(), 429);
    assert_eq!(common::header(r.headers(), "retry-after"), "120");
    let err: Value = r.json().await.unwrap();
    assert_eq!(err["code"], "graph_throttled");
    assert_eq!(err["retryable"], true);
    assert_eq!(err["retryAfter"], 120);
}
