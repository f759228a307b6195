//! The Partner Center client: tokens, request ids, bounded retries, one error shape.
use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode};
use cutover_plan::partner_center::error_description;
use cutover_plan::wire::{ApiError, CONTINUATION_HEADER};
use tokio::sync::Mutex;

use crate::allow_list::{AllowedCall, Auth};
use crate::config::RealCredentials;
use crate::ids;

/// Partner Center's token audience.
const RESOURCE: &str = "https://api.partnercenter.microsoft.com";

/// How hard to try before giving the app an error.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Attempts in total, the first included.
    pub attempts: u32,
    /// First backoff; doubles per attempt, plus up to 50% jitter.
    pub base_delay: Duration,
    /// Longest single backoff.
    pub max_delay: Duration,
    /// A `Retry-After` longer than this is handed to the app instead of waited out here.
    pub max_retry_after: Duration,
    /// Per-attempt timeout.
    pub timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            attempts: 4,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(4),
            max_retry_after: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
        }
    }
}

/// A failed call, ready to become an HTTP response for the app.
#[derive(Debug, Clone)]
pub struct PcFailure {
    /// Status for the app.
    pub status: StatusCode,
    /// The body for the app.
    pub error: ApiError,
    /// Seconds the app should wait before trying again, if Partner Center said.
    pub retry_after: Option<u64>,
}

/// A successful Partner Center answer.
#[derive(Debug, Clone)]
pub struct PcResponse {
    /// Status as Partner Center sent it.
    pub status: StatusCode,
    /// The JSON body, checked to parse.
    pub body: bytes::Bytes,
    /// Continuation token from the response headers, when sent there.
    pub continuation: Option<String>,
    /// The `MS-RequestId` used.
    pub request_id: String,
}

struct CachedToken {
    value: String,
    refresh_at: Instant,
}

/// Talks to one Partner Center (real or the sandbox) with one set of credentials.
pub struct PartnerCenter {
    http: reqwest::Client,
    creds: RealCredentials,
    refresh_token: Mutex<Option<String>>,
    tokens: Mutex<HashMap<AuthKind, CachedToken>>,
    policy: RetryPolicy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum AuthKind {
    App,
    AppUser,
}

impl From<Auth> for AuthKind {
    fn from(a: Auth) -> Self {
        match a {
            Auth::App => AuthKind::App,
            Auth::AppUser => AuthKind::AppUser,
        }
    }
}

enum Attempt {
    Done(PcResponse),
    Retry {
        failure: PcFailure,
        wait: Option<Duration>,
    },
    Fail(PcFailure),
}

impl PartnerCenter {
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
        })
    }

    /// Gets an app-only token once, so a wrong tenant, app id or secret is reported at start-up
    /// as one sentence instead of on the first page the partner opens.
    pub async fn check_sign_in(&self) -> Result<(), String> {
        self.token(AuthKind::App)
            .await
            .map(|_| ())
            .map_err(|f| f.error.message)
    }

    /// Sends one allow-listed call with a fresh `MS-RequestId`, retrying within the policy's bounds.
    pub async fn send(
        &self,
        method: &Method,
        call: &AllowedCall,
        body: Option<bytes::Bytes>,
        continuation: Option<&str>,
        correlation_id: &str,
    ) -> Result<PcResponse, PcFailure> {
        self.send_with_request_id(
            method,
            call,
            body,
            continuation,
            correlation_id,
            &ids::guid(),
        )
        .await
    }

    /// Sends one allow-listed call with the caller's `MS-RequestId` (an order the app may retry
    /// must keep its id, so Partner Center answers a retry with the first order).
    pub async fn send_with_request_id(
        &self,
        method: &Method,
        call: &AllowedCall,
        body: Option<bytes::Bytes>,
        continuation: Option<&str>,
        correlation_id: &str,
        request_id: &str,
    ) -> Result<PcResponse, PcFailure> {
        // One MS-RequestId per logical request, reused on every retry (Partner Center idempotency).
        let request_id = request_id.to_string();
        let mut last = None;
        for attempt in 0..self.policy.attempts {
            let outcome = self
                .attempt(
                    method,
                    call,
                    body.clone(),
                    continuation,
                    correlation_id,
                    &request_id,
                )
                .await;
            match outcome {
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
                        None => self.backoff(attempt),
                    };
                    crate::observability::pc_retry(
                        &request_id,
                        attempt + 1,
                        wait,
                        &failure.error.code,
                    );
                    last = Some(failure);
                    tokio::time::sleep(wait).await;
                }
            }
        }
        Err(last.unwrap_or_else(|| {
            failure(
                StatusCode::BAD_GATEWAY,
                "partner_center_unavailable",
                "Partner Center could not be reached.".into(),
                true,
                &request_id,
            )
        }))
    }

    fn backoff(&self, attempt: u32) -> Duration {
        backoff(&self.policy, attempt)
    }

    async fn attempt(
        &self,
        method: &Method,
        call: &AllowedCall,
        body: Option<bytes::Bytes>,
        continuation: Option<&str>,
        correlation_id: &str,
        request_id: &str,
    ) -> Attempt {
        let kind = AuthKind::from(call.auth);
        let token = match self.token(kind).await {
            Ok(t) => t,
            Err(f) => return Attempt::Fail(f),
        };
        let url = format!("{}{}", self.creds.api_base, call.path_and_query);
        let mut req = self
            .http
            .request(method.clone(), &url)
            .bearer_auth(&token)
            .header("Accept", "application/json")
            .header("MS-RequestId", request_id)
            .header("MS-CorrelationId", correlation_id)
            .header("MS-Contract-Version", "v1")
            .header("MS-PartnerCenter-Application", "Cutover");
        if let Some(c) = continuation {
            req = req.header(CONTINUATION_HEADER, c);
        }
        if let Some(b) = body {
            req = req.header("Content-Type", "application/json").body(b);
        }
        let started = Instant::now();
        let resp = match req.send().await {
            Ok(r) => r,
            Err(e) => {
                crate::observability::pc_no_answer(
                    method.as_str(),
                    &call.path_and_query,
                    request_id,
                    e.is_timeout(),
                    started.elapsed(),
                );
                let what = if e.is_timeout() {
                    "did not answer in time"
                } else {
                    "could not be reached"
                };
                return Attempt::Retry {
                    failure: failure(
                        StatusCode::GATEWAY_TIMEOUT,
                        "partner_center_unreachable",
                        format!("Partner Center {what}; try again in a minute."),
                        true,
                        request_id,
                    ),
                    wait: None,
                };
            }
        };
        let status = resp.status();
        let retry_after = resp
            .headers()
            .get("Retry-After")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        crate::observability::pc_answer(
            method.as_str(),
            &call.path_and_query,
            request_id,
            status.as_u16(),
            retry_after,
            started.elapsed(),
        );
        let continuation = resp
            .headers()
            .get(CONTINUATION_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let bytes = match resp.bytes().await {
            Ok(b) => b,
            Err(_) => {
                return Attempt::Retry {
                    failure: failure(
                        StatusCode::BAD_GATEWAY,
                        "partner_center_truncated",
                        "Partner Center's answer was cut off; try again.".into(),
                        true,
                        request_id,
                    ),
                    wait: None,
                };
            }
        };
        if status.is_success() {
            if !bytes.is_empty() && serde_json::from_slice::<serde::de::IgnoredAny>(&bytes).is_err()
            {
                return Attempt::Retry {
                    failure: failure(
                        StatusCode::BAD_GATEWAY,
                        "partner_center_malformed",
                        "Partner Center sent an answer that could not be read; try again.".into(),
                        true,
                        request_id,
                    ),
                    wait: None,
                };
            }
            return Attempt::Done(PcResponse {
                status,
                body: bytes,
                continuation,
                request_id: request_id.to_string(),
            });
        }
        let said = std::str::from_utf8(&bytes).ok().and_then(error_description);
        match status.as_u16() {
            401 => {
                // The token may have been revoked or expired early: drop it and try once more.
                self.tokens.lock().await.remove(&kind);
                Attempt::Retry {
                    failure: failure(StatusCode::BAD_GATEWAY, "partner_center_unauthorized", "Partner Center refused Cutover's credentials; check the app registration and secret.".into(), false, request_id),
                    wait: None,
                }
            }
            429 => {
                let secs = retry_after.unwrap_or(1);
                let mut f = failure(
                    StatusCode::TOO_MANY_REQUESTS,
                    "partner_center_throttled",
                    format!(
                        "Partner Center is throttling requests and asks Cutover to wait {secs} s."
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
            408 | 500 | 502 | 503 | 504 => Attempt::Retry {
                failure: failure(
                    StatusCode::BAD_GATEWAY,
                    "partner_center_unavailable",
                    format!(
                        "Partner Center had a problem ({}){}; try again in a minute.",
                        status.as_u16(),
                        said.map(|s| format!(": {s}")).unwrap_or_default()
                    ),
                    true,
                    request_id,
                ),
                wait: None,
            },
            s => Attempt::Fail(failure(
                StatusCode::from_u16(s)
                    .ok()
                    .filter(|s| s.is_client_error())
                    .unwrap_or(StatusCode::BAD_GATEWAY),
                "partner_center_rejected",
                format!(
                    "Partner Center refused the request ({s}): {}",
                    said.unwrap_or_else(|| "no reason given.".into())
                ),
                false,
                request_id,
            )),
        }
    }

    /// A cached access token, fetched or refreshed five minutes before it expires.
    async fn token(&self, kind: AuthKind) -> Result<String, PcFailure> {
        let mut cache = self.tokens.lock().await;
        if let Some(t) = cache.get(&kind).filter(|t| t.refresh_at > Instant::now()) {
            return Ok(t.value.clone());
        }
        let mut form: Vec<(&str, String)> = vec![
            ("resource", RESOURCE.to_string()),
            ("client_id", self.creds.client_id.clone()),
            ("client_secret", self.creds.client_secret.clone()),
        ];
        match kind {
            AuthKind::App => form.push(("grant_type", "client_credentials".into())),
            AuthKind::AppUser => {
                let refresh = self.refresh_token.lock().await.clone().ok_or_else(|| {
                    failure(StatusCode::FORBIDDEN, "app_user_not_configured", "This needs a Partner Center user's consent: set CUTOVER_PC_REFRESH_TOKEN (see the README).".into(), false, "")
                })?;
                form.push(("grant_type", "refresh_token".into()));
                form.push(("refresh_token", refresh));
                form.push(("scope", "openid".into()));
            }
        }
        let url = format!(
            "{}/{}/oauth2/token",
            self.creds.auth_base, self.creds.tenant_id
        );
        let unreachable = || {
            failure(
                StatusCode::BAD_GATEWAY,
                "sign_in_failed",
                "Cutover could not sign in to Partner Center; check the tenant, app id and secret."
                    .into(),
                true,
                "",
            )
        };
        let grant = if kind == AuthKind::App {
            "client_credentials"
        } else {
            "refresh_token"
        };
        let asked = Instant::now();
        let resp = self.http.post(&url).form(&form).send().await;
        crate::observability::pc_token(
            grant,
            resp.as_ref().ok().map(|r| r.status().as_u16()),
            asked.elapsed(),
        );
        let resp = resp.map_err(|_| unreachable())?;
        if !resp.status().is_success() {
            return Err(failure(
                StatusCode::BAD_GATEWAY,
                "sign_in_failed",
                format!(
                    "Partner Center sign-in was refused ({}); check the tenant, app id and secret.",
                    resp.status().as_u16()
                ),
                false,
                "",
            ));
        }
        let json: serde_json::Value = resp.json().await.map_err(|_| unreachable())?;
        let value =
            cutover_plan::partner_center::text(&json, "access_token").ok_or_else(unreachable)?;
        let lifetime = cutover_plan::partner_center::count(&json, "expires_in").unwrap_or(3600);
        if let Some(newer) = cutover_plan::partner_center::text(&json, "refresh_token") {
            // Each redemption issues a fresh 90-day refresh token; always keep the newest.
            *self.refresh_token.lock().await = Some(newer);
        }
        let refresh_at = Instant::now() + Duration::from_secs(lifetime.saturating_sub(300).max(30));
        cache.insert(
            kind,
            CachedToken {
                value: value.clone(),
                refresh_at,
            },
        );
        Ok(value)
    }
}

/// Exponential backoff for `attempt` (0-based), capped, plus up to 50% jitter.
pub(crate) fn backoff(policy: &RetryPolicy, attempt: u32) -> Duration {
    let exp = policy.base_delay.saturating_mul(1u32 << attempt.min(16));
    let capped = exp.min(policy.max_delay);
    let jitter = ids::below(capped.as_millis() as u64 / 2 + 1);
    capped + Duration::from_millis(jitter)
}

/// A failure with the app's error body.
pub(crate) fn failure(
    status: StatusCode,
    code: &str,
    message: String,
    retryable: bool,
    request_id: &str,
) -> PcFailure {
    PcFailure {
        status,
        error: ApiError {
            code: code.into(),
            message,
            retryable,
            request_id: (!request_id.is_empty()).then(|| request_id.to_string()),
            retry_after: None,
        },
        retry_after: None,
    }
}
