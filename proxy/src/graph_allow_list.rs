//! The Microsoft Graph calls the app may make through the proxy (`/api/graph/…`). Nothing else
//! is forwarded.
//!
//! - In the partner's own tenant: the GDAP admin relationships (create, lock for approval, list
//!   filtered by customer, get one).
//! - In a customer tenant named in the path (`tenants/{customerTenantId}/v1.0/…`): the tenant's
//!   subscriptions and licences.
use axum::http::Method;

/// Whose tenant a Graph call runs in (decides the token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GraphTenant {
    /// The partner's own tenant (GDAP endpoints).
    Partner,
    /// A customer tenant, by its lower-cased id.
    Customer(String),
}

/// A call that passed the allow-list, rebuilt from checked parts only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphCall {
    /// Path and query relative to the Graph base, with a leading slash (`/v1.0/…`).
    pub path_and_query: String,
    /// The tenant whose token the call needs.
    pub tenant: GraphTenant,
    /// Whether the call has a JSON body to forward.
    pub has_body: bool,
}

const RELATIONSHIPS: [&str; 3] = ["v1.0", "tenantRelationships", "delegatedAdminRelationships"];

/// Checks `method` + `path` (after `/api/graph/`) + raw query against the allow-list.
pub fn check(method: &Method, path: &str, query: Option<&str>) -> Result<GraphCall, String> {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let refused = || {
        format!(
            "{method} /{} is not a Microsoft Graph call Cutover makes.",
            path.trim_start_matches('/')
        )
    };
    let (tenant, rest, allowed_query): (GraphTenant, String, &[&str]) = match segments.as_slice() {
        [a, b, c] if [*a, *b, *c] == RELATIONSHIPS && *method == Method::GET => (
            GraphTenant::Partner,
            RELATIONSHIPS.join("/"),
            &["$filter", "$top", "$skiptoken"],
        ),
        [a, b, c] if [*a, *b, *c] == RELATIONSHIPS && *method == Method::POST => {
            (GraphTenant::Partner, RELATIONSHIPS.join("/"), &[])
        }
        [a, b, c, id] if [*a, *b, *c] == RELATIONSHIPS && *method == Method::GET => {
            if !is_relationship_id(id) {
                return Err(refused());
            }
            (
                GraphTenant::Partner,
                format!("{}/{id}", RELATIONSHIPS.join("/")),
                &[],
            )
        }
        [a, b, c, id, "requests"] if [*a, *b, *c] == RELATIONSHIPS && *method == Method::POST => {
            if !is_relationship_id(id) {
                return Err(refused());
            }
            (
                GraphTenant::Partner,
                format!("{}/{id}/requests", RELATIONSHIPS.join("/")),
                &[],
            )
        }
        ["tenants", tenant, "v1.0", "directory", "subscriptions"] if *method == Method::GET => (
            customer(tenant).ok_or_else(refused)?,
            "v1.0/directory/subscriptions".into(),
            &["$top", "$skiptoken"],
        ),
        ["tenants", tenant, "v1.0", "subscribedSkus"] if *method == Method::GET => (
            customer(tenant).ok_or_else(refused)?,
            "v1.0/subscribedSkus".into(),
            &[],
        ),
        _ => return Err(refused()),
    };
    let mut kept = Vec::new();
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (raw_key, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = raw_key.replace("%24", "$");
        if !allowed_query.contains(&key.as_str()) {
            return Err(format!(
                "The query parameter {key:?} is not allowed on this call."
            ));
        }
        let value = canonical_value(&key, raw_value)
            .ok_or_else(|| format!("The query parameter {key:?} has an invalid value."))?;
        kept.push(format!("{key}={value}"));
    }
    let mut path_and_query = format!("/{rest}");
    if !kept.is_empty() {
        path_and_query.push('?');
        path_and_query.push_str(&kept.join("&"));
    }
    Ok(GraphCall {
        path_and_query,
        tenant,
        has_body: *method == Method::POST,
    })
}

/// The value to forward, rebuilt from what was checked; `None` when it is not acceptable.
fn canonical_value(key: &str, raw: &str) -> Option<String> {
    match key {
        "$top" => {
            let n: u32 = raw.parse().ok()?;
            (1..=999).contains(&n).then(|| n.to_string())
        }
        "$skiptoken" => (raw.len() <= 2048
            && !raw.is_empty()
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.~%".contains(&b)))
        .then(|| raw.to_string()),
        "$filter" => {
            // Only `customer/tenantId eq '<guid>'`, the filter Cutover sends.
            let decoded = percent_decode(raw)?;
            let id = decoded
                .trim()
                .strip_prefix("customer/tenantId eq '")?
                .strip_suffix('\'')?;
            crate::ids::is_guid(id).then(|| {
                format!(
                    "customer%2FtenantId%20eq%20%27{}%27",
                    id.to_ascii_lowercase()
                )
            })
        }
        _ => None,
    }
}

/// Decodes `%XX` escapes and `+` (as a space); `None` for a broken escape or invalid UTF-8.
fn percent_decode(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

fn customer(segment: &str) -> Option<GraphTenant> {
    crate::ids::is_guid(segment).then(|| GraphTenant::Customer(segment.to_ascii_lowercase()))
}

/// GDAP relationship ids: a GUID, a dash and the customer's tenant GUID (hex and dashes).
fn is_relationship_id(segment: &str) -> bool {
    (36..=80).contains(&segment.len())
        && segment.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    const TENANT: &str = "0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b";
    const REL: &str = "5e5594d3-6f82-458b-b567-77db4811f0cd-0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b";

    #[test]
    fn allows_the_gdap_calls_in_the_partner_tenant() {
        let c = check(
            &Method::GET,
            "v1.0/tenantRelationships/delegatedAdminRelationships",
            Some(&format!(
                "%24filter=customer%2FtenantId%20eq%20%27{TENANT}%27&$top=50"
            )),
        )
        .unwrap();
        assert_eq!(c.tenant, GraphTenant::Partner);
        assert_eq!(
            c.path_and_query,
            format!(
                "/v1.0/tenantRelationships/delegatedAdminRelationships?$filter=customer%2FtenantId%20eq%20%27{TENANT}%27&$top=50"
            )
        );
        let c = check(
            &Method::POST,
            "v1.0/tenantRelationships/delegatedAdminRelationships",
            None,
        )
        .unwrap();
        assert!(c.has_body);
        let c = check(
            &Method::POST,
            &format!("v1.0/tenantRelationships/delegatedAdminRelationships/{REL}/requests"),
            None,
        )
        .unwrap();
        assert_eq!(c.tenant, GraphTenant::Partner);
        assert!(
            check(
                &Method::GET,
                &format!("v1.0/tenantRelationships/delegatedAdminRelationships/{REL}"),
                None
            )
            .is_ok()
        );
    }

    #[test]
    fn allows_subscriptions_and_licences_in_a_named_customer_tenant() {
        let c = check(
            &Method::GET,
            &format!(
                "tenants/{}/v1.0/directory/subscriptions",
                TENANT.to_uppercase()
            ),
            Some("$top=100&$skiptoken=Y3V0b3Zlci1za2lwOjEwMA"),
        )
        .unwrap();
        assert_eq!(c.tenant, GraphTenant::Customer(TENANT.into()));
        assert_eq!(
            c.path_and_query,
            "/v1.0/directory/subscriptions?$top=100&$skiptoken=Y3V0b3Zlci1za2lwOjEwMA"
        );
        let c = check(
            &Method::GET,
            &format!("tenants/{TENANT}/v1.0/subscribedSkus"),
            None,
        )
        .unwrap();
        assert_eq!(c.path_and_query, "/v1.0/subscribedSkus");
        assert!(!c.has_body);
    }

    #[test]
    fn refuses_everything_else() {
        let rel = "v1.0/tenantRelationships/delegatedAdminRelationships";
        for (m, p, q) in [
            (Method::GET, "v1.0/users".to_string(), None),
            (Method::GET, "v1.0/directory/subscriptions".into(), None),
            (Method::GET, format!("tenants/{TENANT}/v1.0/users"), None),
            (
                Method::GET,
                "tenants/contoso.com/v1.0/subscribedSkus".into(),
                None,
            ),
            (
                Method::GET,
                format!("tenants/{TENANT}/v1.0/../v1.0/users"),
                None,
            ),
            (Method::DELETE, format!("{rel}/{REL}"), None),
            (Method::PATCH, format!("{rel}/{REL}"), None),
            (
                Method::POST,
                format!("tenants/{TENANT}/v1.0/subscribedSkus"),
                None,
            ),
            (Method::GET, format!("{rel}/{REL}/accessAssignments"), None),
            (Method::GET, format!("{rel}/not-an-id"), None),
            (
                Method::GET,
                rel.to_string(),
                Some("$filter=status%20eq%20%27active%27"),
            ),
            (
                Method::GET,
                rel.to_string(),
                Some("$filter=customer%2FtenantId%20eq%20%27x%27%20or%201"),
            ),
            (Method::GET, rel.to_string(), Some("$select=id")),
            (Method::GET, rel.to_string(), Some("$top=0")),
            (
                Method::GET,
                format!("tenants/{TENANT}/v1.0/directory/subscriptions"),
                Some("$skiptoken=a#b"),
            ),
            (
                Method::GET,
                format!("tenants/{TENANT}/v1.0/subscribedSkus"),
                Some("$top=5"),
            ),
        ] {
            assert!(check(&m, &p, q).is_err(), "{m} {p} {q:?} must be refused");
        }
    }
}
