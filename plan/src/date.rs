//! A civil calendar date (proleptic Gregorian, no time zone), stored as days since 1970-01-01.

use std::fmt;
use std::num::NonZeroU32;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The earliest year a [`Date`] may be parsed with.
pub const MIN_YEAR: i32 = 1900;
/// The latest year a [`Date`] may be parsed with.
pub const MAX_YEAR: i32 = 2999;

/// Day counts from settings are capped here, so dates stay far from the `i32` limits.
const MAX_OFFSET: u32 = 1_000_000;

/// A calendar date; ordering and subtraction work on whole days.
///
/// Stored as the day count with its sign bit flipped, which keeps the order and is never zero
/// (day `i32::MIN` is not used), so an `Option<Date>` takes no more room than a `Date`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(NonZeroU32);

impl Date {
    const fn pack(days: i32) -> Date {
        match NonZeroU32::new((days as u32) ^ 0x8000_0000) {
            Some(v) => Date(v),
            // Only day i32::MIN, which saturating arithmetic can reach: the day after it.
            None => Date(NonZeroU32::MIN),
        }
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Date({self})")
    }
}

/// Day of the week.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Weekday {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

/// Why a text is not a date.
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
pub enum DateError {
    /// Not in the `YYYY-MM-DD` shape.
    #[error("expected a date like 2027-03-31 (YYYY-MM-DD)")]
    Format,
    /// Shape is right but the day does not exist.
    #[error("{0} is not a day in the calendar")]
    NoSuchDay(String),
    /// Year outside the supported range.
    #[error("the year must be between {MIN_YEAR} and {MAX_YEAR}")]
    YearOutOfRange,
}

impl Date {
    /// The date for a year, month (1–12) and day (1–31), or `None` if that day does not exist.
    #[must_use]
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        // Far enough for any plan, near enough that day counts fit in an i32.
        if !(-1_000_000..=1_000_000).contains(&year) {
            return None;
        }
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date::pack(days_from_civil(year, month, day)))
    }

    /// The date `days` after 1970-01-01 (negative: before).
    #[must_use]
    pub const fn from_days(days: i32) -> Date {
        Date::pack(days)
    }

    /// Days since 1970-01-01.
    #[must_use]
    pub const fn days(self) -> i32 {
        (self.0.get() ^ 0x8000_0000) as i32
    }

    /// Year, month and day.
    #[must_use]
    pub fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.days())
    }

    /// The year.
    #[must_use]
    pub fn year(self) -> i32 {
        self.ymd().0
    }

    /// The day of the week.
    #[must_use]
    pub fn weekday(self) -> Weekday {
        // 1970-01-01 was a Thursday.
        match (i64::from(self.days()) + 3).rem_euclid(7) {
            0 => Weekday::Mon,
            1 => Weekday::Tue,
            2 => Weekday::Wed,
            3 => Weekday::Thu,
            4 => Weekday::Fri,
            5 => Weekday::Sat,
            _ => Weekday::Sun,
        }
    }

    /// The date `n` days later (earlier when negative); saturates instead of overflowing.
    #[must_use]
    pub const fn add_days(self, n: i32) -> Date {
        Date::pack(self.days().saturating_add(n))
    }

    /// The date `n` days later, for counts that come from settings (capped at a million days).
    #[must_use]
    pub fn plus_days(self, n: u32) -> Date {
        self.add_days(n.min(MAX_OFFSET) as i32)
    }

    /// The date `n` days earlier, for counts that come from settings (capped at a million days).
    #[must_use]
    pub fn minus_days(self, n: u32) -> Date {
        self.add_days(-(n.min(MAX_OFFSET) as i32))
    }

    /// Whole days from `earlier` to `self` (negative when `self` is before).
    #[must_use]
    pub const fn days_since(self, earlier: Date) -> i32 {
        self.days().saturating_sub(earlier.days())
    }

    /// Parses strictly `YYYY-MM-DD`, years [`MIN_YEAR`]..=[`MAX_YEAR`].
    pub fn parse(text: &str) -> Result<Date, DateError> {
        let b = text.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(DateError::Format);
        }
        let year = digits(&b[0..4]).ok_or(DateError::Format)?;
        let month = digits(&b[5..7]).ok_or(DateError::Format)?;
        let day = digits(&b[8..10]).ok_or(DateError::Format)?;
        Self::checked(year as i32, month, day, text)
    }

    /// Parses `YYYY-MM-DD` and also `YYYY/M/D`, the form Excel saves dates in on Japanese systems.
    pub fn parse_lenient(text: &str) -> Result<Date, DateError> {
        if !text.contains('/') {
            return Date::parse(text);
        }
        let mut parts = text.split('/');
        let (Some(y), Some(m), Some(d), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(DateError::Format);
        };
        if y.len() != 4 || !(1..=2).contains(&m.len()) || !(1..=2).contains(&d.len()) {
            return Err(DateError::Format);
        }
        let year = digits(y.as_bytes()).ok_or(DateError::Format)?;
        let month = digits(m.as_bytes()).ok_or(DateError::Format)?;
        let day = digits(d.as_bytes()).ok_or(DateError::Format)?;
        Self::checked(year as i32, month, day, text)
    }

    fn checked(year: i32, month: u32, day: u32, text: &str) -> Result<Date, DateError> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(DateError::YearOutOfRange);
        }
        Date::from_ymd(year, month, day).ok_or_else(|| DateError::NoSuchDay(text.to_owned()))
    }

    /// `YYYYMMDD`, as iCalendar's DATE value wants it.
    #[must_use]
    pub fn basic(self) -> String {
        let (y, m, d) = self.ymd();
        format!("{y:04}{m:02}{d:02}")
    }
}

fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

/// Whether `year` has a 29 February.
#[must_use]
pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Number of days in a month of a year.
#[must_use]
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

// Howard Hinnant's days_from_civil / civil_from_days: exact for the whole proleptic calendar.
fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400) as u32;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe as i32 - 719_468
}

fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = i64::from(z) + 719_468;
    let era = z.div_euclid(146_097) as i32;
    let doe = z.rem_euclid(146_097) as u32;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe as i32 + era * 400 + i32::from(m <= 2);
    (y, m, d)
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl FromStr for Date {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Date, DateError> {
        Date::parse(s)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Date::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn epoch_is_a_thursday_and_day_zero() {
        assert_eq!(d("1970-01-01").days(), 0);
        assert_eq!(d("1970-01-01").weekday(), Weekday::Thu);
        assert_eq!(d("2026-11-24").weekday(), Weekday::Tue);
        assert_eq!(d("2027-05-05").weekday(), Weekday::Wed);
    }

    #[test]
    fn round_trips_every_day_of_the_supported_range() {
        let mut day = d("1900-01-01");
        let end = d("2999-12-31");
        let mut prev = day.add_days(-1);
        while day <= end {
            let (y, m, dd) = day.ymd();
            assert_eq!(Date::from_ymd(y, m, dd), Some(day));
            assert_eq!(Date::parse(&day.to_string()), Ok(day));
            assert_eq!(day.days_since(prev), 1);
            prev = day;
            day = day.add_days(1);
        }
    }

    #[test]
    fn leap_days_exist_only_in_leap_years() {
        assert!(Date::parse("2028-02-29").is_ok());
        assert!(Date::parse("2000-02-29").is_ok());
        assert!(matches!(
            Date::parse("2027-02-29"),
            Err(DateError::NoSuchDay(_))
        ));
        assert!(matches!(
            Date::parse("2100-02-29"),
            Err(DateError::NoSuchDay(_))
        ));
        assert_eq!(d("2028-03-01").days_since(d("2028-02-28")), 2);
    }

    #[test]
    fn parse_rejects_other_shapes_and_ranges() {
        for bad in [
            "2027-3-31",
            "27-03-31",
            "2027/03/31",
            "2027-03-31 ",
            "",
            "２０２７-03-31",
        ] {
            assert_eq!(Date::parse(bad), Err(DateError::Format), "{bad:?}");
        }
        assert_eq!(Date::parse("1899-12-31"), Err(DateError::YearOutOfRange));
        assert_eq!(Date::parse("3000-01-01"), Err(DateError::YearOutOfRange));
        assert!(matches!(
            Date::parse("2027-13-01"),
            Err(DateError::NoSuchDay(_))
        ));
        assert!(matches!(
            Date::parse("2027-04-31"),
            Err(DateError::NoSuchDay(_))
        ));
    }

    #[test]
    fn lenient_parse_accepts_spreadsheet_forms() {
        assert_eq!(Date::parse_lenient("2027/3/31"), Ok(d("2027-03-31")));
        assert_eq!(Date::parse_lenient("2027/03/31"), Ok(d("2027-03-31")));
        assert_eq!(Date::parse_lenient("2027-03-01"), Ok(d("2027-03-01")));
        assert_eq!(Date::parse_lenient("2027-3-1"), Err(DateError::Format));
        assert!(Date::parse_lenient("3/31/2027").is_err());
        assert!(Date::parse_lenient("2027/02/30").is_err());
    }

    #[test]
    fn arithmetic_saturates_at_the_extremes() {
        let max = Date::from_days(i32::MAX);
        assert_eq!(max.add_days(1), max);
        assert_eq!(
            Date::from_days(i32::MIN).minus_days(u32::MAX),
            Date::from_days(i32::MIN)
        );
        assert_eq!(
            d("2027-01-01").minus_days(u32::MAX),
            d("2027-01-01").add_days(-1_000_000)
        );
        let _ = max.weekday();
        assert_eq!(d("2027-01-01").plus_days(31), d("2027-02-01"));
        assert_eq!(d("2027-01-01").minus_days(1), d("2026-12-31"));
        let _ = max.ymd();
        let _ = Date::from_days(i32::MIN).ymd();
        assert_eq!(Date::from_ymd(i32::MAX, 1, 1), None);
        // The one day the packed form cannot hold is the day after it.
        assert_eq!(Date::from_days(i32::MIN).days(), i32::MIN + 1);
    }

    #[test]
    fn packed_days_keep_their_order_and_value() {
        let days = [i32::MIN + 1, -1_000_000, -1, 0, 1, 20_454, i32::MAX];
        for w in days.windows(2) {
            assert!(Date::from_days(w[0]) < Date::from_days(w[1]), "{w:?}");
        }
        for n in days {
            assert_eq!(Date::from_days(n).days(), n);
        }
        assert_eq!(format!("{:?}", d("2027-01-08")), "Date(2027-01-08)");
    }

    #[test]
    fn serde_uses_iso_strings() {
        let json = serde_json::to_string(&d("2027-01-08")).unwrap();
        assert_eq!(json, "\"2027-01-08\"");
        assert_eq!(
            serde_json::from_str::<Date>(&json).unwrap(),
            d("2027-01-08")
        );
        assert!(serde_json::from_str::<Date>("\"2027-02-30\"").is_err());
    }
}
