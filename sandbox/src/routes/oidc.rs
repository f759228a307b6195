//! The emulated identity provider's HTTP side: Entra ID's v2.0 paths under the sandbox tenant,
//! plus `/sandbox/oidc/*` controls. See `crate::oidc` for what each step checks.
use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;

use crate::dates::now_unix;
use crate::errors::{entra_error, json_response};
use crate::oidc::{Authorization, GROUPS, Provider, TENANT, Tamper, USERS, User, user_by_hint};

type Idp = Arc<Provider>;

/// The provider's routes, with their own state.
pub fn router() -> Router {
    let t = TENANT;
    Router::new()
        .route(
            &format!("/{t}/v2.0/.well-known/openid-configuration"),
            get(discovery),
        )
        .route(&format!("/{t}/discovery/v2.0/keys"), get(keys))
        .route(
            &format!("/{t}/oauth2/v2.0/authorize"),
            get(authorize).post(choose),
        )
        .route(&format!("/{t}/oauth2/v2.0/token"), post(token))
        .route(&format!("/{t}/oauth2/v2.0/logout"), get(logged_out))
        .route("/sandbox/oidc/users", get(users))
        .route("/sandbox/oidc/tamper/{how}", post(tamper))
        .with_state(Arc::new(Provider::default()))
}

/// `http://{Host}`: the provider answers on loopback, so its own address is whatever was asked.
fn base(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("127.0.0.1");
    format!("http://{host}")
}

async fn discovery(headers: HeaderMap) -> Response {
    json_response(StatusCode::OK, &crate::oidc::discovery(&base(&headers)))
}

async fn keys(State(idp): State<Idp>, headers: HeaderMap) -> Response {
    json_response(StatusCode::OK, &idp.jwks(&base(&headers)))
}

/// `GET …/authorize`: with a `login_hint` naming a sandbox user, signs them in at once;
/// otherwise a page to pick one.
async fn authorize(
    State(idp): State<Idp>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let auth = match Provider::check_authorize(&params) {
        Ok(a) => a,
        Err(why) => return error_page(&why),
    };
    match params.get("login_hint").and_then(|h| user_by_hint(h)) {
        Some(user) => signed_in(&idp, &auth, user),
        None => pick_page(&params),
    }
}

/// `POST …/authorize` from the pick page: the same parameters and the chosen `user`.
async fn choose(State(idp): State<Idp>, body: Bytes) -> Response {
    let Ok(form) = serde_urlencoded::from_bytes::<HashMap<String, String>>(&body) else {
        return error_page("AADSTS900144: The form could not be read.");
    };
    let auth = match Provider::check_authorize(&form) {
        Ok(a) => a,
        Err(why) => return error_page(&why),
    };
    match form.get("user").and_then(|u| user_by_hint(u)) {
        Some(user) => signed_in(&idp, &auth, user),
        None => pick_page(&form),
    }
}

/// Back to the client with a fresh code and the client's state.
fn signed_in(idp: &Provider, auth: &Authorization, user: &'static User) -> Response {
    let code = idp.issue_code(auth, user);
    let mut query = vec![("code", code.as_str())];
    if let Some(state) = &auth.state {
        query.push(("state", state));
    }
    query.push(("session_state", "00000000-0000-0000-0000-000000000000"));
    let query = serde_urlencoded::to_string(&query).unwrap_or_default();
    let sep = if auth.redirect_uri.contains('?') {
        '&'
    } else {
        '?'
    };
    redirect(&format!("{}{sep}{query}", auth.redirect_uri))
}

fn redirect(location: &str) -> Response {
    let mut resp = StatusCode::FOUND.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

fn escape(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '&' => "&amp;".to_owned(),
            '<' => "&lt;".to_owned(),
            '>' => "&gt;".to_owned(),
            '"' => "&quot;".to_owned(),
            '\'' => "&#39;".to_owned(),
            c => c.to_string(),
        })
        .collect()
}

fn html(status: StatusCode, title: &str, body: &str) -> Response {
    let page = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <style>body{{font-family:sans-serif;max-width:32rem;margin:3rem auto}}\
         button{{display:block;width:100%;margin:.5rem 0;padding:.75rem;text-align:left}}</style>\
         </head><body>{body}</body></html>"
    );
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        page,
    )
        .into_response()
}

fn error_page(why: &str) -> Response {
    html(
        StatusCode::BAD_REQUEST,
        "Sign-in error",
        &format!(
            "<h1>Sorry, but we’re having trouble signing you in.</h1><p id=\"error\">{}</p>",
            escape(why)
        ),
    )
}

/// Pick a user: one button per sandbox user, the request's parameters carried along.
fn pick_page(params: &HashMap<String, String>) -> Response {
    let mut hidden = String::new();
    let mut keys: Vec<&String> = params.keys().filter(|k| *k != "user").collect();
    keys.sort();
    for k in keys {
        hidden.push_str(&format!(
            "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
            escape(k),
            escape(&params[k])
        ));
    }
    let buttons: String = USERS
        .iter()
        .map(|u| {
            let groups: Vec<&str> = u
                .groups
                .iter()
                .filter_map(|g| GROUPS.iter().find(|(id, _)| id == g).map(|(_, n)| *n))
                .collect();
            format!(
                "<button type=\"submit\" name=\"user\" value=\"{}\"><strong>{}</strong> · {} · {}</button>",
                escape(u.username),
                escape(u.name),
                escape(u.username),
                escape(&if groups.is_empty() {
                    "no groups".to_owned()
                } else {
                    groups.join(", ")
                })
            )
        })
        .collect();
    html(
        StatusCode::OK,
        "Pick an account",
        &format!(
            "<h1>Pick an account</h1><p>Cutover sandbox directory: every account signs in without a password.</p>\
             <form method=\"post\">{hidden}{buttons}</form>"
        ),
    )
}

/// `POST …/token`: the `authorization_code` grant.
async fn token(State(idp): State<Idp>, headers: HeaderMap, body: Bytes) -> Response {
    let now = now_unix();
    let Ok(form) = serde_urlencoded::from_bytes::<HashMap<String, String>>(&body) else {
        return entra_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            900_144,
            "The request body must be application/x-www-form-urlencoded.",
            now,
        );
    };
    if form.get("grant_type").map(String::as_str) != Some("authorization_code") {
        return entra_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            70_003,
            "The sandbox sign-in app supports only the authorization_code grant.",
            now,
        );
    }
    match idp.redeem(&form, &base(&headers), now) {
        Ok(answer) => json_response(StatusCode::OK, &answer),
        Err((status, error, code, message)) => entra_error(
            StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
            error,
            code,
            &message,
            now,
        ),
    }
}

async fn logged_out() -> Response {
    html(
        StatusCode::OK,
        "Signed out",
        "<h1>You signed out of your account</h1><p>It’s a good idea to close all browser windows.</p>",
    )
}

/// `GET /sandbox/oidc/users`: who can sign in, and their groups.
async fn users() -> Response {
    let users: Vec<_> = USERS
        .iter()
        .map(|u| json!({"oid": u.oid, "name": u.name, "username": u.username, "groups": u.groups}))
        .collect();
    let groups: Vec<_> = GROUPS
        .iter()
        .map(|(id, name)| json!({"id": id, "name": name}))
        .collect();
    json_response(
        StatusCode::OK,
        &json!({"tenant": TENANT, "users": users, "groups": groups}),
    )
}

/// `POST /sandbox/oidc/tamper/{how}`: spoil the next ID token (`audience`, `issuer`, `expired`,
/// `nonce`, `signature`, `unknown-key`).
async fn tamper(State(idp): State<Idp>, Path(how): Path<String>) -> Response {
    match Tamper::parse(&how) {
        Some(t) => {
            idp.tamper_next(t);
            StatusCode::NO_CONTENT.into_response()
        }
        None => json_response(
            StatusCode::BAD_REQUEST,
            &json!({"error": "use audience, issuer, expired, nonce, signature or unknown-key"}),
        ),
    }
}
