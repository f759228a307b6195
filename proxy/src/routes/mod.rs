//! The proxy's HTTP surface, wired together.
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Request};
use axum::handler::Handler;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, delete, get, post};
use cutover_plan::record::MigrationRecord;
use cutover_plan::settings::Settings;
use cutover_plan::wire::{ApiError, Conflict, ImportConflicts, Versioned};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

use crate::store::{self, StoreError};
use crate::{AppState, health, metrics, observability};

pub mod approvals;
pub mod auth;
pub mod calendar_links;
pub mod graph;
pub mod history;
pub mod mail;
pub mod pc;
pub mod people;
pub mod public;
pub mod rate_limit;
pub mod records_cache;
pub mod roles;
pub mod security_headers;
pub mod session;
pub mod static_files;
pub mod store_api;

/// Largest request body the proxy accepts by default (orders, settings, share links are small).
const BODY_LIMIT: usize = 256 * 1024;
/// One migration record: the store takes up to 1 MiB of compact JSON; leave room for whitespace.
const RECORD_BODY_LIMIT: usize = 2 * 1024 * 1024;
/// A bulk import of thousands of customers.
const IMPORT_BODY_LIMIT: usize = 32 * 1024 * 1024;

/// The whole application: `/api/*` plus the built app with client-side routes.
pub fn router(state: Arc<AppState>) -> Router {
    let record_limit = || DefaultBodyLimit::max(RECORD_BODY_LIMIT);
    let partner = Router::new()
        .route("/store/records", get(store_api::list_records))
        .route(
            "/store/records/{key}",
            get(store_api::get_record).put(store_api::put_record.layer(record_limit())),
        )
        .route(
            "/store/records/{key}/rekey",
            post(store_api::rekey_record.layer(record_limit())),
        )
        .route("/store/records/{key}/changes", get(store_api::changes))
        .route(
            "/store/records/{key}/links",
            get(store_api::list_links).post(store_api::create_link),
        )
        .route(
            "/store/records/{key}/links/{id}",
            delete(store_api::revoke_link),
        )
        .route(
            "/store/import",
            post(store_api::import.layer(DefaultBodyLimit::max(IMPORT_BODY_LIMIT))),
        )
        .route(
            "/store/settings",
            get(store_api::get_settings).put(store_api::put_settings),
        )
        .route("/store/{*rest}", any(api_not_found))
        .route("/pc/{*path}", any(pc::forward))
        .route("/graph/{*path}", any(graph::forward))
        .merge(team_routes())
        .merge(notification_routes())
        // Innermost first: large orders need an approval; every route needs its role (see
        // routes/roles.rs); the session says who calls and with which role.
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            approvals::guard_orders,
        ))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            roles::enforce,
        ))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            session::require_session,
        ));
    // Customers' e-mail subscriptions, one-click confirm and unsubscribe, subscribed calendars.
    let notify_public = Router::new()
        .route("/public/status/{token}/subscribe", post(mail::subscribe))
        .route_layer(middleware::from_fn_with_state(
            Arc::new(rate_limit::RateLimiter::new(state.notify.subscribe_rate())),
            rate_limit::limit_public,
        ))
        .route(
            "/public/mail/confirm/{token}",
            get(mail::confirm_page).post(mail::confirm),
        )
        .route(
            "/public/mail/unsubscribe/{token}",
            get(mail::unsubscribe_page).post(mail::unsubscribe),
        )
        .route("/public/calendar/{file}", get(calendar_links::feed))
        .route_layer(middleware::from_fn_with_state(
            Arc::new(rate_limit::RateLimiter::new(state.public_rate)),
            rate_limit::limit_public,
        ));
    let api = Router::new()
        .merge(partner)
        .merge(notify_public)
        .route(
            "/session",
            get(session::status)
                .post(session::login)
                .delete(session::logout),
        )
        .merge(
            Router::new()
                .route(
                    auth::LOGIN_PATH.trim_start_matches("/api"),
                    get(auth::login),
                )
                .route(
                    auth::CALLBACK_PATH.trim_start_matches("/api"),
                    get(auth::callback),
                )
                .route_layer(middleware::from_fn_with_state(
                    Arc::new(rate_limit::RateLimiter::new(state.public_rate)),
                    rate_limit::limit_public,
                )),
        )
        .merge(
            Router::new()
                .route("/public/status/{token}", get(public::status))
                .route("/public/status/{token}/feed.atom", get(public::feed))
                .route_layer(middleware::from_fn_with_state(
                    Arc::new(rate_limit::RateLimiter::new(state.public_rate)),
                    rate_limit::limit_public,
                )),
        )
        .fallback(api_not_found)
        .layer(middleware::from_fn(session::same_origin_writes))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state.clone());
    Router::new()
        .nest("/api", api)
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::metrics_text))
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
            header::CONTENT_SECURITY_POLICY,
            security_headers::content_security_policy(&state.dist_dir),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("x-frame-options"),
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("referrer-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        .layer(middleware::from_fn(privacy_headers))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            observability::track_requests,
        ))
        .with_state(state)
}

/// E-mail subscribers of status pages and partner staff's calendar links, behind the session and
/// role layers.
fn notification_routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/store/records/{key}/subscribers", get(mail::list))
        .route(
            "/store/records/{key}/subscribers/{id}",
            delete(mail::remove),
        )
        .route(
            "/store/calendar-links",
            get(calendar_links::list).post(calendar_links::create),
        )
        .route("/store/calendar-links/{id}", delete(calendar_links::revoke))
}

/// Team use, behind the session and role layers: history, activity, people, order approvals.
fn team_routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/store/records/{key}/history", get(history::record))
        .route("/activity", get(history::activity))
        .route("/people", get(people::list))
        .route("/people/{subject}", axum::routing::put(people::set_role))
        .route("/approvals", get(approvals::list).post(approvals::request))
        .route("/approvals/{id}/approve", post(approvals::approve))
}

/// Customer-facing paths carry a secret token in the URL: never cache them, never index them,
/// never send the URL on as a referrer. Outermost, so it overrides every other layer.
async fn privacy_headers(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let private = path.starts_with("/api/public/") || path.starts_with("/status/");
    let mut resp = next.run(req).await;
    if private {
        let h = resp.headers_mut();
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        h.insert(
            "x-robots-tag",
            HeaderValue::from_static("noindex, nofollow"),
        );
        h.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
    }
    resp
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

/// A JSON answer that no cache keeps (store data is private to the partner).
pub fn json_response(status: StatusCode, body: &impl Serialize) -> Response {
    (status, [("cache-control", "no-store")], axum::Json(body)).into_response()
}

/// A request body that could not be read: too large, or cut off.
pub fn body_rejected(rejection: BytesRejection) -> Response {
    let status = rejection.status();
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        error_response(
            status,
            ApiError::new(
                "too_large",
                "The request is larger than Cutover accepts; split it into smaller parts.",
                false,
            ),
        )
    } else {
        error_response(
            StatusCode::BAD_REQUEST,
            ApiError::new(
                "bad_request",
                "The request body could not be read; try again.",
                true,
            ),
        )
    }
}

/// An error response on its way out of a handler (boxed: a `Response` is large to pass around).
pub struct Failure(Box<Response>);

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        *self.0
    }
}

impl From<Response> for Failure {
    fn from(r: Response) -> Failure {
        Failure(Box::new(r))
    }
}

impl Failure {
    /// A failure with the ApiError body.
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Failure {
        Failure::from(error_response(status, ApiError::new(code, message, false)))
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Failure {
        let message = e.to_string();
        let (status, code, retryable) = match e {
            StoreError::InvalidInput(_) | StoreError::InvalidTime { .. } => {
                (StatusCode::BAD_REQUEST, "invalid", false)
            }
            StoreError::TooLarge { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "too_large", false),
            StoreError::NotFound { .. } => (StatusCode::NOT_FOUND, "not_found", false),
            StoreError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden", false),
            StoreError::Conflict { current } => {
                metrics::store_conflict("record");
                return conflict::<MigrationRecord>(message, *current);
            }
            StoreError::SettingsConflict { current } => {
                metrics::store_conflict("settings");
                return conflict::<Settings>(message, *current);
            }
            StoreError::ImportConflict { current, missing } => {
                metrics::store_conflict("import");
                return import_conflict(message, current, missing);
            }
            StoreError::AlreadyExists { .. } => {
                metrics::store_conflict("rekey");
                (StatusCode::CONFLICT, "already_exists", false)
            }
            StoreError::Unreadable { .. } => {
                tracing::error!(error = %message, "a stored document could not be read");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "unreadable_document",
                    false,
                )
            }
            StoreError::Busy => (StatusCode::SERVICE_UNAVAILABLE, "busy", true),
            StoreError::Unavailable { .. } => {
                tracing::error!(error = %message, "the store cannot be reached");
                (StatusCode::SERVICE_UNAVAILABLE, "store_unavailable", true)
            }
            _ => {
                tracing::error!(error = %message, "a store call failed");
                (StatusCode::INTERNAL_SERVER_ERROR, "store_failed", true)
            }
        };
        Failure::from(error_response(
            status,
            ApiError::new(code, message, retryable),
        ))
    }
}

/// 409 with what is stored now, so the app can show it and let the partner re-apply.
fn conflict<T: DeserializeOwned + Serialize>(
    message: String,
    current: store::Versioned,
) -> Failure {
    match typed::<T>(current) {
        Ok(current) => Failure::from(json_response(
            StatusCode::CONFLICT,
            &Conflict {
                code: "conflict".into(),
                message,
                retryable: false,
                current,
            },
        )),
        Err(f) => f,
    }
}

/// 409 to an import: what is stored now for every refused item, and the keys that are gone.
fn import_conflict(
    message: String,
    current: Vec<store::Versioned>,
    missing: Vec<String>,
) -> Failure {
    match current
        .into_iter()
        .map(typed::<MigrationRecord>)
        .collect::<Result<Vec<_>, _>>()
    {
        Ok(current) => Failure::from(json_response(
            StatusCode::CONFLICT,
            &ImportConflicts {
                code: "conflict".into(),
                message,
                retryable: false,
                current,
                missing,
            },
        )),
        Err(f) => f,
    }
}

/// The store's untyped document as the wire type the app reads.
pub fn typed<T: DeserializeOwned>(v: store::Versioned) -> Result<Versioned<T>, Failure> {
    let doc = serde_json::from_value(v.doc).map_err(|e| {
        Failure::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "unreadable_document",
            format!(
                "The stored document \"{}\" could not be read by this Cutover ({e}); restore it from a backup or an export.",
                v.key.chars().take(60).collect::<String>()
            ),
        )
    })?;
    Ok(Versioned {
        key: v.key,
        version: v.version,
        updated_at: v.updated_at,
        doc,
    })
}
