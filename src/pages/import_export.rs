//! Import original subscriptions from CSV and export the plan as CSV or iCalendar.
//!
//! An import is an upsert: the preview lists new customers, changed ones field by field
//! (old → new) and unchanged ones; confirming writes only the changes, each on the version it was
//! previewed against, all together or not at all. The same file imported twice writes nothing.
use cutover_plan::csv_import::{ImportError, Place, import_csv_text};
use cutover_plan::import_merge::{FieldValue, ImportField, ImportNote, ImportPlan, plan_import};
use cutover_plan::planner::{Plan, PlanRow};
use cutover_plan::record::{MigrationRecord, Relationship};
use cutover_plan::wire::{ApiError, ImportResult};
use cutover_plan::{Date, Planner};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;

use crate::api::{self, ImportError as SaveImportError};
use crate::components::bulk_discovery::BulkDiscovery;
use crate::components::download::{download, safe_name};
use crate::components::error_banner::ErrorBanner;
use crate::components::route_focus::use_page_title;
use crate::i18n::import as t;
use crate::i18n::{Lang, common, dates, use_lang};
use crate::pages::portfolio::{Load, Standing, use_portfolio};

#[wasm_bindgen]
extern "C" {
    type TextDecoder;
    #[wasm_bindgen(constructor, catch)]
    fn new(label: &str) -> Result<TextDecoder, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn decode(this: &TextDecoder, bytes: &js_sys::Uint8Array) -> Result<String, JsValue>;
}

/// The file's text: UTF-8 (BOM or not), else Shift_JIS decoded by the browser.
pub fn decode_csv(bytes: &[u8]) -> Result<String, String> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(body) {
        return Ok(s.to_owned());
    }
    TextDecoder::new("shift_jis")
        .and_then(|d| d.decode(&js_sys::Uint8Array::from(bytes)))
        .map_err(|_| "the file is neither UTF-8 nor Shift_JIS".to_owned())
}

/// The result of reading a file.
#[derive(Debug, Clone, PartialEq)]
enum Parsed {
    Rows {
        file: String,
        rows: Vec<PlanRow>,
        plan: Plan,
    },
    Errors {
        file: String,
        errors: Vec<ImportError>,
    },
}

fn place(l: Lang, p: &Place) -> String {
    match p {
        Place::File => t::place_file(l).to_owned(),
        Place::Header => t::place_header(l).to_owned(),
        Place::Row(n) => n.to_string(),
    }
}

/// Plans many records with each customer's own overrides, as one plan.
fn plan_records(
    records: &[(MigrationRecord, Relationship)],
    planner: &Planner,
    today: Date,
) -> (Vec<PlanRow>, Plan) {
    let mut rows = Vec::new();
    let mut plan = Plan {
        today,
        subscriptions: Vec::new(),
        customers: Vec::new(),
    };
    for (r, rel) in records {
        let these = r.plan_rows(*rel);
        let p = planner.with_overrides(&r.settings).plan(&these, today);
        rows.extend(these);
        plan.subscriptions.extend(p.subscriptions);
        plan.customers.extend(p.customers);
    }
    (rows, plan)
}

/// The partner's one-off calendar file of these customers' open actions (work already done is
/// left out, one invitation per customer), in the partner's language.
pub(crate) fn one_off_ics(
    customers: &[cutover_plan::ics::PartnerCustomer<'_>],
    portfolio: crate::pages::portfolio::Portfolio,
    today: Date,
    lang: crate::i18n::Lang,
) -> String {
    use cutover_plan::ics::{PartnerIcsOptions, PartnerWindow, partner_ics, stamp_of};
    let now = String::from(js_sys::Date::new_0().to_iso_string());
    let stamp = stamp_of(&now).unwrap_or_else(|| format!("{}T000000Z", today.basic()));
    let settings_version = portfolio
        .settings
        .with_untracked(|s| s.as_ref().map_or(0, |s| s.version));
    partner_ics(
        customers,
        &PartnerIcsOptions {
            lang: lang.into(),
            today,
            settings_version,
            stamp: &stamp,
            name: "Cutover",
            window: PartnerWindow::OneOff,
        },
    )
}

/// The import / export page.
#[component]
pub fn ImportExportPage() -> impl IntoView {
    let lang = use_lang();
    use_page_title(move || common::nav_import(lang.get()).to_owned());
    let portfolio = use_portfolio();
    portfolio.ensure_records();
    portfolio.ensure_settings();
    portfolio.ensure_customers();
    let parsed = RwSignal::new(None::<Parsed>);
    let import_error = RwSignal::new(None::<ApiError>);
    let stale = RwSignal::new(Vec::<String>::new());
    let created = RwSignal::new(None::<ImportResult>);
    let busy = RwSignal::new(false);
    let today = dates::today();

    let on_file = move |ev: leptos::ev::Event| {
        let input = event_target::<web_sys::HtmlInputElement>(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        created.set(None);
        import_error.set(None);
        let name = file.name();
        spawn_local(async move {
            let buf = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await;
            let bytes = match buf {
                Ok(b) => js_sys::Uint8Array::new(&b).to_vec(),
                Err(_) => {
                    parsed.set(Some(Parsed::Errors {
                        file: name,
                        errors: vec![ImportError {
                            place: Place::File,
                            column: None,
                            message: "the file could not be read".into(),
                        }],
                    }));
                    return;
                }
            };
            let result = decode_csv(&bytes)
                .map_err(|m| {
                    vec![ImportError {
                        place: Place::File,
                        column: None,
                        message: m,
                    }]
                })
                .and_then(|text| import_csv_text(&text).map_err(|e| e.0));
            parsed.set(Some(match result {
                Ok(rows) => {
                    let planner = portfolio.planner.get_untracked();
                    let plan = planner.0.plan(&rows, today);
                    Parsed::Rows {
                        file: name,
                        rows,
                        plan,
                    }
                }
                Err(errors) => Parsed::Errors { file: name, errors },
            }));
        });
    };

    // What confirming would write, recomputed when the stored records or Partner Center's
    // customers change (so a preview after a conflict uses what is stored now).
    let import_plan = Memo::new(move |_| {
        let Some(Parsed::Rows { rows, .. }) = parsed.get() else {
            return None;
        };
        let plan = portfolio.records.with(|stored| {
            portfolio
                .customers
                .with(|pc| plan_import(&rows, stored, pc, today))
        });
        Some(plan)
    });
    let customers_loading = move || portfolio.progress.with(|p| !p.done && p.error.is_none());
    let records_ready = move || matches!(portfolio.records_load.get(), Load::Loaded);

    let confirm = move || {
        let Some(plan) = import_plan.get_untracked() else {
            return;
        };
        if !plan.writes_anything() || busy.get_untracked() {
            return;
        }
        busy.set(true);
        import_error.set(None);
        stale.set(Vec::new());
        spawn_local(async move {
            let result = api::import(&plan.request()).await;
            busy.set(false);
            match result {
                Ok(r) => {
                    created.set(Some(r));
                    parsed.set(None);
                    portfolio.load_records();
                }
                Err(SaveImportError::Conflicts(c)) => {
                    let mut keys: Vec<String> = c.current.iter().map(|v| v.key.clone()).collect();
                    keys.extend(c.missing.iter().cloned());
                    stale.set(keys);
                    // Preview again against what is stored now.
                    portfolio.load_records();
                }
                Err(SaveImportError::Failed(e)) => import_error.set(Some(e)),
            }
        });
    };

    let preview = move || {
        let l = lang.get();
        parsed.get().map(|p| match p {
            Parsed::Errors { file, errors } => view! {
                <div class="card" data-testid="import-errors">
                    <h2>{t::errors_title(l, &file, errors.len())}</h2>
                    <p>{t::nothing_saved(l)}</p>
                    <table class="table">
                        <thead><tr>
                            <th scope="col">{t::col_row(l)}</th>
                            <th scope="col">{t::col_column(l)}</th>
                            <th scope="col">{t::col_message(l)}</th>
                        </tr></thead>
                        <tbody>
                            {errors.into_iter().map(|e| view! {
                                <tr>
                                    <td>{place(l, &e.place)}</td>
                                    <td>{e.column.clone().unwrap_or_default()}</td>
                                    <td>{e.message.clone()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any(),
            Parsed::Rows { file, rows, plan } => {
                let Some(diff) = import_plan.get() else {
                    return view! { <p class="muted">{common::loading(l)}</p> }.into_any();
                };
                let customers = diff.new.len() + diff.changed.len() + diff.unchanged.len();
                let writes = diff.writes_anything();
                view! {
                    <div class="card" data-testid="import-preview">
                        <h2>{t::preview_title(l, &file, rows.len(), customers)}</h2>
                        <p data-testid="import-summary">{t::summary(l, diff.new.len(), diff.changed.len(), diff.unchanged.len())}</p>
                        {move || customers_loading().then(|| view! {
                            <p class="banner banner-warning" role="status">{t::waiting_for_customers(lang.get())}</p>
                        })}
                        {notes_view(l, &diff)}
                        {changes_view(l, &diff)}
                        {new_view(l, &diff)}
                        {unchanged_view(l, &diff)}
                        <details>
                            <summary id="planned-dates-title">{t::planned_dates(l)}</summary>
                            <div class="table-wrap" tabindex="0" role="group" aria-labelledby="planned-dates-title">
                                <table class="table">
                                    <thead><tr>
                                        <th scope="col">{t::col_row(l)}</th>
                                        <th scope="col">{t::col_customer(l)}</th>
                                        <th scope="col">{t::col_domain(l)}</th>
                                        <th scope="col">{t::col_offer(l)}</th>
                                        <th scope="col">{t::col_seats(l)}</th>
                                        <th scope="col">{t::col_end(l)}</th>
                                        <th scope="col">{t::col_provision(l)}</th>
                                        <th scope="col">{t::col_invite(l)}</th>
                                        <th scope="col">{t::col_warnings(l)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {rows.iter().zip(plan.subscriptions.iter()).enumerate().map(|(i, (r, s))| view! {
                                            <tr>
                                                <td>{i + 1}</td>
                                                <td>{r.customer.clone()}</td>
                                                <td>{s.domain.clone()}</td>
                                                <td>{r.offer.clone()}</td>
                                                <td>{r.seats}</td>
                                                <td>{dates::date(l, r.end_date)}</td>
                                                <td>{dates::date(l, s.provision_on)}</td>
                                                <td>{dates::date(l, s.invite_by)}</td>
                                                <td>{s.warnings.iter().map(|w| common::warning(l, w)).collect::<Vec<_>>().join("; ")}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        </details>
                        <div class="actions">
                            <button type="button" class="button secondary" on:click=move |_| parsed.set(None)>{common::cancel(l)}</button>
                            {if writes {
                                view! {
                                    <button type="button" class="button" data-testid="confirm-import"
                                        disabled=move || busy.get() || customers_loading() || !records_ready()
                                        on:click=move |_| confirm()>
                                        {t::confirm_changes(l, diff.new.len(), diff.changed.len())}
                                    </button>
                                }.into_any()
                            } else {
                                view! { <p class="banner banner-ok" role="status" data-testid="import-nothing">{t::nothing_to_change(l)}</p> }.into_any()
                            }}
                        </div>
                    </div>
                }.into_any()
            }
        })
    };

    // Export.
    let which = RwSignal::new(String::new());
    let export = move |ics: bool| {
        let key = which.get_untracked();
        let today = dates::today();
        let planner = portfolio.planner.get_untracked();
        let entries = portfolio.entries.get_untracked();
        let known = portfolio.facts.get_untracked();
        let with_facts: Vec<(MigrationRecord, cutover_plan::checklist::PcFacts, u64)> =
            portfolio.records.with_untracked(|all| {
                all.iter()
                    .filter(|r| key.is_empty() || r.key == key)
                    .map(|r| {
                        let standing = entries
                            .0
                            .iter()
                            .find(|e| e.domain.eq_ignore_ascii_case(&r.doc.domain))
                            .map_or(Standing::Prospect, |e| e.standing);
                        let facts = cutover_plan::portfolio::facts_for(standing, known.get(&r.key));
                        (r.doc.clone(), facts, r.version)
                    })
                    .collect()
            });
        let name = if key.is_empty() {
            "cutover-plan".to_owned()
        } else {
            safe_name(&key)
        };
        if ics {
            // Open actions only (done work is left out), one invitation per customer.
            let lists: Vec<_> = with_facts
                .iter()
                .map(|(r, f, _)| cutover_plan::checklist::checklist(r, f, today, &planner.0))
                .collect();
            let customers: Vec<_> = with_facts
                .iter()
                .zip(&lists)
                .map(
                    |((record, _, version), checklist)| cutover_plan::ics::PartnerCustomer {
                        record,
                        checklist,
                        version: *version,
                    },
                )
                .collect();
            download(
                &format!("{name}.ics"),
                "text/calendar",
                &one_off_ics(&customers, portfolio, today, lang.get_untracked()),
            );
        } else {
            let records: Vec<(MigrationRecord, Relationship)> = with_facts
                .into_iter()
                .map(|(r, facts, _)| {
                    let rel =
                        cutover_plan::checklist::relationship_state(&r, &facts).relationship();
                    (r, rel)
                })
                .collect();
            let (rows, plan) = plan_records(&records, &planner.0, today);
            download(
                &format!("{name}.csv"),
                "text/csv",
                &cutover_plan::csv_export::export_csv(&rows, &plan),
            );
        }
    };

    view! {
        <section class="page">
            <h1>{move || common::nav_import(lang.get())}</h1>
            <section class="card" aria-labelledby="import-title">
                <h2 id="import-title">{move || t::import_title(lang.get())}</h2>
                <p>{move || t::import_help(lang.get())}</p>
                <label class="field">
                    <span>{move || t::choose_file(lang.get())}</span>
                    <input type="file" accept=".csv,text/csv" data-testid="import-file" on:change=on_file />
                </label>
                {move || created.get().map(|r| view! {
                    <p class="banner banner-ok" role="status" data-testid="import-done">{t::done(lang.get(), r.created, r.updated)}</p>
                })}
                {move || (!stale.get().is_empty()).then(|| view! {
                    <div class="banner banner-error" role="alert" data-testid="import-conflict">
                        <p>{t::changed_meanwhile(lang.get(), &stale.get().join(", "))}</p>
                    </div>
                })}
                {move || import_error.get().map(|e| view! {
                    <ErrorBanner error=e on_retry=Callback::new(move |_| confirm()) />
                })}
            </section>
            {preview}
            <BulkDiscovery />
            <section class="card" aria-labelledby="export-title">
                <h2 id="export-title">{move || t::export_title(lang.get())}</h2>
                {move || match portfolio.records_load.get() {
                    Load::Failed(e) => Some(view! { <ErrorBanner error=e on_retry=Callback::new(move |_| portfolio.load_records()) /> }),
                    _ => None,
                }}
                <div class="actions">
                    <label class="field">
                        <span>{move || t::export_which(lang.get())}</span>
                        <select data-testid="export-which" on:change=move |ev| which.set(event_target_value(&ev))>
                            <option value="">{move || t::all_customers(lang.get())}</option>
                            {move || portfolio.records.with(|all| all.iter().map(|r| view! {
                                <option value=r.key.clone()>{format!("{} ({})", r.doc.customer_name, r.doc.domain)}</option>
                            }).collect_view())}
                        </select>
                    </label>
                    <button type="button" class="button secondary" data-testid="export-csv" on:click=move |_| export(false)>
                        {move || t::export_csv(lang.get())}
                    </button>
                    <button type="button" class="button secondary" data-testid="export-ics" on:click=move |_| export(true)>
                        {move || t::export_ics(lang.get())}
                    </button>
                </div>
            </section>
        </section>
    }
}

fn value_text(l: Lang, v: &FieldValue) -> String {
    match v {
        FieldValue::None => "—".to_owned(),
        FieldValue::Text(t) => t.clone(),
        FieldValue::Date(d) => dates::date(l, *d),
        FieldValue::Number(n) => n.to_string(),
        FieldValue::Flag(b) => t::yes_no(l, *b).to_owned(),
        FieldValue::Channel(c) => crate::i18n::common::channel(l, *c).to_owned(),
        FieldValue::Price(p) => format!("{} {}", p.per_seat_per_month, p.currency),
        FieldValue::Path(p) => crate::i18n::common::path_name(l, *p).to_owned(),
    }
}

fn field_text(l: Lang, f: ImportField) -> &'static str {
    match f {
        ImportField::CustomerName => t::f_customer(l),
        ImportField::InvitationSent => t::f_invitation(l),
        ImportField::NewOriginal => t::f_new_original(l),
        ImportField::Seats => t::col_seats(l),
        ImportField::EndDate => t::col_end(l),
        ImportField::Channel => t::f_channel(l),
        ImportField::AutoRenew => t::f_auto_renew(l),
        ImportField::Price => t::f_price(l),
        ImportField::TargetOffer => t::f_target(l),
        ImportField::Path => t::f_path(l),
    }
}

fn changes_view(l: Lang, plan: &ImportPlan) -> impl IntoView + use<> {
    (!plan.changed.is_empty()).then(|| {
        let items: Vec<_> = plan
            .changed
            .iter()
            .map(|c| {
                let rows: Vec<_> = c
                    .changes
                    .iter()
                    .map(|ch| {
                        view! {
                            <tr>
                                <td>{ch.offer.clone().unwrap_or_else(|| t::customer_level(l).to_owned())}</td>
                                <th scope="row">{field_text(l, ch.field)}</th>
                                <td>{value_text(l, &ch.old)}</td>
                                <td>{value_text(l, &ch.new)}</td>
                            </tr>
                        }
                    })
                    .collect();
                view! {
                    <li data-testid="import-changed">
                        <strong>{c.after.customer_name.clone()}</strong> " "
                        <span class="muted">{c.after.domain.clone()}</span>
                        <table class="table compact diff">
                            <thead><tr>
                                <th scope="col">{t::col_offer(l)}</th>
                                <th scope="col">{t::col_field(l)}</th>
                                <th scope="col">{t::col_old(l)}</th>
                                <th scope="col">{t::col_new(l)}</th>
                            </tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </li>
                }
            })
            .collect();
        view! {
            <h3>{t::changed_title(l, plan.changed.len())}</h3>
            <ul class="import-changes">{items}</ul>
        }
    })
}

fn new_view(l: Lang, plan: &ImportPlan) -> impl IntoView + use<> {
    (!plan.new.is_empty()).then(|| {
        let items: Vec<_> = plan
            .new
            .iter()
            .map(|r| {
                let keyed = matches!(r.key, cutover_plan::record::CustomerKey::PcCustomerId(_));
                view! {
                    <li data-testid="import-new">
                        <strong>{r.customer_name.clone()}</strong> " "
                        <span class="muted">{r.domain.clone()}</span> " · "
                        {t::subscriptions_n(l, r.originals.len())}
                        {keyed.then(|| view! { " · " <span class="badge">{t::in_pc(l)}</span> })}
                    </li>
                }
            })
            .collect();
        view! {
            <h3>{t::new_title(l, plan.new.len())}</h3>
            <ul>{items}</ul>
        }
    })
}

fn unchanged_view(l: Lang, plan: &ImportPlan) -> impl IntoView + use<> {
    (!plan.unchanged.is_empty()).then(|| {
        let items: Vec<_> = plan
            .unchanged
            .iter()
            .map(|(_, name)| view! { <li>{name.clone()}</li> })
            .collect();
        view! {
            <details data-testid="import-unchanged">
                <summary>{t::unchanged_title(l, plan.unchanged.len())}</summary>
                <ul>{items}</ul>
            </details>
        }
    })
}

fn notes_view(l: Lang, plan: &ImportPlan) -> impl IntoView + use<> {
    let items: Vec<_> = plan
        .notes
        .iter()
        .map(|n| match n {
            ImportNote::AcceptedNotInPartnerCenter { domain } => {
                view! { <li>{t::accepted_not_in_pc(l, domain)}</li> }
            }
        })
        .collect();
    (!items.is_empty()).then(|| {
        view! { <div class="banner banner-warning" role="status" data-testid="import-notes"><ul>{items}</ul></div> }
    })
}
