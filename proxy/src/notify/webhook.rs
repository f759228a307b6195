//! Webhooks for the partner's own systems: one POST per step change and per order event,
//! delivered through the outbox (so at least once, with retries), signed with HMAC-SHA256.
//!
//! Headers of every POST:
//! - `Cutover-Webhook-Id`: the event's id, the same on every retry (drop repeats by it);
//! - `Cutover-Webhook-Timestamp`: Unix seconds when this attempt was signed;
//! - `Cutover-Webhook-Signature`: `v1=` and the hex HMAC-SHA256, keyed with
//!   `CUTOVER_WEBHOOK_SECRET`, of `{id}.{timestamp}.{body}`.
//!
//! A receiver recomputes the signature over the raw body, compares in constant time, and refuses
//! timestamps more than five minutes away from its clock. The body is [`WebhookEvent`] as JSON.
use std::time::Duration;

use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;

/// How long one delivery attempt may take.
const TIMEOUT: Duration = Duration::from_secs(10);

/// The JSON body of every webhook (documented in the README).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookEvent {
    /// Same as `Cutover-Webhook-Id`.
    pub id: String,
    /// `customer.steps_changed`, `order.placed` or `order.updated`.
    #[serde(rename = "type")]
    pub kind: String,
    /// When the record was written (RFC 3339, UTC).
    pub occurred_at: String,
    /// Whom it is about.
    pub customer: WebhookCustomer,
    /// The record's version after the write.
    pub record_version: u64,
    /// The four steps after the write.
    pub steps: Vec<WebhookStep>,
    /// What changed for the customer (empty for order events).
    pub changes: Vec<WebhookChange>,
    /// The order, for order events.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<WebhookOrder>,
}

/// The customer an event is about.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookCustomer {
    /// The record's key: the Partner Center customer id, or the domain of a prospect.
    pub key: String,
    /// The company name.
    pub name: String,
    /// The primary domain.
    pub domain: String,
}

/// One of the four steps.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookStep {
    /// 1 to 4.
    pub step: usize,
    /// Its English name.
    pub name: String,
    /// `open`, `done` or `notNeeded`.
    pub status: String,
}

/// One change for the customer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookChange {
    /// `step`, `todo_added`, `todo_removed` or `todo_moved`.
    pub kind: String,
    /// For `step`: which (1 to 4).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<usize>,
    /// For `step`: the state before (`open`, `done`, `notNeeded`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// For `step`: the state now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// For to-dos: what it is (`accept_invitation`, `switch_off_auto_renew:<offer>`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub todo: Option<String>,
    /// For to-dos: its date now (deadline or planned day).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// For moved to-dos: the date before.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_date: Option<String>,
    /// The change as an English sentence.
    pub text: String,
}

/// An order, as the record keeps it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookOrder {
    /// The `MS-RequestId` it was sent with.
    pub request_id: String,
    /// Partner Center's order id, once known.
    pub id: Option<String>,
    /// Its status now (`sending`, `pending`, `completed`, `failed`, …).
    pub status: String,
    /// For `order.updated`: the status before.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_status: Option<String>,
    /// Every line provisioned.
    pub fulfilled: bool,
    /// The lines.
    pub lines: Vec<WebhookOrderLine>,
}

/// One line of an order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookOrderLine {
    /// The catalogue item.
    pub offer_id: String,
    /// Its name.
    pub offer_name: String,
    /// Seats.
    pub quantity: u32,
}

/// The signature of one attempt: hex HMAC-SHA256 of `{id}.{timestamp}.{body}`.
pub fn sign(secret: &str, id: &str, timestamp: u64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(id.as_bytes());
    mac.update(format!(".{timestamp}.").as_bytes());
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// POSTs webhooks to the partner's URL.
pub struct WebhookSender {
    url: String,
    secret: String,
    http: reqwest::Client,
}

impl WebhookSender {
    /// A sender for this URL and secret.
    pub fn new(url: &str, secret: &str) -> Result<WebhookSender, String> {
        let http = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent("Cutover-Webhooks/1")
            .build()
            .map_err(|e| format!("The webhook client could not be set up ({e})."))?;
        Ok(WebhookSender {
            url: url.to_owned(),
            secret: secret.to_owned(),
            http,
        })
    }

    /// One attempt; `Err` with a sentence (never the secret) when it did not get a 2xx.
    pub async fn deliver(&self, id: &str, body: &[u8], timestamp: u64) -> Result<(), String> {
        let signature = sign(&self.secret, id, timestamp, body);
        let resp = self
            .http
            .post(&self.url)
            .header("content-type", "application/json")
            .header("cutover-webhook-id", id)
            .header("cutover-webhook-timestamp", timestamp.to_string())
            .header("cutover-webhook-signature", format!("v1={signature}"))
            .body(body.to_vec())
            .send()
            .await
            .map_err(|e| {
                let why = if e.is_timeout() {
                    "it timed out".to_owned()
                } else if e.is_connect() {
                    "the connection failed".to_owned()
                } else {
                    "the request failed".to_owned()
                };
                format!("the webhook was not delivered: {why}")
            })?;
        if resp.status().is_success() {
            Ok(())
        } else {
            Err(format!(
                "the webhook endpoint answered {}",
                resp.status().as_u16()
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_covers_id_timestamp_and_body() {
        // HMAC-SHA256("key", "id.1.{}"), computed independently:
        // python3 -c 'import hmac,hashlib;print(hmac.new(b"key",b"id.1.{}",hashlib.sha256).hexdigest())'
        assert_eq!(
            sign("key", "id", 1, b"{}"),
            "e4f5663f601f246c27a7d7e557e7e5af37ee90d580f73c9476abc8f8841a955b"
        );
        assert_ne!(sign("key", "id", 1, b"{}"), sign("key", "id", 2, b"{}"));
        assert_ne!(sign("key", "id", 1, b"{}"), sign("key", "id2", 1, b"{}"));
        assert_ne!(sign("key", "id", 1, b"{}"), sign("key", "id", 1, b"{ }"));
        assert_eq!(sign("key", "id", 1, b"{}").len(), 64);
    }
}
