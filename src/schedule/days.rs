//! On which local dates a daily plan posts: every day, some weekdays, or
//! every N days counted from an anchor date.
//!
//! Groups that study on workdays only, or twice a week, ask for this next
//! to the time of day. The rule is read from what people type
//! (`weekdays`, `mon,wed,fri`, `every 2 days`, `工作日`, `周一,周三`, `每2天`)
//! and kept in one canonical text that reads back to the same rule. "Every N
//! days" counts from an anchor, the local date the rule was first set, so
//! restarts and later edits keep the same rhythm.

use jiff::civil::{Date, Weekday};

use super::ScheduleError;
use super::parse::{digits, echo};

/// The longest gap `every N days` accepts.
pub const MAX_EVERY: u8 = 30;

/// Which local dates a plan posts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Days {
    /// Every date (what every plan meant before day rules existed).
    #[default]
    Every,
    /// These weekdays: bit `n` is set for the weekday whose
    /// `to_monday_zero_offset` is `n`. Never empty.
    Weekdays(u8),
    /// Every `n` (2..=30) dates, counting from `anchor`.
    EveryN { n: u8, anchor: Date },
}

const WORKDAYS: u8 = 0b001_1111;
const EVERY_WEEKDAY: u8 = 0b111_1111;

/// English day names, short and long, Monday first.
const NAMES: [(&str, &str); 7] = [
    ("mon", "monday"),
    ("tue", "tuesday"),
    ("wed", "wednesday"),
    ("thu", "thursday"),
    ("fri", "friday"),
    ("sat", "saturday"),
    ("sun", "sunday"),
];

/// Chinese spellings that differ only in their prefix: `星期一`, `礼拜一`.
const ZH_PREFIXES: [&str; 3] = ["周", "星期", "礼拜"];
const ZH_DIGITS: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];

impl Days {
    /// Whether the plan posts on local date `date`.
    pub fn matches(&self, date: Date) -> bool {
        match *self {
            Days::Every => true,
            Days::Weekdays(mask) => mask & bit(date.weekday()) != 0,
            Days::EveryN { n, anchor } => {
                let days = (date - anchor).get_days();
                days.rem_euclid(i32::from(n.max(1))) == 0
            }
        }
    }

    /// The canonical text, which [`parse_days`] reads back (with the
    /// anchor kept apart): `daily`, `weekdays`, `mon,wed,fri`,
    /// `every 2 days`.
    pub fn text(&self) -> String {
        match *self {
            Days::Every => "daily".to_string(),
            Days::Weekdays(WORKDAYS) => "weekdays".to_string(),
            Days::Weekdays(mask) => (0..7)
                .filter(|i| mask & (1 << i) != 0)
                .map(|i| NAMES[i].0)
                .collect::<Vec<_>>()
                .join(","),
            Days::EveryN { n, .. } => format!("every {n} days"),
        }
    }

    /// The anchor to store, for `every N days`.
    pub fn anchor(&self) -> Option<Date> {
        match *self {
            Days::EveryN { anchor, .. } => Some(anchor),
            _ => None,
        }
    }
}

fn bit(day: Weekday) -> u8 {
    1 << day.to_monday_zero_offset()
}

/// Whether `text` looks like the start of a day rule, so `/daily` can tell
/// it from a zone or a tag.
pub fn looks_like_days(text: &str) -> bool {
    let lower = text.trim().to_lowercase();
    lower == "every"
        || lower.starts_with("every ")
        || lower.starts_with('每')
        || parse_days(&lower, Date::MIN).is_ok()
}

/// Reads a day rule. `anchor` is the date `every N days` counts from
/// (ignored by the other rules).
pub fn parse_days(text: &str, anchor: Date) -> Result<Days, ScheduleError> {
    let lower = text.trim().to_lowercase();
    let bad = || ScheduleError::BadDays(echo(text));
    match lower.as_str() {
        "daily" | "every day" | "everyday" | "每天" | "每日" => return Ok(Days::Every),
        "weekdays" | "workdays" | "工作日" => return Ok(Days::Weekdays(WORKDAYS)),
        "weekends" | "周末" => return Ok(Days::Weekdays(0b110_0000)),
        _ => {}
    }
    if let Some(n) = every_n(&lower) {
        return match n {
            Some(1) => Ok(Days::Every),
            Some(n) if (2..=u32::from(MAX_EVERY)).contains(&n) => {
                Ok(Days::EveryN { n: n as u8, anchor })
            }
            _ => Err(ScheduleError::EveryOutOfRange(echo(text))),
        };
    }
    let mut mask = 0u8;
    for name in lower.split([',', '，', '、']).map(str::trim) {
        mask |= 1 << day_index(name).ok_or_else(bad)?;
    }
    match mask {
        EVERY_WEEKDAY => Ok(Days::Every),
        mask => Ok(Days::Weekdays(mask)),
    }
}

/// `Some(n)` for `every N days`, `every N day`, `每N天`, `每隔N天` (with
/// `Some(None)`-like `None` inside when N is not a number in range).
fn every_n(lower: &str) -> Option<Option<u32>> {
    let number = if let Some(rest) = lower.strip_prefix("every") {
        let rest = rest.trim();
        let rest = rest
            .strip_suffix("days")
            .or_else(|| rest.strip_suffix("day"))
            .or_else(|| rest.strip_suffix('d'))?;
        rest.trim()
    } else {
        let rest = lower.strip_prefix('每')?;
        let rest = rest.strip_prefix('隔').unwrap_or(rest);
        rest.strip_suffix('天')?.trim()
    };
    Some(digits(number, 1, 3))
}

fn day_index(name: &str) -> Option<u8> {
    if let Some(i) = NAMES.iter().position(|(s, l)| *s == name || *l == name) {
        return Some(i as u8);
    }
    let rest = ZH_PREFIXES.iter().find_map(|p| name.strip_prefix(p))?;
    let rest = if rest == "天" { "日" } else { rest };
    ZH_DIGITS.iter().position(|d| *d == rest).map(|i| i as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        text.parse().unwrap()
    }

    #[test]
    fn forms_are_read_and_round_trip() {
        let anchor = d("2026-03-02");
        for (text, canonical) in [
            ("weekdays", "weekdays"),
            ("工作日", "weekdays"),
            ("mon,wed,fri", "mon,wed,fri"),
            ("Friday,monday", "mon,fri"),
            ("周一，周三、星期五", "mon,wed,fri"),
            ("sat,sun", "sat,sun"),
            ("周末", "sat,sun"),
            ("every 2 days", "every 2 days"),
            ("every 3d", "every 3 days"),
            ("每2天", "every 2 days"),
            ("每隔 3 天", "every 3 days"),
            ("every 1 day", "daily"),
            ("daily", "daily"),
            ("每天", "daily"),
            ("mon,tue,wed,thu,fri,sat,sun", "daily"),
        ] {
            let days = parse_days(text, anchor).unwrap();
            assert_eq!(days.text(), canonical, "{text}");
            assert_eq!(parse_days(canonical, anchor).unwrap(), days);
        }
    }

    #[test]
    fn bad_rules_are_refused() {
        let anchor = d("2026-03-02");
        for bad in ["", "mon,,wed", "someday", "mon,funday", "每周"] {
            assert!(
                matches!(parse_days(bad, anchor), Err(ScheduleError::BadDays(_))),
                "{bad:?}"
            );
        }
        for bad in ["every 0 days", "every 31 days", "every x days", "每0天"] {
            assert!(
                matches!(
                    parse_days(bad, anchor),
                    Err(ScheduleError::EveryOutOfRange(_))
                ),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn matching_dates() {
        let weekdays = parse_days("weekdays", Date::MIN).unwrap();
        assert!(weekdays.matches(d("2026-03-06")), "a Friday");
        assert!(!weekdays.matches(d("2026-03-07")), "a Saturday");
        let every2 = parse_days("every 2 days", d("2026-03-02")).unwrap();
        assert!(every2.matches(d("2026-03-02")));
        assert!(!every2.matches(d("2026-03-03")));
        assert!(every2.matches(d("2026-03-04")));
        assert!(every2.matches(d("2026-02-28")), "before the anchor too");
        assert!(looks_like_days("every") && looks_like_days("mon,fri"));
        assert!(!looks_like_days("Asia/Shanghai") && !looks_like_days("training"));
    }
}
