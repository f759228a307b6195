//! Import original subscriptions from CSV (preview, every error listed, one all-or-nothing save)
//! and export the plan as CSV or iCalendar, for everyone or one customer.
use cutover_plan::csv_import::{ImportError, Place, import_csv_text};
use cutover_plan::planner::{Plan, PlanRow};
use cutover_plan::record::{
    Confirmations, MigrationRecord, OriginalSubscription, Price, Relationship, TargetOffer,
};
use cutover_plan::wire::ApiError;
use cutover_plan::{Date, Planner};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;

use crate::api;
use crate::components::download::{download, safe_name};
use crate::components::error_banner::ErrorBanner;
use crate::i18n::import as t;
use crate::i18n::{Lang, common, dates, use_lang};
use crate::pages::customer::offers::offer_id_for;
use crate::pages::portfolio::{Load, Standing, key_of, use_portfolio};

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

/// Groups imported rows into new records, one per domain, in file order.
#[must_use]
pub fn records_from_rows(rows: &[PlanRow], today: Date) -> Vec<MigrationRecord> {
    let mut out: Vec<MigrationRecord> = Vec::new();
    for row in rows {
        let domain = row.domain.trim().to_lowercase();
        let i = match out.iter().position(|r| r.domain == domain) {
            Some(i) => i,
            None => {
                let mut r = MigrationRecord::prospect(&row.customer, &domain);
                if row.relationship != Relationship::None {
                    r.invitation_sent_on = Some(today);
                }
                out.push(r);
                out.len() - 1
            }
        };
        let r = &mut out[i];
        let n = r.originals.len() + 1;
        r.originals.push(OriginalSubscription {
            id: format!("o{n}"),
            offer_id: offer_id_for(&row.offer).map(str::to_owned),
            offer_name: row.offer.trim().to_owned(),
            seats: row.seats,
            end_date: row.end_date,
            channel: row.channel,
            auto_renew: row.auto_renew,
            price: row.monthly_price.map(|p| Price {
                per_seat_per_month: p,
                currency: row.currency.clone().unwrap_or_else(|| "USD".into()),
            }),
            target: row
                .target_offer
                .as_ref()
                .filter(|t| !t.trim().is_empty())
                .map(|t| TargetOffer {
                    offer_id: offer_id_for(t).map(str::to_owned),
                    offer_name: t.trim().to_owned(),
                }),
            confirmed: Confirmations::default(),
            path: Default::default(),
        });
    }
    out
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

/// The import / export page.
#[component]
pub fn ImportExportPage() -> impl IntoView {
    let lang = use_lang();
    let portfolio = use_portfolio();
    portfolio.ensure_records();
    portfolio.ensure_settings();
    portfolio.ensure_customers();
    let parsed = RwSignal::new(None::<Parsed>);
    let import_error = RwSignal::new(None::<ApiError>);
    let created = RwSignal::new(None::<usize>);
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

    let confirm = move || {
        let Some(Parsed::Rows { rows, .. }) = parsed.get_untracked() else {
            return;
        };
        let records = records_from_rows(&rows, today);
        busy.set(true);
        import_error.set(None);
        spawn_local(async move {
            let result = api::import(records).await;
            busy.set(false);
            match result {
                Ok(r) => {
                    created.set(Some(r.created));
                    parsed.set(None);
                    portfolio.load_records();
                }
                Err(e) => import_error.set(Some(e)),
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
                let customers = records_from_rows(&rows, today).len();
                let existing: Vec<String> = portfolio.records.with(|all| {
                    records_from_rows(&rows, today)
                        .iter()
                        .map(key_of)
                        .filter(|k| all.iter().any(|r| &r.key == k))
                        .collect()
                });
                view! {
                    <div class="card" data-testid="import-preview">
                        <h2>{t::preview_title(l, &file, rows.len(), customers)}</h2>
                        <p>{t::preview_text(l)}</p>
                        {(!existing.is_empty()).then(|| view! {
                            <div class="banner banner-warning" role="status"><p>{t::existing(l, &existing.join(", "))}</p></div>
                        })}
                        <div class="table-wrap">
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
                        <div class="actions">
                            <button type="button" class="button secondary" on:click=move |_| parsed.set(None)>{common::cancel(l)}</button>
                            <button type="button" class="button" data-testid="confirm-import" disabled=move || busy.get() on:click=move |_| confirm()>
                                {t::confirm(l, customers)}
                            </button>
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
        let records: Vec<(MigrationRecord, Relationship)> =
            portfolio.records.with_untracked(|all| {
                all.iter()
                    .filter(|r| key.is_empty() || r.key == key)
                    .map(|r| {
                        let accepted = entries.0.iter().any(|e| {
                            e.standing == Standing::Reseller
                                && e.domain.eq_ignore_ascii_case(&r.doc.domain)
                        });
                        let rel = if accepted {
                            Relationship::Accepted
                        } else if r.doc.invitation_sent_on.is_some() {
                            Relationship::Invited
                        } else {
                            Relationship::None
                        };
                        (r.doc.clone(), rel)
                    })
                    .collect()
            });
        let (rows, plan) = plan_records(&records, &planner.0, today);
        let name = if key.is_empty() {
            "cutover-plan".to_owned()
        } else {
            safe_name(&key)
        };
        if ics {
            download(
                &format!("{name}.ics"),
                "text/calendar",
                &cutover_plan::ics::export_ics(&rows, &plan),
            );
        } else {
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
                {move || created.get().map(|n| view! {
                    <p class="banner banner-ok" role="status" data-testid="import-done">{t::created(lang.get(), n)}</p>
                })}
                {move || import_error.get().map(|e| view! {
                    <ErrorBanner error=e on_retry=Callback::new(move |_| confirm()) />
                })}
            </section>
            {preview}
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
