//! A weekly rule (`/digest mon 09:00`): one instant per week, on a weekday
//! at a local time in a zone, with the daily plan's semantics: a local date
//! resolved with jiff's `Compatible` rule (DST-correct), at most once per
//! date (the caller passes the latest date done), and a missed instant
//! still honoured within `grace`, else skipped.

use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};

use super::timing::resolve;
use super::{PostDecision, ScheduleError, parse_time, parse_zone};

/// Once a week, on `weekday` at `time` in `zone`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeeklyPlan {
    pub weekday: Weekday,
    pub time: Time,
    pub zone: TimeZone,
    /// The zone's canonical IANA name, as stored and shown.
    pub zone_name: String,
}

impl WeeklyPlan {
    /// From stored or typed parts: `"mon"`, `"09:00"`, `"Asia/Shanghai"`.
    pub fn from_parts(weekday: &str, time: &str, zone: &str) -> Result<WeeklyPlan, ScheduleError> {
        let weekday = parse_weekday(weekday)
            .ok_or_else(|| ScheduleError::BadWeekday(weekday.chars().take(40).collect()))?;
        let (zone_name, zone) = parse_zone(zone)?;
        Ok(WeeklyPlan {
            weekday,
            time: parse_time(time)?,
            zone,
            zone_name,
        })
    }
}

/// `mon`, `Monday`, `周一`, `星期一` (any case), or `1`–`7` (Monday first).
pub fn parse_weekday(text: &str) -> Option<Weekday> {
    let lower = text.trim().to_lowercase();
    let zh = ["一", "二", "三", "四", "五", "六", "日"];
    let en = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let index = en
        .iter()
        .position(|d| lower.starts_with(d) && lower.len() >= 3)
        .or_else(|| {
            let rest = lower
                .strip_prefix("周")
                .or_else(|| lower.strip_prefix("星期"))?;
            let rest = if rest == "天" { "日" } else { rest };
            zh.iter().position(|d| *d == rest)
        })
        .or_else(|| {
            lower
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=7).contains(n))
                .map(|n| n - 1)
        })?;
    Weekday::from_monday_one_offset(index as i8 + 1).ok()
}

/// The latest date on or before `today` that falls on `weekday`.
fn latest_on(weekday: Weekday, today: Date) -> Date {
    let back = i64::from(today.weekday().since(weekday));
    today.checked_sub(back.days()).unwrap_or(today)
}

fn weeks(date: Date, n: i64) -> Date {
    date.checked_add((7 * n).days()).unwrap_or(date)
}

/// Whether the week's instant is due now: the newest date on the plan's
/// weekday that is not done and not in the future is `Due` within `grace`
/// of its instant, else `Skipped`. Older weeks are never replayed.
pub fn due_weekly(
    plan: &WeeklyPlan,
    now: Timestamp,
    last_done: Option<Date>,
    grace: SignedDuration,
) -> PostDecision {
    let grace = grace.max(SignedDuration::ZERO);
    let latest = latest_on(plan.weekday, plan.zone.to_datetime(now).date());
    for date in [latest, weeks(latest, -1)] {
        if last_done.is_some_and(|done| done >= date) {
            return PostDecision::NotDue;
        }
        let planned = resolve(&plan.zone, date, plan.time);
        if planned > now {
            continue;
        }
        return if now.duration_since(planned) <= grace {
            PostDecision::Due(date)
        } else {
            PostDecision::Skipped(date)
        };
    }
    PostDecision::NotDue
}

/// When to look at the plan next: the instant due now, or else the first
/// instant after `now` of a date after `last_done`.
pub fn next_weekly(
    plan: &WeeklyPlan,
    now: Timestamp,
    last_done: Option<Date>,
    grace: SignedDuration,
) -> Timestamp {
    if let PostDecision::Due(date) = due_weekly(plan, now, last_done, grace) {
        return resolve(&plan.zone, date, plan.time);
    }
    let latest = latest_on(plan.weekday, plan.zone.to_datetime(now).date());
    for n in -1..=2 {
        let date = weeks(latest, n);
        if last_done.is_some_and(|done| done >= date) {
            continue;
        }
        let planned = resolve(&plan.zone, date, plan.time);
        if planned > now {
            return planned;
        }
    }
    Timestamp::MAX
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{date, ts};
    use super::*;

    fn monday_nine(zone: &str) -> WeeklyPlan {
        WeeklyPlan::from_parts("mon", "09:00", zone).unwrap()
    }

    #[test]
    fn weekdays_in_both_languages_and_numbers() {
        for text in ["mon", "Monday", "MON", "周一", "星期一", "1"] {
            assert_eq!(parse_weekday(text), Some(Weekday::Monday), "{text}");
        }
        assert_eq!(parse_weekday("周日"), Some(Weekday::Sunday));
        assert_eq!(parse_weekday("星期天"), Some(Weekday::Sunday));
        for text in ["mo", "8", "0", "someday", ""] {
            assert_eq!(parse_weekday(text), None, "{text}");
        }
    }

    #[test]
    fn due_once_on_its_weekday_and_next_a_week_later() {
        let p = monday_nine("Asia/Shanghai");
        // Monday 2026-11-30 09:00 Shanghai is 01:00Z.
        let at = ts("2026-11-30T01:00:00Z");
        let grace = SignedDuration::from_hours(2);
        // Set a minute early: last week's is long missed (skipped, not
        // posted late), this week's not yet due.
        assert_eq!(
            due_weekly(&p, ts("2026-11-30T00:59:59Z"), None, grace),
            PostDecision::Skipped(date("2026-11-23"))
        );
        let last_week = Some(date("2026-11-23"));
        assert_eq!(
            due_weekly(&p, ts("2026-11-30T00:59:59Z"), last_week, grace),
            PostDecision::NotDue
        );
        assert_eq!(next_weekly(&p, ts("2026-11-29T00:00:00Z"), None, grace), at);
        assert_eq!(
            due_weekly(&p, at, None, grace),
            PostDecision::Due(date("2026-11-30"))
        );
        let done = Some(date("2026-11-30"));
        assert_eq!(due_weekly(&p, at, done, grace), PostDecision::NotDue);
        assert_eq!(next_weekly(&p, at, done, grace), ts("2026-12-07T01:00:00Z"));
        // Missed by more than the grace: skipped, never posted late.
        assert_eq!(
            due_weekly(&p, ts("2026-11-30T04:00:00Z"), None, grace),
            PostDecision::Skipped(date("2026-11-30"))
        );
    }

    #[test]
    fn local_time_holds_across_a_dst_change() {
        // Sunday 2026-03-08 is New York's spring-forward day.
        let p = WeeklyPlan::from_parts("sun", "09:00", "America/New_York").unwrap();
        let grace = SignedDuration::from_hours(2);
        let before = next_weekly(&p, ts("2026-03-02T00:00:00Z"), None, grace);
        assert_eq!(before, ts("2026-03-08T13:00:00Z"));
        let done = Some(date("2026-03-08"));
        let after = next_weekly(&p, before, done, grace);
        assert_eq!(after, ts("2026-03-15T13:00:00Z"));
        let p = WeeklyPlan::from_parts("sun", "09:00", "Europe/London").unwrap();
        let winter = next_weekly(&p, ts("2026-03-23T00:00:00Z"), None, grace);
        assert_eq!(winter, ts("2026-03-29T08:00:00Z"), "BST began that night");
    }
}
