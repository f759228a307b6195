//! The token endpoint (client credentials, refresh token) and bearer checks.
mod common;

use std::time::Duration;

use common::{Sandbox, config};
use cutover_sandbox::SandboxConfig;
use serde_json::Value;

#[tokio::test]
async fn client_credentials_returns_the_v1_token_shape() {
    let sandbox = Sandbox::start(config()).await;
    let r = sandbox
        .token_response(&[
            ("grant_type", "client_credentials"),
            ("client_id", "app"),
            ("client_secret", "s3cret"),
            ("resource", "https://api.partnercenter.microsoft.com"),
        ])
        .await;
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], "3600");
    assert!(body["expires_on"].as_str().unwrap().parse::<i64>().is_ok());
    assert!(body["not_before"].is_string());
    assert_eq!(body["resource"], "https://api.partnercenter.microsoft.com");
    assert_eq!(body["access_token"].as_str().unwrap().split('.').count(), 3);
    assert!(body.get("refresh_token").is_none());
    assert!(!body.to_string().contains("s3cret"));
}

#[tokio::test]
async fn refresh_token_flow_rotates_the_refresh_token() {
    let sandbox = Sandbox::start(SandboxConfig {
        refresh_token: Some("rt-initial".into()),
        ..config()
    })
    .await;
    let redeem = |rt: String| {
        let sandbox = &sandbox;
        async move {
            sandbox
                .token_response(&[
                    ("grant_type", "refresh_token"),
                    ("client_id", "app"),
                    ("client_secret", "s"),
                    ("refresh_token", &rt),
                    ("scope", "openid"),
                ])
                .await
        }
    };
    let r = redeem("rt-initial".into()).await;
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["scope"], "user_impersonation");
    assert!(body["id_token"].is_string());
    let rotated = body["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(rotated, "rt-initial");
    assert_eq!(redeem(rotated).await.status(), 200);
    let r = redeem("rt-unknown".into()).await;
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"], "invalid_grant");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .starts_with("AADSTS")
    );
    assert!(body["error_codes"].is_array());
}

#[tokio::test]
async fn wrong_secret_and_missing_parameters_are_refused_like_entra() {
    let sandbox = Sandbox::start(SandboxConfig {
        client_secret: Some("right".into()),
        ..config()
    })
    .await;
    let r = sandbox
        .token_response(&[
            ("grant_type", "client_credentials"),
            ("client_id", "app"),
            ("client_secret", "wrong"),
        ])
        .await;
    assert_eq!(r.status(), 401);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"], "invalid_client");
    assert!(!body.to_string().contains("right"));
    let r = sandbox.token_response(&[("client_id", "app")]).await;
    assert_eq!(r.status(), 400);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "invalid_request");
    let r = sandbox
        .token_response(&[("grant_type", "password"), ("client_id", "app")])
        .await;
    assert_eq!(
        r.json::<Value>().await.unwrap()["error"],
        "unsupported_grant_type"
    );
    let r = sandbox
        .token_response(&[("grant_type", "client_credentials"), ("client_id", "app")])
        .await;
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn v2_endpoint_issues_tokens_for_a_scope() {
    let sandbox = Sandbox::start(config()).await;
    let r = sandbox
        .http
        .post(sandbox.url("/partner-tenant/oauth2/v2.0/token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials&client_id=a&client_secret=b&scope=https%3A%2F%2Fapi.partnercenter.microsoft.com%2F.default")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["expires_in"], 3600);
    let token = body["access_token"].as_str().unwrap();
    assert_eq!(sandbox.get_json(token, "/v1/customers?size=1").await.0, 200);
}

#[tokio::test]
async fn missing_or_unknown_bearer_token_gets_401_with_the_error_body() {
    let sandbox = Sandbox::start(config()).await;
    let r = sandbox
        .http
        .get(sandbox.url("/v1/customers"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let realm = r.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(realm.starts_with("OAuth realm=urn:cpsvc:cpid:"), "{realm}");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "401");
    assert_eq!(body["source"], "PartnerFD");
    assert!(body["description"].is_string());
    let (status, _) = sandbox.get_json("made-up", "/v1/customers").await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn expired_tokens_are_refused() {
    let sandbox = Sandbox::start(SandboxConfig {
        token_ttl_secs: 1,
        ..config()
    })
    .await;
    let token = sandbox.app_token().await;
    assert_eq!(
        sandbox.get_json(&token, "/v1/customers?size=1").await.0,
        200
    );
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let (status, body) = sandbox.get_json(&token, "/v1/customers?size=1").await;
    assert_eq!(status, 401);
    assert!(body["description"].as_str().unwrap().contains("expired"));
}

#[tokio::test]
async fn request_and_correlation_ids_are_echoed() {
    let sandbox = Sandbox::start(config()).await;
    let token = sandbox.app_token().await;
    let r = sandbox
        .get(&token, "/v1/customers?size=1")
        .header("MS-RequestId", "11111111-1111-4111-8111-111111111111")
        .header("MS-CorrelationId", "22222222-2222-4222-8222-222222222222")
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["ms-requestid"],
        "11111111-1111-4111-8111-111111111111"
    );
    assert_eq!(
        r.headers()["ms-correlationid"],
        "22222222-2222-4222-8222-222222222222"
    );
}

#[tokio::test]
async fn unknown_paths_get_the_error_body() {
    let sandbox = Sandbox::start(config()).await;
    let token = sandbox.app_token().await;
    let (status, body) = sandbox.get_json(&token, "/v1/invoices").await;
    assert_eq!(status, 404);
    assert_eq!(body["source"], "PartnerFD");
}
