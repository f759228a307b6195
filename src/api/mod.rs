//! The only place that talks to the proxy. Pages call these functions and never build URLs.
//! `public` holds the calls of the customer status page (no partner data).
pub mod public;

use std::time::Duration;

use cutover_plan::partner_center::{CustomerPage, parse_customer_page};
use cutover_plan::wire::{ApiError, CONTINUATION_HEADER};
use gloo_net::http::{Request, Response};
use gloo_timers::callback::Timeout;

/// Customers per Partner Center page (the service's documented maximum for this call is larger;
/// smaller pages show progress sooner).
pub const CUSTOMER_PAGE_SIZE: u32 = 100;

const TIMEOUT: Duration = Duration::from_secs(60);

/// Fetches one page of Partner Center customers through the proxy.
///
/// `continuation` is the token from the previous page; `None` asks for the first page.
pub async fn customer_page(continuation: Option<&str>) -> Result<CustomerPage, ApiError> {
    let url = match continuation {
        None => format!("/api/pc/v1/customers?size={CUSTOMER_PAGE_SIZE}"),
        Some(_) => format!("/api/pc/v1/customers?size={CUSTOMER_PAGE_SIZE}&seekOperation=Next"),
    };
    let mut req = Request::get(&url);
    if let Some(token) = continuation {
        req = req.header(CONTINUATION_HEADER, token);
    }
    let resp = send(req).await?;
    let header_token = resp.headers().get(CONTINUATION_HEADER);
    let body = resp.text().await.map_err(|_| {
        ApiError::new(
            "truncated",
            "The customer list was cut off; try again.",
            true,
        )
    })?;
    let mut page =
        parse_customer_page(&body).map_err(|why| ApiError::new("malformed", why, true))?;
    if page.continuation_token.is_none() {
        page.continuation_token = header_token.filter(|t| !t.is_empty());
    }
    Ok(page)
}

/// Sends a request with a timeout; a non-2xx answer becomes the proxy's [`ApiError`].
pub(crate) async fn send(req: gloo_net::http::RequestBuilder) -> Result<Response, ApiError> {
    let unreachable = |what: &str| {
        ApiError::new(
            "unreachable",
            format!("Cutover's server {what}; check that it is running and try again."),
            true,
        )
    };
    let ctrl = web_sys::AbortController::new().map_err(|_| unreachable("could not be called"))?;
    let signal = ctrl.signal();
    let timer = Timeout::new(TIMEOUT.as_millis() as u32, move || ctrl.abort());
    let resp = req.abort_signal(Some(&signal)).send().await;
    drop(timer);
    let resp = resp.map_err(|_| unreachable("could not be reached"))?;
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
