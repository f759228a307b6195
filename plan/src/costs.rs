//! What the move costs: per customer totals and the portfolio's overlap by month, each per
//! currency (amounts in different currencies are never added together).
use std::collections::BTreeMap;

use crate::customer_status::SubscriptionStatus;
use crate::date::Date;
use crate::money::Money;

/// An amount in a currency on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatedAmount {
    /// The day the cost starts (the original's provisioning date).
    pub date: Date,
    /// The amount.
    pub amount: Money,
    /// ISO 4217 code.
    pub currency: String,
}

fn add(a: Money, b: Money) -> Money {
    Money::from_cents(a.cents().saturating_add(b.cents()))
}

/// One currency's totals for a customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CurrencyTotals {
    /// Paid twice while original and CSP subscriptions overlap.
    pub overlap: Money,
    /// Forfeited if every original still running were cancelled today.
    pub cancel_today: Money,
}

/// A customer's costs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CustomerTotals {
    /// Per currency, sorted by code.
    pub by_currency: BTreeMap<String, CurrencyTotals>,
    /// Originals without a price (not in any total).
    pub unpriced: usize,
}

/// Adds up the costs of a customer's originals, per currency.
#[must_use]
pub fn customer_totals(subs: &[SubscriptionStatus]) -> CustomerTotals {
    let mut t = CustomerTotals::default();
    for s in subs {
        let (Some(currency), Some(overlap)) = (&s.currency, s.overlap_cost) else {
            t.unpriced += 1;
            continue;
        };
        let c = t.by_currency.entry(currency.clone()).or_default();
        c.overlap = add(c.overlap, overlap);
        if let Some(cancel) = s.cancel_today_cost {
            c.cancel_today = add(c.cancel_today, cancel);
        }
    }
    t
}

/// One calendar month of the portfolio's overlap cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthCost {
    /// Year.
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
    /// Overlap cost of the originals provisioned that month, per currency.
    pub by_currency: BTreeMap<String, Money>,
}

/// The overlap cost of the next `months` calendar months from today's month, attributed to the
/// month in which each original's CSP subscription is provisioned (when paying twice starts).
#[must_use]
pub fn overlap_by_month<'a>(
    amounts: impl IntoIterator<Item = &'a DatedAmount>,
    today: Date,
    months: u32,
) -> Vec<MonthCost> {
    let (y0, m0, _) = today.ymd();
    let mut out: Vec<MonthCost> = (0..months)
        .map(|i| {
            let index = (m0 - 1 + i) as i32;
            MonthCost {
                year: y0 + index.div_euclid(12),
                month: index.rem_euclid(12) as u32 + 1,
                by_currency: BTreeMap::new(),
            }
        })
        .collect();
    for a in amounts {
        let (y, m, _) = a.date.ymd();
        let offset = (y - y0) * 12 + m as i32 - m0 as i32;
        if let Some(slot) = usize::try_from(offset).ok().and_then(|i| out.get_mut(i)) {
            let sum = slot.by_currency.entry(a.currency.clone()).or_default();
            *sum = add(*sum, a.amount);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn amount(date: &str, cents: u64, currency: &str) -> DatedAmount {
        DatedAmount {
            date: d(date),
            amount: Money::from_cents(cents),
            currency: currency.into(),
        }
    }

    #[test]
    fn months_span_the_year_end_and_keep_currencies_apart() {
        let amounts = vec![
            amount("2026-12-24", 8219, "USD"),
            amount("2026-12-02", 100, "USD"),
            amount("2027-01-08", 526, "USD"),
            amount("2027-01-08", 120_000, "JPY"),
            amount("2027-12-01", 999, "USD"),
            amount("2026-11-30", 999, "USD"),
        ];
        let months = overlap_by_month(&amounts, d("2026-12-01"), 12);
        assert_eq!(months.len(), 12);
        assert_eq!((months[0].year, months[0].month), (2026, 12));
        assert_eq!((months[1].year, months[1].month), (2027, 1));
        assert_eq!((months[11].year, months[11].month), (2027, 11));
        assert_eq!(months[0].by_currency["USD"], Money::from_cents(8319));
        assert_eq!(months[1].by_currency["USD"], Money::from_cents(526));
        assert_eq!(months[1].by_currency["JPY"], Money::from_cents(120_000));
        let total: u64 = months
            .iter()
            .flat_map(|m| m.by_currency.values())
            .map(|m| m.cents())
            .sum();
        assert_eq!(
            total,
            8319 + 526 + 120_000,
            "outside the window is left out"
        );
    }
}
