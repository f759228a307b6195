//! Partner-to-partner transfers (new commerce): the new partner's request, completed by the old
//! partner or expiring after 30 days.
use serde_json::{Value, json};

use crate::dates::timestamp;

/// Days a transfer request stays open before it expires.
pub const TRANSFER_DAYS: i64 = 30;

/// What has happened to a transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Waiting for the old partner.
    Active,
    /// Completed at this instant.
    Completed { at: i64 },
    /// Forced to expire by the sandbox control route at this instant.
    Expired { at: i64 },
}

/// One transfer request of a customer's subscriptions from another partner.
#[derive(Debug, Clone)]
pub struct Transfer {
    pub id: String,
    pub customer_id: String,
    pub customer_name: String,
    pub source_partner_tenant_id: String,
    pub source_partner_name: Option<String>,
    pub customer_email_id: Option<String>,
    pub target_partner_tenant_id: String,
    pub target_product_types: Vec<String>,
    pub created: i64,
    pub stage: Stage,
}

impl Transfer {
    /// The instant the request expires if the old partner does nothing.
    pub fn expires(&self) -> i64 {
        self.created + TRANSFER_DAYS * 86_400
    }

    /// Status at `now`: `Active`, `Completed` or `Expired`.
    pub fn status_at(&self, now: i64) -> &'static str {
        match self.stage {
            Stage::Completed { .. } => "Completed",
            Stage::Expired { .. } => "Expired",
            Stage::Active if now >= self.expires() => "Expired",
            Stage::Active => "Active",
        }
    }

    /// The TransferEntity at `now`.
    pub fn to_json(&self, now: i64) -> Value {
        let completed = match self.stage {
            Stage::Completed { at } => Some(timestamp(at, Some(0))),
            _ => None,
        };
        json!({
            "id": self.id,
            "status": self.status_at(now),
            "transferType": 5,
            "customerTenantId": self.customer_id,
            "customerName": self.customer_name,
            "customerEmailId": self.customer_email_id,
            "sourcePartnerTenantId": self.source_partner_tenant_id,
            "sourcePartnerName": self.source_partner_name,
            "targetPartnerTenantId": self.target_partner_tenant_id,
            "targetProductTypes": self.target_product_types,
            "createdTime": timestamp(self.created, Some(0)),
            "completedTime": completed,
            "expirationTime": timestamp(self.expires(), Some(0)),
            "lineItems": [],
            "links": {"self": crate::resources::link(&format!("/v1/customers/{}/transfers/{}", self.customer_id, self.id))},
            "attributes": {"objectType": "TransferEntity"},
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ignored_transfer_expires_thirty_days_after_creation() {
        let t = Transfer {
            id: "t".into(),
            customer_id: "c".into(),
            customer_name: "C".into(),
            source_partner_tenant_id: "s".into(),
            source_partner_name: None,
            customer_email_id: None,
            target_partner_tenant_id: "p".into(),
            target_product_types: vec!["OnlineServicesNCE".into()],
            created: 1_000,
            stage: Stage::Active,
        };
        assert_eq!(t.status_at(1_000 + 30 * 86_400 - 1), "Active");
        assert_eq!(t.status_at(1_000 + 30 * 86_400), "Expired");
        let done = Transfer {
            stage: Stage::Completed { at: 2_000 },
            ..t
        };
        assert_eq!(done.status_at(1_000 + 90 * 86_400), "Completed");
    }
}
