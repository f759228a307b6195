//! The migration record: what the partner knows about one customer that Partner Center cannot see.

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::money::UnitPrice;
use crate::orders::PlacedOrder;
use crate::planner::PlanRow;
use crate::settings::SettingsOverrides;
use crate::tenant::TenantSnapshot;
use crate::transfers::TransferRecord;

/// How the customer buys the original (non-CSP) subscription.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Channel {
    /// Bought from Microsoft.
    #[default]
    Direct,
    /// CSP through another partner.
    #[serde(alias = "other-partner")]
    Partner,
    /// Open / Open Value volume licensing.
    Open,
    /// Enterprise Agreement.
    Ea,
}

impl Channel {
    /// The code used in CSV files and JSON.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Channel::Direct => "direct",
            Channel::Partner => "partner",
            Channel::Open => "open",
            Channel::Ea => "ea",
        }
    }

    /// Parses a code, case-insensitively; `other-partner` means `partner`.
    #[must_use]
    pub fn parse(text: &str) -> Option<Channel> {
        match text.to_ascii_lowercase().as_str() {
            "direct" => Some(Channel::Direct),
            "partner" | "other-partner" => Some(Channel::Partner),
            "open" => Some(Channel::Open),
            "ea" => Some(Channel::Ea),
            _ => None,
        }
    }
}

/// Where the reseller relationship stands.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Relationship {
    /// No invitation sent yet.
    #[default]
    None,
    /// Invitation sent, not accepted yet.
    Invited,
    /// The customer accepted: the partner is its reseller.
    Accepted,
}

impl Relationship {
    /// The code used in CSV files and JSON.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Relationship::None => "none",
            Relationship::Invited => "invited",
            Relationship::Accepted => "accepted",
        }
    }

    /// Parses a code, case-insensitively.
    #[must_use]
    pub fn parse(text: &str) -> Option<Relationship> {
        match text.to_ascii_lowercase().as_str() {
            "none" => Some(Relationship::None),
            "invited" => Some(Relationship::Invited),
            "accepted" => Some(Relationship::Accepted),
            _ => None,
        }
    }
}

/// How a migration record is found: by Partner Center id once known, by domain before.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind", content = "value")]
pub enum CustomerKey {
    /// The Partner Center customer id (tenant id).
    PcCustomerId(String),
    /// The lower-cased primary domain of a prospect.
    Domain(String),
}

/// One customer's migration record.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MigrationRecord {
    /// How the record is keyed.
    pub key: CustomerKey,
    /// The customer's company name.
    pub customer_name: String,
    /// The primary domain, lower-cased (used to match the Partner Center customer).
    pub domain: String,
    /// The subscriptions to move.
    #[serde(default)]
    pub originals: Vec<OriginalSubscription>,
    /// When the partner sent the reseller invitation (no API reports pending invitations).
    #[serde(default)]
    pub invitation_sent_on: Option<Date>,
    /// Free text.
    #[serde(default)]
    pub notes: String,
    /// This customer's exceptions to the partner's settings.
    #[serde(default, skip_serializing_if = "SettingsOverrides::is_empty")]
    pub settings: SettingsOverrides,
    /// Orders placed through Cutover, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub orders: Vec<PlacedOrder>,
    /// Partner-to-partner transfers requested through Cutover, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transfers: Vec<TransferRecord>,
    /// What was last read from the customer's tenant (Microsoft Graph, with admin access).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<TenantSnapshot>,
}

/// An original, non-CSP subscription the customer pays for today.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OriginalSubscription {
    /// Stable id within the record (the UI's key; survives reordering and edits).
    pub id: String,
    /// The Microsoft offer id, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer_id: Option<String>,
    /// The offer's display name.
    pub offer_name: String,
    /// Licences paid for.
    pub seats: u32,
    /// Last day of service, inclusive.
    pub end_date: Date,
    /// How it is bought.
    #[serde(default)]
    pub channel: Channel,
    /// Whether it renews by itself at the end date.
    #[serde(default)]
    pub auto_renew: bool,
    /// Price per seat per month, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<Price>,
    /// The CSP offer to move to; `None` means the same offer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<TargetOffer>,
    /// What the partner has confirmed by hand.
    #[serde(default, skip_serializing_if = "Confirmations::is_empty")]
    pub confirmed: Confirmations,
    /// Graph's id of this subscription in the customer's tenant, once discovered there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_subscription_id: Option<String>,
    /// The requested move path onto CSP.
    #[serde(default)]
    pub path: crate::move_path::MovePath,
}

/// A price per seat per month in a currency.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Price {
    /// Amount per seat per month.
    pub per_seat_per_month: UnitPrice,
    /// ISO 4217 code, upper case.
    pub currency: String,
}

/// The CSP offer an original subscription moves to.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TargetOffer {
    /// The CSP offer id, when chosen from the catalogue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer_id: Option<String>,
    /// The offer's display name.
    pub offer_name: String,
}

/// Facts only the partner can confirm, each with the day it was confirmed.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Confirmations {
    /// Auto-renew was switched off on the original.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_renew_off_on: Option<Date>,
    /// The original has ended (expired or was cancelled).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ended: Option<Ended>,
    /// Users were moved onto the target offer's licences.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub licences_reassigned_on: Option<Date>,
    /// The EA channel transfer ("renew to CSP") was scheduled in Partner Center on this day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ea_transfer_scheduled_on: Option<Date>,
}

impl Confirmations {
    /// Nothing confirmed yet: left out of the record's JSON, as an original's other absent
    /// values are (the records list is most of what the customer list downloads).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        *self == Confirmations::default()
    }
}

/// How an original subscription ended, as the partner confirmed it.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ended {
    /// When it was confirmed.
    pub on: Date,
    /// Expired or cancelled.
    pub how: EndedHow,
}

/// Whether an original ran out or was cancelled.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EndedHow {
    /// It reached its end date without renewing.
    Expired,
    /// It was cancelled (no refund).
    Cancelled,
}

impl MigrationRecord {
    /// A new, empty record for a prospect known only by its domain.
    #[must_use]
    pub fn prospect(customer_name: &str, domain: &str) -> MigrationRecord {
        let domain = domain.trim().to_lowercase();
        MigrationRecord {
            key: CustomerKey::Domain(domain.clone()),
            customer_name: customer_name.trim().to_owned(),
            domain,
            originals: Vec::new(),
            invitation_sent_on: None,
            notes: String::new(),
            settings: SettingsOverrides::default(),
            orders: Vec::new(),
            tenant: None,
            transfers: Vec::new(),
        }
    }

    /// An original id not used by any original of this record (`o1`, `o2`, …).
    #[must_use]
    pub fn fresh_original_id(&self) -> String {
        let mut n = self.originals.len() + 1;
        loop {
            let id = format!("o{n}");
            if self.originals.iter().all(|o| o.id != id) {
                return id;
            }
            n += 1;
        }
    }

    /// The planner's input rows for this customer, given where the relationship stands.
    #[must_use]
    pub fn plan_rows(&self, relationship: Relationship) -> Vec<PlanRow> {
        self.originals
            .iter()
            .map(|o| PlanRow {
                customer: self.customer_name.clone(),
                domain: self.domain.clone(),
                offer: o.offer_name.clone(),
                seats: o.seats,
                end_date: o.end_date,
                channel: o.channel,
                auto_renew: o.auto_renew,
                monthly_price: o.price.as_ref().map(|p| p.per_seat_per_month),
                currency: o.price.as_ref().map(|p| p.currency.clone()),
                target_offer: o.target.as_ref().map(|t| t.offer_name.clone()),
                relationship,
                path: o.path,
            })
            .collect()
    }
}

/// Days from today to the end date of an original the partner adds by hand (a placeholder a
/// little beyond the usual lead times, so the new row plans without warnings until it is edited).
pub const NEW_ORIGINAL_ENDS_IN_DAYS: u32 = 90;

impl OriginalSubscription {
    /// A direct original with nothing else known yet: no offer id, price or target, auto-renew
    /// off, nothing confirmed, the default path.
    #[must_use]
    pub fn new(id: String, offer_name: String, seats: u32, end_date: Date) -> OriginalSubscription {
        OriginalSubscription {
            id,
            offer_id: None,
            offer_name,
            seats,
            end_date,
            channel: Channel::Direct,
            auto_renew: false,
            price: None,
            target: None,
            confirmed: Confirmations::default(),
            tenant_subscription_id: None,
            path: Default::default(),
        }
    }

    /// The original the plan editor adds when the partner asks for one: no offer name yet, one
    /// seat, ending [`NEW_ORIGINAL_ENDS_IN_DAYS`] after `today`, until the partner types the
    /// real values.
    #[must_use]
    pub fn blank(id: String, today: Date) -> OriginalSubscription {
        OriginalSubscription::new(
            id,
            String::new(),
            1,
            today.plus_days(NEW_ORIGINAL_ENDS_IN_DAYS),
        )
    }

    /// [`OriginalSubscription::new`] for tests, with the end date as text.
    #[cfg(test)]
    pub(crate) fn for_test(id: &str, offer: &str, seats: u32, end: &str) -> OriginalSubscription {
        let end = Date::parse(end).expect("a test date");
        OriginalSubscription::new(id.into(), offer.into(), seats, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_added_original_is_direct_with_one_seat_ending_in_ninety_days() {
        let today = Date::parse("2026-12-01").unwrap();
        let o = OriginalSubscription::blank("new-1".into(), today);
        assert_eq!(o.id, "new-1");
        assert_eq!(o.offer_name, "");
        assert_eq!(o.seats, 1);
        assert_eq!(o.end_date, Date::parse("2027-03-01").unwrap());
        assert_eq!(o.channel, Channel::Direct);
        assert!(!o.auto_renew && o.price.is_none() && o.target.is_none() && o.offer_id.is_none());
    }

    #[test]
    fn channel_accepts_other_partner_and_writes_partner() {
        let c: Channel = serde_json::from_str("\"other-partner\"").unwrap();
        assert_eq!(c, Channel::Partner);
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"partner\"");
        assert_eq!(Channel::parse("EA"), Some(Channel::Ea));
        assert_eq!(Channel::parse("csp"), None);
    }

    #[test]
    fn record_json_is_camel_case_and_round_trips() {
        let mut r = MigrationRecord::prospect(" Contoso Ltd ", "Contoso.Example");
        r.invitation_sent_on = Some(Date::parse("2026-11-02").unwrap());
        r.originals.push(OriginalSubscription {
            channel: Channel::Ea,
            auto_renew: true,
            price: Some(Price {
                per_seat_per_month: UnitPrice::parse("23").unwrap(),
                currency: "JPY".into(),
            }),
            target: Some(TargetOffer {
                offer_id: None,
                offer_name: "Microsoft 365 E3".into(),
            }),
            ..OriginalSubscription::for_test("o1", "Office 365 E3", 10, "2027-03-31")
        });
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(
            json["key"],
            serde_json::json!({"kind": "domain", "value": "contoso.example"})
        );
        assert_eq!(json["customerName"], "Contoso Ltd");
        assert_eq!(json["invitationSentOn"], "2026-11-02");
        assert_eq!(json["originals"][0]["endDate"], "2027-03-31");
        assert_eq!(json["originals"][0]["price"]["perSeatPerMonth"], "23.00");
        // Absent values are left out (nothing confirmed, no ids), and read back as absent.
        let original = json["originals"][0].as_object().unwrap();
        for absent in ["confirmed", "offerId", "tenantSubscriptionId"] {
            assert!(!original.contains_key(absent), "{absent}: {original:?}");
        }
        assert!(
            !json["originals"][0]["target"]
                .as_object()
                .unwrap()
                .contains_key("offerId")
        );
        let back: MigrationRecord = serde_json::from_value(json).unwrap();
        assert_eq!(back, r);
        let rows = r.plan_rows(Relationship::Invited);
        assert_eq!(rows[0].target_offer.as_deref(), Some("Microsoft 365 E3"));
        assert_eq!(rows[0].currency.as_deref(), Some("JPY"));
    }

    #[test]
    fn record_keyed_by_partner_center_id() {
        let key = CustomerKey::PcCustomerId("8c4e…".into());
        let json = serde_json::to_string(&key).unwrap();
        assert_eq!(json, r#"{"kind":"pcCustomerId","value":"8c4e…"}"#);
    }
}
