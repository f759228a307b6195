//! The partner's portfolio, loaded once and shared by every screen: Partner Center customers
//! (page by page, with progress), the migration records, the settings, and the plan of all of it.
use std::collections::HashMap;
use std::sync::Arc;

use cutover_plan::checklist::PcFacts;
use cutover_plan::partner_center::{Customer, CustomerPage, ItemProblem};
use cutover_plan::portfolio::plan_portfolio;
pub use cutover_plan::portfolio::{Entry, Standing, channel_bit, key_of};
use cutover_plan::record::MigrationRecord;
use cutover_plan::wire::{ApiError, SessionStatus, Versioned};
use cutover_plan::{Planner, Settings};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, UserAction};

/// A guard against a service that keeps sending continuation tokens forever.
const MAX_PAGES: usize = 2_000;

/// How many times one load waits out Partner Center's throttling before asking the partner.
const MAX_THROTTLE_WAITS: u32 = 10;
/// The longest single wait; a longer `Retry-After` is cut to this and tried again.
const MAX_THROTTLE_WAIT_SECS: u64 = 120;

/// While pages keep arriving, the list is re-planned and redrawn at most this often (each redraw
/// plans every customer loaded so far, so once per page would cost the whole list 100 times).
const SHOW_EVERY_MS: f64 = 250.0;

/// Progress of loading the Partner Center customer list.
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

impl Load {
    /// On its way.
    #[must_use]
    pub fn is_loading(&self) -> bool {
        matches!(self, Load::Loading)
    }
}

/// A planner that compares by its settings, so it can live in a `Memo`.
#[derive(Clone, Debug)]
pub struct SharedPlanner(pub Arc<Planner>);

impl PartialEq for SharedPlanner {
    fn eq(&self, other: &Self) -> bool {
        self.0.settings() == other.0.settings()
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
    /// The session (partner name, who acts), once asked.
    pub session: RwSignal<Option<SessionStatus>>,
    /// The partner's reseller invitation link (the same for every customer), once asked;
    /// `Some(None)` when Partner Center could not give it.
    pub invitation_url: RwSignal<Option<Option<String>>>,
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
        session: RwSignal::new(None),
        invitation_url: RwSignal::new(None),
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
        let (records_load, settings_load) = (self.records_load, self.settings_load);
        progress.update(|p| {
            p.error = None;
            p.started = true;
        });
        spawn_local(async move {
            let action = UserAction::first_load();
            let mut throttle_waits = 0;
            let mut held = Held::default();
            loop {
                let token = resume.get_value();
                if progress.with_untracked(|p| p.pages) + held.pages >= MAX_PAGES {
                    held.show(customers, progress);
                    progress.update(|p| {
                        p.error = Some(ApiError::new(
                            "too_many_pages",
                            "Partner Center kept sending more pages; the list shows what arrived.",
                            false,
                        ))
                    });
                    return;
                }
                match api::customer_page(&action, token.as_deref()).await {
                    Ok(page) => {
                        let next = page
                            .continuation_token
                            .clone()
                            .filter(|t| Some(t) != token.as_ref());
                        let first = progress.with_untracked(|p| p.pages) + held.pages == 0;
                        held.add(page);
                        if first || next.is_none() || held.due() {
                            held.show(customers, progress);
                            progress.update(|p| p.done = next.is_none());
                        }
                        match next {
                            Some(t) => resume.set_value(Some(t)),
                            None => return,
                        }
                        // Let the first rows reach the screen before the next pages keep the
                        // browser busy. The rows wait for the records and the settings (see
                        // the customer list), so those are let through first: the next pages
                        // would only compete with them for the server and the browser.
                        if first {
                            while records_load.with_untracked(Load::is_loading)
                                || settings_load.with_untracked(Load::is_loading)
                            {
                                gloo_timers::future::TimeoutFuture::new(16).await;
                            }
                            after_next_paint().await;
                        }
                    }
                    Err(e) => {
                        held.show(customers, progress);
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

    /// Asks once who is signed in and the partner's name (shown in what customers are told).
    pub fn ensure_session(self) {
        if self.session.with_untracked(Option::is_some) {
            return;
        }
        let session = self.session;
        spawn_local(async move {
            if let Ok(s) = api::session().await {
                session.set(Some(s));
            }
        });
    }

    /// Asks once for the partner's reseller invitation link, which customers are shown.
    pub fn ensure_invitation_url(self) {
        if self.invitation_url.with_untracked(Option::is_some) {
            return;
        }
        let link = self.invitation_url;
        link.set(Some(None));
        spawn_local(async move {
            if let Ok(url) = api::invitation_url(&UserAction::new()).await {
                link.set(Some(Some(url)));
            }
        });
    }

    /// The partner's name as customers see it (empty until known).
    #[must_use]
    pub fn partner_name(self) -> String {
        self.session
            .with(|s| s.as_ref().map(|s| s.partner_name.clone()))
            .unwrap_or_default()
    }

    /// Who this browser's changes are attributed to.
    #[must_use]
    pub fn actor(self) -> String {
        self.session
            .with_untracked(|s| s.as_ref().and_then(|s| s.actor.clone()))
            .unwrap_or_else(|| "partner".to_owned())
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

    /// Whether the records and the settings have arrived, or failed to. Until then every
    /// customer is planned as if it had no plan and the settings were the defaults.
    #[must_use]
    pub fn plans_settled(self) -> bool {
        let settled = |l: &Load| matches!(l, Load::Loaded | Load::Failed(_));
        self.records_load.with(settled) && self.settings_load.with(settled)
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

/// Pages of customers that arrived but are not shown yet (see [`SHOW_EVERY_MS`]).
#[derive(Default)]
struct Held {
    customers: Vec<Customer>,
    problems: Vec<ItemProblem>,
    total: Option<u64>,
    pages: usize,
    /// When the held pages were last shown (`Date.now()`), if ever.
    shown_at: Option<f64>,
}

impl Held {
    fn add(&mut self, page: CustomerPage) {
        self.customers.extend(page.customers);
        self.problems.extend(page.problems);
        self.total = page.total_count.or(self.total);
        self.pages += 1;
    }

    /// Whether it is time to show what is held.
    fn due(&self) -> bool {
        self.shown_at
            .is_none_or(|t| js_sys::Date::now() - t >= SHOW_EVERY_MS)
    }

    /// Adds what is held to the list and its progress.
    fn show(&mut self, customers: RwSignal<Vec<Customer>>, progress: RwSignal<Progress>) {
        self.shown_at = Some(js_sys::Date::now());
        if self.pages == 0 {
            return;
        }
        let held = std::mem::take(&mut self.customers);
        customers.update(|c| c.extend(held));
        let (problems, total, pages) = (
            std::mem::take(&mut self.problems),
            self.total.take(),
            std::mem::take(&mut self.pages),
        );
        progress.update(|p| {
            p.pages += pages;
            p.total = total.or(p.total);
            p.problems.extend(problems);
        });
    }
}

/// Resolves once the browser has painted the next frame (`requestAnimationFrame`, then a task),
/// or after 100 ms at most: a tab in the background paints no frames, and its list must still load.
async fn after_next_paint() {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let later = resolve.clone();
        let after_frame = Closure::once_into_js(move || {
            let _ = window().set_timeout_with_callback(later.unchecked_ref());
        });
        let _ = window().request_animation_frame(after_frame.unchecked_ref());
        // Resolving twice is harmless: the first one wins.
        let _ = window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(resolve.unchecked_ref(), 100);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
