//! Streaks, retention and the leaderboard's order: pure arithmetic over a
//! person's ratings, in their own zone, so every rule is testable with a
//! fixed `now`.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

/// A person's streaks, in days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Streaks {
    /// Consecutive local days with a rating, up to today (or up to
    /// yesterday while today has none yet: the day is not over).
    pub current: i64,
    pub longest: i64,
}

/// The local date of `at` (Unix seconds) in `zone`.
pub fn local_date(at: i64, zone: &TimeZone) -> Date {
    zone.to_datetime(Timestamp::from_second(at).unwrap_or(Timestamp::UNIX_EPOCH))
        .date()
}

/// Streaks from the instants of a person's ratings (any order).
pub fn streaks(ratings: &[i64], zone: &TimeZone, now: Timestamp) -> Streaks {
    let mut days: Vec<Date> = ratings.iter().map(|&at| local_date(at, zone)).collect();
    days.sort_unstable();
    days.dedup();
    let mut longest = 0;
    let mut run = 0;
    let mut previous: Option<Date> = None;
    for &day in &days {
        run = match previous {
            Some(p) if p.tomorrow().ok() == Some(day) => run + 1,
            _ => 1,
        };
        longest = longest.max(run);
        previous = Some(day);
    }
    let today = zone.to_datetime(now).date();
    let yesterday = today.yesterday().ok();
    let current = match previous {
        Some(last) if last == today || Some(last) == yesterday => run,
        _ => 0,
    };
    Streaks { current, longest }
}

/// The start of this local week (Monday 00:00 in `zone`), Unix seconds.
pub fn week_start(zone: &TimeZone, now: Timestamp) -> i64 {
    let today = zone.to_datetime(now).date();
    let back = i64::from(today.weekday().to_monday_zero_offset());
    start_of(today.checked_sub(back.days()).unwrap_or(today), zone)
}

/// The end of today and of the seventh day from today, Unix seconds: the
/// horizons of "due today" and "due this week".
pub fn due_horizons(zone: &TimeZone, now: Timestamp) -> (i64, i64) {
    let today = zone.to_datetime(now).date();
    let end = |days: i64| {
        let day = today.checked_add((days + 1).days()).unwrap_or(today);
        start_of(day, zone) - 1
    };
    (end(0), end(6))
}

/// The first second (Unix) of local `day` in `zone`.
pub fn start_of(day: Date, zone: &TimeZone) -> i64 {
    day.to_zoned_datetime(zone.clone())
        .map(|z| z.timestamp().as_second())
        .unwrap_or_default()
}

/// The share (0–100, rounded) of reviews of due cards rated Good or Easy;
/// `None` before any card came due.
pub fn retention(due_reviews: usize, remembered: usize) -> Option<u32> {
    (due_reviews > 0).then(|| ((remembered * 100 + due_reviews / 2) / due_reviews) as u32)
}

/// One line of a group's leaderboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub name: String,
    pub streak: i64,
    pub ratings_this_week: i64,
}

/// The leaderboard's order: longest current streak first, then most
/// ratings this week, then by name so ties read the same every time; the
/// first `top` only.
pub fn leaderboard(mut standings: Vec<Standing>, top: usize) -> Vec<Standing> {
    standings.sort_by(|a, b| {
        b.streak
            .cmp(&a.streak)
            .then(b.ratings_this_week.cmp(&a.ratings_this_week))
            .then_with(|| a.name.cmp(&b.name))
    });
    standings.truncate(top);
    standings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn shanghai() -> TimeZone {
        TimeZone::get("Asia/Shanghai").unwrap()
    }

    #[test]
    fn a_streak_counts_local_days_across_midnight_in_the_persons_zone() {
        // 23:30 and 00:30 Shanghai time are two local days, one UTC day.
        let ratings = [
            at("2026-03-01T15:30:00Z").as_second(),
            at("2026-03-01T16:30:00Z").as_second(),
        ];
        let now = at("2026-03-02T01:00:00Z");
        assert_eq!(
            streaks(&ratings, &shanghai(), now),
            Streaks {
                current: 2,
                longest: 2
            }
        );
        assert_eq!(
            streaks(&ratings, &TimeZone::UTC, now),
            Streaks {
                current: 1,
                longest: 1
            }
        );
    }

    #[test]
    fn today_without_a_rating_keeps_the_streak_and_a_missed_day_ends_it() {
        let day = |d: &str| at(&format!("{d}T12:00:00Z")).as_second();
        let ratings = [
            day("2026-03-01"),
            day("2026-03-02"),
            day("2026-03-03"),
            day("2026-03-05"),
            day("2026-03-06"),
        ];
        let utc = TimeZone::UTC;
        let on = |d: &str| streaks(&ratings, &utc, at(&format!("{d}T08:00:00Z")));
        assert_eq!(on("2026-03-06").current, 2);
        assert_eq!(on("2026-03-07").current, 2);
        assert_eq!(on("2026-03-08").current, 0);
        assert_eq!(on("2026-03-08").longest, 3);
        assert_eq!(
            streaks(&[], &utc, at("2026-03-08T00:00:00Z")),
            Streaks::default()
        );
    }

    #[test]
    fn weeks_start_on_monday_local_time() {
        // Wednesday 2026-03-04 10:00 in Shanghai.
        let now = at("2026-03-04T02:00:00Z");
        assert_eq!(
            week_start(&shanghai(), now),
            at("2026-03-01T16:00:00Z").as_second()
        );
        let (today, week) = due_horizons(&shanghai(), now);
        assert_eq!(today, at("2026-03-04T15:59:59Z").as_second());
        assert_eq!(week, at("2026-03-10T15:59:59Z").as_second());
    }

    #[test]
    fn retention_is_the_share_of_due_reviews_remembered() {
        assert_eq!(retention(0, 0), None);
        assert_eq!(retention(3, 2), Some(67));
        assert_eq!(retention(4, 4), Some(100));
    }

    #[test]
    fn the_leaderboard_orders_by_streak_then_ratings_then_name() {
        let s = |name: &str, streak, ratings_this_week| Standing {
            name: name.to_string(),
            streak,
            ratings_this_week,
        };
        let board = leaderboard(
            vec![
                s("b", 2, 9),
                s("a", 5, 1),
                s("c", 2, 9),
                s("d", 2, 10),
                s("e", 0, 3),
            ],
            4,
        );
        let names: Vec<&str> = board.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["a", "d", "b", "c"]);
    }
}
