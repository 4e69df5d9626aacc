//! A chat's daily plan and when it fires.
//!
//! A group that relies on a question of the day expects it at the same local
//! clock time every day, through daylight saving changes, exactly once per
//! day, and expects the answer to follow. This module turns a plan
//! (`/daily 09:00 Asia/Shanghai`, `/reveal 21:00`) into instants. It is pure:
//! it never sleeps, sends, reads the clock or keeps state; every function that
//! depends on time takes `now`, and what was already done comes in as
//! arguments from the store.
//!
//! Semantics, shared by every function here:
//! - A post is planned once per local date of the plan's zone: the civil
//!   date-time `date + time` resolved in the zone with jiff's `Compatible`
//!   rule (a time in a skipped hour moves forward by the gap, 02:30 on a
//!   New York spring-forward day fires at 03:30 EDT; a repeated hour uses its
//!   first occurrence). Days are never made by adding 24 hours.
//! - A post whose planned instant passed while the bot was down is still sent
//!   if no more than `grace` has gone by (across midnight too); otherwise that
//!   date is skipped. Only the most recent missed date can be posted late.
//! - A reveal belongs to the latest posted date; it is never earlier than
//!   that question and never later than the next date's planned post, so the
//!   answer always comes before (or with) the next question when reveals are
//!   handled before posts in the same wake-up. Once a newer question has been
//!   posted, the older one's reveal is stale and dropped.

mod days;
mod parse;
mod reveal;
mod timing;
mod weekly;
mod zone;

#[cfg(test)]
mod props;
#[cfg(test)]
mod test_support;

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

pub use days::{Days, MAX_EVERY, looks_like_days, parse_days};
pub use parse::{
    RevealDescription, describe_reveal, format_reveal, format_time, parse_reveal, parse_time,
    parse_zone,
};
pub use reveal::{due_reveal, pending_reveal, reveal_instant, reveal_on_next_day};
pub use timing::{PostDecision, due_post, local_date, next_post_instant, post_instant};
pub use weekly::{WeeklyPlan, due_weekly, next_weekly, parse_weekday};
pub use zone::NamedZone;

/// How late a missed post may still be sent when the bot comes back.
pub const DEFAULT_GRACE: SignedDuration = SignedDuration::from_hours(2);

/// The shortest reveal delay `/reveal <N>m` accepts.
pub const MIN_REVEAL_DELAY: SignedDuration = SignedDuration::from_mins(1);

/// The longest reveal delay `/reveal <N>h` accepts (23h59m).
pub const MAX_REVEAL_DELAY: SignedDuration = SignedDuration::from_mins(24 * 60 - 1);

/// A chat's daily question: when, where, which topic, and when to reveal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DailyPlan {
    /// Local time of day, whole minutes (`HH:MM:00`).
    pub time: Time,
    /// The zone the time is read in.
    pub zone: TimeZone,
    /// The zone's canonical IANA name, as stored and shown (`Asia/Shanghai`).
    pub zone_name: String,
    /// Which questions the daily post picks from.
    pub filter: PlanFilter,
    /// When the day's answer is revealed on its own.
    pub reveal: RevealRule,
    /// The local dates it posts on.
    pub days: Days,
    /// The first local date it may post on: a plan set after the day's
    /// time has passed starts on the next matching date. `None`: no limit
    /// (plans stored before this existed).
    pub starts_on: Option<Date>,
}

/// Which questions a daily post may pick: those of one deck, those with
/// any of some tags, or both conditions. Empty: the whole bank.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PlanFilter {
    pub deck: Option<String>,
    pub tags: Vec<String>,
}

impl PlanFilter {
    /// The tags as stored: comma-separated, `None` when there are none.
    pub fn tags_text(&self) -> Option<String> {
        (!self.tags.is_empty()).then(|| self.tags.join(","))
    }

    /// Reads the stored tags text back.
    pub fn with_tags_text(deck: Option<String>, tags: Option<&str>) -> PlanFilter {
        let tags = tags
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect();
        PlanFilter { deck, tags }
    }
}

impl DailyPlan {
    /// Builds a plan from its stored or typed parts (`"09:00"`,
    /// `"Asia/Shanghai"`, `"21:00" | "6h" | "off"`), validating each.
    /// `format_time`, `zone_name` and `format_reveal` give parts this accepts.
    pub fn from_parts(
        time: &str,
        zone: &str,
        filter: PlanFilter,
        reveal: &str,
    ) -> Result<DailyPlan, ScheduleError> {
        let (zone_name, zone) = parse_zone(zone)?;
        Ok(DailyPlan {
            time: parse_time(time)?,
            zone,
            zone_name,
            filter,
            reveal: parse_reveal(reveal)?,
            days: Days::Every,
            starts_on: None,
        })
    }

    /// Every day at `time` in UTC: the whole bank, no reveal.
    pub fn utc(time: Time) -> DailyPlan {
        DailyPlan::every_day(time, TimeZone::UTC, "UTC".to_string())
    }

    /// Every day at `time` in `zone` (named `zone_name`): the whole bank,
    /// no reveal — a reminder's rule.
    pub fn every_day(time: Time, zone: TimeZone, zone_name: String) -> DailyPlan {
        DailyPlan {
            time,
            zone,
            zone_name,
            filter: PlanFilter::default(),
            reveal: RevealRule::Off,
            days: Days::Every,
            starts_on: None,
        }
    }

    /// The first local date this plan may post on if it is set at `now`:
    /// today when today's post time is still ahead, else tomorrow. A plan
    /// made late is not a post missed while the bot was down.
    pub fn first_date_if_set_at(&self, now: Timestamp) -> Date {
        let today = local_date(self, now);
        if post_instant(self, today) > now {
            today
        } else {
            today.tomorrow().unwrap_or(today)
        }
    }
}

/// When a day's answer is revealed without anyone asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RevealRule {
    /// Only on request (`/answer` or the button). The default.
    #[default]
    Off,
    /// At this local time: the post's date if later than the post time,
    /// otherwise the next date (see [`reveal_instant`]).
    At(Time),
    /// This long after the question was actually posted (absolute time,
    /// 1m..=23h59m).
    After(SignedDuration),
}

/// A plan part a user typed that cannot be used. `Display` is the reply.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("`{0}` is not a time: use HH:MM, 24-hour, like 09:00")]
    BadTime(String),
    #[error("unknown time zone `{0}`: use an IANA name like Asia/Shanghai or Europe/London")]
    BadZone(String),
    #[error("unknown time zone `{input}`: did you mean {suggestion}?")]
    ZoneTypo { input: String, suggestion: String },
    #[error(
        "`{input}` is a UTC offset, not a time zone: use an IANA name like Asia/Shanghai{}",
        fixed_zone_hint(.fixed_zone)
    )]
    OffsetNotZone {
        input: String,
        /// The `Etc/GMT±N` zone with the same fixed offset, when there is one.
        fixed_zone: Option<String>,
    },
    #[error(
        "`{0}` is not a reveal rule: use a time like 21:00, a delay like 6h, 90m or 1h30m, or off"
    )]
    BadReveal(String),
    #[error("a reveal delay of `{0}` is out of range: use 1m to 23h59m")]
    RevealDelayOutOfRange(String),
    #[error("`{0}` is not a day rule: use weekdays, day names like mon,wed,fri, or every 2 days")]
    BadDays(String),
    #[error("`{0}` is out of range: use every 2 days up to every 30 days")]
    EveryOutOfRange(String),
    #[error("`{0}` is not a day of the week: use mon, tue, wed, thu, fri, sat or sun")]
    BadWeekday(String),
}

fn fixed_zone_hint(fixed_zone: &Option<String>) -> String {
    match fixed_zone {
        Some(name) => format!(" (or {name} for that fixed offset)"),
        None => String::new(),
    }
}

/// The next instant anything of this plan may need doing: the next post
/// (see [`next_post_instant`]) or the pending reveal, whichever is first. It
/// is at or before `now` when something is due now. Handle due reveals before
/// due posts so a late answer goes out before the next question.
pub fn next_wake(
    plan: &DailyPlan,
    now: Timestamp,
    last_done: Option<Date>,
    posted: Option<(Date, Timestamp)>,
    revealed: bool,
    grace: SignedDuration,
) -> Timestamp {
    let post = next_post_instant(plan, now, last_done, grace);
    match pending_reveal(plan, posted, revealed) {
        Some(reveal) => post.min(reveal),
        None => post,
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::{date, plan, ts};
    use super::*;

    #[test]
    fn from_parts_round_trips_through_the_stored_forms() {
        let p = DailyPlan::from_parts(
            "9:05",
            "asia/shanghai",
            PlanFilter::with_tags_text(None, Some("rag")),
            "90m",
        )
        .unwrap();
        assert_eq!(p.zone_name, "Asia/Shanghai");
        let again = DailyPlan::from_parts(
            &format_time(p.time),
            &p.zone_name,
            p.filter.clone(),
            &format_reveal(&p.reveal),
        )
        .unwrap();
        assert_eq!(again, p);
        assert_eq!(format_reveal(&p.reveal), "1h30m");
    }

    #[test]
    fn from_parts_reports_the_first_bad_part() {
        let err =
            DailyPlan::from_parts("09:00", "Mars/Base", PlanFilter::default(), "off").unwrap_err();
        assert!(matches!(err, ScheduleError::BadZone(_)));
        let err = DailyPlan::from_parts("09:00", "UTC", PlanFilter::default(), "0m").unwrap_err();
        assert!(matches!(err, ScheduleError::RevealDelayOutOfRange(_)));
    }

    #[test]
    fn next_wake_prefers_a_pending_reveal_before_the_next_post() {
        let p = plan("09:00", "Asia/Shanghai", "21:00");
        let posted = Some((date("2026-05-01"), ts("2026-05-01T01:00:00Z")));
        let now = ts("2026-05-01T02:00:00Z");
        let last = Some(date("2026-05-01"));
        // 21:00 Shanghai is 13:00Z, before the next post at 01:00Z on the 2nd.
        let wake = next_wake(&p, now, last, posted, false, DEFAULT_GRACE);
        assert_eq!(wake, ts("2026-05-01T13:00:00Z"));
        let wake = next_wake(&p, now, last, posted, true, DEFAULT_GRACE);
        assert_eq!(wake, ts("2026-05-02T01:00:00Z"));
    }
}
