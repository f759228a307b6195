//! `/api/public/*`: what a customer's IT admin sees through a share link, and nothing more.
//!
//! Every token that does not work now (malformed, truncated, unknown, revoked, expired) gets the
//! very same 404 body, so answers say nothing about which tokens ever existed. The token is never
//! logged; feed ids use the link's id, and only the feed's own links repeat the address the
//! reader already used.
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cutover_plan::Date;
use cutover_plan::checklist::PcFacts;
use cutover_plan::gdap::{self, AdminAccess};
use cutover_plan::lang::Lang;
use cutover_plan::partner_center::{
    domain_search_query, find_by_domain, parse_customer_for, parse_customer_page,
    parse_subscribed_skus, parse_subscriptions, pc_facts, text,
};
use cutover_plan::record::{CustomerKey, MigrationRecord};
use cutover_plan::settings::Settings;
use cutover_plan::wire::{
    ApiError, StatusProjection, redact_facts_for_customer, redact_for_customer,
};

use super::{Failure, error_response, json_response};
use crate::atom_feed::{self, FeedHead};
use crate::{AppState, allow_list, clock, graph_allow_list, ids};

/// The one answer for every token that does not open a status page.
pub(crate) fn invalid_link() -> Response {
    error_response(
        StatusCode::NOT_FOUND,
        ApiError::new(
            "link_not_valid",
            "This status link is not valid: it may be mistyped, revoked or expired. Ask your partner for a new one.",
            false,
        ),
    )
}

/// The share link's id and the customer's record, or the invalid-link answer.
pub(crate) async fn open(
    state: &Arc<AppState>,
    token: String,
) -> Result<(String, MigrationRecord, String, u64), Response> {
    let now = clock::now_utc();
    let found = async {
        let Some((link_id, key)) = state.store.resolve_share_link(&token, &now).await? else {
            return Ok(None);
        };
        Ok(state.store.get_record(&key).await?.map(|v| (link_id, v)))
    }
    .await
    .map_err(|e: crate::store::StoreError| Failure::from(e).into_response())?;
    let Some((link_id, v)) = found else {
        return Err(invalid_link());
    };
    let record = serde_json::from_value::<MigrationRecord>(v.doc).map_err(|_| {
        error_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::new(
                "unreadable_document",
                "This customer's status could not be read; ask your partner to check it.",
                false,
            ),
        )
    })?;
    Ok((link_id, record, v.updated_at, v.version))
}

/// `GET /api/public/status/{token}`.
pub async fn status(State(state): State<Arc<AppState>>, Path(token): Path<String>) -> Response {
    let (link_id, record, _, record_version) = match open(&state, token).await {
        Ok(opened) => opened,
        Err(resp) => return resp,
    };
    let (settings, settings_version) = match state.store.get_settings().await.map_err(Failure::from)
    {
        Ok(found) => found
            .and_then(|v| {
                let version = v.version;
                serde_json::from_value::<Settings>(v.doc)
                    .ok()
                    .map(|s| (s, version))
            })
            .unwrap_or_default(),
        Err(failure) => return failure.into_response(),
    };
    let lang = link_lang(&state, &link_id).await;
    let (facts, facts_unavailable) = match facts(&state, &record.key).await {
        Some(f) => (f, false),
        None => (PcFacts::default(), true),
    };
    let invitation_url = if facts.relationship_accepted {
        None
    } else {
        invitation_url(&state).await
    };
    json_response(
        StatusCode::OK,
        &StatusProjection {
            partner_name: state.partner_name.clone(),
            record: redact_for_customer(&record),
            settings,
            facts: redact_facts_for_customer(&facts),
            invitation_url,
            as_of: clock::now_utc(),
            facts_unavailable,
            record_version,
            settings_version,
            mail_enabled: state.notify.mail_enabled(),
            lang,
        },
    )
}

/// The language a share link was made in, if the partner chose one.
async fn link_lang(state: &AppState, link_id: &str) -> Option<Lang> {
    let tag = state.store.share_link_lang(link_id).await.ok().flatten()?;
    Lang::from_tag(&tag)
}

/// `?lang=ja` on the feed.
#[derive(Debug, Default, serde::Deserialize)]
pub struct LangQuery {
    /// A language tag.
    #[serde(default)]
    pub lang: Option<String>,
}

/// `GET /api/public/status/{token}/feed.atom`.
pub async fn feed(
    State(state): State<Arc<AppState>>,
    Path(token): Path<String>,
    query: Result<Query<LangQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let asked = query
        .ok()
        .and_then(|Query(q)| q.lang)
        .and_then(|t| Lang::from_tag(&t));
    let (link_id, record, updated_at, version) = match open(&state, token.clone()).await {
        Ok(opened) => opened,
        Err(resp) => return resp,
    };
    let lang = match asked {
        Some(l) => l,
        None => link_lang(&state, &link_id).await.unwrap_or_default(),
    };
    let self_href = state.notify.link(&format!(
        "/api/public/status/{token}/feed.atom{}",
        if asked.is_some() {
            format!("?lang={}", lang.tag())
        } else {
            String::new()
        }
    ));
    let status_href = state.notify.link(&format!("/status/{token}"));
    // The newest changes, plus the one before them to compare the oldest against.
    let window = atom_feed::MAX_ENTRIES * 2;
    let since = version.saturating_sub(window as u64 + 1);
    let key = match &record.key {
        CustomerKey::PcCustomerId(k) | CustomerKey::Domain(k) => k.clone(),
    };
    let changes = match state
        .store
        .changes(&key, Some(since), window + 1)
        .await
        .map_err(Failure::from)
    {
        Ok(c) => c,
        Err(failure) => return failure.into_response(),
    };
    let redacted = redact_for_customer(&record);
    let xml = atom_feed::build(
        &FeedHead {
            link_id: &link_id,
            customer_name: &redacted.customer_name,
            partner_name: &state.partner_name,
            fallback_updated: &updated_at,
            lang,
            self_href: &self_href,
            status_href: &status_href,
        },
        &changes,
        since > 0,
    );
    let mut resp = (StatusCode::OK, xml).into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/atom+xml; charset=utf-8"),
    );
    resp
}

/// One read-only Partner Center call through the allow-list; `None` on any failure.
async fn pc_get(
    state: &AppState,
    path: &str,
    query: Option<&str>,
    correlation: &str,
) -> Option<String> {
    let call = allow_list::check(&Method::GET, path, query).ok()?;
    let resp = state
        .pc
        .send(&Method::GET, &call, None, None, correlation)
        .await
        .ok()?;
    String::from_utf8(resp.body.to_vec()).ok()
}

/// What Partner Center says about the customer; `None` when it could not be asked. A record keyed
/// by domain is looked up by that domain, exactly as the partner's customer list matches it, so
/// the status page and the partner's pages detect the same acceptance.
pub(crate) async fn facts(state: &AppState, key: &CustomerKey) -> Option<PcFacts> {
    let correlation = ids::guid();
    let id = match key {
        CustomerKey::PcCustomerId(id) => id.clone(),
        CustomerKey::Domain(domain) => {
            let query = domain_search_query(domain, 50);
            let body = pc_get(state, "v1/customers", Some(&query), &correlation).await?;
            let page = parse_customer_page(&body).ok()?;
            match find_by_domain(&page.customers, domain) {
                Some(c) => c.id.clone(),
                None => return Some(PcFacts::default()),
            }
        }
    };
    let paths = [
        format!("v1/customers/{id}"),
        format!("v1/customers/{id}/subscriptions"),
        format!("v1/customers/{id}/subscribedskus"),
    ];
    let (customer, subscriptions, skus) = tokio::join!(
        pc_get(state, &paths[0], None, &correlation),
        pc_get(state, &paths[1], None, &correlation),
        pc_get(state, &paths[2], None, &correlation),
    );
    let customer: serde_json::Value = serde_json::from_str(&customer?).ok()?;
    // The id asked for is the truth: an answer about another customer is not used.
    let customer = parse_customer_for(&customer, &id).ok()?;
    let subscriptions = parse_subscriptions(&subscriptions?).ok()?;
    let skus = parse_subscribed_skus(&skus?).ok()?;
    let mut facts = pc_facts(Some(&customer), &subscriptions.items, &skus.items);
    facts.admin_access = admin_access(state, &id).await.unwrap_or_default();
    Some(facts)
}

/// Admin access (GDAP) to the customer's tenant, from the partner's relationships in Graph;
/// `None` when Graph could not be asked (the page then simply does not mention it).
async fn admin_access(state: &AppState, tenant_id: &str) -> Option<AdminAccess> {
    if !ids::is_guid(tenant_id) {
        return None;
    }
    let query = format!("$filter=customer%2FtenantId%20eq%20%27{tenant_id}%27");
    let call = graph_allow_list::check(
        &Method::GET,
        "v1.0/tenantRelationships/delegatedAdminRelationships",
        Some(&query),
    )
    .ok()?;
    let resp = state.graph.send(&Method::GET, &call, None).await.ok()?;
    let page = gdap::parse_relationship_page(std::str::from_utf8(&resp.body).ok()?).ok()?;
    let today = Date::parse(clock::now_utc().get(..10)?).ok()?;
    Some(gdap::admin_access(&page.relationships, today))
}

/// The partner's reseller invitation link, for a customer who has not accepted yet.
pub(crate) async fn invitation_url(state: &AppState) -> Option<String> {
    let body = pc_get(
        state,
        "v1/customers/relationshiprequests",
        None,
        &ids::guid(),
    )
    .await?;
    let json: serde_json::Value = serde_json::from_str(&body).ok()?;
    text(&json, "url").filter(|u| u.starts_with("https://"))
}
