//! Grouping a plan's subscriptions into customers by domain.
//!
//! This index is the planner's hot spot at scale: one lookup per row, in no useful order, so
//! each lookup is a cache miss. It is keyed by a 64-bit hash of the domain (a small table), and
//! each hit is confirmed by comparing the domain itself, so two domains that share a hash still
//! never share a customer. The planner runs it as a second, tight pass over compact per-row
//! facts: with little work per row the processor overlaps many rows' misses.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasherDefault, Hasher};
use std::marker::PhantomData;

use crate::date::Date;
use crate::planner::{CustomerPlan, NextAction, SubscriptionPlan, TENANT_SUBSCRIPTION_LIMIT};
use crate::warnings::{Warning, Warnings};

/// Hashes a normalised domain.
pub(crate) trait DomainHash {
    /// The 64-bit hash of `bytes`.
    fn hash(bytes: &[u8]) -> u64;
}

/// The Fx hash of rustc: fast and non-cryptographic (the input is the partner's own data, so
/// hash flooding is not a concern).
pub(crate) struct FxDomainHash;

impl DomainHash for FxDomainHash {
    fn hash(bytes: &[u8]) -> u64 {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let add = |h: u64, word: u64| (h.rotate_left(5) ^ word).wrapping_mul(K);
        let mut h = 0;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            h = add(
                h,
                u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]),
            );
        }
        let rest = chunks.remainder();
        let mut last = [0u8; 8];
        last[..rest.len()].copy_from_slice(rest);
        h = add(h, u64::from_le_bytes(last) ^ ((bytes.len() as u64) << 56));
        // The multiply mixes the high bits well and the low ones poorly; the table takes its
        // position from the low bits.
        h.rotate_left(26)
    }
}

/// A hasher that passes on a hash already computed (the table's keys are hashes).
#[derive(Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn write(&mut self, bytes: &[u8]) {
        // Only u64 keys are hashed here; fold anything else in anyway.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, h: u64) {
        self.0 = h;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Domain bytes kept inline, so that confirming a hash hit reads no other memory.
const INLINE: usize = 23;
/// `len` of a domain longer than [`INLINE`].
const LONG: u8 = u8::MAX;

/// A normalised domain as grouping compares it: its hash, length and first bytes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Key {
    hash: u64,
    /// The domain's length, or [`LONG`].
    len: u8,
    /// The domain's first bytes, zero-padded.
    bytes: [u8; INLINE],
}

impl Key {
    fn new<H: DomainHash>(domain: &str) -> Key {
        let n = domain.len().min(INLINE);
        let mut bytes = [0; INLINE];
        bytes[..n].copy_from_slice(&domain.as_bytes()[..n]);
        Key {
            hash: H::hash(domain.as_bytes()),
            len: if domain.len() > INLINE { LONG } else { n as u8 },
            bytes,
        }
    }
}

/// What grouping needs of one subscription, taken while it is planned: the second pass then
/// reads these compact facts instead of the subscriptions.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RowFacts {
    key: Key,
    provision_on: Date,
    action: Option<NextAction>,
    warnings: Warnings,
    /// Whether it counts for the tenant limit.
    duplicated: bool,
}

/// One customer being collected; its name and domain are those of its first subscription.
#[derive(Clone, Copy, Debug)]
struct Group {
    /// Position of the customer's first subscription.
    first: u32,
    key: Key,
    cutover_on: Date,
    next_action: Option<NextAction>,
    /// Subscriptions on path overlap that are still active (for the tenant limit).
    duplicated: u32,
    warnings: Warnings,
}

impl Group {
    /// Whether subscription `i`, with `key`, belongs here (`subs` holds long domains in full).
    fn has(&self, key: &Key, i: usize, subs: &[SubscriptionPlan]) -> bool {
        self.key == *key && (key.len != LONG || subs[self.first as usize].domain == subs[i].domain)
    }

    /// The domain, read from the group when it is short.
    fn domain<'s>(&'s self, subs: &'s [SubscriptionPlan]) -> &'s [u8] {
        if self.key.len == LONG {
            subs[self.first as usize].domain.as_bytes()
        } else {
            &self.key.bytes[..usize::from(self.key.len)]
        }
    }
}

/// Customers being collected from a plan's subscriptions, one [`CustomerGroups::add`] per
/// subscription, in order.
pub(crate) struct CustomerGroups<H: DomainHash = FxDomainHash> {
    by_hash: HashMap<u64, u32, BuildHasherDefault<Prehashed>>,
    /// Domains whose hash an earlier, different domain already has (practically never).
    collided: HashMap<String, u32>,
    groups: Vec<Group>,
    hash: PhantomData<H>,
}

impl<H: DomainHash> CustomerGroups<H> {
    /// Room for about `rows` rows.
    pub(crate) fn with_rows(rows: usize) -> CustomerGroups<H> {
        CustomerGroups {
            by_hash: HashMap::with_capacity_and_hasher(rows / 4 + 1, BuildHasherDefault::default()),
            collided: HashMap::new(),
            groups: Vec::with_capacity(rows / 4 + 1),
            hash: PhantomData,
        }
    }

    /// The facts [`CustomerGroups::add`] takes for a subscription with this normalised domain,
    /// provisioning date, next action and warnings, and whether it counts for the tenant limit.
    pub(crate) fn facts(
        domain: &str,
        provision_on: Date,
        action: Option<NextAction>,
        warnings: Warnings,
        duplicated: bool,
    ) -> RowFacts {
        RowFacts {
            key: Key::new::<H>(domain),
            provision_on,
            action,
            warnings,
            duplicated,
        }
    }

    /// The customer of subscription `i`, if it has been added.
    fn find(&self, subs: &[SubscriptionPlan], i: usize) -> Option<usize> {
        let key = Key::new::<H>(&subs[i].domain);
        let g = *self.by_hash.get(&key.hash)? as usize;
        if self.groups[g].has(&key, i, subs) {
            Some(g)
        } else {
            self.collided.get(&subs[i].domain).map(|&g| g as usize)
        }
    }

    /// Adds subscription `i` of `subs`, with the facts taken when it was planned.
    pub(crate) fn add(&mut self, subs: &[SubscriptionPlan], i: usize, f: &RowFacts) {
        let next = u32::try_from(self.groups.len()).unwrap_or(u32::MAX);
        let found = match self.by_hash.entry(f.key.hash) {
            Entry::Vacant(e) => {
                e.insert(next);
                None
            }
            Entry::Occupied(e) => {
                let g = *e.get() as usize;
                if self.groups[g].has(&f.key, i, subs) {
                    Some(g)
                } else if let Some(&g) = self.collided.get(&subs[i].domain) {
                    Some(g as usize)
                } else {
                    self.collided.insert(subs[i].domain.clone(), next);
                    None
                }
            }
        };
        let Some(g) = found else {
            self.groups.push(Group {
                first: u32::try_from(i).unwrap_or(u32::MAX),
                key: f.key,
                cutover_on: f.provision_on,
                next_action: f.action,
                duplicated: u32::from(f.duplicated),
                warnings: f.warnings,
            });
            return;
        };
        let g = &mut self.groups[g];
        g.cutover_on = g.cutover_on.min(f.provision_on);
        if let Some(b) = f.action {
            if g.next_action
                .is_none_or(|a| (b.date, b.kind) < (a.date, a.kind))
            {
                g.next_action = Some(b);
            }
        }
        g.duplicated += u32::from(f.duplicated);
        g.warnings = g.warnings.union(f.warnings);
    }

    /// Whether any customer is past the tenant limit (usually none is).
    pub(crate) fn any_over_tenant_limit(&self) -> bool {
        self.groups
            .iter()
            .any(|g| g.duplicated as usize > TENANT_SUBSCRIPTION_LIMIT)
    }

    /// Which subscriptions belong to customers past the tenant limit (call only when
    /// [`CustomerGroups::any_over_tenant_limit`]).
    pub(crate) fn over_tenant_limit(&self, subs: &[SubscriptionPlan]) -> Vec<bool> {
        (0..subs.len())
            .map(|i| {
                self.find(subs, i)
                    .is_some_and(|g| self.groups[g].duplicated as usize > TENANT_SUBSCRIPTION_LIMIT)
            })
            .collect()
    }

    /// The customers, by cutover date, then domain. Customers past the tenant limit get
    /// `tenant_limit` (their subscriptions get it from the planner).
    pub(crate) fn finish(self, subs: &[SubscriptionPlan]) -> Vec<CustomerPlan> {
        // Copy the names in the order customers were met: their first rows come in order, so
        // this reads the subscriptions front to back.
        let mut names: Vec<(String, String)> = self
            .groups
            .iter()
            .map(|g| {
                let first = &subs[g.first as usize];
                (first.domain.clone(), first.customer.clone())
            })
            .collect();
        // Sort small keys: the date and the domain's first 16 bytes decide almost always; only
        // a tie on both compares whole domains.
        let groups = &self.groups;
        let mut order: Vec<(Date, u128, u32)> = groups
            .iter()
            .enumerate()
            .map(|(i, g)| {
                let mut b = [0u8; 16];
                b.copy_from_slice(&g.key.bytes[..16]);
                (g.cutover_on, u128::from_be_bytes(b), i as u32)
            })
            .collect();
        order.sort_unstable_by(|a, b| {
            (a.0, a.1).cmp(&(b.0, b.1)).then_with(|| {
                groups[a.2 as usize]
                    .domain(subs)
                    .cmp(groups[b.2 as usize].domain(subs))
            })
        });
        order
            .into_iter()
            .map(|(_, _, i)| {
                let g = &groups[i as usize];
                let (domain, customer) = std::mem::take(&mut names[i as usize]);
                let mut warnings = g.warnings;
                if g.duplicated as usize > TENANT_SUBSCRIPTION_LIMIT {
                    warnings.insert(Warning::TenantLimit);
                }
                CustomerPlan {
                    domain,
                    customer,
                    cutover_on: g.cutover_on,
                    next_action: g.next_action,
                    warnings,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::move_path::MovePath;
    use crate::planner::{ActionKind, Stage};

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    /// Every domain of the same length collides.
    struct ByLength;

    impl DomainHash for ByLength {
        fn hash(bytes: &[u8]) -> u64 {
            bytes.len() as u64
        }
    }

    fn sub(
        domain: &str,
        customer: &str,
        provision_on: &str,
        warnings: Warnings,
    ) -> SubscriptionPlan {
        let date = d(provision_on);
        SubscriptionPlan {
            row: 1,
            customer: customer.into(),
            domain: domain.into(),
            offer: "E3".into(),
            seats: 1,
            end_date: date,
            stage: Stage::Active,
            path: MovePath::Overlap,
            provision_on: date,
            invite_by: date,
            schedule_by: None,
            request_transfer_by: None,
            auto_renew_off_by: None,
            reassign_by: None,
            overlap_days: 0,
            overlap_cost: None,
            cancel_today_cost: None,
            access_lost_on: date,
            data_deleted_on: date,
            warnings,
        }
    }

    /// Groups `subs` with the given actions and tenant-limit flags.
    fn group<H: DomainHash>(
        subs: &[SubscriptionPlan],
        actions: &[Option<NextAction>],
        duplicated: &[bool],
    ) -> CustomerGroups<H> {
        let mut g = CustomerGroups::<H>::with_rows(subs.len());
        for (i, s) in subs.iter().enumerate() {
            let action = actions.get(i).copied().flatten();
            let dup = duplicated.get(i).copied().unwrap_or(false);
            let f = CustomerGroups::<H>::facts(&s.domain, s.provision_on, action, s.warnings, dup);
            g.add(subs, i, &f);
        }
        g
    }

    #[test]
    fn domains_sharing_a_hash_stay_separate_customers() {
        let none = Warnings::default();
        let subs = [
            sub("b.example", "B", "2027-01-08", none),
            sub("a.example", "A", "2027-01-08", none),
            sub("c.example", "C", "2027-01-07", none),
            sub("a.example", "A2", "2027-01-01", none),
            sub("b.example", "B2", "2027-01-09", none),
        ];
        let g = group::<ByLength>(&subs, &[], &[]);
        let other = [sub("d.example", "D", "2027-01-01", none)];
        assert!(g.find(&other, 0).is_none());
        let c = g.finish(&subs);
        let got: Vec<(&str, &str, Date)> = c
            .iter()
            .map(|c| (c.domain.as_str(), c.customer.as_str(), c.cutover_on))
            .collect();
        assert_eq!(
            got,
            [
                ("a.example", "A", d("2027-01-01")),
                ("c.example", "C", d("2027-01-07")),
                ("b.example", "B", d("2027-01-08")),
            ]
        );
    }

    #[test]
    fn order_ties_on_the_first_16_bytes_fall_back_to_the_whole_domain() {
        let subs: Vec<SubscriptionPlan> = [
            "customer-0000000b.example",
            "customer-0000000a.example",
            "customer-0000000a.exampla",
            "customer-0000000",
            "customer-0000000\0",
        ]
        .into_iter()
        .map(|domain| sub(domain, "x", "2027-01-08", Warnings::default()))
        .collect();
        let order: Vec<String> = group::<FxDomainHash>(&subs, &[], &[])
            .finish(&subs)
            .into_iter()
            .map(|c| c.domain)
            .collect();
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(order, sorted);
        assert_eq!(order.len(), 5);
    }

    #[test]
    fn summaries_keep_the_first_name_earliest_action_and_all_warnings() {
        let w = |x: Warning| [x].into_iter().collect::<Warnings>();
        let subs = [
            sub("b.example", "First", "2027-01-08", w(Warning::PriceUnknown)),
            sub("b.example", "Second", "2027-03-01", w(Warning::Expired)),
            sub("b.example", "Third", "2027-03-01", Warnings::default()),
        ];
        let action = |kind| {
            Some(NextAction {
                kind,
                date: d("2027-01-08"),
            })
        };
        let actions = [
            action(ActionKind::Provision),
            action(ActionKind::Invite),
            None,
        ];
        let g = group::<FxDomainHash>(&subs, &actions, &[true, true, false]);
        assert!(!g.any_over_tenant_limit());
        let c = g.finish(&subs);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].customer, "First");
        assert_eq!(c[0].cutover_on, d("2027-01-08"));
        assert_eq!(c[0].next_action, action(ActionKind::Invite)); // same date: invite first
        assert_eq!(
            c[0].warnings.iter().collect::<Vec<_>>(),
            [Warning::Expired, Warning::PriceUnknown]
        );
    }

    #[test]
    fn tenant_limit_is_counted_per_customer() {
        let mut subs = Vec::new();
        let mut dup = Vec::new();
        for _ in 0..=TENANT_SUBSCRIPTION_LIMIT {
            subs.push(sub("big.example", "Big", "2027-01-08", Warnings::default()));
            dup.push(true);
            subs.push(sub("small.example", "S", "2027-01-08", Warnings::default()));
            dup.push(false);
        }
        let g = group::<ByLength>(&subs, &[], &dup);
        assert!(g.any_over_tenant_limit());
        let over = g.over_tenant_limit(&subs);
        assert!(over[0] && !over[1]);
        let c = g.finish(&subs);
        assert!(c[0].warnings.contains(Warning::TenantLimit));
        assert!(!c[1].warnings.contains(Warning::TenantLimit));
    }
}
