//! One customer: where the move stands (the same model the customer's status page shows), the
//! checklist with dates, reasons, costs and actions, orders, what Partner Center reports, the plan
//! editor, notes and share links. Every change re-plans at once; saves name their base version.
//!
//! Everything loads for the route's id through one resource, so moving from one customer to
//! another never shows the first one's record.
mod admin_access;
mod checklist_view;
mod discovery;
mod editor;
mod licences;
pub mod merge;
mod moves_view;
mod orders_view;
mod provision;

use std::collections::BTreeMap;

use cutover_plan::checklist::SubscribedSku;
use cutover_plan::customer_status::CustomerStatus;
use cutover_plan::gdap::{GdapRelationship, admin_access};
use cutover_plan::partner_center::{Collection, Customer, PcSubscription, pc_facts};
use cutover_plan::portfolio::key_of;
use cutover_plan::record::{
    Channel, Confirmations, CustomerKey, MigrationRecord, OriginalSubscription,
};
use cutover_plan::wire::{ApiError, Versioned};
use cutover_plan::{Date, Planner};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::{self, SaveError, UserAction};
use crate::components::customer_status::{steps_section, todo_section};
use crate::components::dom_part::DomPart;
use crate::components::error_banner::ErrorBanner;
use crate::components::share_links::ShareLinks;
use crate::i18n::customer as t;
use crate::i18n::{common, dates, use_lang};
use crate::pages::portfolio::{Load, SharedPlanner, use_portfolio};

/// Whether a route id is a prospect's domain rather than a Partner Center id.
fn is_domain(id: &str) -> bool {
    id.contains('.')
}

/// Everything the customer page holds; signals, so it is `Copy`.
#[derive(Clone, Copy)]
pub(crate) struct Page {
    /// The route id.
    id: Memo<String>,
    /// The Partner Center customer, once known (never from a body that named another id).
    pc_customer: RwSignal<Option<Customer>>,
    /// Why the customer itself could not be read.
    customer_error: RwSignal<Option<ApiError>>,
    subscriptions: RwSignal<Collection<PcSubscription>>,
    skus: RwSignal<Collection<SubscribedSku>>,
    /// Why subscriptions or licences could not be read.
    pc_error: RwSignal<Option<ApiError>>,
    /// The partner's admin relationships (GDAP) with this customer's tenant.
    relationships: RwSignal<Vec<GdapRelationship>>,
    /// Why they could not be read.
    admin_error: RwSignal<Option<ApiError>>,
    /// Whether Partner Center has the customer's Microsoft Customer Agreement acceptance.
    mca_accepted: RwSignal<Option<bool>>,
    /// The stored record and its version.
    stored: RwSignal<Option<Versioned<MigrationRecord>>>,
    /// The working copy (what the checklist shows).
    draft: RwSignal<Option<MigrationRecord>>,
    record_load: RwSignal<Load>,
    /// Someone else's newer version, after a refused save.
    conflict: RwSignal<Option<Versioned<MigrationRecord>>>,
    save_error: RwSignal<Option<ApiError>>,
    saving: RwSignal<bool>,
    just_saved: RwSignal<bool>,
    /// Bumped when the draft is replaced from outside the editor (load, reload, re-apply).
    editor_gen: RwSignal<u32>,
    /// Editor inputs that do not parse, by field.
    field_errors: RwSignal<BTreeMap<String, String>>,
    /// The customer's model: steps, dates, costs, what the customer must do.
    status: Memo<Option<CustomerStatus>>,
    planner: Memo<SharedPlanner>,
    portfolio: crate::pages::portfolio::Portfolio,
    today: Date,
}

/// Partner Center's CSP subscriptions and licences of one customer.
type PcLists = (Collection<PcSubscription>, Collection<SubscribedSku>);

/// What one load of the route brought.
#[derive(Clone, Debug, PartialEq)]
struct Loaded {
    id: String,
    customer: Option<Result<Customer, ApiError>>,
    pc: Option<Result<PcLists, ApiError>>,
    admin: Option<Result<Vec<GdapRelationship>, ApiError>>,
    mca: Option<Result<bool, ApiError>>,
    record: Result<Option<Versioned<MigrationRecord>>, ApiError>,
}

/// Loads everything the page shows for `id`, as one user action.
async fn load_route(id: String) -> Loaded {
    let action = UserAction::new();
    if is_domain(&id) {
        return Loaded {
            record: api::record(&id).await,
            id,
            customer: None,
            pc: None,
            admin: None,
            mca: None,
        };
    }
    let customer = api::customer(&action, &id).await;
    let pc = load_pc(&action, &id).await;
    let admin = api::graph::admin_relationships(&action, &id).await;
    let mca = api::mca_accepted(&action, &id).await;
    let mut record = api::record(&id).await;
    // A customer who was a prospect may still have its record under its domain.
    if let (Ok(None), Ok(c)) = (&record, &customer) {
        record = api::record(&c.domain).await;
    }
    Loaded {
        id,
        customer: Some(customer),
        pc: Some(pc),
        admin: Some(admin),
        mca: Some(mca),
        record,
    }
}

async fn load_pc(action: &UserAction, id: &str) -> Result<PcLists, ApiError> {
    let subs = api::subscriptions(action, id).await?;
    let skus = api::subscribed_skus(action, id).await?;
    Ok((subs, skus))
}

impl Page {
    /// The key the record is (or will be) stored under.
    fn record_key(self) -> String {
        self.stored
            .with(|s| s.as_ref().map(|v| v.key.clone()))
            .or_else(|| self.draft.with(|d| d.as_ref().map(key_of)))
            .unwrap_or_else(|| self.id.get())
    }

    fn dirty(self) -> bool {
        let stored = self.stored.with(|s| s.as_ref().map(|v| v.doc.clone()));
        self.draft.with(|d| d.as_ref() != stored.as_ref())
    }

    /// The planner with this customer's overrides.
    fn planner(self) -> Planner {
        let base = self.planner.get().0;
        self.draft.with(|d| match d {
            Some(r) => base.with_overrides(&r.settings),
            None => (*base).clone(),
        })
    }

    /// Whether Partner Center lists this customer as a reseller customer.
    fn is_reseller(self) -> bool {
        self.pc_customer
            .with(|c| c.as_ref().is_some_and(|c| c.relationship == "reseller"))
    }

    /// Changes the draft and saves it at once (checklist actions).
    fn commit(self, change: impl FnOnce(&mut MigrationRecord)) {
        self.draft.update(|d| {
            if let Some(r) = d {
                change(r);
            }
        });
        self.save();
    }

    /// Saves the draft over the version it was based on; a conflict is shown, never overwritten.
    fn save(self) {
        let Some(doc) = self.draft.get_untracked() else {
            return;
        };
        spawn_local(async move {
            let _ = self.save_doc(doc).await;
        });
    }

    /// Saves `doc`; `Ok` with what is stored now, or `Err` when nothing was saved (the reason is
    /// shown on the page).
    async fn save_doc(self, doc: MigrationRecord) -> Result<Versioned<MigrationRecord>, ()> {
        if self.conflict.with_untracked(Option::is_some) || self.saving.get_untracked() {
            return Err(());
        }
        if !self.field_errors.with_untracked(BTreeMap::is_empty) {
            return Err(());
        }
        let stored = self.stored.get_untracked();
        let key = stored
            .as_ref()
            .map(|s| s.key.clone())
            .unwrap_or_else(|| key_of(&doc));
        let base = stored.as_ref().map(|s| s.version);
        let id = self.id.get_untracked();
        self.saving.set(true);
        self.save_error.set(None);
        self.just_saved.set(false);
        let result = api::save_record(&key, base, &doc).await;
        self.saving.set(false);
        if self.id.get_untracked() != id {
            return Err(());
        }
        match result {
            Ok(v) => {
                self.portfolio.upsert_record(&key, v.clone());
                self.stored.set(Some(v.clone()));
                // Keep edits typed while saving; take the saved document otherwise.
                if self.draft.with_untracked(|d| d.as_ref() == Some(&doc)) {
                    self.draft.set(Some(v.doc.clone()));
                }
                self.just_saved.set(true);
                Ok(v)
            }
            Err(SaveError::Conflict(current)) => {
                self.conflict.set(Some(*current));
                Err(())
            }
            Err(SaveError::Failed(e)) => {
                self.save_error.set(Some(e));
                Err(())
            }
        }
    }

    /// Drops my changes and takes what is stored.
    fn take(self, v: Option<Versioned<MigrationRecord>>) {
        self.draft.set(v.as_ref().map(|v| v.doc.clone()));
        self.stored.set(v);
        self.conflict.set(None);
        self.field_errors.set(BTreeMap::new());
        self.editor_gen.update(|g| *g += 1);
    }

    /// Asks Graph again for the admin relationships (after requesting access).
    fn reload_admin(self) {
        let id = self.id.get_untracked();
        if is_domain(&id) {
            return;
        }
        spawn_local(async move {
            let result = api::graph::admin_relationships(&UserAction::new(), &id).await;
            if self.id.get_untracked() != id {
                return;
            }
            match result {
                Ok(r) => {
                    self.admin_error.set(None);
                    self.relationships.set(r);
                }
                Err(e) => self.admin_error.set(Some(e)),
            }
        });
    }

    /// Asks Partner Center again for the subscriptions and licences (after an order).
    fn reload_pc(self) {
        let Some(pc_id) = self
            .pc_customer
            .with_untracked(|c| c.as_ref().map(|c| c.id.clone()))
        else {
            return;
        };
        let id = self.id.get_untracked();
        spawn_local(async move {
            let result = load_pc(&UserAction::new(), &pc_id).await;
            if self.id.get_untracked() != id {
                return;
            }
            self.apply_pc(Some(result));
        });
    }

    fn apply_pc(self, result: Option<Result<PcLists, ApiError>>) {
        match result {
            Some(Ok((subs, skus))) => {
                self.pc_error.set(None);
                self.subscriptions.set(subs);
                self.skus.set(skus);
            }
            Some(Err(e)) => self.pc_error.set(Some(e)),
            None => {
                self.pc_error.set(None);
                self.subscriptions.set(Collection::default());
                self.skus.set(Collection::default());
            }
        }
    }

    /// Takes what the route's load brought.
    fn apply(self, loaded: Loaded) {
        match loaded.customer {
            Some(Ok(c)) => {
                self.customer_error.set(None);
                self.pc_customer.set(Some(c));
            }
            Some(Err(e)) => {
                self.customer_error.set(Some(e));
                self.pc_customer.set(None);
            }
            None => {
                self.customer_error.set(None);
                self.pc_customer.set(None);
            }
        }
        self.apply_pc(loaded.pc);
        match loaded.admin {
            Some(Ok(r)) => {
                self.admin_error.set(None);
                self.relationships.set(r);
            }
            Some(Err(e)) => {
                self.admin_error.set(Some(e));
                self.relationships.set(Vec::new());
            }
            None => {
                self.admin_error.set(None);
                self.relationships.set(Vec::new());
            }
        }
        self.save_error.set(None);
        self.just_saved.set(false);
        self.mca_accepted.set(loaded.mca.and_then(Result::ok));
        match loaded.record {
            Ok(v) => {
                self.take(v);
                self.record_load.set(Load::Loaded);
                moves_view::follow_transfers(self);
            }
            Err(e) => {
                self.take(None);
                self.record_load.set(Load::Failed(e));
            }
        }
    }

    /// A new record for this customer: from Partner Center's subscriptions, or empty.
    fn create(self, from_pc: bool) {
        let id = self.id.get_untracked();
        let c = self.pc_customer.get_untracked();
        let mut r = match &c {
            Some(c) => {
                let mut r = MigrationRecord::prospect(&c.company_name, &c.domain);
                // The id in the URL, never one from a response body.
                r.key = CustomerKey::PcCustomerId(id.clone());
                r
            }
            None => MigrationRecord::prospect(&id, &id),
        };
        if from_pc {
            let today = self.today;
            r.originals = self.subscriptions.with_untracked(|subs| {
                subs.items
                    .iter()
                    .enumerate()
                    .map(|(i, s)| OriginalSubscription {
                        id: format!("o{}", i + 1),
                        offer_id: Some(s.offer_id.clone()),
                        offer_name: s.offer_name.clone(),
                        seats: s.quantity.max(1),
                        end_date: s.commitment_end_date.unwrap_or(today.plus_days(365)),
                        channel: Channel::Partner,
                        auto_renew: s.auto_renew,
                        price: None,
                        target: None,
                        confirmed: Confirmations::default(),
                        tenant_subscription_id: None,
                        path: Default::default(),
                    })
                    .collect()
            });
        }
        self.draft.set(Some(r));
        self.editor_gen.update(|g| *g += 1);
        self.save();
    }
}

/// A fresh id for a new original subscription.
pub(crate) fn new_original_id() -> String {
    format!("o{:08x}", (js_sys::Math::random() * 4_294_967_295.0) as u32)
}

/// The customer page.
#[component]
pub fn CustomerPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let portfolio = use_portfolio();
    portfolio.ensure_settings();
    portfolio.ensure_session();
    portfolio.ensure_invitation_url();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let pc_customer = RwSignal::new(None::<Customer>);
    let subscriptions = RwSignal::new(Collection::default());
    let skus = RwSignal::new(Collection::default());
    let draft = RwSignal::new(None::<MigrationRecord>);
    let relationships = RwSignal::new(Vec::<GdapRelationship>::new());
    let mca_accepted = RwSignal::new(None::<bool>);
    let pc_error = RwSignal::new(None::<ApiError>);
    let today = dates::today();
    let facts = Memo::new(move |_| {
        let mut f = pc_customer.with(|c| {
            subscriptions.with(|s| skus.with(|k| pc_facts(c.as_ref(), &s.items, &k.items)))
        });
        f.admin_access = relationships.with(|r| admin_access(r, today));
        f.mca_accepted = mca_accepted.get();
        // Partner Center's subscriptions are known only when they were read.
        f.subscriptions_known = pc_customer.with(Option::is_some) && pc_error.with(Option::is_none);
        f
    });
    let planner = portfolio.planner;
    let invitation = portfolio.invitation_url;
    let status = Memo::new(move |_| {
        let planner = planner.get();
        let link = invitation.get().flatten();
        facts.with(|f| {
            draft.with(|d| {
                d.as_ref()
                    .map(|r| CustomerStatus::new(r, f, today, &planner.0, link.as_deref()))
            })
        })
    });
    let attempt = RwSignal::new(0u32);
    let page = Page {
        id,
        pc_customer,
        customer_error: RwSignal::new(None),
        subscriptions,
        skus,
        pc_error,
        relationships,
        admin_error: RwSignal::new(None),
        mca_accepted,
        stored: RwSignal::new(None),
        draft,
        record_load: RwSignal::new(Load::Idle),
        conflict: RwSignal::new(None),
        save_error: RwSignal::new(None),
        saving: RwSignal::new(false),
        just_saved: RwSignal::new(false),
        editor_gen: RwSignal::new(0),
        field_errors: RwSignal::new(BTreeMap::new()),
        status,
        planner,
        portfolio,
        today,
    };
    let loaded = LocalResource::new(move || {
        attempt.track();
        load_route(id.get())
    });
    Effect::new(move |_| {
        let current = id.get();
        attempt.track();
        // Until this route's answer is in, show nothing of another customer.
        page.record_load.set(Load::Loading);
        let _ = current;
    });
    Effect::new(move |_| {
        if let Some(l) = loaded.get()
            && l.id == id.get_untracked()
        {
            page.apply(l);
        }
    });
    // A prospect known by domain: find it in Partner Center once the customer list has it.
    Effect::new(move |_| {
        let key = id.get();
        if !is_domain(&key) || pc_customer.with(Option::is_some) {
            return;
        }
        portfolio.ensure_customers();
        let found = portfolio
            .customers
            .with(|all| cutover_plan::partner_center::find_by_domain(all, &key).cloned());
        if let Some(c) = found {
            pc_customer.set(Some(c));
            page.reload_pc();
        }
    });
    // Share what Partner Center said with the list.
    Effect::new(move |_| {
        let f = facts.get();
        if page.stored.with(Option::is_some) {
            portfolio.remember_facts(&page.record_key(), f);
        }
    });

    let title = move || {
        draft
            .with(|d| d.as_ref().map(|r| r.customer_name.clone()))
            .or_else(|| pc_customer.with(|c| c.as_ref().map(|c| c.company_name.clone())))
            .unwrap_or_else(|| id.get())
    };
    crate::components::route_focus::use_page_title(title);
    let domain = move || {
        draft
            .with(|d| d.as_ref().map(|r| r.domain.clone()))
            .or_else(|| pc_customer.with(|c| c.as_ref().map(|c| c.domain.clone())))
            .unwrap_or_default()
    };
    let standing = move || {
        let l = lang.get();
        match pc_customer.with(|c| c.as_ref().map(|c| c.relationship == "reseller")) {
            Some(true) => t::in_pc_reseller(l),
            Some(false) => t::in_pc_other(l),
            None => t::prospect(l),
        }
    };
    let retry = Callback::new(move |_| attempt.update(|n| *n += 1));
    // Only a change between "no record" and "a record" re-creates the record view (a Memo), so
    // editing the draft never throws away what the panels below hold.
    let has_draft = Memo::new(move |_| draft.with(Option::is_some));

    view! {
        <section class="page customer-page">
            <p class="crumbs"><A href="/">{move || t::back(lang.get())}</A></p>
            <div class="page-head">
                <h1 data-testid="customer-name">{title}</h1>
                <span class="muted">{domain}</span>
                <span class="badge">{standing}</span>
            </div>
            <Show when=move || !is_domain(&id.get())>
                <p class="muted small">{move || t::pc_id(lang.get())} " " <code>{move || id.get()}</code></p>
            </Show>
            {move || page.customer_error.get().map(|e| view! {
                <div data-testid="customer-error"><ErrorBanner error=e on_retry=retry /></div>
            })}
            {move || page.pc_error.get().map(|e| view! { <ErrorBanner error=e on_retry=retry /> })}
            {move || match portfolio.settings_load.get() {
                Load::Failed(e) => Some(view! {
                    <div class="banner banner-warning" role="status">
                        <p>{t::settings_defaults(lang.get())} " " {e.message.clone()}</p>
                        <button type="button" class="button secondary"
                            on:click=move |_| portfolio.load_settings()>{common::retry(lang.get())}</button>
                    </div>
                }),
                _ => None,
            }}
            {move || match page.record_load.get() {
                Load::Loading | Load::Idle => view! { <p class="muted" role="status">{common::loading(lang.get())}</p> }.into_any(),
                Load::Failed(e) => view! { <ErrorBanner error=e on_retry=retry /> }.into_any(),
                Load::Loaded => if !has_draft.get() {
                    view! { <NoRecord page=page /> }.into_any()
                } else {
                    view! { <RecordView page=page /> }.into_any()
                },
            }}
            <licences::PartnerCenterView page=page />
        </section>
    }
}

/// Offered when the customer has no record yet.
#[component]
fn NoRecord(page: Page) -> impl IntoView {
    let lang = use_lang();
    let has_subs = move || page.subscriptions.with(|s| !s.items.is_empty());
    // A customer whose answer named another id cannot be planned from that answer.
    let can_create = move || page.customer_error.with(Option::is_none);
    view! {
        <div class="card">
            <h2>{move || t::no_record_title(lang.get())}</h2>
            <p>{move || t::no_record_text(lang.get())}</p>
            {move || page.save_error.get().map(|e| view! { <ErrorBanner error=e /> })}
            <Show when=can_create>
                <div class="actions">
                    <Show when=has_subs>
                        <button type="button" class="button" on:click=move |_| page.create(true)>
                            {move || t::create_from_pc(lang.get())}
                        </button>
                    </Show>
                    <button type="button" class="button secondary" data-testid="create-record"
                        on:click=move |_| page.create(false)>
                        {move || t::create_empty(lang.get())}
                    </button>
                </div>
            </Show>
        </div>
    }
}

/// The record: save state, conflict, where it stands, checklist, orders, editor, notes, export,
/// share links.
#[component]
fn RecordView(page: Page) -> impl IntoView {
    let lang = use_lang();
    let record_key = Signal::derive(move || page.record_key());
    let is_prospect_key = move || {
        page.stored
            .with(|s| s.as_ref().is_some_and(|v| is_domain(&v.key)))
            && page.is_reseller()
    };
    let rekey = move |_| {
        let (Some(stored), Some(c)) = (
            page.stored.get_untracked(),
            page.pc_customer.get_untracked(),
        ) else {
            return;
        };
        let Some(mut doc) = page.draft.get_untracked() else {
            return;
        };
        doc.key = CustomerKey::PcCustomerId(c.id.clone());
        page.saving.set(true);
        let portfolio = page.portfolio;
        spawn_local(async move {
            let result = api::rekey(&stored.key, stored.version, &doc).await;
            page.saving.set(false);
            match result {
                Ok(v) => {
                    portfolio.upsert_record(&stored.key, v.clone());
                    page.take(Some(v));
                }
                Err(SaveError::Conflict(current)) => page.conflict.set(Some(*current)),
                Err(SaveError::Failed(e)) => page.save_error.set(Some(e)),
            }
        });
    };
    let partner = move || page.portfolio.partner_name();
    view! {
        <div class="save-bar" role="status" aria-live="polite" data-testid="save-state">
            {move || {
                let l = lang.get();
                if page.saving.get() {
                    common::saving(l).to_owned()
                } else if page.dirty() {
                    t::unsaved(l).to_owned()
                } else if page.just_saved.get() {
                    common::saved(l).to_owned()
                } else {
                    page.stored.with(|s| s.as_ref().map(|v| t::version(l, v.version)).unwrap_or_default())
                }
            }}
        </div>
        {move || page.save_error.get().map(|e| view! {
            <ErrorBanner error=e on_retry=Callback::new(move |_| page.save()) />
        })}
        <ConflictView page=page />
        <Show when=is_prospect_key>
            <div class="banner banner-warning" role="status">
                <p>{move || t::now_in_pc(lang.get())}</p>
                <button type="button" class="button secondary" on:click=rekey>{move || t::rekey(lang.get())}</button>
            </div>
        </Show>
        <section class="card customer-view" aria-labelledby="stands-title" data-testid="customer-view">
            <h2 id="stands-title">{move || t::stands_title(lang.get())}</h2>
            <p class="muted">{move || t::stands_help(lang.get())}</p>
            <DomPart parts=move || {
                let l = lang.get();
                let p = partner();
                page.status.with(|s| {
                    s.as_ref()
                        .map(|s| vec![steps_section(s, &p, l), todo_section(s, &p, l)])
                        .unwrap_or_default()
                })
            } />
        </section>
        <checklist_view::ChecklistView page=page />
        <discovery::DiscoveryView page=page />
        <orders_view::OrdersView page=page />
        <editor::PlanEditor page=page />
        <Notes page=page />
        <section class="card" aria-labelledby="export-one">
            <h2 id="export-one">{move || t::export_title(lang.get())}</h2>
            <div class="actions">
                <button type="button" class="button secondary" on:click=move |_| export_one(page, false, lang.get_untracked())>
                    {move || t::export_csv(lang.get())}
                </button>
                <button type="button" class="button secondary" on:click=move |_| export_one(page, true, lang.get_untracked())>
                    {move || t::export_ics(lang.get())}
                </button>
            </div>
        </section>
        // Links belong to a stored record: none until the first save has landed.
        <Show when=move || page.stored.with(Option::is_some)>
            <section class="card" aria-labelledby="share-title">
                <h2 id="share-title">{move || t::share_title(lang.get())}</h2>
                <ShareLinks record_key=record_key />
                <crate::components::subscribers::Subscribers record_key=record_key />
            </section>
            <crate::components::history::HistoryPanel record_key=record_key />
        </Show>
    }
}

fn export_one(page: Page, ics: bool, lang: crate::i18n::Lang) {
    let (Some(record), Some(status)) = (page.draft.get_untracked(), page.status.get_untracked())
    else {
        return;
    };
    let rows = record.plan_rows(status.checklist.relationship.relationship());
    let planner = page
        .planner
        .get_untracked()
        .0
        .with_overrides(&record.settings);
    let plan = planner.plan(&rows, page.today);
    let name = crate::components::download::safe_name(&record.domain);
    if ics {
        // Open actions only, one invitation: the customer's checklist knows what is done.
        let version = page
            .stored
            .with_untracked(|v| v.as_ref().map_or(0, |v| v.version));
        let customer = cutover_plan::ics::PartnerCustomer {
            record: &record,
            checklist: &status.checklist,
            version,
        };
        let text =
            crate::pages::import_export::one_off_ics(&[customer], page.portfolio, page.today, lang);
        crate::components::download::download(&format!("{name}.ics"), "text/calendar", &text);
    } else {
        let text = cutover_plan::csv_export::export_csv(&rows, &plan);
        crate::components::download::download(&format!("{name}.csv"), "text/csv", &text);
    }
}

/// Free-text notes (rendered as text, never as HTML).
#[component]
fn Notes(page: Page) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="card" aria-labelledby="notes-title">
            <h2 id="notes-title">{move || t::notes_title(lang.get())}</h2>
            {move || {
                page.editor_gen.track();
                let initial = page.draft.with_untracked(|d| d.as_ref().map(|r| r.notes.clone()).unwrap_or_default());
                view! {
                    <label class="field wide">
                        <span class="sr-only">{move || t::notes_title(lang.get())}</span>
                        <textarea rows="4" data-testid="notes" prop:value=initial
                            on:input=move |ev| {
                                let v = event_target_value(&ev);
                                page.draft.update(|d| if let Some(r) = d { r.notes = v; });
                            }></textarea>
                    </label>
                }
            }}
            <div class="notes-preview" data-testid="notes-preview">
                {move || page.stored.with(|s| s.as_ref().map(|v| v.doc.notes.clone()).unwrap_or_default())}
            </div>
            <div class="actions">
                <button type="button" class="button" data-testid="save-notes"
                    disabled=move || page.saving.get() || !page.dirty()
                    on:click=move |_| page.save()>{move || common::save(lang.get())}</button>
            </div>
        </section>
    }
}

/// Shown when a save was refused because someone else saved first.
#[component]
fn ConflictView(page: Page) -> impl IntoView {
    let lang = use_lang();
    view! {
        {move || page.conflict.get().map(|theirs| {
            let l = lang.get();
            let mine = page.draft.get_untracked();
            let diffs = mine
                .as_ref()
                .map(|m| merge::differences(l, &theirs.doc, m))
                .unwrap_or_default();
            let version = theirs.version;
            let when = theirs.updated_at.clone();
            let reload = {
                let theirs = theirs.clone();
                move |_| page.take(Some(theirs.clone()))
            };
            let reapply = {
                let theirs = theirs.clone();
                move |_| {
                    let base = page.stored.get_untracked().map(|s| s.doc);
                    let mine = page.draft.get_untracked();
                    let (Some(base), Some(mine)) = (base, mine) else { return };
                    let merged = merge::reapply(&base, &mine, &theirs.doc);
                    page.stored.set(Some(theirs.clone()));
                    page.draft.set(Some(merged));
                    page.conflict.set(None);
                    page.editor_gen.update(|g| *g += 1);
                    page.save();
                }
            };
            view! {
                <div class="banner banner-error conflict" role="alert" data-testid="conflict">
                    <div>
                        <p><strong>{t::conflict_title(l)}</strong></p>
                        <p>{t::conflict_text(l, version, &when)}</p>
                        <table class="diff">
                            <thead><tr>
                                <th scope="col">{t::diff_field(l)}</th>
                                <th scope="col">{t::diff_theirs(l)}</th>
                                <th scope="col">{t::diff_mine(l)}</th>
                            </tr></thead>
                            <tbody>
                                {diffs.into_iter().map(|(what, a, b)| view! {
                                    <tr><th scope="row">{what}</th><td>{a}</td><td>{b}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <div class="actions">
                            <button type="button" class="button secondary" data-testid="conflict-reload" on:click=reload>{t::conflict_reload(l)}</button>
                            <button type="button" class="button" data-testid="conflict-reapply" on:click=reapply>{t::conflict_reapply(l)}</button>
                        </div>
                    </div>
                </div>
            }
        })}
    }
}
