//! Snowflakes and timestamps as Discord writes them: ids are 64-bit numbers carrying their
//! creation time (milliseconds since 2015-01-01) and travel as JSON strings; times are
//! ISO 8601 with microseconds and a `+00:00` offset.

use std::time::{SystemTime, UNIX_EPOCH};

const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;

/// Hands out increasing, unique snowflakes.
#[derive(Debug, Default)]
pub(crate) struct Snowflakes {
    last: u64,
}

impl Snowflakes {
    pub fn next(&mut self) -> u64 {
        let from_clock = (unix_millis().saturating_sub(DISCORD_EPOCH_MS)) << 22;
        self.last = from_clock.max(self.last + 1);
        self.last
    }
}

fn unix_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// The creation time of a snowflake as Discord's ISO 8601 timestamp.
pub(crate) fn timestamp_of(snowflake: u64) -> String {
    iso8601((snowflake >> 22) + DISCORD_EPOCH_MS)
}

/// Now, as Discord's ISO 8601 timestamp.
pub(crate) fn now_timestamp() -> String {
    iso8601(unix_millis())
}

/// Unix seconds as a float, as in `X-RateLimit-Reset`.
pub(crate) fn unix_seconds_f64() -> f64 {
    unix_millis() as f64 / 1000.0
}

fn iso8601(unix_ms: u64) -> String {
    let (secs, ms) = (unix_ms / 1000, unix_ms % 1000);
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(i64::try_from(days).unwrap_or(0));
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{ms:03}000+00:00",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snowflakes_increase_and_carry_their_time() {
        let mut ids = Snowflakes::default();
        let (a, b) = (ids.next(), ids.next());
        assert!(b > a);
        assert!(timestamp_of(a).starts_with("20"));
    }

    #[test]
    fn iso8601_matches_known_dates() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00.000000+00:00");
        assert_eq!(
            iso8601(1_709_251_199_123),
            "2024-02-29T23:59:59.123000+00:00"
        );
        assert_eq!(timestamp_of(0), "2015-01-01T00:00:00.000000+00:00");
    }
}
