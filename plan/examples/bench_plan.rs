//! Plans 1,000,000 subscriptions and prints the time, next to a baseline measured in the same run
//! (cloning the input rows: about as much memory written as a plan writes).
//!
//! `cargo run --release -p cutover-plan --example bench_plan [ROWS]`

use std::hint::black_box;
use std::time::Instant;

use cutover_plan::Planner;

// One deterministic generator for every planner benchmark (native here, wasm in bench/).
#[path = "../../bench/common/rows.rs"]
mod generated;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let input = generated::rows(n, n.div_ceil(3)); // about three subscriptions per customer
    let today = generated::today();
    let settings = generated::settings();

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
        "goal: plan ≤ 250 ms: {}",
        if best_plan <= 0.25 { "met" } else { "NOT met" }
    );
}
