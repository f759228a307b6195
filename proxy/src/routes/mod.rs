//! The proxy's HTTP surface, wired together.
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use cutover_plan::wire::ApiError;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

use crate::AppState;

pub mod pc;
pub mod static_files;

/// Largest request body the proxy accepts (orders and records are small).
const BODY_LIMIT: usize = 256 * 1024;

/// The whole application: `/api/*` plus the built app with client-side routes.
pub fn router(state: Arc<AppState>) -> Router {
    let api = Router::new()
        .route("/pc/{*path}", axum::routing::any(pc::forward))
        .fallback(api_not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state.clone());
    Router::new()
        .nest("/api", api)
        .fallback_service(static_files::service(&state.dist_dir))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::GATEWAY_TIMEOUT,
            Duration::from_secs(120),
        ))
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("x-content-type-options"),
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("x-frame-options"),
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("referrer-policy"),
            HeaderValue::from_static("same-origin"),
        ))
}

async fn api_not_found() -> Response {
    error_response(
        StatusCode::NOT_FOUND,
        ApiError::new("not_found", "There is no such Cutover API.", false),
    )
}

/// The single conversion from an error to an HTTP response for the app.
pub fn error_response(status: StatusCode, error: ApiError) -> Response {
    (status, [("cache-control", "no-store")], axum::Json(error)).into_response()
}
