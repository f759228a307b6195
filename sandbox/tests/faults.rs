//! Injected faults: forced status, 429, 5xx, malformed JSON, truncated bodies, dropped
//! connections, latency and the per-tenant rate limit.
mod common;

use std::time::{Duration, Instant};

use common::{Sandbox, config};
use cutover_sandbox::SandboxConfig;
use serde_json::Value;

#[tokio::test]
async fn fail_status_answers_every_partner_center_call_with_the_error_body() {
    let sandbox = Sandbox::start(SandboxConfig {
        fail_status: Some(503),
        ..config()
    })
    .await;
    let token = sandbox.app_token().await;
    for path in [
        "/v1/customers",
        "/v1/customers/x",
        "/v1/customers/x/subscriptions",
    ] {
        let (status, body) = sandbox.get_json(&token, path).await;
        assert_eq!(status, 503, "{path}");
        assert_eq!(body["code"], "503");
        assert_eq!(body["source"], "PartnerFD");
        assert!(body["description"].is_string());
        assert!(body["data"].is_array());
    }
    // The sandbox controls and the token endpoint keep working.
    let r = sandbox
        .http
        .get(sandbox.url("/sandbox/prospects"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn fail_status_429_uses_the_throttling_shape() {
    let sandbox = Sandbox::start(SandboxConfig {
        fail_status: Some(429),
        retry_after_secs: 57,
        ..config()
    })
    .await;
    let token = sandbox.app_token().await;
    let r = sandbox.get(&token, "/v1/customers").send().await.unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "57");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["statusCode"], 429);
    assert_eq!(
        body["message"],
        "Rate limit is exceeded. Try again in 57 seconds."
    );
}

/// Statuses of `n` sequential calls.
async fn statuses(sandbox: &Sandbox, token: &str, n: usize) -> Vec<u16> {
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(
            sandbox
                .get(token, "/v1/customers?size=5")
                .send()
                .await
                .unwrap()
                .status()
                .as_u16(),
        );
    }
    out
}

#[tokio::test]
async fn a_share_of_calls_is_throttled_deterministically() {
    let faulty = SandboxConfig {
        rate_429: 0.3,
        retry_after_secs: 1,
        ..config()
    };
    let a = Sandbox::start(faulty.clone()).await;
    let b = Sandbox::start(faulty).await;
    let (ta, tb) = (a.app_token().await, b.app_token().await);
    let sa = statuses(&a, &ta, 100).await;
    let sb = statuses(&b, &tb, 100).await;
    assert_eq!(sa, sb, "same seed, same faults");
    let throttled = sa.iter().filter(|s| **s == 429).count();
    assert!((15..=45).contains(&throttled), "{throttled}");
    assert!(sa.iter().all(|s| *s == 200 || *s == 429));
    let c = Sandbox::start(SandboxConfig {
        rate_429: 0.3,
        seed: 5,
        ..config()
    })
    .await;
    let tc = c.app_token().await;
    assert_ne!(
        statuses(&c, &tc, 100).await,
        sa,
        "another seed, other faults"
    );
}

#[tokio::test]
async fn server_errors_are_500_or_503_with_the_error_body() {
    let sandbox = Sandbox::start(SandboxConfig {
        rate_5xx: 1.0,
        ..config()
    })
    .await;
    let token = sandbox.app_token().await;
    let mut seen = std::collections::HashSet::new();
    for _ in 0..20 {
        let (status, body) = sandbox.get_json(&token, "/v1/customers").await;
        assert!(status == 500 || status == 503, "{status}");
        assert_eq!(body["source"], "PartnerFD");
        seen.insert(status);
    }
    assert_eq!(seen.len(), 2);
}

#[tokio::test]
async fn malformed_bodies_are_not_json() {
    let sandbox = Sandbox::start(SandboxConfig {
        rate_malformed: 1.0,
        ..config()
    })
    .await;
    let token = sandbox.app_token().await;
    for _ in 0..6 {
        let r = sandbox
            .get(&token, "/v1/customers?size=3")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let text = r.text().await.unwrap();
        assert!(!text.is_empty());
        assert!(serde_json::from_str::<Value>(&text).is_err(), "{text}");
    }
}

#[tokio::test]
async fn truncated_bodies_fail_while_reading() {
    let sandbox = Sandbox::start(SandboxConfig {
        rate_truncated: 1.0,
        ..config()
    })
    .await;
    let token = sandbox.app_token().await;
    let r = sandbox
        .get(&token, "/v1/customers?size=50")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.bytes().await.is_err(), "the body ends early");
}

#[tokio::test]
async fn dropped_connections_give_no_usable_response() {
    let sandbox = Sandbox::start(SandboxConfig {
        rate_drop: 1.0,
        ..config()
    })
    .await;
    let token = sandbox.app_token().await;
    match sandbox.get(&token, "/v1/customers?size=5").send().await {
        Err(_) => {}
        Ok(r) => assert!(
            r.bytes().await.is_err(),
            "the connection closes before any body"
        ),
    }
}

#[tokio::test]
async fn latency_is_added_to_partner_center_calls() {
    let sandbox = Sandbox::start(SandboxConfig {
        latency_ms: 150,
        ..config()
    })
    .await;
    let token = sandbox.app_token().await;
    let started = Instant::now();
    assert_eq!(
        sandbox.get_json(&token, "/v1/customers?size=1").await.0,
        200
    );
    assert!(started.elapsed() >= Duration::from_millis(150));
}

#[tokio::test]
async fn the_rate_limit_is_per_tenant() {
    let sandbox = Sandbox::start(SandboxConfig {
        rate_limit_per_minute: Some(3),
        ..config()
    })
    .await;
    let token = sandbox.app_token().await;
    let (_, page) = sandbox.get_json(&token, "/v1/customers?size=2").await;
    let a = page["items"][0]["id"].as_str().unwrap().to_string();
    let b = page["items"][1]["id"].as_str().unwrap().to_string();
    for _ in 0..3 {
        assert_eq!(
            sandbox
                .get_json(&token, &format!("/v1/customers/{a}/subscriptions"))
                .await
                .0,
            200
        );
    }
    let r = sandbox
        .get(&token, &format!("/v1/customers/{a}/subscriptions"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    let wait: u32 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait));
    assert_eq!(r.json::<Value>().await.unwrap()["statusCode"], 429);
    assert_eq!(
        sandbox
            .get_json(&token, &format!("/v1/customers/{b}/subscriptions"))
            .await
            .0,
        200,
        "another tenant is not limited"
    );
}

#[tokio::test]
async fn faults_leave_the_token_endpoint_and_controls_alone() {
    let sandbox = Sandbox::start(SandboxConfig {
        rate_5xx: 1.0,
        ..config()
    })
    .await;
    let _ = sandbox.app_token().await;
    let r = sandbox
        .http
        .get(sandbox.url("/sandbox/prospects.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn untidy_items_are_the_same_items_on_every_call() {
    let sandbox = Sandbox::start(SandboxConfig {
        rate_quirks: 0.3,
        ..config()
    })
    .await;
    let token = sandbox.app_token().await;
    let (_, first) = sandbox.get_json(&token, "/v1/customers?size=200").await;
    let (_, again) = sandbox.get_json(&token, "/v1/customers?size=200").await;
    assert_eq!(first, again);
    let items = first["items"].as_array().unwrap();
    let pascal = items
        .iter()
        .filter(|c| c.get("CompanyProfile").is_some())
        .count();
    let no_domain = items
        .iter()
        .filter(|c| {
            c.get("companyProfile")
                .is_some_and(|p| p.get("domain").is_none())
        })
        .count();
    let capitalised = items
        .iter()
        .filter(|c| c["relationshipToPartner"] == "Reseller")
        .count();
    assert!(
        pascal > 0 && no_domain > 0 && capitalised > 0,
        "{pascal} {no_domain} {capitalised}"
    );
    assert!(pascal + no_domain + capitalised < 120);
    let tidy = Sandbox::start(config()).await;
    let t = tidy.app_token().await;
    let (_, clean) = tidy.get_json(&t, "/v1/customers?size=200").await;
    assert!(
        clean["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["companyProfile"]["domain"].is_string())
    );
}
