//! `/api/graph/*`: allow-listed Microsoft Graph calls (GDAP in the partner's tenant, subscriptions
//! and licences in a customer tenant named in the path), forwarded with the proxy's tokens.
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{OriginalUri, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use cutover_plan::wire::ApiError;

use super::error_response;
use crate::{AppState, graph_allow_list};

/// Forwards one call if the allow-list permits it; otherwise 403 with a sentence.
pub async fn forward(
    State(state): State<Arc<AppState>>,
    method: Method,
    OriginalUri(uri): OriginalUri,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(b) => b,
        Err(rejection) => return super::body_rejected(rejection),
    };
    let path = uri.path().strip_prefix("/api/graph/").unwrap_or("");
    let call = match graph_allow_list::check(&method, path, uri.query()) {
        Ok(c) => c,
        Err(why) => {
            return error_response(
                StatusCode::FORBIDDEN,
                ApiError::new("not_allowed", why, false),
            );
        }
    };
    let body = if call.has_body {
        if serde_json::from_slice::<serde::de::IgnoredAny>(&body).is_err() {
            return error_response(
                StatusCode::BAD_REQUEST,
                ApiError::new("bad_request", "The request body must be JSON.", false),
            );
        }
        Some(body)
    } else {
        None
    };
    match state.graph.send(&method, &call, body).await {
        Ok(r) => {
            let mut resp = (r.status, r.body).into_response();
            let h = resp.headers_mut();
            h.insert(
                "content-type",
                "application/json; charset=utf-8"
                    .parse()
                    .expect("static header"),
            );
            h.insert("cache-control", "no-store".parse().expect("static header"));
            if let Ok(v) = r.request_id.parse() {
                h.insert("client-request-id", v);
            }
            resp
        }
        Err(f) => {
            let mut resp = error_response(f.status, f.error);
            if let Some(secs) = f.retry_after {
                resp.headers_mut().insert("retry-after", secs.into());
            }
            resp
        }
    }
}
