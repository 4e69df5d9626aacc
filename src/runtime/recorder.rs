//! The driver's recorder: daily items that went out, recorded a batch at a
//! time (issue 19).
//!
//! Each delivery that sent its item hands the record here and waits, still
//! holding its delivery slot, until the store took it. The recorder takes
//! the first record waiting, every record already queued, and those that
//! arrive within [`GATHER`] (less when every delivery in flight is waiting
//! on it), and writes them in one transaction (`Engine::works_sent`),
//! retried whole until the store takes it.
//!
//! What a crash between send and record can cost: the items sent but not
//! yet recorded go out again at the next start (their claims are resumed).
//! As each waits in its delivery slot until its record is committed, that
//! is at most [`IN_FLIGHT`] items, as when each was recorded alone.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::mpsc::error::TryRecvError;
use tokio::sync::{Semaphore, mpsc, oneshot};
use tokio::task::JoinHandle;

use crate::runtime::delivery::until_recorded;
use crate::runtime::driver::IN_FLIGHT;
use crate::study::{Engine, SentWork};

/// How long the recorder waits for more records after the first. Sends
/// finish one at a time under Telegram's 30 a second (one every 33 ms), so
/// a window of a few milliseconds recorded nearly every post alone: a
/// transaction of six round trips to the store a post. A tenth of a second
/// gathers about three. Every delivery waiting keeps its slot meanwhile,
/// and with the others queued at the rate limiter that costs no sends; a
/// lone post does not wait (see `gather`).
const GATHER: Duration = Duration::from_millis(100);

/// How many records went in how many transactions, since the driver
/// started (logged when it stops).
#[derive(Debug, Default)]
pub struct RecordCounts {
    pub transactions: AtomicUsize,
    pub items: AtomicUsize,
}

impl RecordCounts {
    /// (transactions, items) so far.
    pub fn read(&self) -> (usize, usize) {
        let transactions = self.transactions.load(Ordering::Relaxed);
        (transactions, self.items.load(Ordering::Relaxed))
    }
}

/// A record waiting, and how to tell its delivery it was taken.
struct Waiting {
    sent: SentWork,
    taken: oneshot::Sender<()>,
}

/// The deliveries' way to the recorder task.
#[derive(Clone)]
pub(super) struct Recorder {
    records: mpsc::UnboundedSender<Waiting>,
}

impl Recorder {
    /// Starts the recorder task; it ends once every `Recorder` is dropped
    /// and what it was handed is recorded. `permits` are the driver's
    /// delivery slots (to know when every delivery in flight waits).
    pub(super) fn start(
        engine: Engine,
        permits: Arc<Semaphore>,
        counts: Arc<RecordCounts>,
    ) -> (Recorder, JoinHandle<()>) {
        let (records, waiting) = mpsc::unbounded_channel();
        let task = tokio::spawn(record_all(engine, permits, counts, waiting));
        (Recorder { records }, task)
    }

    /// Hands `sent` to the recorder and waits until the store took it.
    /// False when the recorder is gone before saying so: the caller then
    /// records it alone (a second record of an item changes nothing).
    pub(super) async fn record(&self, sent: SentWork) -> bool {
        let (taken, answer) = oneshot::channel();
        if self.records.send(Waiting { sent, taken }).is_err() {
            return false;
        }
        answer.await.is_ok()
    }
}

async fn record_all(
    engine: Engine,
    permits: Arc<Semaphore>,
    counts: Arc<RecordCounts>,
    mut waiting: mpsc::UnboundedReceiver<Waiting>,
) {
    while let Some(first) = waiting.recv().await {
        let batch = gather(first, &mut waiting, &permits).await;
        let sent: Vec<SentWork> = batch.iter().map(|w| w.sent.clone()).collect();
        let chat = sent[0].work.place.chat_id;
        let what = format!("{} daily items sent but", sent.len());
        until_recorded(chat, &what, || engine.works_sent(&sent)).await;
        counts.transactions.fetch_add(1, Ordering::Relaxed);
        counts.items.fetch_add(sent.len(), Ordering::Relaxed);
        log::debug!("recorder: {} daily items in one transaction", sent.len());
        for record in batch {
            let _ = record.taken.send(());
        }
    }
}

/// `first`, the records queued behind it, and those arriving within
/// [`GATHER`]; at once when every delivery in flight is among them.
async fn gather(
    first: Waiting,
    waiting: &mut mpsc::UnboundedReceiver<Waiting>,
    permits: &Semaphore,
) -> Vec<Waiting> {
    let mut batch = vec![first];
    let until = tokio::time::Instant::now() + GATHER;
    loop {
        match waiting.try_recv() {
            Ok(record) => {
                batch.push(record);
                continue;
            }
            Err(TryRecvError::Disconnected) => break,
            Err(TryRecvError::Empty) => {}
        }
        let in_flight = IN_FLIGHT.saturating_sub(permits.available_permits());
        if batch.len() >= in_flight {
            break;
        }
        match tokio::time::timeout_at(until, waiting.recv()).await {
            Ok(Some(record)) => batch.push(record),
            _ => break,
        }
    }
    batch
}
