//! The router: Partner Center routes behind auth and faults, the token endpoint, sandbox controls.
use std::sync::Arc;

use axum::Router;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};

use crate::state::{AppState, Shared};
use crate::{SandboxConfig, auth, faults};

pub mod customers;
pub mod graph;
pub mod moves;
pub mod oidc;
pub mod orders;
pub mod prospects;
pub mod subscriptions;
pub mod token;
pub mod webhooks;

pub fn router(config: SandboxConfig) -> Router {
    let state: AppState = Arc::new(Shared::new(config));
    let partner_center = Router::new()
        .route("/v1/customers", get(customers::list))
        .route(
            "/v1/customers/relationshiprequests",
            get(customers::relationship_request),
        )
        .route("/v1/customers/{id}", get(customers::get))
        .route("/v1/customers/{id}/subscriptions", get(subscriptions::list))
        .route(
            "/v1/customers/{id}/subscriptions/customTermEndDates",
            get(moves::custom_term_end_dates),
        )
        .route(
            "/v1/customers/{id}/transfers",
            get(moves::list_transfers).post(moves::create_transfer),
        )
        .route(
            "/v1/customers/{id}/transfers/{tid}",
            get(moves::get_transfer),
        )
        .route(
            "/v1/customers/{id}/agreements",
            get(moves::list_agreements).post(moves::create_agreement),
        )
        .route(
            "/v1/customers/{id}/subscriptions/{sid}",
            get(subscriptions::get).patch(subscriptions::patch),
        )
        .route(
            "/v1/customers/{id}/subscribedskus",
            get(subscriptions::subscribed_skus),
        )
        .route("/v1/customers/{id}/orders", post(orders::create))
        .route("/v1/customers/{id}/orders/{oid}", get(orders::get))
        .route(
            "/v1/customers/{id}/orders/{oid}/provisioningstatus",
            get(orders::provisioning_status),
        )
        .layer(from_fn_with_state(state.clone(), faults::inject))
        .layer(from_fn_with_state(state.clone(), auth::require_token))
        .layer(from_fn_with_state(state.clone(), faults::before_auth))
        .layer(axum::middleware::from_fn(faults::echo_request_ids));
    let relationships = "/v1.0/tenantRelationships/delegatedAdminRelationships";
    let graph_api = Router::new()
        .route(
            relationships,
            get(graph::list_relationships).post(graph::create_relationship),
        )
        .route(
            &format!("{relationships}/{{id}}"),
            get(graph::get_relationship),
        )
        .route(
            &format!("{relationships}/{{id}}/requests"),
            post(graph::relationship_request),
        )
        .route(
            "/v1.0/directory/subscriptions",
            get(graph::directory_subscriptions),
        )
        .route("/v1.0/subscribedSkus", get(graph::subscribed_skus))
        .layer(from_fn_with_state(state.clone(), faults::graph_inject))
        .layer(from_fn_with_state(state.clone(), auth::require_graph_token))
        .layer(from_fn_with_state(state.clone(), faults::graph_before_auth))
        .layer(axum::middleware::from_fn(faults::echo_client_request_id));
    Router::new()
        .merge(partner_center)
        .merge(graph_api)
        .merge(webhooks::router(
            state.config.webhook_secret.as_ref().map(|s| s.0.clone()),
        ))
        .route("/sandbox/gdap", get(graph::list_all))
        .route("/sandbox/gdap/{id}/{action}", post(graph::control))
        .route(
            "/sandbox/transfers/{id}/{action}",
            post(moves::control_transfer),
        )
        .route("/{tenant}/oauth2/token", post(token::v1))
        .route("/{tenant}/oauth2/v2.0/token", post(token::v2))
        .route("/sandbox/prospects", get(prospects::list))
        .route("/sandbox/prospects.csv", get(prospects::csv))
        .route("/sandbox/originals.csv", get(prospects::originals_csv))
        .route("/sandbox/records.json", get(prospects::records))
        .route("/sandbox/stats", get(prospects::stats))
        .route(
            "/sandbox/prospects/{domain}/accept",
            post(prospects::accept),
        )
        .fallback(not_found)
        .with_state(state)
        .merge(oidc::router())
}

/// Unknown paths get Partner Center's (or under `/v1.0/` Graph's) error body, not an empty 404.
async fn not_found(uri: axum::http::Uri) -> axum::response::Response {
    if uri.path().starts_with("/v1.0/") {
        return crate::errors::graph_error(
            axum::http::StatusCode::BAD_REQUEST,
            "BadRequest",
            &format!("Resource not found for the segment '{}'.", uri.path()),
        );
    }
    crate::errors::pc_error(
        axum::http::StatusCode::NOT_FOUND,
        "404",
        "The requested resource was not found.",
    )
}
