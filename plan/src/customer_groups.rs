//! Grouping a plan's rows into customers by domain, and sharing their text.
//!
//! At scale this is the planner's hot spot, so it works in two passes over the rows:
//! [`CustomerGroups::group_of`] first gives each row its customer in a tight loop (one hash
//! lookup per row, in no useful order: with little work per row the processor overlaps many
//! rows' cache misses), then [`CustomerGroups::add`] folds each planned row into its customer
//! and hands out the customer's shared domain and name, so no row allocates text.
//!
//! The index is keyed by a 64-bit hash of the normalised domain, and every hit is confirmed by
//! comparing the domain itself: two domains that share a hash never share a customer.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::marker::PhantomData;
use std::sync::Arc;

use crate::date::Date;
use crate::planner::{CustomerPlan, NextAction, TENANT_SUBSCRIPTION_LIMIT};
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
        let mut h = FxHasher::default();
        h.write(bytes);
        h.finish()
    }
}

/// The Fx hash as a [`Hasher`], for maps keyed by text.
#[derive(Default)]
pub(crate) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let add = |h: u64, word: u64| (h.rotate_left(5) ^ word).wrapping_mul(K);
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.0 = add(
                self.0,
                u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]),
            );
        }
        // The last 0–7 bytes, little-endian, without a variable-length copy (a call in wasm).
        let last = chunks
            .remainder()
            .iter()
            .rev()
            .fold(0u64, |w, &b| (w << 8) | u64::from(b));
        self.0 = add(self.0, last ^ ((bytes.len() as u64) << 56));
    }

    fn finish(&self) -> u64 {
        // The multiply mixes the high bits well and the low ones poorly; hash tables take
        // their position from the low bits.
        self.0.rotate_left(26)
    }
}

/// Text equality eight bytes at a time (wasm's `memcmp` goes byte by byte; these are short
/// texts compared once per row).
fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let word = |c: &[u8]| u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
    let (mut x, mut y) = (a.chunks_exact(8), b.chunks_exact(8));
    if !(&mut x).zip(&mut y).all(|(p, q)| word(p) == word(q)) {
        return false;
    }
    x.remainder().iter().zip(y.remainder()).all(|(p, q)| p == q)
}

/// A hasher that passes on a hash already computed (the index's keys are hashes).
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

/// One customer being collected.
#[derive(Debug)]
struct Group {
    /// The normalised domain, shared by the customer's subscriptions; set by its first row.
    domain: Option<Arc<str>>,
    /// The name on the customer's first row.
    name: Option<Arc<str>>,
    cutover_on: Date,
    next_action: Option<NextAction>,
    /// Subscriptions on path overlap that are still active (for the tenant limit).
    duplicated: u32,
    warnings: Warnings,
}

impl Group {
    fn new() -> Group {
        Group {
            domain: None,
            name: None,
            // The first row's `add` sets this.
            cutover_on: Date::from_days(i32::MAX),
            next_action: None,
            duplicated: 0,
            warnings: Warnings::default(),
        }
    }
}

/// Whether text is ASCII without capital letters, eight bytes at a time.
fn is_lower_ascii(bytes: &[u8]) -> bool {
    // Per byte, for bytes below 0x80 (no carries): high bit of b + 0x3f is b >= 'A', of
    // b + 0x25 is b > 'Z'.
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let bad = |w: u64| {
        let upper = w.wrapping_add(0x3f3f_3f3f_3f3f_3f3f) & !w.wrapping_add(0x2525_2525_2525_2525);
        (w | upper) & HIGH != 0
    };
    let mut chunks = bytes.chunks_exact(8);
    let whole = chunks.by_ref().all(|c| {
        !bad(u64::from_le_bytes([
            c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7],
        ]))
    });
    whole
        && chunks
            .remainder()
            .iter()
            .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
}

/// A row's domain as the customers are keyed: trimmed and lower-cased, borrowed when it is so
/// already (as imports and records keep it).
pub(crate) fn normalised(domain: &str) -> std::borrow::Cow<'_, str> {
    let t = crate::planner::trim(domain);
    if is_lower_ascii(t.as_bytes()) {
        std::borrow::Cow::Borrowed(t)
    } else {
        std::borrow::Cow::Owned(crate::planner::normalise_domain(t))
    }
}

/// Customers being collected from a plan's rows, in three steps: [`CustomerGroups::hash`] of
/// every row's domain, then [`CustomerGroups::group_of`] every hash (in a tight loop), then
/// [`CustomerGroups::add`] of every planned row, in order. [`CustomerGroups::finish`] lists
/// them.
pub(crate) struct CustomerGroups<H: DomainHash = FxDomainHash> {
    by_hash: HashMap<u64, u32, BuildHasherDefault<Prehashed>>,
    /// Domains whose hash an earlier, different domain has (practically never).
    collided: HashMap<Arc<str>, u32>,
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

    /// The hash of a row's (untrimmed) domain.
    pub(crate) fn hash(domain: &str) -> u64 {
        let t = crate::planner::trim(domain);
        if is_lower_ascii(t.as_bytes()) {
            H::hash(t.as_bytes())
        } else {
            H::hash(normalised(t).as_bytes())
        }
    }

    /// The customer for a domain hash, new on first sight. Domains that share a hash share
    /// the answer; [`CustomerGroups::add`] tells them apart.
    pub(crate) fn group_of(&mut self, hash: u64) -> u32 {
        let next = u32::try_from(self.groups.len()).unwrap_or(u32::MAX);
        let g = *self.by_hash.entry(hash).or_insert(next);
        if g == next {
            self.groups.push(Group::new());
        }
        g
    }

    /// Folds one planned row into its customer and returns the row's shared customer name
    /// (its own, shared when it is the customer's) and domain. `g` is the row's
    /// [`CustomerGroups::group_of`] and is corrected here when the row's domain only shares a
    /// hash with the customer's. Rows come in order, so a customer's first row sets its name.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn add(
        &mut self,
        g: &mut u32,
        domain: &str,
        name: &str,
        provision_on: Date,
        action: Option<NextAction>,
        duplicated: bool,
        warnings: Warnings,
    ) -> (Arc<str>, Arc<str>) {
        let group = &mut self.groups[*g as usize];
        match &group.domain {
            None => {
                group.domain = Some(Arc::from(&*normalised(domain)));
                group.name = Some(Arc::from(name));
            }
            // The usual case: the text is the customer's own (normalised) domain already.
            Some(d) if same_text(d, crate::planner::trim(domain)) => {}
            Some(d) => {
                let domain = normalised(domain);
                if !same_text(d, &domain) {
                    *g = self.other_domain(&domain, name);
                }
            }
        }
        let group = &mut self.groups[*g as usize];
        group.cutover_on = group.cutover_on.min(provision_on);
        if let Some(b) = action
            && group
                .next_action
                .is_none_or(|a| (b.date, b.kind) < (a.date, a.kind))
        {
            group.next_action = Some(b);
        }
        group.duplicated += u32::from(duplicated);
        group.warnings = group.warnings.union(warnings);
        let (Some(own), Some(first_name)) = (&group.domain, &group.name) else {
            unreachable!("set above")
        };
        let name = if same_text(first_name, name) {
            Arc::clone(first_name)
        } else {
            Arc::from(name)
        };
        (name, Arc::clone(own))
    }

    /// The customer of a domain that shares its hash with an earlier one.
    fn other_domain(&mut self, domain: &str, name: &str) -> u32 {
        if let Some(&g) = self.collided.get(domain) {
            return g;
        }
        let g = u32::try_from(self.groups.len()).unwrap_or(u32::MAX);
        let domain: Arc<str> = Arc::from(domain);
        self.collided.insert(Arc::clone(&domain), g);
        self.groups.push(Group {
            domain: Some(domain),
            name: Some(Arc::from(name)),
            ..Group::new()
        });
        g
    }

    /// Whether any customer is past the tenant limit (usually none is).
    pub(crate) fn any_over_tenant_limit(&self) -> bool {
        self.groups
            .iter()
            .any(|g| g.duplicated as usize > TENANT_SUBSCRIPTION_LIMIT)
    }

    /// Whether customer `g` is past the tenant limit.
    pub(crate) fn over_tenant_limit(&self, g: u32) -> bool {
        self.groups[g as usize].duplicated as usize > TENANT_SUBSCRIPTION_LIMIT
    }

    /// The customers, by cutover date, then domain. Customers past the tenant limit get
    /// `tenant_limit` (their subscriptions get it from the planner).
    pub(crate) fn finish(self) -> Vec<CustomerPlan> {
        let mut groups = self.groups;
        fn domain(g: &Group) -> &str {
            g.domain.as_deref().unwrap_or_default()
        }
        // Sort small keys: the date and the domain's first 16 bytes decide almost always; only
        // a tie on both compares whole domains. Customers without rows (only possible where a
        // hash was shared) are left out.
        let mut order: Vec<(Date, u128, u32)> = groups
            .iter()
            .enumerate()
            .filter(|(_, g)| g.domain.is_some())
            .map(|(i, g)| {
                let d = domain(g).as_bytes();
                let mut b = [0u8; 16];
                let n = d.len().min(16);
                b[..n].copy_from_slice(&d[..n]);
                (g.cutover_on, u128::from_be_bytes(b), i as u32)
            })
            .collect();
        order.sort_unstable_by(|a, b| {
            (a.0, a.1)
                .cmp(&(b.0, b.1))
                .then_with(|| domain(&groups[a.2 as usize]).cmp(domain(&groups[b.2 as usize])))
        });
        order
            .into_iter()
            .filter_map(|(_, _, i)| {
                let g = &mut groups[i as usize];
                let mut warnings = g.warnings;
                if g.duplicated as usize > TENANT_SUBSCRIPTION_LIMIT {
                    warnings.insert(Warning::TenantLimit);
                }
                Some(CustomerPlan {
                    domain: g.domain.take()?,
                    customer: g.name.take()?,
                    cutover_on: g.cutover_on,
                    next_action: g.next_action,
                    warnings,
                })
            })
            .collect()
    }
}

/// Offer names shared between the rows that have the same one (a plan has few distinct
/// offers), with whether a row's target offer differs, remembered for the last target seen.
pub(crate) struct OfferNames<'a> {
    /// The first few distinct offers, looked through before hashing: most plans have no more.
    few: Vec<(&'a str, Offer<'a>)>,
    names: HashMap<Text<'a>, Offer<'a>, BuildHasherDefault<FxHasher>>,
}

/// One distinct offer.
struct Offer<'a> {
    shared: Arc<str>,
    /// The last target offer compared with it, and whether that one differs.
    last_target: Option<(&'a str, bool)>,
}

impl<'a> Offer<'a> {
    fn new(offer: &str) -> Offer<'a> {
        Offer {
            shared: Arc::from(offer),
            last_target: None,
        }
    }

    /// The shared name, and whether `target` asks for another offer than `offer` (this one).
    fn answer(&mut self, offer: &str, target: Option<&'a str>) -> (Arc<str>, bool) {
        let changes = match (target, self.last_target) {
            (None, _) => false,
            (Some(t), Some((last, changes))) if same_text(t, last) => changes,
            (Some(t), _) => {
                let changes = crate::planner::target_differs(t, offer);
                self.last_target = Some((t, changes));
                changes
            }
        };
        (Arc::clone(&self.shared), changes)
    }
}

/// How many distinct offers [`OfferNames`] looks through before it hashes.
const FEW_OFFERS: usize = 8;

/// Text as a map key compared with [`same_text`].
#[derive(Clone, Copy, Eq)]
struct Text<'a>(&'a str);

impl PartialEq for Text<'_> {
    fn eq(&self, other: &Text<'_>) -> bool {
        same_text(self.0, other.0)
    }
}

impl std::hash::Hash for Text<'_> {
    fn hash<S: Hasher>(&self, state: &mut S) {
        state.write(self.0.as_bytes());
    }
}

impl<'a> OfferNames<'a> {
    /// No names yet.
    pub(crate) fn new() -> OfferNames<'a> {
        OfferNames {
            few: Vec::with_capacity(FEW_OFFERS),
            names: HashMap::default(),
        }
    }

    /// The shared name for this (trimmed) offer, and whether `target` (the row's target
    /// offer) asks for a different one, as [`crate::planner::offer_changes`] says.
    pub(crate) fn get(&mut self, offer: &'a str, target: Option<&'a str>) -> (Arc<str>, bool) {
        if let Some((_, o)) = self.few.iter_mut().find(|(o, _)| same_text(o, offer)) {
            return o.answer(offer, target);
        }
        if self.few.len() < FEW_OFFERS {
            let mut new = Offer::new(offer);
            let answer = new.answer(offer, target);
            self.few.push((offer, new));
            return answer;
        }
        self.names
            .entry(Text(offer))
            .or_insert_with(|| Offer::new(offer))
            .answer(offer, target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::planner::ActionKind;

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

    /// Groups `(domain, name, provision_on)` rows and returns the customers.
    fn plan<H: DomainHash>(rows: &[(&str, &str, &str)]) -> Vec<CustomerPlan> {
        let mut g = CustomerGroups::<H>::with_rows(rows.len());
        let mut ids: Vec<u32> = rows
            .iter()
            .map(|(dom, _, _)| g.group_of(CustomerGroups::<H>::hash(dom)))
            .collect();
        for (id, (dom, name, date)) in ids.iter_mut().zip(rows) {
            g.add(id, dom, name, d(date), None, false, Warnings::default());
        }
        g.finish()
    }

    /// Groups one domain, with `name`, for a test that then adds rows itself.
    fn one<H: DomainHash>(g: &mut CustomerGroups<H>, domain: &str) -> u32 {
        g.group_of(CustomerGroups::<H>::hash(domain))
    }

    #[test]
    fn domains_sharing_a_hash_stay_separate_customers() {
        let c = plan::<ByLength>(&[
            ("b.example", "B", "2027-01-08"),
            ("a.example", "A", "2027-01-08"),
            ("c.example", "C", "2027-01-07"),
            ("A.Example", "A2", "2027-01-01"),
            ("b.example", "B2", "2027-01-09"),
        ]);
        let got: Vec<(&str, &str, Date)> = c
            .iter()
            .map(|c| (&*c.domain, &*c.customer, c.cutover_on))
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
        let rows: Vec<(&str, &str, &str)> = [
            "customer-0000000b.example",
            "customer-0000000a.example",
            "customer-0000000a.exampla",
            "customer-0000000",
            "customer-0000000\0",
        ]
        .into_iter()
        .map(|domain| (domain, "x", "2027-01-08"))
        .collect();
        let order: Vec<Arc<str>> = plan::<FxDomainHash>(&rows)
            .into_iter()
            .map(|c| c.domain)
            .collect();
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(order, sorted);
        assert_eq!(order.len(), 5);
    }

    #[test]
    fn rows_share_the_customer_name_only_when_it_is_the_same() {
        let mut g = CustomerGroups::<FxDomainHash>::with_rows(4);
        let mut a = one(&mut g, "b.example");
        let mut b = one(&mut g, " B.EXAMPLE");
        assert_eq!(a, b);
        let none = Warnings::default();
        let day = d("2027-01-08");
        let (n1, d1) = g.add(&mut a, "b.example", "First", day, None, false, none);
        let (n2, d2) = g.add(&mut b, " B.EXAMPLE", "Second", day, None, false, none);
        let (n3, _) = g.add(&mut a, "b.example", "First", day, None, false, none);
        assert!(Arc::ptr_eq(&n1, &n3) && Arc::ptr_eq(&d1, &d2));
        assert_eq!((&*n2, &*d1), ("Second", "b.example"));
        assert_eq!(&*g.finish()[0].customer, "First");
    }

    #[test]
    fn summaries_keep_the_earliest_action_and_all_warnings() {
        let mut g = CustomerGroups::<FxDomainHash>::with_rows(4);
        let mut id = one(&mut g, "b.example");
        let action = |kind| {
            Some(NextAction {
                kind,
                date: d("2027-01-08"),
            })
        };
        let w = |x: Warning| [x].into_iter().collect::<Warnings>();
        g.add(
            &mut id,
            "b.example",
            "B",
            d("2027-01-08"),
            action(ActionKind::Provision),
            true,
            w(Warning::PriceUnknown),
        );
        g.add(
            &mut id,
            "b.example",
            "B",
            d("2027-03-01"),
            action(ActionKind::Invite),
            true,
            w(Warning::Expired),
        );
        g.add(
            &mut id,
            "b.example",
            "B",
            d("2027-03-01"),
            None,
            false,
            Warnings::default(),
        );
        assert!(!g.any_over_tenant_limit());
        let c = g.finish();
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].cutover_on, d("2027-01-08"));
        assert_eq!(c[0].next_action, action(ActionKind::Invite)); // same date: invite first
        assert_eq!(
            c[0].warnings.iter().collect::<Vec<_>>(),
            [Warning::Expired, Warning::PriceUnknown]
        );
    }

    #[test]
    fn tenant_limit_is_counted_per_customer() {
        let mut g = CustomerGroups::<ByLength>::with_rows(400);
        // Same length, so the same hash: told apart when added.
        let mut big = one(&mut g, "big.example");
        let mut small = one(&mut g, "sma.example");
        assert_eq!(big, small);
        let day = d("2027-01-08");
        let none = Warnings::default();
        for _ in 0..=TENANT_SUBSCRIPTION_LIMIT {
            g.add(&mut big, "big.example", "Big", day, None, true, none);
            g.add(&mut small, "sma.example", "S", day, None, false, none);
        }
        assert_ne!(big, small);
        assert!(g.any_over_tenant_limit());
        assert!(g.over_tenant_limit(big) && !g.over_tenant_limit(small));
        let c = g.finish();
        assert!(c[0].warnings.contains(Warning::TenantLimit));
        assert!(!c[1].warnings.contains(Warning::TenantLimit));
    }

    #[test]
    fn lower_ascii_check_agrees_with_byte_by_byte() {
        for b in 0..=255u8 {
            for at in [0, 3, 7, 8, 12] {
                let mut text = b"abcdefghijklm".to_vec();
                text[at] = b;
                let expected = text.iter().all(|b| b.is_ascii() && !b.is_ascii_uppercase());
                assert_eq!(is_lower_ascii(&text), expected, "byte {b:#x} at {at}");
            }
        }
    }

    #[test]
    fn text_equality_by_words_matches_str_equality() {
        let texts = [
            "",
            "a",
            "ab",
            "abcdefgh",
            "abcdefgi",
            "abcdefghi",
            "abcdefghj",
            "Abcdefgh",
        ];
        for a in texts {
            for b in texts {
                assert_eq!(same_text(a, b), a == b, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn offers_are_shared_by_name() {
        let mut o = OfferNames::new();
        let (a, _) = o.get("Office 365 E3", None);
        let (b, _) = o.get("Office 365 E3", None);
        let (c, _) = o.get("Office 365 E5", None);
        assert!(Arc::ptr_eq(&a, &b) && !Arc::ptr_eq(&a, &c));
        // Past the first few, the map takes over.
        let names: Vec<String> = (0..3 * FEW_OFFERS).map(|i| format!("Offer {i}")).collect();
        let first: Vec<Arc<str>> = names.iter().map(|n| o.get(n, None).0).collect();
        for (n, f) in names.iter().zip(&first) {
            assert!(Arc::ptr_eq(&o.get(n, None).0, f) && **f == **n);
        }
    }

    #[test]
    fn target_answers_are_remembered_per_offer_and_target() {
        let mut o = OfferNames::new();
        let mut ask = |offer, target| o.get(offer, target).1;
        assert!(!ask("Office 365 E3", None));
        assert!(ask("Office 365 E3", Some("Microsoft 365 E3")));
        assert!(!ask("Office 365 E3", Some(" office  365 e3 ")));
        assert!(ask("Office 365 E3", Some("Microsoft 365 E3")));
        assert!(!ask("Microsoft 365 E3", Some("Microsoft 365 E3")));
        assert!(!ask("Office 365 E3", Some("   ")));
        let names: Vec<String> = (0..2 * FEW_OFFERS).map(|i| format!("Offer {i}")).collect();
        for n in &names {
            assert!(!o.get(n, Some(n)).1 && o.get(n, Some("Other")).1 && !o.get(n, Some(n)).1);
        }
    }
}
