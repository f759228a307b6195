//! Hand-computed cases at the edges: leap days, year ends, Japanese New Year, weekends.

use cutover_plan::csv_import::import_csv_text;
use cutover_plan::settings::Holidays;
use cutover_plan::{Date, Plan, Settings, plan};

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn run(line: &str, today: &str, holidays: Holidays) -> Plan {
    let text = format!(
        "customer,domain,offer,seats,end_date,channel,auto_renew,monthly_price,currency,target_offer,relationship\n{line}\n"
    );
    let rows = import_csv_text(&text).unwrap();
    plan(
        &rows,
        d(today),
        &Settings {
            holidays,
            ..Settings::default()
        },
    )
}

fn jp() -> Holidays {
    Holidays {
        japan: true,
        custom: vec![],
    }
}

#[test]
fn leap_day_is_an_ordinary_business_day() {
    // 2028-03-07 (Tue) − 7 = 2028-02-29 (Tue); the overlap counts 29 February.
    let p = run(
        "A,a.example,E3,10,2028-03-07,direct,false,36.50,USD,,none",
        "2028-01-10",
        jp(),
    );
    let s = &p.subscriptions[0];
    assert_eq!(s.provision_on, d("2028-02-29"));
    assert_eq!(s.overlap_days, 8);
    // 36.50 × 12 × 8 × 10 / 365 = 96.00
    assert_eq!(s.overlap_cost.unwrap().to_string(), "96.00");
    assert_eq!(s.invite_by, d("2028-02-22"));
}

#[test]
fn year_end_needs_custom_holidays_in_japan() {
    // 12-29 is not a national holiday, so only the partner's own list closes it.
    let line = "A,a.example,E3,10,2027-01-05,direct,false,,,,none";
    assert_eq!(
        run(line, "2026-11-24", jp()).subscriptions[0].provision_on,
        d("2026-12-29")
    );
    let closed: Vec<Date> = (0..6).map(|i| d("2026-12-29").add_days(i)).collect();
    let p = run(
        line,
        "2026-11-24",
        Holidays {
            japan: true,
            custom: closed,
        },
    );
    assert_eq!(p.subscriptions[0].provision_on, d("2026-12-28"));
}

#[test]
fn new_years_day_on_a_monday_steps_back_into_the_old_year() {
    // 2029-01-08 − 7 = 2029-01-01 (Mon, 元日) → Friday 2028-12-29.
    let p = run(
        "A,a.example,E3,1,2029-01-08,direct,true,,,,none",
        "2028-11-01",
        jp(),
    );
    let s = &p.subscriptions[0];
    assert_eq!(s.provision_on, d("2028-12-29"));
    // Auto-renew: 2029-01-05 (Fri) is a business day.
    assert_eq!(s.auto_renew_off_by, Some(d("2029-01-05")));
    assert_eq!(s.overlap_days, 11);
}

#[test]
fn expired_on_a_friday_checked_on_a_saturday_provisions_monday() {
    let p = run(
        "A,a.example,E3,1,2026-11-27,direct,false,1,USD,,none",
        "2026-11-28",
        Holidays::default(),
    );
    let s = &p.subscriptions[0];
    assert_eq!(s.provision_on, d("2026-11-30"));
    assert_eq!(s.overlap_days, 0);
    assert_eq!(s.cancel_today_cost, None);
    assert_eq!(
        s.warnings.iter().map(|w| w.code()).collect::<Vec<_>>(),
        ["expired", "invite_overdue"]
    );
}

#[test]
fn weekend_end_date_with_no_business_day_left_provisions_today() {
    let p = run(
        "A,a.example,E3,1,2026-11-29,open,false,1,USD,,accepted",
        "2026-11-28",
        Holidays::default(),
    );
    let s = &p.subscriptions[0];
    assert_eq!(s.provision_on, d("2026-11-28"));
    assert_eq!(
        s.warnings.iter().map(|w| w.code()).collect::<Vec<_>>(),
        ["lead_time_short"]
    );
    assert_eq!(p.customers[0].next_action.unwrap().date, d("2026-11-28"));
}

#[test]
fn deleted_original_after_every_period() {
    // EA: 90 + 60 days; E + 151 is the first day without data.
    let p = run(
        "A,a.example,E3,1,2026-01-15,ea,false,1,USD,,accepted",
        "2026-06-15",
        Holidays::default(),
    );
    let s = &p.subscriptions[0];
    assert_eq!(s.data_deleted_on, d("2026-06-15"));
    assert_eq!(format!("{:?}", s.stage), "Deleted");
    assert_eq!(
        s.warnings.iter().map(|w| w.code()).collect::<Vec<_>>(),
        ["data_deleted"]
    );
}

#[test]
fn customer_with_no_future_action_has_null_next_action() {
    let p = run(
        "A,a.example,E3,1,2026-01-15,direct,false,1,USD,,accepted",
        "2026-11-27",
        Holidays::default(),
    );
    // provision_on = next_bd(T) = T, so there is still one: provisioning today.
    assert_eq!(p.customers[0].next_action.unwrap().date, d("2026-11-27"));
    let json = p.to_json();
    assert!(json.contains("\"kind\": \"provision\""));
}
