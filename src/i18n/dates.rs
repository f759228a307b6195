//! Dates and instants in the viewer's language and time zone, through the browser's `Intl`.
use std::cell::RefCell;

use cutover_plan::Date;
use wasm_bindgen::JsValue;

use super::Lang;

/// Today's calendar date in UTC, as Partner Center defines dates.
#[must_use]
pub fn today() -> Date {
    let now = js_sys::Date::new_0();
    Date::from_ymd(
        now.get_utc_full_year() as i32,
        now.get_utc_month() + 1,
        now.get_utc_date(),
    )
    .unwrap_or(Date::from_days(20_454))
}

fn js_date_utc(d: Date) -> js_sys::Date {
    let (y, m, day) = d.ymd();
    let ms = js_sys::Date::utc(f64::from(y), f64::from(m - 1)) + f64::from(day - 1) * 86_400_000.0;
    js_sys::Date::new(&JsValue::from_f64(ms))
}

fn formatter(lang: Lang, options: &[(&str, &str)]) -> js_sys::Intl::DateTimeFormat {
    let opts = js_sys::Object::new();
    for (k, v) in options {
        let _ = js_sys::Reflect::set(&opts, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    js_sys::Intl::DateTimeFormat::new(&js_sys::Array::of1(&lang.tag().into()), &opts)
}

fn format_with(f: &js_sys::Intl::DateTimeFormat, date: &js_sys::Date) -> Option<String> {
    f.format()
        .call1(&JsValue::UNDEFINED, date)
        .ok()
        .and_then(|s| s.as_string())
}

thread_local! {
    /// Building an `Intl.DateTimeFormat` is slow; the list formats many dates.
    static DATE_FORMAT: RefCell<Option<(Lang, js_sys::Intl::DateTimeFormat)>> = const { RefCell::new(None) };
}

/// A calendar date, e.g. "Wed, May 12, 2027" / "2027年5月12日(水)". Never shifted by time zone.
#[must_use]
pub fn date(lang: Lang, d: Date) -> String {
    DATE_FORMAT.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.as_ref().is_none_or(|(l, _)| *l != lang) {
            let f = formatter(
                lang,
                &[
                    ("timeZone", "UTC"),
                    ("year", "numeric"),
                    ("month", "short"),
                    ("day", "numeric"),
                    ("weekday", "short"),
                ],
            );
            *cell = Some((lang, f));
        }
        cell.as_ref()
            .and_then(|(_, f)| format_with(f, &js_date_utc(d)))
            .unwrap_or_else(|| d.to_string())
    })
}

/// A month heading, e.g. "May 2027" / "2027年5月".
#[must_use]
pub fn month(lang: Lang, d: Date) -> String {
    let f = formatter(
        lang,
        &[("timeZone", "UTC"), ("year", "numeric"), ("month", "long")],
    );
    format_with(&f, &js_date_utc(d)).unwrap_or_else(|| d.to_string())
}

/// The renewal instant of an end date (00:00 UTC the day after) in the viewer's time zone.
#[must_use]
pub fn renewal_instant(lang: Lang, end: Date) -> String {
    let f = formatter(
        lang,
        &[
            ("year", "numeric"),
            ("month", "short"),
            ("day", "numeric"),
            ("hour", "2-digit"),
            ("minute", "2-digit"),
            ("timeZoneName", "short"),
        ],
    );
    format_with(&f, &js_date_utc(end.plus_days(1))).unwrap_or_else(|| format!("{end} 24:00 UTC"))
}
