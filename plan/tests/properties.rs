//! Property tests: invariants of the planning rules, and import never panicking.

use cutover_plan::csv_export::export_csv;
use cutover_plan::csv_import::{import_csv, import_csv_text};
use cutover_plan::planner::{Plan, ProvisionCase, Stage, SubscriptionPlan, plan};
use cutover_plan::record::{Channel, Relationship};
use cutover_plan::settings::Holidays;
use cutover_plan::{Date, MovePath, PlanRow, Planner, Settings, UnitPrice, Warning};
use proptest::prelude::*;

fn date_in(from: &str, span: i32) -> impl Strategy<Value = Date> {
    let start = Date::parse(from).unwrap();
    (0..span).prop_map(move |n| start.add_days(n))
}

fn settings() -> impl Strategy<Value = Settings> {
    (
        0u32..40,
        0u32..20,
        0u32..10,
        any::<bool>(),
        prop::collection::vec(date_in("2026-01-01", 1200), 0..40),
    )
        .prop_map(|(l, i, a, japan, custom)| Settings {
            provision_lead_days: l,
            invite_lead_days: i,
            auto_renew_notice_days: a,
            holidays: Holidays { japan, custom },
            ..Settings::default()
        })
}

fn channel() -> impl Strategy<Value = Channel> {
    prop_oneof![
        Just(Channel::Direct),
        Just(Channel::Partner),
        Just(Channel::Open),
        Just(Channel::Ea)
    ]
}

fn move_path() -> impl Strategy<Value = MovePath> {
    prop_oneof![
        Just(MovePath::Overlap),
        Just(MovePath::Grace),
        Just(MovePath::EaTransfer),
        Just(MovePath::CspTransfer)
    ]
}

fn relationship() -> impl Strategy<Value = Relationship> {
    prop_oneof![
        Just(Relationship::None),
        Just(Relationship::Invited),
        Just(Relationship::Accepted)
    ]
}

/// Text with the characters that make CSV and spreadsheets hard.
fn text() -> impl Strategy<Value = String> {
    prop::string::string_regex("[A-Za-z0-9 ,\"'=+@\\-;\\\\\n\r\tあ株式会社]{1,24}")
        .unwrap()
        .prop_filter("needs a visible character", |s| !s.trim().is_empty())
}

fn row() -> impl Strategy<Value = PlanRow> {
    (
        (text(), "[a-z]{1,8}\\.(example|co\\.jp)", text(), 1u32..5000),
        (date_in("2026-01-01", 1200), channel(), any::<bool>()),
        (
            prop::option::of(0u64..50_000_000),
            prop::option::of("[A-Z]{3}"),
        ),
        (prop::option::of(text()), relationship(), move_path()),
    )
        .prop_map(
            |(
                (customer, domain, offer, seats),
                (end, channel, auto_renew),
                (price, currency),
                (target, rel, path),
            )| {
                PlanRow {
                    customer,
                    domain,
                    offer,
                    seats,
                    end_date: end,
                    channel,
                    auto_renew,
                    monthly_price: price.map(UnitPrice::from_ten_thousandths),
                    currency,
                    target_offer: target,
                    relationship: rel,
                    path,
                }
            },
        )
}

/// What import makes of a row: trimmed text, lower-cased domain, empty target as none.
fn normalised(r: &PlanRow) -> PlanRow {
    let target = r
        .target_offer
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    PlanRow {
        customer: r.customer.trim().to_owned(),
        domain: r.domain.trim().to_lowercase(),
        offer: r.offer.trim().to_owned(),
        target_offer: target.map(str::to_owned),
        ..r.clone()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn provision_is_a_business_day_when_one_exists(
        s in settings(), end in date_in("2026-06-01", 700), today in date_in("2026-06-01", 700),
    ) {
        let planner = Planner::new(&s);
        let (p, case) = planner.provision_on(end, today);
        let cal = planner.calendar();
        if case == ProvisionCase::Today {
            // Only when no business day is left between today and the end date.
            prop_assert_eq!(p, today);
            prop_assert!(cal.next_business_day(today) > end);
        } else {
            prop_assert!(cal.is_business_day(p));
        }
        prop_assert!(p >= today);
    }

    #[test]
    fn overlap_and_money_are_never_negative_and_follow_the_formula(
        s in settings(), r in row(), today in date_in("2026-01-01", 1300),
    ) {
        let d = Planner::new(&s).dates(&r, today);
        let expected = if d.path == MovePath::Overlap {
            (r.end_date.days_since(d.provision_on) + 1).max(0)
        } else {
            0
        };
        prop_assert_eq!(i64::from(d.overlap_days), i64::from(expected));
        for m in [d.overlap_cost, d.cancel_today_cost].into_iter().flatten() {
            prop_assert!(!m.to_string().starts_with('-'));
        }
        prop_assert!(d.invite_by <= d.provision_on);
        if let Some(reassign) = d.reassign_by {
            prop_assert!(reassign >= d.provision_on);
        }
    }

    /// A later end date never gives an earlier cutover — except in the rule's own corner: an
    /// original still active with no business day left before its end is provisioned *today*,
    /// while an already-ended one waits for the next business day (see README, "Ambiguities").
    #[test]
    fn later_end_date_never_gives_an_earlier_cutover(
        s in settings(), e1 in date_in("2026-06-01", 500), extra in 0i32..60,
        today in date_in("2026-06-01", 500),
    ) {
        let planner = Planner::new(&s);
        let e2 = e1.add_days(extra);
        let (p1, _) = planner.provision_on(e1, today);
        let (p2, case2) = planner.provision_on(e2, today);
        if case2 != ProvisionCase::Today {
            prop_assert!(p2 >= p1, "E {} → {}, E {} → {}", e1, p1, e2, p2);
        }
    }

    #[test]
    fn csv_export_imports_back_unchanged(rows in prop::collection::vec(row(), 1..8), today in date_in("2026-01-01", 1300)) {
        let first = plan(&rows, today, &Settings::default());
        let csv = export_csv(&rows, &first);
        let again = import_csv(csv.as_bytes()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let expected: Vec<PlanRow> = rows.iter().map(normalised).collect();
        prop_assert_eq!(&again, &expected);
        prop_assert_eq!(plan(&again, today, &Settings::default()), first);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 20_000, ..ProptestConfig::default() })]

    #[test]
    fn csv_import_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = import_csv(&bytes);
    }

    #[test]
    fn csv_import_never_panics_on_csv_like_text(
        body in prop::string::string_regex("[a-z0-9,\"\r\n\\- /.]{0,200}").unwrap(),
    ) {
        let text = format!("customer,domain,offer,seats,end_date,monthly_price,channel\n{body}");
        match import_csv_text(&text) {
            Ok(rows) => prop_assert!(rows.iter().all(|r| r.seats >= 1)),
            Err(errors) => prop_assert!(!errors.0.is_empty()),
        }
    }
}

/// Rows of a few customers with many subscriptions each, around the tenant limit.
fn big_customers() -> impl Strategy<Value = Vec<PlanRow>> {
    // Weighted so that the first customer's duplicated count lands on both sides of 150.
    let one = (
        prop_oneof![4 => Just(0usize), 1 => Just(1), 1 => Just(2)],
        date_in("2027-01-01", 400),
        channel(),
        prop_oneof![6 => Just(MovePath::Overlap), 1 => move_path()],
        any::<bool>(),
    );
    prop::collection::vec(one, 200..400).prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(|(i, (c, end, channel, path, target))| PlanRow {
                customer: format!("Customer {c}"),
                // Mixed case: grouping is case-insensitive.
                domain: if i % 2 == 0 {
                    format!("c{c}.example")
                } else {
                    format!("C{c}.Example")
                },
                offer: format!("Offer {i}"),
                seats: 1,
                end_date: end,
                channel,
                auto_renew: false,
                monthly_price: None,
                currency: None,
                target_offer: target.then(|| "Other".to_owned()),
                relationship: Relationship::Accepted,
                path,
            })
            .collect()
    })
}

proptest! {
    // About half the random (row, path) pairs are possible and skipped by the first test.
    #![proptest_config(ProptestConfig {
        cases: 3000,
        max_global_rejects: 20_000,
        ..ProptestConfig::default()
    })]

    /// A path that is not possible is planned exactly as overlap; only `path_not_available` is
    /// added.
    #[test]
    fn impossible_path_behaves_as_overlap(
        s in settings(), r in row(), path in move_path(), today in date_in("2026-01-01", 1300),
    ) {
        let planner = Planner::new(&s);
        prop_assume!(planner.path_check(&r, path, today).is_err());
        let asked = planner.dates_on_path(&r, path, today);
        let overlap = planner.dates_on_path(&r, MovePath::Overlap, today);
        prop_assert!(asked.warnings.contains(Warning::PathNotAvailable));
        prop_assert!(!overlap.warnings.contains(Warning::PathNotAvailable));
        let mut without = asked;
        without.warnings.remove(Warning::PathNotAvailable);
        prop_assert_eq!(without, overlap);
        // The same through the whole plan, customers included.
        let as_asked = PlanRow { path, ..r.clone() };
        let as_overlap = PlanRow { path: MovePath::Overlap, ..r };
        let a = plan(&[as_asked], today, &s);
        let b = plan(&[as_overlap], today, &s);
        prop_assert_eq!(a.subscriptions[0].path, MovePath::Overlap);
        prop_assert_eq!(a.customers[0].next_action, b.customers[0].next_action);
        prop_assert_eq!(a.customers[0].cutover_on, b.customers[0].cutover_on);
        let mut w = a.subscriptions[0].warnings;
        w.remove(Warning::PathNotAvailable);
        prop_assert_eq!(w, b.subscriptions[0].warnings);
    }

    /// Grace and both transfers never pay twice for more than overlap would.
    #[test]
    fn other_paths_never_cost_more_overlap_than_overlap(
        s in settings(), r in row(), today in date_in("2026-01-01", 1300),
    ) {
        let planner = Planner::new(&s);
        let overlap = planner.dates_on_path(&r, MovePath::Overlap, today);
        for path in [MovePath::Grace, MovePath::EaTransfer, MovePath::CspTransfer] {
            let other = planner.dates_on_path(&r, path, today);
            prop_assert!(other.overlap_days <= overlap.overlap_days, "{}", path);
            prop_assert!(other.overlap_cost <= overlap.overlap_cost, "{}", path);
            prop_assert_eq!(other.overlap_cost.is_some(), overlap.overlap_cost.is_some());
            // What does not depend on the path.
            prop_assert_eq!(other.stage, overlap.stage);
            prop_assert_eq!(other.cancel_today_cost, overlap.cancel_today_cost);
            prop_assert_eq!(other.auto_renew_off_by, overlap.auto_renew_off_by);
            prop_assert_eq!(other.access_lost_on, overlap.access_lost_on);
            prop_assert_eq!(other.data_deleted_on, overlap.data_deleted_on);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// `tenant_limit` is on exactly the overlap, active subscriptions of customers with more
    /// than 150 of them, and on those customers.
    #[test]
    fn tenant_limit_appears_exactly_when_the_rule_says(
        rows in big_customers(), today in date_in("2026-06-01", 500),
    ) {
        let p = plan(&rows, today, &Settings::default());
        let duplicated = |s: &SubscriptionPlan| s.path == MovePath::Overlap && s.stage == Stage::Active;
        for c in &p.customers {
            let mine: Vec<&SubscriptionPlan> =
                p.subscriptions.iter().filter(|s| s.domain == c.domain).collect();
            let count = mine.iter().filter(|s| duplicated(s)).count();
            let over = count > 150;
            for s in &mine {
                prop_assert_eq!(
                    s.warnings.contains(Warning::TenantLimit),
                    over && duplicated(s),
                    "row {}", s.row
                );
            }
            prop_assert_eq!(c.warnings.contains(Warning::TenantLimit), over);
        }
    }
}

/// Rows cut into consecutive parts at the given points.
fn parts(rows: &[PlanRow], cuts: &[usize]) -> Vec<Vec<PlanRow>> {
    let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (rows.len() + 1)).collect();
    cuts.sort_unstable();
    let mut out = Vec::new();
    let mut start = 0;
    for c in cuts.into_iter().chain([rows.len()]) {
        out.push(rows[start..c].to_vec());
        start = c;
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Plans made in parts and merged equal the plan made at once, wherever the rows are cut
    /// (customers split over parts, past the tenant limit only as a whole, included).
    #[test]
    fn merged_parts_equal_the_plan_made_at_once(
        rows in prop_oneof![prop::collection::vec(row(), 0..30), big_customers()],
        cuts in prop::collection::vec(any::<usize>(), 0..5),
        today in date_in("2026-06-01", 500),
    ) {
        let s = Settings::default();
        let whole = plan(&rows, today, &s);
        let merged = Plan::merge(today, parts(&rows, &cuts).iter().map(|p| plan(p, today, &s)));
        prop_assert_eq!(merged.to_json(), whole.to_json());
    }
}
