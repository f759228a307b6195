//! Generates the world from the seed: same seed and settings, same customers, ids and dates.
use std::collections::{HashMap, HashSet};

use crate::catalog::{self, ENTERPRISE_WEIGHTS, FREE_SKUS, OFFERS, SMB_WEIGHTS};
use crate::config::SandboxConfig;
use crate::data::{Address, Original, Relationship, Subscription, Tenant, World};
use crate::dates::Date;
use crate::names;
use crate::prng::{Rng, derive};

const TAG_PARTNER: u64 = 1;
const TAG_CUSTOMER: u64 = 2;
const TAG_PROSPECT: u64 = 3;
const TAG_LARGE: u64 = 4;

/// The customer (position in `GET /v1/customers`) whose tenant holds several hundred original
/// subscriptions, as a large Enterprise Agreement customer might.
pub const LARGE_TENANT: usize = 5;
/// How many originals that tenant holds in all.
pub const LARGE_TENANT_ORIGINALS: usize = 340;

/// How far a customer's move has got, which decides what it holds in CSP and outside it.
#[derive(Clone, Copy, PartialEq)]
enum Progress {
    /// Long-time CSP customer: CSP subscriptions only.
    Settled,
    /// Just accepted: originals only.
    Fresh,
    /// Some offers provisioned in CSP, others still original only.
    Partial,
    /// Everything bought in CSP, originals still running until they end.
    Overlap,
}

/// Builds the whole world for `config`, with "today" already resolved.
pub fn world(config: &SandboxConfig, today: Date) -> World {
    let mut rng = Rng::new(derive(config.seed, TAG_PARTNER, 0));
    let partner_tenant_id = rng.guid();
    let customers = config.customers.min(crate::config::MAX_CUSTOMERS);
    let prospects = config.prospects.min(crate::config::MAX_CUSTOMERS);
    let mut taken = HashSet::with_capacity((customers + prospects) * 2);
    let mut tenants = Vec::with_capacity(customers + prospects);
    for i in 0..customers {
        let mut rng = Rng::new(derive(config.seed, TAG_CUSTOMER, i as u64));
        tenants.push(tenant(&mut rng, today, false, &mut taken));
    }
    for i in 0..prospects {
        let mut rng = Rng::new(derive(config.seed, TAG_PROSPECT, i as u64));
        tenants.push(tenant(&mut rng, today, true, &mut taken));
    }
    if let Some(t) = tenants
        .get_mut(LARGE_TENANT)
        .filter(|_| LARGE_TENANT < customers)
    {
        let mut rng = Rng::new(derive(config.seed, TAG_LARGE, 0));
        while t.originals.len() < LARGE_TENANT_ORIGINALS {
            let o = rng.weighted(&ENTERPRISE_WEIGHTS);
            let seats = seat_count(&mut rng, true, OFFERS[o].max_quantity).min(500);
            let mut original = original(&mut rng, today, o, seats, true, t.country.currency);
            original.channel = "ea";
            original.auto_renew = false;
            t.originals.push(original);
        }
    }
    let gdap = crate::gdap::seed(config.seed, &tenants, customers, today);
    let mut by_id = HashMap::with_capacity(tenants.len());
    let mut by_domain = HashMap::with_capacity(tenants.len() * 2);
    for (i, t) in tenants.iter().enumerate() {
        by_id.insert(t.id.clone(), i);
        for d in &t.domains {
            by_domain.insert(d.clone(), i);
        }
    }
    World {
        partner_tenant_id,
        today,
        listed: (0..customers).collect(),
        tenants,
        by_id,
        by_domain,
        orders_by_request: HashMap::new(),
        orders: HashMap::new(),
        agreements: HashMap::new(),
        gdap,
        transfers: HashMap::new(),
    }
}

fn tenant(rng: &mut Rng, today: Date, prospect: bool, taken: &mut HashSet<String>) -> Tenant {
    let id = rng.guid();
    let commerce_id = rng.guid();
    let company = names::company(rng);
    let initial = unique(taken, |n| names::initial_domain(&company.words, n));
    let vanity_primary = rng.chance(0.45);
    let mut domains = vec![initial.clone()];
    let domain = if vanity_primary || rng.chance(0.3) {
        let tld = *rng.pick(company.country.vanity_tlds);
        let vanity = unique(taken, |n| names::vanity_domain(&company.words, tld, n));
        domains.push(vanity.clone());
        if vanity_primary { vanity } else { initial }
    } else {
        initial
    };
    let &(city, state, postal_code, phone_prefix) = rng.pick(company.country.cities);
    let (first_name, last_name) = names::contact(rng, company.japanese);
    let line1 = *rng.pick(company.country.streets);
    let address = Address {
        line1,
        city,
        state,
        postal_code,
        phone: format!(
            "{phone_prefix} {:04} {:04}",
            rng.range(1000, 9999),
            rng.range(0, 9999)
        ),
        first_name,
        last_name,
        email: format!("it-admin@{domain}"),
    };
    let enterprise = rng.chance(0.18);
    let progress = if prospect {
        Progress::Fresh
    } else {
        [
            Progress::Settled,
            Progress::Fresh,
            Progress::Partial,
            Progress::Overlap,
            // A partner running Cutover is moving most of its customers: a fifth are settled in CSP,
            // the rest still pay for originals elsewhere.
        ][rng.weighted(&[20, 35, 25, 20])]
    };
    let weights: &[u32] = if enterprise {
        &ENTERPRISE_WEIGHTS
    } else {
        &SMB_WEIGHTS
    };
    let mut offers: Vec<usize> = Vec::new();
    for _ in 0..rng.weighted(&[0, 45, 30, 17, 8]) {
        let o = rng.weighted(weights);
        if !offers.contains(&o) {
            offers.push(o);
        }
    }
    let mut subscriptions = Vec::new();
    let mut originals = Vec::new();
    for &o in &offers {
        let seats = seat_count(rng, enterprise, OFFERS[o].max_quantity);
        let (in_csp, outside) = match progress {
            Progress::Settled => (true, false),
            Progress::Fresh => (false, true),
            Progress::Partial => {
                let csp = rng.chance(0.5);
                (csp, !csp)
            }
            Progress::Overlap => (true, true),
        };
        if in_csp {
            subscriptions.push(subscription(rng, today, o, seats));
        }
        if outside {
            originals.push(original(
                rng,
                today,
                o,
                seats,
                enterprise,
                company.country.currency,
            ));
        }
    }
    let mut free_skus = Vec::new();
    for (k, _) in FREE_SKUS.iter().enumerate() {
        if rng.chance(0.25) {
            free_skus.push((k, 10_000, rng.range(1, 40) as u32));
        }
    }
    Tenant {
        id,
        commerce_id,
        name: company.name,
        domain,
        domains,
        country: company.country,
        address,
        relationship: if prospect {
            Relationship::Prospect {
                invited: rng.chance(0.6),
            }
        } else {
            Relationship::Reseller
        },
        seeded_as_prospect: prospect,
        subscriptions,
        originals,
        free_skus,
        utilisation: rng.range(70, 100) as u32,
    }
}

/// The first candidate domain (attempt 0, 1, 2, …) nobody has taken yet.
fn unique(taken: &mut HashSet<String>, candidate: impl Fn(u32) -> String) -> String {
    let mut attempt = 0;
    loop {
        let d = candidate(attempt);
        if taken.insert(d.clone()) {
            return d;
        }
        attempt += 1;
    }
}

/// Mostly small tenants, a long tail of large ones.
fn seat_count(rng: &mut Rng, enterprise: bool, max: u32) -> u32 {
    let n = if enterprise {
        [
            rng.range(50, 300),
            rng.range(300, 1500),
            rng.range(1500, 6000),
        ][rng.weighted(&[50, 38, 12])]
    } else {
        [rng.range(1, 10), rng.range(10, 50), rng.range(50, 300)][rng.weighted(&[45, 40, 15])]
    };
    (n as u32).clamp(1, max)
}

fn subscription(rng: &mut Rng, today: Date, offer: usize, quantity: u32) -> Subscription {
    // End dates spread over the next 18 months; a few already expired.
    let expired = rng.chance(0.04);
    let end = if expired {
        today.add_days(-(rng.range(1, 29) as i64))
    } else {
        today.add_days(rng.range(1, 548) as i64)
    };
    let days_left = end.0 - today.0;
    let term = if days_left > 365 {
        "P3Y"
    } else if days_left <= 31 && rng.chance(0.3) {
        "P1M"
    } else {
        "P1Y"
    };
    let start = match term {
        "P1M" => end.add_months(-1).add_days(1),
        "P1Y" => end.add_months(-12).add_days(1),
        _ => end.add_months(-36).add_days(1),
    };
    let billing_cycle = match term {
        "P1M" => "monthly",
        "P1Y" => ["monthly", "annual"][rng.weighted(&[60, 40])],
        _ => ["monthly", "annual", "triennial"][rng.weighted(&[40, 45, 15])],
    };
    let status = if expired {
        "expired"
    } else if rng.chance(0.03) {
        "suspended"
    } else {
        "active"
    };
    let auto_renew = status == "active" && rng.chance(0.8);
    let friendly_name = if rng.chance(0.15) {
        (*rng.pick(&[
            "Head office",
            "Sales team",
            "Warehouse staff",
            "営業部",
            "本社",
            "Contractors",
        ]))
        .to_string()
    } else {
        OFFERS[offer].name.to_string()
    };
    Subscription {
        id: rng.guid(),
        order_id: order_id(rng),
        offer,
        friendly_name,
        quantity,
        created: start.midnight() + rng.range(8 * 3600, 18 * 3600) as i64,
        start,
        end,
        term,
        billing_cycle,
        status,
        auto_renew,
        version: 1,
        refundable: Vec::new(),
    }
}

/// An order id in the short hexadecimal form Partner Center shows.
pub fn order_id(rng: &mut Rng) -> String {
    format!("{:012x}", rng.next_u64() & 0xffff_ffff_ffff)
}

fn original(
    rng: &mut Rng,
    today: Date,
    offer: usize,
    seats: u32,
    enterprise: bool,
    currency: &str,
) -> Original {
    let channel = if enterprise {
        ["ea", "open", "direct", "partner"][rng.weighted(&[60, 5, 25, 10])]
    } else {
        ["direct", "partner", "open"][rng.weighted(&[72, 22, 6])]
    };
    let end = if rng.chance(0.05) {
        today.add_days(-(rng.range(1, 25) as i64))
    } else {
        today.add_days(rng.range(3, 548) as i64)
    };
    let auto_renew = match channel {
        "direct" => rng.chance(0.6),
        "partner" => rng.chance(0.4),
        _ => false,
    };
    let monthly_price = rng
        .chance(0.7)
        .then(|| catalog::local_price(OFFERS[offer].usd_price, currency));
    let target_offer = if rng.chance(0.12) {
        match OFFERS[offer].sku_part {
            "EXCHANGESTANDARD" => Some(0),
            "O365_BUSINESS_PREMIUM" => Some(2),
            "ENTERPRISEPACK" => Some(9),
            _ => None,
        }
    } else {
        None
    };
    Original {
        offer,
        seats,
        end,
        channel,
        auto_renew,
        monthly_price,
        target_offer,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(customers: usize) -> SandboxConfig {
        SandboxConfig {
            customers,
            ..SandboxConfig::default()
        }
    }

    #[test]
    fn domains_and_ids_are_unique() {
        let w = world(&config(3000), Date::parse("2026-11-24").unwrap());
        let ids: HashSet<_> = w.tenants.iter().map(|t| &t.id).collect();
        assert_eq!(ids.len(), w.tenants.len());
        assert_eq!(
            w.by_domain.len(),
            w.tenants.iter().map(|t| t.domains.len()).sum::<usize>()
        );
    }

    #[test]
    fn larger_worlds_extend_smaller_ones() {
        let today = Date::parse("2026-11-24").unwrap();
        let small = world(&config(50), today);
        let large = world(&config(500), today);
        for i in 0..50 {
            assert_eq!(small.tenants[i].id, large.tenants[i].id);
            assert_eq!(small.tenants[i].domain, large.tenants[i].domain);
        }
    }

    #[test]
    fn csp_end_dates_fall_within_eighteen_months() {
        let today = Date::parse("2026-11-24").unwrap();
        let w = world(&config(1000), today);
        for s in w.tenants.iter().flat_map(|t| &t.subscriptions) {
            assert!(
                s.end.0 - today.0 <= 548 && s.end.0 - today.0 >= -30,
                "{}",
                s.end
            );
            assert!(s.start < s.end);
            assert!(s.quantity >= 1 && s.quantity <= s.offer().max_quantity);
        }
    }

    #[test]
    fn prospects_hold_originals_only() {
        let w = world(&config(10), Date::parse("2026-11-24").unwrap());
        let prospects: Vec<_> = w.prospects().collect();
        assert_eq!(prospects.len(), SandboxConfig::default().prospects);
        assert!(
            prospects
                .iter()
                .all(|t| t.subscriptions.is_empty() && !t.originals.is_empty())
        );
    }
}
