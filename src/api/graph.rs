//! Microsoft Graph calls through the proxy (`/api/graph/…`): admin access (GDAP) in the partner's
//! tenant, and a customer tenant's subscriptions and licences once access is active.
use cutover_plan::gdap::{
    GdapRelationship, GdapRole, lock_for_approval_body, parse_relationship_page, request_body,
};
use cutover_plan::partner_center::ItemProblem;
use cutover_plan::tenant::{
    TenantSku, TenantSubscription, next_page_query, parse_sku_page, parse_subscription_page,
};
use cutover_plan::wire::ApiError;
use gloo_net::http::Request;

use super::{UserAction, malformed, send, send_json, text_of};

/// Pages a collection may have before Cutover stops asking (a tenant with thousands of
/// subscriptions still fits).
const MAX_PAGES: usize = 100;

const RELATIONSHIPS: &str = "/api/graph/v1.0/tenantRelationships/delegatedAdminRelationships";

fn too_many_pages(what: &str) -> ApiError {
    ApiError::new(
        "too_many_pages",
        format!("Microsoft Graph kept sending more pages of {what}; try again later."),
        true,
    )
}

async fn graph_get(action: &UserAction, url: &str, what: &str) -> Result<String, ApiError> {
    let resp = send(action.pc(Request::get(url)), None, &[]).await?;
    text_of(resp, what).await
}

/// The partner's admin relationships with one customer tenant (every page).
pub async fn admin_relationships(
    action: &UserAction,
    tenant_id: &str,
) -> Result<Vec<GdapRelationship>, ApiError> {
    let filter = format!(
        "%24filter=customer%2FtenantId%20eq%20%27{}%27",
        String::from(js_sys::encode_uri_component(
            &tenant_id.to_ascii_lowercase()
        ))
    );
    let mut url = format!("{RELATIONSHIPS}?{filter}");
    let mut out = Vec::new();
    for _ in 0..MAX_PAGES {
        let page = parse_relationship_page(&graph_get(action, &url, "admin relationships").await?)
            .map_err(malformed)?;
        out.extend(page.relationships);
        match page.next_link.as_deref().and_then(next_page_query) {
            Some(q) => url = format!("{RELATIONSHIPS}?{filter}&{}", strip_filter(&q)),
            None => return Ok(out),
        }
    }
    Err(too_many_pages("admin relationships"))
}

/// Every admin relationship the partner has, with any customer (every page).
pub async fn all_admin_relationships(
    action: &UserAction,
) -> Result<Vec<GdapRelationship>, ApiError> {
    let mut url = RELATIONSHIPS.to_owned();
    let mut out = Vec::new();
    for _ in 0..MAX_PAGES {
        let page = parse_relationship_page(&graph_get(action, &url, "admin relationships").await?)
            .map_err(malformed)?;
        out.extend(page.relationships);
        match page.next_link.as_deref().and_then(next_page_query) {
            Some(q) => url = format!("{RELATIONSHIPS}?{q}"),
            None => return Ok(out),
        }
    }
    Err(too_many_pages("admin relationships"))
}

/// The query of a next link without its own `$filter` (Cutover sends its own).
fn strip_filter(query: &str) -> String {
    query
        .split('&')
        .filter(|p| !p.starts_with("$filter") && !p.starts_with("%24filter"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Requests read-only admin access to the customer's tenant (least privilege) and sends the
/// request for the customer's approval. Returns the relationship as Graph now has it.
pub async fn request_admin_access(
    action: &UserAction,
    tenant_id: &str,
    customer_name: &str,
    taken_names: &[String],
) -> Result<GdapRelationship, ApiError> {
    let body = request_body(
        tenant_id,
        customer_name,
        GdapRole::GlobalReader,
        taken_names,
    );
    let resp = send_json(action.pc(Request::post(RELATIONSHIPS)), &body, &[]).await?;
    let created = parse_relationship_page(&text_of(resp, "the new admin relationship").await?)
        .map_err(malformed)?
        .relationships
        .into_iter()
        .next()
        .ok_or_else(|| malformed("Microsoft Graph did not return the new relationship.".into()))?;
    lock_for_approval(action, &created.id).await?;
    Ok(created)
}

/// Sends a created relationship for the customer's approval.
pub async fn lock_for_approval(action: &UserAction, relationship_id: &str) -> Result<(), ApiError> {
    let url = format!(
        "{RELATIONSHIPS}/{}/requests",
        String::from(js_sys::encode_uri_component(relationship_id))
    );
    send_json(
        action.pc(Request::post(&url)),
        &lock_for_approval_body(),
        &[],
    )
    .await
    .map(|_| ())
}

/// Everything read from a tenant: its subscriptions and licences, and items that could not be read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TenantRead {
    /// Every subscription, whatever channel it was bought through.
    pub subscriptions: Vec<TenantSubscription>,
    /// Every licence pool.
    pub skus: Vec<TenantSku>,
    /// Items that could not be read, and why.
    pub problems: Vec<ItemProblem>,
}

/// Reads a customer tenant's subscriptions (every page) and licences.
pub async fn read_tenant(action: &UserAction, tenant_id: &str) -> Result<TenantRead, ApiError> {
    let base = format!(
        "/api/graph/tenants/{}/v1.0",
        String::from(js_sys::encode_uri_component(tenant_id))
    );
    let mut read = TenantRead::default();
    let mut url = format!("{base}/directory/subscriptions");
    let mut done = false;
    for _ in 0..MAX_PAGES {
        let page =
            parse_subscription_page(&graph_get(action, &url, "the tenant's subscriptions").await?)
                .map_err(malformed)?;
        read.subscriptions.extend(page.items);
        read.problems.extend(page.problems);
        match page.next_link.as_deref().and_then(next_page_query) {
            Some(q) => url = format!("{base}/directory/subscriptions?{q}"),
            None => {
                done = true;
                break;
            }
        }
    }
    if !done {
        return Err(too_many_pages("subscriptions"));
    }
    let skus = parse_sku_page(
        &graph_get(
            action,
            &format!("{base}/subscribedSkus"),
            "the tenant's licences",
        )
        .await?,
    )
    .map_err(malformed)?;
    read.skus = skus.items;
    read.problems.extend(skus.problems);
    Ok(read)
}
