//! Other ways onto CSP and what to settle before buying: partner-to-partner transfers, Microsoft
//! Customer Agreement acceptance, and co-terming end dates (`customTermEndDates`).
use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::data::Subscription;
use crate::dates::Date;
use crate::errors::{PcError, json_response, pc_error};
use crate::prng::{Rng, derive};
use crate::resources::collection;
use crate::routes::customers::no_customer;
use crate::routes::subscriptions::CHANGE_WINDOW_SECS;
use crate::state::AppState;
use crate::transfers::{Stage, Transfer};

const TAG_TRANSFER: u64 = 0x7472_616e;
const TAG_AGREEMENT: u64 = 0x0061_6772_6565;
/// The agreement type Cutover records.
const MCA: &str = "MicrosoftCustomerAgreement";
/// The MCA template id Partner Center documents for the current agreement.
const MCA_TEMPLATE_ID: &str = "117a1b21-c9d4-4cc2-83c1-a96e64ba6b1f";

fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .and_then(|(_, v)| v.as_str())
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn no_transfer(tid: &str) -> Response {
    pc_error(
        StatusCode::NOT_FOUND,
        "404",
        &format!("The transfer {tid} was not found for this customer."),
    )
}

/// `POST /v1/customers/{id}/transfers`: the new partner asks the old one to transfer the
/// customer's new-commerce subscriptions.
pub async fn create_transfer(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return pc_error(
            StatusCode::BAD_REQUEST,
            "400",
            "The request body is not valid JSON.",
        );
    };
    let Some(source) = text(&body, "sourcePartnerTenantId") else {
        return PcError::bad_request(
            "400",
            "sourcePartnerTenantId (the current partner's tenant id) is required.",
        )
        .into_response();
    };
    let types: Vec<String> = body
        .get("targetProductTypes")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .filter(|v: &Vec<String>| !v.is_empty())
        .unwrap_or_else(|| vec!["OnlineServicesNCE".into()]);
    if let Some(bad) = types
        .iter()
        .find(|t| !["OnlineServicesNCE", "Azure"].contains(&t.as_str()))
    {
        return PcError::bad_request(
            "400",
            format!(
                "targetProductTypes {bad} cannot be transferred; use OnlineServicesNCE or Azure."
            ),
        )
        .into_response();
    }
    let serial = state.next_serial();
    let mut world = state.write();
    let now = state.now(world.today);
    let partner = world.partner_tenant_id.clone();
    if source.eq_ignore_ascii_case(&partner) {
        return PcError::bad_request(
            "400",
            "The source partner must be another partner, not this one.",
        )
        .into_response();
    }
    let Some(tenant) = world.customer(&id) else {
        return no_customer(&id);
    };
    let key = tenant.id.to_ascii_lowercase();
    let transfer = Transfer {
        id: Rng::new(derive(state.config.seed, TAG_TRANSFER, serial)).guid(),
        customer_id: tenant.id.clone(),
        customer_name: tenant.name.clone(),
        source_partner_tenant_id: source.to_ascii_lowercase(),
        source_partner_name: text(&body, "sourcePartnerName").map(str::to_string),
        customer_email_id: text(&body, "customerEmailId").map(str::to_string),
        target_partner_tenant_id: partner,
        target_product_types: types,
        created: now,
        stage: Stage::Active,
    };
    let value = transfer.to_json(now);
    world.transfers.entry(key).or_default().push(transfer);
    json_response(StatusCode::CREATED, &value)
}

/// `GET /v1/customers/{id}/transfers`.
pub async fn list_transfers(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let world = state.read();
    let now = state.now(world.today);
    let Some(tenant) = world.customer(&id) else {
        return no_customer(&id);
    };
    let items: Vec<Value> = world
        .transfers
        .get(&tenant.id.to_ascii_lowercase())
        .map(|v| v.iter().map(|t| t.to_json(now)).collect())
        .unwrap_or_default();
    json_response(
        StatusCode::OK,
        &collection(items, &format!("/v1/customers/{}/transfers", tenant.id)),
    )
}

/// `GET /v1/customers/{id}/transfers/{transferId}`.
pub async fn get_transfer(
    State(state): State<AppState>,
    Path((id, tid)): Path<(String, String)>,
) -> Response {
    let world = state.read();
    let now = state.now(world.today);
    if world.customer(&id).is_none() {
        return no_customer(&id);
    }
    world
        .transfers
        .get(&id.to_ascii_lowercase())
        .and_then(|v| v.iter().find(|t| t.id.eq_ignore_ascii_case(&tid)))
        .map_or_else(
            || no_transfer(&tid),
            |t| json_response(StatusCode::OK, &t.to_json(now)),
        )
}

/// `POST /sandbox/transfers/{id}/{complete|expire}`: the old partner completes the transfer (the
/// customer's subscriptions bought through another partner become this partner's CSP
/// subscriptions, same offer, seats and end date), or the request runs out now.
pub async fn control_transfer(
    State(state): State<AppState>,
    Path((tid, action)): Path<(String, String)>,
) -> Response {
    let mut world = state.write();
    let now = state.now(world.today);
    let today = world.today;
    let found = world.transfers.iter_mut().find_map(|(cid, v)| {
        v.iter_mut()
            .find(|t| t.id.eq_ignore_ascii_case(&tid))
            .map(|t| (cid.clone(), t))
    });
    let Some((cid, transfer)) = found else {
        return json_response(
            StatusCode::NOT_FOUND,
            &json!({"error": format!("No transfer has the id {tid}.")}),
        );
    };
    let status = transfer.status_at(now);
    if status != "Active" {
        return json_response(
            StatusCode::CONFLICT,
            &json!({"error": format!("The transfer is already {status}.")}),
        );
    }
    match action.as_str() {
        "expire" => {
            transfer.stage = Stage::Expired { at: now };
            let value = transfer.to_json(now);
            json_response(StatusCode::OK, &value)
        }
        "complete" => {
            transfer.stage = Stage::Completed { at: now };
            let mut value = transfer.to_json(now);
            let seed = state.config.seed;
            let Some(tenant) = world.customer_mut(&cid) else {
                return no_customer(&cid);
            };
            let mut rng = Rng::new(derive(seed, TAG_TRANSFER ^ 1, now as u64));
            let order_id = crate::seed::order_id(&mut rng);
            let mut lines = Vec::new();
            let (moved, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut tenant.originals)
                .into_iter()
                .partition(|o| o.channel == "partner" && o.end >= today);
            tenant.originals = kept;
            for (n, o) in moved.into_iter().enumerate() {
                let s = Subscription {
                    id: rng.guid(),
                    order_id: order_id.clone(),
                    offer: o.offer,
                    friendly_name: crate::catalog::OFFERS[o.offer].name.to_string(),
                    quantity: o.seats,
                    created: now,
                    start: o.end.add_months(-12).add_days(1),
                    end: o.end,
                    term: "P1Y",
                    billing_cycle: "monthly",
                    status: "active",
                    auto_renew: o.auto_renew,
                    version: 1,
                    refundable: vec![(o.seats, now + CHANGE_WINDOW_SECS)],
                };
                lines.push(json!({
                    "lineItemNumber": n,
                    "subscriptionId": s.id,
                    "offerId": crate::catalog::OFFERS[o.offer].offer_id,
                    "quantity": s.quantity,
                    "status": "Complete",
                }));
                tenant.subscriptions.push(s);
            }
            value["lineItems"] = json!(lines);
            json_response(StatusCode::OK, &value)
        }
        other => json_response(
            StatusCode::NOT_FOUND,
            &json!({"error": format!("Unknown action {other}; use complete or expire.")}),
        ),
    }
}

/// `GET /v1/customers/{id}/agreements[?agreementType=MicrosoftCustomerAgreement]`.
pub async fn list_agreements(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let world = state.read();
    let Some(tenant) = world.customer(&id) else {
        return no_customer(&id);
    };
    let wanted = query.get("agreementType").map(String::as_str);
    if let Some(t) = wanted.filter(|t| *t != MCA && *t != "All") {
        return PcError::bad_request("400", format!("agreementType {t} is not known; use {MCA}."))
            .into_response();
    }
    let mut items = world
        .agreements
        .get(&tenant.id.to_ascii_lowercase())
        .cloned()
        .unwrap_or_default();
    // Unless the sandbox is told to require a recorded acceptance, a reseller customer accepted
    // the agreement with the relationship, as most real ones did.
    if items.is_empty()
        && !state.config.require_mca
        && matches!(tenant.relationship, crate::data::Relationship::Reseller)
    {
        items.push(serde_json::json!({
            "primaryContact": {"firstName": "Admin", "lastName": "Contact", "email": format!("admin@{}", tenant.domain)},
            "templateId": "117a77b0-9360-443b-8795-c6dedc750cf9",
            "dateAgreed": "2026-01-05T00:00:00Z",
            "type": MCA,
            "agreementLink": "https://aka.ms/customeragreement",
        }));
    }
    json_response(
        StatusCode::OK,
        &collection(items, &format!("/v1/customers/{}/agreements", tenant.id)),
    )
}

/// `POST /v1/customers/{id}/agreements`: records that the customer accepted the Microsoft
/// Customer Agreement (primary contact and date). App+User only on the real service.
pub async fn create_agreement(
    State(state): State<AppState>,
    Path(id): Path<String>,
    kind: Option<axum::Extension<crate::state::TokenKind>>,
    body: Bytes,
) -> Response {
    if let Err(e) = crate::auth::require_app_user(kind.map(|k| k.0)) {
        return e.into_response();
    }
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return pc_error(
            StatusCode::BAD_REQUEST,
            "400",
            "The request body is not valid JSON.",
        );
    };
    let contact = body
        .as_object()
        .and_then(|o| {
            o.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("primaryContact"))
        })
        .map(|(_, v)| v.clone())
        .unwrap_or(Value::Null);
    let missing: Vec<&str> = ["firstName", "lastName", "email"]
        .into_iter()
        .filter(|k| text(&contact, k).is_none())
        .collect();
    if !missing.is_empty() {
        return PcError::bad_request(
            "400",
            format!("primaryContact needs {}.", missing.join(", ")),
        )
        .into_response();
    }
    let Some(date) = text(&body, "dateAgreed").and_then(|d| Date::parse(d.get(..10)?)) else {
        return PcError::bad_request(
            "400",
            "dateAgreed must be the date the customer accepted, such as 2026-11-24T00:00:00Z.",
        )
        .into_response();
    };
    if let Some(t) = text(&body, "type").filter(|t| *t != MCA) {
        return PcError::bad_request("400", format!("type {t} is not known; use {MCA}."))
            .into_response();
    }
    let serial = state.next_serial();
    let mut world = state.write();
    if date > world.today {
        return PcError::bad_request("400", "dateAgreed cannot be in the future.").into_response();
    }
    let Some(tenant) = world.customer(&id) else {
        return no_customer(&id);
    };
    let key = tenant.id.to_ascii_lowercase();
    let agreement = json!({
        "primaryContact": contact,
        "templateId": text(&body, "templateId").unwrap_or(MCA_TEMPLATE_ID),
        "dateAgreed": format!("{date}T00:00:00Z"),
        "type": MCA,
        "agreementLink": "https://aka.ms/microsoftcustomeragreement",
        "userId": text(&body, "userId").map(str::to_string).unwrap_or_else(|| Rng::new(derive(state.config.seed, TAG_AGREEMENT, serial)).guid()),
        "attributes": {"objectType": "Agreement"},
    });
    world
        .agreements
        .entry(key)
        .or_default()
        .push(agreement.clone());
    json_response(StatusCode::CREATED, &agreement)
}

/// `GET /v1/customers/{id}/subscriptions/customTermEndDates?term_duration=P1M|P1Y|P3Y`: the end
/// dates a new subscription bought today may take: every calendar-month end within its first
/// term, and the end date of each active CSP subscription that falls within it.
pub async fn custom_term_end_dates(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let months = match query
        .get("term_duration")
        .map(|t| t.trim().to_ascii_uppercase())
        .as_deref()
    {
        Some("P1M") => 1,
        Some("P1Y") => 12,
        Some("P3Y") => 36,
        other => {
            return PcError::bad_request(
                "400",
                format!(
                    "term_duration {} is not valid; use P1M, P1Y or P3Y.",
                    other.unwrap_or("(missing)")
                ),
            )
            .into_response();
        }
    };
    let world = state.read();
    let today = world.today;
    let Some(tenant) = world.customer(&id) else {
        return no_customer(&id);
    };
    let term_end = today.add_months(months).add_days(-1);
    let mut items = Vec::new();
    let mut month_end = today.add_months(1);
    month_end = Date::from_ymd(month_end.ymd().0, month_end.ymd().1, 1)
        .unwrap_or(month_end)
        .add_days(-1);
    while month_end <= term_end {
        if month_end >= today {
            items.push(json!({
                "allowedCustomTermEndDateType": "calendarMonthAligned",
                "allowedCustomTermEndDate": format!("{month_end}T00:00:00Z"),
                "cotermSubscriptionIds": [],
            }));
        }
        let next = month_end.add_days(1).add_months(1);
        month_end = next.add_days(-1);
    }
    let mut by_end: std::collections::BTreeMap<Date, Vec<String>> = Default::default();
    for s in &tenant.subscriptions {
        if s.status == "active" && s.end >= today && s.end <= term_end {
            by_end.entry(s.end).or_default().push(s.id.clone());
        }
    }
    for (end, ids) in by_end {
        items.push(json!({
            "allowedCustomTermEndDateType": "subscriptionAligned",
            "allowedCustomTermEndDate": format!("{end}T00:00:00Z"),
            "cotermSubscriptionIds": ids,
        }));
    }
    json_response(
        StatusCode::OK,
        &collection(
            items,
            &format!(
                "/v1/customers/{}/subscriptions/customTermEndDates",
                tenant.id
            ),
        ),
    )
}
