//! Sign-in with OpenID Connect against the sandbox's identity provider, and the security cases
//! that must fail: a viewer's write, an editor's order, a forged or expired session, a token for
//! another audience (and issuer, expiry, nonce, signature, key), a replayed authorization code,
//! a login CSRF, a cross-site write. Secrets never appear in answers or logs.
use crate::common::{header, record};
use crate::support::*;
use cutover_proxy::store::{SignIn, Store, StoreLocation};
use reqwest::header::COOKIE;
use serde_json::{Value, json};

async fn session(p: &crate::common::Proxy, cookie: &str) -> Value {
    browser()
        .get(p.url("/api/session"))
        .header(COOKIE, cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

fn tamper_url(p: &crate::common::Proxy, how: &str) -> String {
    format!("{}/sandbox/oidc/tamper/{how}", p.sandbox.as_ref().unwrap())
}

#[tokio::test]
async fn each_sandbox_user_signs_in_with_the_role_their_groups_give() {
    let p = start(&[]).await;
    let signed_out: Value = p.get("/api/session").await.json().await.unwrap();
    assert_eq!(
        (
            &signed_out["required"],
            &signed_out["active"],
            &signed_out["mode"],
            &signed_out["signInUrl"]
        ),
        (
            &json!(true),
            &json!(false),
            &json!("oidc"),
            &json!("/api/auth/login")
        )
    );
    for (hint, role, name) in [
        (VIEWER, json!("viewer"), "Vera Viewer"),
        (EDITOR, json!("editor"), "Eddie Editor"),
        (ORDERER, json!("orderer"), "Olga Orderer"),
        (ADMIN, json!("admin"), "Ada Admin"),
        (NEWCOMER, Value::Null, "Nora Newcomer"),
    ] {
        let cookie = sign_in(&p, hint).await;
        let s = session(&p, &cookie).await;
        assert_eq!(s["active"], true, "{hint}");
        assert_eq!(s["role"], role, "{hint}");
        assert_eq!(s["actor"], hint);
        assert_eq!(s["name"], name);
        let token = cookie.split_once('=').unwrap().1;
        assert!(
            !s.to_string().contains(token),
            "the session token is not echoed"
        );
    }
    let cookie = sign_in(&p, NEWCOMER).await;
    let resp = browser()
        .get(p.url("/api/store/records"))
        .header(COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["code"], "no_role");
    assert!(body["message"].as_str().unwrap().contains("ask an admin"));
}

#[tokio::test]
async fn the_session_cookie_is_http_only_lax_and_secure_only_over_https() {
    let p = start(&[]).await;
    let flow = start_sign_in(&p, EDITOR).await;
    let resp = finish_sign_in(&flow).await;
    let c = set_cookie(&resp, "cutover_sid").unwrap();
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=43200"] {
        assert!(c.contains(attribute), "{c}");
    }
    assert!(!c.contains("Secure"), "plain HTTP on loopback: {c}");
    let p = start(&[("CUTOVER_PUBLIC_URL", "https://cutover.example")]).await;
    // Behind an HTTPS reverse proxy the callback arrives at the public address; here it is
    // replayed against the proxy directly, with the state cookie of that sign-in.
    let b = browser();
    let resp = b
        .get(p.url("/api/auth/login?loginHint=editor@partner.example"))
        .send()
        .await
        .unwrap();
    let state_cookie = set_cookie(&resp, "cutover_sign_in").unwrap();
    assert!(state_cookie.contains("; Secure"), "{state_cookie}");
    let authorize = location(&resp);
    assert!(
        authorize.contains("redirect_uri=https%3A%2F%2Fcutover.example%2Fapi%2Fauth%2Fcallback"),
        "{authorize}"
    );
    let back = location(&b.get(&authorize).send().await.unwrap());
    let query = back.split_once('?').unwrap().1;
    let resp = b
        .get(p.url(&format!("/api/auth/callback?{query}")))
        .header(COOKIE, pair(&state_cookie))
        .send()
        .await
        .unwrap();
    let c = set_cookie(&resp, "cutover_sid").expect("signed in");
    assert!(c.contains("; Secure"), "{c}");
}

#[tokio::test]
async fn a_viewers_write_is_refused_and_changes_nothing() {
    let p = start(&[]).await;
    let admin = sign_in(&p, ADMIN).await;
    let viewer = sign_in(&p, VIEWER).await;
    let doc = record("domain", "contoso.example", "Contoso", "contoso.example");
    let b = browser();
    let made = b
        .put(p.url("/api/store/records/contoso.example"))
        .header(COOKIE, &admin)
        .header("If-None-Match", "*")
        .json(&doc)
        .send()
        .await
        .unwrap();
    assert_eq!(made.status(), 200);
    let mut changed = doc.clone();
    changed["notes"] = json!("a viewer was here");
    let resp = b
        .put(p.url("/api/store/records/contoso.example"))
        .header(COOKIE, &viewer)
        .header("If-Match", "\"1\"")
        .json(&changed)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["code"], "forbidden_role");
    assert_eq!(
        body["message"],
        "Changing plans, importing and sharing need the editor role; viewer@partner.example has the viewer role. Ask an admin of Cutover if you need it."
    );
    let stored: Value = b
        .get(p.url("/api/store/records/contoso.example"))
        .header(COOKIE, &viewer)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stored["version"], 1);
    assert_eq!(stored["doc"]["notes"], "");
}

#[tokio::test]
async fn an_editors_order_is_refused_in_partner_center_and_in_the_record() {
    let p = start(&[]).await;
    let editor = sign_in(&p, EDITOR).await;
    let orderer = sign_in(&p, ORDERER).await;
    let customer = {
        let text = browser()
            .get(p.url("/api/pc/v1/customers?size=5"))
            .header(COOKIE, &editor)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        cutover_plan::partner_center::parse_customer_page(&text)
            .unwrap()
            .customers[0]
            .id
            .clone()
    };
    let order = json!({"referenceCustomerId": customer, "lineItems": [
        {"lineItemNumber": 0, "offerId": "CFQ7TTC0LH18:0001:CFQ7TTC0K971", "quantity": 10}
    ]});
    let b = browser();
    let send = |cookie: String| {
        b.post(p.url(&format!("/api/pc/v1/customers/{customer}/orders")))
            .header(COOKIE, cookie)
            .header("MS-RequestId", "5f0c7a52-9b8e-4d7e-8f0a-1b2c3d4e5f60")
            .json(&order)
            .send()
    };
    let resp = send(editor.clone()).await.unwrap();
    assert_eq!(resp.status(), 403);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["code"], "forbidden_role");
    assert!(body["message"].as_str().unwrap().contains("orderer role"));
    let resp = send(orderer.clone()).await.unwrap();
    assert_eq!(resp.status(), 201, "an orderer's order goes through");

    // Writing an order into the record is ordering too; following one is not.
    let mut doc = record("pcCustomerId", &customer, "Contoso", "contoso.example");
    let made = b
        .put(p.url(&format!("/api/store/records/{customer}")))
        .header(COOKIE, &editor)
        .header("If-None-Match", "*")
        .json(&doc)
        .send()
        .await
        .unwrap();
    assert_eq!(made.status(), 200, "an editor plans");
    doc["orders"] = json!([{
        "requestId": "5f0c7a52-9b8e-4d7e-8f0a-1b2c3d4e5f61",
        "lines": [{"offerId": "X", "offerName": "Office 365 E3", "quantity": 10, "originalId": "o1"}],
        "status": "sending",
        "createdAt": "2026-12-01T09:00:00Z",
        "placedBy": "editor@partner.example"
    }]);
    let put = |cookie: &str, version: u64, doc: &Value| {
        b.put(p.url(&format!("/api/store/records/{customer}")))
            .header(COOKIE, cookie.to_owned())
            .header("If-Match", format!("\"{version}\""))
            .json(doc)
            .send()
    };
    let resp = put(&editor, 1, &doc).await.unwrap();
    assert_eq!(resp.status(), 403);
    assert!(
        resp.json::<Value>().await.unwrap()["message"]
            .as_str()
            .unwrap()
            .starts_with("Placing or changing orders")
    );
    assert_eq!(put(&orderer, 1, &doc).await.unwrap().status(), 200);
    doc["orders"][0]["status"] = json!("pending");
    doc["orders"][0]["id"] = json!("ord-1");
    assert_eq!(
        put(&editor, 2, &doc).await.unwrap().status(),
        200,
        "an editor's page follows the order"
    );
    doc["orders"][0]["lines"][0]["quantity"] = json!(300);
    assert_eq!(put(&editor, 3, &doc).await.unwrap().status(), 403);
    // An import that would add an order is refused too, all of it.
    let mut other = record("domain", "fabrikam.example", "Fabrikam", "fabrikam.example");
    other["orders"] = doc["orders"].clone();
    let resp = b
        .post(p.url("/api/store/import"))
        .header(COOKIE, &editor)
        .json(&json!({"records": [other]}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    let list: Value = b
        .get(p.url("/api/store/records"))
        .header(COOKIE, &editor)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["records"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn forged_expired_and_signed_out_sessions_are_refused() {
    let p = start(&[]).await;
    let b = browser();
    let get = |cookie: String| {
        b.get(p.url("/api/store/records"))
            .header(COOKIE, cookie)
            .send()
    };
    let forged = "cutover_sid=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    let resp = get(forged.into()).await.unwrap();
    assert_eq!(resp.status(), 401);
    assert_eq!(
        resp.json::<Value>().await.unwrap()["code"],
        "login_required"
    );
    // An access-key cookie means nothing to a proxy that signs people in.
    assert_eq!(
        get("cutover_session=1.2.3.4".into())
            .await
            .unwrap()
            .status(),
        401
    );
    // A session that expired: made in the store directly, as if yesterday.
    let store = Store::open(&StoreLocation::Sqlite(
        p.dir.path().join("data").join(cutover_proxy::DATABASE_FILE),
    ))
    .await
    .unwrap();
    store
        .sign_in(
            &SignIn {
                subject: "oid-old".into(),
                name: "Old".into(),
                email: ADMIN.into(),
                group_role: Some(cutover_plan::roles::Role::Admin),
            },
            "an-expired-session-token-0123456789abcdef",
            "2025-01-01T00:00:00Z",
            "2025-01-01T12:00:00Z",
        )
        .await
        .unwrap();
    let resp = get("cutover_sid=an-expired-session-token-0123456789abcdef".into())
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    // Signing out ends the session everywhere, even for a copy of the cookie.
    let cookie = sign_in(&p, ADMIN).await;
    assert_eq!(get(cookie.clone()).await.unwrap().status(), 200);
    let out = b
        .delete(p.url("/api/session"))
        .header(COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204);
    let cleared = set_cookie(&out, "cutover_sid").unwrap();
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    assert_eq!(get(cookie).await.unwrap().status(), 401);
}

#[tokio::test]
async fn id_tokens_for_another_audience_issuer_nonce_or_key_or_expired_are_refused() {
    let p = start(&[]).await;
    let b = browser();
    for (how, reason) in [
        ("audience", "wrong_audience"),
        ("issuer", "wrong_issuer"),
        ("expired", "expired"),
        ("nonce", "wrong_nonce"),
        ("signature", "bad_signature"),
        ("unknown-key", "unknown_key"),
    ] {
        let flow = start_sign_in(&p, ADMIN).await;
        let spoiled = b.post(tamper_url(&p, how)).send().await.unwrap();
        assert_eq!(spoiled.status(), 204);
        let resp = finish_sign_in(&flow).await;
        assert_eq!(resp.status(), 303, "{how}");
        assert_eq!(failure(&resp), reason, "{how}");
        assert!(
            set_cookie(&resp, "cutover_sid").is_none(),
            "{how}: no session"
        );
        let cleared = set_cookie(&resp, "cutover_sign_in").unwrap();
        assert!(cleared.contains("Max-Age=0"), "{cleared}");
    }
    // The sandbox spoils one token only: the next sign-in works.
    sign_in(&p, ADMIN).await;
}

#[tokio::test]
async fn a_replayed_authorization_code_or_callback_is_refused() {
    let p = start(&[]).await;
    let flow = start_sign_in(&p, ADMIN).await;
    let first = finish_sign_in(&flow).await;
    assert!(set_cookie(&first, "cutover_sid").is_some());
    // The same callback again (same code, same state, same browser).
    let again = finish_sign_in(&flow).await;
    assert_eq!(failure(&again), "used_or_expired");
    assert!(set_cookie(&again, "cutover_sid").is_none());
    // The old code inside a fresh sign-in of this browser: the provider refuses it.
    let fresh = start_sign_in(&p, ADMIN).await;
    let old_code = flow
        .callback_url
        .split(['?', '&'])
        .find_map(|kv| kv.strip_prefix("code="))
        .unwrap()
        .to_owned();
    let new_state = fresh
        .callback_url
        .split(['?', '&'])
        .find_map(|kv| kv.strip_prefix("state="))
        .unwrap()
        .to_owned();
    let replay = Flow {
        callback_url: p.url(&format!(
            "/api/auth/callback?code={old_code}&state={new_state}"
        )),
        ..fresh
    };
    let resp = finish_sign_in(&replay).await;
    assert_eq!(failure(&resp), "refused");
    assert!(set_cookie(&resp, "cutover_sid").is_none());
}

#[tokio::test]
async fn a_callback_this_browser_did_not_start_is_refused() {
    let p = start(&[]).await;
    // The attacker's own sign-in, finished in the victim's browser (no state cookie, or another).
    let attackers = start_sign_in(&p, VIEWER).await;
    let resp = browser().get(&attackers.callback_url).send().await.unwrap();
    assert_eq!(failure(&resp), "state_mismatch");
    let victims = start_sign_in(&p, ADMIN).await;
    let resp = browser()
        .get(&attackers.callback_url)
        .header(COOKIE, &victims.state_cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(failure(&resp), "state_mismatch");
    assert!(set_cookie(&resp, "cutover_sid").is_none());
    // Denied at the provider: back with an error, no session.
    let resp = browser()
        .get(p.url("/api/auth/callback?error=access_denied&error_description=x"))
        .send()
        .await
        .unwrap();
    assert_eq!(failure(&resp), "denied");
}

#[tokio::test]
async fn a_cross_site_write_is_refused_even_with_a_session() {
    let p = start(&[]).await;
    let admin = sign_in(&p, ADMIN).await;
    let doc = record("domain", "contoso.example", "Contoso", "contoso.example");
    let resp = browser()
        .put(p.url("/api/store/records/contoso.example"))
        .header(COOKIE, &admin)
        .header("If-None-Match", "*")
        .header("Sec-Fetch-Site", "cross-site")
        .json(&doc)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    assert_eq!(resp.json::<Value>().await.unwrap()["code"], "cross_site");
    let resp = browser()
        .get(p.url("/api/store/records/contoso.example"))
        .header(COOKIE, &admin)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404, "nothing was written");
}

#[tokio::test]
async fn returning_after_sign_in_stays_inside_the_app() {
    let p = start(&[]).await;
    let b = browser();
    let resp = b
        .get(
            p.url("/api/auth/login?loginHint=admin@partner.example&returnTo=https://evil.example/"),
        )
        .send()
        .await
        .unwrap();
    let state_cookie = pair(&set_cookie(&resp, "cutover_sign_in").unwrap());
    let back = location(&b.get(location(&resp)).send().await.unwrap());
    let resp = b
        .get(&back)
        .header(COOKIE, state_cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(location(&resp), "/");
}

#[tokio::test]
async fn access_key_login_is_not_offered_when_people_sign_in() {
    let p = start(&[]).await;
    let resp = browser()
        .post(p.url("/api/session"))
        .json(&json!({"accessKey": "correct-horse-battery-staple"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert_eq!(header(resp.headers(), "set-cookie"), "");
}

/// The whole flow against a proxy process with debug logs: no secret, code, state, token or
/// cookie value appears in them.
#[tokio::test]
async fn secrets_and_tokens_never_reach_the_logs() {
    use std::process::Stdio;
    use tokio::io::{AsyncBufReadExt, BufReader};

    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<!DOCTYPE html><title>Cutover</title>",
    )
    .unwrap();
    let log = dir.path().join("proxy.log");
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_cutover-proxy"))
        .env_clear()
        .env("CUTOVER_LISTEN", "127.0.0.1:0")
        .env("CUTOVER_DIST", &dist)
        .env("CUTOVER_DATA_DIR", dir.path().join("data"))
        .env("CUTOVER_SANDBOX_FIRST_RUN", "empty")
        .env("CUTOVER_SANDBOX_CUSTOMERS", "10")
        .env("CUTOVER_OIDC_ISSUER", "sandbox")
        .env("CUTOVER_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log).unwrap())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let base = loop {
        let line = lines.next_line().await.unwrap().expect("the proxy started");
        if let Some(rest) = line.strip_prefix("Cutover is running on ") {
            break rest.split(' ').next().unwrap().to_owned();
        }
    };
    let p = crate::common::Proxy {
        base: base.clone(),
        addr: base.trim_start_matches("http://").parse().unwrap(),
        sandbox: None,
        http: reqwest::Client::new(),
        dir: tempfile::tempdir().unwrap(),
    };
    let flow = start_sign_in(&p, ADMIN).await;
    let resp = finish_sign_in(&flow).await;
    let session = pair(&set_cookie(&resp, "cutover_sid").unwrap());
    let replayed = finish_sign_in(&flow).await;
    assert_eq!(failure(&replayed), "used_or_expired");
    let me = session_text(&p, &session).await;
    child.kill().await.unwrap();
    let logs = std::fs::read_to_string(&log).unwrap();
    assert!(logs.contains("sign-in: signed in"), "{logs}");
    assert!(logs.contains("used already or expired"), "{logs}");
    let query = |url: &str, key: &str| {
        url.split(['?', '&'])
            .find_map(|kv| kv.strip_prefix(&format!("{key}=")))
            .unwrap()
            .to_owned()
    };
    let secrets = [
        (
            "client secret",
            cutover_sandbox::oidc::CLIENT_SECRET.to_owned(),
        ),
        ("code", query(&flow.callback_url, "code")),
        ("state", query(&flow.callback_url, "state")),
        ("nonce", query(&flow.authorize_url, "nonce")),
        (
            "PKCE challenge",
            query(&flow.authorize_url, "code_challenge"),
        ),
        (
            "session token",
            session.split_once('=').unwrap().1.to_owned(),
        ),
    ];
    for (what, secret) in &secrets {
        assert!(secret.len() >= 20, "{what} is a real value");
        assert!(!logs.contains(secret.as_str()), "the {what} was logged");
        assert!(
            !me.contains(secret.as_str()),
            "the {what} was in /api/session"
        );
    }
}

async fn session_text(p: &crate::common::Proxy, cookie: &str) -> String {
    browser()
        .get(p.url("/api/session"))
        .header(COOKIE, cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}
