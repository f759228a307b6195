//! `/api/pc/*`: allow-listed Partner Center calls, forwarded with the proxy's credentials.
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use cutover_plan::wire::{ApiError, CONTINUATION_HEADER};

use super::error_response;
use crate::{AppState, allow_list, ids};

/// Forwards one call if the allow-list permits it; otherwise 403 with a sentence.
pub async fn forward(
    State(state): State<Arc<AppState>>,
    method: Method,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(b) => b,
        Err(rejection) => return super::body_rejected(rejection),
    };
    let path = uri.path().strip_prefix("/api/pc/").unwrap_or("");
    let call = match allow_list::check(&method, path, uri.query()) {
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
    let continuation = headers
        .get(CONTINUATION_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| v.len() <= 4096);
    // One correlation id per user action: the app sends it; anything else gets a fresh one.
    let correlation = headers
        .get("MS-CorrelationId")
        .and_then(|v| v.to_str().ok())
        .filter(|v| ids::is_guid(v))
        .map(str::to_string)
        .unwrap_or_else(ids::guid);
    // An order the app may send twice (double click, retry after a timeout) carries the app's
    // MS-RequestId, so Partner Center answers the repeat with the first order.
    let request_id = match headers.get("MS-RequestId").map(|v| v.to_str()) {
        None => ids::guid(),
        Some(Ok(v)) if ids::is_guid(v.trim()) => v.trim().to_ascii_lowercase(),
        Some(_) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                ApiError::new(
                    "bad_request",
                    "The MS-RequestId header must be a GUID such as 3f1c1c8e-6a43-4c38-9d8e-2f6f5e0b7a11; send the same one again to retry this order.",
                    false,
                ),
            );
        }
    };
    match state
        .pc
        .send_with_request_id(
            &method,
            &call,
            body,
            continuation,
            &correlation,
            &request_id,
        )
        .await
    {
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
                h.insert("ms-requestid", v);
            }
            if let Some(c) = r.continuation.and_then(|c| c.parse().ok()) {
                h.insert(CONTINUATION_HEADER, c);
            }
            resp
        }
        Err(f) => {
            let mut resp = error_response(f.status, f.error);
            if let Some(secs) = f.retry_after {
                resp.headers_mut().insert("retry-after", secs.into());
            }
            if let Ok(v) = request_id.parse() {
                resp.headers_mut().insert("ms-requestid", v);
            }
            resp
        }
    }
}
