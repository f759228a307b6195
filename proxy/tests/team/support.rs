//! Signing in through the sandbox's identity provider, as a browser would, for the team tests.
#![allow(dead_code)]

use std::collections::HashMap;

use cutover_proxy::config::Config;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};

use crate::common::{self, Proxy, small_sandbox};

/// The sandbox users by role (see `cutover_sandbox::oidc::USERS`).
pub const VIEWER: &str = "viewer@partner.example";
pub const EDITOR: &str = "editor@partner.example";
pub const ORDERER: &str = "orderer@partner.example";
pub const ADMIN: &str = "admin@partner.example";
pub const ORDERER2: &str = "orderer2@partner.example";
pub const NEWCOMER: &str = "newcomer@partner.example";

/// Team settings from variables, as the proxy reads them (the sandbox issuer by default).
pub fn team(vars: &[(&str, &str)]) -> cutover_proxy::team_config::TeamConfig {
    let mut map: HashMap<String, String> = [("CUTOVER_OIDC_ISSUER", "sandbox")]
        .into_iter()
        .chain(vars.iter().copied())
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    map.retain(|_, v| !v.is_empty());
    let get = |k: &str| map.get(k).map(String::as_str);
    cutover_proxy::team_config::from_vars(&get, true).unwrap()
}

/// A proxy that signs people in with the sandbox's identity provider.
pub async fn start(vars: &[(&str, &str)]) -> Proxy {
    start_with(vars, |_| {}).await
}

pub async fn start_with(vars: &[(&str, &str)], adjust: impl FnOnce(&mut Config)) -> Proxy {
    let t = team(vars);
    common::start_with(small_sandbox(), move |c| {
        c.team = t;
        adjust(c);
    })
    .await
}

/// An HTTP client that follows no redirects and keeps no cookies: every step is explicit.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// `name=value` of the `Set-Cookie` for `name`, if the answer sets it.
pub fn set_cookie(resp: &reqwest::Response, name: &str) -> Option<String> {
    resp.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(&format!("{name}=")))
        .map(str::to_owned)
}

/// Just the `name=value` part.
pub fn pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap_or("").to_owned()
}

pub fn location(resp: &reqwest::Response) -> String {
    resp.headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

/// What one sign-in went through.
#[derive(Debug, Clone)]
pub struct Flow {
    /// `cutover_sign_in=…` binding the sign-in to this browser.
    pub state_cookie: String,
    /// The identity provider's authorize URL the proxy sent the browser to.
    pub authorize_url: String,
    /// The callback URL the identity provider sent the browser back to (code and state).
    pub callback_url: String,
}

/// Steps 1 and 2: the proxy's login, then the sandbox's authorize with a login hint.
pub async fn start_sign_in(p: &Proxy, hint: &str) -> Flow {
    let b = browser();
    let resp = b
        .get(p.url(&format!(
            "/api/auth/login?loginHint={hint}&returnTo=/activity"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.status(),
        302,
        "login sends the browser to the provider"
    );
    let state_cookie = pair(&set_cookie(&resp, "cutover_sign_in").expect("state cookie"));
    let authorize_url = location(&resp);
    let resp = b.get(&authorize_url).send().await.unwrap();
    assert_eq!(
        resp.status(),
        302,
        "{}",
        resp.text().await.unwrap_or_default()
    );
    Flow {
        state_cookie,
        authorize_url,
        callback_url: location(&resp),
    }
}

/// Step 3: back at the proxy with the state cookie; the answer (a redirect).
pub async fn finish_sign_in(flow: &Flow) -> reqwest::Response {
    browser()
        .get(&flow.callback_url)
        .header(COOKIE, &flow.state_cookie)
        .send()
        .await
        .unwrap()
}

/// Signs `hint` in; returns the session cookie (`cutover_sid=…`).
pub async fn sign_in(p: &Proxy, hint: &str) -> String {
    let flow = start_sign_in(p, hint).await;
    let resp = finish_sign_in(&flow).await;
    assert_eq!(resp.status(), 303, "{}", location(&resp));
    assert_eq!(location(&resp), "/activity");
    pair(&set_cookie(&resp, "cutover_sid").expect("a session cookie"))
}

/// The `?error=` a failed sign-in landed on.
pub fn failure(resp: &reqwest::Response) -> String {
    let to = location(resp);
    to.strip_prefix("/sign-in?error=")
        .unwrap_or_else(|| panic!("expected the sign-in page, got {to}"))
        .to_owned()
}
