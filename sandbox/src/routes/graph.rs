//! Microsoft Graph: GDAP admin relationships (partner tenant) and a customer tenant's
//! `directory/subscriptions` and `subscribedSkus`, plus the sandbox's GDAP control routes.
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::base64url;
use crate::directory;
use crate::errors::{graph_error, json_response};
use crate::gdap::{self, GLOBAL_ADMINISTRATOR, Relationship, Stage};
use crate::prng::{Rng, derive};
use crate::state::{AppState, GraphCaller, TokenKind};

const METADATA: &str = "https://graph.microsoft.com/v1.0/$metadata#";
const RELATIONSHIPS: &str = "/v1.0/tenantRelationships/delegatedAdminRelationships";
/// Page size when the request gives no `$top`, and the largest allowed.
const DEFAULT_TOP: usize = 100;
const MAX_TOP: usize = 300;
const TAG_NEW_GDAP: u64 = 0x006e_6764_6170;

fn bad_request(message: &str) -> Response {
    graph_error(StatusCode::BAD_REQUEST, "BadRequest", message)
}

fn denied() -> Response {
    graph_error(
        StatusCode::FORBIDDEN,
        "Authorization_RequestDenied",
        "Insufficient privileges to complete the operation.",
    )
}

fn not_found(what: &str) -> Response {
    graph_error(
        StatusCode::NOT_FOUND,
        "Request_ResourceNotFound",
        &format!(
            "Resource '{what}' does not exist or one of its queried reference-property objects are not present."
        ),
    )
}

/// A Graph error not yet turned into a response (keeps `Result`s small).
struct GraphErr {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl GraphErr {
    fn bad_request(message: impl Into<String>) -> Self {
        GraphErr {
            status: StatusCode::BAD_REQUEST,
            code: "BadRequest",
            message: message.into(),
        }
    }

    fn denied() -> Self {
        GraphErr {
            status: StatusCode::FORBIDDEN,
            code: "Authorization_RequestDenied",
            message: "Insufficient privileges to complete the operation.".into(),
        }
    }
}

impl IntoResponse for GraphErr {
    fn into_response(self) -> Response {
        graph_error(self.status, self.code, &self.message)
    }
}

/// `$top`, `$skiptoken` and `$filter` from the raw query.
struct Query {
    top: usize,
    offset: usize,
    filter: Option<String>,
}

fn query(raw: Option<&str>) -> Result<Query, GraphErr> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or(""))
        .map_err(|_| GraphErr::bad_request("The query string could not be read."))?;
    let mut q = Query {
        top: DEFAULT_TOP,
        offset: 0,
        filter: None,
    };
    for (k, v) in pairs {
        match k.as_str() {
            "$top" => {
                q.top = v
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=MAX_TOP).contains(n))
                    .ok_or_else(|| {
                        GraphErr::bad_request(format!("Invalid page size specified: '{v}'. Must be between 1 and {MAX_TOP} inclusive."))
                    })?
            }
            "$skiptoken" => {
                q.offset =
                    skip_offset(&v).ok_or_else(|| GraphErr::bad_request("Invalid skip token."))?
            }
            "$filter" => q.filter = Some(v),
            other => {
                return Err(GraphErr::bad_request(format!(
                    "Query option '{other}' is not supported here."
                )));
            }
        }
    }
    Ok(q)
}

fn skip_token(offset: usize) -> String {
    base64url::encode(format!("cutover-skip:{offset}").as_bytes())
}

fn skip_offset(token: &str) -> Option<usize> {
    let text = String::from_utf8(base64url::decode(token.trim())?).ok()?;
    text.strip_prefix("cutover-skip:")?.parse().ok()
}

/// One page of a Graph collection: `@odata.context`, `value` and `@odata.nextLink` when more remain.
fn page(
    headers: &HeaderMap,
    path: &str,
    context: &str,
    items: Vec<Value>,
    q: &Query,
    extra_query: &str,
) -> Value {
    let total = items.len();
    let value: Vec<Value> = items.into_iter().skip(q.offset).take(q.top).collect();
    let mut body = json!({"@odata.context": format!("{METADATA}{context}"), "value": value});
    if q.offset + q.top < total {
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("graph.microsoft.com");
        body["@odata.nextLink"] = json!(format!(
            "http://{host}{path}?{extra_query}$top={}&$skiptoken={}",
            q.top,
            skip_token(q.offset + q.top)
        ));
    }
    body
}

/// The partner's own Graph calls need a delegated token issued in the partner's tenant.
fn require_partner(caller: &GraphCaller) -> Result<(), GraphErr> {
    if caller.tenant.is_some() || caller.kind != TokenKind::AppUser {
        return Err(GraphErr::denied());
    }
    Ok(())
}

/// `customer/tenantId eq '<id>'` (the one filter Cutover uses); anything else is refused.
fn tenant_filter(filter: &str) -> Option<String> {
    let rest = filter
        .trim()
        .strip_prefix("customer/tenantId")?
        .trim_start();
    let rest = rest.strip_prefix("eq")?.trim();
    let id = rest.strip_prefix('\'')?.strip_suffix('\'')?;
    Some(id.to_ascii_lowercase())
}

/// `GET /v1.0/tenantRelationships/delegatedAdminRelationships[?$filter=customer/tenantId eq '…']`.
pub async fn list_relationships(
    State(state): State<AppState>,
    Extension(caller): Extension<GraphCaller>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    if let Err(e) = require_partner(&caller) {
        return e.into_response();
    }
    let q = match query(raw.as_deref()) {
        Ok(q) => q,
        Err(e) => return e.into_response(),
    };
    let tenant = match q.filter.as_deref().map(tenant_filter) {
        None => None,
        Some(Some(t)) => Some(t),
        Some(None) => {
            return bad_request(
                "Invalid filter clause: only customer/tenantId eq '<tenant id>' is supported.",
            );
        }
    };
    let world = state.read();
    let now = state.now(world.today);
    let items: Vec<Value> = world
        .gdap
        .iter()
        .filter(|r| {
            tenant
                .as_deref()
                .is_none_or(|t| r.customer_tenant_id.eq_ignore_ascii_case(t))
        })
        .map(|r| r.to_json(now))
        .collect();
    let extra = q
        .filter
        .as_deref()
        .map(|f| format!("$filter={}&", crate::paging::encode_query(f)))
        .unwrap_or_default();
    json_response(
        StatusCode::OK,
        &page(
            &headers,
            RELATIONSHIPS,
            "tenantRelationships/delegatedAdminRelationships",
            items,
            &q,
            &extra,
        ),
    )
}

fn entity(mut value: Value) -> Value {
    value["@odata.context"] = json!(format!(
        "{METADATA}tenantRelationships/delegatedAdminRelationships/$entity"
    ));
    value
}

/// `GET /v1.0/tenantRelationships/delegatedAdminRelationships/{id}`.
pub async fn get_relationship(
    State(state): State<AppState>,
    Extension(caller): Extension<GraphCaller>,
    Path(id): Path<String>,
) -> Response {
    if let Err(e) = require_partner(&caller) {
        return e.into_response();
    }
    let world = state.read();
    let now = state.now(world.today);
    match world.gdap.iter().find(|r| r.id.eq_ignore_ascii_case(&id)) {
        Some(r) => json_response(StatusCode::OK, &entity(r.to_json(now))),
        None => not_found(&id),
    }
}

fn str_field<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// `POST /v1.0/tenantRelationships/delegatedAdminRelationships`: a new relationship, `created`.
pub async fn create_relationship(
    State(state): State<AppState>,
    Extension(caller): Extension<GraphCaller>,
    body: Bytes,
) -> Response {
    if let Err(e) = require_partner(&caller) {
        return e.into_response();
    }
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return bad_request("The request body is not valid JSON.");
    };
    let Some(display_name) = str_field(&body, "displayName") else {
        return bad_request("displayName is required.");
    };
    if display_name.chars().count() > 50 {
        return bad_request("displayName must be 50 characters or fewer.");
    }
    let duration = str_field(&body, "duration").unwrap_or("P730D");
    let Some(duration_days) = gdap::parse_duration_days(duration).filter(|d| (1..=730).contains(d))
    else {
        return bad_request(&format!(
            "duration '{duration}' is not valid: use P1D to P730D (or P2Y)."
        ));
    };
    let auto_extend = str_field(&body, "autoExtendDuration").unwrap_or("PT0S");
    if !["PT0S", "P0D", "P180D"].contains(&auto_extend) {
        return bad_request("autoExtendDuration must be PT0S, P0D or P180D.");
    }
    let Some(tenant_id) = body
        .get("customer")
        .and_then(|c| str_field(c, "tenantId"))
        .map(str::to_ascii_lowercase)
    else {
        return bad_request("customer.tenantId is required.");
    };
    let roles: Vec<String> = body
        .pointer("/accessDetails/unifiedRoles")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|r| str_field(r, "roleDefinitionId").map(str::to_ascii_lowercase))
                .collect()
        })
        .unwrap_or_default();
    if roles.is_empty() {
        return bad_request("accessDetails.unifiedRoles must name at least one roleDefinitionId.");
    }
    if auto_extend == "P180D" && roles.iter().any(|r| r == GLOBAL_ADMINISTRATOR) {
        return bad_request(
            "A relationship that includes Global Administrator cannot auto-extend.",
        );
    }
    let serial = state.next_serial();
    let mut world = state.write();
    let now = state.now(world.today);
    let Some(customer_name) = world.tenant(&tenant_id).map(|t| t.name.clone()) else {
        return bad_request(&format!("The customer tenant {tenant_id} was not found."));
    };
    if world
        .gdap
        .iter()
        .any(|r| r.display_name.eq_ignore_ascii_case(display_name))
    {
        return graph_error(
            StatusCode::CONFLICT,
            "Conflict",
            &format!(
                "A relationship named '{display_name}' already exists; display names must be unique."
            ),
        );
    }
    let mut rng = Rng::new(derive(state.config.seed, TAG_NEW_GDAP, serial));
    let relationship = Relationship {
        id: gdap::relationship_id(&mut rng, &tenant_id),
        display_name: display_name.to_string(),
        customer_tenant_id: tenant_id,
        customer_name: str_field(&body["customer"], "displayName")
            .map(str::to_string)
            .unwrap_or(customer_name),
        duration: duration.to_string(),
        duration_days,
        roles,
        auto_extend: auto_extend.to_string(),
        created: now,
        last_modified: now,
        stage: Stage::Created,
    };
    let value = entity(relationship.to_json(now));
    let location = format!("{RELATIONSHIPS}/{}", relationship.id);
    world.gdap.push(relationship);
    let mut response = json_response(StatusCode::CREATED, &value);
    if let Ok(v) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    response
}

/// `POST …/delegatedAdminRelationships/{id}/requests` with `{action: "lockForApproval"}`.
pub async fn relationship_request(
    State(state): State<AppState>,
    Extension(caller): Extension<GraphCaller>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    if let Err(e) = require_partner(&caller) {
        return e.into_response();
    }
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return bad_request("The request body is not valid JSON.");
    };
    let action = str_field(&body, "action").unwrap_or("");
    if action != "lockForApproval" {
        return bad_request(&format!(
            "action '{action}' is not supported; use lockForApproval."
        ));
    }
    let serial = state.next_serial();
    let mut world = state.write();
    let now = state.now(world.today);
    let Some(r) = world
        .gdap
        .iter_mut()
        .find(|r| r.id.eq_ignore_ascii_case(&id))
    else {
        return not_found(&id);
    };
    if r.stage != Stage::Created {
        return graph_error(
            StatusCode::CONFLICT,
            "Conflict",
            &format!(
                "The relationship is {}; only a relationship in status created can be locked for approval.",
                r.status_at(now).status
            ),
        );
    }
    r.stage = Stage::ApprovalPending { locked: now };
    r.last_modified = now;
    let request_id = Rng::new(derive(state.config.seed, TAG_NEW_GDAP ^ 1, serial)).guid();
    json_response(
        StatusCode::CREATED,
        &json!({
            "@odata.context": format!("{METADATA}tenantRelationships/delegatedAdminRelationships('{}')/requests/$entity", r.id),
            "@odata.type": "#microsoft.graph.delegatedAdminRelationshipRequest",
            "id": request_id,
            "action": "lockForApproval",
            "status": "succeeded",
            "createdDateTime": gdap::graph_time(now),
            "lastModifiedDateTime": gdap::graph_time(now),
        }),
    )
}

/// The customer tenant of a Graph call, once its admin access is checked.
fn customer_tenant(state: &AppState, caller: &GraphCaller) -> Result<String, GraphErr> {
    let Some(tenant) = caller.tenant.clone() else {
        // Called in the partner's own tenant: no customer data there.
        return Err(GraphErr::denied());
    };
    let world = state.read();
    let now = state.now(world.today);
    if !world.has_active_gdap(&tenant, now) {
        return Err(GraphErr::denied());
    }
    Ok(tenant)
}

/// `GET /v1.0/directory/subscriptions` in the token's customer tenant.
pub async fn directory_subscriptions(
    State(state): State<AppState>,
    Extension(caller): Extension<GraphCaller>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let tenant = match customer_tenant(&state, &caller) {
        Ok(t) => t,
        Err(e) => return e.into_response(),
    };
    let q = match query(raw.as_deref()) {
        Ok(q) if q.filter.is_none() => q,
        Ok(_) => return bad_request("$filter is not supported on this collection here."),
        Err(e) => return e.into_response(),
    };
    let world = state.read();
    let Some(t) = world.tenant(&tenant) else {
        return denied();
    };
    let subs =
        directory::subscriptions(state.config.seed, &world.partner_tenant_id, t, world.today);
    let items = subs.iter().map(directory::subscription_json).collect();
    json_response(
        StatusCode::OK,
        &page(
            &headers,
            "/v1.0/directory/subscriptions",
            "directory/subscriptions",
            items,
            &q,
            "",
        ),
    )
}

/// `GET /v1.0/subscribedSkus` in the token's customer tenant (one page: Graph does not page it).
pub async fn subscribed_skus(
    State(state): State<AppState>,
    Extension(caller): Extension<GraphCaller>,
) -> Response {
    let tenant = match customer_tenant(&state, &caller) {
        Ok(t) => t,
        Err(e) => return e.into_response(),
    };
    let world = state.read();
    let Some(t) = world.tenant(&tenant) else {
        return denied();
    };
    let subs =
        directory::subscriptions(state.config.seed, &world.partner_tenant_id, t, world.today);
    json_response(
        StatusCode::OK,
        &json!({
            "@odata.context": format!("{METADATA}subscribedSkus"),
            "value": directory::subscribed_skus(t, &subs),
        }),
    )
}

/// `POST /sandbox/gdap/{id}/{approve|terminate|expire}`: the customer approves, someone ends the
/// relationship, or it runs out now.
pub async fn control(
    State(state): State<AppState>,
    Path((id, action)): Path<(String, String)>,
) -> Response {
    let mut world = state.write();
    let now = state.now(world.today);
    let Some(r) = world
        .gdap
        .iter_mut()
        .find(|r| r.id.eq_ignore_ascii_case(&id))
    else {
        return json_response(
            StatusCode::NOT_FOUND,
            &json!({"error": format!("No admin relationship has the id {id}.")}),
        );
    };
    let current = r.status_at(now);
    let refuse = |why: String| json_response(StatusCode::CONFLICT, &json!({"error": why}));
    match action.as_str() {
        "approve" if current.status == "approvalPending" => {
            r.stage = Stage::Active { activated: now };
        }
        "approve" => {
            return refuse(format!(
                "Only a relationship awaiting approval can be approved; this one is {}.",
                current.status
            ));
        }
        "terminate" if matches!(current.status, "active" | "approvalPending" | "created") => {
            r.stage = Stage::Terminated {
                at: now,
                activated: current.activated,
            };
        }
        "expire" if matches!(current.status, "active" | "approvalPending" | "created") => {
            r.stage = Stage::Expired {
                at: now,
                activated: current.activated,
            };
        }
        "terminate" | "expire" => {
            return refuse(format!(
                "The relationship has already ended ({}).",
                current.status
            ));
        }
        other => {
            return json_response(
                StatusCode::NOT_FOUND,
                &json!({"error": format!("Unknown action {other}; use approve, terminate or expire.")}),
            );
        }
    }
    r.last_modified = now;
    json_response(StatusCode::OK, &r.to_json(now))
}

/// `GET /sandbox/gdap`: every admin relationship with its status now (for trying things out).
pub async fn list_all(State(state): State<AppState>) -> Response {
    let world = state.read();
    let now = state.now(world.today);
    let items: Vec<Value> = world.gdap.iter().map(|r| r.to_json(now)).collect();
    json_response(
        StatusCode::OK,
        &json!({"totalCount": items.len(), "items": items}),
    )
}
