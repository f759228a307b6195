//! Exact money: unit prices to 1/10,000 and amounts to the cent, both as integers.

use std::fmt;
use std::num::NonZeroU64;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Largest accepted unit price, in whole currency units.
pub const MAX_UNIT_PRICE: u64 = 1_000_000_000;

/// A price per seat per month, exact to four decimals.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub struct UnitPrice(u64);

/// An amount rounded to two decimals, never negative, at most `u64::MAX - 1` cents.
///
/// Stored as cents + 1, never zero, so an `Option<Money>` takes no more room than a `Money`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(NonZeroU64);

impl Default for Money {
    fn default() -> Money {
        Money::from_cents(0)
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Money({self})")
    }
}

/// Why a text is not a price.
#[derive(Clone, Copy, PartialEq, Eq, Debug, thiserror::Error)]
pub enum PriceError {
    /// Not digits with an optional decimal point.
    #[error(
        "expected a number like 12.50 (digits, optional '.', no currency sign or thousands separator)"
    )]
    Format,
    /// A minus sign.
    #[error("must not be negative")]
    Negative,
    /// Five or more decimals.
    #[error("at most 4 decimals are allowed")]
    TooPrecise,
    /// Absurdly large.
    #[error("must be at most {MAX_UNIT_PRICE}")]
    TooLarge,
}

impl UnitPrice {
    /// A price from ten-thousandths of a currency unit (12.50 = 125 000).
    #[must_use]
    pub const fn from_ten_thousandths(v: u64) -> UnitPrice {
        UnitPrice(v)
    }

    /// The price in ten-thousandths of a currency unit.
    #[must_use]
    pub const fn ten_thousandths(self) -> u64 {
        self.0
    }

    /// Parses `12`, `12.5`, `12.5000`, `.5`; no sign, exponent, separator or symbol.
    pub fn parse(text: &str) -> Result<UnitPrice, PriceError> {
        if text.starts_with('-') {
            return Err(PriceError::Negative);
        }
        let (whole, frac) = match text.split_once('.') {
            Some((w, f)) => (w, f),
            None => (text, ""),
        };
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if (whole.is_empty() && frac.is_empty()) || !all_digits(whole) || !all_digits(frac) {
            return Err(PriceError::Format);
        }
        if text.ends_with('.') {
            return Err(PriceError::Format);
        }
        if frac.len() > 4 {
            return Err(PriceError::TooPrecise);
        }
        let whole = whole.trim_start_matches('0');
        if whole.len() > 10 {
            return Err(PriceError::TooLarge);
        }
        let w: u64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| PriceError::Format)?
        };
        let mut f: u64 = if frac.is_empty() {
            0
        } else {
            frac.parse().map_err(|_| PriceError::Format)?
        };
        for _ in frac.len()..4 {
            f *= 10;
        }
        let v = w * 10_000 + f;
        if v > MAX_UNIT_PRICE * 10_000 {
            return Err(PriceError::TooLarge);
        }
        Ok(UnitPrice(v))
    }
}

impl fmt::Display for UnitPrice {
    /// At least two decimals, more only when they carry value (12.50, 0.1234).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (w, mut frac, mut places) = (self.0 / 10_000, self.0 % 10_000, 4);
        while places > 2 && frac % 10 == 0 {
            frac /= 10;
            places -= 1;
        }
        write!(f, "{w}.{frac:0places$}")
    }
}

impl Money {
    /// The largest amount, in cents; larger ones saturate here.
    pub const MAX_CENTS: u64 = u64::MAX - 1;

    /// An amount from cents (at most [`Money::MAX_CENTS`]; more saturates).
    #[must_use]
    pub const fn from_cents(cents: u64) -> Money {
        let cents = if cents > Money::MAX_CENTS {
            Money::MAX_CENTS
        } else {
            cents
        };
        match NonZeroU64::new(cents + 1) {
            Some(v) => Money(v),
            None => Money(NonZeroU64::MAX),
        }
    }

    /// The amount in cents.
    #[must_use]
    pub const fn cents(self) -> u64 {
        self.0.get() - 1
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = self.cents();
        write!(f, "{}.{:02}", c / 100, c % 100)
    }
}

/// `price × 12 × days × seats / 365`, rounded half away from zero to the cent, computed exactly.
#[must_use]
pub fn prorated(price: UnitPrice, seats: u32, days: u32) -> Money {
    // In ten-thousandths × days; to cents divide by 365 × 100. Rounding half away from zero:
    // (2 × num + den) / (2 × den). Realistic inputs fit in u64, where the division by a
    // constant is a multiplication; the u128 path keeps absurd ones exact.
    const DEN: u64 = 365 * 100;
    // Whether a product fits is read from the operands' bit lengths (wasm has no cheap
    // overflow flag): the product of an m-bit and an n-bit number has at most m + n bits.
    let bits = |v: u64| 64 - v.leading_zeros();
    let (p, ds) = (price.0, u64::from(days) * u64::from(seats));
    if bits(p) + bits(ds) + 5 <= 63 {
        // 24 < 2^5, and one bit to spare for adding DEN.
        return Money::from_cents((p * 24 * ds + DEN) / (DEN * 2));
    }
    let den: u128 = 365 * 100;
    let cents = (u128::from(price.0) * 12)
        .checked_mul(u128::from(days) * u128::from(seats))
        .and_then(|num| num.checked_mul(2))
        .map(|twice| (twice + den) / (den * 2));
    Money::from_cents(
        cents
            .and_then(|c| u64::try_from(c).ok())
            .unwrap_or(u64::MAX),
    )
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Money, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        let p = UnitPrice::parse(&text).map_err(serde::de::Error::custom)?;
        if p.0 % 100 != 0 {
            return Err(serde::de::Error::custom("money has at most 2 decimals"));
        }
        Ok(Money::from_cents(p.0 / 100))
    }
}

impl Serialize for UnitPrice {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for UnitPrice {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<UnitPrice, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        UnitPrice::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> UnitPrice {
        UnitPrice::parse(s).unwrap()
    }

    #[test]
    fn parses_up_to_four_decimals() {
        assert_eq!(p("12.50").ten_thousandths(), 125_000);
        assert_eq!(p("12").ten_thousandths(), 120_000);
        assert_eq!(p(".5").ten_thousandths(), 5_000);
        assert_eq!(p("0.0001").ten_thousandths(), 1);
        assert_eq!(p("007.1").ten_thousandths(), 71_000);
        assert_eq!(UnitPrice::parse("1.23456"), Err(PriceError::TooPrecise));
        assert_eq!(UnitPrice::parse("-1"), Err(PriceError::Negative));
        for bad in ["", ".", "1.", "1e3", "1,000", "$5", "1.2.3", " 1", "１"] {
            assert_eq!(UnitPrice::parse(bad), Err(PriceError::Format), "{bad:?}");
        }
        assert_eq!(UnitPrice::parse("99999999999"), Err(PriceError::TooLarge));
        assert!(UnitPrice::parse("1000000000").is_ok());
    }

    #[test]
    fn displays_two_or_more_decimals() {
        assert_eq!(p("12.5").to_string(), "12.50");
        assert_eq!(p("0.1234").to_string(), "0.1234");
        assert_eq!(p("3.120").to_string(), "3.12");
        assert_eq!(p("7").to_string(), "7.00");
        assert_eq!(Money::from_cents(8219).to_string(), "82.19");
        assert_eq!(Money::from_cents(5).to_string(), "0.05");
    }

    #[test]
    fn prorated_matches_the_worked_example() {
        assert_eq!(prorated(p("12.50"), 25, 8).to_string(), "82.19");
        assert_eq!(prorated(p("12.50"), 25, 127).to_string(), "1304.79");
        assert_eq!(prorated(p("4.00"), 5, 8).to_string(), "5.26");
        assert_eq!(prorated(p("4.00"), 5, 52).to_string(), "34.19");
        assert_eq!(prorated(p("22"), 10, 0).to_string(), "0.00");
    }

    #[test]
    fn prorated_rounds_to_the_nearest_cent() {
        // An exact half cent cannot occur (price × 12 × days × seats would need to be an odd
        // multiple of 18 250 ten-thousandths, which 12 never divides), so test either side of it.
        assert_eq!(prorated(p("1.825"), 1, 1).to_string(), "0.06"); // exactly 0.06
        assert_eq!(prorated(p("0.0760"), 1, 1).to_string(), "0.00"); // 0.002498…
        assert_eq!(prorated(p("0.0025"), 73, 1).to_string(), "0.01"); // 0.006
        assert_eq!(prorated(p("0.1521"), 1, 1).to_string(), "0.01"); // 0.0050005…
        assert_eq!(prorated(p("0.1520"), 1, 1).to_string(), "0.00"); // 0.0049972…
    }

    #[test]
    fn u64_and_u128_arithmetic_agree_around_the_switch() {
        // Where 24 × price × days × seats stops fitting in u64 the slow path takes over.
        let reference = |price: u64, seats: u32, days: u32| {
            let num = u128::from(price) * 24 * u128::from(days) * u128::from(seats);
            u64::try_from((num + 36_500) / 73_000)
                .unwrap_or(u64::MAX)
                .min(Money::MAX_CENTS)
        };
        let price = MAX_UNIT_PRICE * 10_000;
        for seats in [1, 1_000, 1_000_000, u32::MAX] {
            for days in [0, 1, 365, 36_500, 1_000_000, u32::MAX] {
                for p in [0, 1, 125_000, price - 1, price] {
                    let got = prorated(UnitPrice::from_ten_thousandths(p), seats, days);
                    assert_eq!(got.cents(), reference(p, seats, days), "{p} {seats} {days}");
                }
            }
        }
    }

    #[test]
    fn huge_inputs_saturate_instead_of_overflowing() {
        let m = prorated(
            UnitPrice::from_ten_thousandths(u64::MAX),
            u32::MAX,
            u32::MAX,
        );
        assert_eq!(m.cents(), Money::MAX_CENTS);
    }

    #[test]
    fn options_take_no_extra_room() {
        use crate::date::Date;
        assert_eq!(std::mem::size_of::<Option<Money>>(), 8);
        assert_eq!(std::mem::size_of::<Option<Date>>(), 4);
        assert_eq!(Money::from_cents(u64::MAX).cents(), Money::MAX_CENTS);
        assert_eq!(Money::default().cents(), 0);
        assert!(Money::from_cents(1) < Money::from_cents(2));
    }

    #[test]
    fn serde_uses_strings() {
        assert_eq!(
            serde_json::to_string(&Money::from_cents(8219)).unwrap(),
            "\"82.19\""
        );
        assert_eq!(
            serde_json::from_str::<Money>("\"82.19\"").unwrap(),
            Money::from_cents(8219)
        );
        assert_eq!(
            serde_json::from_str::<UnitPrice>("\"12.5\"").unwrap(),
            p("12.50")
        );
    }
}
