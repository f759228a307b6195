//! CSP subscriptions (`…/subscriptions`, `…/subscriptions/{sid}` GET and PATCH) and
//! `…/subscribedskus`.
use std::collections::HashMap;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::auth::require_app_user;
use crate::data::Subscription;
use crate::errors::{PcError, json_response, pc_error};
use crate::routes::customers::{no_customer, with_customer};
use crate::state::{AppState, TokenKind};
use crate::{quirks, resources};

/// Seven days: the NCE window for seat reductions and cancellations.
pub const CHANGE_WINDOW_SECS: i64 = 7 * 86_400;

fn no_subscription(sid: &str) -> Response {
    pc_error(
        StatusCode::NOT_FOUND,
        "20003",
        &format!("The subscription {sid} was not found."),
    )
}

/// `GET /v1/customers/{id}/subscriptions[?order_id=…]`.
pub async fn list(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let world = state.read();
    let now = state.now(world.today);
    let order = query.get("order_id").map(|o| o.trim().to_ascii_lowercase());
    with_customer(&world, &id, |t| {
        let items = t
            .subscriptions
            .iter()
            .filter(|s| order.as_ref().is_none_or(|o| s.order_id == *o))
            .map(|s| {
                quirks::subscription(
                    resources::subscription(&t.id, s, now),
                    state.config.seed,
                    state.config.rate_quirks,
                )
            })
            .collect();
        let self_uri = match &order {
            Some(o) => format!("/v1/customers/{}/subscriptions?order_id={o}", t.id),
            None => format!("/v1/customers/{}/subscriptions", t.id),
        };
        json_response(StatusCode::OK, &resources::collection(items, &self_uri))
    })
}

/// `GET /v1/customers/{id}/subscriptions/{sid}`.
pub async fn get(
    State(state): State<AppState>,
    Path((id, sid)): Path<(String, String)>,
) -> Response {
    let world = state.read();
    let now = state.now(world.today);
    with_customer(&world, &id, |t| {
        match t
            .subscriptions
            .iter()
            .find(|s| s.id.eq_ignore_ascii_case(&sid))
        {
            Some(s) => json_response(StatusCode::OK, &resources::subscription(&t.id, s, now)),
            None => no_subscription(&sid),
        }
    })
}

/// `GET /v1/customers/{id}/subscribedskus` (App+User only): every licence in the tenant.
pub async fn subscribed_skus(
    State(state): State<AppState>,
    Path(id): Path<String>,
    kind: Option<Extension<TokenKind>>,
) -> Response {
    if let Err(e) = require_app_user(kind.map(|k| k.0)) {
        return e.into_response();
    }
    let world = state.read();
    with_customer(&world, &id, |t| {
        let items = resources::subscribed_skus(t, world.today);
        json_response(
            StatusCode::OK,
            &resources::collection(items, &format!("/v1/customers/{}/subscribedskus", t.id)),
        )
    })
}

/// A JSON field by name, ignoring case (clients send camelCase or PascalCase).
fn field<'a>(body: &'a Value, key: &str) -> Option<&'a Value> {
    body.as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

/// `PATCH /v1/customers/{id}/subscriptions/{sid}`: quantity, auto-renew and status.
///
/// As on the real service the body is the full resource: leaving `autoRenewEnabled` out turns
/// auto-renew off.
pub async fn patch(
    State(state): State<AppState>,
    Path((id, sid)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return pc_error(
            StatusCode::BAD_REQUEST,
            "400",
            "The request body is not valid JSON.",
        );
    };
    if !body.is_object() {
        return pc_error(
            StatusCode::BAD_REQUEST,
            "400",
            "The request body must be a subscription object.",
        );
    }
    let quantity = match field(&body, "quantity") {
        None | Some(Value::Null) => None,
        Some(v) => match v
            .as_u64()
            .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
        {
            Some(q) => Some(q),
            None => {
                return pc_error(
                    StatusCode::BAD_REQUEST,
                    "2002",
                    "The quantity must be a whole number.",
                );
            }
        },
    };
    let auto_renew = match field(&body, "autoRenewEnabled") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => true,
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => false,
        Some(_) => {
            return pc_error(
                StatusCode::BAD_REQUEST,
                "400",
                "autoRenewEnabled must be true or false.",
            );
        }
    };
    let status = field(&body, "status")
        .and_then(Value::as_str)
        .map(str::to_ascii_lowercase);
    let if_match = headers
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.trim()
                .trim_start_matches("W/")
                .trim_matches('"')
                .to_string()
        });

    let mut world = state.write();
    let now = state.now(world.today);
    let Some(tenant) = world.customer_mut(&id) else {
        return no_customer(&id);
    };
    let customer_id = tenant.id.clone();
    let Some(s) = tenant
        .subscriptions
        .iter_mut()
        .find(|s| s.id.eq_ignore_ascii_case(&sid))
    else {
        return no_subscription(&sid);
    };
    if if_match
        .as_ref()
        .is_some_and(|tag| *tag != "*" && *tag != s.etag())
    {
        return pc_error(
            StatusCode::PRECONDITION_FAILED,
            "2055",
            "Etag is no longer valid.",
        );
    }
    let mut next = s.clone();
    if let Err(e) = apply(&mut next, quantity, auto_renew, status.as_deref(), now) {
        return e.into_response();
    }
    next.version += 1;
    *s = next;
    json_response(
        StatusCode::OK,
        &resources::subscription(&customer_id, s, now),
    )
}

/// Applies one PATCH to a copy of the subscription; nothing changes when it fails.
fn apply(
    s: &mut Subscription,
    quantity: Option<u64>,
    auto_renew: bool,
    status: Option<&str>,
    now: i64,
) -> Result<(), PcError> {
    let bad = |code: &str, text: &str| Err(PcError::bad_request(code, text));
    if matches!(s.status, "expired" | "deleted" | "disabled") {
        return bad(
            "800091",
            &format!("The subscription is {} and can't be updated.", s.status),
        );
    }
    match status {
        None => {}
        Some(st) if st == s.status => {}
        Some("suspended") if s.status == "active" => s.status = "suspended",
        Some("active") if s.status == "suspended" => s.status = "active",
        Some("deleted") => {
            if now > s.created + CHANGE_WINDOW_SECS {
                return bad(
                    "900117",
                    "The subscription can't be cancelled because its 7-day cancellation window has passed.",
                );
            }
            s.status = "deleted";
            s.auto_renew = false;
            return Ok(());
        }
        Some(other) => {
            return bad(
                "400",
                &format!("The status can't change from {} to {other}.", s.status),
            );
        }
    }
    if s.status == "suspended" {
        if quantity.is_some_and(|q| q != u64::from(s.quantity)) {
            return bad("800091", "A suspended subscription can't be updated.");
        }
        if auto_renew {
            return bad(
                "800093",
                "A suspended subscription is not eligible for auto-renew.",
            );
        }
        s.auto_renew = false;
        return Ok(());
    }
    if let Some(q) = quantity {
        let max = s.offer().max_quantity;
        if q == 0 || q > u64::from(max) {
            return bad(
                "2002",
                &format!("The quantity must be between 1 and {max}."),
            );
        }
        let q = q as u32;
        if q > s.quantity {
            s.refundable
                .push((q - s.quantity, now + CHANGE_WINDOW_SECS));
        } else if q < s.quantity {
            let mut remove = s.quantity - q;
            if remove > s.refundable_quantity(now) {
                return bad("800090", "Subscription quantity cannot be decreased.");
            }
            for (seats, until) in s.refundable.iter_mut().rev() {
                if *until > now && remove > 0 {
                    let take = remove.min(*seats);
                    *seats -= take;
                    remove -= take;
                }
            }
            s.refundable.retain(|(seats, _)| *seats > 0);
        }
        s.quantity = q;
    }
    s.auto_renew = auto_renew;
    Ok(())
}
