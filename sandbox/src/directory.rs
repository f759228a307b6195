//! A customer tenant as Microsoft Graph shows it: `directory/subscriptions` (companySubscription)
//! and `subscribedSkus`.
//!
//! Built on request from the tenant's current state, so it always agrees with Partner Center:
//! - every original (non-CSP) subscription appears with its offer's `skuPartNumber`/`skuId`,
//!   `totalLicenses` = seats and `nextLifecycleDateTime` on its end date (`{end}T23:59:59Z`), so
//!   these equal `/sandbox/originals.csv`;
//! - every CSP subscription appears with `commerceSubscriptionId` = its Partner Center id;
//! - free licences (`FLOW_FREE`, `POWER_BI_STANDARD`, …) have no `nextLifecycleDateTime`;
//! - some tenants also hold a trial, a deleted subscription, or a paid subscription whose part
//!   number is not in Cutover's catalogue (half of those without `nextLifecycleDateTime`). These
//!   extras are not in `originals.csv`: a trial, a free or a deleted subscription is not an
//!   original, and the CSV cannot name an unknown product.
use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::catalog::{FREE_SKUS, OFFERS};
use crate::data::Tenant;
use crate::dates::{Date, timestamp};
use crate::prng::{Rng, derive, mix};

const TAG_GRAPH: u64 = 0x0067_7261_7068;

/// Part numbers of products Cutover's catalogue does not know, with a skuId each.
const UNKNOWN_SKUS: &[(&str, &str)] = &[
    ("CPC_E_2C_8GB_128GB", "9d2eed2c-b0c0-4a89-940c-bc303444a41b"),
    ("PROJECT_PLAN3_DEPT", "46102f44-d912-47e7-b0ca-1bd7b70ada3b"),
    ("MEETING_ROOM", "6070a4c8-34c6-4937-8dfb-39bbc6397a60"),
];

/// A trial of this offer (index into [`OFFERS`]) is what tenants try most.
const TRIAL_OFFERS: &[usize] = &[2, 10, 9];

/// One companySubscription, before it becomes JSON.
#[derive(Debug, Clone)]
pub struct CompanySubscription {
    pub id: String,
    pub commerce_subscription_id: String,
    pub sku_id: &'static str,
    pub sku_part_number: &'static str,
    pub status: &'static str,
    pub total_licenses: u32,
    pub is_trial: bool,
    pub created: i64,
    pub next_lifecycle: Option<String>,
    pub owner_tenant_id: Option<String>,
    /// `(servicePlanId, servicePlanName)`.
    pub plans: &'static [(&'static str, &'static str, &'static str)],
}

fn guid_from(seed: u64, a: u64, b: u64) -> String {
    Rng::new(derive(seed, TAG_GRAPH ^ a, b)).guid()
}

fn hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// Status of a subscription that ended `days_past_end` days ago (negative: still running).
fn status_after_end(days_past_end: i64) -> &'static str {
    if days_past_end <= 0 {
        "Enabled"
    } else if days_past_end <= 30 {
        "Warning"
    } else if days_past_end <= 120 {
        "Suspended"
    } else {
        "Deleted"
    }
}

fn end_instant(end: Date) -> String {
    format!("{end}T23:59:59Z")
}

/// Every subscription in the tenant, in a stable order: originals, CSP, free, extras.
pub fn subscriptions(
    seed: u64,
    partner_tenant_id: &str,
    t: &Tenant,
    today: Date,
) -> Vec<CompanySubscription> {
    let key = hash(&t.id);
    let mut out = Vec::with_capacity(t.originals.len() + t.subscriptions.len() + 4);
    for (k, o) in t.originals.iter().enumerate() {
        let offer = &OFFERS[o.offer];
        let other_partner =
            (o.channel == "partner").then(|| guid_from(seed, 0x6f70, mix(key) % 997));
        out.push(CompanySubscription {
            id: guid_from(seed, key, 2 * k as u64),
            commerce_subscription_id: guid_from(seed, key, 2 * k as u64 + 1),
            sku_id: offer.sku_id,
            sku_part_number: offer.sku_part,
            status: status_after_end(today.0 - o.end.0),
            total_licenses: o.seats,
            is_trial: false,
            created: o.end.add_months(-12).add_days(1).midnight() + 10 * 3600,
            next_lifecycle: Some(end_instant(o.end)),
            owner_tenant_id: other_partner,
            plans: offer.plans,
        });
    }
    for s in &t.subscriptions {
        let offer = s.offer();
        let status = match s.status {
            "active" => "Enabled",
            "suspended" => "Suspended",
            "expired" => "Warning",
            _ => "Deleted",
        };
        out.push(CompanySubscription {
            id: guid_from(seed, hash(&s.id), 0),
            commerce_subscription_id: s.id.clone(),
            sku_id: offer.sku_id,
            sku_part_number: offer.sku_part,
            status,
            total_licenses: s.quantity,
            is_trial: false,
            created: s.created,
            next_lifecycle: Some(end_instant(s.end)),
            owner_tenant_id: Some(partner_tenant_id.to_string()),
            plans: offer.plans,
        });
    }
    for (n, &(k, units, _)) in t.free_skus.iter().enumerate() {
        let f = &FREE_SKUS[k];
        out.push(CompanySubscription {
            id: guid_from(seed, key, 10_000 + n as u64),
            commerce_subscription_id: guid_from(seed, key, 20_000 + n as u64),
            sku_id: f.sku_id,
            sku_part_number: f.sku_part,
            status: "Enabled",
            total_licenses: units,
            is_trial: false,
            created: today.add_days(-400).midnight(),
            next_lifecycle: None,
            owner_tenant_id: None,
            plans: &[],
        });
    }
    let mut rng = Rng::new(derive(seed, TAG_GRAPH, key));
    if rng.chance(0.12) {
        let offer = &OFFERS[*rng.pick(TRIAL_OFFERS)];
        let ends = today.add_days(rng.range(1, 30) as i64);
        out.push(CompanySubscription {
            id: guid_from(seed, key, 30_000),
            commerce_subscription_id: guid_from(seed, key, 30_001),
            sku_id: offer.sku_id,
            sku_part_number: offer.sku_part,
            status: "Enabled",
            total_licenses: 25,
            is_trial: true,
            created: ends.add_days(-30).midnight(),
            next_lifecycle: Some(end_instant(ends)),
            owner_tenant_id: None,
            plans: offer.plans,
        });
    }
    if rng.chance(0.06) {
        let (part, sku) = *rng.pick(UNKNOWN_SKUS);
        let dated = rng.chance(0.5);
        let ends = today.add_days(rng.range(20, 400) as i64);
        out.push(CompanySubscription {
            id: guid_from(seed, key, 40_000),
            commerce_subscription_id: guid_from(seed, key, 40_001),
            sku_id: sku,
            sku_part_number: part,
            status: "Enabled",
            total_licenses: rng.range(1, 20) as u32,
            is_trial: false,
            created: today.add_days(-200).midnight(),
            next_lifecycle: dated.then(|| end_instant(ends)),
            owner_tenant_id: None,
            plans: &[],
        });
    }
    if rng.chance(0.05) {
        let offer = &OFFERS[rng.range(0, 2) as usize];
        let ended = today.add_days(-(rng.range(150, 400) as i64));
        out.push(CompanySubscription {
            id: guid_from(seed, key, 50_000),
            commerce_subscription_id: guid_from(seed, key, 50_001),
            sku_id: offer.sku_id,
            sku_part_number: offer.sku_part,
            status: "Deleted",
            total_licenses: rng.range(1, 30) as u32,
            is_trial: false,
            created: ended.add_months(-12).midnight(),
            next_lifecycle: None,
            owner_tenant_id: None,
            plans: offer.plans,
        });
    }
    out
}

/// One companySubscription in Graph's JSON.
pub fn subscription_json(s: &CompanySubscription) -> Value {
    let plans: Vec<Value> = s
        .plans
        .iter()
        .map(|(id, name, _)| {
            json!({"servicePlanId": id, "servicePlanName": name, "provisioningStatus": "Success", "appliesTo": "User"})
        })
        .collect();
    json!({
        "id": s.id,
        "commerceSubscriptionId": s.commerce_subscription_id,
        "createdDateTime": timestamp(s.created, Some(0)),
        "isTrial": s.is_trial,
        "nextLifecycleDateTime": s.next_lifecycle,
        "ownerId": null,
        "ownerTenantId": s.owner_tenant_id,
        "ownerType": if s.owner_tenant_id.is_some() { "Company" } else { "User" },
        "serviceStatus": plans,
        "skuId": s.sku_id,
        "skuPartNumber": s.sku_part_number,
        "status": s.status,
        "totalLicenses": s.total_licenses,
    })
}

/// `subscribedSkus`: the tenant's subscriptions grouped by SKU, with prepaid units by state.
pub fn subscribed_skus(t: &Tenant, subs: &[CompanySubscription]) -> Vec<Value> {
    #[derive(Default)]
    struct Units {
        enabled: u32,
        warning: u32,
        suspended: u32,
        locked_out: u32,
        part: &'static str,
        plans: &'static [(&'static str, &'static str, &'static str)],
    }
    let mut by_sku: BTreeMap<&'static str, Units> = BTreeMap::new();
    for s in subs {
        let u = by_sku.entry(s.sku_id).or_default();
        u.part = s.sku_part_number;
        u.plans = s.plans;
        match s.status {
            "Enabled" => u.enabled += s.total_licenses,
            "Warning" => u.warning += s.total_licenses,
            "Suspended" => u.suspended += s.total_licenses,
            "LockedOut" => u.locked_out += s.total_licenses,
            _ => {}
        }
    }
    by_sku
        .into_iter()
        .filter(|(_, u)| u.enabled + u.warning + u.suspended + u.locked_out > 0)
        .map(|(sku, u)| {
            let status = if u.enabled > 0 {
                "Enabled"
            } else if u.warning > 0 {
                "Warning"
            } else if u.suspended > 0 {
                "Suspended"
            } else {
                "LockedOut"
            };
            let consumed = (u.enabled + u.warning) * t.utilisation / 100;
            let plans: Vec<Value> = u
                .plans
                .iter()
                .map(|(id, name, _)| {
                    json!({"servicePlanId": id, "servicePlanName": name, "provisioningStatus": "Success", "appliesTo": "User"})
                })
                .collect();
            json!({
                "accountId": t.id,
                "accountName": t.name,
                "appliesTo": "User",
                "capabilityStatus": status,
                "consumedUnits": consumed,
                "id": format!("{}_{sku}", t.id),
                "prepaidUnits": {
                    "enabled": u.enabled,
                    "suspended": u.suspended,
                    "warning": u.warning,
                    "lockedOut": u.locked_out,
                },
                "servicePlans": plans,
                "skuId": sku,
                "skuPartNumber": u.part,
                "subscriptionIds": subs.iter().filter(|s| s.sku_id == sku).map(|s| s.id.clone()).collect::<Vec<_>>(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SandboxConfig;

    #[test]
    fn originals_appear_with_their_seats_and_end_dates_and_csp_ones_with_their_pc_id() {
        let today = Date::parse("2026-11-24").unwrap();
        let config = SandboxConfig {
            customers: 200,
            ..SandboxConfig::default()
        };
        let w = crate::seed::world(&config, today);
        let (mut originals, mut csp) = (0, 0);
        for t in &w.tenants {
            let subs = subscriptions(config.seed, &w.partner_tenant_id, t, today);
            for o in &t.originals {
                let want = end_instant(o.end);
                assert!(
                    subs.iter()
                        .any(|s| s.sku_part_number == OFFERS[o.offer].sku_part
                            && s.total_licenses == o.seats
                            && s.next_lifecycle.as_deref() == Some(want.as_str())
                            && s.owner_tenant_id.as_deref() != Some(w.partner_tenant_id.as_str()))
                );
                originals += 1;
            }
            for p in &t.subscriptions {
                assert!(
                    subs.iter()
                        .any(|s| s.commerce_subscription_id == p.id
                            && s.total_licenses == p.quantity)
                );
                csp += 1;
            }
        }
        assert!(originals > 100 && csp > 100, "{originals} {csp}");
    }
}
