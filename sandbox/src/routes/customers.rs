//! `GET /v1/customers`, `GET /v1/customers/{id}` and `GET /v1/customers/relationshiprequests`.
use std::collections::HashMap;

use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::auth::require_app_user;
use crate::data::{Tenant, World};
use crate::errors::{PcError, json_response, pc_error};
use crate::paging::{self, CONTINUATION_HEADER, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use crate::state::{AppState, TokenKind};
use crate::{quirks, resources};

/// A `filter` query: `{"Field":"Domain"|"CompanyName","Value":…,"Operator":"starts_with"}`.
struct Filter {
    by_domain: bool,
    prefix: String,
    raw: String,
}

impl Filter {
    fn parse(raw: &str) -> Result<Option<Filter>, PcError> {
        let bad = |why: &str| PcError::bad_request("400", format!("The filter is invalid: {why}."));
        let v: Value = serde_json::from_str(raw).map_err(|_| bad("it is not JSON"))?;
        let get = |key: &str| {
            v.as_object()
                .and_then(|m| m.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)))
                .and_then(|(_, v)| v.as_str())
                .map(str::to_string)
        };
        let field = get("Field").ok_or_else(|| bad("Field is missing"))?;
        let value = get("Value").ok_or_else(|| bad("Value is missing"))?;
        let operator = get("Operator").unwrap_or_default();
        if !operator.eq_ignore_ascii_case("starts_with") {
            return Err(bad("only the starts_with operator is supported"));
        }
        let by_domain = match field.to_ascii_lowercase().as_str() {
            "domain" => true,
            "companyname" => false,
            // The sandbox has no indirect resellers: such filters match nobody.
            "indirectreseller" | "indirectcloudsolutionprovider" => {
                return Ok(Some(Filter {
                    by_domain: true,
                    prefix: "\u{0}".into(),
                    raw: raw.into(),
                }));
            }
            _ => {
                return Err(bad(
                    "Field must be CompanyName, Domain, IndirectReseller or IndirectCloudSolutionProvider",
                ));
            }
        };
        Ok(Some(Filter {
            by_domain,
            prefix: value.to_lowercase(),
            raw: raw.into(),
        }))
    }

    fn matches(&self, t: &Tenant) -> bool {
        let subject = if self.by_domain {
            t.domain.clone()
        } else {
            t.name.to_lowercase()
        };
        subject.starts_with(&self.prefix)
    }
}

/// `GET /v1/customers?size=…[&filter=…][&seekOperation=Next]`.
pub async fn list(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let param = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
    };
    let size = match param("size") {
        None | Some("") => DEFAULT_PAGE_SIZE,
        Some(s) => match s.parse::<usize>() {
            Ok(0) => DEFAULT_PAGE_SIZE,
            Ok(n) => n.min(MAX_PAGE_SIZE),
            Err(_) => {
                return pc_error(
                    StatusCode::BAD_REQUEST,
                    "400",
                    "The size parameter must be a non-negative whole number.",
                );
            }
        },
    };
    let filter = match param("filter").filter(|f| !f.is_empty()) {
        Some(raw) => match Filter::parse(raw) {
            Ok(f) => f,
            Err(e) => return e.into_response(),
        },
        None => None,
    };
    let seek_next = param("seekOperation").is_some_and(|s| s.eq_ignore_ascii_case("next"));
    let token = headers
        .get(CONTINUATION_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::trim);
    let start = if seek_next {
        let Some(token) = token.filter(|t| !t.is_empty()) else {
            return pc_error(
                StatusCode::BAD_REQUEST,
                "400",
                "seekOperation=Next needs the MS-ContinuationToken header from the previous page.",
            );
        };
        match paging::offset(state.config.seed, token) {
            Some(offset) => offset,
            None => {
                return pc_error(
                    StatusCode::BAD_REQUEST,
                    "400",
                    "The continuation token is not valid.",
                );
            }
        }
    } else {
        0
    };
    let world = state.read();
    let matching: Vec<&Tenant> = world
        .listed
        .iter()
        .map(|&i| &world.tenants[i])
        .filter(|t| filter.as_ref().is_none_or(|f| f.matches(t)))
        .collect();
    let total = matching.len();
    let items: Vec<Value> = matching
        .iter()
        .skip(start)
        .take(size)
        .map(|t| {
            quirks::customer(
                resources::customer(t, false),
                state.config.seed,
                state.config.rate_quirks,
            )
        })
        .collect();
    let filter_part = filter
        .as_ref()
        .map(|f| format!("&filter={}", paging::encode_query(&f.raw)))
        .unwrap_or_default();
    let next = (start + size < total).then(|| {
        (
            format!("/v1/customers?size={size}{filter_part}&seekOperation=Next"),
            paging::token(state.config.seed, start + size),
        )
    });
    let self_uri = format!("/v1/customers?size={size}{filter_part}");
    json_response(StatusCode::OK, &paging::page(items, total, next, &self_uri))
}

/// The 404 for a customer the partner has no relationship with.
pub fn no_customer(id: &str) -> Response {
    pc_error(
        StatusCode::NOT_FOUND,
        "20002",
        &format!("The partner has no commerce relationship with the customer {id}."),
    )
}

/// Runs `f` on the reseller customer `id`, or answers 404.
pub fn with_customer(world: &World, id: &str, f: impl FnOnce(&Tenant) -> Response) -> Response {
    match world.customer(id) {
        Some(t) => f(t),
        None => no_customer(id),
    }
}

/// `GET /v1/customers/{id}`.
pub async fn get(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let world = state.read();
    with_customer(&world, &id, |t| {
        json_response(StatusCode::OK, &resources::customer(t, true))
    })
}

/// `GET /v1/customers/relationshiprequests` (App+User only).
pub async fn relationship_request(
    State(state): State<AppState>,
    kind: Option<Extension<TokenKind>>,
) -> Response {
    if let Err(e) = require_app_user(kind.map(|k| k.0)) {
        return e.into_response();
    }
    let world = state.read();
    let url = format!(
        "https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship&partnerId={}&msppId=0&DAP=false#/BillingAccounts/partner-invitation",
        world.partner_tenant_id
    );
    json_response(
        StatusCode::OK,
        &json!({"url": url, "attributes": {"objectType": "RelationshipRequest"}}),
    )
}
