//! A receiver for Cutover's webhooks, so tests (and people trying Cutover) can point
//! `CUTOVER_WEBHOOK_URL` at the sandbox and see what arrives.
//!
//! - `POST /sandbox/webhooks`: records the delivery and checks its signature: the hex
//!   HMAC-SHA256, keyed with the sandbox's `CUTOVER_SANDBOX_WEBHOOK_SECRET`, of
//!   `{Cutover-Webhook-Id}.{Cutover-Webhook-Timestamp}.{body}`, sent as
//!   `Cutover-Webhook-Signature: v1=<hex>`, with a timestamp within five minutes. Answers 204, or
//!   401 when the signature does not hold (the delivery is still recorded, marked invalid).
//! - `GET /sandbox/webhooks`: every delivery so far, oldest first.
//! - `POST /sandbox/webhooks/fail-next/{n}`: answer the next `n` deliveries with 503 (to watch
//!   Cutover retry).
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::dates::now_unix;

/// How far a signature's timestamp may be from the receiver's clock.
const TOLERANCE_SECS: u64 = 300;

/// One delivery as received.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Delivery {
    id: String,
    timestamp: String,
    signature_valid: bool,
    status: u16,
    body: serde_json::Value,
}

struct Receiver {
    secret: Option<String>,
    received: Mutex<Vec<Delivery>>,
    fail_next: Mutex<u32>,
}

/// The receiver's routes, with their own state.
pub fn router<S: Clone + Send + Sync + 'static>(secret: Option<String>) -> Router<S> {
    let receiver = Arc::new(Receiver {
        secret,
        received: Mutex::new(Vec::new()),
        fail_next: Mutex::new(0),
    });
    Router::new()
        .route("/sandbox/webhooks", get(list).post(receive))
        .route("/sandbox/webhooks/fail-next/{n}", post(fail_next))
        .with_state(receiver)
}

/// Whether `signature` (`v1=<hex>`) is the HMAC of `{id}.{timestamp}.{body}` under `secret`.
fn verify(secret: &str, id: &str, timestamp: &str, body: &[u8], signature: &str) -> bool {
    let Some(given) = signature
        .strip_prefix("v1=")
        .and_then(|h| hex::decode(h).ok())
    else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return false;
    };
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    let expected = mac.finalize().into_bytes();
    expected.as_slice().ct_eq(&given).into()
}

async fn receive(State(r): State<Arc<Receiver>>, headers: HeaderMap, body: Bytes) -> Response {
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    let (id, timestamp, signature) = (
        text("cutover-webhook-id"),
        text("cutover-webhook-timestamp"),
        text("cutover-webhook-signature"),
    );
    let fresh = timestamp
        .parse::<i64>()
        .is_ok_and(|t| t.abs_diff(now_unix()) <= TOLERANCE_SECS);
    let valid = fresh
        && r.secret
            .as_deref()
            .is_some_and(|s| verify(s, &id, &timestamp, &body, &signature));
    let status = {
        let mut fail = r.fail_next.lock().unwrap_or_else(|p| p.into_inner());
        if *fail > 0 {
            *fail -= 1;
            StatusCode::SERVICE_UNAVAILABLE
        } else if valid {
            StatusCode::NO_CONTENT
        } else {
            StatusCode::UNAUTHORIZED
        }
    };
    r.received
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(Delivery {
            id,
            timestamp,
            signature_valid: valid,
            status: status.as_u16(),
            body: serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null),
        });
    status.into_response()
}

async fn list(State(r): State<Arc<Receiver>>) -> Response {
    let received = r.received.lock().unwrap_or_else(|p| p.into_inner()).clone();
    axum::Json(serde_json::json!({ "received": received })).into_response()
}

async fn fail_next(State(r): State<Arc<Receiver>>, Path(n): Path<u32>) -> StatusCode {
    *r.fail_next.lock().unwrap_or_else(|p| p.into_inner()) = n;
    StatusCode::NO_CONTENT
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_checked_over_id_timestamp_and_body() {
        // python3 -c 'import hmac,hashlib;print(hmac.new(b"key",b"id.1.{}",hashlib.sha256).hexdigest())'
        let good = "v1=e4f5663f601f246c27a7d7e557e7e5af37ee90d580f73c9476abc8f8841a955b";
        assert!(verify("key", "id", "1", b"{}", good));
        assert!(!verify("key", "id", "2", b"{}", good));
        assert!(!verify("key", "id", "1", b"{ }", good));
        assert!(!verify("other", "id", "1", b"{}", good));
        assert!(!verify("key", "id", "1", b"{}", "e4f5663f"));
    }
}
