//! The partner's whole portfolio in one pass: Partner Center customers merged with the migration
//! records, each planned with the same checklist the customer page and status page use.
use std::collections::HashMap;

use crate::checklist::{PcFacts, StepStatus, checklist};
use crate::costs::DatedAmount;
use crate::date::Date;
use crate::partner_center::Customer;
use crate::planner::{ActionKind, NextAction, Planner};
use crate::record::{Channel, CustomerKey, MigrationRecord};
use crate::warnings::Warnings;
use crate::wire::Versioned;

/// How the customer stands with the partner in Partner Center.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// A reseller relationship exists.
    Reseller,
    /// In Partner Center without a reseller relationship.
    Other,
    /// Only in Cutover (a prospect known by domain).
    Prospect,
}

impl Standing {
    /// The standing of a Partner Center customer.
    #[must_use]
    pub fn of(customer: &Customer) -> Standing {
        if customer.relationship == "reseller" {
            Standing::Reseller
        } else {
            Standing::Other
        }
    }
}

/// One open action of the portfolio, for the calendar.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    /// What.
    pub kind: ActionKind,
    /// By when.
    pub date: Date,
    /// The offer concerned (empty for the invitation).
    pub offer: String,
}

/// One customer of the portfolio, planned.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The route id (`/customers/{link}`): the Partner Center id, or a prospect's record key.
    pub link: String,
    /// Company name.
    pub name: String,
    /// Primary domain.
    pub domain: String,
    /// Relationship.
    pub standing: Standing,
    /// Whether a migration record exists.
    pub has_record: bool,
    /// The four steps (step 1 from Partner Center, the rest open, when there is no record).
    pub steps: [StepStatus; 4],
    /// Next action from today on.
    pub next: Option<NextAction>,
    /// Earliest provisioning date.
    pub cutover: Option<Date>,
    /// Every warning.
    pub warnings: Warnings,
    /// Channels of the originals, as bits of [`channel_bit`].
    pub channels: u8,
    /// Open actions (overdue ones included).
    pub actions: Vec<Action>,
    /// Overlap cost of each priced original, dated by its provisioning date.
    pub overlap: Vec<DatedAmount>,
    /// How many differences the tenant showed against the record when last read.
    pub drift: usize,
    /// Lower-cased name and domain for search.
    pub haystack: String,
}

impl Entry {
    /// The first open step, 1-based; 5 when all are done or not needed.
    #[must_use]
    pub fn current_step(&self) -> usize {
        self.steps
            .iter()
            .position(|s| *s == StepStatus::Open)
            .map_or(5, |i| i + 1)
    }

    /// How many warnings the customer's row counts: each planning warning, plus one when the
    /// tenant showed differences against the record (the row's details list them as sentences).
    #[must_use]
    pub fn warning_count(&self) -> usize {
        self.warnings.len() + usize::from(self.drift > 0)
    }

    /// Steps done out of steps needed.
    #[must_use]
    pub fn progress(&self) -> (usize, usize) {
        let needed = self
            .steps
            .iter()
            .filter(|s| **s != StepStatus::NotNeeded)
            .count();
        let done = self
            .steps
            .iter()
            .filter(|s| **s == StepStatus::Done)
            .count();
        (done, needed)
    }
}

/// A channel's bit in [`Entry::channels`].
#[must_use]
pub fn channel_bit(c: Channel) -> u8 {
    match c {
        Channel::Direct => 0,
        Channel::Partner => 1,
        Channel::Open => 2,
        Channel::Ea => 3,
    }
}

/// The store key a record is under.
#[must_use]
pub fn key_of(record: &MigrationRecord) -> String {
    match &record.key {
        CustomerKey::PcCustomerId(id) | CustomerKey::Domain(id) => id.clone(),
    }
}

/// The Partner Center facts the portfolio knows for a customer: its standing, plus whatever a
/// visit to its page brought (subscriptions, licences) under the record's key.
#[must_use]
pub fn facts_for(standing: Standing, known: Option<&PcFacts>) -> PcFacts {
    let mut pc = known.cloned().unwrap_or_default();
    pc.relationship_accepted |= standing == Standing::Reseller;
    pc
}

/// Plans every customer: Partner Center customers merged with the store's records (a record is
/// attached by Partner Center id, else by domain; the rest are prospects).
#[must_use]
pub fn plan_portfolio(
    customers: &[Customer],
    records: &[Versioned<MigrationRecord>],
    facts: &HashMap<String, PcFacts>,
    planner: &Planner,
    today: Date,
) -> Vec<Entry> {
    let mut by_id: HashMap<&str, usize> = HashMap::with_capacity(customers.len());
    let mut by_domain: HashMap<String, usize> = HashMap::with_capacity(customers.len());
    for (i, c) in customers.iter().enumerate() {
        by_id.insert(c.id.as_str(), i);
        by_domain.entry(c.domain.to_lowercase()).or_insert(i);
    }
    let mut attached: Vec<Option<&Versioned<MigrationRecord>>> = vec![None; customers.len()];
    let mut prospects = Vec::new();
    for r in records {
        let found = by_id
            .get(r.key.as_str())
            .copied()
            .or_else(|| by_domain.get(&r.doc.domain.to_lowercase()).copied());
        match found {
            Some(i) if attached[i].is_none() => attached[i] = Some(r),
            _ => prospects.push(r),
        }
    }
    let mut out = Vec::with_capacity(customers.len() + prospects.len());
    for (c, r) in customers.iter().zip(&attached) {
        let standing = Standing::of(c);
        out.push(entry(
            c.id.clone(),
            &c.company_name,
            &c.domain,
            standing,
            *r,
            facts,
            planner,
            today,
        ));
    }
    for r in prospects {
        out.push(entry(
            r.key.clone(),
            &r.doc.customer_name,
            &r.doc.domain,
            Standing::Prospect,
            Some(r),
            facts,
            planner,
            today,
        ));
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn entry(
    link: String,
    name: &str,
    domain: &str,
    standing: Standing,
    record: Option<&Versioned<MigrationRecord>>,
    facts: &HashMap<String, PcFacts>,
    planner: &Planner,
    today: Date,
) -> Entry {
    let accepted = if standing == Standing::Reseller {
        StepStatus::Done
    } else {
        StepStatus::Open
    };
    let mut e = Entry {
        haystack: format!("{}\u{0}{}", name.to_lowercase(), domain.to_lowercase()),
        link,
        name: name.to_owned(),
        domain: domain.to_owned(),
        standing,
        has_record: record.is_some(),
        steps: [
            accepted,
            StepStatus::Open,
            StepStatus::Open,
            StepStatus::Open,
        ],
        next: None,
        cutover: None,
        warnings: Warnings::default(),
        channels: 0,
        actions: Vec::new(),
        overlap: Vec::new(),
        drift: 0,
    };
    let Some(r) = record else {
        return e;
    };
    let record = &r.doc;
    let pc = facts_for(standing, facts.get(&r.key));
    let list = checklist(record, &pc, today, planner);
    e.steps = list.steps;
    e.next = list.next_action(today);
    e.cutover = list.cutover_on();
    e.warnings = list.warnings();
    e.drift = list.drift.len();
    let offer_of = |id: &Option<String>| {
        id.as_deref()
            .and_then(|id| record.originals.iter().find(|o| o.id == id))
            .map(|o| o.offer_name.clone())
            .unwrap_or_default()
    };
    e.actions = list
        .open_actions()
        .into_iter()
        .map(|a| Action {
            offer: offer_of(&a.original_id),
            kind: a.kind,
            date: a.date,
        })
        .collect();
    for (o, c) in record.originals.iter().zip(&list.originals) {
        e.channels |= 1 << channel_bit(o.channel);
        if let (Some(amount), Some(price)) = (c.plan.overlap_cost, &o.price) {
            e.overlap.push(DatedAmount {
                date: c.plan.provision_on,
                amount,
                currency: price.currency.clone(),
            });
        }
    }
    e
}

/// How many customers are at each point of the move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StepCounts {
    /// Customers without a migration record.
    pub no_plan: usize,
    /// Customers with a plan whose first open step is 1, 2, 3 or 4 (index 0–3).
    pub at_step: [usize; 4],
    /// Customers with a plan and nothing left to do.
    pub done: usize,
}

/// Counts customers per current step.
#[must_use]
pub fn step_counts(entries: &[Entry]) -> StepCounts {
    let mut c = StepCounts::default();
    for e in entries {
        if !e.has_record {
            c.no_plan += 1;
            continue;
        }
        match e.current_step() {
            n @ 1..=4 => c.at_step[n - 1] += 1,
            _ => c.done += 1,
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::UnitPrice;
    use crate::record::{OriginalSubscription, Price};
    use crate::settings::Settings;
    use crate::warnings::Warning;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn customer(id: &str, domain: &str, relationship: &str) -> Customer {
        Customer {
            id: id.into(),
            domain: domain.into(),
            company_name: domain.into(),
            relationship: relationship.into(),
        }
    }

    fn versioned(
        key: &str,
        domain: &str,
        end: &str,
        price: Option<&str>,
    ) -> Versioned<MigrationRecord> {
        let mut r = MigrationRecord::prospect(domain, domain);
        r.originals.push(OriginalSubscription {
            channel: Channel::Ea,
            auto_renew: true,
            price: price.map(|p| Price {
                per_seat_per_month: UnitPrice::parse(p).unwrap(),
                currency: "JPY".into(),
            }),
            ..OriginalSubscription::for_test("o1", "Office 365 E3", 10, end)
        });
        Versioned {
            key: key.into(),
            version: 1,
            updated_at: "2026-12-01T00:00:00Z".into(),
            doc: r,
        }
    }

    #[test]
    fn records_attach_by_id_or_domain_and_the_rest_are_prospects() {
        let customers = vec![
            customer("pc-1", "a.example", "reseller"),
            customer("pc-2", "b.example", "none"),
            customer("pc-3", "c.example", "reseller"),
        ];
        let records = vec![
            versioned("pc-1", "a.example", "2027-03-31", Some("2000")),
            versioned("b.example", "b.example", "2027-03-31", None),
            versioned("d.example", "d.example", "2027-03-31", None),
        ];
        let planner = Planner::new(&Settings::default());
        let e = plan_portfolio(
            &customers,
            &records,
            &HashMap::new(),
            &planner,
            d("2026-12-01"),
        );
        assert_eq!(e.len(), 4);
        assert!(e[0].has_record && e[1].has_record && !e[2].has_record);
        assert_eq!(e[0].steps[0], StepStatus::Done);
        assert_eq!(e[1].steps[0], StepStatus::Open);
        assert_eq!(
            e[2].steps,
            [
                StepStatus::Done,
                StepStatus::Open,
                StepStatus::Open,
                StepStatus::Open
            ]
        );
        assert_eq!(
            (e[3].standing, e[3].link.as_str()),
            (Standing::Prospect, "d.example")
        );
        assert_eq!(e[0].overlap.len(), 1);
        assert_eq!(e[0].overlap[0].currency, "JPY");
        assert!(e[1].overlap.is_empty());
        let counts = step_counts(&e);
        assert_eq!(counts.no_plan, 1);
        assert_eq!(counts.at_step[1], 1);
        assert_eq!(counts.at_step[0], 2);
    }

    #[test]
    fn a_row_counts_each_warning_and_tenant_differences_once() {
        let records = vec![versioned("x.example", "x.example", "2027-03-31", None)];
        let planner = Planner::new(&Settings::default());
        let mut e =
            plan_portfolio(&[], &records, &HashMap::new(), &planner, d("2026-12-01")).remove(0);
        // No price: the original warns that its cost is unknown.
        assert!(e.warnings.contains(Warning::PriceUnknown));
        let planning = e.warnings.iter().count();
        assert_eq!(e.warning_count(), planning);
        e.drift = 3;
        assert_eq!(e.warning_count(), planning + 1);
        e.warnings = Warnings::default();
        assert_eq!(e.warning_count(), 1);
    }

    #[test]
    fn next_action_and_actions_come_from_the_checklist() {
        let records = vec![versioned("x.example", "x.example", "2027-03-31", None)];
        let planner = Planner::new(&Settings::default());
        let today = d("2026-12-01");
        let e = &plan_portfolio(&[], &records, &HashMap::new(), &planner, today)[0];
        let list = checklist(&records[0].doc, &PcFacts::default(), today, &planner);
        assert_eq!(e.next, list.next_action(today));
        assert_eq!(e.actions.len(), list.open_actions().len());
        assert!(
            e.actions
                .iter()
                .any(|a| a.kind == ActionKind::Invite && a.offer.is_empty())
        );
        assert!(
            e.actions
                .iter()
                .any(|a| a.kind == ActionKind::AutoRenewOff && a.offer == "Office 365 E3")
        );
        assert_eq!(e.cutover, list.cutover_on());
    }
}
