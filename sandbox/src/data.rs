//! The sandbox's world: tenants, their CSP subscriptions and their original (non-CSP) licences.
use std::collections::HashMap;

use crate::catalog::OFFERS;
use crate::dates::Date;
use crate::names::Country;

/// Where a tenant stands with the partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relationship {
    /// Listed in `GET /v1/customers` with `relationshipToPartner: "reseller"`.
    Reseller,
    /// Has not accepted the reseller relationship; `invited` says whether the partner sent the link.
    Prospect { invited: bool },
}

/// A customer tenant (reseller customer or prospect).
#[derive(Debug, Clone)]
pub struct Tenant {
    /// Customer id, which Partner Center makes equal to the tenant id.
    pub id: String,
    pub commerce_id: String,
    pub name: String,
    /// `companyProfile.domain`, lower-case.
    pub domain: String,
    /// Every verified domain, the primary one included.
    pub domains: Vec<String>,
    pub country: &'static Country,
    pub address: Address,
    pub relationship: Relationship,
    /// Generated as a prospect (stays true after accepting).
    pub seeded_as_prospect: bool,
    pub subscriptions: Vec<Subscription>,
    pub originals: Vec<Original>,
    /// Free licences (index into `FREE_SKUS`, units, assigned units).
    pub free_skus: Vec<(usize, u32, u32)>,
    /// Share of paid seats assigned to users, in percent.
    pub utilisation: u32,
}

#[derive(Debug, Clone)]
pub struct Address {
    pub line1: &'static str,
    pub city: &'static str,
    pub state: &'static str,
    pub postal_code: &'static str,
    pub phone: String,
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub email: String,
}

/// A subscription sold through CSP (what `GET …/subscriptions` lists).
#[derive(Debug, Clone)]
pub struct Subscription {
    pub id: String,
    pub order_id: String,
    /// Index into [`OFFERS`].
    pub offer: usize,
    pub friendly_name: String,
    pub quantity: u32,
    /// Creation instant, Unix seconds.
    pub created: i64,
    pub start: Date,
    /// `commitmentEndDate` (inclusive).
    pub end: Date,
    pub term: &'static str,
    pub billing_cycle: &'static str,
    pub status: &'static str,
    pub auto_renew: bool,
    /// Bumped on every change; the ETag is derived from it.
    pub version: u32,
    /// Seats that may still be removed: `(quantity, allowed until, Unix seconds)`.
    pub refundable: Vec<(u32, i64)>,
}

impl Subscription {
    pub fn offer(&self) -> &'static crate::catalog::Offer {
        &OFFERS[self.offer]
    }

    /// The ETag sent in `attributes.etag` and expected in `If-Match`.
    pub fn etag(&self) -> String {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in self.id.bytes().chain(self.version.to_le_bytes()) {
            h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
        format!("{h:016x}")
    }

    /// Seats still removable at `now`.
    pub fn refundable_quantity(&self, now: i64) -> u32 {
        self.refundable
            .iter()
            .filter(|(_, until)| *until > now)
            .map(|(q, _)| q)
            .sum()
    }
}

/// A subscription bought outside CSP (direct, Open, EA or another partner): what the partner
/// imports from a spreadsheet and what `subscribedskus` shows next to the CSP seats.
#[derive(Debug, Clone)]
pub struct Original {
    pub offer: usize,
    pub seats: u32,
    pub end: Date,
    /// `direct`, `open`, `ea` or `partner` (the planner's CSV values).
    pub channel: &'static str,
    pub auto_renew: bool,
    /// Price per seat per month in the tenant's currency, when the partner knows it.
    pub monthly_price: Option<String>,
    /// Offer to buy in CSP instead of the same one.
    pub target_offer: Option<usize>,
}

/// Everything the sandbox serves; lives behind a lock in the router state.
#[derive(Debug)]
pub struct World {
    pub partner_tenant_id: String,
    pub today: Date,
    pub tenants: Vec<Tenant>,
    /// Tenants in `GET /v1/customers` order (indices into `tenants`).
    pub listed: Vec<usize>,
    pub by_id: HashMap<String, usize>,
    pub by_domain: HashMap<String, usize>,
    /// The first answer to each `MS-RequestId` (`customer/request id`), so a retried request
    /// gets the same order instead of buying twice.
    pub orders_by_request: HashMap<String, serde_json::Value>,
    /// The partner's GDAP admin relationships (Graph `delegatedAdminRelationship`).
    pub gdap: Vec<crate::gdap::Relationship>,
    /// Partner-to-partner transfers, by customer id (lower-case).
    pub transfers: HashMap<String, Vec<crate::transfers::Transfer>>,
    /// Microsoft Customer Agreement acceptances recorded per customer id (lower-case).
    pub agreements: HashMap<String, Vec<serde_json::Value>>,
    /// Orders placed through the API, by `customer id/order id` (both lower-case).
    pub orders: HashMap<String, PlacedOrder>,
}

/// An order placed through `POST …/orders`; it is `pending` until the fulfilment delay has passed.
#[derive(Debug, Clone)]
pub struct PlacedOrder {
    /// The Order resource as first answered (status `pending`, or `completed` without delay).
    pub body: serde_json::Value,
    /// When it was placed (wall clock; the delay is measured from here).
    pub placed: std::time::Instant,
}

impl World {
    /// A reseller customer by id.
    pub fn customer(&self, id: &str) -> Option<&Tenant> {
        self.by_id
            .get(&id.to_ascii_lowercase())
            .map(|&i| &self.tenants[i])
            .filter(|t| t.relationship == Relationship::Reseller)
    }

    pub fn customer_mut(&mut self, id: &str) -> Option<&mut Tenant> {
        let i = *self.by_id.get(&id.to_ascii_lowercase())?;
        Some(&mut self.tenants[i]).filter(|t| t.relationship == Relationship::Reseller)
    }

    /// Every prospect, accepted or not, in generation order.
    pub fn prospects(&self) -> impl Iterator<Item = &Tenant> {
        self.tenants.iter().filter(|t| t.seeded_as_prospect)
    }

    /// Any tenant (customer or prospect) by id.
    pub fn tenant(&self, id: &str) -> Option<&Tenant> {
        self.by_id
            .get(&id.to_ascii_lowercase())
            .map(|&i| &self.tenants[i])
    }

    /// Whether the partner holds an active admin relationship with this tenant at `now`.
    pub fn has_active_gdap(&self, tenant_id: &str, now: i64) -> bool {
        self.gdap.iter().any(|r| {
            r.customer_tenant_id.eq_ignore_ascii_case(tenant_id)
                && r.status_at(now).status == "active"
        })
    }

    /// Makes the prospect with this domain a reseller customer; `None` when no tenant has it.
    pub fn accept(&mut self, domain: &str) -> Option<&Tenant> {
        let i = *self.by_domain.get(&domain.trim().to_ascii_lowercase())?;
        if let Relationship::Prospect { .. } = self.tenants[i].relationship {
            self.tenants[i].relationship = Relationship::Reseller;
            self.listed.push(i);
        }
        Some(&self.tenants[i])
    }
}

impl Tenant {
    /// Whether the tenant is listed in `GET /v1/customers`.
    pub fn is_customer(&self) -> bool {
        self.relationship == Relationship::Reseller
    }
}
