//! Telegram's flood limits as strict sliding windows: a message is admitted only if, in every
//! window that ends now, fewer than `max` messages were delivered. A refused message is not
//! counted; the caller answers 429 with `retry_after` = whole seconds until the busiest window
//! has room again (rounded up, at least 1), so a bot that waits exactly that long succeeds.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use crate::config::{Limits, Window};

/// Delivery times per chat and overall, trimmed to the longest window.
#[derive(Debug, Default)]
pub(crate) struct RateLimiter {
    per_chat: HashMap<i64, VecDeque<Instant>>,
    global: VecDeque<Instant>,
}

impl RateLimiter {
    /// Admits a message to `chat_id` at `now` (and counts it), or returns the seconds to wait.
    pub fn admit(&mut self, limits: &Limits, chat_id: i64, now: Instant) -> Result<(), u32> {
        let horizon = limits
            .per_chat
            .span
            .max(limits.per_group.span)
            .max(limits.global.span);
        let chat = self.per_chat.entry(chat_id).or_default();
        forget_older_than(chat, now, horizon);
        forget_older_than(&mut self.global, now, horizon);

        let mut wait = wait_for(&limits.per_chat, chat, now);
        if chat_id < 0 {
            wait = wait.max(wait_for(&limits.per_group, chat, now));
        }
        wait = wait.max(wait_for(&limits.global, &self.global, now));
        if wait > Duration::ZERO {
            return Err(whole_seconds_up(wait));
        }
        chat.push_back(now);
        self.global.push_back(now);
        Ok(())
    }
}

fn forget_older_than(times: &mut VecDeque<Instant>, now: Instant, horizon: Duration) {
    while times
        .front()
        .is_some_and(|&t| now.duration_since(t) >= horizon)
    {
        times.pop_front();
    }
}

/// How long until `window` admits one more message, given delivery `times` (oldest first).
fn wait_for(window: &Window, times: &VecDeque<Instant>, now: Instant) -> Duration {
    let in_window: Vec<Instant> = times
        .iter()
        .copied()
        .filter(|&t| now.duration_since(t) < window.span)
        .collect();
    if in_window.len() < window.max {
        return Duration::ZERO;
    }
    // The window has room once the oldest `len - max + 1` entries have left it.
    let must_leave = in_window[in_window.len() - window.max];
    (must_leave + window.span).saturating_duration_since(now)
}

fn whole_seconds_up(wait: Duration) -> u32 {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    u32::try_from(secs.max(1)).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn one_per_second_per_chat() {
        let (limits, t0) = (Limits::default(), Instant::now());
        let mut limiter = RateLimiter::default();
        assert_eq!(limiter.admit(&limits, 7, t0), Ok(()));
        assert_eq!(limiter.admit(&limits, 7, t0 + ms(999)), Err(1));
        assert_eq!(limiter.admit(&limits, 8, t0 + ms(10)), Ok(()));
        assert_eq!(limiter.admit(&limits, 7, t0 + ms(1000)), Ok(()));
    }

    #[test]
    fn twenty_per_minute_per_group_with_retry_after_rounded_up() {
        let (limits, t0) = (Limits::default(), Instant::now());
        let mut limiter = RateLimiter::default();
        for i in 0..20 {
            assert_eq!(
                limiter.admit(&limits, -5, t0 + ms(1000 * i)),
                Ok(()),
                "message {i}"
            );
        }
        // 20 delivered at 0..19 s; the first leaves the window at 60 s.
        assert_eq!(limiter.admit(&limits, -5, t0 + ms(20_500)), Err(40));
        assert_eq!(limiter.admit(&limits, -5, t0 + ms(59_999)), Err(1));
        assert_eq!(limiter.admit(&limits, -5, t0 + ms(60_000)), Ok(()));
    }

    #[test]
    fn thirty_per_second_overall() {
        let (limits, t0) = (Limits::default(), Instant::now());
        let mut limiter = RateLimiter::default();
        for chat in 1..=30 {
            assert_eq!(limiter.admit(&limits, chat, t0 + ms(chat as u64)), Ok(()));
        }
        assert_eq!(limiter.admit(&limits, 31, t0 + ms(500)), Err(1));
        assert_eq!(limiter.admit(&limits, 31, t0 + ms(1001)), Ok(()));
    }

    #[test]
    fn refused_messages_are_not_counted() {
        let (limits, t0) = (Limits::default(), Instant::now());
        let mut limiter = RateLimiter::default();
        assert_eq!(limiter.admit(&limits, 1, t0), Ok(()));
        for i in 1..10 {
            assert!(limiter.admit(&limits, 1, t0 + ms(50 * i)).is_err());
        }
        assert_eq!(limiter.admit(&limits, 1, t0 + ms(1000)), Ok(()));
    }
}
