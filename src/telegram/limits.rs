//! Telegram's sending limits, counted as Telegram counts them.
//!
//! Telegram allows about 1 message a second to one chat, 20 in any minute
//! to one group and 30 in any second overall. Each is kept here as an exact
//! sliding window (`window`): a burst of replies goes out at once, up to the
//! window, and a flooded group gets close to 20 a minute. A sender reserves
//! the earliest instant every window allows for its chat, all under one
//! lock, and sleeps until then; nothing ticks, and a quiet chat sends at once.
//! One chat's 429 pauses that chat alone; 429s from several chats at once
//! mean the bot as a whole is over the limit, and everything pauses.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use crate::runtime::window::Window;

/// One limit: at most `max` messages in any `span`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: usize,
    pub span: Duration,
}

/// The limits to keep.
///
/// Each span is Telegram's plus a small safety margin. Telegram counts a
/// message when it arrives, and arrival is release plus a network delay
/// that varies: if the first message of a window travelled slower than the
/// one a window later, the two arrive closer than they left. The margin
/// absorbs that difference (and skew between our clock and Telegram's):
/// 20 ms on the 1 s overall window (29.4 a second: 0.98 of the limit), 50 ms
/// on a chat's second (the rule kept since the first release), 1 s on a
/// group's minute (19.7 a minute).
#[derive(Debug, Clone)]
pub struct LimitConfig {
    pub per_chat: Limit,
    /// Groups, supergroups and channels (chat ids below zero).
    pub per_group: Limit,
    pub global: Limit,
}

impl Default for LimitConfig {
    fn default() -> Self {
        LimitConfig {
            per_chat: Limit {
                max: 1,
                span: Duration::from_millis(1_050),
            },
            per_group: Limit {
                max: 20,
                span: Duration::from_secs(61),
            },
            global: Limit {
                max: 30,
                span: Duration::from_millis(1_020),
            },
        }
    }
}

/// The shared limiter state.
pub struct Limits {
    config: LimitConfig,
    state: Mutex<State>,
}

struct State {
    chats: HashMap<i64, Window>,
    groups: HashMap<i64, Window>,
    global: Window,
    /// Chats paused by a 429, until when.
    paused: HashMap<i64, Instant>,
    /// Everything paused (a flood of 429s) until then.
    all: Option<Instant>,
    /// Recent 429s: (when, chat), to tell one flooded chat from a flood.
    recent: Vec<(Instant, i64)>,
    /// Tidy the maps once they hold this many chats.
    tidy_at: usize,
}

/// Maps of per-chat windows are swept of idle chats when they reach this
/// size (and then at twice what remains), so memory follows the chats
/// active in the last minute, not every chat ever seen.
const TIDY_FLOOR: usize = 256;

impl Limits {
    pub fn new(config: &LimitConfig) -> Limits {
        Limits {
            config: config.clone(),
            state: Mutex::new(State {
                chats: HashMap::new(),
                groups: HashMap::new(),
                global: Window::new(config.global.max, config.global.span),
                paused: HashMap::new(),
                all: None,
                recent: Vec::new(),
                tidy_at: TIDY_FLOOR,
            }),
        }
    }

    /// Waits until one message may go to `chat_id`, and counts it; returns
    /// the instant it was counted at, for [`settle`](Limits::settle).
    pub async fn acquire(&self, chat_id: i64) -> Instant {
        loop {
            let at = self.reserve(chat_id, Instant::now());
            tokio::time::sleep_until(at).await;
            // A 429 that came while we waited pauses us too (the slot we
            // reserved stays counted: erring on the safe side).
            if !self.is_paused(chat_id, Instant::now()) {
                return at;
            }
        }
    }

    /// The message counted at `reserved` for `chat_id` was answered at
    /// `done`: every window counts it at its answer from now on (see
    /// [`Window::settle`]), which bounds Telegram's arrival time from above
    /// where the release bounded it only from below.
    pub fn settle(&self, chat_id: i64, reserved: Instant, done: Instant) {
        let mut state = self.state.lock().expect("limiter state");
        let state = &mut *state;
        state.global.settle(reserved, done);
        if let Some(chat) = state.chats.get_mut(&chat_id) {
            chat.settle(reserved, done);
        }
        if let Some(group) = state.groups.get_mut(&chat_id) {
            group.settle(reserved, done);
        }
    }

    /// Reserves the earliest instant at or after `now` that every limit of
    /// `chat_id` allows, and returns it.
    fn reserve(&self, chat_id: i64, now: Instant) -> Instant {
        let config = &self.config;
        let mut state = self.state.lock().expect("limiter state");
        let state = &mut *state;
        let pause = [state.paused.get(&chat_id).copied(), state.all];
        let mut at = pause.into_iter().flatten().fold(now, Instant::max);
        state.global.forget_before(now);
        let chat = window_of(&mut state.chats, chat_id, config.per_chat, now);
        let group =
            (chat_id < 0).then(|| window_of(&mut state.groups, chat_id, config.per_group, now));
        // The earliest instant all three allow: move to each one's earliest
        // in turn until none moves it further.
        loop {
            let mut next = chat.earliest(at);
            if let Some(group) = &group {
                next = group.earliest(next);
            }
            next = state.global.earliest(next);
            if next == at {
                break;
            }
            at = next;
        }
        chat.reserve(at);
        state.global.reserve(at);
        if let Some(group) = group {
            group.reserve(at);
        }
        state.tidy_if_large(now);
        at
    }

    fn is_paused(&self, chat_id: i64, now: Instant) -> bool {
        let state = self.state.lock().expect("limiter state");
        let chat = state.paused.get(&chat_id).is_some_and(|&t| t > now);
        chat || state.all.is_some_and(|t| t > now)
    }

    /// Telegram answered 429 for `chat_id`: pause that chat for
    /// `retry_after`; when three or more chats hit 429 within a second, the
    /// whole bot is over the global limit: pause everything.
    pub fn too_many_requests(&self, chat_id: i64, retry_after: Duration) {
        let now = Instant::now();
        let until = now + retry_after;
        let mut state = self.state.lock().expect("limiter state");
        let chat = state.paused.entry(chat_id).or_insert(until);
        *chat = (*chat).max(until);
        state
            .recent
            .retain(|(at, _)| now.duration_since(*at) < Duration::from_secs(1));
        state.recent.push((now, chat_id));
        let mut chats: Vec<i64> = state.recent.iter().map(|(_, c)| *c).collect();
        chats.sort_unstable();
        chats.dedup();
        if chats.len() >= 3 {
            state.all = Some(state.all.map_or(until, |a| a.max(until)));
        }
        state.paused.retain(|_, t| *t > now);
    }

    /// `replicas` bots share the token (each with its own limiter): this one
    /// keeps its share of the overall limit, [`global_share`]. The per-chat
    /// and per-group limits stay whole: each chat's posts come from one
    /// replica at a time.
    pub fn share_global(&self, replicas: usize) {
        let max = global_share(self.config.global.max, replicas);
        self.state
            .lock()
            .expect("limiter state")
            .global
            .set_max(max);
    }

    /// The overall limit for one bot alone.
    pub fn global_max(&self) -> usize {
        self.config.global.max
    }

    /// How many chats the limiter holds state for.
    pub fn chats_held(&self) -> usize {
        let state = self.state.lock().expect("limiter state");
        state.chats.len().max(state.groups.len())
    }
}

impl State {
    fn tidy_if_large(&mut self, now: Instant) {
        if self.chats.len().max(self.groups.len()) >= self.tidy_at {
            self.tidy(now);
            let left = self.chats.len().max(self.groups.len());
            self.tidy_at = (left * 2).max(TIDY_FLOOR);
        }
    }

    fn tidy(&mut self, now: Instant) {
        self.chats.retain(|_, w| !w.is_idle(now));
        self.groups.retain(|_, w| !w.is_idle(now));
        self.paused.retain(|_, t| *t > now);
        self.chats.shrink_to(TIDY_FLOOR);
        self.groups.shrink_to(TIDY_FLOOR);
    }
}

/// One replica's share of an overall limit of `max` when `replicas` bots
/// send with one token: rounded down (never more than the whole between
/// them), at least 1; the whole with one replica (or none counted).
pub fn global_share(max: usize, replicas: usize) -> usize {
    (max / replicas.max(1)).max(1)
}

/// The window of `chat_id` in `map`, made if missing, its past forgotten.
fn window_of(
    map: &mut HashMap<i64, Window>,
    chat_id: i64,
    limit: Limit,
    now: Instant,
) -> &mut Window {
    let window = map
        .entry(chat_id)
        .or_insert_with(|| Window::new(limit.max, limit.span));
    window.forget_before(now);
    window
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[tokio::test(start_paused = true)]
    async fn a_429_pauses_that_chat_only_until_three_chats_flood() {
        let limits = Limits::new(&LimitConfig::default());
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

    #[test]
    fn thirty_replies_go_at_once_and_the_thirty_first_a_second_later() {
        let limits = Limits::new(&LimitConfig::default());
        let t0 = Instant::now();
        for chat in 1..=30 {
            assert_eq!(limits.reserve(chat, t0), t0);
        }
        assert_eq!(limits.reserve(31, t0), t0 + ms(1_020));
    }

    #[test]
    fn replicas_split_the_overall_limit() {
        assert_eq!(global_share(30, 0), 30);
        assert_eq!(global_share(30, 1), 30);
        assert_eq!(global_share(30, 2), 15);
        assert_eq!(global_share(30, 3), 10);
        assert_eq!(global_share(30, 4), 7);
        assert_eq!(global_share(30, 31), 1);
        for replicas in 1..=40 {
            let share = global_share(30, replicas);
            assert!(share * replicas <= 30 || share == 1, "{replicas}");
        }
    }

    #[test]
    fn a_shared_limiter_sends_its_share_a_second_and_the_whole_when_alone() {
        let limits = Limits::new(&LimitConfig::default());
        limits.share_global(2);
        let t0 = Instant::now();
        for chat in 1..=15 {
            assert_eq!(limits.reserve(chat, t0), t0);
        }
        assert_eq!(limits.reserve(16, t0), t0 + ms(1_020));
        // The other replica died: the whole limit again, at once.
        limits.share_global(1);
        let t1 = t0 + ms(5_000);
        for chat in 100..130 {
            assert_eq!(limits.reserve(chat, t1), t1);
        }
        assert_eq!(limits.reserve(130, t1), t1 + ms(1_020));
        // Per-chat limits stay whole while shared.
        limits.share_global(3);
        let t2 = t0 + ms(10_000);
        assert_eq!(limits.reserve(-7, t2), t2);
        assert_eq!(limits.reserve(-7, t2), t2 + ms(1_050));
    }

    #[test]
    fn a_flooded_group_sustains_twenty_a_minute() {
        let limits = Limits::new(&LimitConfig::default());
        let t0 = Instant::now();
        let mut last = t0;
        for _ in 0..60 {
            last = limits.reserve(-42, last);
        }
        // One per 1.05 s (the per-chat rule) until 20 are out; the 21st
        // waits until the 1st is 61 s old: 20 every 61 s, 19.7 a minute.
        assert_eq!(last - t0, ms(2 * 61_000 + 19 * 1_050));
    }

    #[test]
    fn state_does_not_grow_with_chats_ever_seen() {
        let limits = Limits::new(&LimitConfig::default());
        let t0 = Instant::now();
        for chat in 0..10_000i64 {
            // One chat a 40 ms: about 1,500 chats a minute are recent.
            let now = t0 + ms(40 * chat as u64);
            limits.reserve(-chat - 1, now);
        }
        assert!(limits.chats_held() < 4_000, "{}", limits.chats_held());
    }

    /// Every window of `span` that starts at a send holds at most `max`.
    fn within(times: &[Instant], limit: Limit) -> bool {
        let mut sorted = times.to_vec();
        sorted.sort();
        sorted
            .windows(limit.max + 1)
            .all(|w| w[limit.max].duration_since(w[0]) >= limit.span)
    }

    proptest! {
        /// Many senders to a few chats and groups, asking at any moment:
        /// what is released keeps all three limits in every window.
        #[test]
        fn released_sends_keep_every_limit(
            asks in proptest::collection::vec((-3i64..4, 0u64..3_000), 1..150),
        ) {
            let config = LimitConfig {
                per_chat: Limit { max: 1, span: ms(100) },
                per_group: Limit { max: 3, span: ms(1_000) },
                global: Limit { max: 5, span: ms(200) },
            };
            let limits = Limits::new(&config);
            let t0 = Instant::now();
            let mut asks = asks;
            asks.sort_by_key(|&(_, at)| at);
            let mut released: HashMap<i64, Vec<Instant>> = HashMap::new();
            for (chat, at) in asks {
                let from = t0 + ms(at);
                let granted = limits.reserve(chat, from);
                prop_assert!(granted >= from);
                released.entry(chat).or_default().push(granted);
            }
            let all: Vec<Instant> = released.values().flatten().copied().collect();
            prop_assert!(within(&all, config.global));
            for (chat, times) in &released {
                prop_assert!(within(times, config.per_chat));
                if *chat < 0 {
                    prop_assert!(within(times, config.per_group));
                }
            }
        }
    }
}
