//! A per-person cap for each UTC day: how often one person may make the bot
//! do something that reaches others (report prompts in a group, reports
//! relayed to the operators). Kept in memory: a restart forgets the day's
//! counts, which only ever lets a person a little more, never less.

use std::collections::HashMap;
use std::sync::Mutex;

const SECONDS_A_DAY: i64 = 86_400;
/// People remembered at once before the past days' counts are dropped.
const REMEMBERED: usize = 4_096;

/// At most `per_day` a person a UTC day.
pub struct DailyCap {
    per_day: u32,
    counts: Mutex<HashMap<i64, (i64, u32)>>,
}

impl DailyCap {
    pub fn new(per_day: u32) -> DailyCap {
        DailyCap {
            per_day,
            counts: Mutex::new(HashMap::new()),
        }
    }

    pub fn per_day(&self) -> u32 {
        self.per_day
    }

    /// Counts one for `person` at unix second `now`; false when the person
    /// has had `per_day` today already.
    pub fn allow(&self, person: i64, now: i64) -> bool {
        let day = now.div_euclid(SECONDS_A_DAY);
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        if counts.len() >= REMEMBERED {
            counts.retain(|_, (d, _)| *d == day);
        }
        let (counted_day, count) = counts.entry(person).or_insert((day, 0));
        if *counted_day != day {
            *counted_day = day;
            *count = 0;
        }
        if *count >= self.per_day {
            return false;
        }
        *count += 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_few_a_day_per_person_then_again_the_next_day() {
        let cap = DailyCap::new(5);
        let noon = 20_000 * SECONDS_A_DAY + 43_200;
        for _ in 0..5 {
            assert!(cap.allow(7, noon));
        }
        assert!(!cap.allow(7, noon + 60));
        assert!(cap.allow(8, noon), "others are not affected");
        assert!(cap.allow(7, noon + SECONDS_A_DAY));
    }
}
