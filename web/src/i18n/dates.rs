//! Dates, instants and amounts in the viewer's language, locale and time zone, through the
//! browser's `Intl` (no time-zone or currency data is shipped with the app). The one place that
//! formats them, for the partner's screens and the status page alike.
use std::cell::RefCell;

use crate::dom::window;
use cutover_plan::{Date, Money};
use js_sys::{Array, Intl, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use super::Lang;

/// Today's calendar date in UTC, as Partner Center defines dates.
#[must_use]
pub fn today() -> Date {
    let days = (js_sys::Date::now() / 86_400_000.0).floor();
    Date::from_days(days as i32)
}

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

fn options(pairs: &[(&str, &str)]) -> Object {
    let opts = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&opts, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    opts
}

fn formatter(lang: Lang, pairs: &[(&str, &str)]) -> Intl::DateTimeFormat {
    Intl::DateTimeFormat::new(
        &Array::of1(&JsValue::from_str(&locale(lang))),
        &options(pairs),
    )
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

thread_local! {
    /// Building an `Intl.DateTimeFormat` is slow; the list formats many dates.
    static DATE_FORMAT: RefCell<Option<(Lang, Intl::DateTimeFormat)>> = const { RefCell::new(None) };
    /// The same for instants (the status page formats one per subscription and milestone).
    static INSTANT_FORMAT: RefCell<Option<(Lang, Intl::DateTimeFormat)>> = const { RefCell::new(None) };
}

/// A calendar day (Partner Center dates are UTC days, so they are never shifted), e.g.
/// "Wed, 24 Mar 2027" or "2027年3月24日(水)".
#[must_use]
pub fn date(lang: Lang, d: Date) -> String {
    DATE_FORMAT.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.as_ref().is_none_or(|(l, _)| *l != lang) {
            let f = formatter(
                lang,
                &[
                    ("weekday", "short"),
                    ("year", "numeric"),
                    ("month", "short"),
                    ("day", "numeric"),
                    ("timeZone", "UTC"),
                ],
            );
            *cell = Some((lang, f));
        }
        cell.as_ref()
            .and_then(|(_, f)| format_with(f, &utc_midnight(d)))
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
    format_with(&f, &utc_midnight(d)).unwrap_or_else(|| d.to_string())
}

/// An instant in the viewer's time zone, with the zone's short name, e.g. "25 Mar 2027, 09:00 GMT+9".
#[must_use]
pub fn instant(lang: Lang, js: &js_sys::Date) -> Option<String> {
    if js.get_time().is_nan() {
        return None;
    }
    INSTANT_FORMAT.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.as_ref().is_none_or(|(l, _)| *l != lang) {
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
            *cell = Some((lang, f));
        }
        cell.as_ref().and_then(|(_, f)| format_with(f, js))
    })
}

/// An RFC 3339 instant in the viewer's zone; the text itself if it cannot be read.
#[must_use]
pub fn instant_text(lang: Lang, rfc3339: &str) -> String {
    instant(lang, &js_sys::Date::new(&JsValue::from_str(rfc3339)))
        .unwrap_or_else(|| rfc3339.to_owned())
}

/// When an original subscription whose last day is `end` renews or ends: 00:00 UTC the day after,
/// in the viewer's time zone.
#[must_use]
pub fn renewal_instant(lang: Lang, end: Date) -> String {
    instant(lang, &utc_midnight(end.add_days(1)))
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

/// Now as RFC 3339 UTC (for what the partner does, like confirming an order).
#[must_use]
pub fn now_rfc3339() -> String {
    let iso = js_sys::Date::new_0()
        .to_iso_string()
        .as_string()
        .unwrap_or_default();
    // `2026-12-01T09:14:02.613Z` → `2026-12-01T09:14:02Z`
    match iso.split_once('.') {
        Some((head, _)) => format!("{head}Z"),
        None => iso,
    }
}

/// An amount in its currency's own format (`$1,304.79`, `¥1,305` — JPY has no minor unit), in the
/// viewer's locale. `Intl` throws on a malformed code, so only three-letter codes are passed to it;
/// anything else is shown as `1304.79 XYZ`.
#[must_use]
pub fn money(lang: Lang, amount: Money, currency: &str) -> String {
    let code = currency.trim();
    if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_alphabetic()) {
        return format!("{amount} {code}");
    }
    let opts = options(&[
        ("style", "currency"),
        ("currency", &code.to_ascii_uppercase()),
    ]);
    let f = Intl::NumberFormat::new(&Array::of1(&JsValue::from_str(&locale(lang))), &opts);
    let value = JsValue::from_f64(amount.cents() as f64 / 100.0);
    f.format()
        .call1(&JsValue::UNDEFINED, &value)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| format!("{amount} {code}"))
}
