//! Team use: signing in and out, people and roles, history, activity and order approvals.
use cutover_plan::history::HistoryKind;
use cutover_plan::orders::OrderLine;
use cutover_plan::roles::Role;
use cutover_plan::wire::{
    ApiError, ApprovalList, ApprovalRequest, HistoryList, OrderApproval, PeopleList, PersonInfo,
    SessionRequest, SessionStatus, SetRole,
};
use gloo_net::http::Request;

use super::{json_of, send, send_json};

fn encode(part: &str) -> String {
    String::from(js_sys::encode_uri_component(part))
}

/// Where to go to sign in with the identity provider, coming back to `return_to` (a path).
#[must_use]
pub fn sign_in_url(base: &str, return_to: &str) -> String {
    format!("{base}?returnTo={}", encode(return_to))
}

/// Logs in with the shared access key; `label` names this browser's changes.
pub async fn log_in_with_key(access_key: &str, label: &str) -> Result<SessionStatus, ApiError> {
    let body = SessionRequest {
        access_key: access_key.to_owned(),
        label: Some(label.to_owned()).filter(|l| !l.trim().is_empty()),
    };
    json_of(
        send_json(Request::post("/api/session"), &body, &[]).await?,
        "the session",
    )
    .await
}

/// Signs out (the session ends on the server too).
pub async fn sign_out() -> Result<(), ApiError> {
    send(Request::delete("/api/session"), None, &[])
        .await
        .map(|_| ())
}

/// Everyone who signed in, with their roles.
pub async fn people() -> Result<Vec<PersonInfo>, ApiError> {
    Ok(json_of::<PeopleList>(
        send(Request::get("/api/people"), None, &[]).await?,
        "the list of people",
    )
    .await?
    .people)
}

/// Gives `subject` a role, or takes the given one away (`None`).
pub async fn set_role(subject: &str, role: Option<Role>) -> Result<PersonInfo, ApiError> {
    let req = Request::put(&format!("/api/people/{}", encode(subject)));
    json_of(send_json(req, &SetRole { role }, &[]).await?, "the person").await
}

/// One customer's history, newest first.
pub async fn history(key: &str) -> Result<HistoryList, ApiError> {
    let url = format!("/api/store/records/{}/history", encode(key));
    json_of(send(Request::get(&url), None, &[]).await?, "the history").await
}

/// What the activity page asks for: a period (RFC 3339 instants) and filters.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ActivityQuery {
    /// From this instant (inclusive).
    pub from: Option<String>,
    /// Up to this instant (exclusive).
    pub to: Option<String>,
    /// Part of a person's sign-in name.
    pub person: String,
    /// Part of a customer's name or key.
    pub customer: String,
    /// One kind of change.
    pub kind: Option<HistoryKind>,
}

/// Activity across the portfolio, newest first.
pub async fn activity(q: &ActivityQuery) -> Result<HistoryList, ApiError> {
    let filters = [
        ("from", q.from.as_deref().unwrap_or("")),
        ("to", q.to.as_deref().unwrap_or("")),
        ("person", q.person.as_str()),
        ("customer", q.customer.as_str()),
        ("kind", q.kind.map_or("", HistoryKind::code)),
    ];
    // Only the filters set; gloo-net's `query` encodes them (see `pc_get_query` in api/mod.rs).
    let set = filters
        .into_iter()
        .map(|(k, v)| (k, v.trim()))
        .filter(|(_, v)| !v.is_empty());
    json_of(
        send(Request::get("/api/activity").query(set), None, &[]).await?,
        "the activity",
    )
    .await
}

/// Large orders and their approvals, newest first.
pub async fn approvals() -> Result<Vec<OrderApproval>, ApiError> {
    Ok(json_of::<ApprovalList>(
        send(Request::get("/api/approvals"), None, &[]).await?,
        "the approvals",
    )
    .await?
    .approvals)
}

/// Puts an order up for a second person's approval (asking again for the same order is harmless).
pub async fn request_approval(
    request_id: &str,
    customer_id: &str,
    lines: &[OrderLine],
) -> Result<OrderApproval, ApiError> {
    let body = ApprovalRequest {
        request_id: request_id.to_owned(),
        customer_id: customer_id.to_owned(),
        customer_name: String::new(),
        lines: lines.to_vec(),
    };
    json_of(
        send_json(Request::post("/api/approvals"), &body, &[]).await?,
        "the approval",
    )
    .await
}

/// Approves someone else's order.
pub async fn approve(request_id: &str) -> Result<OrderApproval, ApiError> {
    let url = format!("/api/approvals/{}/approve", encode(request_id));
    json_of(send(Request::post(&url), None, &[]).await?, "the approval").await
}
