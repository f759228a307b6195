//! Starts a sandbox on loopback and talks to it like a client would.
#![allow(dead_code)]

use cutover_sandbox::{Date, SandboxConfig, spawn};
use reqwest::{Client, RequestBuilder, Response};
use serde_json::Value;

pub struct Sandbox {
    pub base: String,
    pub http: Client,
}

/// A fixed "today" so end dates do not move between runs.
pub fn today() -> Date {
    Date::parse("2026-11-24").unwrap()
}

pub fn config() -> SandboxConfig {
    SandboxConfig {
        today: Some(today()),
        ..SandboxConfig::default()
    }
}

impl Sandbox {
    pub async fn start(config: SandboxConfig) -> Sandbox {
        let addr = spawn(config).await.expect("sandbox binds");
        Sandbox {
            base: format!("http://{addr}"),
            http: Client::new(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Redeems a form at the token endpoint.
    pub async fn token_response(&self, form: &[(&str, &str)]) -> Response {
        let body = form
            .iter()
            .map(|(k, v)| format!("{k}={}", v.replace(':', "%3A").replace('/', "%2F")))
            .collect::<Vec<_>>()
            .join("&");
        self.http
            .post(self.url("/partner-tenant/oauth2/token"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap()
    }

    /// An app-only access token.
    pub async fn app_token(&self) -> String {
        let r = self
            .token_response(&[
                ("grant_type", "client_credentials"),
                ("client_id", "app"),
                ("client_secret", "secret"),
                ("resource", "https://api.partnercenter.microsoft.com"),
            ])
            .await;
        assert_eq!(r.status(), 200);
        r.json::<Value>().await.unwrap()["access_token"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// An App+User access token (refresh-token flow).
    pub async fn user_token(&self) -> String {
        let r = self
            .token_response(&[
                ("grant_type", "refresh_token"),
                ("client_id", "app"),
                ("client_secret", "secret"),
                ("refresh_token", "seeded-refresh-token"),
                ("resource", "https://api.partnercenter.microsoft.com"),
            ])
            .await;
        assert_eq!(r.status(), 200);
        r.json::<Value>().await.unwrap()["access_token"]
            .as_str()
            .unwrap()
            .to_string()
    }

    pub fn get(&self, token: &str, path: &str) -> RequestBuilder {
        self.http
            .get(self.url(path))
            .bearer_auth(token)
            .header("accept", "application/json")
    }

    /// GETs a path with a fresh app-only token and returns status and JSON body.
    pub async fn get_json(&self, token: &str, path: &str) -> (u16, Value) {
        let r = self.get(token, path).send().await.unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// Walks `GET /v1/customers` page by page, following `links.next` verbatim.
    pub async fn all_customers(&self, token: &str, size: usize) -> Vec<Value> {
        let mut out = Vec::new();
        let mut path = format!("/v1/customers?size={size}");
        let mut header: Option<String> = None;
        loop {
            let mut req = self.get(token, &path);
            if let Some(t) = &header {
                req = req.header("MS-ContinuationToken", t);
            }
            let r = req.send().await.unwrap();
            assert_eq!(r.status(), 200);
            let page: Value = r.json().await.unwrap();
            out.extend(page["items"].as_array().unwrap().iter().cloned());
            let Some(next) = page["links"].get("next") else {
                break;
            };
            path = next["uri"].as_str().unwrap().to_string();
            let h = &next["headers"][0];
            assert_eq!(h["key"], "MS-ContinuationToken");
            assert_eq!(h["value"], page["continuationToken"]);
            header = Some(h["value"].as_str().unwrap().to_string());
        }
        out
    }
}
