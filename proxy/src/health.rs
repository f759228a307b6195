//! `/healthz` (the process answers), `/readyz` (it can do its work) and `/metrics`.
//!
//! A load balancer checks `/readyz` to send traffic only to instances that reach the store and
//! can sign in to Partner Center; `/healthz` says only that the process is alive.
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::{AppState, metrics};

/// How long a readiness check waits for the store or Partner Center.
const CHECK_TIMEOUT: Duration = Duration::from_secs(5);

/// What `/readyz` found.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Readiness {
    /// `ok`, or a sentence saying what is wrong.
    pub store: String,
    /// `ok`, or a sentence saying what is wrong.
    pub partner_center: String,
}

/// `GET /healthz`: 200 while the process runs.
pub async fn healthz() -> Response {
    (
        StatusCode::OK,
        [(header::CACHE_CONTROL, "no-store")],
        axum::Json(serde_json::json!({"status": "ok"})),
    )
        .into_response()
}

/// `GET /readyz`: 200 when the store answers and a Partner Center token can be obtained, else 503
/// naming what failed.
pub async fn readyz(State(state): State<Arc<AppState>>) -> Response {
    let (store, pc) = tokio::join!(
        tokio::time::timeout(CHECK_TIMEOUT, state.store.ping()),
        tokio::time::timeout(CHECK_TIMEOUT, state.pc.check_sign_in()),
    );
    let store = match store {
        Ok(Ok(())) => "ok".to_owned(),
        Ok(Err(e)) => e.to_string(),
        Err(_) => "The store did not answer within 5 seconds.".to_owned(),
    };
    let partner_center = match pc {
        Ok(Ok(())) => "ok".to_owned(),
        Ok(Err(e)) => e,
        Err(_) => "Partner Center sign-in did not answer within 5 seconds.".to_owned(),
    };
    let ready = store == "ok" && partner_center == "ok";
    if !ready {
        tracing::warn!(%store, %partner_center, "not ready");
    }
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        axum::Json(Readiness {
            store,
            partner_center,
        }),
    )
        .into_response()
}

/// `GET /metrics`: Prometheus metrics in the OpenMetrics text format.
pub async fn metrics_text() -> Response {
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, metrics::CONTENT_TYPE),
            (header::CACHE_CONTROL, "no-store"),
        ],
        metrics::render(),
    )
        .into_response()
}
