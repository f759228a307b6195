//! Bearer-token checks on Partner Center routes.
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::errors::{PcError, unauthorized};
use crate::state::{AppState, Audience, GraphCaller, TokenKind, lock};

/// Lets the request through when it carries a live token the sandbox issued; the token's kind is
/// added to the request's extensions for routes that need App+User.
pub async fn require_token(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let partner = state.read().partner_tenant_id.clone();
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim().to_string());
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return unauthorized(
            &partner,
            "The request has no Authorization header with a Bearer token.",
        );
    };
    let issued = lock(&state.tokens).get(&token).cloned();
    match issued {
        None => unauthorized(&partner, "The access token is not valid."),
        Some(t) if t.expires <= Instant::now() => {
            unauthorized(&partner, "The access token has expired.")
        }
        Some(t) if t.audience != Audience::PartnerCenter => unauthorized(
            &partner,
            "The access token was issued for another API (its audience is not Partner Center).",
        ),
        Some(t) => {
            request.extensions_mut().insert(t.kind);
            next.run(request).await
        }
    }
}

/// Refuses app-only tokens on the operations the documentation marks "App+User only".
pub fn require_app_user(kind: Option<TokenKind>) -> Result<(), PcError> {
    match kind {
        Some(TokenKind::AppUser) => Ok(()),
        _ => Err(PcError::new(
            StatusCode::FORBIDDEN,
            "403",
            "This operation supports App+User authentication only; app-only tokens are not allowed.",
        )),
    }
}

/// Bearer-token check on Microsoft Graph routes: the token must be a live Graph token; the
/// caller (token kind and tenant) is added to the request's extensions.
pub async fn require_graph_token(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim().to_string())
        .filter(|t| !t.is_empty());
    let fail = |message: &str| {
        crate::errors::graph_error(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            message,
        )
    };
    let Some(token) = token else {
        return fail("Access token is empty.");
    };
    let issued = lock(&state.tokens).get(&token).cloned();
    match issued {
        None => fail("Access token validation failure. Invalid audience."),
        Some(t) if t.expires <= Instant::now() => {
            fail("Lifetime validation failed, the token is expired.")
        }
        Some(t) if t.audience != Audience::Graph => {
            fail("Access token validation failure. Invalid audience.")
        }
        Some(t) => {
            request.extensions_mut().insert(GraphCaller {
                kind: t.kind,
                tenant: t.tenant,
            });
            next.run(request).await
        }
    }
}
