//! The fake's shared state: one mutex over everything a request reads or changes (handlers are
//! short and synchronous, so a single lock keeps every request atomic), plus two `Notify`s —
//! `activity` wakes `wait_until` after any request or push, `updates` wakes long polls and
//! webhook delivery.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use serde_json::Value;
use tokio::sync::Notify;

use crate::chats::Chats;
use crate::config::Config;
use crate::faults::Faults;
use crate::image::ImageSize;
use crate::limits::RateLimiter;
use crate::records::{CallbackAnswer, CommandSet, Request, SentMessage, SentPhoto};
use crate::reply::Answer;
use crate::updates::UpdateQueue;
use crate::webhook::Hook;

/// Everything recorded about the bot's behaviour.
#[derive(Debug, Default)]
pub(crate) struct Journal {
    pub requests: Vec<Request>,
    pub sent: Vec<SentMessage>,
    pub photos: Vec<SentPhoto>,
    pub callback_answers: Vec<CallbackAnswer>,
    pub count_429: usize,
}

/// Callback queries pushed to the bot: id → answered yet.
#[derive(Debug, Default)]
pub(crate) struct Callbacks {
    pub next_id: u64,
    pub answered: HashMap<String, bool>,
}

/// Mutable state behind the lock.
#[derive(Debug, Default)]
pub(crate) struct Inner {
    pub chats: Chats,
    pub updates: UpdateQueue,
    pub journal: Journal,
    pub faults: Faults,
    pub limiter: RateLimiter,
    pub rate_limits: bool,
    /// `setMyCommands` lists keyed by (scope JSON, language code).
    pub commands: BTreeMap<(String, String), CommandSet>,
    pub callbacks: Callbacks,
    /// Bumped by each `getUpdates`; an older poll that sees a newer generation answers 409.
    pub poll_generation: u64,
    /// Bumped by `release_pollers`; a poll that sees it change answers at once.
    pub poll_release: u64,
    /// `getUpdates` calls currently being served.
    pub polls_waiting: usize,
    /// Every poll sent: poll id → (chat id, message id).
    pub polls: HashMap<String, (i64, i32)>,
    /// Photos sent so far by `file_id` (size unknown, i.e. `None`, for URL photos).
    pub photo_files: HashMap<String, Option<ImageSize>>,
    /// The webhook, its backends and deliveries.
    pub hook: Hook,
}

#[derive(Debug)]
pub(crate) struct State {
    pub config: Config,
    inner: Mutex<Inner>,
    pub activity: Notify,
    pub updates: Notify,
}

impl State {
    pub fn new(config: Config) -> State {
        let inner = Inner {
            rate_limits: config.rate_limits,
            ..Inner::default()
        };
        State {
            config,
            inner: Mutex::new(inner),
            activity: Notify::new(),
            updates: Notify::new(),
        }
    }

    /// Locks the state; a panic elsewhere never makes the fake unusable.
    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Records a request and its answer, then wakes whoever waits for activity.
    pub fn record(&self, method: String, body: Value, at: Instant, answer: &Answer) {
        let status = answer.status();
        let (description, result) = match answer.body() {
            Some(body) => (
                body.get("description")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                body.get("result").cloned(),
            ),
            None => (None, None),
        };
        let request = Request {
            method,
            body,
            at,
            status,
            description,
            outcome: answer.outcome(),
            result,
        };
        {
            let mut inner = self.lock();
            if status == 429 {
                inner.journal.count_429 += 1;
            }
            inner.journal.requests.push(request);
        }
        self.activity.notify_waiters();
    }

    /// Wakes long polls (new updates, or a poll superseded/released) and activity waiters.
    pub fn wake_polls(&self) {
        self.updates.notify_waiters();
        self.activity.notify_waiters();
    }
}
