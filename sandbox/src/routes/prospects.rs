//! Sandbox controls, not Partner Center surface: list prospects, download their original
//! subscriptions as the planner's CSV, and make a prospect accept the reseller invitation.
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::catalog::OFFERS;
use crate::csv;
use crate::data::Tenant;
use crate::errors::json_response;
use crate::state::AppState;

fn prospect_json(t: &Tenant) -> Value {
    let originals: Vec<Value> = t
        .originals
        .iter()
        .map(|o| {
            json!({
                "offer": OFFERS[o.offer].name,
                "seats": o.seats,
                "endDate": o.end.to_string(),
                "channel": o.channel,
                "autoRenew": o.auto_renew,
                "monthlyPrice": o.monthly_price,
                "currency": o.monthly_price.as_ref().map(|_| t.country.currency),
                "targetOffer": o.target_offer.map(|x| OFFERS[x].name),
            })
        })
        .collect();
    json!({
        "customerId": t.id,
        "domain": t.domain,
        "companyName": t.name,
        "relationship": csv::relationship(t),
        "originalSubscriptions": originals,
    })
}

/// `GET /sandbox/prospects`: every seeded prospect, accepted or not.
pub async fn list(State(state): State<AppState>) -> Response {
    let world = state.read();
    let items: Vec<Value> = world.prospects().map(prospect_json).collect();
    json_response(
        StatusCode::OK,
        &json!({"totalCount": items.len(), "items": items}),
    )
}

fn csv_response(body: String, filename: &str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

/// `GET /sandbox/prospects.csv`: the prospects' original subscriptions, ready to import.
pub async fn csv(State(state): State<AppState>) -> Response {
    let world = state.read();
    csv_response(csv::originals(world.prospects()), "prospects.csv")
}

/// `GET /sandbox/originals.csv`: original subscriptions of every tenant, customers included.
pub async fn originals_csv(State(state): State<AppState>) -> Response {
    let world = state.read();
    csv_response(csv::originals(world.tenants.iter()), "originals.csv")
}

/// `POST /sandbox/prospects/{domain}/accept`: the prospect accepts the reseller relationship and
/// from now on appears in `GET /v1/customers`. Accepting twice is harmless.
pub async fn accept(State(state): State<AppState>, Path(domain): Path<String>) -> Response {
    let mut world = state.write();
    match world.accept(&domain) {
        Some(t) => json_response(StatusCode::OK, &prospect_json(t)),
        None => json_response(
            StatusCode::NOT_FOUND,
            &json!({"error": format!("No prospect has the domain {domain}.")}),
        ),
    }
}

/// `GET /sandbox/records.json`: the migration records a partner would have after using Cutover
/// for a while (a JSON array of `MigrationRecord`), for loading into an empty store.
pub async fn records(State(state): State<AppState>) -> Response {
    let world = state.read();
    let records = crate::first_run::records(&world, state.config.seed);
    match serde_json::to_value(&records) {
        Ok(v) => json_response(StatusCode::OK, &v),
        Err(e) => json_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            &json!({"error": format!("The records could not be written ({e}).")}),
        ),
    }
}

/// `GET /sandbox/stats`: requests the sandbox has answered so far (Partner Center, Graph, tokens),
/// so a benchmark can count the calls a client really made, retries included.
pub async fn stats(State(state): State<AppState>) -> Response {
    use std::sync::atomic::Ordering::Relaxed;
    json_response(
        StatusCode::OK,
        &json!({
            "partnerCenterRequests": state.pc_requests.load(Relaxed),
            "graphRequests": state.graph_requests.load(Relaxed),
            "tokenRequests": state.token_requests.load(Relaxed),
        }),
    )
}
