//! The daily scheduler: one task that sleeps until the earliest instant
//! anything is due, sends what is, and sleeps again.
//!
//! It never polls: `schedule` computes the next instant, a changed plan
//! wakes it early, and a stop signal ends it. Due posts are sent a few at a
//! time (the send path keeps Telegram's limits), so hundreds of chats
//! sharing 09:00 go out at the global rate, and at most `IN_FLIGHT` sends
//! can be interrupted by a crash.

use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

use super::App;
use super::send::{Delivery, Patience};
use crate::study::DueWork;

/// Sends in flight at once: enough to keep 30 messages a second moving
/// over a slow network, few enough to bound repeats after a crash.
pub const IN_FLIGHT: usize = 8;

/// How long an item that could not be sent waits before trying again.
const RETRY_LATER: Duration = Duration::from_secs(300);

/// The longest sleep: a safety net against a missed wake-up.
const MAX_SLEEP: Duration = Duration::from_secs(3600);

pub async fn run(app: Arc<App>, mut stop: watch::Receiver<bool>) {
    let permits = Arc::new(Semaphore::new(IN_FLIGHT));
    let mut sending = JoinSet::new();
    match app.engine.unfinished_work(app.clock.now()).await {
        Ok(work) if !work.is_empty() => {
            log::info!(
                "resuming {} daily posts left unsent by the last run",
                work.len()
            );
            spawn_all(&app, &permits, &mut sending, work);
        }
        Ok(_) => {}
        Err(e) => log::error!("cannot read unsent daily posts: {e}"),
    }
    loop {
        let now = app.clock.now();
        let sleep = match app.engine.due_work(now).await {
            Ok((work, next)) => {
                log::debug!("scheduler at {now}: {} due, next at {next:?}", work.len());
                spawn_all(&app, &permits, &mut sending, work);
                next.map_or(MAX_SLEEP, |at| until(now, at))
            }
            Err(e) => {
                log::error!("cannot read daily plans: {e}; trying again in a minute");
                Duration::from_secs(60)
            }
        };
        while sending.try_join_next().is_some() {}
        // Forget limiter state of idle chats here, where we wake anyway.
        app.outbox.limits().tidy();
        tokio::select! {
            _ = tokio::time::sleep(sleep) => {}
            _ = app.engine.plans_changed() => {}
            _ = app.clock.moved() => {}
            _ = stop.changed() => break,
        }
    }
    finish(sending).await;
}

/// The wait from `now` to `at` (zero if past), at most `MAX_SLEEP`.
fn until(now: Timestamp, at: Timestamp) -> Duration {
    let wait = at.duration_since(now);
    if wait.is_negative() {
        return Duration::ZERO;
    }
    // Wake a hair after the instant so it is due when we look.
    Duration::try_from(wait).unwrap_or(MAX_SLEEP).min(MAX_SLEEP) + Duration::from_millis(5)
}

fn spawn_all(
    app: &Arc<App>,
    permits: &Arc<Semaphore>,
    sending: &mut JoinSet<()>,
    work: Vec<DueWork>,
) {
    for item in work {
        let app = app.clone();
        let permits = permits.clone();
        sending.spawn(async move {
            let mut item = item;
            loop {
                let Ok(permit) = permits.clone().acquire_owned().await else {
                    return;
                };
                match send(&app, item).await {
                    None => return,
                    // Telegram or the network kept failing: give the slot
                    // to others and try again later; the claim stays.
                    Some(unsent) => {
                        drop(permit);
                        tokio::time::sleep(RETRY_LATER).await;
                        item = unsent;
                    }
                }
            }
        });
    }
}

/// Sends one item; gives it back when it should be tried again later.
async fn send(app: &App, mut work: DueWork) -> Option<DueWork> {
    match app
        .outbox
        .deliver(&work.place, &work.post, Patience::Scheduled)
        .await
    {
        Delivery::Sent { chat_id, anchor } => {
            work.place.chat_id = chat_id;
            if let Err(e) = app.engine.work_sent(&work, anchor, app.clock.now()).await {
                log::error!("chat {chat_id}: daily post sent but not recorded: {e}");
            }
            None
        }
        Delivery::Gone | Delivery::Failed => {
            if let Err(e) = app.engine.work_abandoned(&work, app.clock.now()).await {
                log::error!("chat {}: {e}", work.place.chat_id);
            }
            None
        }
        Delivery::Unsent => Some(work),
    }
}

/// On stop: let sends in flight finish (a few seconds), then drop the
/// rest; their claims stay in the store and resume at the next start.
async fn finish(mut sending: JoinSet<()>) {
    let drain = async { while sending.join_next().await.is_some() {} };
    if tokio::time::timeout(Duration::from_secs(5), drain)
        .await
        .is_err()
    {
        log::warn!("stopping with daily posts unsent; they resume at the next start");
    }
}
