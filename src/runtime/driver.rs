//! The one daily loop, shared by every adapter.
//!
//! Daily posts and timed reveals follow the same steps on any platform:
//! resume what the last run claimed but never sent, claim what is due, hand
//! each item to the adapter, record what became of it, then sleep until the
//! next instant, a plan change, a clock move or a stop. This module owns
//! those steps; an adapter supplies only "deliver this post here"
//! ([`Deliver`]) and says what happened ([`Delivered`]). It knows no
//! platform: Telegram and the console drive the very same loop.
//!
//! It never polls: the engine keeps each plan's next instant indexed, a
//! wake-up reads only the plans due, and it sleeps until the earliest. Items are
//! claimed a batch at a time and handed out as soon as each batch is
//! claimed, so the first post leaves while the rest are still being
//! claimed. At most [`IN_FLIGHT`] deliveries run at once (the adapter keeps
//! its platform's rate limits), so a crash can interrupt at most that many.
//!
//! Store errors lose nothing: the driver knows which claimed items it holds
//! ([`WorkKey`]); a claim batch's posts are claimed in one transaction, so
//! a failed batch claims none of them, and what it did claim (a timed
//! reveal, or a batch whose work could not be built after its commit) is
//! found again within seconds (`Engine::orphaned_work`), and a post
//! that went out is recorded by retrying until the store answers (one
//! transaction, so a retry never records it twice). Posts that finish
//! together are recorded together, in one transaction (`recorder`).

use std::collections::HashSet;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::Timestamp;
use tokio::sync::{Semaphore, watch};
use tokio::task::{JoinHandle, JoinSet};

use crate::domain::{ChatId, MessageId, Platform};
use crate::ops::telemetry;
use crate::post::Post;
use crate::runtime::clock::Clock;
use crate::runtime::delivery::{Held, deliver, kind_label, lock};
use crate::runtime::recorder::{RecordCounts, Recorder};
use crate::study::{DueWork, Engine, PinJob, Pinned, Place, WorkKey};

/// Deliveries in flight at once: enough to keep 30 messages a second moving
/// over a slow network, few enough to bound repeats after a crash.
pub const IN_FLIGHT: usize = 8;

/// How long an item that could not be delivered waits before trying again.
const RETRY_LATER: Duration = Duration::from_secs(300);

/// How soon the store is asked again after an error.
const STORE_RETRY: Duration = Duration::from_secs(2);

/// The longest sleep: a safety net against a missed wake-up.
const MAX_SLEEP: Duration = Duration::from_secs(3600);

/// Plans claimed by the first batch of a wake-up: few, so the first post
/// leaves within milliseconds of its instant; later batches are larger.
const FIRST_BATCH: usize = 4;
const BATCH: usize = 64;

/// Claimed items waiting for a delivery slot before claiming pauses: claims
/// keep pace with sending, so memory does not grow with what is due.
const QUEUED_MAX: usize = 256;

/// Among replicas each one takes little ahead of what it sends (about a
/// second of its share): what is due is split as it goes out, so no
/// replica is left sending a long tail alone at half the bot's rate.
const REPLICA_BATCH: usize = 8;
const REPLICA_QUEUED_MAX: usize = 16;

/// What became of one delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivered {
    /// It went out; `chat_id` is where (a chat may have moved), and
    /// `message_id` is the message to remember (the one with the button).
    Sent {
        chat_id: ChatId,
        message_id: MessageId,
        /// A thread the adapter opened on the message (Discord's
        /// `thread:on`): what follows it, its reveal, goes there.
        thread: Option<i64>,
    },
    /// The chat is gone for the bot (the adapter told the engine).
    Gone,
    /// The platform refused it for good (logged by the adapter).
    Failed,
    /// It may go through later (network or server trouble, or this adapter
    /// cannot show it now); the claim stays and it is tried again.
    Unsent,
}

/// An adapter's one duty towards daily work: deliver this post here. The
/// driver hands it only work for chats of its [`platform`](Deliver::platform).
pub trait Deliver: Send + Sync + 'static {
    fn platform(&self) -> Platform;

    fn deliver(&self, work: &DueWork) -> impl Future<Output = Delivered> + Send;

    /// Pins `job.message_id` silently and unpins `job.unpin`, for chats
    /// that asked (`/pin on`). Adapters whose platform has no pins keep
    /// this answer; the engine lets no console chat turn pins on.
    fn pin(&self, job: &PinJob) -> impl Future<Output = Pinned> + Send {
        let _ = job;
        async { Pinned::Unsupported }
    }

    /// Says `post` in `place` (a notice about daily work, such as a missing
    /// right to pin). Only adapters that pin are ever asked.
    fn tell(&self, place: &Place, post: &Post) -> impl Future<Output = ()> + Send {
        let _ = post;
        let chat = place.chat_id;
        async move { log::warn!("chat {chat}: this adapter cannot say a notice") }
    }
}

/// Runs the daily loop until `stop` turns true, reading time from the
/// engine's clock. Deliveries in flight then get a few seconds to finish;
/// unsent claims resume at the next start.
pub async fn run<D: Deliver>(engine: Engine, adapter: Arc<D>, stop: watch::Receiver<bool>) {
    let counts = Arc::new(RecordCounts::default());
    run_counted(engine, adapter, stop, counts).await
}

/// [`run`], counting the recorder's transactions and items in `counts`.
async fn run_counted<D: Deliver>(
    engine: Engine,
    adapter: Arc<D>,
    mut stop: watch::Receiver<bool>,
    counts: Arc<RecordCounts>,
) {
    let engine = engine.serving(adapter.platform());
    let clock = engine.clock().clone();
    let permits = Arc::new(Semaphore::new(IN_FLIGHT));
    let (recorder, recording) = Recorder::start(engine.clone(), permits.clone(), counts.clone());
    let driver = Driver {
        engine,
        clock,
        adapter,
        permits,
        recorder,
        held: Arc::default(),
    };
    // Listen before the first look, so a change made meanwhile is heard.
    let mut plan_changes = driver.engine.plan_changes();
    let mut clock_moves = driver.clock.moves();
    let mut replicas = driver.engine.replica().map(|r| r.live_count());
    let mut sending = JoinSet::new();
    driver.release_held().await;
    driver.resume(&mut sending).await;
    // A store error may have left claims made but not handed out.
    let mut orphans = false;
    loop {
        if orphans {
            orphans = !driver.adopt_orphans(&mut sending).await;
        }
        let Some(sleep) = driver
            .hand_out_due(&mut sending, &mut stop, &mut orphans)
            .await
        else {
            break;
        };
        while sending.try_join_next().is_some() {}
        tokio::select! {
            _ = tokio::time::sleep(sleep) => {}
            _ = plan_changes.heard() => {}
            _ = clock_moves.heard() => driver.clock_moved().await,
            // A replica left or died: its open claims are adopted here.
            _ = replicas_changed(&mut replicas) => driver.resume(&mut sending).await,
            _ = stop.changed() => break,
        }
    }
    finish(sending).await;
    let Driver {
        engine, recorder, ..
    } = driver;
    finish_recording(recorder, recording, &counts).await;
    match engine.hand_back_claims().await {
        Ok(0) => {}
        Ok(n) => log::info!("handed {n} unsent daily items back to the other replicas"),
        Err(e) => log::error!("cannot hand unsent daily items back: {e}"),
    }
}

/// Resolves when the number of live replicas changes; never without
/// replicas (or once the count is no longer kept).
async fn replicas_changed(live: &mut Option<watch::Receiver<usize>>) {
    if let Some(receiver) = live {
        if receiver.changed().await.is_ok() {
            return;
        }
        *live = None;
    }
    std::future::pending::<()>().await
}

struct Driver<D> {
    engine: Engine,
    clock: Clock,
    adapter: Arc<D>,
    permits: Arc<Semaphore>,
    recorder: Recorder,
    /// The items handed out and not yet finished with.
    held: Arc<Mutex<HashSet<WorkKey>>>,
}

impl<D: Deliver> Driver<D> {
    /// The clock moved: every plan's next instant is worked out again.
    async fn clock_moved(&self) {
        if let Err(e) = self.engine.clock_moved().await {
            log::error!("cannot reset the daily plans' instants: {e}");
        }
    }

    /// Plans a previous run took and died before handling are due now.
    async fn release_held(&self) {
        match self.engine.release_held_plans(self.clock.now()).await {
            Ok(0) => {}
            Ok(n) => log::debug!("{n} plans due within a hold are looked at now"),
            Err(e) => log::error!("cannot look at the plans the last run took: {e}"),
        }
    }

    /// Hands out what a previous run claimed but never delivered.
    async fn resume(&self, sending: &mut JoinSet<()>) {
        match self.engine.unfinished_work(self.clock.now()).await {
            Ok(work) if !work.is_empty() => {
                log::info!(
                    "resuming {} daily posts left unsent by the last run or a replica gone",
                    work.len()
                );
                self.spawn_all(sending, work);
            }
            Ok(_) => {}
            Err(e) => log::error!("cannot read unsent daily posts: {e}"),
        }
    }

    /// Hands out again this engine's claims that no delivery holds (a claim
    /// batch failed after claiming them); false when the store failed.
    async fn adopt_orphans(&self, sending: &mut JoinSet<()>) -> bool {
        let held = lock(&self.held).clone();
        match self.engine.orphaned_work(self.clock.now(), &held).await {
            Ok(work) => {
                if !work.is_empty() {
                    log::info!(
                        "handing out {} daily items claimed before a store error",
                        work.len()
                    );
                }
                self.spawn_all(sending, work);
                true
            }
            Err(e) => {
                log::error!("cannot read the claimed daily items: {e}; trying again soon");
                false
            }
        }
    }

    /// Claims everything due now a batch at a time, handing each batch out
    /// as soon as it is claimed; returns how long to sleep, or `None` when
    /// told to stop meanwhile. A store error sets `orphans` (what the batch
    /// claimed is looked for again) and asks for a short sleep.
    async fn hand_out_due(
        &self,
        sending: &mut JoinSet<()>,
        stop: &mut watch::Receiver<bool>,
        orphans: &mut bool,
    ) -> Option<Duration> {
        let (batch, queued_max) = match self.engine.replica() {
            None => (BATCH, QUEUED_MAX),
            Some(_) => (REPLICA_BATCH, REPLICA_QUEUED_MAX),
        };
        let mut limit = FIRST_BATCH;
        loop {
            while sending.len() >= queued_max {
                tokio::select! {
                    _ = sending.join_next() => {}
                    _ = stop.changed() => return None,
                }
            }
            match self.engine.due_batch(self.clock.now(), limit).await {
                Ok(batch) => {
                    log::debug!("driver: {} items claimed", batch.work.len());
                    self.spawn_all(sending, batch.work);
                    if !batch.more {
                        break;
                    }
                }
                Err(e) => {
                    log::error!("cannot claim daily work: {e}; trying again in {STORE_RETRY:?}");
                    *orphans = true;
                    return Some(STORE_RETRY);
                }
            }
            limit = batch;
            // Let the sends just handed out start before claiming more.
            tokio::task::yield_now().await;
        }
        match self.engine.next_due().await {
            Ok(next) => Some(until(self.clock.now(), next)),
            Err(e) => {
                log::error!("cannot read daily plans: {e}; trying again in {STORE_RETRY:?}");
                Some(STORE_RETRY)
            }
        }
    }

    fn spawn_all(&self, sending: &mut JoinSet<()>, work: Vec<DueWork>) {
        for item in work {
            let key = WorkKey::of(&item);
            if !lock(&self.held).insert(key.clone()) {
                continue; // handed out already
            }
            let held = Held(self.held.clone(), key);
            telemetry::daily_due(kind_label(item.kind));
            let (engine, clock) = (self.engine.clone(), self.clock.clone());
            let (adapter, permits) = (self.adapter.clone(), self.permits.clone());
            let recorder = self.recorder.clone();
            sending.spawn(async move {
                let _held = held;
                let mut item = item;
                loop {
                    let Ok(permit) = permits.acquire().await else {
                        return;
                    };
                    match deliver(&engine, &clock, &*adapter, &recorder, item).await {
                        None => return,
                        // Delivery kept failing: give the slot to others and
                        // try again later; the claim stays.
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
}

/// The wait from `now` until `at` (zero if past), at most [`MAX_SLEEP`].
pub fn until(now: Timestamp, at: Option<Timestamp>) -> Duration {
    let Some(at) = at else { return MAX_SLEEP };
    let wait = at.duration_since(now);
    if wait.is_negative() {
        return Duration::ZERO;
    }
    // A hair after the instant, so it is due when we look.
    Duration::try_from(wait).unwrap_or(MAX_SLEEP).min(MAX_SLEEP) + Duration::from_millis(1)
}

/// On stop, once the deliveries are finished with: the recorder ends with
/// the records it holds written (a few seconds at most; what it could not
/// write resumes at the next start, as an unsent claim).
async fn finish_recording(recorder: Recorder, task: JoinHandle<()>, counts: &RecordCounts) {
    drop(recorder);
    let abort = task.abort_handle();
    if tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .is_err()
    {
        abort.abort();
        log::warn!("stopping with sent daily items not recorded; they resume at the next start");
    }
    let (transactions, items) = counts.read();
    if items > 0 {
        log::info!("recorded {items} sent daily items in {transactions} transactions");
    }
}

/// On stop: let deliveries in flight finish (a few seconds), then drop the
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

#[cfg(test)]
#[path = "driver_tests.rs"]
mod tests;
