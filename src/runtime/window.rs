//! An exact sliding-window limit, counted as the platforms count: at most
//! `max` messages in any window of `span` (Telegram's 30 a second and 20 a
//! minute per group, Discord's 50 requests a second).
//!
//! A token bucket or GCRA only approximates "30 in any second": to be safe it
//! must spread sends out, so a burst of 30 replies waits up to a second for
//! no reason and a flooded group gets 6 a minute instead of 20. Here each
//! limit keeps the instants it released (or reserved) and hands out the
//! earliest instant at which one more still leaves every window of `span`
//! with at most `max`. A burst goes out at once; the `max + 1`-th waits just
//! until the first leaves the window.
//!
//! Reservations may lie in the future (a sender waits for them) and need not
//! be made in time order, so the check covers every window that would
//! contain the new instant, before and after it.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::time::Instant;

/// One limit and the instants it released, oldest first.
#[derive(Debug, Clone)]
pub struct Window {
    max: usize,
    span: Duration,
    times: VecDeque<Instant>,
}

impl Window {
    /// At most `max` (at least 1) in any `span`.
    pub fn new(max: usize, span: Duration) -> Window {
        Window {
            max: max.max(1),
            span,
            times: VecDeque::new(),
        }
    }

    /// The earliest instant at or after `from` at which one more send keeps
    /// the limit (it does not reserve it).
    pub fn earliest(&self, from: Instant) -> Instant {
        if self.fits(from) {
            return from;
        }
        // The first instant that fits is `from` or some instant a full
        // span after a release: only there does a window lose a member.
        self.times
            .iter()
            .map(|&t| t + self.span)
            .filter(|&t| t > from)
            .find(|&t| self.fits(t))
            .unwrap_or_else(|| self.times.back().map_or(from, |&t| t + self.span))
    }

    /// From now on at most `max` (at least 1) in any `span`. Sends already
    /// reserved stay counted: lowering the limit makes the next ones wait
    /// until the window holds fewer than the new `max`.
    pub fn set_max(&mut self, max: usize) {
        self.max = max.max(1);
    }

    /// Records a send at `at` (kept in time order).
    pub fn reserve(&mut self, at: Instant) {
        let index = self.times.partition_point(|&t| t <= at);
        self.times.insert(index, at);
    }

    /// The send reserved at `reserved` was answered at `done`: count it
    /// there from now on. Telegram counted it when it arrived, somewhere
    /// between the two, so later sends keep their distance from the answer,
    /// not from the release: a message that travelled slowly (a connection
    /// still being opened) cannot end up in one window with the next burst.
    /// Nothing happens if the reservation was already forgotten.
    pub fn settle(&mut self, reserved: Instant, done: Instant) {
        if done <= reserved {
            return;
        }
        let index = self.times.partition_point(|&t| t < reserved);
        if self.times.get(index) == Some(&reserved) {
            self.times.remove(index);
            self.reserve(done);
        }
    }

    /// Forgets sends that no longer count for any window ending at or
    /// after `now`.
    pub fn forget_before(&mut self, now: Instant) {
        while self
            .times
            .front()
            .is_some_and(|&t| now.saturating_duration_since(t) >= self.span)
        {
            self.times.pop_front();
        }
    }

    /// Nothing recorded that still counts at `now`: the window may be dropped.
    pub fn is_idle(&self, now: Instant) -> bool {
        self.times
            .back()
            .is_none_or(|&t| now.saturating_duration_since(t) >= self.span)
    }

    /// Whether a send at `at` keeps every window containing it within `max`:
    /// with `at` inserted in order, any `max + 1` consecutive sends span at
    /// least `span`.
    fn fits(&self, at: Instant) -> bool {
        let index = self.times.partition_point(|&t| t <= at);
        let with = |i: usize| -> Instant {
            match i.cmp(&index) {
                std::cmp::Ordering::Less => self.times[i],
                std::cmp::Ordering::Equal => at,
                std::cmp::Ordering::Greater => self.times[i - 1],
            }
        };
        let len = self.times.len() + 1;
        let first = index.saturating_sub(self.max);
        let last = index.min(len.saturating_sub(self.max + 1));
        (first..=last)
            .filter(|&start| start + self.max < len)
            .all(|start| with(start + self.max).duration_since(with(start)) >= self.span)
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.times.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn a_burst_goes_at_once_and_the_next_waits_for_the_first_to_leave() {
        let t0 = Instant::now();
        let mut w = Window::new(30, ms(1000));
        for _ in 0..30 {
            assert_eq!(w.earliest(t0), t0);
            w.reserve(t0);
        }
        assert_eq!(w.earliest(t0), t0 + ms(1000));
        assert_eq!(w.earliest(t0 + ms(1500)), t0 + ms(1500));
    }

    #[test]
    fn a_reservation_in_the_future_counts_for_windows_before_it() {
        let t0 = Instant::now();
        let mut w = Window::new(2, ms(1000));
        w.reserve(t0 + ms(900));
        w.reserve(t0 + ms(950));
        // At t0 a window [t0, t0 + 1 s) would hold three.
        assert_eq!(w.earliest(t0), t0 + ms(1900));
        let mut w = Window::new(2, ms(1000));
        w.reserve(t0 + ms(2000));
        w.reserve(t0 + ms(2100));
        assert_eq!(w.earliest(t0), t0);
    }

    #[test]
    fn a_flooded_group_gets_twenty_a_minute() {
        let t0 = Instant::now();
        let mut w = Window::new(20, Duration::from_secs(60));
        let mut at = t0;
        for _ in 0..60 {
            at = w.earliest(at);
            w.reserve(at);
        }
        // 20 at once, 20 a minute later, 20 a minute after that.
        assert_eq!(at, t0 + Duration::from_secs(120));
    }

    #[test]
    fn a_send_answered_late_counts_from_its_answer() {
        let t0 = Instant::now();
        let mut w = Window::new(2, ms(1000));
        w.reserve(t0);
        w.reserve(t0);
        assert_eq!(w.earliest(t0), t0 + ms(1000));
        // One was answered 300 ms later: the third may still go when the
        // other leaves the window; the fourth waits for the late one.
        w.settle(t0, t0 + ms(300));
        let third = w.earliest(t0);
        assert_eq!(third, t0 + ms(1000));
        w.reserve(third);
        assert_eq!(w.earliest(t0), t0 + ms(1300));
        // An unknown reservation changes nothing.
        w.settle(t0 + ms(5), t0 + ms(900));
        assert_eq!(w.earliest(t0), t0 + ms(1300));
    }

    #[test]
    fn a_lowered_limit_counts_what_was_already_sent() {
        let t0 = Instant::now();
        let mut w = Window::new(30, ms(1000));
        for _ in 0..10 {
            w.reserve(t0);
        }
        w.set_max(15);
        for _ in 0..5 {
            assert_eq!(w.earliest(t0), t0);
            w.reserve(t0);
        }
        assert_eq!(w.earliest(t0), t0 + ms(1000));
        // Down to 10 with 15 in the window: nothing until they all leave.
        w.set_max(10);
        assert_eq!(w.earliest(t0 + ms(500)), t0 + ms(1000));
        // Raised again: room at once. Zero is read as one.
        w.set_max(30);
        assert_eq!(w.earliest(t0), t0);
        w.set_max(0);
        assert_eq!(w.earliest(t0), t0 + ms(1000));
    }

    #[test]
    fn forgetting_keeps_what_still_counts() {
        let t0 = Instant::now();
        let mut w = Window::new(1, ms(1000));
        w.reserve(t0);
        w.reserve(t0 + ms(1000));
        w.forget_before(t0 + ms(1500));
        assert_eq!(w.len(), 1);
        assert!(!w.is_idle(t0 + ms(1500)));
        assert!(w.is_idle(t0 + ms(2000)));
    }

    /// Every window `[t, t + span)` that starts at a send holds at most `max`.
    fn never_over(times: &[Instant], max: usize, span: Duration) -> bool {
        let mut sorted = times.to_vec();
        sorted.sort();
        sorted
            .windows(max + 1)
            .all(|w| w[max].duration_since(w[0]) >= span)
    }

    proptest! {
        /// Senders asking at arbitrary moments, in any order (reservations
        /// run ahead of the asking time): what is released never exceeds
        /// the limit in any window, and nobody waits when the window has room.
        #[test]
        fn released_sends_never_exceed_the_limit(
            max in 1usize..6,
            span_ms in 1u64..500,
            asks in proptest::collection::vec(0u64..2_000, 1..80),
        ) {
            let t0 = Instant::now();
            let span = ms(span_ms);
            let mut w = Window::new(max, span);
            let mut released = Vec::new();
            for ask in asks {
                let from = t0 + ms(ask);
                let at = w.earliest(from);
                prop_assert!(at >= from);
                w.reserve(at);
                released.push(at);
            }
            prop_assert!(never_over(&released, max, span));
        }

        /// Asking in time order (as a live bot does, forgetting the past):
        /// the grant is the earliest legal instant: one instant earlier
        /// would break the limit, unless it is the asking instant itself.
        #[test]
        fn grants_are_as_early_as_the_limit_allows(
            max in 1usize..6,
            span_ms in 1u64..500,
            gaps in proptest::collection::vec(0u64..300, 1..80),
        ) {
            let t0 = Instant::now();
            let span = ms(span_ms);
            let mut w = Window::new(max, span);
            let mut released = Vec::new();
            let mut now = t0;
            for gap in gaps {
                now += ms(gap);
                w.forget_before(now);
                let at = w.earliest(now);
                if at > now {
                    let mut earlier = released.clone();
                    earlier.push(at - Duration::from_nanos(1));
                    prop_assert!(!never_over(&earlier, max, span));
                }
                w.reserve(at);
                released.push(at);
            }
            prop_assert!(never_over(&released, max, span));
        }

        /// Each send answered some time after its release, before the next
        /// ask: Telegram saw it at some instant in between, so the limit
        /// holds for arrivals if every new release keeps its distance from
        /// the earlier answers (however late they came).
        #[test]
        fn releases_keep_their_distance_from_earlier_answers(
            max in 1usize..6,
            span_ms in 1u64..500,
            sends in proptest::collection::vec((0u64..300, 0u64..400), 1..80),
        ) {
            let t0 = Instant::now();
            let span = ms(span_ms);
            let mut w = Window::new(max, span);
            let mut answered = Vec::new();
            let mut now = t0;
            for (gap, delay) in sends {
                now += ms(gap);
                w.forget_before(now);
                let at = w.earliest(now);
                let mut seen = answered.clone();
                seen.push(at);
                prop_assert!(never_over(&seen, max, span));
                w.reserve(at);
                let done = at + ms(delay);
                w.settle(at, done);
                answered.push(done);
                now = now.max(done);
            }
        }
    }
}
