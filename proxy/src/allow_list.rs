//! The Partner Center calls the app may make through the proxy. Nothing else is forwarded.
use axum::http::Method;

/// Which credentials a call needs (Partner Center documents each operation's auth).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// App-only token (client credentials).
    App,
    /// App+User token (refresh token of a partner user).
    AppUser,
}

/// One allowed operation: method, path pattern (`{id}` = one id segment) and allowed query keys.
struct Rule {
    method: Method,
    pattern: &'static str,
    query: &'static [&'static str],
    auth: Auth,
}

const RULES: &[Rule] = &[
    Rule {
        method: Method::GET,
        pattern: "v1/customers",
        query: &["size", "seekOperation", "filter"],
        auth: Auth::App,
    },
    Rule {
        method: Method::GET,
        pattern: "v1/customers/relationshiprequests",
        query: &[],
        auth: Auth::AppUser,
    },
    Rule {
        method: Method::GET,
        pattern: "v1/customers/{id}",
        query: &[],
        auth: Auth::App,
    },
    Rule {
        method: Method::GET,
        pattern: "v1/customers/{id}/subscriptions",
        query: &[],
        auth: Auth::App,
    },
    Rule {
        method: Method::GET,
        pattern: "v1/customers/{id}/subscribedskus",
        query: &[],
        auth: Auth::AppUser,
    },
    Rule {
        method: Method::POST,
        pattern: "v1/customers/{id}/orders",
        query: &[],
        auth: Auth::App,
    },
    Rule {
        method: Method::GET,
        pattern: "v1/customers/{id}/orders/{id}",
        query: &[],
        auth: Auth::App,
    },
    Rule {
        method: Method::GET,
        pattern: "v1/customers/{id}/orders/{id}/provisioningstatus",
        query: &[],
        auth: Auth::AppUser,
    },
    Rule {
        method: Method::GET,
        pattern: "v1/customers/{id}/subscriptions/customTermEndDates",
        query: &["term_duration"],
        auth: Auth::App,
    },
    Rule {
        method: Method::POST,
        pattern: "v1/customers/{id}/transfers",
        query: &[],
        auth: Auth::AppUser,
    },
    Rule {
        method: Method::GET,
        pattern: "v1/customers/{id}/transfers",
        query: &[],
        auth: Auth::AppUser,
    },
    Rule {
        method: Method::GET,
        pattern: "v1/customers/{id}/transfers/{id}",
        query: &[],
        auth: Auth::AppUser,
    },
    Rule {
        method: Method::GET,
        pattern: "v1/customers/{id}/agreements",
        query: &["agreementType"],
        auth: Auth::App,
    },
    Rule {
        method: Method::POST,
        pattern: "v1/customers/{id}/agreements",
        query: &["agreementType"],
        auth: Auth::AppUser,
    },
    Rule {
        method: Method::PATCH,
        pattern: "v1/customers/{id}/subscriptions/{id}",
        query: &[],
        auth: Auth::App,
    },
];

/// A call that passed the allow-list, rebuilt from checked parts only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowedCall {
    /// Path relative to the Partner Center base, with a leading slash.
    pub path_and_query: String,
    /// Credentials the call needs.
    pub auth: Auth,
    /// Whether the call has a JSON body to forward.
    pub has_body: bool,
}

/// Checks `method` + `path` (after `/api/pc/`) + raw query against the allow-list.
///
/// The forwarded URL is rebuilt from the pattern's literal segments, validated id segments and
/// the allowed query keys, so nothing the browser sends can change the host or escape the path.
pub fn check(method: &Method, path: &str, query: Option<&str>) -> Result<AllowedCall, String> {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let rule = RULES
        .iter()
        .filter(|r| r.method == *method)
        .find(|r| matches(r.pattern, &segments))
        .ok_or_else(|| {
            format!(
                "{method} /{} is not a Partner Center call Cutover makes.",
                path.trim_start_matches('/')
            )
        })?;
    let mut kept = Vec::new();
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let key = pair.split('=').next().unwrap_or("");
        if !rule.query.contains(&key) {
            return Err(format!(
                "The query parameter {key:?} is not allowed on this call."
            ));
        }
        if pair.len() > 512 || !pair.bytes().all(|b| b.is_ascii_graphic() && b != b'#') {
            return Err(format!("The query parameter {key:?} has an invalid value."));
        }
        kept.push(pair);
    }
    let mut path_and_query = format!("/{}", segments.join("/"));
    if !kept.is_empty() {
        path_and_query.push('?');
        path_and_query.push_str(&kept.join("&"));
    }
    Ok(AllowedCall {
        path_and_query,
        auth: rule.auth,
        has_body: *method == Method::POST || *method == Method::PATCH,
    })
}

fn matches(pattern: &str, segments: &[&str]) -> bool {
    let parts: Vec<&str> = pattern.split('/').collect();
    parts.len() == segments.len()
        && parts
            .iter()
            .zip(segments)
            .all(|(p, s)| if *p == "{id}" { is_id(s) } else { p == s })
}

/// Partner Center ids are GUIDs or short alphanumeric ids: letters, digits and dashes only.
fn is_id(segment: &str) -> bool {
    (1..=64).contains(&segment.len())
        && segment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_the_documented_calls() {
        let c = check(
            &Method::GET,
            "v1/customers",
            Some("size=100&seekOperation=Next"),
        )
        .unwrap();
        assert_eq!(
            c.path_and_query,
            "/v1/customers?size=100&seekOperation=Next"
        );
        assert_eq!(c.auth, Auth::App);
        let c = check(&Method::GET, "v1/customers/relationshiprequests", None).unwrap();
        assert_eq!(c.auth, Auth::AppUser);
        let c = check(
            &Method::PATCH,
            "v1/customers/abc-1/subscriptions/def-2",
            None,
        )
        .unwrap();
        assert!(c.has_body);
        assert!(check(&Method::POST, "v1/customers/abc/orders", None).is_ok());
        let c = check(&Method::GET, "v1/customers/abc/orders/0a1b2c3d4e5f", None).unwrap();
        assert_eq!(c.path_and_query, "/v1/customers/abc/orders/0a1b2c3d4e5f");
        let c = check(
            &Method::GET,
            "v1/customers/abc/orders/0a1b2c3d4e5f/provisioningstatus",
            None,
        )
        .unwrap();
        assert_eq!(c.auth, Auth::AppUser);
        let c = check(
            &Method::GET,
            "v1/customers/abc/subscriptions/customTermEndDates",
            Some("term_duration=P1Y"),
        )
        .unwrap();
        assert_eq!(
            c.path_and_query,
            "/v1/customers/abc/subscriptions/customTermEndDates?term_duration=P1Y"
        );
        assert!(check(&Method::POST, "v1/customers/abc/transfers", None).is_ok());
        assert!(check(&Method::GET, "v1/customers/abc/transfers/t-1", None).is_ok());
        let c = check(
            &Method::GET,
            "v1/customers/abc/agreements",
            Some("agreementType=MicrosoftCustomerAgreement"),
        )
        .unwrap();
        assert_eq!(c.auth, Auth::App);
        let c = check(&Method::POST, "v1/customers/abc/agreements", None).unwrap();
        assert_eq!(c.auth, Auth::AppUser);
    }

    #[test]
    fn refuses_everything_else() {
        for (m, p, q) in [
            (Method::DELETE, "v1/customers/abc", None),
            (Method::PATCH, "v1/customers/abc", None),
            (Method::GET, "v1/customers/../../admin", None),
            (Method::GET, "v1/customers/%2e%2e", None),
            (Method::GET, "v1/invoices", None),
            (Method::GET, "v1/customers/abc/users", None),
            (Method::GET, "//evil.example/v1/customers", None),
            (Method::GET, "v1/customers", Some("size=1&host=evil")),
            (Method::GET, "v1/customers", Some("size=1%20#x")),
            (Method::POST, "v1/customers", None),
            (Method::DELETE, "v1/customers/abc/orders/0a1b", None),
            (Method::GET, "v1/customers/abc/orders", None),
            (Method::GET, "v1/customers/abc/orders/0a1b/lineitems", None),
            (Method::PATCH, "v1/customers/abc/transfers/t-1", None),
            (Method::DELETE, "v1/customers/abc/agreements", None),
            (
                Method::GET,
                "v1/customers/abc/subscriptions/customTermEndDates",
                Some("term_duration=P1Y&targetCotermSubscriptionId=x"),
            ),
        ] {
            assert!(check(&m, p, q).is_err(), "{m} {p} {q:?} must be refused");
        }
    }
}
