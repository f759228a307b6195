//! The planner in the browser: JavaScript prepares deterministic rows once, then times
//! `plan_prepared()` with `performance.now()` (see bench/lib/planner-page.html).
use std::cell::RefCell;
use std::hint::black_box;

use cutover_plan::{PlanRow, Planner};
use wasm_bindgen::prelude::*;

#[path = "../../common/rows.rs"]
mod rows;

thread_local! {
    static ROWS: RefCell<Vec<PlanRow>> = const { RefCell::new(Vec::new()) };
}

/// Generates `n` original subscriptions over `customers` customers and keeps them for planning.
#[wasm_bindgen]
pub fn prepare(n: usize, customers: usize) -> usize {
    ROWS.with(|r| *r.borrow_mut() = rows::rows(n, customers));
    n
}

/// Plans the prepared rows as the app does (calendar with Japanese holidays, rows, customers).
/// Returns the number of customers planned, so the work cannot be optimised away.
#[wasm_bindgen]
pub fn plan_prepared() -> usize {
    ROWS.with(|r| {
        let rows = r.borrow();
        let planner = Planner::new(&rows::settings());
        let plan = black_box(planner.plan(&rows, rows::today()));
        assert_eq!(plan.subscriptions.len(), rows.len());
        plan.customers.len()
    })
}

/// The baseline in the same page: clone the input rows and sum the seats (allocation only).
#[wasm_bindgen]
pub fn clone_prepared() -> u32 {
    ROWS.with(|r| {
        let copy = black_box(r.borrow().clone());
        copy.iter()
            .map(|row| row.seats)
            .fold(0u32, u32::wrapping_add)
    })
}
