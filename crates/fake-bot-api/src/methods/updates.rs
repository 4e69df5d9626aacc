//! `getUpdates` as long polling: confirm everything below `offset`, then answer at once if
//! updates are waiting, else wait until one is pushed or `timeout` seconds pass. A newer poll
//! ends an older one with 409 Conflict, as Telegram does when two bot instances poll.

use std::time::Duration;

use serde_json::Value;
use tokio::time::Instant;

use super::params::integer;
use crate::reply::Failure;
use crate::state::State;

const MAX_LIMIT: i64 = 100;

/// How long a superseded poll waits for its connection to be found closed
/// before it answers 409.
const ABANDONED_POLL_GRACE: Duration = Duration::from_millis(250);

/// What a poll asked for.
struct Poll {
    offset: Option<i64>,
    limit: usize,
    wait: Duration,
    allowed: Option<Vec<String>>,
}

pub(crate) async fn get_updates(state: &State, body: &Value) -> Result<Value, Failure> {
    if state.lock().hook.set.is_some() {
        return Err(Failure::webhook_active());
    }
    let poll = parse(body, state.config.long_poll_cap)?;
    let deadline = Instant::now() + poll.wait;
    let (generation, release) = {
        let mut inner = state.lock();
        inner.poll_generation += 1;
        if let Some(offset) = poll.offset {
            inner.updates.confirm(offset);
        }
        if let Some(kinds) = poll.allowed {
            inner.updates.set_allowed(kinds);
        }
        (inner.poll_generation, inner.poll_release)
    };
    state.wake_polls();
    let _waiting = WaitingPoll::new(state);
    loop {
        let notified = state.updates.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        let superseded = {
            let mut inner = state.lock();
            let superseded = inner.poll_generation != generation;
            let updates = inner.updates.take(if superseded { 0 } else { poll.limit });
            let released = inner.poll_release != release;
            if !superseded && (!updates.is_empty() || released || Instant::now() >= deadline) {
                return Ok(Value::Array(updates));
            }
            superseded
        };
        if superseded {
            // A client that abandoned this poll (teloxide drops its long poll
            // when it stops, then confirms with a short one) has closed the
            // connection, and the server drops this future here: it answers
            // nobody and is not recorded. Only a poll whose client still
            // waits, as a second bot instance would, gets the 409.
            tokio::time::sleep(ABANDONED_POLL_GRACE).await;
            return Err(Failure::conflict());
        }
        // Either woken (re-check) or the deadline passed (the next check answers empty).
        let _ = tokio::time::timeout_at(deadline, notified).await;
    }
}

/// Counts a poll in `Inner::polls_waiting` for as long as it is alive (even if its
/// connection is aborted mid-wait).
struct WaitingPoll<'a>(&'a State);

impl<'a> WaitingPoll<'a> {
    fn new(state: &'a State) -> WaitingPoll<'a> {
        state.lock().polls_waiting += 1;
        state.activity.notify_waiters();
        WaitingPoll(state)
    }
}

impl Drop for WaitingPoll<'_> {
    fn drop(&mut self) {
        self.0.lock().polls_waiting -= 1;
    }
}

fn parse(body: &Value, cap: Option<Duration>) -> Result<Poll, Failure> {
    let field = |name: &str| body.get(name).filter(|v| !v.is_null());
    let offset = field("offset").map(|v| integer(v, "offset")).transpose()?;
    let limit = field("limit")
        .map(|v| integer(v, "limit"))
        .transpose()?
        .unwrap_or(MAX_LIMIT);
    let timeout = field("timeout")
        .map(|v| integer(v, "timeout"))
        .transpose()?
        .unwrap_or(0);
    let mut wait = Duration::from_secs(timeout.max(0).unsigned_abs());
    if let Some(cap) = cap {
        wait = wait.min(cap);
    }
    let allowed = field("allowed_updates").map(allowed_kinds).transpose()?;
    let limit = usize::try_from(limit.clamp(1, MAX_LIMIT)).unwrap_or(1);
    Ok(Poll {
        offset,
        limit,
        wait,
        allowed,
    })
}

pub(super) fn allowed_kinds(value: &Value) -> Result<Vec<String>, Failure> {
    let invalid = || Failure::bad_request("can't parse allowed updates");
    let list = match value {
        Value::String(s) => serde_json::from_str(s).map_err(|_| invalid())?,
        other => other.clone(),
    };
    list.as_array()
        .ok_or_else(invalid)?
        .iter()
        .map(|kind| kind.as_str().map(str::to_string).ok_or_else(invalid))
        .collect()
}
