//! Component tests of the status page and the share-link panel, in headless Chromium.
#![cfg(target_arch = "wasm32")]

use cutover::dom::replace_children;
use cutover::i18n::dates;
use cutover::i18n::{Lang, provide_locale};
use cutover_plan::Date;
use cutover_plan::checklist::PcFacts;
use cutover_plan::customer_status::StatusPageModel;
use cutover_plan::wire::StatusProjection;
use cutover_web::status_page::{mail, sections};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn projection(
    record: serde_json::Value,
    facts: PcFacts,
    invitation: Option<&str>,
) -> StatusProjection {
    StatusProjection {
        partner_name: "Contoso CSP".into(),
        record: serde_json::from_value(record).unwrap(),
        settings: Default::default(),
        facts,
        invitation_url: invitation.map(str::to_owned),
        as_of: "2026-11-24T09:30:00Z".into(),
        facts_unavailable: false,
        record_version: 1,
        settings_version: 0,
        mail_enabled: false,
        lang: None,
    }
}

fn fabrikam(auto_renew: bool, target: Option<&str>) -> serde_json::Value {
    serde_json::json!({
        "key": {"kind": "domain", "value": "fabrikam.example"},
        "customerName": "Fabrikam <b>Ltd</b>",
        "domain": "fabrikam.example",
        "invitationSentOn": "2026-11-02",
        "originals": [{
            "id": "1", "offerName": "Office 365 E3", "seats": 10, "endDate": "2027-03-31",
            "channel": "direct", "autoRenew": auto_renew,
            "target": target.map(|t| serde_json::json!({"offerName": t})),
        }]
    })
}

fn accepted() -> PcFacts {
    PcFacts {
        relationship_accepted: true,
        ..Default::default()
    }
}

#[wasm_bindgen_test]
fn dates_follow_the_language() {
    assert!(dates::date(Lang::Ja, d("2027-03-24")).contains("2027年3月24日"));
    let en = dates::date(Lang::En, d("2027-03-24"));
    assert!(
        en.contains("2027") && en.contains("Mar") && en.contains("24"),
        "{en}"
    );
    let (zone, _) = dates::time_zone(Lang::En);
    assert!(!zone.is_empty());
}

fn mount_host() -> web_sys::HtmlElement {
    let host = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&host).unwrap();
    host.unchecked_into()
}

#[wasm_bindgen_test]
fn the_page_renders_names_as_text_with_four_steps() {
    let host = mount_host();
    let p = projection(fabrikam(true, None), accepted(), None);
    let status = StatusPageModel::new(&p, d("2026-11-24"));
    let feed = Some("/api/public/status/t/feed.atom");
    replace_children(
        &host,
        sections::page(&status, Lang::En, feed, &mail::Form::default()),
    );
    let name = host
        .query_selector("[data-testid=customer-name]")
        .unwrap()
        .unwrap();
    assert_eq!(name.text_content().unwrap(), "Fabrikam <b>Ltd</b>");
    assert!(
        host.query_selector("b").unwrap().is_none(),
        "names are never parsed as HTML"
    );
    for i in 1..=4 {
        let step = format!("[data-testid=step-{i}]");
        assert!(host.query_selector(&step).unwrap().is_some(), "{step}");
    }
    assert!(
        host.query_selector("[data-testid=step-5]")
            .unwrap()
            .is_none()
    );
    assert!(
        host.query_selector("[data-todo=auto-renew-off]")
            .unwrap()
            .is_some()
    );
    assert!(
        host.query_selector("[data-testid=download-ics]")
            .unwrap()
            .is_some()
    );
}

#[wasm_bindgen_test]
fn the_share_link_panel_offers_an_expiry_and_a_create_button() {
    use cutover::components::share_links::ShareLinks;
    let host = mount_host();
    let handle = leptos::mount::mount_to(host.clone(), move || {
        provide_locale();
        view! { <ShareLinks record_key=Signal::derive(|| "contoso.example".to_string()) /> }
    });
    assert!(host.query_selector("input[type=date]").unwrap().is_some());
    let create = host
        .query_selector("[data-testid=share-create]")
        .unwrap()
        .unwrap();
    assert!(["Create link", "リンクを作成"].contains(&create.text_content().unwrap().as_str()));
    assert!(
        host.query_selector("[data-testid=share-url]")
            .unwrap()
            .is_none(),
        "no token before one is made"
    );
    drop(handle);
}

#[wasm_bindgen_test]
fn refused_links_are_invalid_and_server_trouble_is_worth_a_retry() {
    use cutover::api::public::{StatusError, read_answer};
    let not_found = r#"{"code":"not_found","message":"No such link.","retryable":false}"#;
    assert_eq!(read_answer(404, not_found), Err(StatusError::Invalid));
    assert_eq!(read_answer(400, "<html>"), Err(StatusError::Invalid));
    let throttled = r#"{"code":"rate_limited","message":"Slow down.","retryable":true}"#;
    assert!(matches!(
        read_answer(429, throttled),
        Err(StatusError::Unavailable(_))
    ));
    assert!(matches!(
        read_answer(502, "bad gateway"),
        Err(StatusError::Unavailable(_))
    ));
    assert!(matches!(
        read_answer(200, "{not json"),
        Err(StatusError::Unavailable(_))
    ));
    assert!(matches!(
        read_answer(200, "{}"),
        Err(StatusError::Unavailable(_))
    ));
}

#[wasm_bindgen_test]
fn a_projection_from_the_server_reads_back_whole() {
    use cutover::api::public::read_answer;
    let p = projection(
        fabrikam(true, Some("Microsoft 365 E3")),
        accepted(),
        Some("https://admin.microsoft.com/x"),
    );
    let text = serde_json::to_string(&p).unwrap();
    assert_eq!(read_answer(200, &text), Ok(p));
}

#[wasm_bindgen_test]
fn the_browser_reader_takes_serde_shapes_and_refuses_the_wrong_ones() {
    use cutover_web::api::read_js::{Unreadable, from_js};
    use serde::Deserialize;
    let parse = |text: &str| js_sys::JSON::parse(text).unwrap();

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase")]
    struct Row {
        name: String,
        seats: u32,
        delta: i32,
        price: f64,
        note: Option<String>,
        #[serde(default)]
        tags: Vec<String>,
        kind: Kind,
        tagged: Tagged,
    }
    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase")]
    enum Kind {
        Plain,
        Dated(String),
        Range { from: u32, to: u32 },
    }
    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(tag = "state", rename_all = "camelCase")]
    enum Tagged {
        Pending,
        Active { days: u32 },
    }

    let row: Row = from_js(parse(
        r#"{"name":"Fabrikam \"Ltd\" 有限会社","seats":300,"delta":-2,"price":12.5,"note":null,
            "kind":{"range":{"from":1,"to":3}},"tagged":{"state":"active","days":9},"extra":[1,{"x":2}]}"#,
    ))
    .unwrap();
    assert_eq!(
        row,
        Row {
            name: "Fabrikam \"Ltd\" 有限会社".into(),
            seats: 300,
            delta: -2,
            price: 12.5,
            note: None,
            tags: vec![],
            kind: Kind::Range { from: 1, to: 3 },
            tagged: Tagged::Active { days: 9 },
        }
    );
    assert_eq!(from_js::<Kind>(parse(r#""plain""#)), Ok(Kind::Plain));
    assert_eq!(
        from_js::<Kind>(parse(r#"{"dated":"2027-01-01"}"#)),
        Ok(Kind::Dated("2027-01-01".into()))
    );
    assert_eq!(
        from_js::<Tagged>(parse(r#"{"state":"pending"}"#)),
        Ok(Tagged::Pending)
    );
    assert_eq!(from_js::<Option<u32>>(JsValue::UNDEFINED), Ok(None));
    // Wrong types, out-of-range numbers, unknown variants and missing fields are refused.
    assert_eq!(from_js::<u32>(parse("-1")), Err(Unreadable));
    assert_eq!(from_js::<u32>(parse("1.5")), Err(Unreadable));
    assert_eq!(from_js::<u8>(parse("300")), Err(Unreadable));
    assert_eq!(from_js::<String>(parse("7")), Err(Unreadable));
    assert_eq!(from_js::<Kind>(parse(r#""other""#)), Err(Unreadable));
    assert_eq!(
        from_js::<Kind>(parse(r#"{"plain":null,"dated":"x"}"#)),
        Err(Unreadable)
    );
    assert_eq!(
        from_js::<Tagged>(parse(r#"{"state":"active"}"#)),
        Err(Unreadable)
    );
    assert_eq!(from_js::<Vec<u32>>(parse(r#"{"0":1}"#)), Err(Unreadable));
}
