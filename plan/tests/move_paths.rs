//! Move paths, hand-computed: every path on every channel, Golden Week and the year end with
//! Japanese holidays, expired originals, the 150-subscription tenant limit and bad `path` values.
//! Rows go through the CSV import, as the CLI and the app read them.

use cutover_plan::csv_import::import_csv_text;
use cutover_plan::planner::{ActionKind, Stage, SubscriptionPlan};
use cutover_plan::settings::Holidays;
use cutover_plan::{Date, MovePath, Plan, Settings, plan};

const HEADER: &str = "customer,domain,offer,seats,end_date,channel,auto_renew,monthly_price,currency,target_offer,relationship,path";

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn run(lines: &[String], today: &str, holidays: Holidays) -> Plan {
    let text = format!("{HEADER}\n{}\n", lines.join("\n"));
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

/// One row: customer A, 10 seats at 20.00 USD, no auto-renew, no target, relationship none.
fn line(end: &str, channel: &str, path: &str) -> String {
    format!("A,a.example,Office 365 E3,10,{end},{channel},false,20,USD,,none,{path}")
}

fn one(line: String, today: &str, holidays: Holidays) -> SubscriptionPlan {
    run(&[line], today, holidays).subscriptions.remove(0)
}

fn jp() -> Holidays {
    Holidays {
        japan: true,
        custom: vec![],
    }
}

/// The partner's own year-end closure on top of Japanese holidays.
fn jp_year_end() -> Holidays {
    Holidays {
        japan: true,
        custom: (0..7).map(|i| d("2026-12-29").add_days(i)).collect(),
    }
}

fn codes(s: &SubscriptionPlan) -> Vec<&'static str> {
    s.warnings.iter().map(|w| w.code()).collect()
}

#[test]
fn every_path_on_every_channel_is_planned_or_falls_back_to_overlap() {
    // E = Wed 2027-03-31, today 2026-11-24, weekends only.
    let today = "2026-11-24";
    for channel in ["direct", "partner", "open", "ea"] {
        for path in ["overlap", "grace", "ea_transfer", "csp_transfer"] {
            let s = one(
                line("2027-03-31", channel, path),
                today,
                Holidays::default(),
            );
            let possible = match path {
                "overlap" => true,
                "grace" => channel == "direct" || channel == "partner",
                "ea_transfer" => channel == "ea",
                _ => channel == "partner",
            };
            let planned = if possible { path } else { "overlap" };
            let ctx = format!("{path} on {channel}");
            assert_eq!(s.path.code(), planned, "{ctx}");
            assert_eq!(
                s.warnings.iter().any(|w| w.code() == "path_not_available"),
                !possible,
                "{ctx}"
            );
            let expected = match planned {
                // prev_bd(E − 7); both paid for 8 days: 20 × 12 × 8 × 10 / 365 = 52.60.
                "overlap" => ("2027-03-24", "2027-03-17", None, None, 8, "52.60"),
                // next_bd(E + 1) = Thu 04-01; invite 7 days before that.
                "grace" => ("2027-04-01", "2027-03-25", None, None, 0, "0.00"),
                // Microsoft creates it on E + 1; schedule by prev_bd(E − 7); invite 7 before that.
                "ea_transfer" => (
                    "2027-04-01",
                    "2027-03-17",
                    Some("2027-03-24"),
                    None,
                    0,
                    "0.00",
                ),
                // Buy on the overlap date if the transfer fails; request 30 days before it.
                _ => (
                    "2027-03-24",
                    "2027-02-15",
                    None,
                    Some("2027-02-22"),
                    0,
                    "0.00",
                ),
            };
            assert_eq!(s.provision_on, d(expected.0), "{ctx}");
            assert_eq!(s.invite_by, d(expected.1), "{ctx}");
            assert_eq!(s.schedule_by, expected.2.map(d), "{ctx}");
            assert_eq!(s.request_transfer_by, expected.3.map(d), "{ctx}");
            assert_eq!(s.overlap_days, expected.4, "{ctx}");
            assert_eq!(s.overlap_cost.unwrap().to_string(), expected.5, "{ctx}");
            // Independent of the path.
            assert_eq!(s.cancel_today_cost.unwrap().to_string(), "835.07", "{ctx}");
            assert_eq!(s.stage, Stage::Active, "{ctx}");
        }
    }
}

#[test]
fn golden_week_grace_buys_after_the_holidays_and_keeps_access() {
    // E = Fri 2027-04-30; E + 1 = Sat 05-01, then Sun, 05-03..05 holidays → Thu 05-06.
    // Invite: 05-06 − 7 = Thu 04-29 (Shōwa Day) → Wed 04-28.
    let s = one(
        "A,a.example,E3,10,2027-04-30,direct,true,20,USD,Microsoft 365 E3,none,grace".into(),
        "2027-03-01",
        jp(),
    );
    assert_eq!(s.path, MovePath::Grace);
    assert_eq!(s.provision_on, d("2027-05-06"));
    assert_eq!(s.invite_by, d("2027-04-28"));
    assert_eq!(s.auto_renew_off_by, Some(d("2027-04-27")));
    // A changed offer is reassigned when the CSP subscription starts.
    assert_eq!(s.reassign_by, Some(d("2027-05-06")));
    assert_eq!((s.overlap_days, s.access_lost_on), (0, d("2027-05-31")));
    assert!(s.warnings.is_empty(), "{:?}", codes(&s));
}

#[test]
fn golden_week_ea_transfer_is_scheduled_before_the_holidays() {
    // Fabrikam's EA: E = Wed 2027-05-12; E − 7 = 05-05 (Children's Day) → back to Fri 04-30.
    let s = one(
        "Fabrikam KK,fabrikam.example,Office 365 E3,120,2027-05-12,ea,false,,,,none,EA移行".into(),
        "2026-11-24",
        jp(),
    );
    assert_eq!(s.path, MovePath::EaTransfer);
    assert_eq!(s.schedule_by, Some(d("2027-04-30")));
    assert_eq!(s.provision_on, d("2027-05-13"));
    assert_eq!(s.invite_by, d("2027-04-23"));
    assert_eq!(s.overlap_days, 0);
    assert_eq!(s.overlap_cost, None);
    assert_eq!(codes(&s), ["price_unknown"]);
}

#[test]
fn golden_week_csp_transfer_request_steps_back_over_the_holidays() {
    // E = Fri 2027-06-11 → buy Fri 06-04; 06-04 − 30 = 05-05 → back over 05-05..05-01 to 04-30.
    let today = "2027-03-01";
    let s = one(line("2027-06-11", "partner", "csp_transfer"), today, jp());
    assert_eq!(s.provision_on, d("2027-06-04"));
    assert_eq!(s.request_transfer_by, Some(d("2027-04-30")));
    assert_eq!(s.invite_by, d("2027-04-23"));
    assert!(s.warnings.is_empty(), "{:?}", codes(&s));
    // Asked after 04-30, the request cannot get its 30 days any more.
    let s = one(
        line("2027-06-11", "partner", "csp_transfer"),
        "2027-05-06",
        jp(),
    );
    assert_eq!(s.request_transfer_by, Some(d("2027-04-30")));
    assert_eq!(codes(&s), ["invite_overdue", "transfer_window_short"]);
}

#[test]
fn year_end_grace_buys_on_the_first_working_day_of_the_year() {
    // E = Thu 2026-12-31; 01-01 is New Year's Day, then a weekend → Mon 2027-01-04.
    let l = line("2026-12-31", "direct", "grace");
    let s = one(l.clone(), "2026-11-24", jp());
    assert_eq!(s.provision_on, d("2027-01-04"));
    assert_eq!(s.invite_by, d("2026-12-28"));
    // With the company closed 12-29..01-04: Tue 01-05; invite 12-29 is closed → Mon 12-28.
    let s = one(l, "2026-11-24", jp_year_end());
    assert_eq!(s.provision_on, d("2027-01-05"));
    assert_eq!(s.invite_by, d("2026-12-28"));
}

#[test]
fn year_end_ea_transfer_starts_on_new_years_day_because_microsoft_creates_it() {
    // E + 1 = 2027-01-01 is a holiday, but the subscription is created, not bought by the partner.
    let s = one(line("2026-12-31", "ea", "ea_transfer"), "2026-11-24", jp());
    assert_eq!(s.provision_on, d("2027-01-01"));
    assert_eq!(s.schedule_by, Some(d("2026-12-24")));
    // E = Wed 2027-01-06: E − 7 = 12-30, closed by the company → Mon 12-28.
    let s = one(
        line("2027-01-06", "ea", "ea_transfer"),
        "2026-11-24",
        jp_year_end(),
    );
    assert_eq!(s.schedule_by, Some(d("2026-12-28")));
    assert_eq!(s.provision_on, d("2027-01-07"));
}

#[test]
fn year_end_csp_transfer_request_falls_before_new_year() {
    // E = Mon 2027-02-08 → buy Mon 02-01; − 30 = Sat 01-02 → Sun, 01-01 holiday → Thu 12-31.
    let s = one(
        line("2027-02-08", "partner", "csp_transfer"),
        "2026-11-24",
        jp(),
    );
    assert_eq!(s.provision_on, d("2027-02-01"));
    assert_eq!(s.request_transfer_by, Some(d("2026-12-31")));
    let s = one(
        line("2027-02-08", "partner", "csp_transfer"),
        "2026-11-24",
        jp_year_end(),
    );
    assert_eq!(s.request_transfer_by, Some(d("2026-12-28")));
}

#[test]
fn expired_original_in_grace_can_still_take_the_grace_path() {
    // E = Fri 2026-11-20, today Tue 11-24 (11-23 was a holiday): buy today, nothing paid twice.
    let s = one(line("2026-11-20", "direct", "grace"), "2026-11-24", jp());
    assert_eq!((s.path, s.stage), (MovePath::Grace, Stage::Expired));
    assert_eq!(s.provision_on, d("2026-11-24"));
    assert_eq!(codes(&s), ["expired", "invite_overdue"]);
}

#[test]
fn grace_deadline_passed_when_the_next_business_day_is_after_grace() {
    // E = Fri 2026-12-04, grace ends Sun 2027-01-03; today Sat 01-02 → Mon 01-04.
    let s = one(line("2026-12-04", "partner", "grace"), "2027-01-02", jp());
    assert_eq!(s.path, MovePath::Grace);
    assert_eq!(s.provision_on, d("2027-01-04"));
    assert_eq!(
        codes(&s),
        ["expired", "grace_deadline_passed", "invite_overdue"]
    );
}

#[test]
fn expired_originals_fall_back_to_overlap_when_the_path_is_gone() {
    // Grace over (E + 31), transfers after the end date: all planned as overlap.
    for (channel, path, today, stage) in [
        ("direct", "grace", "2027-01-15", Stage::Disabled),
        ("ea", "ea_transfer", "2026-12-05", Stage::Expired),
        ("partner", "csp_transfer", "2026-12-05", Stage::Expired),
    ] {
        let s = one(line("2026-12-04", channel, path), today, jp());
        assert_eq!(s.path, MovePath::Overlap, "{path}");
        assert_eq!(s.stage, stage, "{path}");
        assert!(
            s.warnings.iter().any(|w| w.code() == "path_not_available"),
            "{path}"
        );
        let overlap = one(line("2026-12-04", channel, "overlap"), today, jp());
        assert_eq!(s.provision_on, overlap.provision_on, "{path}");
        assert_eq!(s.schedule_by, None);
        assert_eq!(s.request_transfer_by, None);
    }
}

#[test]
fn csp_transfer_to_another_offer_is_not_possible() {
    let s = one(
        "A,a.example,E3,10,2027-03-31,partner,false,20,USD,Microsoft 365 E3,none,csp_transfer"
            .into(),
        "2026-11-24",
        Holidays::default(),
    );
    assert_eq!(s.path, MovePath::Overlap);
    assert_eq!(codes(&s), ["path_not_available"]);
    assert_eq!(s.reassign_by, Some(d("2027-03-30")));
}

#[test]
fn ea_transfer_scheduled_too_late_warns_lead_time_short() {
    // E = Wed 2027-03-31: schedule by 03-24; today 03-29 is later.
    let s = one(line("2027-03-31", "ea", "ea_transfer"), "2027-03-29", jp());
    assert_eq!(s.schedule_by, Some(d("2027-03-24")));
    assert_eq!(s.provision_on, d("2027-04-01"));
    assert_eq!(codes(&s), ["invite_overdue", "lead_time_short"]);
}

#[test]
fn next_action_ties_go_invite_request_transfer_schedule_provision() {
    // With no invite lead time, the invite falls on the transfer request day: invite wins;
    // once invited, the request is next.
    let rows = import_csv_text(&format!(
        "{HEADER}\n{}\n",
        line("2027-03-31", "partner", "csp_transfer")
    ))
    .unwrap();
    let settings = Settings {
        invite_lead_days: 0,
        ..Settings::default()
    };
    let p = plan(&rows, d("2026-11-24"), &settings);
    let a = p.customers[0].next_action.unwrap();
    assert_eq!((a.kind, a.date), (ActionKind::Invite, d("2027-02-22")));
    let mut invited = rows.clone();
    invited[0].relationship = cutover_plan::record::Relationship::Invited;
    let p = plan(&invited, d("2026-11-24"), &settings);
    let a = p.customers[0].next_action.unwrap();
    assert_eq!(
        (a.kind, a.date),
        (ActionKind::RequestTransfer, d("2027-02-22"))
    );
    // An EA transfer's schedule date comes before provisioning.
    let mut ea = rows;
    ea[0].channel = cutover_plan::record::Channel::Ea;
    ea[0].path = MovePath::EaTransfer;
    ea[0].relationship = cutover_plan::record::Relationship::Accepted;
    let p = plan(&ea, d("2026-11-24"), &settings);
    let a = p.customers[0].next_action.unwrap();
    assert_eq!((a.kind, a.date), (ActionKind::Schedule, d("2027-03-24")));
}

/// `n` subscriptions of one customer, all ending 2027-03-31, on `path`.
fn many(domain: &str, n: usize, channel: &str, path: &str) -> Vec<String> {
    (0..n)
        .map(|i| {
            format!("C,{domain},Offer {i},1,2027-03-31,{channel},false,1,USD,,accepted,{path}")
        })
        .collect()
}

fn with_tenant_limit(p: &Plan) -> usize {
    p.subscriptions
        .iter()
        .filter(|s| s.warnings.iter().any(|w| w.code() == "tenant_limit"))
        .count()
}

#[test]
fn tenant_limit_from_151_active_overlap_subscriptions_of_one_customer() {
    let today = "2026-11-24";
    let p = run(&many("c.example", 150, "direct", "overlap"), today, jp());
    assert_eq!(with_tenant_limit(&p), 0);
    assert!(p.customers[0].warnings.is_empty());

    let p = run(&many("c.example", 151, "direct", "overlap"), today, jp());
    assert_eq!(with_tenant_limit(&p), 151);
    assert_eq!(
        p.customers[0]
            .warnings
            .iter()
            .map(|w| w.code())
            .collect::<Vec<_>>(),
        ["tenant_limit"]
    );

    // One of the 151 on grace: 150 duplicated, no warning.
    let mut lines = many("c.example", 150, "direct", "overlap");
    lines.extend(many("c.example", 1, "direct", "grace"));
    assert_eq!(with_tenant_limit(&run(&lines, today, jp())), 0);

    // A requested path that falls back to overlap counts; only the overlap rows are warned.
    let mut lines = many("c.example", 150, "open", "grace");
    lines.extend(many("c.example", 1, "open", "overlap"));
    lines.extend(many("c.example", 5, "direct", "grace"));
    let p = run(&lines, today, jp());
    assert_eq!(with_tenant_limit(&p), 151);
    assert!(
        p.subscriptions[151..]
            .iter()
            .all(|s| s.path == MovePath::Grace)
    );

    // Already-expired originals are not duplicated.
    let mut lines = many("c.example", 150, "direct", "overlap");
    lines.push("C,c.example,Old,1,2026-11-01,direct,false,1,USD,,accepted,overlap".into());
    assert_eq!(with_tenant_limit(&run(&lines, today, jp())), 0);

    // Two customers of 100 each: counted per customer (domain, case-insensitively).
    let mut lines = many("c.example", 100, "direct", "overlap");
    lines.extend(many("d.example", 100, "direct", "overlap"));
    assert_eq!(with_tenant_limit(&run(&lines, today, jp())), 0);
    let mut lines = many("c.example", 100, "direct", "overlap");
    lines.extend(many("C.Example", 51, "direct", "overlap"));
    assert_eq!(with_tenant_limit(&run(&lines, today, jp())), 151);
}

#[test]
fn bad_path_values_are_reported_with_row_and_column() {
    let text = format!(
        "{HEADER}\n{}\n{}\n{}\n",
        line("2027-03-31", "direct", "grace"),
        line("2027-03-31", "direct", "swap"),
        line("2027-03-31", "direct", "ea transfer please"),
    );
    let errors = import_csv_text(&text).unwrap_err().to_string();
    assert_eq!(
        errors,
        "row 2, column path: \"swap\" must be one of overlap, grace, ea_transfer, csp_transfer\n\
         row 3, column path: \"ea transfer please\" must be one of overlap, grace, ea_transfer, \
         csp_transfer"
    );
    let errors = import_csv_text(
        "顧客名,ドメイン,プラン,シート数,有効期限,移行方法\nA,a.example,E3,1,2027-01-01,乗り換え\n",
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        errors,
        "row 1, column path (移行方法): \"乗り換え\" must be one of overlap, grace, ea_transfer, csp_transfer"
    );
}

#[test]
fn japanese_path_header_and_values_are_read() {
    let text = "顧客名,ドメイン,プラン,シート数,有効期限,チャネル,移行方法\n\
                A,a.example,E3,1,2027-01-01,partner,パートナー間移管\n\
                A,a.example,E3,1,2027-01-01,direct,猶予期間\n\
                A,a.example,E3,1,2027-01-01,ea,ＥＡ移行\n\
                A,a.example,E3,1,2027-01-01,direct,重複\n\
                A,a.example,E3,1,2027-01-01,direct,\n";
    let paths: Vec<MovePath> = import_csv_text(text)
        .unwrap()
        .iter()
        .map(|r| r.path)
        .collect();
    assert_eq!(
        paths,
        [
            MovePath::CspTransfer,
            MovePath::Grace,
            MovePath::EaTransfer,
            MovePath::Overlap,
            MovePath::Overlap
        ]
    );
}
