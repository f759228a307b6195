//! Share links of one migration record (partner side): create, list, revoke.
use cutover_plan::wire::{ApiError, CreateShareLink, CreatedShareLink, ShareLinkList};
use gloo_net::http::{Request, RequestBuilder, Response};
use gloo_timers::callback::Timeout;
use serde::de::DeserializeOwned;

use super::send;

fn links_url(key: &str) -> String {
    format!(
        "/api/store/records/{}/links",
        String::from(js_sys::encode_uri_component(key))
    )
}

fn unreadable() -> ApiError {
    ApiError::new(
        "malformed",
        "Cutover's server sent an answer that could not be read; try again.",
        true,
    )
}

async fn json<T: DeserializeOwned>(resp: Response) -> Result<T, ApiError> {
    let text = resp.text().await.map_err(|_| unreadable())?;
    serde_json::from_str(&text).map_err(|_| unreadable())
}

/// Every share link of the record `key`, newest first.
pub async fn list(key: &str) -> Result<ShareLinkList, ApiError> {
    json(send(Request::get(&links_url(key))).await?).await
}

/// Makes a new link; `expires_at` is RFC 3339 (UTC). The answer holds the token, shown only now.
pub async fn create(key: &str, expires_at: Option<String>) -> Result<CreatedShareLink, ApiError> {
    let req = Request::post(&links_url(key));
    json(send_json(req, &CreateShareLink { expires_at }).await?).await
}

/// Revokes the link `id` of the record `key`; its token stops working at once.
pub async fn revoke(key: &str, id: &str) -> Result<(), ApiError> {
    let url = format!(
        "{}/{}",
        links_url(key),
        String::from(js_sys::encode_uri_component(id))
    );
    send(Request::delete(&url)).await.map(|_| ())
}

/// The full address of the status page for `token`, on this app's origin.
pub fn status_page_url(token: &str) -> String {
    let origin = leptos::prelude::window()
        .location()
        .origin()
        .unwrap_or_default();
    format!("{origin}/status/{token}")
}

/// [`send`] for a request with a JSON body (gloo-net builds the request when the body is set).
async fn send_json(
    req: RequestBuilder,
    body: &impl serde::Serialize,
) -> Result<Response, ApiError> {
    let unreachable = || {
        ApiError::new(
            "unreachable",
            "Cutover's server could not be reached; check that it is running and try again.",
            true,
        )
    };
    let body = serde_json::to_string(body)
        .map_err(|_| ApiError::new("encode", "The request could not be built.", false))?;
    let ctrl = web_sys::AbortController::new().map_err(|_| unreachable())?;
    let signal = ctrl.signal();
    let timer = Timeout::new(30_000, move || ctrl.abort());
    let resp = req
        .abort_signal(Some(&signal))
        .header("Content-Type", "application/json")
        .body(body)
        .map_err(|_| ApiError::new("encode", "The request could not be built.", false))?
        .send()
        .await;
    drop(timer);
    let resp = resp.map_err(|_| unreachable())?;
    if resp.ok() {
        return Ok(resp);
    }
    let status = resp.status();
    let text = resp.text().await.unwrap_or_default();
    Err(serde_json::from_str::<ApiError>(&text).unwrap_or_else(|_| {
        ApiError::new(
            "http_error",
            format!("Cutover's server answered {status}; try again."),
            status >= 500,
        )
    }))
}
