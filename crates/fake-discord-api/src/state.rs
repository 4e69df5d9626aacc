//! The fake's shared state: one mutex over everything a request reads or changes (handlers are
//! short and synchronous, so each request is atomic), and a `Notify` that wakes `wait_until`
//! after every request, gateway frame or injected event.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use tokio::sync::Notify;

use crate::commands_store::Commands;
use crate::config::Config;
use crate::faults::Faults;
use crate::gateway::sessions::Gateway;
use crate::interactions::Interactions;
use crate::limits::RateLimiter;
use crate::records::Request;
use crate::world::World;

#[derive(Debug, Default)]
pub(crate) struct Inner {
    pub world: World,
    pub commands: Commands,
    pub interactions: Interactions,
    pub limiter: RateLimiter,
    pub faults: Faults,
    pub gateway: Gateway,
    pub requests: Vec<Request>,
    pub rate_limits: bool,
    /// `ws://127.0.0.1:PORT`, sent as READY's `resume_gateway_url`.
    pub gateway_url: String,
}

#[derive(Debug)]
pub(crate) struct State {
    pub config: Config,
    inner: Mutex<Inner>,
    pub activity: Notify,
}

impl State {
    pub fn new(config: Config) -> State {
        let mut inner = Inner {
            rate_limits: config.rate_limits,
            ..Inner::default()
        };
        let limit = config.session_start_limit;
        inner.gateway.budget = crate::gateway::budget::Budget::new(limit, Instant::now());
        State {
            config,
            inner: Mutex::new(inner),
            activity: Notify::new(),
        }
    }

    /// Locks the state; a panic elsewhere never makes the fake unusable.
    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn wake(&self) {
        self.activity.notify_waiters();
    }
}
