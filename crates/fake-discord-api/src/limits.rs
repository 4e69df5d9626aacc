//! Discord's rate limits: per-route buckets with fixed windows (a bucket admits `limit`
//! requests, then refuses until its window resets) and the global limit (50 requests in any
//! second, interactions exempt). Every answer on a limited route carries real
//! `X-RateLimit-*` headers; a refusal carries `retry_after` so that a client that waits exactly
//! that long succeeds. Tests can also exhaust a bucket on purpose.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use crate::config::RouteLimit;

/// A rate-limit bucket: a route together with its major parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bucket {
    /// `POST /channels/{id}/messages` of one channel.
    ChannelMessages(u64),
    /// Follow-ups and edits of one interaction token (by interaction id).
    Webhook(u64),
    /// Command overwrites: global (`None`) or of one guild.
    Commands(Option<u64>),
}

impl Bucket {
    /// The `X-RateLimit-Bucket` hash: one per route, shared by its major parameters as on Discord.
    pub(crate) fn hash(self) -> &'static str {
        match self {
            Bucket::ChannelMessages(_) => "80c17d2f203122d936070c88c8d10f33",
            Bucket::Webhook(_) => "d8e1e5b8e0a5c3f2b1a49e7c6d5f4a3b",
            Bucket::Commands(_) => "1c3a9bd0e6f2a4c8b7d5e3f1a2b4c6d8",
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Window {
    used: u32,
    limit: u32,
    reset_at: Instant,
}

/// The `X-RateLimit-*` values of one answer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BucketState {
    pub limit: u32,
    pub remaining: u32,
    pub reset_after: Duration,
    pub hash: &'static str,
}

/// Why a request was refused with 429.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Limited {
    pub retry_after: Duration,
    pub global: bool,
    /// A JSON error code in the body (Discord sends one for some limits, e.g. 20028).
    pub code: Option<u64>,
    /// `X-RateLimit-Scope: shared` (a limit of the resource, not the bot's doing).
    pub shared: bool,
}

#[derive(Debug, Default)]
pub(crate) struct RateLimiter {
    buckets: HashMap<Bucket, Window>,
    global: VecDeque<Instant>,
    /// Set by a test: the global limit refuses everything counted until then.
    global_until: Option<Instant>,
}

impl RateLimiter {
    /// Admits one request to `bucket` (if any; counted toward the global limit when `global`
    /// is `Some(limit per second)`). `enforce = false` admits everything but still counts.
    pub fn admit(
        &mut self,
        bucket: Option<(Bucket, RouteLimit)>,
        global: Option<u32>,
        enforce: bool,
        now: Instant,
    ) -> (Option<BucketState>, Result<(), Limited>) {
        let second = Duration::from_secs(1);
        while self
            .global
            .front()
            .is_some_and(|&t| now.duration_since(t) >= second)
        {
            self.global.pop_front();
        }
        let window = bucket.map(|(key, limit)| {
            let window = self.buckets.entry(key).or_insert(Window {
                used: 0,
                limit: limit.limit,
                reset_at: now + limit.window,
            });
            if now >= window.reset_at {
                *window = Window {
                    used: 0,
                    limit: limit.limit,
                    reset_at: now + limit.window,
                };
            }
            (key, window)
        });
        let state = |w: &Window, key: Bucket| BucketState {
            limit: w.limit,
            remaining: w.limit.saturating_sub(w.used),
            reset_after: w.reset_at.saturating_duration_since(now),
            hash: key.hash(),
        };
        if enforce {
            if let Some((key, w)) = &window
                && w.used >= w.limit
            {
                let retry_after = w.reset_at.saturating_duration_since(now);
                return (
                    Some(state(w, *key)),
                    Err(Limited {
                        retry_after,
                        global: false,
                        ..Limited::default()
                    }),
                );
            }
            if let Some(until) = self.global_until.filter(|u| global.is_some() && now < *u) {
                let shown = window.map(|(key, w)| state(w, key));
                let limited = Limited {
                    retry_after: until.saturating_duration_since(now),
                    global: true,
                    ..Limited::default()
                };
                return (shown, Err(limited));
            }
            if let Some(max) = global
                && self.global.len() >= max as usize
            {
                let oldest = self.global[self.global.len() - max as usize];
                let retry_after = (oldest + second).saturating_duration_since(now);
                let shown = window.map(|(key, w)| state(w, key));
                return (
                    shown,
                    Err(Limited {
                        retry_after,
                        global: true,
                        ..Limited::default()
                    }),
                );
            }
        }
        if global.is_some() {
            self.global.push_back(now);
        }
        let shown = window.map(|(key, w)| {
            w.used += 1;
            state(w, key)
        });
        (shown, Ok(()))
    }

    /// Uses up the global limit until `until` (as other processes of the bot would).
    pub fn exhaust_global(&mut self, until: Instant) {
        self.global_until = Some(until);
    }

    /// Uses up `bucket` until `now + retry_after` (as if the bot had spent it).
    pub fn exhaust(
        &mut self,
        bucket: Bucket,
        limit: RouteLimit,
        retry_after: Duration,
        now: Instant,
    ) {
        let window = Window {
            used: limit.limit,
            limit: limit.limit,
            reset_at: now + retry_after,
        };
        self.buckets.insert(bucket, window);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn a_bucket_refuses_until_its_window_resets() {
        let (mut limiter, t0) = (RateLimiter::default(), Instant::now());
        let five = Some((Bucket::ChannelMessages(1), RouteLimit::new(5, ms(5000))));
        for i in 0..5 {
            let (state, verdict) = limiter.admit(five, Some(50), true, t0 + ms(i));
            assert_eq!((state.unwrap().remaining, verdict), (4 - i as u32, Ok(())));
        }
        let (state, verdict) = limiter.admit(five, Some(50), true, t0 + ms(1000));
        assert_eq!(state.unwrap().remaining, 0);
        assert_eq!(
            verdict,
            Err(Limited {
                retry_after: ms(4000),
                global: false,
                ..Limited::default()
            })
        );
        let other = Some((Bucket::ChannelMessages(2), RouteLimit::new(5, ms(5000))));
        assert!(
            limiter
                .admit(other, Some(50), true, t0 + ms(1000))
                .1
                .is_ok()
        );
        assert!(limiter.admit(five, Some(50), true, t0 + ms(5000)).1.is_ok());
    }

    #[test]
    fn fifty_per_second_globally() {
        let (mut limiter, t0) = (RateLimiter::default(), Instant::now());
        for i in 0..50 {
            let bucket = Some((Bucket::ChannelMessages(i), RouteLimit::new(5, ms(5000))));
            assert!(limiter.admit(bucket, Some(50), true, t0 + ms(i)).1.is_ok());
        }
        let bucket = Some((Bucket::ChannelMessages(99), RouteLimit::new(5, ms(5000))));
        let (_, verdict) = limiter.admit(bucket, Some(50), true, t0 + ms(500));
        assert_eq!(
            verdict,
            Err(Limited {
                retry_after: ms(500),
                global: true,
                ..Limited::default()
            })
        );
        assert!(
            limiter
                .admit(bucket, Some(50), true, t0 + ms(1000))
                .1
                .is_ok()
        );
        // Exempt requests (interactions) pass regardless.
        assert!(limiter.admit(None, None, true, t0 + ms(1000)).1.is_ok());
    }

    #[test]
    fn an_exhausted_bucket_refuses_for_the_given_time() {
        let (mut limiter, t0) = (RateLimiter::default(), Instant::now());
        let limit = RouteLimit::new(5, ms(5000));
        limiter.exhaust(Bucket::ChannelMessages(1), limit, ms(300), t0);
        let bucket = Some((Bucket::ChannelMessages(1), limit));
        let (_, verdict) = limiter.admit(bucket, Some(50), true, t0 + ms(100));
        assert_eq!(
            verdict,
            Err(Limited {
                retry_after: ms(200),
                global: false,
                ..Limited::default()
            })
        );
        assert!(
            limiter
                .admit(bucket, Some(50), true, t0 + ms(300))
                .1
                .is_ok()
        );
    }
}
