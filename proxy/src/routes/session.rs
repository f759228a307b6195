//! `/api/session`: partner login with the access key, and the checks in front of partner routes.
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use cutover_plan::roles::Role;
use cutover_plan::wire::{ApiError, SessionRequest, SessionStatus, SignInMode, TeamSession};

use super::{body_rejected, error_response, json_response};
use crate::store::Person;
use crate::{AppState, clock, sessions};

/// Who is making a partner request; recorded as the actor of store writes.
#[derive(Debug, Clone)]
pub struct Actor(pub String);

impl Actor {
    /// The actor of a request that passed [`require_session`].
    pub fn of(req_actor: Option<axum::Extension<Actor>>) -> String {
        req_actor.map_or_else(|| "partner".to_string(), |a| a.0.0)
    }
}

/// What the caller of a partner request may do (set by [`require_session`]; without sign-in
/// everyone is an admin).
#[derive(Debug, Clone, Copy)]
pub struct CallerRole(pub Role);

impl CallerRole {
    /// The role of a request that passed [`require_session`].
    pub fn of(role: Option<axum::Extension<CallerRole>>) -> Role {
        role.map_or(Role::Admin, |r| r.0.0)
    }
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| {
            h.split(';')
                .filter_map(|c| c.trim().split_once('='))
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.trim())
        })
}

fn session_label(state: &AppState, headers: &HeaderMap) -> Option<String> {
    let key = state.access_key.as_deref()?;
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(sessions::cookie_value)?;
    sessions::verify(key, cookie, clock::unix_now())
}

/// The person signed in with OpenID Connect in this browser, if any.
pub(crate) async fn signed_in_person(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<Person>, Response> {
    let Some(token) = cookie(headers, super::auth::SESSION_COOKIE).filter(|t| t.len() <= 128)
    else {
        return Ok(None);
    };
    state
        .store
        .session(token, &clock::now_utc())
        .await
        .map_err(|e| super::Failure::from(e).into_response())
}

/// Partner routes need a session when sign-in or an access key is configured; without either,
/// nothing changes (everyone is an admin on loopback).
pub async fn require_session(
    State(state): State<Arc<AppState>>,
    mut req: Request,
    next: Next,
) -> Response {
    if let Some(oidc) = &state.oidc {
        let person = match signed_in_person(&state, req.headers()).await {
            Ok(p) => p,
            Err(resp) => return resp,
        };
        let Some(person) = person else {
            return error_response(
                StatusCode::UNAUTHORIZED,
                ApiError::new(
                    "login_required",
                    "Sign in to Cutover to see partner data.",
                    false,
                ),
            );
        };
        let Some(role) = super::people::effective_role(oidc.config(), &person).0 else {
            return error_response(
                StatusCode::FORBIDDEN,
                ApiError::new(
                    "no_role",
                    format!(
                        "You are signed in as {}, but you have no role in Cutover yet; ask an admin of Cutover to give you one.",
                        person.email
                    ),
                    false,
                ),
            );
        };
        req.extensions_mut().insert(Actor(person.email));
        req.extensions_mut().insert(CallerRole(role));
        return next.run(req).await;
    }
    if state.access_key.is_none() {
        return next.run(req).await;
    }
    match session_label(&state, req.headers()) {
        Some(label) => {
            req.extensions_mut().insert(Actor(label));
            next.run(req).await
        }
        None => error_response(
            StatusCode::UNAUTHORIZED,
            ApiError::new(
                "login_required",
                "Log in with Cutover's access key to see partner data.",
                false,
            ),
        ),
    }
}

/// Refuses state-changing API calls that a browser marks as coming from another site.
///
/// The session cookie is `SameSite=Strict`, but on loopback without an access key there is no
/// cookie at all, and any web page could otherwise POST to `127.0.0.1`. Browsers send
/// `Sec-Fetch-Site` on such requests; non-browser clients do not send it and pass.
pub async fn same_origin_writes(req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && is_cross_site(req.headers()) {
        return error_response(
            StatusCode::FORBIDDEN,
            ApiError::new(
                "cross_site",
                "Cutover only accepts changes from its own pages.",
                false,
            ),
        );
    }
    next.run(req).await
}

fn is_cross_site(headers: &HeaderMap) -> bool {
    // Only Sec-Fetch-Site, which every current browser sends and no page can forge: comparing
    // Origin with Host would refuse the app itself behind a reverse proxy that rewrites Host.
    headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|site| !matches!(site, "same-origin" | "none"))
}

fn team_session(state: &AppState, role: Option<Role>, name: Option<String>) -> TeamSession {
    TeamSession {
        mode: if state.oidc.is_some() {
            SignInMode::Oidc
        } else if state.access_key.is_some() {
            SignInMode::AccessKey
        } else {
            SignInMode::Open
        },
        role,
        name,
        sign_in_url: state
            .oidc
            .as_ref()
            .map(|_| super::auth::LOGIN_PATH.to_owned()),
        order_approval_seats: state.team.order_approval_seats,
    }
}

/// `GET /api/session`.
pub async fn status(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    if let Some(oidc) = &state.oidc {
        let person = match signed_in_person(&state, &headers).await {
            Ok(p) => p,
            Err(resp) => return resp,
        };
        let role = person
            .as_ref()
            .and_then(|p| super::people::effective_role(oidc.config(), p).0);
        return json_response(
            StatusCode::OK,
            &SessionStatus {
                required: true,
                active: person.is_some(),
                partner_name: state.partner_name.clone(),
                actor: person.as_ref().map(|p| p.email.clone()),
                team: team_session(&state, role, person.map(|p| p.name)),
            },
        );
    }
    let required = state.access_key.is_some();
    let label = session_label(&state, &headers);
    let active = !required || label.is_some();
    let actor = if required {
        label
    } else {
        Some("partner".to_owned())
    };
    json_response(
        StatusCode::OK,
        &SessionStatus {
            required,
            active,
            partner_name: state.partner_name.clone(),
            team: team_session(&state, active.then_some(Role::Admin), None),
            actor,
        },
    )
}

/// `POST /api/session` with `{"accessKey": "...", "label": "Ann"}`.
pub async fn login(
    State(state): State<Arc<AppState>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(b) => b,
        Err(r) => return body_rejected(r),
    };
    let request: SessionRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(_) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                ApiError::new(
                    "bad_request",
                    "Send the access key as {\"accessKey\": \"...\"}.",
                    false,
                ),
            );
        }
    };
    if state.oidc.is_some() {
        return error_response(
            StatusCode::BAD_REQUEST,
            ApiError::new(
                "sign_in_required",
                "This Cutover signs people in with their organization's account, not an access key; use Sign in.",
                false,
            ),
        );
    }
    let Some(key) = state.access_key.as_deref() else {
        return json_response(
            StatusCode::OK,
            &SessionStatus {
                required: false,
                active: true,
                partner_name: state.partner_name.clone(),
                actor: Some("partner".to_owned()),
                team: team_session(&state, Some(Role::Admin), None),
            },
        );
    };
    if !sessions::access_key_matches(key, &request.access_key) {
        // Slows down guessing; the key is long enough that this is not the real protection.
        tokio::time::sleep(Duration::from_millis(300)).await;
        return error_response(
            StatusCode::UNAUTHORIZED,
            ApiError::new(
                "wrong_access_key",
                "That access key is not right; check it with whoever runs Cutover and try again.",
                false,
            ),
        );
    }
    let label = sessions::clean_label(request.label.as_deref());
    let value = sessions::issue(key, &label, clock::unix_now());
    let cookie = format!(
        "{}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}",
        sessions::COOKIE_NAME,
        sessions::SESSION_SECS
    );
    let mut resp = json_response(
        StatusCode::OK,
        &SessionStatus {
            required: true,
            active: true,
            partner_name: state.partner_name.clone(),
            actor: Some(label.to_string()),
            team: team_session(&state, Some(Role::Admin), None),
        },
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        resp.headers_mut().insert(header::SET_COOKIE, v);
    }
    resp
}

/// `DELETE /api/session`: forgets the cookie in this browser, and ends a sign-in's session in the
/// store (so the cookie stops working everywhere, even if it was copied).
pub async fn logout(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    if let Some(token) = cookie(&headers, super::auth::SESSION_COOKIE).filter(|t| t.len() <= 128)
        && let Err(e) = state.store.end_session(token).await
    {
        return super::Failure::from(e).into_response();
    }
    let cookie = format!(
        "{}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0",
        sessions::COOKIE_NAME
    );
    let mut resp = (
        StatusCode::NO_CONTENT,
        [
            (header::SET_COOKIE, cookie),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
    )
        .into_response();
    if state.oidc.is_some()
        && let Ok(v) = HeaderValue::from_str(&super::auth::clear_session_cookie(&state))
    {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    resp
}
