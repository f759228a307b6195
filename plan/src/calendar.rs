//! Business days: a bitset of closed days built once from the holiday settings, then shared.

use crate::date::{Date, Weekday};
use crate::holidays::{HolidayName, JP_FIRST_YEAR, JP_LAST_YEAR, japanese_holidays};
use crate::settings::Holidays;

/// Why an office is closed on a day.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Closure {
    /// Saturday or Sunday.
    Weekend(Weekday),
    /// A Japanese national holiday.
    Holiday(HolidayName),
    /// A date from the partner's own holiday list.
    Custom,
}

/// Which days are business days. Build once per settings and pass by reference.
#[derive(Clone, Debug)]
pub struct Calendar {
    first: Date,
    len: i32,
    /// Bit set = closed (weekend or holiday).
    closed: Vec<u64>,
    /// Holiday names, sorted by date, for explanations only (not used on the hot path).
    named: Vec<(Date, HolidayName)>,
    /// The custom list, sorted: outside the bitset range these still count.
    custom: Vec<Date>,
}

impl Calendar {
    /// Builds the calendar from the holiday settings. The bitset covers the years Japanese
    /// holidays are known for; outside them weekends and the custom list are checked directly.
    #[must_use]
    pub fn new(holidays: &Holidays) -> Calendar {
        let first = Date::from_ymd(JP_FIRST_YEAR, 1, 1).unwrap_or(Date::from_days(0));
        let end = Date::from_ymd(JP_LAST_YEAR, 12, 31).unwrap_or(Date::from_days(0));
        let len = end.days_since(first) + 1;
        let mut cal = Calendar {
            first,
            len,
            closed: vec![0; (len as usize).div_ceil(64)],
            named: Vec::new(),
            custom: Vec::new(),
        };
        // Weekends: the first Saturday, then every 7 days (and the Sunday after).
        let to_sat = (5 - first.weekday() as i32).rem_euclid(7);
        let mut i = to_sat;
        while i < len {
            cal.set(i);
            if i + 1 < len {
                cal.set(i + 1);
            }
            i += 7;
        }
        if holidays.japan {
            for year in JP_FIRST_YEAR..=JP_LAST_YEAR {
                for h in japanese_holidays(year) {
                    cal.named.push((h.date, h.name));
                    cal.set(h.date.days_since(first));
                }
            }
        }
        cal.custom = holidays.custom.clone();
        cal.custom.sort_unstable();
        cal.custom.dedup();
        for i in 0..cal.custom.len() {
            let at = cal.custom[i].days_since(first);
            if (0..len).contains(&at) {
                cal.set(at);
            }
        }
        cal
    }

    fn set(&mut self, i: i32) {
        self.closed[i as usize / 64] |= 1 << (i as usize % 64);
    }

    /// Monday–Friday and not a holiday.
    #[must_use]
    pub fn is_business_day(&self, d: Date) -> bool {
        let i = d.days_since(self.first);
        if (0..self.len).contains(&i) {
            self.closed[i as usize / 64] & (1 << (i as usize % 64)) == 0
        } else {
            !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
                && self.custom.binary_search(&d).is_err()
        }
    }

    /// `prev_bd(d)`: the latest business day on or before `d`.
    #[must_use]
    #[inline]
    pub fn prev_business_day(&self, d: Date) -> Date {
        // Almost always an open day is at most a few days back, in the same 64-day word.
        let i = d.days_since(self.first);
        if (0..self.len).contains(&i) {
            let (w, bit) = (i as usize / 64, i as usize % 64);
            if let Some(&word) = self.closed.get(w) {
                let open = !word & (u64::MAX >> (63 - bit));
                if open != 0 {
                    let at = w * 64 + (63 - open.leading_zeros() as usize);
                    return self.first.add_days(at as i32);
                }
            }
        }
        self.prev_business_day_far(d)
    }

    #[cold]
    #[inline(never)]
    fn prev_business_day_far(&self, mut d: Date) -> Date {
        // Inside the bitset, a word at a time: the highest open bit at or below `d`.
        let i = d.days_since(self.first);
        if (0..self.len).contains(&i) {
            let (mut w, bit) = (i as usize / 64, i as usize % 64);
            let mut open = !self.closed[w] & (u64::MAX >> (63 - bit));
            loop {
                if open != 0 {
                    let at = w * 64 + (63 - open.leading_zeros() as usize);
                    return self.first.add_days(at as i32);
                }
                if w == 0 {
                    break;
                }
                w -= 1;
                open = !self.closed[w];
            }
            d = self.first.add_days(-1);
        }
        while !self.is_business_day(d) {
            d = d.add_days(-1);
        }
        d
    }

    /// `next_bd(d)`: the earliest business day on or after `d`.
    #[must_use]
    #[inline]
    pub fn next_business_day(&self, d: Date) -> Date {
        // Almost always an open day is at most a few days ahead, in the same 64-day word (not
        // the last, part of which lies past the range).
        let i = d.days_since(self.first);
        if (0..self.len).contains(&i) {
            let (w, bit) = (i as usize / 64, i as usize % 64);
            if w + 1 < self.closed.len() {
                let open = !self.closed[w] & (u64::MAX << bit);
                if open != 0 {
                    let at = w * 64 + open.trailing_zeros() as usize;
                    return self.first.add_days(at as i32);
                }
            }
        }
        self.next_business_day_far(d)
    }

    #[cold]
    #[inline(never)]
    fn next_business_day_far(&self, mut d: Date) -> Date {
        // Inside the bitset, a word at a time: the lowest open bit at or above `d`. Bits past
        // the end of the range are not days of it.
        let i = d.days_since(self.first);
        if (0..self.len).contains(&i) {
            let last = self.closed.len() - 1;
            let tail = self.len as usize - last * 64; // days used in the last word, 1..=64
            let in_range = |w: usize| {
                if w == last && tail < 64 {
                    (1u64 << tail) - 1
                } else {
                    u64::MAX
                }
            };
            let (mut w, bit) = (i as usize / 64, i as usize % 64);
            let mut open = !self.closed[w] & in_range(w) & (u64::MAX << bit);
            loop {
                if open != 0 {
                    let at = w * 64 + open.trailing_zeros() as usize;
                    return self.first.add_days(at as i32);
                }
                if w == last {
                    break;
                }
                w += 1;
                open = !self.closed[w] & in_range(w);
            }
            d = self.first.add_days(self.len);
        }
        while !self.is_business_day(d) {
            d = d.add_days(1);
        }
        d
    }

    /// Why `d` is not a business day, or `None` when it is one.
    #[must_use]
    pub fn closure(&self, d: Date) -> Option<Closure> {
        if self.is_business_day(d) {
            return None;
        }
        if let Ok(i) = self.named.binary_search_by_key(&d, |&(date, _)| date) {
            return Some(Closure::Holiday(self.named[i].1));
        }
        if self.custom.binary_search(&d).is_ok() {
            return Some(Closure::Custom);
        }
        Some(Closure::Weekend(d.weekday()))
    }
}

impl Default for Calendar {
    /// Weekends only.
    fn default() -> Calendar {
        Calendar::new(&Holidays::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn jp() -> Calendar {
        Calendar::new(&Holidays {
            japan: true,
            custom: vec![],
        })
    }

    #[test]
    fn weekends_are_closed_everywhere_in_range_and_beyond() {
        let cal = Calendar::default();
        let mut day = d("1900-01-01").add_days(-30);
        while day <= d("2999-12-31").add_days(30) {
            let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
            assert_eq!(cal.is_business_day(day), !weekend, "{day}");
            day = day.add_days(1);
        }
    }

    #[test]
    fn no_holidays_by_default() {
        let cal = Calendar::default();
        assert!(cal.is_business_day(d("2027-05-05")));
        assert!(cal.is_business_day(d("2027-01-01")));
    }

    #[test]
    fn provision_date_skips_golden_week() {
        let cal = jp();
        assert_eq!(cal.prev_business_day(d("2027-05-05")), d("2027-04-30"));
        assert_eq!(cal.next_business_day(d("2027-05-01")), d("2027-05-06"));
        assert_eq!(
            cal.closure(d("2027-05-05")),
            Some(Closure::Holiday(HolidayName::ChildrensDay))
        );
        assert_eq!(
            cal.closure(d("2027-05-01")),
            Some(Closure::Weekend(Weekday::Sat))
        );
        assert_eq!(cal.closure(d("2027-04-30")), None);
    }

    #[test]
    fn custom_holidays_close_the_day_inside_and_outside_the_range() {
        let cal = Calendar::new(&Holidays {
            japan: false,
            custom: vec![d("2026-12-31"), d("2026-12-30")],
        });
        assert_eq!(cal.prev_business_day(d("2026-12-31")), d("2026-12-29"));
        assert_eq!(cal.closure(d("2026-12-30")), Some(Closure::Custom));
        let far = Date::from_ymd(3001, 1, 5).unwrap(); // a Monday
        let cal = Calendar::new(&Holidays {
            japan: false,
            custom: vec![far],
        });
        assert!(!cal.is_business_day(far));
        assert!(cal.is_business_day(far.add_days(1)));
    }

    #[test]
    fn word_at_a_time_search_agrees_with_stepping_day_by_day() {
        let slow_prev = |cal: &Calendar, mut d: Date| {
            while !cal.is_business_day(d) {
                d = d.add_days(-1);
            }
            d
        };
        let slow_next = |cal: &Calendar, mut d: Date| {
            while !cal.is_business_day(d) {
                d = d.add_days(1);
            }
            d
        };
        // Long closures across word boundaries and both ends of the range.
        let mut custom: Vec<Date> = (0..200).map(|i| d("2031-02-01").add_days(i)).collect();
        custom.extend((0..10).map(|i| d("1999-12-25").add_days(i)));
        custom.extend((0..10).map(|i| d("2099-12-25").add_days(i)));
        for japan in [false, true] {
            let cal = Calendar::new(&Holidays {
                japan,
                custom: custom.clone(),
            });
            let mut day = d("1999-11-01");
            while day <= d("2100-03-01") {
                assert_eq!(cal.prev_business_day(day), slow_prev(&cal, day), "{day}");
                assert_eq!(cal.next_business_day(day), slow_next(&cal, day), "{day}");
                day = day.add_days(1);
            }
        }
    }

    #[test]
    fn year_end_with_japan_holidays_steps_over_new_year() {
        let cal = jp();
        // 2029-01-01 is a Monday and a holiday; 2028-12-30/31 is a weekend.
        assert_eq!(cal.next_business_day(d("2029-01-01")), d("2029-01-02"));
        assert_eq!(cal.prev_business_day(d("2029-01-01")), d("2028-12-29"));
    }
}
