//! Calendar dates and UTC instants without a date library (days since 1970-01-01).
use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

/// A calendar date, stored as days since 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub i64);

impl Date {
    /// Builds a date from year, month (1–12) and day; `None` when it does not exist.
    pub fn from_ymd(y: i64, m: u32, d: u32) -> Option<Date> {
        if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
            return None;
        }
        // Howard Hinnant's days_from_civil.
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(m);
        let mp = if m > 2 { m - 3 } else { m + 9 };
        let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(Date(era * 146_097 + doe - 719_468))
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let mut parts = s.trim().splitn(3, '-');
        let y = parts.next()?.parse().ok()?;
        let m = parts.next()?.parse().ok()?;
        let d = parts.next()?.parse().ok()?;
        Date::from_ymd(y, m, d)
    }

    /// Today in UTC from the system clock.
    pub fn today_utc() -> Date {
        Date(now_unix().div_euclid(86_400))
    }

    pub fn ymd(self) -> (i64, u32, u32) {
        // Howard Hinnant's civil_from_days.
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = yoe + era * 400 + i64::from(m <= 2);
        (y, m, d)
    }

    pub fn add_days(self, days: i64) -> Date {
        Date(self.0 + days)
    }

    /// Adds calendar months, clamping the day to the target month's length.
    pub fn add_months(self, months: i64) -> Date {
        let (y, m, d) = self.ymd();
        let total = y * 12 + i64::from(m) - 1 + months;
        let (ny, nm) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u32);
        Date::from_ymd(ny, nm, d.min(days_in_month(ny, nm))).unwrap_or(self)
    }

    /// Seconds since the Unix epoch at 00:00:00 UTC of this date.
    pub fn midnight(self) -> i64 {
        self.0 * 86_400
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Seconds since the Unix epoch from the system clock.
pub fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// `2026-01-14T16:57:15Z`, or with a 7-digit fraction as Partner Center writes creation times.
pub fn timestamp(unix: i64, fraction: Option<u32>) -> String {
    let date = Date(unix.div_euclid(86_400));
    let secs = unix.rem_euclid(86_400);
    let (h, mi, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    match fraction {
        Some(frac) => format!("{date}T{h:02}:{mi:02}:{s:02}.{:07}Z", frac % 10_000_000),
        None => format!("{date}T{h:02}:{mi:02}:{s:02}Z"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_civil_dates() {
        for (y, m, d) in [(1970, 1, 1), (2024, 2, 29), (2027, 12, 31), (2000, 3, 1)] {
            let date = Date::from_ymd(y, m, d).unwrap();
            assert_eq!(date.ymd(), (y, m, d));
        }
        assert_eq!(Date::from_ymd(1970, 1, 2).unwrap().0, 1);
        assert_eq!(Date::parse("2026-02-30"), None);
    }

    #[test]
    fn adds_months_clamping_the_day() {
        let jan31 = Date::parse("2027-01-31").unwrap();
        assert_eq!(jan31.add_months(1).to_string(), "2027-02-28");
        assert_eq!(jan31.add_months(-13).to_string(), "2025-12-31");
    }

    #[test]
    fn formats_timestamps() {
        let t = Date::parse("2026-03-05").unwrap().midnight() + 3661;
        assert_eq!(timestamp(t, None), "2026-03-05T01:01:01Z");
        assert_eq!(timestamp(t, Some(42)), "2026-03-05T01:01:01.0000042Z");
    }
}
