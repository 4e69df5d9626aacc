//! When a chat's daily question is planned, due, missed, and next.
//!
//! Each local date of the plan's zone has one planned instant: the civil
//! date-time resolved in the zone (jiff `Compatible`: forward over a gap,
//! first occurrence in a fold). The caller passes the latest local date it
//! has *done* (posted, or reported skipped), so a date is never posted twice
//! and the functions need no state.

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use super::{DailyPlan, MAX_EVERY};

/// What the post side must do now for one chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostDecision {
    /// Post the question of this local date now (on time or late within
    /// grace), then record the date as done.
    Due(Date),
    /// This date's planned instant passed more than `grace` ago and it was
    /// never posted: log it, and record it as done so it is reported once.
    Skipped(Date),
    /// Nothing to post now.
    NotDue,
}

/// The instant the daily post of local date `date` is planned for: `date`
/// at the plan's time in its zone. A time in a skipped hour moves forward by
/// the length of the gap; a repeated hour uses its first occurrence.
pub fn post_instant(plan: &DailyPlan, date: Date) -> Timestamp {
    resolve(&plan.zone, date, plan.time)
}

/// The local date in the plan's zone of an instant.
pub fn local_date(plan: &DailyPlan, at: Timestamp) -> Date {
    plan.zone.to_datetime(at).date()
}

/// Whether a question must be posted now.
///
/// Looks at the local dates of today, yesterday and the day before (a 23:30
/// post with a 2 h grace is still due at 01:00 the next day), newest first,
/// and decides on the newest date that is not done and whose planned instant
/// is not in the future: `Due` when `now` is at most `grace` after it
/// (inclusive), else `Skipped`. Older missed dates are never replayed.
/// `last_done` is the latest local date posted or recorded as skipped; a
/// negative `grace` counts as zero.
///
/// Dates the plan's day rule leaves out are passed over, and dates before
/// its `starts_on` are never due: a plan set (or moved) after today's time
/// first posts on its next matching date, however close the grace window.
pub fn due_post(
    plan: &DailyPlan,
    now: Timestamp,
    last_done: Option<Date>,
    grace: SignedDuration,
) -> PostDecision {
    let grace = grace.max(SignedDuration::ZERO);
    let today = local_date(plan, now);
    let yesterday = previous_day(today);
    for date in [today, yesterday, previous_day(yesterday)] {
        if last_done.is_some_and(|done| done >= date)
            || plan.starts_on.is_some_and(|first| date < first)
        {
            return PostDecision::NotDue;
        }
        if !plan.days.matches(date) {
            continue;
        }
        let planned = post_instant(plan, date);
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

/// When the scheduler should next look at this plan's posts: the planned
/// instant of the post that is due now (at or before `now`), or else the
/// earliest planned instant strictly after `now` of a matching date after
/// `last_done` and not before `starts_on`. Sleeping until it never misses a post: at that instant
/// `due_post` says `Due`.
pub fn next_post_instant(
    plan: &DailyPlan,
    now: Timestamp,
    last_done: Option<Date>,
    grace: SignedDuration,
) -> Timestamp {
    if let PostDecision::Due(date) = due_post(plan, now, last_done, grace) {
        return post_instant(plan, date);
    }
    let yesterday = previous_day(local_date(plan, now));
    let mut date = match last_done {
        Some(done) if done >= yesterday => match done.tomorrow() {
            Ok(next) => next,
            Err(_) => return Timestamp::MAX,
        },
        _ => yesterday,
    };
    if let Some(first) = plan.starts_on {
        date = date.max(first);
    }
    // A planned instant is within a day or so of its local date, and a day
    // rule matches at least once in any `MAX_EVERY` dates, so this loop
    // always finds one.
    for _ in 0..(u32::from(MAX_EVERY) + 8) {
        let planned = post_instant(plan, date);
        if plan.days.matches(date) && planned > now {
            return planned;
        }
        date = next_day(date);
    }
    Timestamp::MAX
}

/// `date` at `time` in `zone`, resolved with `Compatible` disambiguation.
/// Saturates at the ends of jiff's range instead of failing.
pub(super) fn resolve(zone: &TimeZone, date: Date, time: Time) -> Timestamp {
    zone.to_ambiguous_timestamp(date.to_datetime(time))
        .compatible()
        .unwrap_or(if date.year() > 0 {
            Timestamp::MAX
        } else {
            Timestamp::MIN
        })
}

/// The next date, or `date` itself at the end of the calendar.
pub(super) fn next_day(date: Date) -> Date {
    date.tomorrow().unwrap_or(date)
}

fn previous_day(date: Date) -> Date {
    date.yesterday().unwrap_or(date)
}

#[cfg(test)]
#[path = "timing_tests.rs"]
mod tests;
