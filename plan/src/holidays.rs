//! Japanese national holidays (国民の祝日 and 休日), by the law in force each year from 2000 to 2099.

use crate::date::{Date, Weekday};

/// First year whose Japanese holidays are known here.
pub const JP_FIRST_YEAR: i32 = 2000;
/// Last year whose Japanese holidays are known here (the equinox formula holds until 2099).
pub const JP_LAST_YEAR: i32 = 2099;

/// The name of a Japanese holiday.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum HolidayName {
    /// 元日.
    NewYearsDay,
    /// 成人の日.
    ComingOfAgeDay,
    /// 建国記念の日.
    NationalFoundationDay,
    /// 天皇誕生日.
    EmperorsBirthday,
    /// 春分の日.
    VernalEquinoxDay,
    /// 昭和の日.
    ShowaDay,
    /// 憲法記念日.
    ConstitutionMemorialDay,
    /// みどりの日.
    GreeneryDay,
    /// こどもの日.
    ChildrensDay,
    /// 海の日.
    MarineDay,
    /// 山の日.
    MountainDay,
    /// 敬老の日.
    RespectForTheAgedDay,
    /// 秋分の日.
    AutumnalEquinoxDay,
    /// 体育の日 (until 2019).
    HealthAndSportsDay,
    /// スポーツの日 (from 2020).
    SportsDay,
    /// 文化の日.
    CultureDay,
    /// 勤労感謝の日.
    LabourThanksgivingDay,
    /// 即位の日 (2019-05-01).
    EnthronementDay,
    /// 即位礼正殿の儀の行われる日 (2019-10-22).
    EnthronementCeremonyDay,
    /// 振替休日: the first non-holiday after a holiday on a Sunday.
    SubstituteHoliday,
    /// 国民の休日: a day between two holidays.
    CitizensHoliday,
}

impl HolidayName {
    /// The official Japanese name.
    #[must_use]
    pub fn ja(self) -> &'static str {
        match self {
            HolidayName::NewYearsDay => "元日",
            HolidayName::ComingOfAgeDay => "成人の日",
            HolidayName::NationalFoundationDay => "建国記念の日",
            HolidayName::EmperorsBirthday => "天皇誕生日",
            HolidayName::VernalEquinoxDay => "春分の日",
            HolidayName::ShowaDay => "昭和の日",
            HolidayName::ConstitutionMemorialDay => "憲法記念日",
            HolidayName::GreeneryDay => "みどりの日",
            HolidayName::ChildrensDay => "こどもの日",
            HolidayName::MarineDay => "海の日",
            HolidayName::MountainDay => "山の日",
            HolidayName::RespectForTheAgedDay => "敬老の日",
            HolidayName::AutumnalEquinoxDay => "秋分の日",
            HolidayName::HealthAndSportsDay => "体育の日",
            HolidayName::SportsDay => "スポーツの日",
            HolidayName::CultureDay => "文化の日",
            HolidayName::LabourThanksgivingDay => "勤労感謝の日",
            HolidayName::EnthronementDay => "即位の日",
            HolidayName::EnthronementCeremonyDay => "即位礼正殿の儀の行われる日",
            HolidayName::SubstituteHoliday => "振替休日",
            HolidayName::CitizensHoliday => "国民の休日",
        }
    }

    /// The usual English name.
    #[must_use]
    pub fn en(self) -> &'static str {
        match self {
            HolidayName::NewYearsDay => "New Year's Day",
            HolidayName::ComingOfAgeDay => "Coming of Age Day",
            HolidayName::NationalFoundationDay => "National Foundation Day",
            HolidayName::EmperorsBirthday => "The Emperor's Birthday",
            HolidayName::VernalEquinoxDay => "Vernal Equinox Day",
            HolidayName::ShowaDay => "Showa Day",
            HolidayName::ConstitutionMemorialDay => "Constitution Memorial Day",
            HolidayName::GreeneryDay => "Greenery Day",
            HolidayName::ChildrensDay => "Children's Day",
            HolidayName::MarineDay => "Marine Day",
            HolidayName::MountainDay => "Mountain Day",
            HolidayName::RespectForTheAgedDay => "Respect for the Aged Day",
            HolidayName::AutumnalEquinoxDay => "Autumnal Equinox Day",
            HolidayName::HealthAndSportsDay => "Health and Sports Day",
            HolidayName::SportsDay => "Sports Day",
            HolidayName::CultureDay => "Culture Day",
            HolidayName::LabourThanksgivingDay => "Labour Thanksgiving Day",
            HolidayName::EnthronementDay => "Enthronement Day",
            HolidayName::EnthronementCeremonyDay => "Enthronement Ceremony Day",
            HolidayName::SubstituteHoliday => "Substitute Holiday",
            HolidayName::CitizensHoliday => "Citizens' Holiday",
        }
    }
}

/// One holiday: a date and its name.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Holiday {
    /// The day.
    pub date: Date,
    /// What it is called.
    pub name: HolidayName,
}

/// Sorts holidays by date (one function, so the sort is compiled once).
fn by_date(days: &mut [Holiday]) {
    days.sort_by_key(|h| h.date);
}

/// Japan's holidays of `year`, sorted by date; empty outside [`JP_FIRST_YEAR`]..=[`JP_LAST_YEAR`].
#[must_use]
pub fn japanese_holidays(year: i32) -> Vec<Holiday> {
    if !(JP_FIRST_YEAR..=JP_LAST_YEAR).contains(&year) {
        return Vec::new();
    }
    let mut days = national_holidays(year);
    by_date(&mut days);
    let is_national = |d: Date, days: &[Holiday]| days.iter().any(|h| h.date == d);

    // 国民の休日: both neighbours are national holidays (before 2007 a Sunday did not count).
    let mut extra = Vec::new();
    for pair in days.windows(2) {
        let between = pair[0].date.add_days(1);
        if pair[1].date.days_since(pair[0].date) == 2
            && !(year < 2007 && between.weekday() == Weekday::Sun)
        {
            extra.push(Holiday {
                date: between,
                name: HolidayName::CitizensHoliday,
            });
        }
    }
    // 振替休日: from 2007 the first day after that is not a national holiday; before, the Monday.
    for h in &days {
        if h.date.weekday() != Weekday::Sun {
            continue;
        }
        let mut d = h.date.add_days(1);
        if year >= 2007 {
            while is_national(d, &days) {
                d = d.add_days(1);
            }
        } else if is_national(d, &days) {
            continue;
        }
        extra.retain(|e| e.date != d);
        extra.push(Holiday {
            date: d,
            name: HolidayName::SubstituteHoliday,
        });
    }
    days.extend(extra);
    by_date(&mut days);
    days
}

/// The holidays of Article 2 of the holiday law (and the 2019 one-off days), before 休日 rules.
fn national_holidays(year: i32) -> Vec<Holiday> {
    use HolidayName as H;
    let on = |month: u32, day: u32, name: HolidayName| Holiday {
        date: ymd(year, month, day),
        name,
    };
    let monday = |month: u32, nth: u32, name: HolidayName| Holiday {
        date: nth_monday(year, month, nth),
        name,
    };
    let mut v = vec![
        on(1, 1, H::NewYearsDay),
        monday(1, 2, H::ComingOfAgeDay),
        on(2, 11, H::NationalFoundationDay),
        on(3, vernal_equinox_day(year), H::VernalEquinoxDay),
        on(
            4,
            29,
            if year >= 2007 {
                H::ShowaDay
            } else {
                H::GreeneryDay
            },
        ),
        on(5, 3, H::ConstitutionMemorialDay),
        on(5, 5, H::ChildrensDay),
        on(9, autumnal_equinox_day(year), H::AutumnalEquinoxDay),
        on(11, 3, H::CultureDay),
        on(11, 23, H::LabourThanksgivingDay),
    ];
    if year >= 2007 {
        v.push(on(5, 4, H::GreeneryDay));
    }
    match year {
        ..=2018 => v.push(on(12, 23, H::EmperorsBirthday)),
        2019 => {
            v.push(on(5, 1, H::EnthronementDay));
            v.push(on(10, 22, H::EnthronementCeremonyDay));
        }
        _ => v.push(on(2, 23, H::EmperorsBirthday)),
    }
    // Marine Day, Mountain Day and Sports Day moved for the Tokyo Olympics in 2020 and 2021.
    v.push(match year {
        ..=2002 => on(7, 20, H::MarineDay),
        2020 => on(7, 23, H::MarineDay),
        2021 => on(7, 22, H::MarineDay),
        _ => monday(7, 3, H::MarineDay),
    });
    match year {
        ..=2015 => {}
        2020 => v.push(on(8, 10, H::MountainDay)),
        2021 => v.push(on(8, 8, H::MountainDay)),
        _ => v.push(on(8, 11, H::MountainDay)),
    }
    v.push(if year <= 2002 {
        on(9, 15, H::RespectForTheAgedDay)
    } else {
        monday(9, 3, H::RespectForTheAgedDay)
    });
    v.push(match year {
        ..=2019 => monday(10, 2, H::HealthAndSportsDay),
        2020 => on(7, 24, H::SportsDay),
        2021 => on(7, 23, H::SportsDay),
        _ => monday(10, 2, H::SportsDay),
    });
    v
}

fn ymd(year: i32, month: u32, day: u32) -> Date {
    // Only called with days that exist.
    Date::from_ymd(year, month, day).unwrap_or(Date::from_days(0))
}

fn nth_monday(year: i32, month: u32, nth: u32) -> Date {
    let first = ymd(year, month, 1);
    let offset = (7 - first.weekday() as i32) % 7; // Mon = 0
    first.add_days(offset + 7 * (nth as i32 - 1))
}

// The customary formula (valid 1980–2099), in integers to stay exact:
// day = floor(20.8431 + 0.242194 × (y − 1980)) − floor((y − 1980) / 4).
fn vernal_equinox_day(year: i32) -> u32 {
    equinox(20_843_100, year)
}

fn autumnal_equinox_day(year: i32) -> u32 {
    equinox(23_248_800, year)
}

fn equinox(base_micro: i64, year: i32) -> u32 {
    let n = i64::from(year - 1980);
    ((base_micro + 242_194 * n).div_euclid(1_000_000) - n.div_euclid(4)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(year: i32) -> Vec<String> {
        japanese_holidays(year)
            .iter()
            .map(|h| h.date.to_string()[5..].to_owned())
            .collect()
    }

    fn names(year: i32) -> Vec<(String, &'static str)> {
        japanese_holidays(year)
            .iter()
            .map(|h| (h.date.to_string(), h.name.ja()))
            .collect()
    }

    // Published by the Cabinet Office (内閣府「国民の祝日」について) and the national observatory.
    #[test]
    fn matches_published_2019_with_the_enthronement() {
        assert_eq!(
            list(2019),
            [
                "01-01", "01-14", "02-11", "03-21", "04-29", "04-30", "05-01", "05-02", "05-03",
                "05-04", "05-05", "05-06", "07-15", "08-11", "08-12", "09-16", "09-23", "10-14",
                "10-22", "11-03", "11-04", "11-23"
            ]
        );
    }

    #[test]
    fn matches_published_2020_olympic_moves() {
        assert_eq!(
            list(2020),
            [
                "01-01", "01-13", "02-11", "02-23", "02-24", "03-20", "04-29", "05-03", "05-04",
                "05-05", "05-06", "07-23", "07-24", "08-10", "09-21", "09-22", "11-03", "11-23"
            ]
        );
    }

    #[test]
    fn matches_published_2021_olympic_moves() {
        assert_eq!(
            list(2021),
            [
                "01-01", "01-11", "02-11", "02-23", "03-20", "04-29", "05-03", "05-04", "05-05",
                "07-22", "07-23", "08-08", "08-09", "09-20", "09-23", "11-03", "11-23"
            ]
        );
    }

    #[test]
    fn matches_published_2024() {
        assert_eq!(
            list(2024),
            [
                "01-01", "01-08", "02-11", "02-12", "02-23", "03-20", "04-29", "05-03", "05-04",
                "05-05", "05-06", "07-15", "08-11", "08-12", "09-16", "09-22", "09-23", "10-14",
                "11-03", "11-04", "11-23"
            ]
        );
    }

    #[test]
    fn matches_published_2025() {
        assert_eq!(
            list(2025),
            [
                "01-01", "01-13", "02-11", "02-23", "02-24", "03-20", "04-29", "05-03", "05-04",
                "05-05", "05-06", "07-21", "08-11", "09-15", "09-23", "10-13", "11-03", "11-23",
                "11-24"
            ]
        );
    }

    #[test]
    fn matches_published_2026_with_a_citizens_holiday() {
        assert_eq!(
            names(2026),
            [
                ("2026-01-01".into(), "元日"),
                ("2026-01-12".into(), "成人の日"),
                ("2026-02-11".into(), "建国記念の日"),
                ("2026-02-23".into(), "天皇誕生日"),
                ("2026-03-20".into(), "春分の日"),
                ("2026-04-29".into(), "昭和の日"),
                ("2026-05-03".into(), "憲法記念日"),
                ("2026-05-04".into(), "みどりの日"),
                ("2026-05-05".into(), "こどもの日"),
                ("2026-05-06".into(), "振替休日"),
                ("2026-07-20".into(), "海の日"),
                ("2026-08-11".into(), "山の日"),
                ("2026-09-21".into(), "敬老の日"),
                ("2026-09-22".into(), "国民の休日"),
                ("2026-09-23".into(), "秋分の日"),
                ("2026-10-12".into(), "スポーツの日"),
                ("2026-11-03".into(), "文化の日"),
                ("2026-11-23".into(), "勤労感謝の日"),
            ]
        );
    }

    #[test]
    fn matches_published_2027() {
        assert_eq!(
            list(2027),
            [
                "01-01", "01-11", "02-11", "02-23", "03-21", "03-22", "04-29", "05-03", "05-04",
                "05-05", "07-19", "08-11", "09-20", "09-23", "10-11", "11-03", "11-23"
            ]
        );
    }

    #[test]
    fn matches_expected_2030() {
        assert_eq!(
            list(2030),
            [
                "01-01", "01-14", "02-11", "02-23", "03-20", "04-29", "05-03", "05-04", "05-05",
                "05-06", "07-15", "08-11", "08-12", "09-16", "09-23", "10-14", "11-03", "11-04",
                "11-23"
            ]
        );
    }

    #[test]
    fn citizens_holiday_in_silver_weeks_2032_and_2037() {
        let l = list(2032);
        assert!(l.contains(&"09-20".into()) && l.contains(&"09-21".into()));
        assert!(l.contains(&"09-22".into()));
        let n = names(2032);
        assert!(n.contains(&("2032-09-21".into(), "国民の休日")));
        assert!(names(2037).contains(&("2037-09-22".into(), "国民の休日")));
    }

    #[test]
    fn substitute_holiday_skips_golden_week_to_may_6() {
        // 2026-05-03 is a Sunday and 05-04, 05-05 are holidays themselves, so the substitute is 05-06.
        assert!(names(2026).contains(&("2026-05-06".into(), "振替休日")));
        // 2031-11-23 is a Sunday: the Monday after.
        assert!(names(2031).contains(&("2031-11-24".into(), "振替休日")));
    }

    #[test]
    fn equinoxes_match_the_observatory_2020_to_2035() {
        let vernal = [
            20, 20, 21, 21, 20, 20, 20, 21, 20, 20, 20, 21, 20, 20, 20, 21,
        ];
        let autumnal = [
            22, 23, 23, 23, 22, 23, 23, 23, 22, 23, 23, 23, 22, 23, 23, 23,
        ];
        for (i, year) in (2020..=2035).enumerate() {
            assert_eq!(vernal_equinox_day(year), vernal[i], "vernal {year}");
            assert_eq!(autumnal_equinox_day(year), autumnal[i], "autumnal {year}");
        }
    }

    #[test]
    fn every_year_in_range_has_between_15_and_24_holidays_on_unique_days() {
        for year in JP_FIRST_YEAR..=JP_LAST_YEAR {
            let h = japanese_holidays(year);
            assert!((15..=24).contains(&h.len()), "{year}: {}", h.len());
            assert!(h.windows(2).all(|w| w[0].date < w[1].date), "{year}");
            assert!(h.iter().all(|x| x.date.year() == year));
        }
        assert!(japanese_holidays(1999).is_empty());
        assert!(japanese_holidays(2100).is_empty());
    }
}
