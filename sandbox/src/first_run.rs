//! The migration records a partner would have after using Cutover for a while, for a live first
//! run: the app opens on a portfolio where customers are at every point of the move.
//!
//! Per seeded tenant (drawn from the seed, so the same world always gives the same records):
//! - a customer mid-move (CSP subscriptions and originals) has a record (85 %), with the orders
//!   that bought its CSP subscriptions for the originals' offers (placed through Cutover, completed
//!   and fulfilled; the same order ids `GET …/orders/{id}` answers) and some confirmations:
//!   auto-renew switched off on originals that renew, an ended original confirmed as expired,
//!   licences reassigned where the target offer differs;
//! - a customer with originals only has a record half of the time; when admin access is active,
//!   some of those records were discovered from the tenant (each original carries its Graph
//!   subscription id) and the others are left for the partner to discover;
//! - a long-time CSP customer (no originals) has no record;
//! - an invited prospect has a record keyed by its domain with the day the invitation was sent
//!   (80 %); a prospect not yet invited sometimes has a draft plan (30 %).
use cutover_plan::date::Date as PlanDate;
use cutover_plan::money::UnitPrice;
use cutover_plan::orders::{OrderLine, PlacedOrder};
use cutover_plan::record::{
    Channel, Confirmations, CustomerKey, Ended, EndedHow, MigrationRecord, OriginalSubscription,
    Price, TargetOffer,
};
use cutover_plan::settings::SettingsOverrides;

use crate::catalog::OFFERS;
use crate::data::{Relationship, Tenant, World};
use crate::dates::Date;
use crate::prng::{Rng, derive};

const TAG_RECORDS: u64 = 0x7265_636f;

fn plan_date(d: Date) -> Option<PlanDate> {
    PlanDate::parse(&d.to_string()).ok()
}

fn channel(code: &str) -> Channel {
    Channel::parse(code).unwrap_or_default()
}

const NOTES: &[&str] = &[
    "",
    "",
    "",
    "IT admin prefers e-mail; call before the cutover week.",
    "情シス担当は月末が繁忙期のため、切替は月初を希望。",
    "Waiting for the finance team to approve the CSP price.",
    "Teams Phone numbers are ported separately.",
    "グループ会社2社を含む。",
];

/// Builds the records for every tenant of `world`, in tenant order.
pub fn records(world: &World, seed: u64) -> Vec<MigrationRecord> {
    let today = world.today;
    let now = today.midnight() + 9 * 3600;
    let mut out = Vec::new();
    for (i, t) in world.tenants.iter().enumerate() {
        let mut rng = Rng::new(derive(seed, TAG_RECORDS, i as u64));
        if t.originals.is_empty() {
            continue;
        }
        let record = match t.relationship {
            Relationship::Reseller => {
                let mid_move = !t.subscriptions.is_empty();
                let gdap_active = world.has_active_gdap(&t.id, now);
                // Most customers in motion have a plan by now; a few are left to import or to
                // discover from their tenant.
                let keep = if mid_move {
                    rng.chance(0.9)
                } else {
                    rng.chance(0.8)
                };
                if !keep {
                    continue;
                }
                let discovered = gdap_active && rng.chance(0.6);
                customer_record(world, seed, t, &mut rng, mid_move, discovered)
            }
            Relationship::Prospect { invited } => {
                if !(invited && rng.chance(0.8) || !invited && rng.chance(0.3)) {
                    continue;
                }
                let mut r = base_record(t, CustomerKey::Domain(t.domain.clone()), &mut rng, None);
                if invited {
                    r.invitation_sent_on = plan_date(today.add_days(-(rng.range(1, 40) as i64)));
                }
                r
            }
        };
        out.push(record);
    }
    out
}

fn customer_record(
    world: &World,
    seed: u64,
    t: &Tenant,
    rng: &mut Rng,
    mid_move: bool,
    discovered: bool,
) -> MigrationRecord {
    let today = world.today;
    let graph_ids: Option<Vec<String>> = discovered.then(|| {
        crate::directory::subscriptions(seed, &world.partner_tenant_id, t, today)
            .into_iter()
            .take(t.originals.len())
            .map(|s| s.id)
            .collect()
    });
    let mut r = base_record(t, CustomerKey::PcCustomerId(t.id.clone()), rng, graph_ids);
    // The invitation went out some weeks before the customer accepted.
    r.invitation_sent_on = plan_date(today.add_days(-(rng.range(20, 200) as i64)));
    if mid_move {
        r.orders = orders(t, seed);
        for (o, src) in r.originals.iter_mut().zip(&t.originals) {
            let mut c = Confirmations::default();
            if src.auto_renew && rng.chance(0.6) {
                c.auto_renew_off_on = plan_date(today.add_days(-(rng.range(1, 30) as i64)));
            }
            if src.end < today && rng.chance(0.7) {
                c.ended = plan_date(src.end.add_days(1)).map(|on| Ended {
                    on,
                    how: EndedHow::Expired,
                });
            }
            if src.target_offer.is_some() && rng.chance(0.5) {
                c.licences_reassigned_on = plan_date(today.add_days(-(rng.range(1, 20) as i64)));
            }
            o.confirmed = c;
        }
    }
    r
}

const STAFF: &[&str] = &[
    "a.tanaka@partner.example",
    "j.smith@partner.example",
    "m.suzuki@partner.example",
];

/// The orders (placed through Cutover) that bought the CSP subscriptions whose offer is one of the
/// customer's originals, one per Partner Center order id.
fn orders(t: &Tenant, seed: u64) -> Vec<PlacedOrder> {
    let mut out: Vec<PlacedOrder> = Vec::new();
    for s in &t.subscriptions {
        let Some(k) = t
            .originals
            .iter()
            .position(|o| o.offer == s.offer || o.target_offer == Some(s.offer))
        else {
            continue;
        };
        let line = OrderLine {
            offer_id: s.offer().offer_id.to_string(),
            offer_name: s.offer().name.to_string(),
            quantity: s.quantity,
            original_id: Some(format!("o{}", k + 1)),
            custom_term_end: None,
        };
        if let Some(o) = out
            .iter_mut()
            .find(|o| o.id.as_deref() == Some(s.order_id.as_str()))
        {
            o.lines.push(line);
            continue;
        }
        let mut rng = Rng::new(derive(seed, TAG_RECORDS ^ 0x6f72, mix_id(&s.order_id)));
        out.push(PlacedOrder {
            request_id: rng.guid(),
            id: Some(s.order_id.clone()),
            lines: vec![line],
            status: "completed".into(),
            created_at: crate::dates::timestamp(s.created, None),
            placed_by: rng.pick(STAFF).to_string(),
            fulfilled: true,
            error: None,
        });
    }
    out
}

fn mix_id(id: &str) -> u64 {
    id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

fn base_record(
    t: &Tenant,
    key: CustomerKey,
    rng: &mut Rng,
    graph_ids: Option<Vec<String>>,
) -> MigrationRecord {
    let originals = t
        .originals
        .iter()
        .enumerate()
        .filter_map(|(k, o)| {
            Some(OriginalSubscription {
                id: format!("o{}", k + 1),
                offer_id: None,
                offer_name: OFFERS[o.offer].name.to_string(),
                seats: o.seats,
                end_date: plan_date(o.end)?,
                channel: channel(o.channel),
                auto_renew: o.auto_renew,
                price: o
                    .monthly_price
                    .as_deref()
                    .and_then(|p| UnitPrice::parse(p).ok())
                    .map(|per_seat_per_month| Price {
                        per_seat_per_month,
                        currency: t.country.currency.to_string(),
                    }),
                target: o.target_offer.map(|x| TargetOffer {
                    offer_id: None,
                    offer_name: OFFERS[x].name.to_string(),
                }),
                confirmed: Confirmations::default(),
                tenant_subscription_id: graph_ids.as_ref().and_then(|ids| ids.get(k).cloned()),
                path: Default::default(),
            })
        })
        .collect();
    MigrationRecord {
        key,
        customer_name: t.name.clone(),
        domain: t.domain.clone(),
        originals,
        invitation_sent_on: None,
        notes: rng.pick(NOTES).to_string(),
        settings: SettingsOverrides::default(),
        orders: Vec::new(),
        tenant: None,
        transfers: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SandboxConfig;

    #[test]
    fn records_cover_every_point_of_the_move_and_match_the_seeded_originals() {
        let config = SandboxConfig {
            customers: 300,
            ..SandboxConfig::default()
        };
        let today = Date::parse("2026-11-24").unwrap();
        let world = crate::seed::world(&config, today);
        let records = records(&world, config.seed);
        let by_pc = records
            .iter()
            .filter(|r| matches!(r.key, CustomerKey::PcCustomerId(_)))
            .count();
        let prospects_invited = records
            .iter()
            .filter(|r| matches!(r.key, CustomerKey::Domain(_)) && r.invitation_sent_on.is_some())
            .count();
        let discovered = records
            .iter()
            .filter(|r| {
                r.originals
                    .iter()
                    .any(|o| o.tenant_subscription_id.is_some())
            })
            .count();
        let confirmed = records
            .iter()
            .flat_map(|r| &r.originals)
            .filter(|o| o.confirmed != Confirmations::default())
            .count();
        let with_orders = records.iter().filter(|r| !r.orders.is_empty()).count();
        assert!(by_pc > 50 && prospects_invited > 5 && discovered > 5 && confirmed > 10);
        assert!(with_orders > 10, "{with_orders}");
        // Customers without originals have no record; some customers with originals have none
        // yet (left to import or discover).
        let with_originals = world
            .tenants
            .iter()
            .filter(|t| !t.originals.is_empty())
            .count();
        assert!(records.len() < with_originals);
        for r in &records {
            let t = &world.tenants[world.by_domain[&r.domain]];
            assert_eq!(r.originals.len(), t.originals.len(), "{}", r.domain);
            for (o, src) in r.originals.iter().zip(&t.originals) {
                assert_eq!(o.seats, src.seats);
                assert_eq!(o.end_date.to_string(), src.end.to_string());
            }
            // Every order names subscriptions the customer really holds in Partner Center.
            for order in &r.orders {
                let oid = order.id.as_deref().unwrap();
                let held: u32 = t
                    .subscriptions
                    .iter()
                    .filter(|s| s.order_id == oid)
                    .map(|s| s.quantity)
                    .sum();
                assert_eq!(order.lines.iter().map(|l| l.quantity).sum::<u32>(), held);
            }
        }
    }
}
