//! Roles on every route: the table of which role each partner route needs, the layer that
//! enforces it (403 with a sentence), and the one rule inside a route (a record write that
//! places or alters an order needs an orderer, even though saving a plan needs only an editor).
//!
//! The README's route table is checked against [`ROUTES`] by a test, so they cannot drift apart.
use std::sync::Arc;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use cutover_plan::record::MigrationRecord;
use cutover_plan::roles::{Role, changes_orders};
use cutover_plan::wire::ApiError;

use super::session::{Actor, CallerRole};
use super::{Failure, error_response};
use crate::AppState;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not (the app's files, sign-in, customers' status pages, health).
    Public,
    /// Signed in with at least this role.
    Role(Role),
}

/// One route: method (`*` for any), path as the router names it, who may call it, what it is.
#[derive(Debug, Clone, Copy)]
pub struct RouteRule {
    /// `GET`, `PUT`, … or `*`.
    pub method: &'static str,
    /// The route's path template.
    pub path: &'static str,
    /// Who may call it.
    pub access: Access,
    /// What it does, for the README.
    pub what: &'static str,
}

const fn rule(
    method: &'static str,
    path: &'static str,
    access: Access,
    what: &'static str,
) -> RouteRule {
    RouteRule {
        method,
        path,
        access,
        what,
    }
}

use Access::{Public, Role as R};

/// Every route the proxy serves, and who may call it. Partner routes not listed here need an
/// admin (a route added without a rule fails closed).
pub const ROUTES: &[RouteRule] = &[
    rule(
        "GET",
        "/api/store/records",
        R(Role::Viewer),
        "list migration records",
    ),
    rule(
        "GET",
        "/api/store/records/{key}",
        R(Role::Viewer),
        "read one record",
    ),
    rule(
        "PUT",
        "/api/store/records/{key}",
        R(Role::Editor),
        "save a record (placing or changing an order in it: orderer)",
    ),
    rule(
        "POST",
        "/api/store/records/{key}/rekey",
        R(Role::Editor),
        "move a prospect's record to its Partner Center id",
    ),
    rule(
        "GET",
        "/api/store/records/{key}/changes",
        R(Role::Viewer),
        "a record's change log",
    ),
    rule(
        "GET",
        "/api/store/records/{key}/history",
        R(Role::Viewer),
        "a record's history, field by field",
    ),
    rule(
        "GET",
        "/api/store/records/{key}/links",
        R(Role::Viewer),
        "list share links",
    ),
    rule(
        "POST",
        "/api/store/records/{key}/links",
        R(Role::Editor),
        "make a share link",
    ),
    rule(
        "DELETE",
        "/api/store/records/{key}/links/{id}",
        R(Role::Editor),
        "revoke a share link",
    ),
    rule(
        "POST",
        "/api/store/import",
        R(Role::Editor),
        "import records (with orders in them: orderer)",
    ),
    rule(
        "GET",
        "/api/store/settings",
        R(Role::Viewer),
        "read the settings",
    ),
    rule(
        "PUT",
        "/api/store/settings",
        R(Role::Admin),
        "save the settings",
    ),
    rule(
        "*",
        "/api/store/{*rest}",
        R(Role::Viewer),
        "anything else under /api/store (404)",
    ),
    rule(
        "GET",
        "/api/pc/{*path}",
        R(Role::Viewer),
        "read from Partner Center (customers, subscriptions, orders, transfers …)",
    ),
    rule(
        "POST",
        "/api/pc/{*path}",
        R(Role::Orderer),
        "place orders, request transfers, accept agreements",
    ),
    rule(
        "PATCH",
        "/api/pc/{*path}",
        R(Role::Orderer),
        "change a CSP subscription",
    ),
    rule(
        "*",
        "/api/pc/{*path}",
        R(Role::Orderer),
        "any other Partner Center call (refused by the allow-list)",
    ),
    rule(
        "GET",
        "/api/graph/{*path}",
        R(Role::Viewer),
        "read admin relationships and customer tenants",
    ),
    rule(
        "POST",
        "/api/graph/{*path}",
        R(Role::Editor),
        "request admin access (GDAP)",
    ),
    rule(
        "*",
        "/api/graph/{*path}",
        R(Role::Editor),
        "any other Graph call (refused by the allow-list)",
    ),
    rule(
        "GET",
        "/api/store/records/{key}/subscribers",
        R(Role::Viewer),
        "a status page's e-mail subscribers",
    ),
    rule(
        "DELETE",
        "/api/store/records/{key}/subscribers/{id}",
        R(Role::Editor),
        "remove an e-mail subscriber",
    ),
    rule(
        "GET",
        "/api/store/calendar-links",
        R(Role::Viewer),
        "subscribed calendar addresses",
    ),
    rule(
        "POST",
        "/api/store/calendar-links",
        R(Role::Editor),
        "make a subscribed calendar address",
    ),
    rule(
        "DELETE",
        "/api/store/calendar-links/{id}",
        R(Role::Editor),
        "revoke a subscribed calendar address",
    ),
    rule(
        "GET",
        "/api/activity",
        R(Role::Viewer),
        "activity across the portfolio",
    ),
    rule(
        "GET",
        "/api/people",
        R(Role::Admin),
        "people who signed in and their roles",
    ),
    rule(
        "PUT",
        "/api/people/{subject}",
        R(Role::Admin),
        "give or take a role",
    ),
    rule(
        "GET",
        "/api/approvals",
        R(Role::Viewer),
        "large orders and their approvals",
    ),
    rule(
        "POST",
        "/api/approvals",
        R(Role::Orderer),
        "ask for a second person's approval of an order",
    ),
    rule(
        "POST",
        "/api/approvals/{id}/approve",
        R(Role::Orderer),
        "approve someone else's order",
    ),
    rule(
        "*",
        "/api/session",
        Public,
        "who is signed in (GET), access-key login (POST), sign out (DELETE)",
    ),
    rule(
        "GET",
        "/api/auth/login",
        Public,
        "start signing in with the identity provider",
    ),
    rule(
        "GET",
        "/api/auth/callback",
        Public,
        "back from the identity provider",
    ),
    rule(
        "GET",
        "/api/public/status/{token}",
        Public,
        "a customer's status page data (token)",
    ),
    rule(
        "GET",
        "/api/public/status/{token}/feed.atom",
        Public,
        "a customer's status feed (token)",
    ),
    rule(
        "POST",
        "/api/public/status/{token}/subscribe",
        Public,
        "ask for e-mail updates (token; rate-limited)",
    ),
    rule(
        "*",
        "/api/public/mail/confirm/{token}",
        Public,
        "confirm an e-mail subscription (GET shows, POST confirms)",
    ),
    rule(
        "*",
        "/api/public/mail/unsubscribe/{token}",
        Public,
        "unsubscribe (GET shows, POST is the one-click unsubscribe)",
    ),
    rule(
        "GET",
        "/api/public/calendar/{file}",
        Public,
        "a subscribed calendar (secret address)",
    ),
    rule("GET", "/healthz", Public, "liveness"),
    rule("GET", "/readyz", Public, "readiness"),
    rule("GET", "/metrics", Public, "Prometheus metrics"),
    rule(
        "GET",
        "/*",
        Public,
        "the app's files (and index.html for the app's own routes)",
    ),
];

/// Who may call `method` on the route `path` (a path template, as matched).
#[must_use]
pub fn access(method: &Method, path: &str) -> Access {
    let method = if *method == Method::HEAD {
        "GET"
    } else {
        method.as_str()
    };
    let exact = ROUTES.iter().find(|r| r.path == path && r.method == method);
    let any = ROUTES.iter().find(|r| r.path == path && r.method == "*");
    exact
        .or(any)
        .map_or(Access::Role(Role::Admin), |r| r.access)
}

fn need_sentence(required: Role) -> &'static str {
    match required {
        Role::Viewer => "Reading partner data needs the viewer role",
        Role::Editor => "Changing plans, importing and sharing need the editor role",
        Role::Orderer => "Placing or changing orders and transfers needs the orderer role",
        Role::Admin => "Managing people and settings needs the admin role",
    }
}

/// The 403 for someone whose role is below `required`.
#[must_use]
pub fn forbidden(required: Role, role: Role, actor: &str) -> Response {
    error_response(
        StatusCode::FORBIDDEN,
        ApiError::new(
            "forbidden_role",
            format!(
                "{}; {actor} has the {role} role. Ask an admin of Cutover if you need it.",
                need_sentence(required)
            ),
            false,
        ),
    )
}

/// The role layer on partner routes (inside the session layer, which sets the caller's role).
pub async fn enforce(State(_state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let path = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned())
        .unwrap_or_default();
    let required = match access(req.method(), &path) {
        Access::Public => return next.run(req).await,
        Access::Role(r) => r,
    };
    if !ROUTES.iter().any(|r| r.path == path) {
        tracing::error!(route = %path, "a partner route has no role rule; only admins may call it");
    }
    let role = req
        .extensions()
        .get::<CallerRole>()
        .map_or(Role::Admin, |r| r.0);
    if role.includes(required) {
        return next.run(req).await;
    }
    let actor = req
        .extensions()
        .get::<Actor>()
        .map_or_else(|| "you".to_owned(), |a| a.0.clone());
    forbidden(required, role, &actor)
}

/// Refuses an editor's write that places, removes or alters an order in a record (`stored` is
/// the version the write replaces).
pub fn check_record_write(
    role: Role,
    actor: &str,
    stored: Option<&MigrationRecord>,
    new: &MigrationRecord,
) -> Result<(), Failure> {
    if role.includes(Role::Orderer) || !changes_orders(stored, new) {
        return Ok(());
    }
    Err(Failure::from(forbidden(Role::Orderer, role, actor)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_method_of_a_route_resolves_and_unknown_routes_need_an_admin() {
        assert_eq!(
            access(&Method::GET, "/api/store/records/{key}"),
            Access::Role(Role::Viewer)
        );
        assert_eq!(
            access(&Method::HEAD, "/api/store/records/{key}"),
            Access::Role(Role::Viewer)
        );
        assert_eq!(
            access(&Method::PUT, "/api/store/records/{key}"),
            Access::Role(Role::Editor)
        );
        assert_eq!(
            access(&Method::POST, "/api/pc/{*path}"),
            Access::Role(Role::Orderer)
        );
        assert_eq!(
            access(&Method::DELETE, "/api/pc/{*path}"),
            Access::Role(Role::Orderer)
        );
        assert_eq!(access(&Method::DELETE, "/api/session"), Access::Public);
        assert_eq!(
            access(&Method::GET, "/api/something-new"),
            Access::Role(Role::Admin)
        );
    }

    #[test]
    fn the_readme_lists_every_route_with_its_role() {
        let readme = include_str!("../../../README.md");
        for r in ROUTES {
            let who = match r.access {
                Access::Public => "public".to_owned(),
                Access::Role(role) => role.code().to_owned(),
            };
            let row = format!("| `{}` | `{}` | {who} |", r.method, r.path);
            assert!(readme.contains(&row), "README lacks the row {row}");
        }
    }
}
