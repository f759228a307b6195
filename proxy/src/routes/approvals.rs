//! Large orders need a second person (`CUTOVER_ORDER_APPROVAL_SEATS`): an orderer asks for
//! approval of exactly one order (its `MS-RequestId`, customer and lines), another orderer or an
//! admin approves it, and only then does the proxy forward that order to Partner Center. The
//! approval is kept; the order is sent under its one request id, which Partner Center treats as
//! one order however often it is retried, so it is placed once.
use std::sync::Arc;

use axum::Extension;
use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::{MatchedPath, OriginalUri, Path, Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use cutover_plan::orders::OrderLine;
use cutover_plan::wire::{ApprovalList, ApprovalRequest, OrderApproval};
use serde_json::Value;

use super::session::Actor;
use super::{Failure, body_rejected, json_response};
use crate::store::Approval;
use crate::{AppState, clock};

/// Largest order body the approval check reads (the proxy's own limit for such calls).
const ORDER_BODY_LIMIT: usize = 256 * 1024;

fn wire(a: Approval) -> OrderApproval {
    OrderApproval {
        lines: serde_json::from_value(a.lines).unwrap_or_default(),
        request_id: a.request_id,
        customer_id: a.customer_id,
        customer_name: a.customer_name,
        seats: a.seats,
        requested_by: a.requested_by,
        requested_at: a.requested_at,
        approved_by: a.approved_by,
        approved_at: a.approved_at,
        sent_at: a.sent_at,
    }
}

fn not_configured() -> Failure {
    Failure::new(
        StatusCode::NOT_FOUND,
        "approvals_not_configured",
        "Orders need no approval here (CUTOVER_ORDER_APPROVAL_SEATS is not set).",
    )
}

/// `GET /api/approvals`: the newest 200.
pub async fn list(State(state): State<Arc<AppState>>) -> Result<Response, Failure> {
    let approvals = state
        .store
        .approvals(200)
        .await?
        .into_iter()
        .map(wire)
        .collect();
    Ok(json_response(StatusCode::OK, &ApprovalList { approvals }))
}

/// `POST /api/approvals`: ask for approval of one order.
pub async fn request(
    State(state): State<Arc<AppState>>,
    actor: Option<Extension<Actor>>,
    raw: Result<Bytes, BytesRejection>,
) -> Result<Response, Failure> {
    let threshold = state.team.order_approval_seats.ok_or_else(not_configured)?;
    let raw = raw.map_err(|r| Failure::from(body_rejected(r)))?;
    let req: ApprovalRequest = serde_json::from_slice(&raw).map_err(|e| {
        Failure::new(
            StatusCode::BAD_REQUEST,
            "invalid",
            format!("The approval request could not be read ({e})."),
        )
    })?;
    if req.lines.is_empty() {
        return Err(Failure::new(
            StatusCode::BAD_REQUEST,
            "invalid",
            "The order has no lines; there is nothing to approve.",
        ));
    }
    let seats: u64 = req.lines.iter().map(|l| u64::from(l.quantity)).sum();
    if seats <= u64::from(threshold) {
        return Err(Failure::new(
            StatusCode::BAD_REQUEST,
            "approval_not_needed",
            format!("Orders of up to {threshold} seats need no approval; send it directly."),
        ));
    }
    let lines = serde_json::to_value(&req.lines).unwrap_or(Value::Null);
    let saved = state
        .store
        .request_approval(
            &req.request_id,
            &req.customer_id,
            &req.customer_name,
            &lines,
            seats,
            &Actor::of(actor),
            &clock::now_utc(),
        )
        .await?;
    Ok(json_response(StatusCode::OK, &wire(saved)))
}

/// `POST /api/approvals/{id}/approve`: approve someone else's order.
pub async fn approve(
    State(state): State<Arc<AppState>>,
    actor: Option<Extension<Actor>>,
    Path(id): Path<String>,
) -> Result<Response, Failure> {
    state.team.order_approval_seats.ok_or_else(not_configured)?;
    let saved = state
        .store
        .approve(&id, &Actor::of(actor), &clock::now_utc())
        .await?;
    Ok(json_response(StatusCode::OK, &wire(saved)))
}

/// The customer id when `path` (the original URI's path) is `/api/pc/v1/customers/{id}/orders`,
/// read exactly as the allow-list reads it.
fn order_customer(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("/api/pc/")?;
    let segments: Vec<&str> = rest.trim_matches('/').split('/').collect();
    match segments.as_slice() {
        ["v1", "customers", id, "orders"] if !id.is_empty() => Some(id),
        _ => None,
    }
}

/// `(offerId, quantity)` of each line item of a Partner Center order body, in order.
fn body_lines(body: &Value) -> Option<Vec<(String, u64)>> {
    body.get("lineItems")?
        .as_array()?
        .iter()
        .map(|l| {
            Some((
                l.get("offerId")?.as_str()?.to_owned(),
                l.get("quantity")?.as_u64()?,
            ))
        })
        .collect()
}

fn refuse(message: String) -> Response {
    Failure::new(StatusCode::FORBIDDEN, "approval_required", message).into_response()
}

/// In front of Partner Center orders: an order of more seats than the threshold goes through
/// only with an approval given by a second person for exactly this request id, customer and lines.
pub async fn guard_orders(
    State(state): State<Arc<AppState>>,
    req: Request,
    next: Next,
) -> Response {
    let Some(threshold) = state.team.order_approval_seats else {
        return next.run(req).await;
    };
    let is_pc = req
        .extensions()
        .get::<MatchedPath>()
        .is_some_and(|m| m.as_str() == "/api/pc/{*path}");
    let customer = req
        .extensions()
        .get::<OriginalUri>()
        .and_then(|u| order_customer(u.path()))
        .map(str::to_owned);
    let (Some(customer), true, true) = (customer, is_pc, req.method() == Method::POST) else {
        return next.run(req).await;
    };
    let request_id = req
        .headers()
        .get("ms-requestid")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, ORDER_BODY_LIMIT).await else {
        return Failure::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            "The order is larger than Cutover accepts.",
        )
        .into_response();
    };
    let lines = serde_json::from_slice::<Value>(&bytes)
        .ok()
        .as_ref()
        .and_then(body_lines);
    let Some(lines) = lines else {
        // Seats that cannot be counted cannot be checked: refused rather than sent unchecked.
        return Failure::new(
            StatusCode::BAD_REQUEST,
            "invalid",
            "The order could not be read (each line item needs an offerId and a whole quantity); nothing was sent.",
        )
        .into_response();
    };
    let seats: u64 = lines.iter().map(|(_, q)| q).sum();
    if seats <= u64::from(threshold) {
        return next
            .run(Request::from_parts(parts, Body::from(bytes)))
            .await;
    }
    let found = match &request_id {
        Some(id) => match state.store.approval(id).await {
            Ok(a) => a,
            Err(e) => return Failure::from(e).into_response(),
        },
        None => None,
    };
    let Some(approval) = found else {
        return refuse(format!(
            "This order is for {seats} seats, more than the {threshold} that may be ordered without a second person's approval; ask for approval first."
        ));
    };
    let approved: Vec<(String, u64)> =
        serde_json::from_value::<Vec<OrderLine>>(approval.lines.clone())
            .unwrap_or_default()
            .into_iter()
            .map(|l| (l.offer_id, u64::from(l.quantity)))
            .collect();
    if !approval.customer_id.eq_ignore_ascii_case(&customer) || approved != lines {
        return refuse(
            "This order differs from the one that was approved (customer, offers or seats); ask for approval of this order.".into(),
        );
    }
    let Some(approver) = &approval.approved_by else {
        return refuse(format!(
            "This order of {seats} seats is waiting for a second person's approval (asked by {}).",
            approval.requested_by
        ));
    };
    if let Err(e) = state
        .store
        .mark_approval_sent(&approval.request_id, &clock::now_utc())
        .await
    {
        return Failure::from(e).into_response();
    }
    tracing::info!(seats, approved_by = %approver, "order: sending an approved large order");
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_order_path_is_guarded() {
        assert_eq!(
            order_customer("/api/pc/v1/customers/abc-1/orders"),
            Some("abc-1")
        );
        assert_eq!(
            order_customer("/api/pc//v1/customers/abc-1/orders/"),
            Some("abc-1"),
            "read as the allow-list reads it"
        );
        assert_eq!(
            order_customer("/api/pc/v1/customers/abc-1/orders/o-1"),
            None
        );
        assert_eq!(order_customer("/api/pc/v1/customers/abc-1/transfers"), None);
        assert_eq!(order_customer("/api/pc/v1/customers//orders"), None);
        assert_eq!(order_customer("/api/pc/v1/Customers/abc-1/orders"), None);
    }

    #[test]
    fn line_items_are_read_in_order() {
        let body = serde_json::json!({"lineItems": [
            {"lineItemNumber": 0, "offerId": "A", "quantity": 200},
            {"lineItemNumber": 1, "offerId": "B", "quantity": 60}
        ]});
        assert_eq!(
            body_lines(&body),
            Some(vec![("A".to_owned(), 200), ("B".to_owned(), 60)])
        );
        assert_eq!(
            body_lines(&serde_json::json!({"lineItems": [{"offerId": "A"}]})),
            None
        );
    }
}
