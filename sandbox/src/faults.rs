//! Injected faults: latency, forced statuses, per-tenant rate limits, random 429/5xx, malformed
//! JSON, truncated bodies and dropped connections.
//!
//! Random faults are rolled from `derive(seed, …, n)` where `n` counts the Partner Center requests
//! that passed authentication, so a client making requests one at a time meets the same faults in
//! the same places on every run.
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderName, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use futures_util::{StreamExt, stream};

use crate::errors::{Wire, for_status_in, throttled_in};
use crate::prng::{derive, mix};
use crate::state::{AppState, lock};

const TAG_FAULT: u64 = 0x0066_6175_6c74;
const TAG_LATENCY: u64 = 0x6c61_7465;

/// The kind of fault a roll picked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    None,
    Throttle,
    ServerError(u16),
    Malformed,
    Truncated,
    Drop,
}

/// Which fault request number `n` meets under `config`.
pub fn roll(config: &crate::SandboxConfig, n: u64) -> Fault {
    let bits = derive(config.seed, TAG_FAULT, n);
    let r = (bits >> 11) as f64 / (1u64 << 53) as f64;
    let mut edge = config.rate_429;
    if r < edge {
        return Fault::Throttle;
    }
    edge += config.rate_5xx;
    if r < edge {
        return Fault::ServerError(if bits & 1 == 0 { 500 } else { 503 });
    }
    edge += config.rate_malformed;
    if r < edge {
        return Fault::Malformed;
    }
    edge += config.rate_truncated;
    if r < edge {
        return Fault::Truncated;
    }
    edge += config.rate_drop;
    if r < edge {
        return Fault::Drop;
    }
    Fault::None
}

/// Echoes `MS-RequestId` and `MS-CorrelationId` as Partner Center does.
pub async fn echo_request_ids(request: Request, next: Next) -> Response {
    let names = [
        HeaderName::from_static("ms-requestid"),
        HeaderName::from_static("ms-correlationid"),
    ];
    let values: Vec<_> = names
        .iter()
        .map(|n| request.headers().get(n).cloned())
        .collect();
    let mut response = next.run(request).await;
    for (name, value) in names.into_iter().zip(values) {
        if let Some(value) = value {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

/// Echoes Graph's `client-request-id` and sends a `request-id`, as Graph does.
pub async fn echo_client_request_id(request: Request, next: Next) -> Response {
    let name = HeaderName::from_static("client-request-id");
    let value = request.headers().get(&name).cloned();
    let mut response = next.run(request).await;
    if let Some(value) = value {
        response.headers_mut().insert(name, value.clone());
        response
            .headers_mut()
            .insert(HeaderName::from_static("request-id"), value);
    }
    response
}

/// Added latency and the forced status, applied before authentication (Partner Center).
pub async fn before_auth(State(state): State<AppState>, request: Request, next: Next) -> Response {
    before_auth_in(Wire::PartnerCenter, state, request, next).await
}

/// Added latency and the forced status, applied before authentication (Microsoft Graph).
pub async fn graph_before_auth(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    before_auth_in(Wire::Graph, state, request, next).await
}

async fn before_auth_in(wire: Wire, state: AppState, request: Request, next: Next) -> Response {
    match wire {
        Wire::PartnerCenter => &state.pc_requests,
        Wire::Graph => &state.graph_requests,
    }
    .fetch_add(1, Ordering::Relaxed);
    let config = &state.config;
    if config.latency_ms > 0 || config.latency_jitter_ms > 0 {
        let serial = state.latency_counter.fetch_add(1, Ordering::Relaxed);
        let jitter = if config.latency_jitter_ms > 0 {
            derive(config.seed, TAG_LATENCY, serial) % (config.latency_jitter_ms + 1)
        } else {
            0
        };
        tokio::time::sleep(Duration::from_millis(config.latency_ms + jitter)).await;
    }
    if let Some(status) = config.fail_status {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        return for_status_in(wire, status, config.retry_after_secs);
    }
    next.run(request).await
}

/// The per-tenant rate limit and the random faults, applied to authenticated requests.
pub async fn inject(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let key = tenant_key(request.uri().path());
    inject_in(Wire::PartnerCenter, key, state, request, next).await
}

/// The same faults on Microsoft Graph, in Graph's error shapes; the rate limit counts per
/// tenant the token was issued for.
pub async fn graph_inject(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let key = request
        .extensions()
        .get::<crate::state::GraphCaller>()
        .and_then(|c| c.tenant.clone())
        .map(|t| format!("graph:{t}"))
        .unwrap_or_else(|| "graph:partner".into());
    inject_in(Wire::Graph, key, state, request, next).await
}

async fn inject_in(
    wire: Wire,
    key: String,
    state: AppState,
    request: Request,
    next: Next,
) -> Response {
    let config = &state.config;
    if let Some(limit) = config.rate_limit_per_minute
        && let Some(wait) = over_limit(&state, key, limit)
    {
        return throttled_in(wire, wait);
    }
    if config.fault_share() <= 0.0 {
        return next.run(request).await;
    }
    let n = state.request_counter.fetch_add(1, Ordering::Relaxed);
    match roll(config, n) {
        Fault::None => next.run(request).await,
        Fault::Throttle => throttled_in(wire, config.retry_after_secs),
        Fault::ServerError(code) => for_status_in(
            wire,
            StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            0,
        ),
        Fault::Malformed => {
            let (parts, body) = split(next.run(request).await).await;
            let mut response = Response::from_parts(parts, Body::from(malformed(&body, n)));
            response.headers_mut().remove(header::CONTENT_LENGTH);
            *response.status_mut() = StatusCode::OK;
            response
        }
        Fault::Truncated => {
            // Headers promise the whole body; half of it is written, then the connection closes.
            let (parts, body) = split(next.run(request).await).await;
            let full = body.len();
            let cut = stream::iter([Ok::<Bytes, std::io::Error>(body.slice(..full / 2))]);
            let fail = stream::once(async {
                // Give the server time to flush the first half before failing.
                tokio::time::sleep(Duration::from_millis(20)).await;
                Err(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "sandbox: truncated body",
                ))
            });
            let mut response = Response::from_parts(parts, Body::from_stream(cut.chain(fail)));
            response
                .headers_mut()
                .insert(header::CONTENT_LENGTH, full.into());
            response
        }
        Fault::Drop => {
            // The request is processed (as when a real connection drops after the server acted) but
            // the body fails before a byte is written, so the server closes the connection.
            let _ = next.run(request).await;
            let chunks: Vec<Result<Bytes, std::io::Error>> = vec![Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "sandbox: dropped connection",
            ))];
            Response::new(Body::from_stream(stream::iter(chunks)))
        }
    }
}

async fn split(response: Response) -> (axum::http::response::Parts, Bytes) {
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    (parts, bytes)
}

/// A body that is not valid JSON, in one of a few ways a broken gateway produces.
fn malformed(body: &[u8], n: u64) -> Vec<u8> {
    match mix(n) % 3 {
        0 => body[..body.len() * 2 / 3].to_vec(),
        1 => {
            let mut v = body.to_vec();
            v.extend_from_slice(b"}\n<!-- upstream timeout -->");
            v
        }
        _ => b"<html><head><title>502 Bad Gateway</title></head><body>Bad Gateway</body></html>"
            .to_vec(),
    }
}

/// The tenant a request counts against: the customer in the path, else the partner.
fn tenant_key(path: &str) -> String {
    let mut segments = path.trim_start_matches('/').split('/');
    match (segments.next(), segments.next(), segments.next()) {
        (Some("v1"), Some("customers"), Some(id))
            if !id.is_empty() && id != "relationshiprequests" =>
        {
            id.to_ascii_lowercase()
        }
        _ => "partner".into(),
    }
}

/// `Some(seconds to wait)` when `key` has used up its minute.
fn over_limit(state: &AppState, key: String, limit: u32) -> Option<u32> {
    let now = Instant::now();
    let mut windows = lock(&state.rate_windows);
    let window = windows.entry(key).or_insert((now, 0));
    if now.duration_since(window.0) >= Duration::from_secs(60) {
        *window = (now, 0);
    }
    if window.1 >= limit {
        let left = Duration::from_secs(60).saturating_sub(now.duration_since(window.0));
        return Some(left.as_secs_f64().ceil().max(1.0) as u32);
    }
    window.1 += 1;
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SandboxConfig;

    #[test]
    fn rolls_follow_the_rates_and_the_seed() {
        let config = SandboxConfig {
            rate_429: 0.2,
            rate_5xx: 0.1,
            ..SandboxConfig::default()
        };
        let rolls: Vec<Fault> = (0..10_000).map(|n| roll(&config, n)).collect();
        let throttles = rolls.iter().filter(|f| **f == Fault::Throttle).count();
        let errors = rolls
            .iter()
            .filter(|f| matches!(f, Fault::ServerError(_)))
            .count();
        assert!((1800..2200).contains(&throttles), "{throttles}");
        assert!((800..1200).contains(&errors), "{errors}");
        let again: Vec<Fault> = (0..10_000).map(|n| roll(&config, n)).collect();
        assert_eq!(rolls, again);
    }

    #[test]
    fn rate_limit_keys_are_per_customer() {
        assert_eq!(tenant_key("/v1/customers/ABC/subscriptions"), "abc");
        assert_eq!(tenant_key("/v1/customers"), "partner");
        assert_eq!(tenant_key("/v1/customers/relationshiprequests"), "partner");
    }
}
