//! Instants the caller passes in, checked and written in one canonical form.
//!
//! The store compares instants as text in SQL (`expires_at > now`), which is only correct when every
//! stored instant has the same shape. So every instant is reduced to `YYYY-MM-DDTHH:MM:SSZ`: UTC,
//! whole seconds (fractions are dropped; nothing here needs them).

use super::StoreError;
use super::error::shorten;

/// Checks that `value` is an RFC 3339 instant in UTC and returns it as `YYYY-MM-DDTHH:MM:SSZ`.
///
/// `field` names the argument in the error (`"now"`, `"expires_at"`).
pub(crate) fn canonical_utc(field: &'static str, value: &str) -> Result<String, StoreError> {
    parse(value).ok_or_else(|| StoreError::InvalidTime {
        field,
        value: shorten(value),
    })
}

fn parse(value: &str) -> Option<String> {
    let b = value.as_bytes();
    if b.len() < 20 || b.len() > 40 {
        return None;
    }
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(range)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(part.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    };
    let year = digits(0..4)?;
    let month = digits(5..7)?;
    let day = digits(8..10)?;
    let hour = digits(11..13)?;
    let minute = digits(14..16)?;
    let second = digits(17..19)?;
    if b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    if !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut rest = &b[19..];
    if let Some(fraction) = rest.strip_prefix(b".") {
        let len = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
        if len == 0 {
            return None;
        }
        rest = &fraction[len..];
    }
    if !matches!(rest, b"Z" | b"z" | b"+00:00" | b"-00:00") {
        return None;
    }
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z"
    ))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_instants_are_reduced_to_whole_seconds_with_z() {
        assert_eq!(
            canonical_utc("now", "2025-04-01T09:30:00Z").unwrap(),
            "2025-04-01T09:30:00Z"
        );
        assert_eq!(
            canonical_utc("now", "2025-04-01t09:30:00.123456+00:00").unwrap(),
            "2025-04-01T09:30:00Z"
        );
        assert_eq!(
            canonical_utc("now", "2024-02-29T23:59:59.9z").unwrap(),
            "2024-02-29T23:59:59Z"
        );
    }

    #[test]
    fn non_utc_or_malformed_instants_are_refused() {
        for bad in [
            "",
            "2025-04-01",
            "2025-04-01 09:30:00Z",
            "2025-04-01T09:30:00",
            "2025-04-01T09:30:00+09:00",
            "2025-13-01T09:30:00Z",
            "2025-02-29T09:30:00Z",
            "2025-04-31T09:30:00Z",
            "2025-04-01T24:00:00Z",
            "2025-04-01T09:30:00.Z",
            "２０２５-04-01T09:30:00Z",
            "2025-04-01T09:30:00Zjunk",
        ] {
            let err = canonical_utc("now", bad).unwrap_err();
            assert!(matches!(err, StoreError::InvalidTime { .. }), "{bad}");
        }
    }

    #[test]
    fn long_values_are_shortened_in_errors() {
        let long = "x".repeat(10_000);
        let message = canonical_utc("expires_at", &long).unwrap_err().to_string();
        assert!(message.len() < 300, "{message}");
    }
}
