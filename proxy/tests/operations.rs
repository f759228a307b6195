//! Operating the proxy: health and readiness, Prometheus metrics, request ids, and rate limits
//! keyed by the client address a trusted reverse proxy reports.
mod common;

use common::{record, small_sandbox, start, start_with};
use cutover_proxy::client_addr::TrustedProxies;
use serde_json::Value;

#[tokio::test]
async fn health_and_readiness_answer_with_what_was_checked() {
    let p = start().await;
    let resp = p.get("/healthz").await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.json::<Value>().await.unwrap()["status"], "ok");
    let resp = p.get("/readyz").await;
    assert_eq!(resp.status(), 200);
    let ready: Value = resp.json().await.unwrap();
    assert_eq!(ready["store"], "ok");
    assert_eq!(ready["partnerCenter"], "ok");
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_status_and_store_conflicts() {
    let p = start().await;
    let doc = record("domain", "metrics.example", "M", "metrics.example");
    p.create(&doc).await;
    let stale = p
        .put_record("metrics.example", &doc, Some(("If-Match", "\"7\"")))
        .await;
    assert_eq!(stale.status(), 409);
    let resp = p.get("/metrics").await;
    assert_eq!(resp.status(), 200);
    assert!(
        common::header(resp.headers(), "content-type").starts_with("application/openmetrics-text")
    );
    let text = resp.text().await.unwrap();
    assert!(
        text.contains(r#"cutover_http_requests_total{method="PUT",route="/api/store/records/{key}",status="409"}"#),
        "{text}"
    );
    assert!(text.contains(r#"cutover_http_request_duration_seconds_bucket{le="0.001",route="/api/store/records/{key}"}"#), "{text}");
    assert!(
        text.contains(r#"cutover_store_conflicts_total{kind="record"}"#),
        "{text}"
    );
    assert!(text.contains("cutover_outbox_backlog 0"), "{text}");
    // Keys never become labels.
    assert!(!text.contains("metrics.example"), "{text}");
}

#[tokio::test]
async fn every_answer_carries_a_request_id() {
    let p = start().await;
    let a = p.get("/api/store/records").await;
    let b = p.get("/no/such/page").await;
    let id = |r: &reqwest::Response| common::header(r.headers(), "x-request-id").to_string();
    assert_eq!(id(&a).len(), 36, "{}", id(&a));
    assert_ne!(id(&a), id(&b));
}

async fn public_statuses(p: &common::Proxy, forwarded_for: &str, n: usize) -> Vec<u16> {
    let mut statuses = Vec::new();
    for _ in 0..n {
        let resp = p
            .http
            .get(p.url(&format!("/api/public/status/{}", "0".repeat(64))))
            .header("x-forwarded-for", forwarded_for)
            .send()
            .await
            .unwrap();
        statuses.push(resp.status().as_u16());
    }
    statuses
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_rate_limit() {
    let p = start_with(small_sandbox(), |c| {
        c.trusted_proxies = TrustedProxies::parse("127.0.0.1").unwrap();
    })
    .await;
    let first = public_statuses(&p, "198.51.100.1", 40).await;
    assert_eq!(first[0], 404, "unknown tokens get the invalid-link answer");
    assert!(
        first.contains(&429),
        "one client exhausts its budget: {first:?}"
    );
    // Another customer behind the same balancer is not throttled.
    let other = public_statuses(&p, "198.51.100.2", 1).await;
    assert_eq!(other, [404]);
}

#[tokio::test]
async fn without_trusted_proxies_forwarded_addresses_are_ignored() {
    let p = start().await;
    // Forty different claimed addresses, all from one real peer: one budget.
    let mut statuses = Vec::new();
    for i in 0..40 {
        statuses.extend(public_statuses(&p, &format!("198.51.100.{i}"), 1).await);
    }
    assert!(statuses.contains(&429), "{statuses:?}");
}

#[tokio::test]
async fn shutdown_lets_requests_in_progress_finish_and_stops_accepting() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = cutover_sandbox::SandboxConfig {
        latency_ms: 2000,
        ..small_sandbox()
    };
    let running = cutover_proxy::start(common::config(&dir, sandbox))
        .await
        .unwrap();
    let base = format!("http://{}", running.addr);
    let http = reqwest::Client::new();
    // A Partner Center call that takes the sandbox's latency (at least 2 s) to answer.
    let slow = tokio::spawn({
        let http = http.clone();
        let url = format!("{base}/api/pc/v1/customers?size=5");
        async move { http.get(url).send().await.map(|r| r.status().as_u16()) }
    });
    // Shut down once the call is in progress (the sandbox is still sleeping on it).
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    running
        .shutdown(std::time::Duration::from_secs(30))
        .await
        .unwrap();
    assert_eq!(
        slow.await.unwrap().unwrap(),
        200,
        "the call in progress finished"
    );
    let after = reqwest::Client::new()
        .get(format!("{base}/healthz"))
        .send()
        .await;
    assert!(after.is_err(), "no new connections after shutdown");
}
