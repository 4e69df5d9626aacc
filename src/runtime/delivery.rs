//! One daily item's way out, once the driver handed it a delivery slot:
//! deliver it through the adapter, record what became of it (retrying until
//! the store takes it: what went out must never go out again; a sent item
//! through the driver's `recorder`, batched with others), and pin a
//! daily question that went out. Split from `driver`, which decides what is
//! handed out and when.

use std::collections::HashSet;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use jiff::Timestamp;

use crate::domain::{ChatId, MessageId};
use crate::ops::telemetry;
use crate::runtime::clock::Clock;
use crate::runtime::driver::{Deliver, Delivered};
use crate::runtime::recorder::Recorder;
use crate::study::{DueKind, DueWork, Engine, SentWork, WorkKey};

/// The longest wait between tries to record a post that went out.
const RECORD_RETRY_MAX: Duration = Duration::from_secs(30);

/// A daily post sent later than this after its instant is counted late.
const LATE: Duration = Duration::from_secs(60);

pub(super) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// An item the driver holds, until this is dropped (its task ended).
pub(super) struct Held(pub(super) Arc<Mutex<HashSet<WorkKey>>>, pub(super) WorkKey);

impl Drop for Held {
    fn drop(&mut self) {
        lock(&self.0).remove(&self.1);
    }
}

/// Runs `record` until the store takes it: what it records already
/// happened, so giving up would have it done again. Each try is one
/// transaction; the waits grow from half a second to [`RECORD_RETRY_MAX`].
pub(super) async fn until_recorded<F, E>(chat: ChatId, what: &str, mut record: impl FnMut() -> F)
where
    F: Future<Output = Result<(), E>>,
    E: std::fmt::Display,
{
    let mut wait = Duration::from_millis(500);
    while let Err(e) = record().await {
        log::error!("chat {chat}: {what} not recorded yet ({e}); trying again in {wait:?}");
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(RECORD_RETRY_MAX);
    }
}

/// Delivers one item and records the outcome (a sent item through the
/// driver's `recorder`, with the items sent alongside); gives it back when
/// it should be tried again later.
pub(super) async fn deliver<D: Deliver>(
    engine: &Engine,
    clock: &Clock,
    adapter: &D,
    recorder: &Recorder,
    mut work: DueWork,
) -> Option<DueWork> {
    match adapter.deliver(&work).await {
        Delivered::Sent {
            chat_id,
            message_id,
            thread,
        } => {
            work.place.chat_id = chat_id;
            if thread.is_some() {
                work.place.thread_id = thread;
            }
            let sent_at = clock.now();
            telemetry::daily_sent(kind_label(work.kind), is_late(&work, sent_at));
            let sent = SentWork {
                work: work.clone(),
                message_id,
                at: sent_at,
            };
            if !recorder.record(sent).await {
                until_recorded(chat_id, "a daily item sent but", || {
                    engine.work_sent(&work, message_id, sent_at)
                })
                .await;
            }
            pin_after(engine, clock, adapter, &work, message_id).await;
            None
        }
        Delivered::Gone => {
            let chat = work.place.chat_id;
            until_recorded(chat, "a gone chat", || engine.work_gone(&work, clock.now())).await;
            None
        }
        Delivered::Failed => {
            let chat = work.place.chat_id;
            let abandon = || engine.work_abandoned(&work, clock.now());
            until_recorded(chat, "a refused daily item", abandon).await;
            None
        }
        Delivered::Unsent => Some(work),
    }
}

/// A daily item's kind, as a metric label.
pub(super) fn kind_label(kind: DueKind) -> &'static str {
    match kind {
        DueKind::Post => "post",
        DueKind::Reveal => "reveal",
        DueKind::Remind => "remind",
        DueKind::Digest => "digest",
    }
}

/// A daily post sent more than [`LATE`] after its instant; a post resumed
/// after a restart counts as late (its plan, and so its instant, is not
/// kept). Only daily posts are judged: reveals, reminders and digests
/// carry no instant.
fn is_late(work: &DueWork, now: Timestamp) -> bool {
    if work.kind != DueKind::Post {
        return false;
    }
    let Some(plan) = &work.plan else { return true };
    let instant = crate::schedule::post_instant(plan, work.date);
    now.duration_since(instant) > jiff::SignedDuration::from_secs(LATE.as_secs() as i64)
}

/// Pins a daily question that went out, if its chat pins; the post is
/// recorded already, so nothing here can undo or repeat it.
async fn pin_after<D: Deliver>(
    engine: &Engine,
    clock: &Clock,
    adapter: &D,
    work: &DueWork,
    message_id: MessageId,
) {
    let chat = work.place.chat_id;
    let job = match engine.pin_job(work, message_id).await {
        Ok(Some(job)) => job,
        Ok(None) => return,
        Err(e) => return log::error!("chat {chat}: cannot read its pin setting: {e}"),
    };
    let outcome = adapter.pin(&job).await;
    match engine.pin_outcome(&job, outcome, clock.now()).await {
        Ok(Some(notice)) => adapter.tell(&work.place, &notice).await,
        Ok(None) => {}
        Err(e) => log::error!("chat {chat}: pinned ({outcome:?}) but not recorded: {e}"),
    }
}
