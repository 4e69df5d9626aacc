//! A cap on what one person makes the bot send to the operators: reports
//! are relayed to the operators' private chats at most [`PER_DAY`] a person
//! a UTC day. Past it a report is still stored (see `studybot reports`),
//! and the person is told so; without the cap one person could fill the
//! operators' chats (and the bot's 30 messages a second) at will.

use std::collections::HashMap;
use std::sync::Mutex;

/// Reports relayed per person per UTC day.
pub const PER_DAY: u32 = 5;

const SECONDS_A_DAY: i64 = 86_400;

/// Relays counted today, per person.
#[derive(Default)]
pub struct RelayCap {
    counts: Mutex<HashMap<i64, (i64, u32)>>,
}

impl RelayCap {
    /// Counts one relay for `person` at unix second `now`; false when the
    /// person has had [`PER_DAY`] today already.
    pub fn allow(&self, person: i64, now: i64) -> bool {
        let day = now.div_euclid(SECONDS_A_DAY);
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        if counts.len() >= 4_096 {
            counts.retain(|_, (d, _)| *d == day);
        }
        let (counted_day, count) = counts.entry(person).or_insert((day, 0));
        if *counted_day != day {
            *counted_day = day;
            *count = 0;
        }
        if *count >= PER_DAY {
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
    fn five_a_day_per_person_then_again_the_next_day() {
        let cap = RelayCap::default();
        let noon = 20_000 * SECONDS_A_DAY + 43_200;
        for _ in 0..PER_DAY {
            assert!(cap.allow(7, noon));
        }
        assert!(!cap.allow(7, noon + 60));
        assert!(cap.allow(8, noon), "others are not affected");
        assert!(cap.allow(7, noon + SECONDS_A_DAY));
    }
}
