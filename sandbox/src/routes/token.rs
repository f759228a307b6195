//! The Microsoft Entra ID token endpoint for both Partner Center auth flows:
//! `POST /{tenant}/oauth2/token` (v1: `resource=…`) and `POST /{tenant}/oauth2/v2.0/token` (`scope=…`).
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use crate::base64url;
use crate::dates::now_unix;
use crate::errors::{entra_error, json_response};
use crate::prng::derive;
use crate::state::{AppState, Audience, IssuedToken, TokenKind, lock};

const PARTNER_CENTER: &str = "https://api.partnercenter.microsoft.com";

pub async fn v1(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    body: Bytes,
) -> Response {
    issue(&state, &tenant, &body, false)
}

pub async fn v2(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    body: Bytes,
) -> Response {
    issue(&state, &tenant, &body, true)
}

fn issue(state: &AppState, tenant: &str, body: &[u8], v2: bool) -> Response {
    state
        .token_requests
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let now = now_unix();
    let fail = |status, error, code, message: &str| entra_error(status, error, code, message, now);
    let Ok(form) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(body) else {
        return fail(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            900_144,
            "The request body must be application/x-www-form-urlencoded.",
        );
    };
    let get = |key: &str| {
        form.iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let missing =
        |p: &str| format!("The request body must contain the following parameter: '{p}'.");
    let Some(grant) = get("grant_type") else {
        return fail(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            900_144,
            &missing("grant_type"),
        );
    };
    let Some(client_id) = get("client_id") else {
        return fail(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            900_144,
            &missing("client_id"),
        );
    };
    if state
        .config
        .client_id
        .as_ref()
        .is_some_and(|expected| *expected != client_id)
    {
        return fail(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            700_016,
            &format!(
                "Application with identifier '{client_id}' was not found in the directory '{tenant}'."
            ),
        );
    }
    let secret = get("client_secret");
    let kind = match grant.as_str() {
        "client_credentials" => TokenKind::App,
        "refresh_token" | "authorization_code" => TokenKind::AppUser,
        other => {
            return fail(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                70_003,
                &format!("The app requested an unsupported grant type '{other}'."),
            );
        }
    };
    // Web apps authenticate on every grant; the secret is required for client credentials.
    match (&secret, &state.config.client_secret) {
        (None, _) if kind == TokenKind::App => {
            return fail(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                7_000_218,
                "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
            );
        }
        (Some(given), Some(expected)) if given != expected => {
            return fail(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                7_000_215,
                "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.",
            );
        }
        _ => {}
    }
    if grant == "refresh_token" {
        let Some(refresh) = get("refresh_token") else {
            return fail(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                900_144,
                &missing("refresh_token"),
            );
        };
        let issued = lock(&state.refresh_tokens).contains(&refresh);
        let configured = state
            .config
            .refresh_token
            .as_ref()
            .is_none_or(|r| *r == refresh);
        if !issued && !configured {
            return fail(
                StatusCode::BAD_REQUEST,
                "invalid_grant",
                70_000,
                "Provided grant is invalid or malformed.",
            );
        }
    }
    if grant == "authorization_code" && get("code").is_none() {
        return fail(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            900_144,
            &missing("code"),
        );
    }
    let resource = if v2 {
        get("scope").unwrap_or_else(|| format!("{PARTNER_CENTER}/.default"))
    } else {
        get("resource").unwrap_or_else(|| "00000002-0000-0000-c000-000000000000".into())
    };
    let ttl = state.config.token_ttl_secs;
    let serial = state.next_serial();
    let seed = state.config.seed;
    let audience = if resource
        .to_ascii_lowercase()
        .contains("graph.microsoft.com")
    {
        Audience::Graph
    } else {
        Audience::PartnerCenter
    };
    let (partner, customer_tenant) = {
        let world = state.read();
        let wanted = tenant.trim().to_ascii_lowercase();
        let customer = world.by_id.contains_key(&wanted).then_some(wanted);
        (world.partner_tenant_id.clone(), customer)
    };
    // A token requested at a customer tenant's authority is issued in that tenant.
    let token_tenant = customer_tenant.clone().unwrap_or_else(|| partner.clone());
    let access_token = access_token(
        seed,
        serial,
        &token_tenant,
        &client_id,
        kind,
        now,
        ttl,
        audience,
    );
    {
        let mut tokens = lock(&state.tokens);
        let instant = Instant::now();
        tokens.retain(|_, t| t.expires > instant);
        tokens.insert(
            access_token.clone(),
            IssuedToken {
                kind,
                expires: instant + Duration::from_secs(ttl),
                audience,
                tenant: customer_tenant,
            },
        );
    }
    let mut body = if v2 {
        json!({
            "token_type": "Bearer",
            "scope": resource,
            "expires_in": ttl,
            "ext_expires_in": ttl,
            "access_token": access_token,
        })
    } else {
        json!({
            "token_type": "Bearer",
            "expires_in": ttl.to_string(),
            "ext_expires_in": ttl.to_string(),
            "expires_on": (now + ttl as i64).to_string(),
            "not_before": now.to_string(),
            "resource": resource,
            "access_token": access_token,
        })
    };
    if kind == TokenKind::AppUser {
        // Each redemption returns a new refresh token; clients must keep the newest.
        let refresh = format!(
            "0.A{}",
            base64url::encode(&bytes(seed, serial, 0x7265_6672, 96))
        );
        lock(&state.refresh_tokens).insert(refresh.clone());
        body["refresh_token"] = json!(refresh);
        body["id_token"] = json!(format!(
            "{}.{}.",
            base64url::encode(br#"{"typ":"JWT","alg":"none"}"#),
            base64url::encode(json!({"aud": client_id, "tid": partner, "upn": "integration@partner.onmicrosoft.com", "amr": ["pwd", "mfa"]}).to_string().as_bytes())
        ));
        if !v2 {
            body["scope"] = json!("user_impersonation");
        }
    }
    json_response(StatusCode::OK, &body)
}

/// A JWT-shaped access token (not signed with a real key; only this sandbox accepts it).
#[allow(clippy::too_many_arguments)]
fn access_token(
    seed: u64,
    serial: u64,
    tenant: &str,
    client_id: &str,
    kind: TokenKind,
    now: i64,
    ttl: u64,
    audience: Audience,
) -> String {
    let header = json!({"typ": "JWT", "alg": "RS256", "kid": "cutover-sandbox"});
    let mut claims = json!({
        "aud": if audience == Audience::Graph { "https://graph.microsoft.com" } else { PARTNER_CENTER },
        "iss": format!("https://sts.windows.net/{tenant}/"),
        "iat": now,
        "nbf": now,
        "exp": now + ttl as i64,
        "appid": client_id,
        "tid": tenant,
        "idtyp": if kind == TokenKind::App { "app" } else { "user" },
        "jti": serial,
    });
    if kind == TokenKind::AppUser {
        claims["amr"] = json!(["pwd", "mfa"]);
        claims["scp"] = json!("user_impersonation");
        claims["upn"] = json!("integration@partner.onmicrosoft.com");
    }
    format!(
        "{}.{}.{}",
        base64url::encode(header.to_string().as_bytes()),
        base64url::encode(claims.to_string().as_bytes()),
        base64url::encode(&bytes(seed, serial, 0x7369_676e, 64))
    )
}

fn bytes(seed: u64, serial: u64, tag: u64, len: usize) -> Vec<u8> {
    (0..len.div_ceil(8))
        .flat_map(|i| derive(seed ^ tag, serial, i as u64).to_le_bytes())
        .take(len)
        .collect()
}
