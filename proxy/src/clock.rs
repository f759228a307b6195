//! The current instant as the store and the wire want it: RFC 3339 UTC, whole seconds.
//!
//! The only place in the proxy that reads the clock; everything else is handed `now`.
use std::time::{SystemTime, UNIX_EPOCH};

/// Now, as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn now_utc() -> String {
    format_unix(unix_now())
}

/// Seconds since the Unix epoch, now.
pub fn unix_now() -> u64 {
    // A clock before 1970 is a broken machine; the epoch is as good an answer as any.
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Seconds since the Unix epoch as `YYYY-MM-DDTHH:MM:SSZ` (proleptic Gregorian, UTC).
pub fn format_unix(secs: u64) -> String {
    // Calendar arithmetic has one home: the planner's `Date` (days since 1970-01-01).
    let days = i32::try_from(secs / 86_400).unwrap_or(i32::MAX);
    let (y, m, d) = cutover_plan::Date::from_days(days).ymd();
    let rem = secs % 86_400;
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(format_unix(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_unix(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(format_unix(1_743_498_000), "2025-04-01T09:00:00Z");
        assert_eq!(format_unix(4_102_444_799), "2099-12-31T23:59:59Z");
    }

    #[test]
    fn now_is_well_formed() {
        let now = now_utc();
        assert_eq!(now.len(), 20);
        assert!(now.ends_with('Z') && now.as_bytes()[10] == b'T');
    }
}
