//! Structured logs (`tracing`) and the request middleware that feeds them and the metrics.
//!
//! What is never logged: tokens (Partner Center, Graph, refresh tokens), secrets, the access key,
//! cookies, request or response bodies, query strings, and share tokens — a status page's path is
//! logged with its token replaced by `[redacted]`. Each request gets an id (`x-request-id` on the
//! answer); every line logged while handling it, Partner Center calls included, carries it.
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;
use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;
use crate::{AppState, ids, metrics};

/// The client's address as the request middleware determined it (see [`crate::client_addr`]).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub IpAddr);

/// Starts logging to standard error: `CUTOVER_LOG` filters (default `info`, e.g.
/// `cutover_proxy=debug`), `format` picks text or JSON lines. Safe to call twice.
pub fn init_logging(format: LogFormat) {
    let filter = EnvFilter::try_from_env("CUTOVER_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false);
    let _ = match format {
        LogFormat::Text => builder.with_ansi(false).try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
}

/// A path safe to log: the share token in `/status/{token}` and `/api/public/status/{token}/…`,
/// a subscriber's token in `/api/public/mail/…/{token}` and a calendar address's token in
/// `/api/public/calendar/{token}.ics` are replaced by `[redacted]`.
pub fn redact_path(path: &str) -> String {
    for prefix in [
        "/api/public/status/",
        "/status/",
        "/api/public/mail/confirm/",
        "/api/public/mail/unsubscribe/",
        "/api/public/calendar/",
    ] {
        if let Some(rest) = path.strip_prefix(prefix) {
            let tail = rest.find('/').map_or("", |i| &rest[i..]);
            return format!("{prefix}[redacted]{tail}");
        }
    }
    path.to_owned()
}

/// Outermost middleware: request id, client address, one log line and the metrics per request.
pub async fn track_requests(
    State(state): State<Arc<AppState>>,
    mut req: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let request_id = ids::guid();
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let client = peer.map(|ip| state.trusted_proxies.client_ip(ip, req.headers()));
    if let Some(ip) = client {
        req.extensions_mut().insert(ClientAddr(ip));
    }
    let method = req.method().as_str().to_owned();
    let path = req.uri().path().to_owned();
    let route = route_label(req.extensions().get::<MatchedPath>(), &path);
    let span = tracing::info_span!("request", request_id = %request_id);
    let mut resp = next.run(req).instrument(span.clone()).await;
    let elapsed = started.elapsed();
    let status = resp.status().as_u16();
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        resp.headers_mut().insert("x-request-id", v);
    }
    metrics::request(&method, &route, status, elapsed);
    let _entered = span.enter();
    let latency_ms = millis(elapsed);
    let client = client.map(|c| c.to_string()).unwrap_or_default();
    let path = redact_path(&path);
    if status >= 500 {
        tracing::warn!(%method, %route, %path, status, latency_ms, %client, "request failed");
    } else if route == "static"
        || route.starts_with("/healthz")
        || route.starts_with("/readyz")
        || route == "/metrics"
    {
        tracing::debug!(%method, %route, %path, status, latency_ms, %client, "request");
    } else {
        tracing::info!(%method, %route, %path, status, latency_ms, %client, "request");
    }
    resp
}

/// The route template axum matched, or `static` for the built app's files.
fn route_label(matched: Option<&MatchedPath>, path: &str) -> String {
    match matched {
        Some(m) => m.as_str().to_owned(),
        None if path.starts_with("/api/") => "/api/unknown".to_owned(),
        None => "static".to_owned(),
    }
}

fn millis(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
}

/// The path of a Partner Center call without its query (which may carry continuation state).
fn path_only(path_and_query: &str) -> &str {
    path_and_query.split('?').next().unwrap_or("")
}

/// One answered Partner Center attempt: metrics, and a log line (429 and 5xx as warnings).
pub fn pc_answer(
    method: &str,
    path_and_query: &str,
    request_id: &str,
    status: u16,
    retry_after: Option<u64>,
    elapsed: Duration,
) {
    upstream_answer(
        "partner_center",
        method,
        path_and_query,
        request_id,
        status,
        retry_after,
        elapsed,
    );
}

/// One answered attempt to an upstream service (`partner_center`, `graph`), with the
/// `MS-RequestId` (or `client-request-id`) it was sent with: metrics, and a log line (429 and 5xx
/// as warnings). Only the path is logged, never the query, headers or body.
pub fn upstream_answer(
    service: &str,
    method: &str,
    path_and_query: &str,
    request_id: &str,
    status: u16,
    retry_after: Option<u64>,
    elapsed: Duration,
) {
    metrics::upstream(service, Some(status), elapsed);
    let path = path_only(path_and_query);
    let latency_ms = millis(elapsed);
    if status == 429 {
        tracing::warn!(%service, %method, %path, ms_request_id = %request_id, status, retry_after, latency_ms, "upstream throttled the call");
    } else if status >= 500 {
        tracing::warn!(%service, %method, %path, ms_request_id = %request_id, status, latency_ms, "upstream failed");
    } else if status >= 400 {
        tracing::info!(%service, %method, %path, ms_request_id = %request_id, status, latency_ms, "upstream refused the call");
    } else {
        tracing::info!(%service, %method, %path, ms_request_id = %request_id, status, latency_ms, "upstream answered");
    }
}

/// One Partner Center attempt that got no answer (timeout, refused or cut-off connection).
pub fn pc_no_answer(
    method: &str,
    path_and_query: &str,
    request_id: &str,
    timed_out: bool,
    elapsed: Duration,
) {
    upstream_no_answer(
        "partner_center",
        method,
        path_and_query,
        request_id,
        timed_out,
        elapsed,
    );
}

/// One attempt to an upstream service that got no answer.
pub fn upstream_no_answer(
    service: &str,
    method: &str,
    path_and_query: &str,
    request_id: &str,
    timed_out: bool,
    elapsed: Duration,
) {
    metrics::upstream(service, None, elapsed);
    tracing::warn!(
        %service,
        %method,
        path = %path_only(path_and_query),
        ms_request_id = %request_id,
        timed_out,
        latency_ms = millis(elapsed),
        "upstream did not answer"
    );
}

/// A Partner Center call about to be retried after `wait`.
pub fn pc_retry(request_id: &str, attempt: u32, wait: Duration, code: &str) {
    upstream_retry("partner_center", request_id, attempt, wait, code);
}

/// A call to an upstream service about to be retried after `wait`.
pub fn upstream_retry(service: &str, request_id: &str, attempt: u32, wait: Duration, code: &str) {
    metrics::upstream_retry(service);
    tracing::info!(%service, ms_request_id = %request_id, attempt, wait_ms = millis(wait), reason = %code, "retrying upstream call");
}

/// A token request to the sign-in endpoint: its status (`None`: no answer). Never the token.
pub fn pc_token(grant: &str, status: Option<u16>, elapsed: Duration) {
    metrics::upstream("partner_center_token", status, elapsed);
    match status {
        Some(s) if (200..300).contains(&s) => {
            tracing::info!(
                grant,
                status = s,
                latency_ms = millis(elapsed),
                "Partner Center token obtained"
            )
        }
        Some(s) => {
            tracing::warn!(
                grant,
                status = s,
                latency_ms = millis(elapsed),
                "Partner Center sign-in refused"
            )
        }
        None => tracing::warn!(
            grant,
            latency_ms = millis(elapsed),
            "Partner Center sign-in could not be reached"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_tokens_are_redacted_from_logged_paths() {
        let token = "ab".repeat(32);
        assert_eq!(
            redact_path(&format!("/api/public/status/{token}")),
            "/api/public/status/[redacted]"
        );
        assert_eq!(
            redact_path(&format!("/api/public/status/{token}/feed.atom")),
            "/api/public/status/[redacted]/feed.atom"
        );
        assert_eq!(
            redact_path(&format!("/status/{token}")),
            "/status/[redacted]"
        );
        assert_eq!(
            redact_path("/api/store/records/contoso.com"),
            "/api/store/records/contoso.com"
        );
        for prefix in [
            "/api/public/mail/confirm/",
            "/api/public/mail/unsubscribe/",
            "/api/public/calendar/",
        ] {
            let logged = redact_path(&format!("{prefix}{token}"));
            assert_eq!(logged, format!("{prefix}[redacted]"));
        }
    }
}
