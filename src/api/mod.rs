//! The only place that talks to the proxy. Pages call these functions and never build URLs.
//! `public` holds the calls of the customer status page (no partner data).
pub mod public;
pub mod share_links;

use std::time::Duration;

use cutover_plan::Settings;
use cutover_plan::checklist::SubscribedSku;
use cutover_plan::partner_center::{
    Collection, Customer, CustomerPage, PcSubscription, parse_customer, parse_customer_page,
    parse_subscribed_skus, parse_subscriptions,
};
use cutover_plan::record::MigrationRecord;
use cutover_plan::wire::{
    ApiError, CONTINUATION_HEADER, Conflict, ImportRequest, ImportResult, RecordList, Versioned,
};
use gloo_net::http::{Request, Response};
use gloo_timers::callback::Timeout;
use serde::Serialize;
use serde::de::DeserializeOwned;

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

/// Why a versioned write did not happen.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveError<T> {
    /// Someone else wrote first; nothing was saved. Holds what is stored now.
    Conflict(Box<Versioned<T>>),
    /// Any other failure.
    Failed(ApiError),
}

impl<T> From<ApiError> for SaveError<T> {
    fn from(e: ApiError) -> Self {
        SaveError::Failed(e)
    }
}

/// One line of a Partner Center order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderLine {
    /// The new-commerce catalogue item id.
    pub offer_id: String,
    /// Seats to buy.
    pub quantity: u32,
}

fn encode(part: &str) -> String {
    String::from(js_sys::encode_uri_component(part))
}

fn unreadable(what: &str) -> ApiError {
    ApiError::new(
        "malformed",
        format!("Cutover's server sent {what} that could not be read; try again."),
        true,
    )
}

async fn text_of(resp: Response, what: &str) -> Result<String, ApiError> {
    resp.text().await.map_err(|_| unreadable(what))
}

async fn json_of<T: DeserializeOwned>(resp: Response, what: &str) -> Result<T, ApiError> {
    let text = text_of(resp, what).await?;
    serde_json::from_str(&text).map_err(|_| unreadable(what))
}

/// A new `MS-CorrelationId` (a random GUID) for one user action.
pub fn correlation_id() -> String {
    let hex = |n: usize| -> String {
        (0..n)
            .map(|_| {
                let d = (js_sys::Math::random() * 16.0) as u32 & 15;
                char::from_digit(d, 16).unwrap_or('0')
            })
            .collect()
    };
    format!("{}-{}-4{}-a{}-{}", hex(8), hex(4), hex(3), hex(3), hex(12))
}

fn pc_get(path: &str) -> gloo_net::http::RequestBuilder {
    Request::get(&format!("/api/pc/v1/{path}")).header("MS-CorrelationId", &correlation_id())
}

/// One Partner Center customer.
pub async fn customer(id: &str) -> Result<Customer, ApiError> {
    let resp = send(pc_get(&format!("customers/{}", encode(id)))).await?;
    let text = text_of(resp, "a customer").await?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|_| unreadable("a customer"))?;
    parse_customer(&value).map_err(|why| ApiError::new("malformed", why, true))
}

/// The customer's CSP subscriptions.
pub async fn subscriptions(id: &str) -> Result<Collection<PcSubscription>, ApiError> {
    let resp = send(pc_get(&format!("customers/{}/subscriptions", encode(id)))).await?;
    let text = text_of(resp, "a subscription list").await?;
    parse_subscriptions(&text).map_err(|why| ApiError::new("malformed", why, true))
}

/// Every licence in the customer's tenant.
pub async fn subscribed_skus(id: &str) -> Result<Collection<SubscribedSku>, ApiError> {
    let resp = send(pc_get(&format!("customers/{}/subscribedskus", encode(id)))).await?;
    let text = text_of(resp, "a licence list").await?;
    parse_subscribed_skus(&text).map_err(|why| ApiError::new("malformed", why, true))
}

/// The partner's reseller invitation link.
pub async fn invitation_url() -> Result<String, ApiError> {
    let resp = send(pc_get("customers/relationshiprequests")).await?;
    let value: serde_json::Value = json_of(resp, "the invitation link").await?;
    cutover_plan::partner_center::text(&value, "url")
        .filter(|u| !u.is_empty())
        .ok_or_else(|| unreadable("the invitation link"))
}

/// Orders CSP subscriptions for a customer (one Partner Center order).
pub async fn place_order(customer_id: &str, lines: &[OrderLine]) -> Result<(), ApiError> {
    let items: Vec<serde_json::Value> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            serde_json::json!({"lineItemNumber": i, "offerId": l.offer_id, "quantity": l.quantity})
        })
        .collect();
    let body = serde_json::json!({"referenceCustomerId": customer_id, "lineItems": items});
    let req = Request::post(&format!(
        "/api/pc/v1/customers/{}/orders",
        encode(customer_id)
    ))
    .header("MS-CorrelationId", &correlation_id())
    .header("Content-Type", "application/json");
    send_inner(req, Some(body.to_string()), &[])
        .await
        .map(|_| ())
}

/// Every migration record.
pub async fn records() -> Result<Vec<Versioned<MigrationRecord>>, ApiError> {
    let resp = send(Request::get("/api/store/records")).await?;
    Ok(json_of::<RecordList>(resp, "the migration records")
        .await?
        .records)
}

/// One migration record; `None` when there is none yet.
pub async fn record(key: &str) -> Result<Option<Versioned<MigrationRecord>>, ApiError> {
    let url = format!("/api/store/records/{}", encode(key));
    match send_raw(Request::get(&url)).await? {
        (404, _) => Ok(None),
        (_, resp) => json_of(resp, "the migration record").await.map(Some),
    }
}

/// Creates (`base = None`) or updates the record stored under `key`.
pub async fn save_record(
    key: &str,
    base: Option<u64>,
    record: &MigrationRecord,
) -> Result<Versioned<MigrationRecord>, SaveError<MigrationRecord>> {
    let req = Request::put(&format!("/api/store/records/{}", encode(key)));
    write_versioned(req, base, record, "the migration record").await
}

/// Moves a record to a new key (a prospect that is now in Partner Center).
pub async fn rekey(
    old_key: &str,
    base: u64,
    record: &MigrationRecord,
) -> Result<Versioned<MigrationRecord>, SaveError<MigrationRecord>> {
    let req = Request::post(&format!("/api/store/records/{}/rekey", encode(old_key)));
    write_versioned(req, Some(base), record, "the migration record").await
}

/// Creates many records in one transaction: all or none.
pub async fn import(records: Vec<MigrationRecord>) -> Result<ImportResult, ApiError> {
    let body = serde_json::to_string(&ImportRequest {
        records,
        updates: Vec::new(),
    })
    .map_err(|_| unreadable("the import"))?;
    let req = Request::post("/api/store/import").header("Content-Type", "application/json");
    json_of(send_inner(req, Some(body), &[]).await?, "the import result").await
}

/// The partner's planning settings (version 0: never saved, defaults).
pub async fn settings() -> Result<Versioned<Settings>, ApiError> {
    json_of(
        send(Request::get("/api/store/settings")).await?,
        "the settings",
    )
    .await
}

/// Saves the settings over `base`.
pub async fn save_settings(
    base: u64,
    settings: &Settings,
) -> Result<Versioned<Settings>, SaveError<Settings>> {
    write_versioned(
        Request::put("/api/store/settings"),
        Some(base),
        settings,
        "the settings",
    )
    .await
}

async fn write_versioned<B: Serialize, T: DeserializeOwned>(
    req: gloo_net::http::RequestBuilder,
    base: Option<u64>,
    body: &B,
    what: &str,
) -> Result<Versioned<T>, SaveError<T>> {
    let req = match base {
        Some(v) => req.header("If-Match", &format!("\"{v}\"")),
        None => req.header("If-None-Match", "*"),
    };
    let body = serde_json::to_string(body).map_err(|_| unreadable(what))?;
    let req = req.header("Content-Type", "application/json");
    let resp = send_inner(req, Some(body), &[409, 412]).await?;
    match (resp.status(), resp) {
        (409 | 412, resp) => {
            let text = text_of(resp, what).await?;
            match serde_json::from_str::<Conflict<T>>(&text) {
                Ok(c) => Err(SaveError::Conflict(Box::new(c.current))),
                Err(_) => Err(SaveError::Failed(
                    serde_json::from_str::<ApiError>(&text).unwrap_or_else(|_| {
                        ApiError::new(
                            "conflict",
                            "Someone else changed this since you loaded it; reload it.",
                            false,
                        )
                    }),
                )),
            }
        }
        (_, resp) => Ok(json_of(resp, what).await?),
    }
}

/// Like [`send`], but hands back 404, 409 and 412 answers for the caller to read.
async fn send_raw(req: gloo_net::http::RequestBuilder) -> Result<(u16, Response), ApiError> {
    match send_inner(req, None, &[404, 409, 412]).await {
        Ok(resp) => Ok((resp.status(), resp)),
        Err(e) => Err(e),
    }
}

/// Sends a request with a timeout; a non-2xx answer becomes the proxy's [`ApiError`].
pub(crate) async fn send(req: gloo_net::http::RequestBuilder) -> Result<Response, ApiError> {
    send_inner(req, None, &[]).await
}

async fn send_inner(
    req: gloo_net::http::RequestBuilder,
    body: Option<String>,
    pass: &[u16],
) -> Result<Response, ApiError> {
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
    let req = req.abort_signal(Some(&signal));
    let req = match body {
        Some(b) => req.body(b),
        None => req.build(),
    }
    .map_err(|_| unreachable("could not be called"))?;
    let resp = req.send().await;
    drop(timer);
    let resp = resp.map_err(|_| unreachable("could not be reached"))?;
    if resp.ok() || pass.contains(&resp.status()) {
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
