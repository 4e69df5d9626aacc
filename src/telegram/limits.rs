//! Telegram's sending limits, kept without a tick.
//!
//! Telegram allows about 1 message a second to one chat, 20 a minute to one
//! group and 30 a second in all. teloxide's `Throttle` keeps them with a
//! 250 ms worker tick (every reply waits for it), caps supergroups at 10 a
//! minute and freezes every chat on one 429. Here each limit is a `governor`
//! GCRA limiter — keyed per chat and per group, one global — so a message
//! in a quiet chat goes out at once and one chat's 429 pauses that chat
//! alone. A burst of 429s across chats pauses everything, as Telegram asks.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};
use tokio::time::Instant;

/// The limits to keep. The defaults leave a little margin under Telegram's
/// so that network jitter never turns a legal burst into a 429.
#[derive(Debug, Clone)]
pub struct LimitConfig {
    /// Minimum spacing of messages to one chat.
    pub per_chat: Duration,
    /// Messages a group may receive at once, then one per `group_period`.
    /// Chosen so that no 60 s window holds more than 20.
    pub group_burst: u32,
    pub group_period: Duration,
    /// Minimum spacing of messages overall.
    pub global: Duration,
}

impl Default for LimitConfig {
    fn default() -> Self {
        LimitConfig {
            per_chat: Duration::from_millis(1050),
            // 14 at once + one per 10.1 s: at most 14 + 5 = 19..20 in any minute,
            // and 15 replies in a busy group within 15 s (one per 1.05 s).
            group_burst: 14,
            group_period: Duration::from_millis(10_100),
            // 29.5 messages a second: 30 take 1.017 s, so arrival jitter
            // up to 17 ms never puts 31 into one second.
            global: Duration::from_micros(33_900),
        }
    }
}

/// The shared limiter state.
pub struct Limits {
    per_chat: DefaultKeyedRateLimiter<i64>,
    per_group: DefaultKeyedRateLimiter<i64>,
    global: DefaultDirectRateLimiter,
    paused: Mutex<Pauses>,
}

#[derive(Default)]
struct Pauses {
    chats: HashMap<i64, Instant>,
    all: Option<Instant>,
    /// Recent 429s: (when, chat), to tell one flooded chat from a flood.
    recent: Vec<(Instant, i64)>,
}

fn quota(period: Duration, burst: u32) -> Quota {
    let period = period.max(Duration::from_nanos(1));
    Quota::with_period(period)
        .expect("a non-zero period")
        .allow_burst(NonZeroU32::new(burst.max(1)).expect("burst is at least 1"))
}

impl Limits {
    pub fn new(config: &LimitConfig) -> Limits {
        Limits {
            per_chat: RateLimiter::keyed(quota(config.per_chat, 1)),
            per_group: RateLimiter::keyed(quota(config.group_period, config.group_burst)),
            global: RateLimiter::direct(quota(config.global, 1)),
            paused: Mutex::new(Pauses::default()),
        }
    }

    /// Waits until one message may go to `chat_id` now.
    pub async fn acquire(&self, chat_id: i64) {
        self.wait_for_pause(chat_id).await;
        self.per_chat.until_key_ready(&chat_id).await;
        if chat_id < 0 {
            self.per_group.until_key_ready(&chat_id).await;
        }
        // The global slot is taken last, so waiting for a busy chat never
        // holds one of the 30 a second.
        self.global.until_ready().await;
    }

    async fn wait_for_pause(&self, chat_id: i64) {
        loop {
            let until = {
                let p = self.paused.lock().expect("pause table");
                [p.chats.get(&chat_id).copied(), p.all]
                    .into_iter()
                    .flatten()
                    .max()
            };
            match until {
                Some(t) if t > Instant::now() => tokio::time::sleep_until(t).await,
                _ => return,
            }
        }
    }

    /// Telegram answered 429 for `chat_id`: pause that chat for
    /// `retry_after`; when three or more chats hit 429 within a second, the
    /// whole bot is over the global limit: pause everything.
    pub fn too_many_requests(&self, chat_id: i64, retry_after: Duration) {
        let now = Instant::now();
        let until = now + retry_after;
        let mut p = self.paused.lock().expect("pause table");
        let chat = p.chats.entry(chat_id).or_insert(until);
        *chat = (*chat).max(until);
        p.recent
            .retain(|(at, _)| now.duration_since(*at) < Duration::from_secs(1));
        p.recent.push((now, chat_id));
        let mut chats: Vec<i64> = p.recent.iter().map(|(_, c)| *c).collect();
        chats.sort_unstable();
        chats.dedup();
        if chats.len() >= 3 {
            p.all = Some(p.all.map_or(until, |a| a.max(until)));
        }
        p.chats.retain(|_, t| *t > now);
    }

    /// Forgets limiter state of chats idle for long (memory stays bounded).
    pub fn tidy(&self) {
        self.per_chat.retain_recent();
        self.per_group.retain_recent();
        self.per_chat.shrink_to_fit();
        self.per_group.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fast() -> LimitConfig {
        LimitConfig {
            per_chat: Duration::from_millis(200),
            group_burst: 2,
            group_period: Duration::from_millis(400),
            global: Duration::from_millis(1),
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_429_pauses_that_chat_only_until_three_chats_flood() {
        let limits = Limits::new(&fast());
        limits.too_many_requests(1, Duration::from_secs(5));
        let t = Instant::now();
        limits.acquire(2).await;
        assert!(t.elapsed() < Duration::from_secs(1));
        limits.acquire(1).await;
        assert!(t.elapsed() >= Duration::from_secs(5));
        limits.too_many_requests(3, Duration::from_secs(7));
        limits.too_many_requests(4, Duration::from_secs(7));
        limits.too_many_requests(5, Duration::from_secs(7));
        let t = Instant::now();
        limits.acquire(6).await;
        assert!(t.elapsed() >= Duration::from_secs(7));
    }
}
