//! The Microsoft Graph client: a delegated token per tenant (the partner's own tenant for GDAP,
//! each customer tenant for its subscriptions), bounded retries that honour `Retry-After`, and
//! the same error body as Partner Center calls.
//!
//! Tokens come from the partner's app and its stored refresh token, redeemed at
//! `{auth_base}/{tenant}/oauth2/v2.0/token` with scope `https://graph.microsoft.com/.default`.
//! They are cached per tenant and fetched again five minutes before they expire.
use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode};
use serde_json::Value;
use tokio::sync::Mutex;

use crate::config::RealCredentials;
use crate::graph_allow_list::{GraphCall, GraphTenant};
use crate::ids;
use crate::pc_client::{PcFailure, RetryPolicy, backoff, failure};

/// Graph's scope for app-registered permissions.
pub const GRAPH_SCOPE: &str = "https://graph.microsoft.com/.default";

/// A successful Graph answer.
#[derive(Debug, Clone)]
pub struct GraphResponse {
    /// Status as Graph sent it.
    pub status: StatusCode,
    /// The JSON body, checked to parse.
    pub body: bytes::Bytes,
    /// The `client-request-id` used on every attempt.
    pub request_id: String,
}

struct CachedToken {
    value: String,
    refresh_at: Instant,
}

/// Talks to Microsoft Graph (real or the sandbox) with the partner's app.
pub struct GraphClient {
    http: reqwest::Client,
    creds: RealCredentials,
    refresh_token: Mutex<Option<String>>,
    tokens: Mutex<HashMap<String, CachedToken>>,
    policy: RetryPolicy,
    /// Token requests made (for benchmarks and tests).
    token_requests: std::sync::atomic::AtomicU64,
}

enum Attempt {
    Done(GraphResponse),
    Retry {
        failure: PcFailure,
        wait: Option<Duration>,
    },
    Fail(PcFailure),
}

/// What Graph said in its error body `{error: {code, message}}`, as one line.
fn graph_said(body: &[u8]) -> Option<String> {
    let v: Value = serde_json::from_slice(body).ok()?;
    let e = v.get("error")?;
    let code = e.get("code").and_then(Value::as_str).unwrap_or("");
    let message = e.get("message").and_then(Value::as_str).unwrap_or("");
    let text = match (code.is_empty(), message.is_empty()) {
        (true, true) => return None,
        (false, true) => code.to_string(),
        (true, false) => message.to_string(),
        (false, false) => format!("{message} ({code})"),
    };
    Some(text.chars().take(300).collect())
}

impl GraphClient {
    /// A client for the given endpoints and credentials.
    pub fn new(creds: RealCredentials, policy: RetryPolicy) -> Result<Self, String> {
        let http = reqwest::Client::builder()
            .timeout(policy.timeout)
            .connect_timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("The HTTP client could not start ({e})."))?;
        Ok(Self {
            refresh_token: Mutex::new(creds.refresh_token.clone()),
            http,
            creds,
            tokens: Mutex::new(HashMap::new()),
            policy,
            token_requests: std::sync::atomic::AtomicU64::new(0),
        })
    }

    /// How many tokens were requested since start (one per tenant per hour when all is well).
    pub fn token_requests(&self) -> u64 {
        self.token_requests
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Sends one allow-listed call, retrying within the policy's bounds.
    pub async fn send(
        &self,
        method: &Method,
        call: &GraphCall,
        body: Option<bytes::Bytes>,
    ) -> Result<GraphResponse, PcFailure> {
        let request_id = ids::guid();
        let mut last = None;
        for attempt in 0..self.policy.attempts {
            match self.attempt(method, call, body.clone(), &request_id).await {
                Attempt::Done(r) => return Ok(r),
                Attempt::Fail(f) => return Err(f),
                Attempt::Retry { failure, wait } => {
                    if attempt + 1 == self.policy.attempts {
                        last = Some(failure);
                        break;
                    }
                    let wait = match wait {
                        Some(w) if w > self.policy.max_retry_after => return Err(failure),
                        Some(w) => w,
                        None => backoff(&self.policy, attempt),
                    };
                    last = Some(failure);
                    tokio::time::sleep(wait).await;
                }
            }
        }
        Err(last.unwrap_or_else(|| {
            failure(
                StatusCode::BAD_GATEWAY,
                "graph_unavailable",
                "Microsoft Graph could not be reached.".into(),
                true,
                &request_id,
            )
        }))
    }

    async fn attempt(
        &self,
        method: &Method,
        call: &GraphCall,
        body: Option<bytes::Bytes>,
        request_id: &str,
    ) -> Attempt {
        let token = match self.token(&call.tenant).await {
            Ok(t) => t,
            Err(f) => return Attempt::Fail(f),
        };
        let url = format!("{}{}", self.creds.graph_api_base, call.path_and_query);
        let mut req = self
            .http
            .request(method.clone(), &url)
            .bearer_auth(&token)
            .header("Accept", "application/json")
            .header("client-request-id", request_id)
            .header("return-client-request-id", "true");
        if let Some(b) = body {
            req = req.header("Content-Type", "application/json").body(b);
        }
        let retry = |code: &str, message: String| Attempt::Retry {
            failure: failure(StatusCode::BAD_GATEWAY, code, message, true, request_id),
            wait: None,
        };
        let resp = match req.send().await {
            Ok(r) => r,
            Err(e) => {
                let what = if e.is_timeout() {
                    "did not answer in time"
                } else {
                    "could not be reached"
                };
                let mut a = retry(
                    "graph_unreachable",
                    format!("Microsoft Graph {what}; try again in a minute."),
                );
                if let Attempt::Retry { failure, .. } = &mut a {
                    failure.status = StatusCode::GATEWAY_TIMEOUT;
                }
                return a;
            }
        };
        let status = resp.status();
        let retry_after = resp
            .headers()
            .get("Retry-After")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        let Ok(bytes) = resp.bytes().await else {
            return retry(
                "graph_truncated",
                "Microsoft Graph's answer was cut off; try again.".into(),
            );
        };
        if status.is_success() {
            if !bytes.is_empty() && serde_json::from_slice::<serde::de::IgnoredAny>(&bytes).is_err()
            {
                return retry(
                    "graph_malformed",
                    "Microsoft Graph sent an answer that could not be read; try again.".into(),
                );
            }
            return Attempt::Done(GraphResponse {
                status,
                body: bytes,
                request_id: request_id.to_string(),
            });
        }
        let said = graph_said(&bytes);
        let said_suffix = said.map(|s| format!(": {s}")).unwrap_or_default();
        match status.as_u16() {
            401 => {
                // The token may have been revoked or expired early: drop it and try once more.
                self.tokens.lock().await.remove(&cache_key(&call.tenant));
                Attempt::Retry {
                    failure: failure(
                        StatusCode::BAD_GATEWAY,
                        "graph_unauthorized",
                        format!(
                            "Microsoft Graph refused Cutover's token{said_suffix}; check the app's Graph permissions and consent (see the README)."
                        ),
                        false,
                        request_id,
                    ),
                    wait: None,
                }
            }
            403 => {
                let message = match &call.tenant {
                    GraphTenant::Customer(t) => format!(
                        "Microsoft Graph refused to read customer tenant {t}: Cutover has no active admin access (GDAP) there, or it was revoked or has expired. Request admin access again and ask the customer to approve it."
                    ),
                    GraphTenant::Partner => format!(
                        "Microsoft Graph refused the admin-relationship call{said_suffix}; the signed-in partner user needs the DelegatedAdminRelationship.ReadWrite.All permission (see the README)."
                    ),
                };
                Attempt::Fail(failure(
                    StatusCode::FORBIDDEN,
                    "graph_access_denied",
                    message,
                    false,
                    request_id,
                ))
            }
            429 => {
                let secs = retry_after.unwrap_or(1);
                let mut f = failure(
                    StatusCode::TOO_MANY_REQUESTS,
                    "graph_throttled",
                    format!(
                        "Microsoft Graph is throttling requests and asks Cutover to wait {secs} s."
                    ),
                    true,
                    request_id,
                );
                f.retry_after = Some(secs);
                f.error.retry_after = Some(secs);
                Attempt::Retry {
                    failure: f,
                    wait: Some(Duration::from_secs(secs)),
                }
            }
            408 | 500 | 502 | 503 | 504 => retry(
                "graph_unavailable",
                format!(
                    "Microsoft Graph had a problem ({}){said_suffix}; try again in a minute.",
                    status.as_u16()
                ),
            ),
            s => Attempt::Fail(failure(
                StatusCode::from_u16(s)
                    .ok()
                    .filter(|s| s.is_client_error())
                    .unwrap_or(StatusCode::BAD_GATEWAY),
                "graph_rejected",
                format!(
                    "Microsoft Graph refused the request ({s}){}",
                    if said_suffix.is_empty() {
                        ": no reason given.".to_string()
                    } else {
                        said_suffix
                    }
                ),
                false,
                request_id,
            )),
        }
    }

    /// A cached delegated token for `tenant`, fetched or refreshed five minutes before it expires.
    async fn token(&self, tenant: &GraphTenant) -> Result<String, PcFailure> {
        let key = cache_key(tenant);
        if let Some(t) = self
            .tokens
            .lock()
            .await
            .get(&key)
            .filter(|t| t.refresh_at > Instant::now())
        {
            return Ok(t.value.clone());
        }
        // The cache is not locked while the token is fetched, so tenants do not wait for each
        // other; two concurrent first calls for one tenant may both fetch, which is harmless.
        let refresh = self.refresh_token.lock().await.clone().ok_or_else(|| {
            failure(
                StatusCode::FORBIDDEN,
                "graph_not_configured",
                "Reading customer tenants needs a partner user's consent: set CUTOVER_PC_REFRESH_TOKEN (see the README's Microsoft Graph section).".into(),
                false,
                "",
            )
        })?;
        let authority = match tenant {
            GraphTenant::Partner => self.creds.tenant_id.as_str(),
            GraphTenant::Customer(id) => id.as_str(),
        };
        let form = [
            ("client_id", self.creds.client_id.as_str()),
            ("client_secret", self.creds.client_secret.as_str()),
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh.as_str()),
            ("scope", GRAPH_SCOPE),
        ];
        let url = format!("{}/{authority}/oauth2/v2.0/token", self.creds.auth_base);
        let refused = |why: String| {
            failure(
                StatusCode::BAD_GATEWAY,
                "graph_sign_in_failed",
                why,
                false,
                "",
            )
        };
        let unreachable = || {
            let mut f = refused(
                "Cutover could not get a Microsoft Graph token; try again in a minute.".into(),
            );
            f.error.retryable = true;
            f
        };
        self.token_requests
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let resp = self
            .http
            .post(&url)
            .form(&form)
            .send()
            .await
            .map_err(|_| unreachable())?;
        if !resp.status().is_success() {
            let where_ = match tenant {
                GraphTenant::Partner => "the partner's tenant".to_string(),
                GraphTenant::Customer(id) => format!("customer tenant {id}"),
            };
            return Err(refused(format!(
                "Microsoft Graph sign-in for {where_} was refused ({}); check that the customer has consented to Cutover's app and that the refresh token is current.",
                resp.status().as_u16()
            )));
        }
        let json: Value = resp.json().await.map_err(|_| unreachable())?;
        let value =
            cutover_plan::partner_center::text(&json, "access_token").ok_or_else(unreachable)?;
        let lifetime = cutover_plan::partner_center::count(&json, "expires_in").unwrap_or(3600);
        if let Some(newer) = cutover_plan::partner_center::text(&json, "refresh_token") {
            // Each redemption issues a fresh refresh token; always keep the newest.
            *self.refresh_token.lock().await = Some(newer);
        }
        let refresh_at = Instant::now() + Duration::from_secs(lifetime.saturating_sub(300).max(30));
        self.tokens.lock().await.insert(
            key,
            CachedToken {
                value: value.clone(),
                refresh_at,
            },
        );
        Ok(value)
    }
}

fn cache_key(tenant: &GraphTenant) -> String {
    match tenant {
        GraphTenant::Partner => "partner".into(),
        GraphTenant::Customer(id) => id.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graphs_error_body_becomes_one_line() {
        let body = br#"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}}"#;
        assert_eq!(
            graph_said(body).unwrap(),
            "Insufficient privileges to complete the operation. (Authorization_RequestDenied)"
        );
        assert_eq!(graph_said(b"<html>"), None);
        assert_eq!(graph_said(br#"{"error":{}}"#), None);
    }
}
