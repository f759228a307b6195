//! Plans 1,000,000 subscriptions and prints the time, next to a baseline measured in the same run
//! (cloning the input rows, which allocates the same strings a plan must own).
//!
//! `cargo run --release -p cutover-plan --example bench_plan [ROWS]`

use std::hint::black_box;
use std::time::Instant;

use cutover_plan::record::{Channel, Relationship};
use cutover_plan::settings::Holidays;
use cutover_plan::{Date, PlanRow, Planner, Settings, UnitPrice};

fn rows(n: usize) -> Vec<PlanRow> {
    // A small deterministic generator: no randomness crate needed.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let start = Date::parse("2026-01-01").unwrap();
    let offers = [
        "Microsoft 365 Business Standard",
        "Office 365 E3",
        "Exchange Online (Plan 1)",
    ];
    let channels = [
        Channel::Direct,
        Channel::Partner,
        Channel::Open,
        Channel::Ea,
    ];
    let rels = [
        Relationship::None,
        Relationship::Invited,
        Relationship::Accepted,
    ];
    (0..n)
        .map(|i| {
            let r = next();
            let customer = i / 3; // about three subscriptions per customer
            PlanRow {
                customer: format!("Customer {customer}"),
                domain: format!("customer{customer}.example"),
                offer: offers[(r % 3) as usize].to_owned(),
                seats: 1 + (r >> 8) as u32 % 500,
                end_date: start.add_days((r >> 20) as i32 % 1500),
                channel: channels[(r >> 32) as usize % 4],
                auto_renew: r & 1 == 1,
                monthly_price: (r & 6 != 0)
                    .then(|| UnitPrice::from_ten_thousandths((r >> 40) % 400_000)),
                currency: Some("USD".to_owned()),
                target_offer: (r & 8 != 0).then(|| "Microsoft 365 E3".to_owned()),
                relationship: rels[(r >> 44) as usize % 3],
            }
        })
        .collect()
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let input = rows(n);
    let today = Date::parse("2026-11-24").unwrap();
    let settings = Settings {
        holidays: Holidays {
            japan: true,
            custom: vec![],
        },
        ..Settings::default()
    };

    // The calendar alone, before any large free can make the allocator tidy up inside the timing.
    let t = Instant::now();
    black_box(Planner::new(&settings));
    let calendar = t.elapsed().as_secs_f64();
    // Warm up allocator and caches once.
    black_box(Planner::new(&settings).plan(&input[..n.min(10_000)], today));

    let mut best_base = f64::MAX;
    let mut best_plan = f64::MAX;
    let mut best_rules = f64::MAX;
    for _ in 0..3 {
        // The date rules alone: no output strings, no grouping.
        let planner = Planner::new(&settings);
        let t = Instant::now();
        let days: i64 = input
            .iter()
            .map(|r| i64::from(planner.dates(r, today).provision_on.days()))
            .sum();
        black_box(days);
        best_rules = best_rules.min(t.elapsed().as_secs_f64());

        let t = Instant::now();
        let copy = black_box(input.clone());
        let seats: u64 = copy.iter().map(|r| u64::from(r.seats)).sum();
        black_box(seats);
        drop(copy);
        best_base = best_base.min(t.elapsed().as_secs_f64());

        let t = Instant::now();
        let planner = Planner::new(&settings);
        let plan = black_box(planner.plan(&input, today));
        let elapsed = t.elapsed().as_secs_f64();
        assert_eq!(plan.subscriptions.len(), n);
        drop(plan);
        best_plan = best_plan.min(elapsed);
    }
    println!("rows: {n}");
    println!("calendar build (jp holidays): {:.3} ms", calendar * 1e3);
    println!("plan (calendar + rows + customers): {:.3} s", best_plan);
    println!("  of which the date rules alone: {:.3} s", best_rules);
    println!("baseline (clone + sum the input): {:.3} s", best_base);
    println!("ratio plan / baseline: {:.2}", best_plan / best_base);
    println!(
        "goal: plan < 1 s: {}",
        if best_plan < 1.0 { "met" } else { "NOT met" }
    );
}
