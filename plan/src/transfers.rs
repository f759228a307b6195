//! Partner-to-partner transfers as Cutover keeps them in the record, and Partner Center's
//! `TransferEntity` read leniently.
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::date::Date;
use crate::partner_center::{calendar_date, field, text};

/// Days a transfer request stays open before it expires when the other partner ignores it.
pub const TRANSFER_EXPIRY_DAYS: u32 = 30;

/// A transfer requested through Cutover.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransferRecord {
    /// Partner Center's transfer id.
    pub id: String,
    /// `status`, lower-cased: `active` (waiting for the other partner), `completed`, `expired`, …
    pub status: String,
    /// The day it was requested.
    pub created_on: Date,
    /// The day it expires if the other partner does not act (30 days after the request).
    pub expires_on: Date,
    /// The day it completed.
    #[serde(default)]
    pub completed_on: Option<Date>,
    /// The originals it moves.
    #[serde(default)]
    pub original_ids: Vec<String>,
}

/// Where a transfer stands on a day.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "state")]
pub enum TransferState {
    /// Waiting for the other partner; expires after `expires_on`.
    #[serde(rename_all = "camelCase")]
    Waiting {
        /// The last day.
        expires_on: Date,
    },
    /// The subscriptions are the partner's now.
    Completed,
    /// Nobody acted in time, or it was cancelled: buy as for overlap.
    Lapsed,
}

impl TransferRecord {
    /// The state on `today` (a waiting transfer past its last day has lapsed even if Partner
    /// Center has not said so yet).
    #[must_use]
    pub fn state(&self, today: Date) -> TransferState {
        match self.status.as_str() {
            "completed" | "complete" => TransferState::Completed,
            "active" | "pending" | "inprogress" if today <= self.expires_on => {
                TransferState::Waiting {
                    expires_on: self.expires_on,
                }
            }
            _ => TransferState::Lapsed,
        }
    }

    /// Whether it moves the original `id`.
    #[must_use]
    pub fn covers(&self, id: &str) -> bool {
        self.original_ids.iter().any(|o| o == id)
    }
}

/// A `TransferEntity` as Partner Center answers `POST`/`GET …/transfers[/{id}]`.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PcTransfer {
    /// Transfer id.
    pub id: String,
    /// Status, lower-cased.
    pub status: String,
    /// `createdTime` as a date.
    pub created_on: Option<Date>,
    /// `expirationTime` as a date.
    pub expires_on: Option<Date>,
    /// `completedTime` as a date.
    pub completed_on: Option<Date>,
}

/// Reads a `TransferEntity`; only `id` is required.
pub fn parse_transfer(body: &str) -> Result<PcTransfer, String> {
    let root: Value = serde_json::from_str(body)
        .map_err(|e| format!("Partner Center sent a transfer that is not valid JSON ({e})."))?;
    let id = text(&root, "id")
        .filter(|s| !s.is_empty())
        .ok_or("Partner Center sent a transfer without an id.")?;
    let date = |k: &str| text(&root, k).and_then(|t| calendar_date(&t));
    Ok(PcTransfer {
        id,
        status: text(&root, "status")
            .unwrap_or_else(|| "active".into())
            .to_ascii_lowercase(),
        created_on: date("createdTime"),
        expires_on: date("expirationTime"),
        completed_on: date("completedTime"),
    })
}

impl PcTransfer {
    /// The record of a transfer just requested for `original_ids` on `today`.
    #[must_use]
    pub fn to_record(&self, original_ids: Vec<String>, today: Date) -> TransferRecord {
        let created_on = self.created_on.unwrap_or(today);
        TransferRecord {
            id: self.id.clone(),
            status: self.status.clone(),
            created_on,
            expires_on: self
                .expires_on
                .unwrap_or_else(|| created_on.plus_days(TRANSFER_EXPIRY_DAYS)),
            completed_on: self.completed_on,
            original_ids,
        }
    }
}

/// The body of `POST /v1/customers/{id}/transfers` for new-commerce licences.
#[must_use]
pub fn transfer_request_body(source_partner_tenant_id: &str, customer_email: &str) -> Value {
    serde_json::json!({
        "sourcePartnerTenantId": source_partner_tenant_id.trim(),
        "customerEmailId": customer_email.trim(),
        "targetProductTypes": ["OnlineServicesNCE"],
        "transferType": 5,
    })
}

/// Whether Partner Center's agreements answer shows an accepted Microsoft Customer Agreement.
pub fn parse_mca_accepted(body: &str) -> Result<bool, String> {
    let root: Value = serde_json::from_str(body)
        .map_err(|e| format!("Partner Center sent agreements that are not valid JSON ({e})."))?;
    let items = field(&root, "items")
        .and_then(Value::as_array)
        .ok_or("Partner Center sent agreements without an items array.")?;
    Ok(items.iter().any(|a| {
        text(a, "type").is_none_or(|t| t.eq_ignore_ascii_case("MicrosoftCustomerAgreement"))
    }))
}

/// The body of `POST /v1/customers/{id}/agreements` recording the customer's acceptance.
#[must_use]
pub fn mca_body(first_name: &str, last_name: &str, email: &str, date_agreed: Date) -> Value {
    serde_json::json!({
        "primaryContact": {
            "firstName": first_name.trim(),
            "lastName": last_name.trim(),
            "email": email.trim(),
        },
        "templateId": "117a77b0-9360-443b-8795-c6dedc750cf9",
        "dateAgreed": format!("{date_agreed}T00:00:00Z"),
        "type": "MicrosoftCustomerAgreement",
    })
}

/// The end dates a new subscription may be aligned to (`customTermEndDates`), sorted, unique.
pub fn parse_term_end_dates(body: &str) -> Result<Vec<Date>, String> {
    let root: Value = serde_json::from_str(body)
        .map_err(|e| format!("Partner Center sent end dates that are not valid JSON ({e})."))?;
    let items = field(&root, "items")
        .and_then(Value::as_array)
        .ok_or("Partner Center sent end dates without an items array.")?;
    let mut out: Vec<Date> = items
        .iter()
        .filter_map(|i| text(i, "allowedCustomTermEndDate").and_then(|t| calendar_date(&t)))
        .collect();
    out.sort();
    out.dedup();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn a_waiting_transfer_lapses_after_its_last_day() {
        let pc = parse_transfer(
            r#"{"id":"t1","status":"Active","createdTime":"2026-12-01T08:00:00Z","transferType":5}"#,
        )
        .unwrap();
        let r = pc.to_record(vec!["o1".into()], d("2026-12-01"));
        assert_eq!(r.expires_on, d("2026-12-31"));
        assert_eq!(
            r.state(d("2026-12-31")),
            TransferState::Waiting {
                expires_on: d("2026-12-31")
            }
        );
        assert_eq!(r.state(d("2027-01-01")), TransferState::Lapsed);
        let mut done = r.clone();
        done.status = "completed".into();
        assert_eq!(done.state(d("2027-01-05")), TransferState::Completed);
        assert!(r.covers("o1") && !r.covers("o2"));
        assert!(parse_transfer("{}").unwrap_err().contains("without an id"));
    }

    #[test]
    fn agreements_and_term_end_dates_are_read() {
        assert!(parse_mca_accepted(r#"{"totalCount":1,"items":[{"type":"MicrosoftCustomerAgreement","dateAgreed":"2026-11-01T00:00:00Z"}]}"#).unwrap());
        assert!(!parse_mca_accepted(r#"{"totalCount":0,"items":[]}"#).unwrap());
        let dates = parse_term_end_dates(r#"{"items":[{"allowedCustomTermEndDateType":"calendarMonthAligned","allowedCustomTermEndDate":"2027-12-31T00:00:00Z"},{"allowedCustomTermEndDate":"2027-06-30T00:00:00Z"},{"allowedCustomTermEndDate":"2027-06-30T00:00:00Z"}]}"#).unwrap();
        assert_eq!(dates, vec![d("2027-06-30"), d("2027-12-31")]);
        let body = mca_body(" Ann ", "Lee", "ann@contoso.example", d("2026-11-30"));
        assert_eq!(body["primaryContact"]["firstName"], "Ann");
        assert_eq!(body["dateAgreed"], "2026-11-30T00:00:00Z");
    }
}
