//! Partner Center's documented response shapes are read item by item: nothing is dropped silently.
use cutover_plan::partner_center::{
    parse_customer_for, parse_order, parse_provisioning_status, parse_subscribed_skus,
    parse_subscriptions,
};

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/partner-center/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn legacy_subscription_takes_its_offer_from_the_link_and_reports_the_missing_items() {
    let c = parse_subscriptions(&fixture("subscriptions-legacy.json")).unwrap();
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    assert_eq!(c.items.len(), 1);
    let s = &c.items[0];
    assert_eq!(s.offer_id, "91FD106F-4B2C-4938-95AC-F54F74E9A239");
    assert_eq!(s.offer_name, "AAD Basic");
    assert_eq!(s.quantity, 1);
    assert_eq!(s.status, "active");
    assert_eq!(
        s.commitment_end_date.map(|d| d.to_string()).as_deref(),
        Some("2016-12-12")
    );
    assert_eq!(c.total_count, Some(37));
    assert_eq!(c.not_sent(), Some(36));
}

#[test]
fn new_commerce_subscription_is_read_with_its_status() {
    let c = parse_subscriptions(&fixture("subscriptions-nce.json")).unwrap();
    assert_eq!(c.items.len(), 1);
    assert_eq!(c.items[0].offer_id, "CFQ7TTC0LH18:0001:CFQ7TTC0K971");
    assert_eq!(c.items[0].status, "expired");
    assert!(!c.items[0].to_csp().active);
    assert_eq!(c.not_sent(), None);
}

#[test]
fn a_customer_body_naming_another_id_is_refused_and_an_echoed_one_is_read() {
    let body: serde_json::Value = serde_json::from_str(&fixture("customer.json")).unwrap();
    let asked = "0f9d1c55-1111-4222-8333-944455556666";
    let err = parse_customer_for(&body, asked).unwrap_err();
    assert!(err.contains(asked) && err.contains("b44bb1fb"), "{err}");
    let echoed = fixture("customer.json").replace("b44bb1fb-c595-45b0-9e09-d657365580bf", asked);
    let body: serde_json::Value = serde_json::from_str(&echoed).unwrap();
    let c = parse_customer_for(&body, asked).unwrap();
    assert_eq!(
        (c.id.as_str(), c.relationship.as_str()),
        (asked, "reseller")
    );
    assert_eq!(c.domain, "contoso.onmicrosoft.com");
}

#[test]
fn a_customer_body_without_an_id_takes_the_one_asked_for() {
    let mut body: serde_json::Value = serde_json::from_str(&fixture("customer.json")).unwrap();
    body.as_object_mut().unwrap().remove("id");
    let c = parse_customer_for(&body, "ABC").unwrap();
    assert_eq!(c.id, "ABC");
}

#[test]
fn every_licence_is_read_with_its_units_even_without_a_name() {
    let c = parse_subscribed_skus(&fixture("subscribedskus.json")).unwrap();
    assert!(c.problems.is_empty());
    assert_eq!(c.items.len(), 2);
    let ems = &c.items[0];
    assert_eq!(ems.name, "Enterprise Mobility + Security E3");
    assert_eq!(
        (
            ems.enabled_units,
            ems.consumed_units,
            ems.warning_units,
            ems.suspended_units
        ),
        (5, 1, 0, 0)
    );
    assert_eq!(ems.status.as_deref(), Some("Enabled"));
    let standard = &c.items[1];
    assert_eq!(standard.name, "O365_BUSINESS_PREMIUM");
    assert_eq!(
        standard.part_number.as_deref(),
        Some("O365_BUSINESS_PREMIUM")
    );
    assert_eq!((standard.warning_units, standard.consumed_units), (20, 20));
}

#[test]
fn an_order_body_gives_its_id_and_status() {
    let o = parse_order(&fixture("order.json")).unwrap();
    assert_eq!(o.id, "ba0e0a1c-0b5d-4a47-a4d3-7d8e1d5a9c11");
    assert_eq!(o.status, "pending");
    assert!(
        parse_order("{\"status\":\"pending\"}")
            .unwrap_err()
            .contains("without an id")
    );
    assert!(
        parse_order("<html>")
            .unwrap_err()
            .contains("not valid JSON")
    );
}

#[test]
fn provisioning_is_fulfilled_only_when_every_line_says_so() {
    let all = r#"{"totalCount":2,"items":[{"lineItemNumber":0,"status":"fulfilled"},{"lineItemNumber":1,"status":"Fulfilled"}]}"#;
    assert!(parse_provisioning_status(all).unwrap());
    let one = r#"{"items":[{"lineItemNumber":0,"status":"fulfilled"},{"lineItemNumber":1,"status":"pending"}]}"#;
    assert!(!parse_provisioning_status(one).unwrap());
    assert!(!parse_provisioning_status(r#"{"items":[]}"#).unwrap());
}
