//! Calls made by the customer status page: only `/api/public/*`, never partner APIs.
//!
//! The status page is its own small bundle, so this module talks to the browser's `fetch`
//! directly instead of through the partner app's HTTP client. `status.html` starts the first
//! request before the page's code has even downloaded; [`status`] picks that answer up.
use cutover_plan::wire::{ApiError, StatusProjection};

use super::read_js::from_js;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, RequestInit, Response};

/// Give up on the server after this long (the same limit as the partner app's calls).
const TIMEOUT_MS: u32 = 60_000;

/// Where `status.html` leaves the request it started early: `{token, answer: Promise<Response>}`.
const EARLY_REQUEST: &str = "__cutoverStatusRequest";

/// Why the status page could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusError {
    /// Unknown, revoked, expired or malformed link: one answer for all of them, on purpose.
    Invalid,
    /// The server could not be reached or had a passing problem; trying again can help.
    Unavailable(ApiError),
}

/// Whether `token` can be a share token at all (so nothing odd is ever put into a URL).
/// `status.html` applies the same rule before its early request.
pub fn plausible(token: &str) -> bool {
    (1..=256).contains(&token.len())
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The share token in a status page path (`/status/{token}`, a trailing slash allowed).
pub fn token_from_path(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("/status/")?;
    let token = rest.strip_suffix('/').unwrap_or(rest);
    plausible(token).then_some(token)
}

fn unreachable() -> StatusError {
    StatusError::Unavailable(ApiError::new(
        "unreachable",
        "Cutover's server could not be reached; try again.",
        true,
    ))
}

/// The status projection behind a share token.
pub async fn status(token: &str) -> Result<StatusProjection, StatusError> {
    if !plausible(token) {
        return Err(StatusError::Invalid);
    }
    let answer = match take_early_request(token) {
        Some(answer) => answer,
        None => fetch(&format!("/api/public/status/{token}"), None)?,
    };
    let resp: Response = JsFuture::from(answer)
        .await
        .ok()
        .and_then(|r| r.dyn_into().ok())
        .ok_or_else(unreachable)?;
    let text = match resp.text() {
        Ok(p) => JsFuture::from(p).await.ok().and_then(|t| t.as_string()),
        Err(_) => None,
    };
    let Some(text) = text else {
        return Err(StatusError::Unavailable(ApiError::new(
            "truncated",
            "The answer was cut off.",
            true,
        )));
    };
    read_answer(resp.status(), &text)
}

/// Turns the HTTP status and body of the projection request into the page's outcome.
pub fn read_answer(status: u16, text: &str) -> Result<StatusProjection, StatusError> {
    if (200..300).contains(&status) {
        let parsed = js_sys::JSON::parse(text).ok();
        return parsed
            .and_then(|v| from_js::<StatusProjection>(v).ok())
            .ok_or_else(|| {
                StatusError::Unavailable(ApiError::new(
                    "malformed",
                    "The answer could not be read.",
                    true,
                ))
            });
    }
    let retryable = js_sys::JSON::parse(text)
        .ok()
        .and_then(|v| js_sys::Reflect::get(&v, &"retryable".into()).ok())
        .and_then(|v| v.as_bool())
        .unwrap_or(status >= 500);
    if retryable {
        Err(StatusError::Unavailable(ApiError::new(
            "http_error",
            format!("Cutover's server answered {status}; try again."),
            true,
        )))
    } else {
        Err(StatusError::Invalid)
    }
}

/// The request `status.html` started for this very token, once (a retry fetches afresh).
fn take_early_request(token: &str) -> Option<js_sys::Promise> {
    let window: JsValue = web_sys::window()?.into();
    let key = JsValue::from_str(EARLY_REQUEST);
    let early = js_sys::Reflect::get(&window, &key).ok()?;
    let _ = js_sys::Reflect::delete_property(window.unchecked_ref::<js_sys::Object>(), &key);
    let same = js_sys::Reflect::get(&early, &JsValue::from_str("token"))
        .ok()?
        .as_string()?
        == token;
    let answer = js_sys::Reflect::get(&early, &JsValue::from_str("answer")).ok()?;
    same.then(|| answer.dyn_into().ok()).flatten()
}

/// `fetch(url)` accepting JSON (a POST of `body` as JSON when given), aborted after
/// [`TIMEOUT_MS`].
fn fetch(url: &str, body: Option<&str>) -> Result<js_sys::Promise, StatusError> {
    let window = web_sys::window().ok_or_else(unreachable)?;
    let ctrl = AbortController::new().map_err(|_| unreachable())?;
    let init = RequestInit::new();
    init.set_signal(Some(&ctrl.signal()));
    let headers = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&headers, &"Accept".into(), &"application/json".into());
    if let Some(body) = body {
        init.set_method("POST");
        init.set_body(&JsValue::from_str(body));
        let _ = js_sys::Reflect::set(&headers, &"Content-Type".into(), &"application/json".into());
    }
    init.set_headers(&headers);
    gloo_timers::callback::Timeout::new(TIMEOUT_MS, move || ctrl.abort()).forget();
    Ok(window.fetch_with_str_and_init(url, &init))
}

/// Why an e-mail subscription was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubscribeError {
    /// The server says the address cannot be one.
    InvalidAddress,
    /// Anything else: the server could not be reached, refused, or had a problem.
    Failed,
}

/// Asks for e-mail updates on the status page behind `token`: a confirmation mail goes to
/// `address` in `lang`. The answer is the same whether or not the address was subscribed.
/// (Raw `fetch` like [`status`], so the status page carries no HTTP client of its own.)
pub async fn subscribe(
    token: &str,
    address: &str,
    lang: cutover_plan::lang::Lang,
) -> Result<(), SubscribeError> {
    if !plausible(token) {
        return Err(SubscribeError::Failed);
    }
    let body = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&body, &"address".into(), &address.trim().into());
    let _ = js_sys::Reflect::set(&body, &"lang".into(), &lang.tag().into());
    let body = js_sys::JSON::stringify(&body)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or(SubscribeError::Failed)?;
    let url = format!("/api/public/status/{token}/subscribe");
    let answer = fetch(&url, Some(&body)).map_err(|_| SubscribeError::Failed)?;
    let resp: Response = JsFuture::from(answer)
        .await
        .ok()
        .and_then(|r| r.dyn_into().ok())
        .ok_or(SubscribeError::Failed)?;
    if resp.ok() {
        return Ok(());
    }
    let text = match resp.text() {
        Ok(p) => JsFuture::from(p).await.ok().and_then(|t| t.as_string()),
        Err(_) => None,
    };
    let code = text
        .and_then(|t| js_sys::JSON::parse(&t).ok())
        .and_then(|v| js_sys::Reflect::get(&v, &"code".into()).ok())
        .and_then(|c| c.as_string());
    Err(subscribe_error(resp.status(), code.as_deref()))
}

/// What a refused subscription means for the form.
fn subscribe_error(status: u16, code: Option<&str>) -> SubscribeError {
    match code {
        Some("invalid_address" | "bad_request") if status == 400 => SubscribeError::InvalidAddress,
        _ => SubscribeError::Failed,
    }
}

/// The Atom feed of step changes for a share token (a relative URL on this origin).
pub fn feed_url(token: &str) -> Option<String> {
    plausible(token).then(|| format!("/api/public/status/{token}/feed.atom"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_refused_address_asks_for_another_address() {
        assert_eq!(
            subscribe_error(400, Some("invalid_address")),
            SubscribeError::InvalidAddress
        );
        assert_eq!(
            subscribe_error(400, Some("bad_request")),
            SubscribeError::InvalidAddress
        );
        assert_eq!(
            subscribe_error(429, Some("rate_limited")),
            SubscribeError::Failed
        );
        assert_eq!(subscribe_error(503, None), SubscribeError::Failed);
        assert_eq!(
            subscribe_error(404, Some("mail_disabled")),
            SubscribeError::Failed
        );
    }

    #[test]
    fn the_token_comes_from_the_path_and_nothing_odd_passes() {
        assert_eq!(token_from_path("/status/abc_DEF-123"), Some("abc_DEF-123"));
        assert_eq!(token_from_path("/status/abc/"), Some("abc"));
        assert_eq!(token_from_path("/status/"), None);
        assert_eq!(token_from_path("/status/a%2Fb"), None);
        assert_eq!(token_from_path("/status/a/b"), None);
        assert_eq!(token_from_path("/customers/abc"), None);
        assert_eq!(
            token_from_path(&format!("/status/{}", "a".repeat(257))),
            None
        );
    }
}
