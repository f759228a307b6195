//! The only place that talks to the proxy. Pages call these functions and never build URLs.
//! `public` holds the calls of the customer status page (no partner data).
//!
//! Every Partner Center call takes the [`UserAction`] it belongs to: all calls caused by one click
//! or one page load carry the same `MS-CorrelationId`, as Partner Center's support asks.
mod early;
pub mod graph;
pub mod notifications;
pub use cutover_web::api::public;
pub mod share_links;
pub mod team;

use std::time::Duration;

use cutover_plan::Settings;
use cutover_plan::checklist::SubscribedSku;
use cutover_plan::orders::OrderLine;
use cutover_plan::partner_center::{
    Collection, Customer, CustomerPage, PcOrder, PcSubscription, parse_customer_for,
    parse_customer_page, parse_order, parse_provisioning_status, parse_subscribed_skus,
    parse_subscriptions,
};
use cutover_plan::record::MigrationRecord;
use cutover_plan::wire::{
    ApiError, CONTINUATION_HEADER, Conflict, ImportConflicts, ImportRequest, ImportResult,
    RecordList, SessionStatus, Versioned,
};
use gloo_net::http::{Request, RequestBuilder, Response};
use gloo_timers::callback::Timeout;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Customers in the first Partner Center page: small, so the first rows show soon.
/// `index.html` asks early for the same first page.
pub const CUSTOMER_PAGE_SIZE: u32 = 100;
/// Customers in each further page. Partner Center allows 500 requests per minute per tenant on
/// the customer resource, so larger pages keep big lists clear of throttling: 10,000 customers
/// are 1 + 20 requests instead of 100. (The sandbox serves at most 500 per page.)
pub const NEXT_PAGE_SIZE: u32 = 500;

const TIMEOUT: Duration = Duration::from_secs(60);

/// A random GUID (version 4 layout) from the browser's `Math.random`.
#[must_use]
pub fn guid() -> String {
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

/// One thing the partner did (a click, opening a page): its Partner Center calls share one
/// `MS-CorrelationId`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserAction {
    correlation_id: String,
}

impl UserAction {
    /// A new action with a fresh correlation id.
    #[must_use]
    pub fn new() -> UserAction {
        UserAction {
            correlation_id: guid(),
        }
    }

    /// The action that loads the customer list when the app starts: it carries on with the
    /// correlation id of the request `index.html` started early, if there was one.
    #[must_use]
    pub fn first_load() -> UserAction {
        match early::correlation_id() {
            Some(correlation_id) => UserAction { correlation_id },
            None => UserAction::new(),
        }
    }

    /// Its `MS-CorrelationId`.
    #[must_use]
    pub fn correlation_id(&self) -> &str {
        &self.correlation_id
    }

    pub(crate) fn pc(&self, req: RequestBuilder) -> RequestBuilder {
        req.header("MS-CorrelationId", &self.correlation_id)
    }
}

impl Default for UserAction {
    fn default() -> Self {
        UserAction::new()
    }
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

pub(crate) fn malformed(why: String) -> ApiError {
    ApiError::new("malformed", why, true)
}

pub(crate) async fn text_of(resp: Response, what: &str) -> Result<String, ApiError> {
    body_text(&resp).await.map_err(|_| unreadable(what))
}

/// An answer's body as text, read as bytes: `Response.text()` would decode it into a JavaScript
/// string that wasm-bindgen then encodes back into UTF-8 in wasm memory (measured: ~20 ms of the
/// customer list's first paint for 6.4 MB of migration records). Decoded as `text()` decodes.
async fn body_text(resp: &Response) -> Result<String, gloo_net::Error> {
    resp.binary().await.map(utf8_text)
}

/// UTF-8 bytes as text, the way `Response.text()` decodes them: a leading byte-order mark
/// dropped (Partner Center's answers may start with one), invalid sequences replaced by U+FFFD.
fn utf8_text(bytes: Vec<u8>) -> String {
    let mut text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    text
}

/// Reads a JSON answer.
pub(crate) async fn json_of<T: DeserializeOwned>(
    resp: Response,
    what: &str,
) -> Result<T, ApiError> {
    let text = text_of(resp, what).await?;
    serde_json::from_str(&text).map_err(|_| unreadable(what))
}

/// Sends a request with a timeout; `body` is JSON when given. A non-2xx answer whose status is not
/// in `pass` becomes the proxy's [`ApiError`] (or a sentence naming the status).
pub(crate) async fn send(
    req: RequestBuilder,
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
        Some(b) => req.header("Content-Type", "application/json").body(b),
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

/// The answer `index.html` already got for `name` (see [`early`]), else `request()` sent now.
async fn send_unless_early(
    name: &str,
    request: impl FnOnce() -> RequestBuilder,
) -> Result<Response, ApiError> {
    match early::response(name).await {
        Some(resp) => Ok(resp),
        None => send(request(), None, &[]).await,
    }
}

/// [`send`] of a value as JSON.
pub(crate) async fn send_json(
    req: RequestBuilder,
    value: &impl Serialize,
    pass: &[u16],
) -> Result<Response, ApiError> {
    let body = serde_json::to_string(value).map_err(|_| unreadable("a request"))?;
    send(req, Some(body), pass).await
}

/// Fetches one page of Partner Center customers through the proxy.
///
/// `continuation` is the token from the previous page; `None` asks for the first page.
pub async fn customer_page(
    action: &UserAction,
    continuation: Option<&str>,
) -> Result<CustomerPage, ApiError> {
    let size = match continuation {
        None => CUSTOMER_PAGE_SIZE,
        Some(_) => NEXT_PAGE_SIZE,
    }
    .to_string();
    let request = || {
        // Parameters through `query`: gloo-net adds a stray `&` to a URL that has a query already.
        let req = action.pc(Request::get("/api/pc/v1/customers").query([("size", size.as_str())]));
        match continuation {
            Some(token) => req
                .query([("seekOperation", "Next")])
                .header(CONTINUATION_HEADER, token),
            None => req,
        }
    };
    let resp = match continuation {
        None => send_unless_early("customers", request).await?,
        Some(_) => send(request(), None, &[]).await?,
    };
    let header_token = resp.headers().get(CONTINUATION_HEADER);
    let body = body_text(&resp).await.map_err(|_| {
        ApiError::new(
            "truncated",
            "The customer list was cut off; try again.",
            true,
        )
    })?;
    let mut page = parse_customer_page(&body).map_err(malformed)?;
    if page.continuation_token.is_none() {
        page.continuation_token = header_token.filter(|t| !t.is_empty());
    }
    Ok(page)
}

async fn pc_get(action: &UserAction, path: &str, what: &str) -> Result<String, ApiError> {
    pc_get_query(action, path, &[], what).await
}

/// [`pc_get`] with query parameters. They go through gloo-net's `query`, never into `path`:
/// gloo-net appends its own parameters after a `&` even when it has none, so a URL written with
/// a query would go out with a stray `&` at the end.
async fn pc_get_query(
    action: &UserAction,
    path: &str,
    query: &[(&str, &str)],
    what: &str,
) -> Result<String, ApiError> {
    let req = Request::get(&format!("/api/pc/v1/{path}")).query(query.iter().copied());
    text_of(send(action.pc(req), None, &[]).await?, what).await
}

/// One Partner Center customer. The id asked for is the truth: an answer naming another customer
/// is an error.
pub async fn customer(action: &UserAction, id: &str) -> Result<Customer, ApiError> {
    let text = pc_get(action, &format!("customers/{}", encode(id)), "a customer").await?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|_| unreadable("a customer"))?;
    parse_customer_for(&value, id).map_err(|why| ApiError::new("another_customer", why, false))
}

/// The customer's CSP subscriptions.
pub async fn subscriptions(
    action: &UserAction,
    id: &str,
) -> Result<Collection<PcSubscription>, ApiError> {
    let path = format!("customers/{}/subscriptions", encode(id));
    parse_subscriptions(&pc_get(action, &path, "a subscription list").await?).map_err(malformed)
}

/// Every licence in the customer's tenant.
pub async fn subscribed_skus(
    action: &UserAction,
    id: &str,
) -> Result<Collection<SubscribedSku>, ApiError> {
    let path = format!("customers/{}/subscribedskus", encode(id));
    parse_subscribed_skus(&pc_get(action, &path, "a licence list").await?).map_err(malformed)
}

/// The partner's reseller invitation link.
pub async fn invitation_url(action: &UserAction) -> Result<String, ApiError> {
    let text = pc_get(
        action,
        "customers/relationshiprequests",
        "the invitation link",
    )
    .await?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|_| unreadable("the invitation link"))?;
    cutover_plan::partner_center::text(&value, "url")
        .filter(|u| !u.is_empty())
        .ok_or_else(|| unreadable("the invitation link"))
}

/// Why an order was not confirmed.
#[derive(Debug, Clone, PartialEq)]
pub enum OrderError {
    /// Partner Center (or the proxy) refused it: nothing was bought.
    Refused(ApiError),
    /// No answer (timeout, outage, unreadable answer): it may or may not have been placed.
    /// Sending again with the same request id cannot buy twice.
    Unknown(ApiError),
}

/// Orders CSP subscriptions for a customer as one Partner Center order, sent with `request_id`
/// as `MS-RequestId` (sending again with the same id is the same order).
pub async fn place_order(
    action: &UserAction,
    customer_id: &str,
    request_id: &str,
    lines: &[OrderLine],
) -> Result<PcOrder, OrderError> {
    let items: Vec<serde_json::Value> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let mut item = serde_json::json!({"lineItemNumber": i, "offerId": l.offer_id, "quantity": l.quantity});
            if let Some(end) = l.custom_term_end {
                item["customTermEndDate"] = serde_json::Value::String(format!("{end}T00:00:00Z"));
            }
            item
        })
        .collect();
    let body = serde_json::json!({"referenceCustomerId": customer_id, "lineItems": items});
    let req = action
        .pc(Request::post(&format!(
            "/api/pc/v1/customers/{}/orders",
            encode(customer_id)
        )))
        .header("MS-RequestId", request_id);
    let refused = |e: &ApiError| {
        matches!(
            e.code.as_str(),
            "partner_center_rejected" | "not_allowed" | "bad_request" | "partner_center_throttled"
        )
    };
    let resp = match send_json(req, &body, &[]).await {
        Ok(resp) => resp,
        Err(e) if e.code == "approval_required" => {
            return Err(OrderError::Unknown(
                ask_approval(request_id, customer_id, lines, e).await,
            ));
        }
        Err(e) if refused(&e) => return Err(OrderError::Refused(e)),
        Err(e) => return Err(OrderError::Unknown(e)),
    };
    let text = text_of(resp, "the order")
        .await
        .map_err(OrderError::Unknown)?;
    parse_order(&text).map_err(|why| OrderError::Unknown(malformed(why)))
}

/// A large order the proxy held back: it is put up for a second person's approval (asking again
/// is harmless) and stays saved as "sending"; sending it again once approved places it.
async fn ask_approval(
    request_id: &str,
    customer_id: &str,
    lines: &[OrderLine],
    held: ApiError,
) -> ApiError {
    match team::request_approval(request_id, customer_id, lines).await {
        Ok(a) if a.approved_by.is_none() => ApiError::new(
            "approval_required",
            format!(
                "This order of {} seats needs a second person's approval; it was put up for approval (Activity page). Nothing was bought yet. Once it is approved, use Send again in Orders.",
                a.seats
            ),
            false,
        ),
        Ok(_) => held,
        Err(e) => e,
    }
}

/// An order's current status.
pub async fn order(
    action: &UserAction,
    customer_id: &str,
    order_id: &str,
) -> Result<PcOrder, ApiError> {
    let path = format!(
        "customers/{}/orders/{}",
        encode(customer_id),
        encode(order_id)
    );
    parse_order(&pc_get(action, &path, "an order").await?).map_err(malformed)
}

/// Whether every line of an order is provisioned.
pub async fn order_fulfilled(
    action: &UserAction,
    customer_id: &str,
    order_id: &str,
) -> Result<bool, ApiError> {
    let path = format!(
        "customers/{}/orders/{}/provisioningstatus",
        encode(customer_id),
        encode(order_id)
    );
    parse_provisioning_status(&pc_get(action, &path, "a provisioning status").await?)
        .map_err(malformed)
}

/// Requests a partner-to-partner transfer of the customer's new-commerce subscriptions.
pub async fn request_transfer(
    action: &UserAction,
    customer_id: &str,
    source_partner_tenant_id: &str,
    customer_email: &str,
) -> Result<cutover_plan::transfers::PcTransfer, ApiError> {
    let body =
        cutover_plan::transfers::transfer_request_body(source_partner_tenant_id, customer_email);
    let req = action.pc(Request::post(&format!(
        "/api/pc/v1/customers/{}/transfers",
        encode(customer_id)
    )));
    let text = text_of(send_json(req, &body, &[]).await?, "the transfer").await?;
    cutover_plan::transfers::parse_transfer(&text).map_err(malformed)
}

/// One transfer's current state.
pub async fn transfer(
    action: &UserAction,
    customer_id: &str,
    transfer_id: &str,
) -> Result<cutover_plan::transfers::PcTransfer, ApiError> {
    let path = format!(
        "customers/{}/transfers/{}",
        encode(customer_id),
        encode(transfer_id)
    );
    cutover_plan::transfers::parse_transfer(&pc_get(action, &path, "a transfer").await?)
        .map_err(malformed)
}

/// Whether Partner Center has the customer's Microsoft Customer Agreement acceptance.
pub async fn mca_accepted(action: &UserAction, customer_id: &str) -> Result<bool, ApiError> {
    let path = format!("customers/{}/agreements", encode(customer_id));
    let query = [("agreementType", "MicrosoftCustomerAgreement")];
    let text = pc_get_query(action, &path, &query, "the agreements").await?;
    cutover_plan::transfers::parse_mca_accepted(&text).map_err(malformed)
}

/// Records the customer's acceptance of the Microsoft Customer Agreement in Partner Center.
pub async fn record_mca(
    action: &UserAction,
    customer_id: &str,
    body: &serde_json::Value,
) -> Result<(), ApiError> {
    let req = action.pc(Request::post(&format!(
        "/api/pc/v1/customers/{}/agreements",
        encode(customer_id)
    )));
    send_json(req, body, &[]).await.map(|_| ())
}

/// The end dates a new one-year subscription may be aligned to (co-terming).
pub async fn term_end_dates(
    action: &UserAction,
    customer_id: &str,
) -> Result<Vec<cutover_plan::Date>, ApiError> {
    let path = format!(
        "customers/{}/subscriptions/customTermEndDates",
        encode(customer_id)
    );
    let query = [("term_duration", "P1Y")];
    let text = pc_get_query(action, &path, &query, "the end dates").await?;
    cutover_plan::transfers::parse_term_end_dates(&text).map_err(malformed)
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

/// Every migration record.
pub async fn records() -> Result<Vec<Versioned<MigrationRecord>>, ApiError> {
    let resp = send_unless_early("records", || Request::get("/api/store/records")).await?;
    Ok(json_of::<RecordList>(resp, "the migration records")
        .await?
        .records)
}

/// One migration record; `None` when there is none under `key`.
pub async fn record(key: &str) -> Result<Option<Versioned<MigrationRecord>>, ApiError> {
    let url = format!("/api/store/records/{}", encode(key));
    let resp = send(Request::get(&url), None, &[404]).await?;
    if resp.status() == 404 {
        return Ok(None);
    }
    json_of(resp, "the migration record").await.map(Some)
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

/// Why an import was not written.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportError {
    /// Records changed since the preview; nothing was written.
    Conflicts(Box<ImportConflicts>),
    /// Any other failure; nothing was written.
    Failed(ApiError),
}

/// Writes new and changed records in one transaction: all or none.
pub async fn import(request: &ImportRequest) -> Result<ImportResult, ImportError> {
    let resp = send_json(Request::post("/api/store/import"), request, &[409])
        .await
        .map_err(ImportError::Failed)?;
    if resp.status() == 409 {
        let text = text_of(resp, "the import result")
            .await
            .map_err(ImportError::Failed)?;
        return Err(match serde_json::from_str::<ImportConflicts>(&text) {
            Ok(c) => ImportError::Conflicts(Box::new(c)),
            Err(_) => ImportError::Failed(
                serde_json::from_str::<ApiError>(&text)
                    .unwrap_or_else(|_| unreadable("the import result")),
            ),
        });
    }
    json_of(resp, "the import result")
        .await
        .map_err(ImportError::Failed)
}

/// This browser's session: whether a login is needed, the partner's name, who acts.
pub async fn session() -> Result<SessionStatus, ApiError> {
    if let Some(resp) = early::response("session").await
        && let Ok(status) = json_of(resp, "the session").await
    {
        return Ok(status);
    }
    json_of(
        send(Request::get("/api/session"), None, &[]).await?,
        "the session",
    )
    .await
}

/// The partner's planning settings (version 0: never saved, defaults).
pub async fn settings() -> Result<Versioned<Settings>, ApiError> {
    let resp = send_unless_early("settings", || Request::get("/api/store/settings")).await?;
    json_of(resp, "the settings").await
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
    req: RequestBuilder,
    base: Option<u64>,
    body: &B,
    what: &str,
) -> Result<Versioned<T>, SaveError<T>> {
    let req = match base {
        Some(v) => req.header("If-Match", &format!("\"{v}\"")),
        None => req.header("If-None-Match", "*"),
    };
    let resp = send_json(req, body, &[409, 412]).await?;
    if matches!(resp.status(), 409 | 412) {
        let text = text_of(resp, what).await?;
        return match serde_json::from_str::<Conflict<T>>(&text) {
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
        };
    }
    Ok(json_of(resp, what).await?)
}

#[cfg(test)]
mod tests {
    use super::utf8_text;

    #[test]
    fn bodies_decode_as_the_browser_decodes_text() {
        assert_eq!(utf8_text(b"{\"a\":1}".to_vec()), "{\"a\":1}");
        assert_eq!(utf8_text("Ω 株式会社".as_bytes().to_vec()), "Ω 株式会社");
        // A byte-order mark is dropped, once.
        let mut bom = "\u{feff}\u{feff}[]".as_bytes().to_vec();
        assert_eq!(utf8_text(bom.clone()), "\u{feff}[]");
        bom.drain(..3);
        assert_eq!(utf8_text(bom), "[]");
        // Invalid bytes become U+FFFD; the rest is kept.
        assert_eq!(utf8_text(b"a\xffb\xe6\x9c".to_vec()), "a\u{fffd}b\u{fffd}");
    }
}
