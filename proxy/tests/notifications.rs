//! Mail and webhooks end to end: a real SMTP server (aiosmtpd) and the sandbox's webhook receiver
//! on loopback, the proxy in between.
mod common;
mod support;

use std::time::Duration;

use common::{record, small_sandbox, start_with};
use cutover_proxy::notify::NotifyConfig;
use cutover_proxy::notify::config::{SmtpConfig, SmtpSecurity};
use cutover_proxy::routes::rate_limit::PublicRate;
use cutover_proxy::store::{Store, StoreLocation};
use cutover_sandbox::{SandboxConfig, WebhookSecret};
use serde_json::{Value, json};
use support::smtp::SmtpServer;

fn mail_config(smtp_port: u16, public_url: &str) -> NotifyConfig {
    NotifyConfig {
        smtp: Some(SmtpConfig {
            host: "127.0.0.1".into(),
            port: smtp_port,
            security: SmtpSecurity::PlainLoopback,
            username: None,
            password: None,
        }),
        public_url: Some(public_url.to_owned()),
        subscribe_rate: PublicRate {
            burst: 100.0,
            per_second: 10.0,
        },
        lease: Duration::from_secs(5),
        ..NotifyConfig::default()
    }
}

fn line_with<'a>(text: &'a str, needle: &str) -> &'a str {
    text.lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle} in {text}"))
        .trim()
}

/// Waits until the outbox event of the record's `version`-th write has been handled.
async fn event_handled(store: &Store, version: u64) -> String {
    for _ in 0..200 {
        let ids = store.outbox_ids().await.unwrap();
        if let Some((id, _)) = ids.iter().find(|(id, state)| {
            id.starts_with("change:") && id.ends_with(&format!(":{version}")) && state == "sent"
        }) {
            return id.clone();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the outbox event of version {version} was not handled");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_japanese_status_page_subscription_is_confirmed_gets_news_and_unsubscribes() {
    let Some(py) = support::python::with_modules("mail subscription", &["aiosmtpd"]) else {
        return;
    };
    let maildir = tempfile::tempdir().unwrap();
    let smtp = SmtpServer::start(&py, support::free_port(), &maildir.path().join("mail"));
    let port = support::free_port();
    let base = format!("http://127.0.0.1:{port}");
    let p = start_with(small_sandbox(), |c| {
        c.listen = format!("127.0.0.1:{port}").parse().unwrap();
        c.notify = mail_config(smtp.port, &base);
    })
    .await;
    let mut doc = record(
        "domain",
        "fabrikam.example",
        "有限会社ファブリカム",
        "fabrikam.example",
    );
    p.create(&doc).await;
    let resp = p
        .http
        .post(p.url("/api/store/records/fabrikam.example/links"))
        .json(&json!({"lang": "ja"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let token = resp.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let status: Value = p
        .get(&format!("/api/public/status/{token}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (status["mailEnabled"].as_bool(), status["lang"].as_str()),
        (Some(true), Some("ja"))
    );

    // Subscribe in Japanese: a Japanese confirmation mail arrives.
    let resp = p
        .http
        .post(p.url(&format!("/api/public/status/{token}/subscribe")))
        .json(&json!({"address": "it@fabrikam.example", "lang": "ja"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 202);
    let mails = smtp.wait_for(1, 20, |m| m["to"] == "it@fabrikam.example");
    let m = &mails[0];
    assert!(
        m["subject"]
            .as_str()
            .unwrap()
            .starts_with("メール通知の確認: 有限会社ファブリカム: CSP への移行"),
        "{m}"
    );
    assert!(m["from"].as_str().unwrap().contains("Test partner"), "{m}");
    assert_eq!(m["contentLanguage"], "ja");
    assert_eq!(m["contentType"], "multipart/alternative");
    let text = m["text"].as_str().unwrap();
    assert!(
        text.contains("Test partner は 有限会社ファブリカム の Microsoft 365"),
        "{text}"
    );
    assert!(m["html"].as_str().unwrap().contains("lang=\"ja\""));
    assert!(m["dedupId"].as_str().unwrap().starts_with("confirm:"));
    assert!(
        m["messageId"].as_str().unwrap().ends_with("@127.0.0.1>"),
        "{m}"
    );
    let unsubscribe = m["listUnsubscribe"]
        .as_str()
        .unwrap()
        .trim_matches(['<', '>'])
        .to_owned();
    assert!(unsubscribe.starts_with(&format!("{base}/api/public/mail/unsubscribe/")));
    assert_eq!(m["listUnsubscribePost"], "List-Unsubscribe=One-Click");
    let confirm = line_with(text, "/api/public/mail/confirm/").to_owned();
    assert!(confirm.starts_with(&base), "{confirm}");

    // Opening the link only shows a button (link checkers open links too); pressing it confirms.
    let page = p.http.get(&confirm).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("<form method=\"post\">") && html.contains("確認する"),
        "{html}"
    );
    let listed: Value = p
        .get("/api/store/records/fabrikam.example/subscribers")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["subscribers"][0]["confirmedAt"], Value::Null);
    let done = p
        .http
        .post(&confirm)
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 200);
    assert!(done.text().await.unwrap().contains("購読を開始しました"));
    let listed: Value = p
        .get("/api/store/records/fabrikam.example/subscribers")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["subscribers"][0]["address"], "it@fabrikam.example");
    assert!(listed["subscribers"][0]["confirmedAt"].is_string());

    // A change the customer sees: auto-renew confirmed off. The mail says so in Japanese.
    doc["originals"][0]["confirmed"] = json!({"autoRenewOffOn": "2026-11-20"});
    let resp = p
        .put_record("fabrikam.example", &doc, Some(("If-Match", "\"1\"")))
        .await;
    assert_eq!(resp.status(), 200);
    let news = smtp.wait_for(1, 20, |m| {
        m["dedupId"].as_str().unwrap_or("").starts_with("change:")
    });
    let subject = news[0]["subject"].as_str().unwrap();
    assert!(
        subject.starts_with("有限会社ファブリカム: CSP への移行: 不要になりました"),
        "{subject}"
    );
    assert!(
        news[0]["text"]
            .as_str()
            .unwrap()
            .contains("現在お客様に必要な作業:")
    );
    assert_eq!(news[0]["listUnsubscribe"], format!("<{unsubscribe}>"));

    // One-click unsubscribe (RFC 8058), as a mail provider sends it: no browser headers.
    let resp = p
        .http
        .post(&unsubscribe)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.text().await.unwrap().contains("配信を停止しました"));
    let listed: Value = p
        .get("/api/store/records/fabrikam.example/subscribers")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["subscribers"], json!([]));

    // The next change reaches nobody.
    let store = Store::open(&StoreLocation::Sqlite(
        p.dir.path().join("data").join(cutover_proxy::DATABASE_FILE),
    ))
    .await
    .unwrap();
    doc["invitationSentOn"] = json!("2026-11-25");
    let resp = p
        .put_record("fabrikam.example", &doc, Some(("If-Match", "\"2\"")))
        .await;
    assert_eq!(resp.status(), 200);
    let event = event_handled(&store, 3).await;
    let ids = store.outbox_ids().await.unwrap();
    assert!(
        !ids.iter()
            .any(|(id, _)| id.starts_with(&format!("{event}:"))),
        "{ids:?}"
    );
    assert_eq!(smtp.messages().len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn webhooks_are_signed_retried_and_delivered_once_per_event() {
    let secret = "webhook-test-secret-123";
    let receiver = cutover_sandbox::spawn(SandboxConfig {
        customers: 2,
        prospects: 1,
        webhook_secret: Some(WebhookSecret(secret.into())),
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let hooks = format!("http://{receiver}/sandbox/webhooks");
    let http = reqwest::Client::new();
    // The first two deliveries fail: Cutover must try again.
    let resp = http
        .post(format!("{hooks}/fail-next/2"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);
    let p = start_with(small_sandbox(), |c| {
        c.notify = NotifyConfig {
            webhook: Some(cutover_proxy::notify::config::WebhookConfig {
                url: hooks.clone(),
                secret: secret.into(),
            }),
            lease: Duration::from_secs(5),
            ..NotifyConfig::default()
        };
    })
    .await;
    let mut doc = record("domain", "contoso.com", "Contoso", "contoso.com");
    p.create(&doc).await;
    doc["originals"][0]["confirmed"] = json!({"autoRenewOffOn": "2026-11-20"});
    doc["orders"] = json!([{
        "requestId": "5f0c7a52-9b8e-4d7e-8f0a-1b2c3d4e5f60",
        "lines": [{"offerId": "CFQ7TTC0LH18:0001", "offerName": "Office 365 E3", "quantity": 10, "originalId": "o1"}],
        "status": "sending", "createdAt": "2026-11-24T09:00:00Z", "placedBy": "ann"
    }]);
    let resp = p
        .put_record("contoso.com", &doc, Some(("If-Match", "\"1\"")))
        .await;
    assert_eq!(resp.status(), 200);
    let mut delivered = Vec::new();
    for _ in 0..300 {
        let all: Value = http.get(&hooks).send().await.unwrap().json().await.unwrap();
        delivered = all["received"].as_array().unwrap().clone();
        if delivered.iter().filter(|d| d["status"] == 204).count() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let ok: Vec<&Value> = delivered.iter().filter(|d| d["status"] == 204).collect();
    assert_eq!(ok.len(), 2, "{delivered:#?}");
    assert!(
        delivered.iter().all(|d| d["signatureValid"] == true),
        "{delivered:#?}"
    );
    let failed: Vec<&Value> = delivered.iter().filter(|d| d["status"] == 503).collect();
    assert_eq!(failed.len(), 2);
    let ids: std::collections::HashSet<&str> =
        ok.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 2, "one delivery per event");
    assert!(
        failed
            .iter()
            .all(|d| ids.contains(d["id"].as_str().unwrap())),
        "retries keep their id"
    );
    let by_type = |t: &str| {
        ok.iter()
            .find(|d| d["body"]["type"] == t)
            .map(|d| &d["body"])
    };
    let steps = by_type("customer.steps_changed").expect("a step change");
    assert_eq!(
        steps["customer"],
        json!({"key": "contoso.com", "name": "Contoso", "domain": "contoso.com"})
    );
    assert_eq!(steps["recordVersion"], 2);
    assert_eq!(steps["steps"].as_array().unwrap().len(), 4);
    assert!(
        steps["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["kind"] == "todo_removed"
                && c["todo"] == "switch_off_auto_renew:Office 365 E3"),
        "{steps:#}"
    );
    let order = by_type("order.placed").expect("an order event");
    assert_eq!(
        order["order"]["requestId"],
        "5f0c7a52-9b8e-4d7e-8f0a-1b2c3d4e5f60"
    );
    assert_eq!(order["order"]["lines"][0]["quantity"], 10);
    assert_eq!(
        order["id"],
        ok.iter()
            .find(|d| d["body"]["type"] == "order.placed")
            .unwrap()["id"]
    );
}
