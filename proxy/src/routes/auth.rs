//! `/api/auth/*`: signing in with OpenID Connect (authorization code with PKCE, run here).
//!
//! 1. `GET /api/auth/login?returnTo=/customers/x` keeps a sign-in under way in the store (state,
//!    nonce, PKCE verifier: any instance can finish it), binds it to this browser with a
//!    short-lived cookie holding the state, and sends the browser to the identity provider.
//! 2. `GET /api/auth/callback?code=…&state=…` checks the state against that cookie, takes the
//!    sign-in under way (once: a replayed callback finds nothing), redeems the code with the
//!    client secret and the verifier, validates the ID token, records the person and a session,
//!    and sets the session cookie (HttpOnly, SameSite=Lax, Secure when Cutover is reached over
//!    HTTPS). Any failure sends the browser to `/sign-in?error=<code>` without a session.
//!
//! Signing out is `DELETE /api/session`, which also ends the session in the store.
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use subtle::ConstantTimeEq;

use super::Failure;
use crate::oidc::random_secret;
use crate::store::{PendingSignIn, SIGN_IN_SECS, SignIn};
use crate::{AppState, clock};

/// The session cookie of a sign-in (its value is a random token; the store keeps its hash).
pub const SESSION_COOKIE: &str = "cutover_sid";
/// Binds a sign-in under way to the browser that started it (its value is the state).
const STATE_COOKIE: &str = "cutover_sign_in";
/// Where the app starts signing in.
pub const LOGIN_PATH: &str = "/api/auth/login";
/// Where the identity provider sends the browser back (register this as the redirect URI).
pub const CALLBACK_PATH: &str = "/api/auth/callback";
/// Where failures land: the app's sign-in page, which explains the error code.
const FAILED_PATH: &str = "/sign-in";

/// Whether cookies must be `Secure`: Cutover is reached over HTTPS.
fn secure(state: &AppState, headers: &HeaderMap) -> bool {
    // A client can only make this stricter by sending the header, never weaker.
    state
        .team
        .public_url
        .as_deref()
        .is_some_and(|u| u.starts_with("https://"))
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|p| p.eq_ignore_ascii_case("https"))
}

fn cookie(name: &str, value: &str, path: &str, max_age: u64, secure: bool) -> String {
    format!(
        "{name}={value}; HttpOnly; SameSite=Lax; Path={path}; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    )
}

/// A `Set-Cookie` value that removes the session cookie.
pub fn clear_session_cookie(state: &AppState) -> String {
    let secure = state
        .team
        .public_url
        .as_deref()
        .is_some_and(|u| u.starts_with("https://"));
    cookie(SESSION_COOKIE, "", "/", 0, secure)
}

/// Where Cutover is reached: `CUTOVER_PUBLIC_URL`, else this request's host (loopback setups).
fn base_url(state: &AppState, headers: &HeaderMap) -> Option<String> {
    if let Some(url) = &state.team.public_url {
        return Some(url.clone());
    }
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let plausible = !host.is_empty()
        && host.len() <= 255
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b));
    plausible.then(|| format!("http://{host}"))
}

/// A path inside the app to return to; anything else (another site, `//host`) is `/`.
fn safe_return(path: Option<&str>) -> String {
    match path {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.starts_with("/\\")
                && !p.starts_with("/api/")
                && p.len() <= 512
                && !p.chars().any(|c| c.is_control() || c == '\\') =>
        {
            p.to_owned()
        }
        _ => "/".to_owned(),
    }
}

fn redirect(location: &str, cookies: &[String]) -> Response {
    let mut resp = StatusCode::SEE_OTHER.into_response();
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(location) {
        h.insert(header::LOCATION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(c) {
            h.append(header::SET_COOKIE, v);
        }
    }
    resp
}

fn failed(code: &str, clear_state: String) -> Response {
    redirect(&format!("{FAILED_PATH}?error={code}"), &[clear_state])
}

fn not_configured() -> Response {
    Failure::new(
        StatusCode::NOT_FOUND,
        "sign_in_not_configured",
        "This Cutover does not sign people in with an identity provider (CUTOVER_OIDC_ISSUER is not set).",
    )
    .into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginQuery {
    return_to: Option<String>,
    login_hint: Option<String>,
}

/// `GET /api/auth/login?returnTo=/path&loginHint=name`: off to the identity provider.
pub async fn login(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    query: Result<Query<LoginQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Some(oidc) = &state.oidc else {
        return not_configured();
    };
    let q = query.map(|Query(q)| q).unwrap_or(LoginQuery {
        return_to: None,
        login_hint: None,
    });
    let Some(base) = base_url(&state, &headers) else {
        return Failure::new(
            StatusCode::BAD_REQUEST,
            "no_public_url",
            "Cutover cannot tell its own address; set CUTOVER_PUBLIC_URL.",
        )
        .into_response();
    };
    let secrets = (random_secret(), random_secret(), random_secret());
    let (Ok(sign_in_state), Ok(nonce), Ok(verifier)) = secrets else {
        return Failure::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "no_randomness",
            "The server could not make a secure sign-in just now; try again.",
        )
        .into_response();
    };
    let redirect_uri = format!("{base}{CALLBACK_PATH}");
    let pending = PendingSignIn {
        nonce: nonce.clone(),
        code_verifier: verifier.clone(),
        redirect_uri: redirect_uri.clone(),
        return_to: safe_return(q.return_to.as_deref()),
    };
    let now = clock::unix_now();
    if let Err(e) = state
        .store
        .begin_sign_in(
            &sign_in_state,
            &pending,
            &clock::format_unix(now),
            &clock::format_unix(now + SIGN_IN_SECS),
        )
        .await
    {
        return Failure::from(e).into_response();
    }
    let hint = q
        .login_hint
        .as_deref()
        .map(str::trim)
        .filter(|h| !h.is_empty() && h.len() <= 200);
    let url = oidc.authorize_url(&redirect_uri, &sign_in_state, &nonce, &verifier, hint);
    let state_cookie = cookie(
        STATE_COOKIE,
        &sign_in_state,
        "/api/auth",
        SIGN_IN_SECS,
        secure(&state, &headers),
    );
    let mut resp = redirect(&url, &[state_cookie]);
    *resp.status_mut() = StatusCode::FOUND;
    resp
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

fn state_cookie_value(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|h| h.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(n, _)| *n == STATE_COOKIE)
        .map(|(_, v)| v.trim())
}

/// `GET /api/auth/callback`: back from the identity provider.
pub async fn callback(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    query: Result<Query<CallbackQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Some(oidc) = &state.oidc else {
        return not_configured();
    };
    let secure = secure(&state, &headers);
    let clear_state = cookie(STATE_COOKIE, "", "/api/auth", 0, secure);
    let Ok(Query(q)) = query else {
        return failed("malformed", clear_state);
    };
    if let Some(error) = q.error.as_deref() {
        let error: String = error
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .take(40)
            .collect();
        tracing::warn!(error = %error, "sign-in: the identity provider answered with an error");
        return failed("denied", clear_state);
    }
    let (Some(code), Some(returned_state)) = (q.code.as_deref(), q.state.as_deref()) else {
        return failed("malformed", clear_state);
    };
    // The state must come back to the browser that started the sign-in: someone else's
    // callback URL (login CSRF) carries a state this browser has no cookie for.
    let same_browser = state_cookie_value(&headers).is_some_and(|c| {
        c.len() == returned_state.len() && bool::from(c.as_bytes().ct_eq(returned_state.as_bytes()))
    });
    if !same_browser {
        tracing::warn!("sign-in: refused a callback whose state this browser did not start");
        return failed("state_mismatch", clear_state);
    }
    let pending = match state
        .store
        .take_sign_in(returned_state, &clock::now_utc())
        .await
    {
        Ok(Some(p)) => p,
        Ok(None) => {
            tracing::warn!("sign-in: refused a callback that was used already or expired");
            return failed("used_or_expired", clear_state);
        }
        Err(e) => return Failure::from(e).into_response(),
    };
    let identity = match oidc
        .redeem(
            code,
            &pending.redirect_uri,
            &pending.code_verifier,
            &pending.nonce,
        )
        .await
    {
        Ok(i) => i,
        Err(e) => {
            if let crate::oidc::SignInError::Refused { error, code } = &e {
                tracing::warn!(reason = e.code(), error = %error, provider_code = ?code, "sign-in: refused");
            } else {
                tracing::warn!(reason = e.code(), "sign-in: refused");
            }
            return failed(e.code(), clear_state);
        }
    };
    if identity.groups_overage {
        tracing::warn!(
            "sign-in: the ID token left out the groups (too many); assign groups to the app or use app roles (CUTOVER_OIDC_GROUP_CLAIM=roles)"
        );
    }
    let group_role = oidc
        .config()
        .role_from_groups(identity.groups.iter().map(String::as_str));
    let Ok(token) = random_secret() else {
        return failed("no_randomness", clear_state);
    };
    let now = clock::unix_now();
    let hours = u64::from(state.team.session_hours);
    let who = SignIn {
        subject: identity.subject,
        name: identity.name,
        email: identity.email,
        group_role,
    };
    let person = match state
        .store
        .sign_in(
            &who,
            &token,
            &clock::format_unix(now),
            &clock::format_unix(now + hours * 3600),
        )
        .await
    {
        Ok(p) => p,
        Err(e) => {
            tracing::warn!(error = %e, "sign-in: the person or session could not be saved");
            return failed("not_saved", clear_state);
        }
    };
    let role = super::people::effective_role(oidc.config(), &person).0;
    tracing::info!(person = %person.email, role = role.map_or("none", |r| r.code()), "sign-in: signed in");
    let session = cookie(SESSION_COOKIE, &token, "/", hours * 3600, secure);
    redirect(&pending.return_to, &[clear_state, session])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_inside_the_app_are_returned_to() {
        assert_eq!(
            safe_return(Some("/customers/abc?x=1")),
            "/customers/abc?x=1"
        );
        for bad in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "/api/session",
            "customers",
            "/a\nb",
        ] {
            assert_eq!(safe_return(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_return(None), "/");
    }

    #[test]
    fn cookies_are_http_only_lax_and_secure_only_over_https() {
        let c = cookie(SESSION_COOKIE, "t", "/", 60, false);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && !c.contains("Secure"));
        assert!(cookie(SESSION_COOKIE, "t", "/", 60, true).ends_with("; Secure"));
    }
}
