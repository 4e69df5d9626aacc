//! Activity over days and weeks, for the `/stats` pictures: how many
//! ratings a person made each local day, which share of each week's were
//! Good or Easy, and per day of a group how many people rated and how
//! often. Pure arithmetic in the reader's zone, like `stats`.

use std::collections::{BTreeMap, HashSet};

use jiff::ToSpan;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::Rating;
use super::stats::local_date;

/// Ratings per local day, oldest first, from (instant, grade) pairs.
pub fn ratings_per_day(ratings: &[(i64, i64)], zone: &TimeZone) -> Vec<(Date, u32)> {
    let mut days: BTreeMap<Date, u32> = BTreeMap::new();
    for &(at, _) in ratings {
        *days.entry(local_date(at, zone)).or_default() += 1;
    }
    days.into_iter().collect()
}

/// For `weeks` weeks from the Monday `first`: the share of each week's
/// ratings that were Good or Easy (`None` for a week without any).
pub fn remembered_by_week(
    ratings: &[(i64, i64)],
    zone: &TimeZone,
    first: Date,
    weeks: usize,
) -> Vec<Option<f32>> {
    let good = i64::from(Rating::Good.grade());
    let mut tally = vec![(0u32, 0u32); weeks];
    for &(at, grade) in ratings {
        let days = (local_date(at, zone) - first).get_days();
        let Some(week) = usize::try_from(days / 7).ok().filter(|_| days >= 0) else {
            continue;
        };
        if let Some((all, remembered)) = tally.get_mut(week) {
            *all += 1;
            *remembered += u32::from(grade >= good);
        }
    }
    tally
        .into_iter()
        .map(|(all, remembered)| (all > 0).then(|| remembered as f32 / all as f32))
        .collect()
}

/// For each of the `days` local days up to `today` (oldest first): how many
/// people rated, and how many ratings they made, from (person, instant).
pub fn group_days(
    ratings: &[(i64, i64)],
    zone: &TimeZone,
    today: Date,
    days: usize,
) -> Vec<(u32, u32)> {
    let first = today.checked_sub((days as i64 - 1).days()).unwrap_or(today);
    let mut people: Vec<HashSet<i64>> = vec![HashSet::new(); days];
    let mut counts = vec![0u32; days];
    for &(person, at) in ratings {
        let offset = (local_date(at, zone) - first).get_days();
        if let Ok(day) = usize::try_from(offset)
            && day < days
        {
            people[day].insert(person);
            counts[day] += 1;
        }
    }
    people
        .iter()
        .zip(counts)
        .map(|(p, n)| (p.len() as u32, n))
        .collect()
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;
    use crate::learn::stats::start_of;

    fn shanghai() -> TimeZone {
        TimeZone::get("Asia/Shanghai").unwrap()
    }

    /// Unix seconds of `hour`:00 local time on `day` in Shanghai.
    fn at(day: Date, hour: i64) -> i64 {
        start_of(day, &shanghai()) + hour * 3600
    }

    #[test]
    fn days_and_weeks_are_local() {
        let monday = date(2026, 11, 30);
        let tuesday = date(2026, 12, 1);
        // 23:00 and 01:00 local fall on two local days (one UTC day).
        let ratings = [
            (at(monday, 23), 1),
            (at(tuesday, 1), 3),
            (at(tuesday, 2), 4),
        ];
        assert_eq!(
            ratings_per_day(&ratings, &shanghai()),
            vec![(monday, 1), (tuesday, 2)]
        );
        let weeks = remembered_by_week(&ratings, &shanghai(), date(2026, 11, 23), 3);
        assert_eq!(weeks, vec![None, Some(2.0 / 3.0), None]);
        let before = remembered_by_week(&ratings, &shanghai(), date(2026, 12, 7), 2);
        assert_eq!(
            before,
            vec![None, None],
            "ratings before the first week are left out"
        );
    }

    #[test]
    fn a_group_day_counts_people_once() {
        let today = date(2026, 12, 3);
        let yesterday = date(2026, 12, 2);
        let ratings = [
            (1, at(yesterday, 9)),
            (1, at(yesterday, 10)),
            (2, at(yesterday, 11)),
            (2, at(today, 8)),
            (3, at(date(2026, 11, 1), 8)),
        ];
        assert_eq!(
            group_days(&ratings, &shanghai(), today, 3),
            vec![(0, 0), (2, 3), (1, 1)]
        );
    }
}
