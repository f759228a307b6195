//! The proxy against the embedded sandbox over loopback: forwarding, paging, retries, errors.
use std::collections::HashSet;

use cutover_plan::partner_center::parse_customer_page;
use cutover_proxy::config::{Config, LogFormat, PartnerCenterMode};
use cutover_proxy::store::StoreLocation;
use cutover_sandbox::SandboxConfig;

struct Started {
    base: String,
    _dist: tempfile::TempDir,
}

async fn start(sandbox: SandboxConfig) -> Started {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(
        dist.path().join("index.html"),
        "<!DOCTYPE html><title>Cutover</title>",
    )
    .unwrap();
    let data = dist.path().join("data");
    let config = Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        dist_dir: dist.path().to_path_buf(),
        store: StoreLocation::Sqlite(data.join(cutover_proxy::DATABASE_FILE)),
        data_dir: data,
        trusted_proxies: Default::default(),
        log_format: LogFormat::Text,
        public_rate: Default::default(),
        notify: Default::default(),
        partner_center: PartnerCenterMode::Sandbox(sandbox),
        access_key: None,
        team: Default::default(),
        partner_name: "Test partner".into(),
    };
    let running = cutover_proxy::start(config).await.unwrap();
    Started {
        base: format!("http://{}", running.addr),
        _dist: dist,
    }
}

/// Walks every page like the app does; returns (customer ids, problems, pages).
async fn walk(base: &str) -> (Vec<String>, usize, usize) {
    let client = reqwest::Client::new();
    let (mut ids, mut problems, mut pages) = (Vec::new(), 0, 0);
    let mut token: Option<String> = None;
    loop {
        let mut req = client.get(format!(
            "{base}/api/pc/v1/customers?size=50{}",
            if token.is_some() {
                "&seekOperation=Next"
            } else {
                ""
            }
        ));
        if let Some(t) = &token {
            req = req.header("MS-ContinuationToken", t);
        }
        let resp = req.send().await.unwrap();
        assert_eq!(
            resp.status(),
            200,
            "page {pages}: {}",
            resp.text().await.unwrap()
        );
        let page = parse_customer_page(&resp.text().await.unwrap()).unwrap();
        pages += 1;
        problems += page.problems.len();
        ids.extend(page.customers.into_iter().map(|c| c.id));
        match page.continuation_token {
            Some(t) => token = Some(t),
            None => return (ids, problems, pages),
        }
        assert!(pages < 1000, "paging never ends");
    }
}

#[tokio::test]
async fn every_customer_arrives_exactly_once_through_the_proxy() {
    let p = start(SandboxConfig {
        customers: 237,
        ..SandboxConfig::default()
    })
    .await;
    let (ids, problems, pages) = walk(&p.base).await;
    assert_eq!(ids.len(), 237);
    assert_eq!(
        ids.iter().collect::<HashSet<_>>().len(),
        237,
        "no duplicates"
    );
    assert_eq!(problems, 0);
    assert_eq!(pages, 5);
}

#[tokio::test]
async fn throttling_and_server_errors_are_retried_away() {
    let p = start(SandboxConfig {
        customers: 300,
        rate_429: 0.10,
        retry_after_secs: 0,
        rate_5xx: 0.05,
        rate_malformed: 0.02,
        ..SandboxConfig::default()
    })
    .await;
    let (ids, problems, _) = walk(&p.base).await;
    assert_eq!(ids.len(), 300);
    assert_eq!(problems, 0);
}

#[tokio::test]
async fn a_failing_partner_center_becomes_one_error_sentence() {
    let p = start(SandboxConfig {
        fail_status: Some(503),
        ..SandboxConfig::default()
    })
    .await;
    let resp = reqwest::get(format!("{}/api/pc/v1/customers?size=10", p.base))
        .await
        .unwrap();
    assert_eq!(resp.status(), 502);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["code"], "partner_center_unavailable");
    assert_eq!(body["retryable"], true);
    assert!(body["message"].as_str().unwrap().contains("(503)"));
    assert!(body["requestId"].as_str().is_some_and(|id| id.len() == 36));
}

#[tokio::test]
async fn a_long_retry_after_is_handed_to_the_app() {
    let p = start(SandboxConfig {
        rate_429: 1.0,
        retry_after_secs: 57,
        ..SandboxConfig::default()
    })
    .await;
    let resp = reqwest::get(format!("{}/api/pc/v1/customers?size=10", p.base))
        .await
        .unwrap();
    assert_eq!(resp.status(), 429);
    assert_eq!(resp.headers()["retry-after"], "57");
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["code"], "partner_center_throttled");
    assert!(body["message"].as_str().unwrap().contains("57 s"));
}

#[tokio::test]
async fn app_user_calls_get_a_user_token() {
    let p = start(SandboxConfig::default()).await;
    let resp = reqwest::get(format!(
        "{}/api/pc/v1/customers/relationshiprequests",
        p.base
    ))
    .await
    .unwrap();
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
}
