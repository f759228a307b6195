//! Component tests that run inside headless Chromium (wasm-bindgen-test-runner).
#![cfg(target_arch = "wasm32")]
use cutover::components::error_banner::ErrorBanner;
use cutover_plan::wire::ApiError;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn host() -> web_sys::HtmlElement {
    let host = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&host).unwrap();
    host.unchecked_into()
}

#[wasm_bindgen_test]
fn error_banner_renders_hostile_text_as_text() {
    let host = host();
    let payload = "<img src=x onerror=alert(1)> failed";
    let error = ApiError::new("x", payload, false);
    let _handle = leptos::mount::mount_to(
        host.clone(),
        move || view! { <ErrorBanner error=error.clone() /> },
    );
    let alert = host
        .query_selector("[role=alert]")
        .unwrap()
        .expect("banner is rendered");
    assert!(alert.text_content().unwrap().contains(payload));
    assert!(
        host.query_selector("img").unwrap().is_none(),
        "markup in a message must not become elements"
    );
    assert!(
        host.query_selector("button").unwrap().is_none(),
        "no retry for a non-retryable error"
    );
}

#[wasm_bindgen_test]
fn error_banner_offers_retry_when_retryable() {
    let host = host();
    let clicked = RwSignal::new(0);
    let error = ApiError::new("unavailable", "Partner Center had a problem.", true);
    let _handle = leptos::mount::mount_to(host.clone(), move || {
        view! { <ErrorBanner error=error.clone() on_retry=Callback::new(move |_| clicked.update(|n| *n += 1)) /> }
    });
    let button: web_sys::HtmlElement = host
        .query_selector("button")
        .unwrap()
        .expect("retry button")
        .unchecked_into();
    button.click();
    assert_eq!(clicked.get_untracked(), 1);
}

use cutover::pages::portfolio::{Entries, provide_portfolio};
use cutover_plan::portfolio::plan_portfolio;
use cutover_plan::record::{MigrationRecord, OriginalSubscription};
use cutover_plan::wire::Versioned;
use cutover_plan::{Date, Planner, Settings};

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn original(id: &str, offer: &str, end: &str, auto_renew: bool) -> OriginalSubscription {
    OriginalSubscription {
        id: id.into(),
        offer_id: None,
        offer_name: offer.into(),
        seats: 10,
        end_date: d(end),
        channel: cutover_plan::record::Channel::Ea,
        auto_renew,
        price: None,
        target: None,
        confirmed: Default::default(),
        tenant_subscription_id: None,
        path: Default::default(),
    }
}

fn versioned(r: MigrationRecord) -> Versioned<MigrationRecord> {
    Versioned {
        key: r.domain.clone(),
        version: 1,
        updated_at: "2026-11-24T00:00:00Z".into(),
        doc: r,
    }
}

/// The list entries of prospects (no Partner Center customers) planned on 2026-11-24.
fn prospects_planned(records: &[MigrationRecord]) -> Vec<cutover_plan::portfolio::Entry> {
    let records: Vec<_> = records.iter().cloned().map(versioned).collect();
    let planner = Planner::new(&Settings::default());
    plan_portfolio(
        &[],
        &records,
        &Default::default(),
        &planner,
        d("2026-11-24"),
    )
}

fn prospect(name: &str, domain: &str, end: &str) -> MigrationRecord {
    let mut r = MigrationRecord::prospect(name, domain);
    r.originals.push(original("o1", "Office 365 E3", end, true));
    r
}

#[wasm_bindgen_test]
fn list_filters_search_warning_step_and_channel() {
    use cutover::pages::customers::{Filters, filter_and_sort};
    let entries = prospects_planned(&[
        prospect("Contoso", "contoso.example", "2027-03-31"),
        prospect("みなと製作所", "minato.example", "2026-12-01"),
    ]);
    assert_eq!(entries.len(), 2);
    // By default what is due first comes first.
    assert_eq!(filter_and_sort(&entries, &Filters::default()), vec![1, 0]);
    let search = Filters {
        q: "みなと".into(),
        ..Default::default()
    };
    assert_eq!(filter_and_sort(&entries, &search), vec![1]);
    let overdue = Filters {
        warn: "invite_overdue".into(),
        ..Default::default()
    };
    assert_eq!(filter_and_sort(&entries, &overdue), vec![1]);
    let step1_ea = Filters {
        step: "1".into(),
        channel: "ea".into(),
        sort: "cutover".into(),
        ..Default::default()
    };
    assert_eq!(filter_and_sort(&entries, &step1_ea), vec![1, 0]);
    let direct = Filters {
        channel: "direct".into(),
        ..Default::default()
    };
    assert!(filter_and_sort(&entries, &direct).is_empty());
    let range = Filters {
        from: "2027-01-01".into(),
        to: "2027-12-31".into(),
        ..Default::default()
    };
    assert_eq!(filter_and_sort(&entries, &range), vec![0]);
    assert_eq!(step1_ea.to_query(), "?step=1&channel=ea&sort=cutover");
}

#[wasm_bindgen_test]
fn list_sorts_keep_ties_in_order_and_names_ignore_case() {
    use cutover::pages::customers::{Filters, filter_and_sort};
    let entries = prospects_planned(&[
        prospect("beta", "b.example", "2027-03-31"),
        prospect("Alpha", "a.example", "2027-03-31"),
        prospect("Gamma", "c.example", "2026-12-15"),
    ]);
    let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["beta", "Alpha", "Gamma"]);
    let sorted = |sort: &str, desc: bool| {
        let f = Filters {
            sort: sort.into(),
            desc,
            ..Default::default()
        };
        filter_and_sort(&entries, &f)
    };
    // Due first; beta and Alpha end the same day, so they keep their order.
    assert_eq!(sorted("", false), vec![2, 0, 1]);
    assert_eq!(sorted("cutover", false), vec![2, 0, 1]);
    assert_eq!(sorted("cutover", true), vec![1, 0, 2]);
    // Alpha, beta, Gamma (a case-sensitive sort would put "beta" last).
    assert_eq!(sorted("name", false), vec![1, 0, 2]);
    assert_eq!(sorted("domain", false), vec![1, 0, 2]);
    // Every customer is on step 1, so the order is the list's own.
    assert_eq!(sorted("progress", false), vec![0, 1, 2]);
}

#[wasm_bindgen_test]
fn reapply_keeps_their_changes_and_applies_mine() {
    use cutover::pages::customer::merge::{differences, reapply};
    let base = prospect("Contoso", "contoso.example", "2027-03-31");
    let mut theirs = base.clone();
    theirs.notes = "theirs".into();
    let mut mine = base.clone();
    mine.originals[0].seats = 25;
    let merged = reapply(&base, &mine, &theirs);
    assert_eq!(merged.notes, "theirs");
    assert_eq!(merged.originals[0].seats, 25);
    let diffs = differences(cutover::i18n::Lang::En, &theirs, &mine);
    assert!(
        diffs
            .iter()
            .any(|(what, a, b)| what == "Notes" && a == "theirs" && b.is_empty())
    );
    assert!(
        diffs
            .iter()
            .any(|(what, a, b)| what.ends_with("seats") && a == "10" && b == "25")
    );
}

#[wasm_bindgen_test]
fn shift_jis_csv_is_decoded_by_the_browser() {
    use cutover::pages::import_export::decode_csv;
    let bytes: Vec<u8> = vec![
        99, 117, 115, 116, 111, 109, 101, 114, 44, 100, 111, 109, 97, 105, 110, 44, 111, 102, 102,
        101, 114, 44, 115, 101, 97, 116, 115, 44, 101, 110, 100, 95, 100, 97, 116, 101, 10, 138,
        148, 142, 174, 137, 239, 142, 208, 131, 101, 131, 88, 131, 103, 44, 116, 101, 115, 116, 46,
        101, 120, 97, 109, 112, 108, 101, 44, 79, 102, 102, 105, 99, 101, 32, 51, 54, 53, 32, 69,
        51, 44, 53, 44, 50, 48, 50, 55, 45, 48, 51, 45, 51, 49, 10,
    ];
    let text = decode_csv(&bytes).expect("Shift_JIS decodes");
    assert!(text.contains("株式会社テスト"));
    let rows = cutover_plan::csv_import::import_csv_text(&text).unwrap();
    let plan = cutover_plan::import_merge::plan_import(&rows, &[], &[], d("2026-11-24"));
    assert_eq!(plan.new.len(), 1);
    assert_eq!(plan.new[0].customer_name, "株式会社テスト");
    assert_eq!(
        plan.new[0].originals[0].offer_id.as_deref(),
        Some("CFQ7TTC0LF8Q:0001:CFQ7TTC0K4L7")
    );
}

#[wasm_bindgen_test]
fn japanese_reason_names_the_holiday_it_skipped() {
    use cutover::i18n::{Lang, common};
    let settings = Settings {
        holidays: cutover_plan::settings::Holidays {
            japan: true,
            custom: vec![],
        },
        ..Settings::default()
    };
    let planner = Planner::new(&settings);
    // 2027-05-12 − 7 days = 2027-05-05 (こどもの日): moved back over Golden Week.
    let row = prospect("A", "a.example", "2027-05-12").plan_rows(Default::default());
    let why = planner.explain(&row[0], d("2026-11-24"));
    let ja = common::reason(Lang::Ja, &why.provision_on);
    assert!(ja.contains("こどもの日"), "{ja}");
    let en = common::reason(Lang::En, &why.provision_on);
    assert!(en.contains("7 days before the end date 2027-05-12"), "{en}");
}

#[wasm_bindgen_test]
fn dates_use_intl_and_renewal_shows_a_zone() {
    use cutover::i18n::{Lang, dates};
    let en = dates::date(Lang::En, d("2027-05-12"));
    assert!(en.contains("2027") && en.contains("May"), "{en}");
    let ja = dates::date(Lang::Ja, d("2027-05-12"));
    assert!(ja.contains("2027年5月12日"), "{ja}");
    let instant = dates::renewal_instant(Lang::En, d("2027-05-12"));
    assert!(instant.contains("2027"), "{instant}");
    assert!(dates::today() > d("2025-01-01"));
}

#[wasm_bindgen_test]
fn calendar_renders_hostile_names_as_text() {
    use cutover::pages::calendar::CalendarPage;
    let host = host();
    let payload = "<img src=x onerror=window.__xss=1>";
    let record = versioned(prospect(payload, "evil.example", "2027-03-31"));
    let _handle = leptos::mount::mount_to(host.clone(), move || {
        cutover::i18n::provide_locale();
        let p = provide_portfolio();
        p.records.set(vec![record.clone()]);
        view! { <leptos_router::components::Router><CalendarPage /></leptos_router::components::Router> }
    });
    let list = host
        .query_selector("[data-testid=action-list]")
        .unwrap()
        .expect("the plain list is rendered");
    assert!(list.text_content().unwrap().contains(payload));
    assert!(host.query_selector("img").unwrap().is_none());
    let _ = Entries::default();
}
