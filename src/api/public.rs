//! Calls made by the customer status page: only `/api/public/*`, never partner APIs.
use cutover_plan::wire::{ApiError, StatusProjection};
use gloo_net::http::Request;

use super::send;

/// Why the status page could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusError {
    /// Unknown, revoked, expired or malformed link: one answer for all of them, on purpose.
    Invalid,
    /// The server could not be reached or had a passing problem; trying again can help.
    Unavailable(ApiError),
}

/// Whether `token` can be a share token at all (so nothing odd is ever put into a URL).
fn plausible(token: &str) -> bool {
    (1..=256).contains(&token.len())
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The status projection behind a share token.
pub async fn status(token: &str) -> Result<StatusProjection, StatusError> {
    if !plausible(token) {
        return Err(StatusError::Invalid);
    }
    let url = format!("/api/public/status/{token}");
    let resp = match send(
        Request::get(&url).header("Accept", "application/json"),
        None,
        &[],
    )
    .await
    {
        Ok(resp) => resp,
        Err(e) if e.retryable => return Err(StatusError::Unavailable(e)),
        Err(_) => return Err(StatusError::Invalid),
    };
    let text = resp.text().await.map_err(|_| {
        StatusError::Unavailable(ApiError::new("truncated", "The answer was cut off.", true))
    })?;
    serde_json::from_str::<StatusProjection>(&text).map_err(|_| {
        StatusError::Unavailable(ApiError::new(
            "malformed",
            "The answer could not be read.",
            true,
        ))
    })
}

/// The Atom feed of step changes for a share token (a relative URL on this origin).
pub fn feed_url(token: &str) -> Option<String> {
    plausible(token).then(|| format!("/api/public/status/{token}/feed.atom"))
}
