//! `POST /v1/customers/{id}/orders` buys CSP subscriptions; `GET …/orders/{oid}` and
//! `GET …/orders/{oid}/provisioningstatus` follow an order from `pending` to `completed`.
//!
//! The subscriptions exist (active) from the moment the order is placed, so a client that only
//! reads subscriptions sees them at once; the order itself and its lines' provisioning status
//! turn `completed` / `fulfilled` after `order_fulfil_secs`.
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::catalog::{OFFERS, offer_by_id};
use crate::data::{PlacedOrder, Subscription};
use crate::dates::timestamp;
use crate::errors::{PcError, json_response, pc_error};
use crate::prng::{Rng, derive};
use crate::resources::link;
use crate::routes::customers::no_customer;
use crate::routes::subscriptions::CHANGE_WINDOW_SECS;
use crate::seed::order_id;
use crate::state::AppState;

/// Most subscriptions one customer may hold.
const MAX_SUBSCRIPTIONS: usize = 250;
const TAG_ORDER: u64 = 0x006f_7264_6572;

struct Line {
    offer: usize,
    quantity: u32,
    friendly_name: Option<String>,
    term: &'static str,
    billing_cycle: &'static str,
}

fn field<'a>(body: &'a Value, key: &str) -> Option<&'a Value> {
    body.as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

fn text<'a>(body: &'a Value, key: &str) -> Option<&'a str> {
    field(body, key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn bad(code: &str, description: String) -> PcError {
    PcError::bad_request(code, description)
}

fn parse_lines(customer_id: &str, body: &Value) -> Result<Vec<Line>, PcError> {
    if !body.is_object() {
        return Err(bad(
            "400",
            "The request body must be an order object.".into(),
        ));
    }
    if let Some(reference) = text(body, "referenceCustomerId")
        && !reference.eq_ignore_ascii_case(customer_id)
    {
        return Err(bad(
            "400",
            format!("referenceCustomerId {reference} does not match the customer in the path."),
        ));
    }
    let order_cycle = text(body, "billingCycle");
    let items = field(body, "lineItems")
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty());
    let Some(items) = items else {
        return Err(bad(
            "400",
            "The order must have at least one line item in lineItems.".into(),
        ));
    };
    let mut lines = Vec::with_capacity(items.len());
    for (n, item) in items.iter().enumerate() {
        let Some(offer_id) = text(item, "offerId") else {
            return Err(bad("400", format!("Line item {n} has no offerId.")));
        };
        let Some(offer) = offer_by_id(offer_id) else {
            return Err(bad(
                "10001",
                format!(
                    "Line item {n}: the catalog item ID {offer_id} is not valid; use a new commerce catalog item ID such as {}.",
                    OFFERS[0].offer_id
                ),
            ));
        };
        let max = OFFERS[offer].max_quantity;
        let quantity = field(item, "quantity")
            .and_then(|q| q.as_u64().or_else(|| q.as_str()?.trim().parse().ok()));
        let quantity = match quantity {
            Some(q) if (1..=u64::from(max)).contains(&q) => q as u32,
            _ => {
                return Err(bad(
                    "2002",
                    format!(
                        "Line item {n}: the quantity must be a whole number between 1 and {max}."
                    ),
                ));
            }
        };
        let term = match text(item, "termDuration")
            .unwrap_or("P1Y")
            .to_ascii_uppercase()
            .as_str()
        {
            "P1M" => "P1M",
            "P1Y" => "P1Y",
            "P3Y" => "P3Y",
            other => {
                return Err(bad(
                    "400",
                    format!(
                        "Line item {n}: termDuration {other} is not offered; use P1M, P1Y or P3Y."
                    ),
                ));
            }
        };
        let cycle = text(item, "billingCycle")
            .or(order_cycle)
            .unwrap_or("monthly")
            .to_ascii_lowercase();
        let billing_cycle = match cycle.as_str() {
            "monthly" => "monthly",
            "annual" if term != "P1M" => "annual",
            "triennial" if term == "P3Y" => "triennial",
            other => {
                return Err(bad(
                    "400",
                    format!(
                        "Line item {n}: billing cycle {other} is not available with term {term}."
                    ),
                ));
            }
        };
        lines.push(Line {
            offer,
            quantity,
            friendly_name: text(item, "friendlyName").map(str::to_string),
            term,
            billing_cycle,
        });
    }
    Ok(lines)
}

/// `POST /v1/customers/{id}/orders`. A repeated `MS-RequestId` returns the first order instead of
/// buying again, so a client may safely retry a timed-out order.
pub async fn create(
    State(state): State<AppState>,
    Path(id): Path<String>,
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
    let request_id = headers
        .get("MS-RequestId")
        .filter(|v| !v.is_empty())
        .and_then(|v| v.to_str().ok())
        .map(|v| format!("{}/{}", id.to_ascii_lowercase(), v.trim()));
    let serial = state.next_serial();
    let seed = state.config.seed;
    let mut world = state.write();
    if let Some(previous) = request_id
        .as_ref()
        .and_then(|r| world.orders_by_request.get(r))
    {
        return json_response(StatusCode::CREATED, previous);
    }
    let today = world.today;
    let now = state.now(today);
    let require_mca = state.config.require_mca;
    let fulfil_now = state.config.order_fulfil_secs == 0;
    let accepted_mca = world.agreements.contains_key(&id.to_ascii_lowercase());
    let Some(tenant) = world.customer_mut(&id) else {
        return no_customer(&id);
    };
    let lines = match parse_lines(&tenant.id, &body) {
        Ok(lines) => lines,
        Err(e) => return e.into_response(),
    };
    if require_mca && !accepted_mca {
        return PcError::new(
            StatusCode::FORBIDDEN,
            "13605",
            "The customer has not accepted the Microsoft Customer Agreement; record the acceptance with POST /v1/customers/{id}/agreements first.",
        )
        .into_response();
    }
    if tenant.subscriptions.len() + lines.len() > MAX_SUBSCRIPTIONS {
        return bad(
            "800066",
            format!("The customer can't have more than {MAX_SUBSCRIPTIONS} subscriptions."),
        )
        .into_response();
    }
    let mut rng = Rng::new(derive(seed, TAG_ORDER, serial));
    let oid = order_id(&mut rng);
    let mut line_items = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        let end = match line.term {
            "P1M" => today.add_months(1),
            "P1Y" => today.add_months(12),
            _ => today.add_months(36),
        }
        .add_days(-1);
        let s = Subscription {
            id: rng.guid(),
            order_id: oid.clone(),
            offer: line.offer,
            friendly_name: line
                .friendly_name
                .clone()
                .unwrap_or_else(|| OFFERS[line.offer].name.to_string()),
            quantity: line.quantity,
            created: now,
            start: today,
            end,
            term: line.term,
            billing_cycle: line.billing_cycle,
            status: "active",
            auto_renew: true,
            version: 1,
            refundable: vec![(line.quantity, now + CHANGE_WINDOW_SECS)],
        };
        line_items.push(json!({
            "lineItemNumber": n,
            "offerId": OFFERS[line.offer].offer_id,
            "subscriptionId": s.id,
            "friendlyName": s.friendly_name,
            "quantity": s.quantity,
            "termDuration": s.term,
            "transactionType": "new",
            "links": {
                "subscription": link(&format!("/v1/customers/{}/subscriptions/{}", tenant.id, s.id)),
            },
        }));
        tenant.subscriptions.push(s);
    }
    let order = json!({
        "id": oid,
        "referenceCustomerId": tenant.id,
        "billingCycle": lines[0].billing_cycle,
        "currencyCode": tenant.country.currency,
        "lineItems": line_items,
        "creationDate": timestamp(now, Some((serial % 10_000_000) as u32)),
        "status": if fulfil_now { "completed" } else { "pending" },
        "links": {
            "self": link(&format!("/v1/customers/{}/orders/{oid}", tenant.id)),
            "provisioningStatus": link(&format!("/v1/customers/{}/orders/{oid}/provisioningstatus", tenant.id)),
        },
        "attributes": {"etag": format!("{:016x}", rng.next_u64()), "objectType": "Order"},
    });
    let key = format!("{}/{oid}", tenant.id.to_ascii_lowercase());
    if let Some(r) = request_id {
        world.orders_by_request.insert(r, order.clone());
    }
    world.orders.insert(
        key,
        PlacedOrder {
            body: order.clone(),
            placed: std::time::Instant::now(),
        },
    );
    json_response(StatusCode::CREATED, &order)
}

/// Whether a placed order has had its fulfilment delay.
fn fulfilled(state: &AppState, order: &PlacedOrder) -> bool {
    order.placed.elapsed().as_secs() >= state.config.order_fulfil_secs
}

fn no_order(oid: &str) -> Response {
    pc_error(
        StatusCode::NOT_FOUND,
        "800002",
        &format!("The order {oid} was not found for this customer."),
    )
}

/// The order that bought a seeded customer's CSP subscriptions (placed before the sandbox
/// started, so long completed), rebuilt from the subscriptions that carry its id.
fn seeded_order(tenant: &crate::data::Tenant, oid: &str) -> Option<PlacedOrder> {
    let subs: Vec<&Subscription> = tenant
        .subscriptions
        .iter()
        .filter(|s| s.order_id.eq_ignore_ascii_case(oid))
        .collect();
    let first = subs.first()?;
    let lines: Vec<Value> = subs
        .iter()
        .enumerate()
        .map(|(n, s)| {
            json!({
                "lineItemNumber": n,
                "offerId": s.offer().offer_id,
                "subscriptionId": s.id,
                "friendlyName": s.friendly_name,
                "quantity": s.quantity,
                "termDuration": s.term,
                "transactionType": "new",
                "links": {"subscription": link(&format!("/v1/customers/{}/subscriptions/{}", tenant.id, s.id))},
            })
        })
        .collect();
    let body = json!({
        "id": first.order_id,
        "referenceCustomerId": tenant.id,
        "billingCycle": first.billing_cycle,
        "currencyCode": tenant.country.currency,
        "lineItems": lines,
        "creationDate": timestamp(first.created, Some(0)),
        "status": "completed",
        "links": {
            "self": link(&format!("/v1/customers/{}/orders/{}", tenant.id, first.order_id)),
            "provisioningStatus": link(&format!("/v1/customers/{}/orders/{}/provisioningstatus", tenant.id, first.order_id)),
        },
        "attributes": {"objectType": "Order"},
    });
    // Placed long ago: `placed` far enough back that any fulfilment delay has passed.
    let placed = std::time::Instant::now()
        .checked_sub(std::time::Duration::from_secs(86_400 * 365))
        .unwrap_or_else(std::time::Instant::now);
    Some(PlacedOrder { body, placed })
}

/// An order placed through the API, or one a seeded subscription came from.
fn find_order(world: &crate::data::World, id: &str, oid: &str) -> Option<PlacedOrder> {
    let key = format!("{}/{}", id.to_ascii_lowercase(), oid.to_ascii_lowercase());
    world
        .orders
        .get(&key)
        .cloned()
        .or_else(|| seeded_order(world.customer(id)?, oid))
}

/// `GET /v1/customers/{id}/orders/{oid}`: the Order resource with its current status.
pub async fn get(
    State(state): State<AppState>,
    Path((id, oid)): Path<(String, String)>,
) -> Response {
    let world = state.read();
    if world.customer(&id).is_none() {
        return no_customer(&id);
    }
    let Some(order) = find_order(&world, &id, &oid) else {
        return no_order(&oid);
    };
    let order = &order;
    let mut body = order.body.clone();
    body["status"] = json!(if fulfilled(&state, order) {
        "completed"
    } else {
        "pending"
    });
    json_response(StatusCode::OK, &body)
}

/// `GET /v1/customers/{id}/orders/{oid}/provisioningstatus`: one item per line item.
pub async fn provisioning_status(
    State(state): State<AppState>,
    Path((id, oid)): Path<(String, String)>,
) -> Response {
    let world = state.read();
    let Some(tenant) = world.customer(&id) else {
        return no_customer(&id);
    };
    let Some(order) = find_order(&world, &id, &oid) else {
        return no_order(&oid);
    };
    let order = &order;
    let status = if fulfilled(&state, order) {
        "fulfilled"
    } else {
        "pending"
    };
    let empty = Vec::new();
    let items: Vec<Value> = order.body["lineItems"]
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .map(|line| {
            json!({
                "lineItemNumber": line["lineItemNumber"],
                "status": status,
                "quantityProvisioningInformation": [{
                    "quantity": line["quantity"],
                    "subscriptionId": line["subscriptionId"],
                    "status": status,
                }],
                "attributes": {"objectType": "OrderLineItemProvisioningStatus"},
            })
        })
        .collect();
    json_response(
        StatusCode::OK,
        &crate::resources::collection(
            items,
            &format!(
                "/v1/customers/{}/orders/{oid}/provisioningstatus",
                tenant.id
            ),
        ),
    )
}
