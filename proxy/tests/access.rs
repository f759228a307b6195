//! Access control, secrets and static files: login off loopback, what never leaves the proxy.
mod common;

use std::collections::HashMap;

use common::{INDEX_MARKER, OUTSIDE_MARKER, header, raw_request, record, small_sandbox};
use cutover_proxy::config::{Config, PartnerCenterMode, RealCredentials};
use cutover_sandbox::SandboxConfig;
use serde_json::{Value, json};

const ACCESS_KEY: &str = "correct-horse-battery-staple";

#[test]
fn listening_off_loopback_requires_an_access_key() {
    let vars: HashMap<String, String> = [("CUTOVER_LISTEN", "0.0.0.0:8080")]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let err = Config::from_vars(&vars).unwrap_err();
    assert!(err.contains("CUTOVER_ACCESS_KEY"), "{err}");
}

#[tokio::test]
async fn with_an_access_key_partner_routes_need_a_session_and_public_ones_do_not() {
    let p = common::start_with(small_sandbox(), |c| {
        c.access_key = Some(ACCESS_KEY.into());
    })
    .await;
    let session: Value = p.get("/api/session").await.json().await.unwrap();
    assert_eq!(
        (&session["required"], &session["active"], &session["actor"]),
        (&json!(true), &json!(false), &Value::Null)
    );
    assert!(session["partnerName"].is_string());
    for path in [
        "/api/store/records",
        "/api/store/settings",
        "/api/pc/v1/customers",
    ] {
        let resp = p.get(path).await;
        assert_eq!(resp.status(), 401, "{path}");
        assert_eq!(
            resp.json::<Value>().await.unwrap()["code"],
            "login_required"
        );
    }

    let wrong = p
        .http
        .post(p.url("/api/session"))
        .json(&json!({"accessKey": "correct-horse-battery-stapler"}))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    assert!(wrong.headers().get("set-cookie").is_none());
    assert_eq!(
        wrong.json::<Value>().await.unwrap()["code"],
        "wrong_access_key"
    );

    let ok = p
        .http
        .post(p.url("/api/session"))
        .json(&json!({"accessKey": ACCESS_KEY, "label": "Ann"}))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    let set_cookie = header(ok.headers(), "set-cookie").to_string();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(set_cookie.contains(attribute), "{set_cookie}");
    }
    assert!(!set_cookie.contains(ACCESS_KEY));
    let cookie = set_cookie.split(';').next().unwrap().to_string();

    let session: Value = p
        .http
        .get(p.url("/api/session"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        session,
        json!({"required": true, "active": true, "actor": "Ann", "partnerName": "Test partner",
               "mode": "accessKey", "role": "admin"})
    );

    let resp = p
        .http
        .put(p.url("/api/store/records/contoso.com"))
        .header("cookie", &cookie)
        .header("If-None-Match", "*")
        .json(&record("domain", "contoso.com", "Contoso", "contoso.com"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let log: Value = p
        .http
        .get(p.url("/api/store/records/contoso.com/changes"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(log["changes"][0]["actor"], "Ann");
    let resp = p
        .http
        .get(p.url("/api/pc/v1/customers?size=5"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);

    // A forged or altered cookie is no session.
    let mut forged = cookie.clone();
    forged.pop();
    forged.push(if cookie.ends_with('0') { '1' } else { '0' });
    let resp = p
        .http
        .get(p.url("/api/store/records"))
        .header("cookie", forged)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);

    // A page on another site cannot make changes with the partner's cookie.
    let resp = p
        .http
        .post(p.url("/api/store/records/contoso.com/links"))
        .header("cookie", &cookie)
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);

    let resp = p
        .http
        .post(p.url("/api/store/records/contoso.com/links"))
        .header("cookie", &cookie)
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let token = resp.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();

    // Customers and the app itself need no login.
    let status = p.get(&format!("/api/public/status/{token}")).await;
    assert_eq!(status.status(), 200);
    let feed = p
        .get(&format!("/api/public/status/{token}/feed.atom"))
        .await;
    assert_eq!(feed.status(), 200);
    let page = p.get("/").await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains(INDEX_MARKER));

    let out = p.http.delete(p.url("/api/session")).send().await.unwrap();
    assert_eq!(out.status(), 204);
    assert!(header(out.headers(), "set-cookie").contains("Max-Age=0"));
}

#[tokio::test]
async fn on_loopback_without_a_key_no_login_is_needed() {
    let p = common::start().await;
    let session: Value = p.get("/api/session").await.json().await.unwrap();
    assert_eq!(
        (&session["required"], &session["active"], &session["actor"]),
        (&json!(false), &json!(true), &json!("partner"))
    );
    let resp = p.get("/api/store/records").await;
    assert_eq!(resp.status(), 200);
}

const CLIENT_SECRET: &str = "client-secret-3f9d2a7c-never-shown";
const REFRESH_TOKEN: &str = "refresh-token-8b1e4d6f-never-shown";

/// A proxy in real mode whose "real" Partner Center is a sandbox that checks these credentials.
async fn real_mode_proxy(secret: &str) -> Result<common::Proxy, String> {
    let sandbox = cutover_sandbox::spawn(SandboxConfig {
        customers: 10,
        prospects: 3,
        client_id: Some("cutover-test-app".into()),
        client_secret: Some(CLIENT_SECRET.into()),
        refresh_token: Some(REFRESH_TOKEN.into()),
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut config = common::config(&dir, SandboxConfig::default());
    config.partner_center = PartnerCenterMode::Real(RealCredentials {
        api_base: format!("http://{sandbox}"),
        auth_base: format!("http://{sandbox}"),
        tenant_id: "partner-tenant".into(),
        client_id: "cutover-test-app".into(),
        client_secret: secret.into(),
        refresh_token: Some(REFRESH_TOKEN.into()),
        graph_api_base: format!("http://{sandbox}"),
    });
    let running = cutover_proxy::start(config).await?;
    Ok(common::Proxy {
        base: format!("http://{}", running.addr),
        addr: running.addr,
        sandbox: Some(format!("http://{sandbox}")),
        http: reqwest::Client::new(),
        dir,
    })
}

#[tokio::test]
async fn real_mode_start_up_says_when_sign_in_is_refused() {
    let err = real_mode_proxy("a-wrong-secret").await.err().unwrap();
    assert!(err.contains("sign-in was refused"), "{err}");
    assert!(!err.contains(CLIENT_SECRET) && !err.contains("a-wrong-secret"));
}

#[tokio::test]
async fn no_response_ever_contains_the_client_secret_or_refresh_token() {
    let p = real_mode_proxy(CLIENT_SECRET).await.unwrap();
    let id = p.some_customer_id().await;
    p.create(&record("pcCustomerId", &id, "Contoso", "contoso.com"))
        .await;
    let (link, token) = p.share(&id, None).await;
    let mut responses = Vec::new();
    let gets = [
        "/".to_string(),
        "/index.html".into(),
        "/status/x".into(),
        "/api/pc/v1/customers?size=5".into(),
        format!("/api/pc/v1/customers/{id}"),
        format!("/api/pc/v1/customers/{id}/subscriptions"),
        format!("/api/pc/v1/customers/{id}/subscribedskus"),
        "/api/pc/v1/customers/relationshiprequests".into(),
        "/api/pc/v1/invoices".into(),
        "/api/pc/v1/customers?size=5&host=evil".into(),
        "/api/store/records".into(),
        format!("/api/store/records/{id}"),
        format!("/api/store/records/{id}/links"),
        format!("/api/store/records/{id}/changes"),
        "/api/store/settings".into(),
        "/api/session".into(),
        format!("/api/public/status/{token}"),
        format!("/api/public/status/{token}/feed.atom"),
        "/api/public/status/unknown".into(),
        "/api/nothing-here".into(),
    ];
    for path in &gets {
        responses.push((path.clone(), p.get(path).await));
    }
    let posts = [
        ("/api/session", json!({"accessKey": CLIENT_SECRET})),
        ("/api/store/import", json!({"records": [{"bad": true}]})),
        ("/api/pc/v1/customers/x/orders", json!({"lineItems": []})),
    ];
    for (path, body) in posts {
        responses.push((
            path.to_string(),
            p.http.post(p.url(path)).json(&body).send().await.unwrap(),
        ));
    }
    responses.push((
        "delete link".into(),
        p.http
            .delete(p.url(&format!("/api/store/records/{id}/links/{link}")))
            .send()
            .await
            .unwrap(),
    ));
    for (what, resp) in responses {
        let headers = format!("{:?}", resp.headers());
        let body = resp.bytes().await.unwrap();
        let text = String::from_utf8_lossy(&body);
        for secret in [CLIENT_SECRET, REFRESH_TOKEN] {
            assert!(!text.contains(secret), "{what}: body holds a secret");
            assert!(!headers.contains(secret), "{what}: headers hold a secret");
        }
    }
}

#[tokio::test]
async fn static_files_never_escape_the_dist_directory() {
    let p = common::start().await;
    for path in [
        "/../outside.txt",
        "/%2e%2e/outside.txt",
        "/..%2foutside.txt",
        "/%2e%2e%2foutside.txt",
        "/assets/../../outside.txt",
        "/..\\outside.txt",
        "//outside.txt",
        "/dist/../outside.txt",
    ] {
        let answer = raw_request(p.addr, path).await;
        assert!(answer.starts_with("HTTP/1.1 "), "{path}: {answer}");
        assert!(!answer.contains(OUTSIDE_MARKER), "{path} escaped: {answer}");
    }
    let control = raw_request(p.addr, "/index.html").await;
    assert!(control.contains(INDEX_MARKER));
}
