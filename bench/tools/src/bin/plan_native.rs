//! Native planner figures: `plan_native BIG SMALL CUSTOMERS REPEAT` prints one JSON object.
//!
//! * big: plan BIG rows (goal ≤ 1 s), baseline = clone + sum the same input (as plan/examples/bench_plan.rs);
//! * small: plan SMALL rows over CUSTOMERS customers REPEAT times: the native counterpart of the
//!   in-browser figure (same generator, same settings, same `Planner::new` + `plan` call).
use std::hint::black_box;
use std::time::Instant;

use cutover_plan::Planner;

#[path = "../../../common/rows.rs"]
mod rows;

fn arg(i: usize, default: usize) -> usize {
    std::env::args()
        .nth(i)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let big = arg(1, 1_000_000);
    let small = arg(2, 50_000);
    let customers = arg(3, 10_000);
    let repeat = arg(4, 15).max(1);
    let settings = rows::settings();
    let today = rows::today();

    // Small first (the browser's counterpart), before big allocations change the heap.
    let input = rows::rows(small, customers);
    black_box(Planner::new(&settings).plan(&input, today));
    let mut plan_ms = Vec::new();
    let mut base_ms = Vec::new();
    let mut n_customers = 0;
    for _ in 0..repeat {
        let t = Instant::now();
        let plan = black_box(Planner::new(&settings).plan(&input, today));
        plan_ms.push(t.elapsed().as_secs_f64() * 1e3);
        n_customers = plan.customers.len();
        drop(plan);
        let t = Instant::now();
        let copy = black_box(input.clone());
        black_box(copy.iter().map(|r| r.seats).fold(0u32, u32::wrapping_add));
        drop(copy);
        base_ms.push(t.elapsed().as_secs_f64() * 1e3);
    }
    drop(input);

    let input = rows::rows(big, big / 3);
    black_box(Planner::new(&settings).plan(&input[..big.min(10_000)], today));
    let mut best_plan = f64::MAX;
    let mut best_base = f64::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        let copy = black_box(input.clone());
        black_box(copy.iter().map(|r| u64::from(r.seats)).sum::<u64>());
        drop(copy);
        best_base = best_base.min(t.elapsed().as_secs_f64());
        let t = Instant::now();
        let plan = black_box(Planner::new(&settings).plan(&input, today));
        let s = t.elapsed().as_secs_f64();
        assert_eq!(plan.subscriptions.len(), big);
        drop(plan);
        best_plan = best_plan.min(s);
    }
    println!(
        "{}",
        serde_json::json!({
            "big": { "rows": big, "plan_s": best_plan, "baseline_s": best_base },
            "small": {
                "rows": small, "customers": n_customers, "repeat": repeat,
                "plan_ms_median": median(plan_ms.clone()),
                "plan_ms_best": plan_ms.iter().copied().fold(f64::MAX, f64::min),
                "baseline_ms_median": median(base_ms),
            }
        })
    );
}
