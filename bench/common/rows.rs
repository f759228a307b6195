// Deterministic planner input shared by the native and the wasm benchmark (included with #[path]).
// The same generator as plan/examples/bench_plan.rs, with a configurable number of customers.
use cutover_plan::record::{Channel, Relationship};
use cutover_plan::settings::Holidays;
use cutover_plan::{Date, PlanRow, Settings, UnitPrice};

/// `n` original subscriptions spread over `customers` customers (round robin).
pub fn rows(n: usize, customers: usize) -> Vec<PlanRow> {
    let customers = customers.max(1);
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let start = Date::parse("2026-01-01").expect("static date");
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
            let customer = i % customers;
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
                path: Default::default(),
            }
        })
        .collect()
}

/// The day the benchmarks plan for.
pub fn today() -> Date {
    Date::parse("2026-11-24").expect("static date")
}

/// Settings with Japanese holidays (the larger calendar).
pub fn settings() -> Settings {
    Settings {
        holidays: Holidays {
            japan: true,
            custom: vec![],
        },
        ..Settings::default()
    }
}
