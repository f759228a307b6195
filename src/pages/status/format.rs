//! Dates and instants in the viewer's own locale and time zone, through the browser's `Intl`
//! (no time-zone data is shipped with the app).
use cutover_plan::Date;
use js_sys::{Array, Intl, Object, Reflect};
use leptos::prelude::window;
use wasm_bindgen::{JsCast, JsValue};

use crate::i18n::Lang;

/// The locale to format with: the browser's own tag when it is of `lang` (so `en-GB` keeps its
/// day-month order), else the bare language.
#[must_use]
pub fn locale(lang: Lang) -> String {
    window()
        .navigator()
        .language()
        .filter(|tag| Lang::from_tag(tag) == Some(lang))
        .unwrap_or_else(|| lang.tag().to_owned())
}

fn formatter(lang: Lang, options: &[(&str, &str)]) -> Intl::DateTimeFormat {
    let opts = Object::new();
    for (k, v) in options {
        let _ = Reflect::set(&opts, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    Intl::DateTimeFormat::new(&Array::of1(&JsValue::from_str(&locale(lang))), &opts)
}

fn format_with(fmt: &Intl::DateTimeFormat, date: &js_sys::Date) -> Option<String> {
    fmt.format()
        .call1(&JsValue::UNDEFINED, date)
        .ok()
        .and_then(|s| s.as_string())
}

/// 00:00 UTC at the start of `d`, as a JS date.
fn utc_midnight(d: Date) -> js_sys::Date {
    js_sys::Date::new(&JsValue::from_f64(f64::from(d.days()) * 86_400_000.0))
}

/// A calendar day (Partner Center dates are UTC days, so they are not shifted), e.g.
/// "Wed, 24 Mar 2027" or "2027年3月24日(水)".
#[must_use]
pub fn date(d: Date, lang: Lang) -> String {
    let fmt = formatter(
        lang,
        &[
            ("weekday", "short"),
            ("year", "numeric"),
            ("month", "short"),
            ("day", "numeric"),
            ("timeZone", "UTC"),
        ],
    );
    format_with(&fmt, &utc_midnight(d)).unwrap_or_else(|| d.to_string())
}

/// An instant in the viewer's time zone, with the zone's short name, e.g. "25 Mar 2027, 09:00 GMT+9".
#[must_use]
pub fn instant(js: &js_sys::Date, lang: Lang) -> Option<String> {
    if js.get_time().is_nan() {
        return None;
    }
    let fmt = formatter(
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
    format_with(&fmt, js)
}

/// An RFC 3339 instant (e.g. the projection's `asOf`) in the viewer's zone; the text itself if
/// it cannot be read.
#[must_use]
pub fn instant_text(rfc3339: &str, lang: Lang) -> String {
    instant(&js_sys::Date::new(&JsValue::from_str(rfc3339)), lang)
        .unwrap_or_else(|| rfc3339.to_owned())
}

/// When an original subscription whose last day is `end` renews or ends: 00:00 UTC the day after.
#[must_use]
pub fn renewal_instant(end: Date, lang: Lang) -> String {
    instant(&utc_midnight(end.add_days(1)), lang)
        .unwrap_or_else(|| format!("{}T00:00Z", end.add_days(1)))
}

/// The viewer's time zone: its IANA id and its long name in `lang`, e.g.
/// ("Asia/Tokyo", "日本標準時").
#[must_use]
pub fn time_zone(lang: Lang) -> (String, String) {
    let fmt = formatter(lang, &[("timeZoneName", "long")]);
    let id = Reflect::get(&fmt.resolved_options(), &JsValue::from_str("timeZone"))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| "UTC".to_owned());
    let name = fmt
        .format_to_parts(&js_sys::Date::new_0())
        .iter()
        .filter_map(|part| part.dyn_into::<Object>().ok())
        .find(|part| {
            Reflect::get(part, &JsValue::from_str("type"))
                .ok()
                .and_then(|t| t.as_string())
                .as_deref()
                == Some("timeZoneName")
        })
        .and_then(|part| Reflect::get(&part, &JsValue::from_str("value")).ok())
        .and_then(|v| v.as_string())
        .unwrap_or_default();
    (id, name)
}

/// Today as a UTC calendar day (the calendar Partner Center's dates are in).
#[must_use]
pub fn today_utc() -> Date {
    let days = (js_sys::Date::now() / 86_400_000.0).floor();
    Date::from_days(days as i32)
}

/// An RFC 3339 instant for the local midnight that ends the calendar day `d` (for expiries picked
/// in a date field), in UTC.
#[must_use]
pub fn end_of_local_day(d: Date) -> Option<String> {
    let (y, m, day) = d.add_days(1).ymd();
    let js = js_sys::Date::new_with_year_month_day(y as u32, m as i32 - 1, day as i32);
    if js.get_time().is_nan() {
        return None;
    }
    js.to_iso_string().as_string()
}
