//! Component tests of the status page and the share-link panel, in headless Chromium.
#![cfg(target_arch = "wasm32")]

use cutover::i18n::{Lang, provide_locale};
use cutover::pages::status::StatusDetails;
use cutover::pages::status::format;
use cutover::pages::status::model::{CustomerStatus, MilestoneKind, Todo};
use cutover_plan::Date;
use cutover_plan::checklist::{CspSubscription, PcFacts, StepStatus};
use cutover_plan::wire::StatusProjection;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
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
fn accepted_customer_with_auto_renew_on_is_told_what_to_do_and_by_when() {
    let p = projection(fabrikam(true, None), accepted(), None);
    let s = CustomerStatus::new(&p, d("2026-11-24"));
    assert_eq!(
        s.steps(),
        [
            StepStatus::Done,
            StepStatus::Open,
            StepStatus::Open,
            StepStatus::NotNeeded
        ]
    );
    assert_eq!(
        s.todos,
        vec![
            Todo::SwitchOffAutoRenew {
                offer: "Office 365 E3".into(),
                by: Some(d("2027-03-26")),
                end_date: d("2027-03-31"),
                overdue: false,
            },
            Todo::WaitForProvisioning {
                on: Some(d("2027-03-24"))
            },
            Todo::NoLicenceChanges,
        ]
    );
    assert!(matches!(s.past[0].kind, MilestoneKind::InvitationSent));
    let upcoming: Vec<Date> = s.upcoming.iter().map(|m| m.date).collect();
    assert_eq!(
        upcoming,
        vec![d("2027-03-24"), d("2027-03-26"), d("2027-03-31")]
    );
    let ics = s.ics.expect("upcoming dates make a calendar");
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.contains("DTSTART;VALUE=DATE:20270324"));
}

#[wasm_bindgen_test]
fn invitation_not_accepted_asks_to_accept_and_drops_unsafe_links() {
    let url = "https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship";
    let s = CustomerStatus::new(
        &projection(fabrikam(false, None), PcFacts::default(), Some(url)),
        d("2026-11-24"),
    );
    assert_eq!(
        s.todos[0],
        Todo::AcceptInvitation {
            url: Some(url.into()),
            sent_on: Some(d("2026-11-02")),
            by: Some(d("2027-03-24")),
        }
    );
    let s = CustomerStatus::new(
        &projection(
            fabrikam(false, None),
            PcFacts::default(),
            Some("javascript:alert(1)"),
        ),
        d("2026-11-24"),
    );
    assert!(matches!(
        &s.todos[0],
        Todo::AcceptInvitation { url: None, .. }
    ));
}

#[wasm_bindgen_test]
fn provisioned_same_offer_past_the_end_date_is_all_done() {
    let facts = PcFacts {
        relationship_accepted: true,
        csp_subscriptions: vec![CspSubscription {
            offer_id: "x".into(),
            offer_name: "Office 365 E3".into(),
            quantity: 10,
            active: true,
        }],
        subscribed_skus: vec![],
    };
    let s = CustomerStatus::new(
        &projection(fabrikam(false, None), facts, None),
        d("2027-04-02"),
    );
    assert_eq!(s.todos, vec![Todo::AllDone]);
    assert!(s.upcoming.is_empty());
    assert_eq!(s.ics, None);
}

#[wasm_bindgen_test]
fn a_different_target_offer_means_reassigning_licences() {
    let p = projection(fabrikam(false, Some("Microsoft 365 E3")), accepted(), None);
    let s = CustomerStatus::new(&p, d("2026-11-24"));
    assert!(s.todos.contains(&Todo::ReassignLicences {
        from: "Office 365 E3".into(),
        to: "Microsoft 365 E3".into(),
        by: Some(d("2027-03-30")),
    }));
    assert_eq!(s.steps()[3], StepStatus::Open);
}

#[wasm_bindgen_test]
fn dates_follow_the_language() {
    assert!(format::date(d("2027-03-24"), Lang::Ja).contains("2027年3月24日"));
    let en = format::date(d("2027-03-24"), Lang::En);
    assert!(
        en.contains("2027") && en.contains("Mar") && en.contains("24"),
        "{en}"
    );
    let (zone, _) = format::time_zone(Lang::En);
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
    let status = CustomerStatus::new(&p, d("2026-11-24"));
    let handle = leptos::mount::mount_to(host.clone(), move || {
        provide_locale();
        view! { <StatusDetails status feed=Some("/api/public/status/t/feed.atom".to_string()) /> }
    });
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
    drop(handle);
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
