//! Every route in the role table, called by every role (and by nobody, and by someone signed in
//! without a role): a role below the route's minimum gets 403 `forbidden_role` and changes
//! nothing; a role at or above it gets the route's own answer. A rule without a request here
//! fails the test, so a new route cannot go untested.
use crate::common::{Proxy, record};
use crate::support::*;
use cutover_plan::roles::Role;
use cutover_proxy::routes::roles::{Access, ROUTES, RouteRule};
use reqwest::Method;
use reqwest::header::COOKIE;
use serde_json::{Value, json};

const RELATIONSHIPS: &str = "/api/graph/v1.0/tenantRelationships/delegatedAdminRelationships";
const GLOBAL_READER: &str = "f2ef992c-3afb-46b9-b7cf-a126ee74c451";

/// What the calls need: a customer, records, links and an approval to act on.
struct World {
    p: Proxy,
    customer: String,
    subscription: String,
    people: Vec<(Role, String)>,
    newcomer: String,
    admin: String,
    /// The share link each role revokes.
    links: Vec<(Role, String)>,
}

fn role_name(r: Role) -> &'static str {
    r.code()
}

async fn call(
    p: &Proxy,
    method: Method,
    path: &str,
    cookie: Option<&str>,
    headers: &[(&str, String)],
    body: Option<Value>,
) -> reqwest::Response {
    let mut req = browser().request(method, p.url(path));
    if let Some(c) = cookie {
        req = req.header(COOKIE, c);
    }
    for (k, v) in headers {
        req = req.header(*k, v);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    req.send().await.unwrap()
}

async fn setup() -> World {
    let p = start(&[("CUTOVER_ORDER_APPROVAL_SEATS", "100")]).await;
    let mut people = Vec::new();
    for (role, hint) in [
        (Role::Viewer, VIEWER),
        (Role::Editor, EDITOR),
        (Role::Orderer, ORDERER),
        (Role::Admin, ADMIN),
    ] {
        people.push((role, sign_in(&p, hint).await));
    }
    let newcomer = sign_in(&p, NEWCOMER).await;
    let admin = people[3].1.clone();
    let text = call(
        &p,
        Method::GET,
        "/api/pc/v1/customers?size=5",
        Some(&admin),
        &[],
        None,
    )
    .await
    .text()
    .await
    .unwrap();
    let customer = cutover_plan::partner_center::parse_customer_page(&text)
        .unwrap()
        .customers[0]
        .id
        .clone();
    let subs: Value = call(
        &p,
        Method::GET,
        &format!("/api/pc/v1/customers/{customer}/subscriptions"),
        Some(&admin),
        &[],
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    let subscription = subs["items"][0]["id"].as_str().unwrap_or("none").to_owned();
    // Records every role acts on: one to read, one per role to rekey and to unshare.
    let create = |key: String| {
        let p = &p;
        let admin = admin.clone();
        async move {
            let resp = call(
                p,
                Method::PUT,
                &format!("/api/store/records/{key}"),
                Some(&admin),
                &[("If-None-Match", "*".into())],
                Some(record("domain", &key, "Contoso", &key)),
            )
            .await;
            assert_eq!(resp.status(), 200, "{key}");
        }
    };
    create("contoso.example".into()).await;
    let mut links = Vec::new();
    for r in Role::ALL {
        create(format!("rekey-{}.example", role_name(r))).await;
        let made: Value = call(
            &p,
            Method::POST,
            "/api/store/records/contoso.example/links",
            Some(&admin),
            &[],
            Some(json!({})),
        )
        .await
        .json()
        .await
        .unwrap();
        let id = made["link"]["id"].as_str().unwrap().to_owned();
        links.push((r, id));
    }
    // An order waiting for approval, asked by a second orderer.
    let otto = sign_in(&p, ORDERER2).await;
    let asked = call(
        &p,
        Method::POST,
        "/api/approvals",
        Some(&otto),
        &[],
        Some(json!({
            "requestId": "5f0c7a52-9b8e-4d7e-8f0a-00000000aaaa",
            "customerId": customer,
            "customerName": "Contoso",
            "lines": [{"offerId": "CFQ7TTC0LF8R:0001", "offerName": "Office 365 E3", "quantity": 150}]
        })),
    )
    .await;
    assert_eq!(asked.status(), 200, "{}", asked.text().await.unwrap());
    World {
        p,
        customer,
        subscription,
        people,
        newcomer,
        admin,
        links,
    }
}

/// The request that exercises `rule` as `role`, and the status expected when it is allowed.
async fn request_for(
    w: &World,
    rule: &RouteRule,
    role: Role,
) -> (
    Method,
    String,
    Vec<(&'static str, String)>,
    Option<Value>,
    Option<u16>,
) {
    let r = role_name(role);
    let c = &w.customer;
    let m = |s: &str| Method::from_bytes(s.as_bytes()).unwrap();
    match (rule.method, rule.path) {
        ("GET", "/api/store/records") => (
            m("GET"),
            "/api/store/records".into(),
            vec![],
            None,
            Some(200),
        ),
        ("GET", "/api/store/records/{key}") => (
            m("GET"),
            "/api/store/records/contoso.example".into(),
            vec![],
            None,
            Some(200),
        ),
        ("PUT", "/api/store/records/{key}") => {
            let key = format!("new-{r}.example");
            (
                m("PUT"),
                format!("/api/store/records/{key}"),
                vec![("If-None-Match", "*".into())],
                Some(record("domain", &key, "New", &key)),
                Some(200),
            )
        }
        ("POST", "/api/store/records/{key}/rekey") => {
            let new = format!("rekeyed-{r}.example");
            (
                m("POST"),
                format!("/api/store/records/rekey-{r}.example/rekey"),
                vec![("If-Match", "\"1\"".into())],
                Some(record("domain", &new, "Contoso", &new)),
                Some(200),
            )
        }
        ("GET", "/api/store/records/{key}/changes") => (
            m("GET"),
            "/api/store/records/contoso.example/changes".into(),
            vec![],
            None,
            Some(200),
        ),
        ("GET", "/api/store/records/{key}/history") => (
            m("GET"),
            "/api/store/records/contoso.example/history".into(),
            vec![],
            None,
            Some(200),
        ),
        ("GET", "/api/store/records/{key}/links") => (
            m("GET"),
            "/api/store/records/contoso.example/links".into(),
            vec![],
            None,
            Some(200),
        ),
        ("POST", "/api/store/records/{key}/links") => (
            m("POST"),
            "/api/store/records/contoso.example/links".into(),
            vec![],
            Some(json!({})),
            Some(201),
        ),
        ("DELETE", "/api/store/records/{key}/links/{id}") => {
            let id = w
                .links
                .iter()
                .find(|(x, _)| *x == role)
                .map(|(_, id)| id.clone())
                .unwrap();
            (
                m("DELETE"),
                format!("/api/store/records/contoso.example/links/{id}"),
                vec![],
                None,
                Some(204),
            )
        }
        ("POST", "/api/store/import") => {
            let key = format!("imported-{r}.example");
            (
                m("POST"),
                "/api/store/import".into(),
                vec![],
                Some(json!({"records": [record("domain", &key, "Imported", &key)]})),
                Some(200),
            )
        }
        ("GET", "/api/store/settings") => (
            m("GET"),
            "/api/store/settings".into(),
            vec![],
            None,
            Some(200),
        ),
        ("PUT", "/api/store/settings") => {
            let now: Value = call(
                &w.p,
                Method::GET,
                "/api/store/settings",
                Some(&w.admin),
                &[],
                None,
            )
            .await
            .json()
            .await
            .unwrap();
            let version = now["version"].as_u64().unwrap();
            (
                m("PUT"),
                "/api/store/settings".into(),
                vec![("If-Match", format!("\"{version}\""))],
                Some(now["doc"].clone()),
                Some(200),
            )
        }
        ("*", "/api/store/{*rest}") => (
            m("GET"),
            "/api/store/no-such-thing".into(),
            vec![],
            None,
            Some(404),
        ),
        ("GET", "/api/pc/{*path}") => (
            m("GET"),
            "/api/pc/v1/customers?size=5".into(),
            vec![],
            None,
            Some(200),
        ),
        ("POST", "/api/pc/{*path}") => {
            let rid = match role {
                Role::Orderer => "5f0c7a52-9b8e-4d7e-8f0a-0000000000b1",
                _ => "5f0c7a52-9b8e-4d7e-8f0a-0000000000b2",
            };
            (
                m("POST"),
                format!("/api/pc/v1/customers/{c}/orders"),
                vec![("MS-RequestId", rid.into())],
                Some(
                    json!({"referenceCustomerId": c, "lineItems": [{"lineItemNumber": 0, "offerId": "CFQ7TTC0LH18:0001:CFQ7TTC0K971", "quantity": 5}]}),
                ),
                Some(201),
            )
        }
        ("PATCH", "/api/pc/{*path}") => (
            m("PATCH"),
            format!("/api/pc/v1/customers/{c}/subscriptions/{}", w.subscription),
            vec![],
            Some(json!({"autoRenewEnabled": false})),
            None,
        ),
        ("*", "/api/pc/{*path}") => (
            m("DELETE"),
            format!("/api/pc/v1/customers/{c}"),
            vec![],
            None,
            None,
        ),
        ("GET", "/api/graph/{*path}") => (
            m("GET"),
            format!("{RELATIONSHIPS}?$filter=customer%2FtenantId%20eq%20%27{c}%27"),
            vec![],
            None,
            Some(200),
        ),
        ("POST", "/api/graph/{*path}") => (
            m("POST"),
            RELATIONSHIPS.into(),
            vec![],
            Some(json!({
                "displayName": format!("Cutover {r}"), "duration": "P730D", "customer": {"tenantId": c},
                "accessDetails": {"unifiedRoles": [{"roleDefinitionId": GLOBAL_READER}]}, "autoExtendDuration": "P180D",
            })),
            Some(201),
        ),
        ("*", "/api/graph/{*path}") => (m("DELETE"), RELATIONSHIPS.into(), vec![], None, None),
        ("GET", "/api/store/records/{key}/subscribers") => (
            m("GET"),
            "/api/store/records/contoso.example/subscribers".into(),
            vec![],
            None,
            Some(200),
        ),
        ("DELETE", "/api/store/records/{key}/subscribers/{id}") => (
            m("DELETE"),
            format!("/api/store/records/contoso.example/subscribers/no-such-{r}"),
            vec![],
            None,
            Some(404),
        ),
        ("GET", "/api/store/calendar-links") => (
            m("GET"),
            "/api/store/calendar-links".into(),
            vec![],
            None,
            Some(200),
        ),
        ("POST", "/api/store/calendar-links") => (
            m("POST"),
            "/api/store/calendar-links".into(),
            vec![],
            Some(json!({"label": format!("{r}'s Outlook"), "lang": "en"})),
            Some(201),
        ),
        ("DELETE", "/api/store/calendar-links/{id}") => (
            m("DELETE"),
            format!("/api/store/calendar-links/no-such-{r}"),
            vec![],
            None,
            Some(404),
        ),
        ("GET", "/api/activity") => (
            m("GET"),
            "/api/activity?kind=share-link".into(),
            vec![],
            None,
            Some(200),
        ),
        ("GET", "/api/people") => (m("GET"), "/api/people".into(), vec![], None, Some(200)),
        ("PUT", "/api/people/{subject}") => (
            m("PUT"),
            format!("/api/people/{}", cutover_sandbox::oidc::USERS[4].oid),
            vec![],
            Some(json!({"role": "orderer"})),
            Some(200),
        ),
        ("GET", "/api/approvals") => (m("GET"), "/api/approvals".into(), vec![], None, Some(200)),
        ("POST", "/api/approvals") => (
            m("POST"),
            "/api/approvals".into(),
            vec![],
            Some(json!({
                "requestId": format!("5f0c7a52-9b8e-4d7e-8f0a-00000000c{:03}", role as u8),
                "customerId": c, "customerName": "Contoso",
                "lines": [{"offerId": "CFQ7TTC0LF8R:0001", "offerName": "Office 365 E3", "quantity": 200}]
            })),
            Some(200),
        ),
        ("POST", "/api/approvals/{id}/approve") => (
            m("POST"),
            "/api/approvals/5f0c7a52-9b8e-4d7e-8f0a-00000000aaaa/approve".into(),
            vec![],
            None,
            Some(200),
        ),
        other => panic!("no request for the route {other:?}: add one to team_roles.rs"),
    }
}

/// The policy of the roles, stated here again independently of the table: viewers read,
/// editors plan, import and share (and request admin access), orderers also order and transfer,
/// admins also manage people and settings.
fn policy(method: &str, path: &str) -> Role {
    match (method, path) {
        (_, p) if p.starts_with("/api/people") => Role::Admin,
        ("PUT", "/api/store/settings") => Role::Admin,
        ("GET", _) | ("*", "/api/store/{*rest}") => Role::Viewer,
        (_, p) if p.starts_with("/api/pc/") || p.starts_with("/api/approvals") => Role::Orderer,
        _ => Role::Editor,
    }
}

#[tokio::test]
async fn every_route_is_tried_with_every_role() {
    let w = setup().await;
    let mut tried = 0;
    for rule in ROUTES {
        let Access::Role(in_table) = rule.access else {
            continue;
        };
        let required = policy(rule.method, rule.path);
        assert_eq!(
            in_table, required,
            "the role table disagrees with the policy for {} {}",
            rule.method, rule.path
        );
        for (role, cookie) in &w.people {
            let (method, path, headers, body, ok) = request_for(&w, rule, *role).await;
            let resp = call(&w.p, method.clone(), &path, Some(cookie), &headers, body).await;
            let status = resp.status().as_u16();
            let answer: Value = resp.json().await.unwrap_or(Value::Null);
            let what = format!("{} {} as {role}: {status} {answer}", rule.method, path);
            if role.includes(required) {
                assert_ne!(answer["code"], "forbidden_role", "{what}");
                assert!(status != 401 && status < 500, "{what}");
                if let Some(ok) = ok {
                    assert_eq!(status, ok, "{what}");
                }
            } else {
                assert_eq!(status, 403, "{what}");
                assert_eq!(answer["code"], "forbidden_role", "{what}");
                assert!(
                    answer["message"]
                        .as_str()
                        .unwrap()
                        .contains(required.code()),
                    "{what}"
                );
            }
            tried += 1;
        }
        // Nobody signed in, and someone signed in without a role.
        let (method, path, headers, body, _) = request_for(&w, rule, Role::Viewer).await;
        let resp = call(&w.p, method.clone(), &path, None, &headers, body.clone()).await;
        assert_eq!(resp.status(), 401, "{} {path} signed out", rule.method);
        let resp = call(&w.p, method, &path, Some(&w.newcomer), &headers, body).await;
        assert_eq!(resp.status(), 403, "{} {path} without a role", rule.method);
        assert_eq!(resp.json::<Value>().await.unwrap()["code"], "no_role");
    }
    assert!(tried >= 31 * 4, "{tried} calls");
}

#[tokio::test]
async fn refused_writes_left_nothing_behind_and_allowed_ones_are_in_the_history() {
    let w = setup().await;
    for rule in ROUTES.iter().filter(|r| r.method != "GET") {
        if let Access::Role(_) = rule.access {
            for (role, cookie) in &w.people {
                let (method, path, headers, body, _) = request_for(&w, rule, *role).await;
                call(&w.p, method, &path, Some(cookie), &headers, body).await;
            }
        }
    }
    let records: Value = call(
        &w.p,
        Method::GET,
        "/api/store/records",
        Some(&w.admin),
        &[],
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    let keys: Vec<&str> = records["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap())
        .collect();
    for key in [
        "new-viewer.example",
        "imported-viewer.example",
        "rekeyed-viewer.example",
    ] {
        assert!(!keys.contains(&key), "a viewer wrote {key}");
    }
    for key in [
        "new-editor.example",
        "imported-editor.example",
        "rekeyed-editor.example",
    ] {
        assert!(keys.contains(&key), "an editor could not write {key}");
    }
    // Who did what is in the activity: the editor's share link and the admin's role change.
    let activity: Value = call(
        &w.p,
        Method::GET,
        "/api/activity",
        Some(&w.admin),
        &[],
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    let entries = activity["entries"].as_array().unwrap();
    let by = |actor: &str, kind: &str| {
        entries
            .iter()
            .any(|e| e["actor"] == actor && e["kinds"].as_array().unwrap().contains(&json!(kind)))
    };
    assert!(by(EDITOR, "share-link"));
    assert!(!by(VIEWER, "share-link"));
    assert!(by(ADMIN, "people"));
    assert!(by(ADMIN, "settings"));
    assert!(!by(ORDERER, "settings"));
}

#[tokio::test]
async fn public_routes_answer_without_a_session() {
    let p = start(&[]).await;
    for rule in ROUTES.iter().filter(|r| r.access == Access::Public) {
        let (method, path, ok) = match (rule.method, rule.path) {
            ("*", "/api/session") => (Method::GET, "/api/session", 200),
            ("GET", "/api/auth/login") => (Method::GET, "/api/auth/login", 302),
            ("GET", "/api/auth/callback") => {
                (Method::GET, "/api/auth/callback?code=x&state=y", 303)
            }
            ("GET", "/api/public/status/{token}") => (Method::GET, "/api/public/status/0000", 404),
            ("GET", "/api/public/status/{token}/feed.atom") => {
                (Method::GET, "/api/public/status/0000/feed.atom", 404)
            }
            // Mail is not configured here: a status page offers no e-mail updates.
            ("POST", "/api/public/status/{token}/subscribe") => {
                (Method::POST, "/api/public/status/0000/subscribe", 404)
            }
            ("*", "/api/public/mail/confirm/{token}") => {
                (Method::GET, "/api/public/mail/confirm/0000", 404)
            }
            // Unsubscribing an unknown address says it is unsubscribed (nothing to learn).
            ("*", "/api/public/mail/unsubscribe/{token}") => {
                (Method::GET, "/api/public/mail/unsubscribe/0000", 200)
            }
            ("GET", "/api/public/calendar/{file}") => {
                (Method::GET, "/api/public/calendar/0000.ics", 404)
            }
            ("GET", "/healthz") => (Method::GET, "/healthz", 200),
            ("GET", "/readyz") => (Method::GET, "/readyz", 200),
            ("GET", "/metrics") => (Method::GET, "/metrics", 200),
            ("GET", "/*") => (Method::GET, "/activity", 200),
            other => panic!("no request for the public route {other:?}"),
        };
        let resp = call(&p, method, path, None, &[], None).await;
        assert_eq!(resp.status().as_u16(), ok, "{path}");
    }
}
