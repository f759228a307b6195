//! The partner's portfolio, loaded once and shared by every screen: Partner Center customers
//! (page by page, with progress), the migration records, the settings, and the plan of all of it.
use std::collections::HashMap;
use std::sync::Arc;

use cutover_plan::checklist::{
    ContinuityState, OriginalState, PcFacts, ProvisionState, RelationshipState, StepStatus,
    checklist,
};
use cutover_plan::partner_center::{Customer, ItemProblem};
use cutover_plan::planner::{ActionKind, NextAction};
use cutover_plan::record::{Channel, CustomerKey, MigrationRecord};
use cutover_plan::wire::{ApiError, Versioned};
use cutover_plan::{Date, Planner, Settings, Warnings};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;

/// A guard against a service that keeps sending continuation tokens forever.
const MAX_PAGES: usize = 2_000;

/// Progress of loading the Partner Center customer list.
/// How many times one load waits out Partner Center's throttling before asking the partner.
const MAX_THROTTLE_WAITS: u32 = 10;
/// The longest single wait; a longer `Retry-After` is cut to this and tried again.
const MAX_THROTTLE_WAIT_SECS: u64 = 120;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Progress {
    /// Pages loaded.
    pub pages: usize,
    /// Partner Center's `totalCount`, when it said.
    pub total: Option<u64>,
    /// Loading started.
    pub started: bool,
    /// Every page is in.
    pub done: bool,
    /// Why loading stopped, if it did.
    pub error: Option<ApiError>,
    /// Customers that could not be read.
    pub problems: Vec<ItemProblem>,
    /// Seconds until the next automatic try while Partner Center is throttling.
    pub retry_in: Option<u64>,
}

/// Where a one-shot load stands.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Load {
    /// Not asked for yet.
    #[default]
    Idle,
    /// On its way.
    Loading,
    /// Arrived.
    Loaded,
    /// Failed.
    Failed(ApiError),
}

/// A planner that compares by its settings, so it can live in a `Memo`.
#[derive(Clone, Debug)]
pub struct SharedPlanner(pub Arc<Planner>);

impl PartialEq for SharedPlanner {
    fn eq(&self, other: &Self) -> bool {
        self.0.settings() == other.0.settings()
    }
}

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
    /// The route id (`/customers/{link}`).
    pub link: String,
    /// Company name.
    pub name: String,
    /// Primary domain.
    pub domain: String,
    /// Relationship.
    pub standing: Standing,
    /// Whether a migration record exists.
    pub has_record: bool,
    /// The four steps (all open when there is no record).
    pub steps: [StepStatus; 4],
    /// Next action from today on.
    pub next: Option<NextAction>,
    /// Earliest provisioning date.
    pub cutover: Option<Date>,
    /// Every warning.
    pub warnings: Warnings,
    /// Channels of the originals, as bits of `Channel as u8`.
    pub channels: u8,
    /// Open actions (overdue ones included).
    pub actions: Vec<Action>,
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

/// The planned portfolio; compares by identity so a `Memo` never deep-compares 10,000 entries.
#[derive(Debug, Clone, Default)]
pub struct Entries(pub Arc<Vec<Entry>>);

impl PartialEq for Entries {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// Everything the screens share.
#[derive(Debug, Clone, Copy)]
pub struct Portfolio {
    /// Partner Center customers loaded so far.
    pub customers: RwSignal<Vec<Customer>>,
    /// Progress of that.
    pub progress: RwSignal<Progress>,
    resume: StoredValue<Option<String>>,
    /// Migration records.
    pub records: RwSignal<Vec<Versioned<MigrationRecord>>>,
    /// Their load.
    pub records_load: RwSignal<Load>,
    /// The settings (`None` until loaded).
    pub settings: RwSignal<Option<Versioned<Settings>>>,
    /// Their load.
    pub settings_load: RwSignal<Load>,
    /// Partner Center facts seen on customer pages, by store key.
    pub facts: RwSignal<HashMap<String, PcFacts>>,
    /// A planner for the settings in force (defaults until loaded).
    pub planner: Memo<SharedPlanner>,
    /// Every customer planned, in one pass.
    pub entries: Memo<Entries>,
}

/// Creates the portfolio and provides it to everything below.
pub fn provide_portfolio() -> Portfolio {
    let settings = RwSignal::new(None::<Versioned<Settings>>);
    let planner = Memo::new(move |_| {
        settings.with(|s| {
            let s = s.as_ref().map(|v| v.doc.clone()).unwrap_or_default();
            SharedPlanner(Arc::new(Planner::new(&s)))
        })
    });
    let customers = RwSignal::new(Vec::new());
    let records = RwSignal::new(Vec::new());
    let facts = RwSignal::new(HashMap::new());
    let entries = Memo::new(move |_| {
        let planner = planner.get();
        let today = crate::i18n::dates::today();
        customers.with(|c| {
            records.with(|r| {
                facts.with(|f| Entries(Arc::new(plan_portfolio(c, r, f, &planner.0, today))))
            })
        })
    });
    let p = Portfolio {
        customers,
        progress: RwSignal::new(Progress::default()),
        resume: StoredValue::new(None),
        records,
        records_load: RwSignal::new(Load::Idle),
        settings,
        settings_load: RwSignal::new(Load::Idle),
        facts,
        planner,
        entries,
    };
    provide_context(p);
    p
}

/// The shared portfolio.
#[must_use]
pub fn use_portfolio() -> Portfolio {
    expect_context::<Portfolio>()
}

impl Portfolio {
    /// Starts loading Partner Center customers unless already started.
    pub fn ensure_customers(self) {
        if !self.progress.with_untracked(|p| p.started) {
            self.load_customers();
        }
    }

    /// Loads (or resumes loading) Partner Center customers page by page.
    pub fn load_customers(self) {
        let progress = self.progress;
        let customers = self.customers;
        let resume = self.resume;
        progress.update(|p| {
            p.error = None;
            p.started = true;
        });
        spawn_local(async move {
            let mut throttle_waits = 0;
            loop {
                let token = resume.get_value();
                if progress.with_untracked(|p| p.pages >= MAX_PAGES) {
                    progress.update(|p| {
                        p.error = Some(ApiError::new(
                            "too_many_pages",
                            "Partner Center kept sending more pages; the list shows what arrived.",
                            false,
                        ))
                    });
                    return;
                }
                match api::customer_page(token.as_deref()).await {
                    Ok(page) => {
                        customers.update(|c| c.extend(page.customers));
                        let next = page
                            .continuation_token
                            .filter(|t| Some(t) != token.as_ref());
                        progress.update(|p| {
                            p.pages += 1;
                            p.total = page.total_count.or(p.total);
                            p.problems.extend(page.problems);
                            p.done = next.is_none();
                        });
                        match next {
                            Some(t) => resume.set_value(Some(t)),
                            None => return,
                        }
                    }
                    Err(e) => {
                        // Throttling is expected at scale: wait as Partner Center asks and go on
                        // from the same page, a bounded number of times, then hand over to Retry.
                        let wait = e
                            .retry_after
                            .filter(|_| e.retryable && throttle_waits < MAX_THROTTLE_WAITS);
                        let Some(secs) = wait else {
                            progress.update(|p| p.error = Some(e));
                            return;
                        };
                        throttle_waits += 1;
                        for left in (1..=secs.clamp(1, MAX_THROTTLE_WAIT_SECS)).rev() {
                            progress.update(|p| p.retry_in = Some(left));
                            gloo_timers::future::TimeoutFuture::new(1_000).await;
                        }
                        progress.update(|p| p.retry_in = None);
                    }
                }
            }
        });
    }

    /// Starts loading the records unless loaded or loading.
    pub fn ensure_records(self) {
        if matches!(self.records_load.get_untracked(), Load::Idle) {
            self.load_records();
        }
    }

    /// Loads the records (again).
    pub fn load_records(self) {
        let (records, load) = (self.records, self.records_load);
        load.set(Load::Loading);
        spawn_local(async move {
            match api::records().await {
                Ok(r) => {
                    records.set(r);
                    load.set(Load::Loaded);
                }
                Err(e) => load.set(Load::Failed(e)),
            }
        });
    }

    /// Starts loading the settings unless loaded or loading.
    pub fn ensure_settings(self) {
        if matches!(self.settings_load.get_untracked(), Load::Idle) {
            self.load_settings();
        }
    }

    /// Loads the settings (again).
    pub fn load_settings(self) {
        let (settings, load) = (self.settings, self.settings_load);
        load.set(Load::Loading);
        spawn_local(async move {
            match api::settings().await {
                Ok(s) => {
                    settings.set(Some(s));
                    load.set(Load::Loaded);
                }
                Err(e) => load.set(Load::Failed(e)),
            }
        });
    }

    /// Puts a saved record in the shared list (replacing the one under `old_key`, if any).
    pub fn upsert_record(self, old_key: &str, saved: Versioned<MigrationRecord>) {
        self.records.update(|all| {
            all.retain(|r| r.key != old_key && r.key != saved.key);
            all.push(saved);
        });
    }

    /// Remembers what Partner Center said about a customer, so the list shows it too.
    pub fn remember_facts(self, key: &str, facts: PcFacts) {
        let changed = self
            .facts
            .with_untracked(|f| f.get(key).is_none_or(|old| *old != facts));
        if changed {
            self.facts.update(|f| {
                f.insert(key.to_owned(), facts);
            });
        }
    }
}

/// The store key a record is under.
#[must_use]
pub fn key_of(record: &MigrationRecord) -> String {
    match &record.key {
        CustomerKey::PcCustomerId(id) | CustomerKey::Domain(id) => id.clone(),
    }
}

/// Plans every customer: Partner Center customers merged with the store's records.
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
        let standing = if c.relationship == "reseller" {
            Standing::Reseller
        } else {
            Standing::Other
        };
        let mut e = entry(
            c.id.clone(),
            &c.company_name,
            &c.domain,
            standing,
            *r,
            facts,
            planner,
            today,
        );
        if r.is_none() {
            e.steps[0] = if standing == Standing::Reseller {
                StepStatus::Done
            } else {
                StepStatus::Open
            };
        }
        out.push(e);
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
    let mut e = Entry {
        haystack: format!("{}\u{0}{}", name.to_lowercase(), domain.to_lowercase()),
        link,
        name: name.to_owned(),
        domain: domain.to_owned(),
        standing,
        has_record: record.is_some(),
        steps: [StepStatus::Open; 4],
        next: None,
        cutover: None,
        warnings: Warnings::default(),
        channels: 0,
        actions: Vec::new(),
    };
    let Some(r) = record else {
        return e;
    };
    let record = &r.doc;
    let mut pc = facts.get(&r.key).cloned().unwrap_or_default();
    pc.relationship_accepted |= standing == Standing::Reseller;
    let list = checklist(record, &pc, today, planner);
    e.steps = list.steps;
    let invite_open = matches!(list.relationship, RelationshipState::NotRequested);
    if let Some(d) = list.invite_by.filter(|_| invite_open) {
        e.actions.push(Action {
            kind: ActionKind::Invite,
            date: d,
            offer: String::new(),
        });
    }
    for (o, c) in record.originals.iter().zip(&list.originals) {
        e.channels |= 1 << channel_bit(o.channel);
        e.warnings = e.warnings.union(c.warnings);
        e.cutover = Some(e.cutover.map_or(c.provision_on, |d| d.min(c.provision_on)));
        if c.provision != ProvisionState::Provisioned {
            e.actions.push(Action {
                kind: ActionKind::Provision,
                date: c.provision_on,
                offer: o.offer_name.clone(),
            });
        }
        if let (OriginalState::AutoRenewToSwitchOff, Some(d)) = (c.original, c.auto_renew_off_by) {
            e.actions.push(Action {
                kind: ActionKind::AutoRenewOff,
                date: d,
                offer: o.offer_name.clone(),
            });
        }
        if let (ContinuityState::ReassignLicences, Some(d)) = (c.continuity, c.reassign_by) {
            e.actions.push(Action {
                kind: ActionKind::Reassign,
                date: d,
                offer: o.offer_name.clone(),
            });
        }
    }
    e.next = e
        .actions
        .iter()
        .filter(|a| a.date >= today)
        .map(|a| NextAction {
            kind: a.kind,
            date: a.date,
        })
        .min_by_key(|a| (a.date, a.kind));
    e
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
