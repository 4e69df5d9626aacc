//! Discord's daily IDENTIFY budget, `session_start_limit` in `GET /gateway/bot`: `total`
//! sessions a day, `remaining` now, `reset_after` milliseconds until the budget refills, and
//! `max_concurrency` IDENTIFY per 5 s. An IDENTIFY with nothing left is what makes Discord
//! reset the bot's token: the fake closes it with 4004 (Authentication failed) and counts it,
//! so a test can assert that a bot never got there.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The budget a fake starts with (Discord's: 1,000 a day, one at a time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionStartLimit {
    pub total: u32,
    pub remaining: u32,
    /// Time until the budget refills to `total`.
    pub reset_after: Duration,
    pub max_concurrency: u32,
}

impl Default for SessionStartLimit {
    fn default() -> SessionStartLimit {
        SessionStartLimit {
            total: 1000,
            remaining: 1000,
            reset_after: DAY,
            max_concurrency: 1,
        }
    }
}

const DAY: Duration = Duration::from_secs(24 * 60 * 60);

#[derive(Debug, Clone, Copy)]
pub(crate) struct Budget {
    limit: SessionStartLimit,
    remaining: u32,
    reset_at: Instant,
    /// IDENTIFY attempts made with nothing left.
    pub overdrawn: u32,
}

impl Default for Budget {
    fn default() -> Budget {
        Budget::new(SessionStartLimit::default(), Instant::now())
    }
}

impl Budget {
    pub fn new(limit: SessionStartLimit, now: Instant) -> Budget {
        Budget {
            remaining: limit.remaining.min(limit.total),
            reset_at: now + limit.reset_after,
            limit,
            overdrawn: 0,
        }
    }

    fn refill(&mut self, now: Instant) {
        if now >= self.reset_at {
            self.remaining = self.limit.total;
            self.reset_at = now + DAY;
        }
    }

    /// Spends one IDENTIFY; false (and counted) when none is left.
    pub fn spend(&mut self, now: Instant) -> bool {
        self.refill(now);
        if self.remaining == 0 {
            self.overdrawn += 1;
            return false;
        }
        self.remaining -= 1;
        true
    }

    /// `session_start_limit` as `GET /gateway/bot` shows it at `now`.
    pub fn json(&mut self, now: Instant) -> Value {
        self.refill(now);
        let reset_after = self.reset_at.saturating_duration_since(now).as_millis() as u64;
        json!({
            "total": self.limit.total, "remaining": self.remaining,
            "reset_after": reset_after, "max_concurrency": self.limit.max_concurrency,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_runs_out_then_refills_after_reset_after() {
        let t0 = Instant::now();
        let limit = SessionStartLimit {
            total: 5,
            remaining: 1,
            reset_after: Duration::from_secs(2),
            max_concurrency: 1,
        };
        let mut budget = Budget::new(limit, t0);
        assert_eq!(budget.json(t0)["remaining"], 1);
        assert_eq!(budget.json(t0)["reset_after"], 2000);
        assert!(budget.spend(t0));
        assert!(!budget.spend(t0));
        assert_eq!(budget.overdrawn, 1);
        let later = t0 + Duration::from_secs(2);
        assert_eq!(budget.json(later)["remaining"], 5);
        assert!(budget.spend(later));
        assert_eq!(budget.json(later)["remaining"], 4);
    }
}
