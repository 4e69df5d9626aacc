//! Reading and writing the plan parts people type: `09:00`, `6h`, `off`.
//!
//! Parsing is strict where a mistake would silently post at the wrong time
//! (`9:5`, `24:00`, a bare `9`) and lenient where intent is clear (a leading
//! space, `9:00` for `09:00`, a full-width colon `09：00`, `90m`, `1h30m`,
//! `6小时`). The formatted forms are what the store keeps and `/settings`
//! shows, and they parse back to the same value.

use jiff::SignedDuration;
use jiff::civil::Time;

use super::{MAX_REVEAL_DELAY, MIN_REVEAL_DELAY, RevealRule, ScheduleError};

pub use super::zone::parse_zone;

/// The longest piece of user input echoed back in an error.
const ECHO_LIMIT: usize = 40;

/// Parses `H:MM` or `HH:MM`, 24-hour (`9:00`, `09:00`, `21:30`). Rejects
/// `24:00`, `9`, `9:5`, `09:60` and seconds.
pub fn parse_time(s: &str) -> Result<Time, ScheduleError> {
    let text = s.trim();
    clock_time(text).ok_or_else(|| ScheduleError::BadTime(echo(text)))
}

fn clock_time(text: &str) -> Option<Time> {
    let (hour, minute) = text.split_once([':', '：'])?;
    let hour = digits(hour, 1, 2)?;
    let minute = digits(minute, 2, 2)?;
    if hour > 23 || minute > 59 {
        return None;
    }
    Time::new(hour as i8, minute as i8, 0, 0).ok()
}

/// Parses a reveal rule: `off`, a local time `HH:MM`, or a delay after the
/// post: `6h`, `90m`, `1h30m`, `2 hours`, `6小时`, `90分钟`, from 1m to 23h59m.
pub fn parse_reveal(s: &str) -> Result<RevealRule, ScheduleError> {
    let text = s.trim();
    let lower = text.to_lowercase();
    if lower == "off" {
        return Ok(RevealRule::Off);
    }
    if lower.contains([':', '：']) {
        return parse_time(text).map(RevealRule::At);
    }
    let minutes = delay_minutes(&lower).ok_or_else(|| ScheduleError::BadReveal(echo(text)))?;
    let allowed = MIN_REVEAL_DELAY.as_mins()..=MAX_REVEAL_DELAY.as_mins();
    match i64::try_from(minutes) {
        Ok(minutes) if allowed.contains(&minutes) => {
            Ok(RevealRule::After(SignedDuration::from_mins(minutes)))
        }
        _ => Err(ScheduleError::RevealDelayOutOfRange(echo(text))),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Unit {
    Hours,
    Minutes,
}

/// Unit spellings, longest first so `hours` is not read as `h` + `ours`.
const UNITS: [(&str, Unit); 13] = [
    ("hours", Unit::Hours),
    ("hour", Unit::Hours),
    ("hrs", Unit::Hours),
    ("hr", Unit::Hours),
    ("h", Unit::Hours),
    ("小时", Unit::Hours),
    ("minutes", Unit::Minutes),
    ("minute", Unit::Minutes),
    ("mins", Unit::Minutes),
    ("min", Unit::Minutes),
    ("m", Unit::Minutes),
    ("分钟", Unit::Minutes),
    ("分", Unit::Minutes),
];

/// Total minutes of `<N>h`, `<N>m` or `<N>h<M>m` (hours first, each once),
/// saturating on absurd numbers so they are reported as out of range.
fn delay_minutes(text: &str) -> Option<u64> {
    let mut rest = text.trim_start();
    let mut total: u64 = 0;
    let mut last_unit = None;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let digit_count = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digit_count == 0 {
            return None;
        }
        let value: u64 = rest[..digit_count].parse().unwrap_or(u64::MAX);
        let (unit, after) = take_unit(rest[digit_count..].trim_start())?;
        if last_unit.is_some_and(|last| last >= unit) {
            return None;
        }
        let per_unit = if unit == Unit::Hours { 60 } else { 1 };
        total = total.saturating_add(value.saturating_mul(per_unit));
        last_unit = Some(unit);
        rest = after.trim_start();
    }
    Some(total)
}

fn take_unit(text: &str) -> Option<(Unit, &str)> {
    UNITS
        .iter()
        .find_map(|(name, unit)| text.strip_prefix(name).map(|after| (*unit, after)))
}

/// `09:00`: two-digit hour and minute.
pub fn format_time(t: Time) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// The canonical text of a rule, which `parse_reveal` reads back:
/// `off`, `21:00`, `6h`, `45m`, `1h30m`.
pub fn format_reveal(rule: &RevealRule) -> String {
    match describe_reveal(rule) {
        RevealDescription::OnRequest => "off".to_string(),
        RevealDescription::AtLocalTime(t) => format_time(t),
        RevealDescription::AfterPost { hours: 0, minutes } => format!("{minutes}m"),
        RevealDescription::AfterPost { hours, minutes: 0 } => format!("{hours}h"),
        RevealDescription::AfterPost { hours, minutes } => format!("{hours}h{minutes}m"),
    }
}

/// A reveal rule in parts the engine can phrase in any language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevealDescription {
    /// Only when someone asks (`/answer` or the button).
    OnRequest,
    /// At this local time, in the plan's zone. Whether that is the post's day
    /// or the next one: [`super::reveal_on_next_day`].
    AtLocalTime(Time),
    /// This long after the question was posted: whole hours, then minutes.
    AfterPost { hours: i64, minutes: i64 },
}

/// Describes `rule` without wording it.
pub fn describe_reveal(rule: &RevealRule) -> RevealDescription {
    match *rule {
        RevealRule::Off => RevealDescription::OnRequest,
        RevealRule::At(t) => RevealDescription::AtLocalTime(t),
        RevealRule::After(delay) => {
            let total = delay.as_mins();
            RevealDescription::AfterPost {
                hours: total / 60,
                minutes: total % 60,
            }
        }
    }
}

/// `s` as an unsigned number when it is `min_len..=max_len` ASCII digits.
pub(super) fn digits(s: &str, min_len: usize, max_len: usize) -> Option<u32> {
    let well_formed =
        (min_len..=max_len).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    if well_formed { s.parse().ok() } else { None }
}

/// User input as echoed in an error: trimmed and cut to a readable length.
pub(super) fn echo(s: &str) -> String {
    let trimmed = s.trim();
    if trimmed.chars().count() <= ECHO_LIMIT {
        return trimmed.to_string();
    }
    let mut short: String = trimmed.chars().take(ECHO_LIMIT).collect();
    short.push('…');
    short
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::time;

    fn hm(h: i8, m: i8) -> Time {
        time(h, m, 0, 0)
    }

    fn after_mins(m: i64) -> RevealRule {
        RevealRule::After(SignedDuration::from_mins(m))
    }

    #[test]
    fn times_in_both_widths_are_read() {
        assert_eq!(parse_time("9:00").unwrap(), hm(9, 0));
        assert_eq!(parse_time("09:00").unwrap(), hm(9, 0));
        assert_eq!(parse_time("21:30").unwrap(), hm(21, 30));
        assert_eq!(parse_time("00:00").unwrap(), hm(0, 0));
        assert_eq!(parse_time("23:59").unwrap(), hm(23, 59));
        assert_eq!(parse_time(" 07:45 ").unwrap(), hm(7, 45));
        assert_eq!(parse_time("09：00").unwrap(), hm(9, 0), "full-width colon");
    }

    #[test]
    fn bad_times_are_refused_with_the_expected_form() {
        for bad in [
            "24:00", "25:00", "9", "9:5", "09:60", "09:00:00", "", ":", "9:", ":30", "-1:00",
            "+9:00", "009:00", "9:000", "a9:00", "９:00", "9.00", "9h",
        ] {
            assert!(
                matches!(parse_time(bad), Err(ScheduleError::BadTime(_))),
                "{bad:?} should be refused"
            );
        }
        assert_eq!(
            parse_time("25:00").unwrap_err().to_string(),
            "`25:00` is not a time: use HH:MM, 24-hour, like 09:00"
        );
    }

    #[test]
    fn reveal_forms_are_read() {
        assert_eq!(parse_reveal("off").unwrap(), RevealRule::Off);
        assert_eq!(parse_reveal("OFF").unwrap(), RevealRule::Off);
        assert_eq!(parse_reveal("21:00").unwrap(), RevealRule::At(hm(21, 0)));
        assert_eq!(parse_reveal("6h").unwrap(), after_mins(360));
        assert_eq!(parse_reveal("90m").unwrap(), after_mins(90));
        assert_eq!(parse_reveal("1h30m").unwrap(), after_mins(90));
        assert_eq!(parse_reveal("1h 30m").unwrap(), after_mins(90));
        assert_eq!(parse_reveal("2 hours").unwrap(), after_mins(120));
        assert_eq!(parse_reveal("45min").unwrap(), after_mins(45));
        assert_eq!(parse_reveal("6H").unwrap(), after_mins(360));
        assert_eq!(parse_reveal("6小时").unwrap(), after_mins(360));
        assert_eq!(parse_reveal("90分钟").unwrap(), after_mins(90));
        assert_eq!(parse_reveal("1m").unwrap(), after_mins(1));
        assert_eq!(parse_reveal("23h59m").unwrap(), after_mins(23 * 60 + 59));
        assert_eq!(parse_reveal("1439m").unwrap(), after_mins(1439));
    }

    #[test]
    fn reveal_delays_outside_one_minute_to_a_day_are_refused() {
        for bad in [
            "0h",
            "0m",
            "0h0m",
            "24h",
            "1440m",
            "23h60m",
            "99999999999999999999999h",
        ] {
            assert!(
                matches!(
                    parse_reveal(bad),
                    Err(ScheduleError::RevealDelayOutOfRange(_))
                ),
                "{bad:?} should be out of range"
            );
        }
        assert_eq!(
            parse_reveal("24h").unwrap_err().to_string(),
            "a reveal delay of `24h` is out of range: use 1m to 23h59m"
        );
    }

    #[test]
    fn malformed_reveals_are_refused_with_the_expected_form() {
        for bad in [
            "", "6", "h", "6x", "30m1h", "1h1h", "6h30", "-6h", "1.5h", "on", "6 h m",
        ] {
            assert!(
                matches!(parse_reveal(bad), Err(ScheduleError::BadReveal(_))),
                "{bad:?} should be refused"
            );
        }
        assert_eq!(
            parse_reveal("soon").unwrap_err().to_string(),
            "`soon` is not a reveal rule: use a time like 21:00, a delay like 6h, 90m or 1h30m, or off"
        );
        assert_eq!(
            parse_reveal("25:00").unwrap_err(),
            ScheduleError::BadTime("25:00".into()),
            "a reveal time gets the time error"
        );
    }

    #[test]
    fn formatting_pads_and_round_trips() {
        assert_eq!(format_time(hm(9, 0)), "09:00");
        assert_eq!(format_time(hm(0, 5)), "00:05");
        assert_eq!(format_time(hm(23, 59)), "23:59");
        for (text, canonical) in [
            ("off", "off"),
            ("21:00", "21:00"),
            ("6h", "6h"),
            ("90m", "1h30m"),
            ("45m", "45m"),
            ("2 hours", "2h"),
            ("23h59m", "23h59m"),
        ] {
            let rule = parse_reveal(text).unwrap();
            assert_eq!(format_reveal(&rule), canonical);
            assert_eq!(parse_reveal(canonical).unwrap(), rule);
        }
    }

    #[test]
    fn descriptions_split_delays_into_hours_and_minutes() {
        assert_eq!(
            describe_reveal(&RevealRule::Off),
            RevealDescription::OnRequest
        );
        assert_eq!(
            describe_reveal(&RevealRule::At(hm(21, 0))),
            RevealDescription::AtLocalTime(hm(21, 0))
        );
        assert_eq!(
            describe_reveal(&after_mins(90)),
            RevealDescription::AfterPost {
                hours: 1,
                minutes: 30
            }
        );
    }

    #[test]
    fn long_input_is_shortened_in_errors() {
        let long = "9".repeat(300);
        let message = parse_time(&long).unwrap_err().to_string();
        assert!(message.contains('…'));
        assert!(message.chars().count() < 100);
    }
}
