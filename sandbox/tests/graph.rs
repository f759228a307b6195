//! Microsoft Graph in the sandbox: GDAP admin relationships, a customer tenant's subscriptions
//! and licences, tokens for Graph's scope, and faults in Graph's shapes.
mod common;

use std::collections::{HashMap, HashSet};

use common::{Sandbox, config};
use cutover_sandbox::SandboxConfig;
use serde_json::{Value, json};

const RELATIONSHIPS: &str = "/v1.0/tenantRelationships/delegatedAdminRelationships";
const GLOBAL_READER: &str = "f2ef992c-3afb-46b9-b7cf-a126ee74c451";

/// A delegated Graph token issued at `tenant`'s authority.
async fn graph_token(sandbox: &Sandbox, tenant: &str) -> String {
    let r = sandbox
        .http
        .post(sandbox.url(&format!("/{tenant}/oauth2/v2.0/token")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=refresh_token&client_id=app&client_secret=secret&refresh_token=seeded-refresh-token&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn graph_get(sandbox: &Sandbox, token: &str, path_or_url: &str) -> (u16, Value) {
    let url = if path_or_url.starts_with("http") {
        path_or_url.to_string()
    } else {
        sandbox.url(path_or_url)
    };
    let r = sandbox
        .http
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// Follows `@odata.nextLink` to the end; returns every item.
async fn graph_all(sandbox: &Sandbox, token: &str, path: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut next = path.to_string();
    loop {
        let (status, page) = graph_get(sandbox, token, &next).await;
        assert_eq!(status, 200, "{page}");
        assert!(
            page["@odata.context"]
                .as_str()
                .unwrap()
                .contains("$metadata#")
        );
        out.extend(page["value"].as_array().unwrap().iter().cloned());
        match page["@odata.nextLink"].as_str() {
            Some(n) => next = n.to_string(),
            None => return out,
        }
        assert!(out.len() < 100_000);
    }
}

async fn create(sandbox: &Sandbox, partner: &str, tenant: &str, name: &str) -> (u16, Value) {
    let r = sandbox
        .http
        .post(sandbox.url(RELATIONSHIPS))
        .bearer_auth(partner)
        .json(&json!({
            "displayName": name,
            "duration": "P730D",
            "customer": {"tenantId": tenant},
            "accessDetails": {"unifiedRoles": [{"roleDefinitionId": GLOBAL_READER}]},
            "autoExtendDuration": "P180D",
        }))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}

/// Creates, locks and approves a relationship with `tenant`; returns its id.
async fn grant_access(sandbox: &Sandbox, partner: &str, tenant: &str) -> String {
    let (status, created) =
        create(sandbox, partner, tenant, &format!("Cutover test {tenant}")).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    let r = sandbox
        .http
        .post(sandbox.url(&format!("{RELATIONSHIPS}/{id}/requests")))
        .bearer_auth(partner)
        .json(&json!({"action": "lockForApproval"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let r = sandbox
        .http
        .post(sandbox.url(&format!("/sandbox/gdap/{id}/approve")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    id
}

async fn customers(sandbox: &Sandbox) -> Vec<Value> {
    let token = sandbox.app_token().await;
    sandbox.all_customers(&token, 500).await
}

fn graph_time_date(v: &Value) -> &str {
    &v.as_str().unwrap()[..10]
}

#[tokio::test]
async fn a_relationship_goes_from_created_to_approval_pending_to_active() {
    let sandbox = Sandbox::start(config()).await;
    let partner = graph_token(&sandbox, "partner-tenant").await;
    let list = customers(&sandbox).await;
    let tenant = list[0]["id"].as_str().unwrap();
    let (status, created) = create(&sandbox, &partner, tenant, "Cutover read access").await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["status"], "created");
    assert_eq!(created["customer"]["tenantId"], tenant);
    assert_eq!(created["duration"], "P730D");
    assert_eq!(created["autoExtendDuration"], "P180D");
    assert_eq!(
        created["accessDetails"]["unifiedRoles"][0]["roleDefinitionId"],
        GLOBAL_READER
    );
    assert!(created["activatedDateTime"].is_null());
    let id = created["id"].as_str().unwrap();
    let r = sandbox
        .http
        .post(sandbox.url(&format!("{RELATIONSHIPS}/{id}/requests")))
        .bearer_auth(&partner)
        .json(&json!({"action": "lockForApproval"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(
        r.json::<Value>().await.unwrap()["action"],
        "lockForApproval"
    );
    let (_, got) = graph_get(&sandbox, &partner, &format!("{RELATIONSHIPS}/{id}")).await;
    assert_eq!(got["status"], "approvalPending");
    // Locking twice is refused.
    let r = sandbox
        .http
        .post(sandbox.url(&format!("{RELATIONSHIPS}/{id}/requests")))
        .bearer_auth(&partner)
        .json(&json!({"action": "lockForApproval"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let approved: Value = sandbox
        .http
        .post(sandbox.url(&format!("/sandbox/gdap/{id}/approve")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(approved["status"], "active");
    let activated =
        cutover_sandbox::Date::parse(graph_time_date(&approved["activatedDateTime"])).unwrap();
    let ends = cutover_sandbox::Date::parse(graph_time_date(&approved["endDateTime"])).unwrap();
    assert_eq!(ends.0 - activated.0, 730);
    let filter = format!("{RELATIONSHIPS}?$filter=customer/tenantId eq '{tenant}'");
    let mine = graph_all(&sandbox, &partner, &filter).await;
    assert!(
        mine.iter()
            .any(|r| r["id"] == id && r["status"] == "active")
    );
    assert!(mine.iter().all(|r| r["customer"]["tenantId"] == tenant));
}

#[tokio::test]
async fn bad_relationship_requests_are_refused_in_graphs_error_shape() {
    let sandbox = Sandbox::start(config()).await;
    let partner = graph_token(&sandbox, "partner-tenant").await;
    let list = customers(&sandbox).await;
    let tenant = list[0]["id"].as_str().unwrap();
    let (status, err) = create(&sandbox, &partner, tenant, &"x".repeat(51)).await;
    assert_eq!(status, 400);
    assert_eq!(err["error"]["code"], "BadRequest");
    assert!(err["error"]["message"].as_str().unwrap().contains("50"));
    let (status, _) = create(&sandbox, &partner, tenant, "Same name").await;
    assert_eq!(status, 201);
    let (status, err) = create(&sandbox, &partner, tenant, "Same name").await;
    assert_eq!(status, 409, "{err}");
    let (status, _) = graph_get(
        &sandbox,
        &partner,
        &format!("{RELATIONSHIPS}?$filter=status eq 'active'"),
    )
    .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn tenant_data_needs_active_admin_access_and_revoking_it_closes_the_door() {
    let sandbox = Sandbox::start(config()).await;
    let partner = graph_token(&sandbox, "partner-tenant").await;
    let list = customers(&sandbox).await;
    // A customer with no relationship at all.
    let all = graph_all(&sandbox, &partner, RELATIONSHIPS).await;
    let with_any: HashSet<&str> = all
        .iter()
        .map(|r| r["customer"]["tenantId"].as_str().unwrap())
        .collect();
    let tenant = list
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .find(|id| !with_any.contains(id))
        .expect("some customer has no admin relationship");
    let customer = graph_token(&sandbox, tenant).await;
    let (status, err) = graph_get(&sandbox, &customer, "/v1.0/directory/subscriptions").await;
    assert_eq!(status, 403);
    assert_eq!(err["error"]["code"], "Authorization_RequestDenied");
    let id = grant_access(&sandbox, &partner, tenant).await;
    let (status, _) = graph_get(&sandbox, &customer, "/v1.0/directory/subscriptions").await;
    assert_eq!(status, 200);
    let (status, skus) = graph_get(&sandbox, &customer, "/v1.0/subscribedSkus").await;
    assert_eq!(status, 200);
    assert!(skus["value"].is_array());
    let r = sandbox
        .http
        .post(sandbox.url(&format!("/sandbox/gdap/{id}/terminate")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (status, _) = graph_get(&sandbox, &customer, "/v1.0/subscribedSkus").await;
    assert_eq!(status, 403);
    // The partner's own token reads no customer's data, and a customer token lists no GDAP.
    let (status, _) = graph_get(&sandbox, &partner, "/v1.0/directory/subscriptions").await;
    assert_eq!(status, 403);
    let (status, _) = graph_get(&sandbox, &customer, RELATIONSHIPS).await;
    assert_eq!(status, 403);
    // A Partner Center token is not a Graph token.
    let pc = sandbox.app_token().await;
    let (status, err) = graph_get(&sandbox, &pc, RELATIONSHIPS).await;
    assert_eq!(status, 401);
    assert_eq!(err["error"]["code"], "InvalidAuthenticationToken");
}

#[tokio::test]
async fn seeded_customers_are_at_every_point_of_admin_access() {
    let sandbox = Sandbox::start(SandboxConfig {
        customers: 400,
        ..config()
    })
    .await;
    let partner = graph_token(&sandbox, "partner-tenant").await;
    let all = graph_all(&sandbox, &partner, RELATIONSHIPS).await;
    assert!(all.len() > 100, "paged through {}", all.len());
    let count = |s: &str| all.iter().filter(|r| r["status"] == s).count();
    for s in [
        "created",
        "approvalPending",
        "active",
        "expired",
        "terminated",
    ] {
        assert!(count(s) > 0, "no relationship is {s}");
    }
    let today = common::today();
    let days = |v: &Value| cutover_sandbox::Date::parse(graph_time_date(v)).unwrap().0 - today.0;
    let near_request_expiry = all
        .iter()
        .filter(|r| r["status"] == "approvalPending")
        .filter(|r| days(&r["createdDateTime"]) <= -80)
        .count();
    assert!(near_request_expiry > 0);
    let ending_soon = all
        .iter()
        .filter(|r| r["status"] == "active" && days(&r["endDateTime"]) <= 30)
        .count();
    assert!(ending_soon > 0);
    assert!(
        all.iter()
            .any(|r| r["status"] == "active" && r["autoExtendDuration"] == "P180D")
    );
    let with_any: HashSet<&str> = all
        .iter()
        .map(|r| r["customer"]["tenantId"].as_str().unwrap())
        .collect();
    assert!(
        with_any.len() < 400,
        "some customers have no relationship yet"
    );
}

/// Offer names of the planner's CSV → Graph part numbers, for the sandbox's catalogue.
fn part_numbers() -> HashMap<&'static str, &'static str> {
    HashMap::from([
        ("Microsoft 365 Business Basic", "O365_BUSINESS_ESSENTIALS"),
        ("Microsoft 365 Business Standard", "O365_BUSINESS_PREMIUM"),
        ("Microsoft 365 Business Premium", "SPB"),
        ("Microsoft 365 Apps for business", "O365_BUSINESS"),
        ("Exchange Online (Plan 1)", "EXCHANGESTANDARD"),
        ("Exchange Online (Plan 2)", "EXCHANGEENTERPRISE"),
        ("Office 365 E1", "STANDARDPACK"),
        ("Office 365 E3", "ENTERPRISEPACK"),
        ("Office 365 E5 (no Teams)", "ENTERPRISEPREMIUM"),
        ("Microsoft 365 E3", "SPE_E3"),
        ("Microsoft 365 E5", "SPE_E5"),
        ("Enterprise Mobility + Security E3", "EMS"),
    ])
}

/// Splits one CSV line (the sandbox quotes only fields with commas or quotes).
fn csv_fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                out.last_mut().unwrap().push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(String::new()),
            c => out.last_mut().unwrap().push(c),
        }
    }
    out
}

#[tokio::test]
async fn a_tenants_non_csp_subscriptions_equal_the_seeded_originals() {
    let sandbox = Sandbox::start(SandboxConfig {
        customers: 60,
        ..config()
    })
    .await;
    let partner = graph_token(&sandbox, "partner-tenant").await;
    let pc = sandbox.app_token().await;
    let csv = sandbox
        .http
        .get(sandbox.url("/sandbox/originals.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut expected: HashMap<String, Vec<(String, String, String)>> = HashMap::new();
    for line in csv.lines().skip(1) {
        let f = csv_fields(line);
        let part = part_numbers()[f[2].as_str()].to_string();
        expected
            .entry(f[1].clone())
            .or_default()
            .push((part, f[3].clone(), f[4].clone()));
    }
    let parts: HashSet<&str> = part_numbers().values().copied().collect();
    let free = ["FLOW_FREE", "POWER_BI_STANDARD", "TEAMS_EXPLORATORY"];
    let (mut compared, mut undated, mut unknown, mut trials) = (0, 0, 0, 0);
    for c in customers(&sandbox).await.iter().take(60) {
        let tenant = c["id"].as_str().unwrap();
        let domain = c["companyProfile"]["domain"].as_str().unwrap();
        let filter = format!("{RELATIONSHIPS}?$filter=customer/tenantId eq '{tenant}'");
        if !graph_all(&sandbox, &partner, &filter)
            .await
            .iter()
            .any(|r| r["status"] == "active")
        {
            grant_access(&sandbox, &partner, tenant).await;
        }
        let token = graph_token(&sandbox, tenant).await;
        let subs = graph_all(&sandbox, &token, "/v1.0/directory/subscriptions").await;
        let (_, csp) = sandbox
            .get_json(&pc, &format!("/v1/customers/{tenant}/subscriptions"))
            .await;
        let csp_ids: HashSet<&str> = csp["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap())
            .collect();
        let mut got: Vec<(String, String, String)> = Vec::new();
        for s in &subs {
            let part = s["skuPartNumber"].as_str().unwrap();
            trials += usize::from(s["isTrial"] == true);
            if s["nextLifecycleDateTime"].is_null() && !free.contains(&part) {
                undated += 1;
            }
            if csp_ids.contains(s["commerceSubscriptionId"].as_str().unwrap())
                || s["isTrial"] == true
                || free.contains(&part)
                || s["status"] == "Deleted"
            {
                continue;
            }
            if !parts.contains(part) {
                unknown += 1;
                continue;
            }
            got.push((
                part.to_string(),
                s["totalLicenses"].to_string(),
                graph_time_date(&s["nextLifecycleDateTime"]).to_string(),
            ));
        }
        // Every CSP subscription is there under its Partner Center id.
        let graph_commerce: HashSet<&str> = subs
            .iter()
            .map(|s| s["commerceSubscriptionId"].as_str().unwrap())
            .collect();
        assert!(csp_ids.is_subset(&graph_commerce), "{domain}");
        let mut want = expected.remove(domain).unwrap_or_default();
        want.sort();
        got.sort();
        assert_eq!(got, want, "{domain}");
        compared += want.len();
    }
    assert!(compared > 50, "{compared}");
    assert!(unknown + undated + trials > 0);
}

#[tokio::test]
async fn the_large_tenant_pages_through_hundreds_of_subscriptions() {
    let sandbox = Sandbox::start(config()).await;
    let partner = graph_token(&sandbox, "partner-tenant").await;
    let list = customers(&sandbox).await;
    let tenant = list[5]["id"].as_str().unwrap();
    let filter = format!("{RELATIONSHIPS}?$filter=customer/tenantId eq '{tenant}'");
    if !graph_all(&sandbox, &partner, &filter)
        .await
        .iter()
        .any(|r| r["status"] == "active")
    {
        grant_access(&sandbox, &partner, tenant).await;
    }
    let token = graph_token(&sandbox, tenant).await;
    let (_, first) = graph_get(&sandbox, &token, "/v1.0/directory/subscriptions").await;
    assert_eq!(first["value"].as_array().unwrap().len(), 100);
    assert!(first["@odata.nextLink"].is_string());
    let all = graph_all(&sandbox, &token, "/v1.0/directory/subscriptions").await;
    assert!(all.len() >= 340, "{}", all.len());
    let ids: HashSet<&str> = all.iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), all.len(), "no subscription twice");
}

#[tokio::test]
async fn graph_faults_use_graphs_429_shape_and_retry_after() {
    let sandbox = Sandbox::start(SandboxConfig {
        rate_429: 1.0,
        retry_after_secs: 7,
        ..config()
    })
    .await;
    let partner = graph_token(&sandbox, "partner-tenant").await;
    let r = sandbox
        .http
        .get(sandbox.url(RELATIONSHIPS))
        .bearer_auth(&partner)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "7");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "TooManyRequests");
}
