//! Share links of one migration record (partner side): create, list, revoke.
use cutover_plan::wire::{ApiError, CreateShareLink, CreatedShareLink, ShareLinkList};
use gloo_net::http::Request;

use super::{json_of, send, send_json};

fn links_url(key: &str) -> String {
    format!(
        "/api/store/records/{}/links",
        String::from(js_sys::encode_uri_component(key))
    )
}

/// Every share link of the record `key`, newest first.
pub async fn list(key: &str) -> Result<ShareLinkList, ApiError> {
    json_of(
        send(Request::get(&links_url(key)), None, &[]).await?,
        "the share links",
    )
    .await
}

/// Makes a new link; `expires_at` is RFC 3339 (UTC); `lang` is the customer's language (its feed
/// and calendar speak it). The answer holds the token, shown only now.
pub async fn create(
    key: &str,
    expires_at: Option<String>,
    lang: Option<cutover_plan::lang::Lang>,
) -> Result<CreatedShareLink, ApiError> {
    let req = Request::post(&links_url(key));
    json_of(
        send_json(req, &CreateShareLink { expires_at, lang }, &[]).await?,
        "the new share link",
    )
    .await
}

/// Revokes the link `id` of the record `key`; its token stops working at once.
pub async fn revoke(key: &str, id: &str) -> Result<(), ApiError> {
    let url = format!(
        "{}/{}",
        links_url(key),
        String::from(js_sys::encode_uri_component(id))
    );
    send(Request::delete(&url), None, &[]).await.map(|_| ())
}

/// The full address of the status page for `token`, on this app's origin.
pub fn status_page_url(token: &str) -> String {
    let origin = leptos::prelude::window()
        .location()
        .origin()
        .unwrap_or_default();
    format!("{origin}/status/{token}")
}
