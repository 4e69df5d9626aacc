//! The update dispatcher: one lane per chat (one per person for button
//! presses and poll answers), each a short bounded queue drained by its own
//! task, so no chat's backlog holds up another's.
//!
//! teloxide's dispatcher awaits a full per-chat queue (64) in its one fetch
//! loop, so a single flooded group stalled every chat, and its shutdown
//! waited for every queued reply at the group's 20 a minute. Here the fetch
//! loop never waits on a lane: it `try_send`s what `admission` admits and
//! skips the rest. Stopping drops what is still queued (counted in the log)
//! and gives the updates being handled [`GRACE`] to finish.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures::StreamExt;
use teloxide::dispatching::UpdateHandler;
use teloxide::dptree::di::DependencyMap;
use teloxide::payloads::AnswerCallbackQuerySetters;
use teloxide::prelude::Requester;
use teloxide::types::{AllowedUpdate, Me, Message, Update, UpdateKind};
use teloxide::update_listeners::UpdateListener;
use tokio::sync::{OwnedSemaphorePermit, mpsc, watch};
use tokio::task::JoinSet;
use tokio::time::Instant;

use super::App;
use super::admission::{self, Lane, Notes, People, Policy, Ticket};
use super::handlers::{self, HandlerError};
use super::send::Patience;
use super::webhook_route::Receipts;
use crate::domain::Platform;
use crate::ops::telemetry;
use crate::post::Post;
use crate::study::i18n;

/// After `stop`, how long updates being handled may take to finish.
pub const GRACE: Duration = Duration::from_secs(4);

/// Lanes are swept of idle ones when this many are open (then at twice
/// what remains).
const SWEEP_FLOOR: usize = 256;

struct Job {
    update: Update,
    _ticket: Option<Ticket>,
    /// The webhook's slot, given back once handled.
    _slot: Option<OwnedSemaphorePermit>,
}

/// Where updates come from: long polling, or the webhook (whose updates
/// hold a slot of its queue until handled).
pub trait Source: UpdateListener + Send {
    fn receipts(&self) -> Option<Arc<Receipts>> {
        None
    }
}

impl<B> Source for teloxide::update_listeners::Polling<B> where
    B: teloxide::requests::Requester + Send + 'static
{
}

impl Source for super::webhook_route::Listener {
    fn receipts(&self) -> Option<Arc<Receipts>> {
        Some(self.receipts())
    }
}

struct LaneTx {
    tx: mpsc::Sender<Job>,
    /// Jobs sent and not yet handled (the one being handled included).
    pending: Arc<AtomicUsize>,
}

/// What every lane's task runs updates with.
struct Runner {
    handler: UpdateHandler<HandlerError>,
    deps: DependencyMap,
    closing: watch::Receiver<bool>,
    dropped: AtomicUsize,
}

/// The dispatcher.
pub struct Lanes {
    app: Arc<App>,
    policy: Policy,
    runner: Arc<Runner>,
    closing: watch::Sender<bool>,
    lanes: HashMap<Lane, LaneTx>,
    people: Arc<People>,
    notes: Arc<Notes>,
    workers: JoinSet<()>,
    sweep_at: usize,
    /// The webhook's, when it is the source.
    pub receipts: Option<Arc<Receipts>>,
}

impl Lanes {
    pub fn new(app: Arc<App>, me: Me, policy: Policy) -> Lanes {
        let (closing, closed) = watch::channel(false);
        let runner = Runner {
            handler: handlers::schema(),
            deps: teloxide::dptree::deps![app.clone(), app.bot.clone(), me],
            closing: closed,
            dropped: AtomicUsize::new(0),
        };
        Lanes {
            notes: Arc::new(Notes::new(policy.note_every)),
            app,
            policy,
            runner: Arc::new(runner),
            closing,
            lanes: HashMap::new(),
            people: Arc::default(),
            workers: JoinSet::new(),
            sweep_at: SWEEP_FLOOR,
            receipts: None,
        }
    }

    /// Handles what `listener` yields until it ends or `stop` turns true;
    /// then stops it and returns within about [`GRACE`].
    pub async fn run<L>(
        mut self,
        mut listener: L,
        allowed: Vec<AllowedUpdate>,
        mut stop: watch::Receiver<bool>,
        failure: &'static str,
    ) where
        L: Source,
        L::Err: std::fmt::Debug,
    {
        listener.hint_allowed_updates(&mut allowed.into_iter());
        let token = listener.stop_token();
        let stream = listener.as_stream();
        tokio::pin!(stream);
        loop {
            tokio::select! {
                next = stream.next() => match next {
                    Some(Ok(update)) => self.offer(update),
                    Some(Err(e)) => log::error!("{failure}: {e:?}"),
                    None => break,
                },
                _ = stop.wait_for(|stop| *stop) => break,
            }
        }
        token.stop();
        let _ = self.closing.send(true);
        let deadline = Instant::now() + GRACE;
        // What the listener still yields (polling confirms it) is dropped.
        let rest = async {
            while let Some(next) = stream.next().await {
                if next.is_ok() {
                    self.runner.dropped.fetch_add(1, Ordering::Relaxed);
                }
            }
        };
        let _ = tokio::time::timeout_at(deadline, rest).await;
        self.finish(deadline).await;
    }

    /// Lanes drop their queues; updates being handled get until `deadline`.
    async fn finish(mut self, deadline: Instant) {
        self.lanes.clear();
        let workers = async { while self.workers.join_next().await.is_some() {} };
        let cut = tokio::time::timeout_at(deadline, workers).await.is_err();
        if cut {
            log::warn!(
                "stopping: {} updates still being handled were cut off",
                self.workers.len()
            );
            self.workers.abort_all();
        }
        let dropped = self.runner.dropped.load(Ordering::Relaxed);
        if dropped > 0 {
            log::warn!("stopping: {dropped} queued updates dropped unanswered");
        }
    }

    /// Queues `update` in its lane, or skips it (see `admission`).
    fn offer(&mut self, update: Update) {
        if let UpdateKind::Error(e) = &update.kind {
            log::warn!("an update Telegram sent could not be read: {e}");
            return;
        }
        let lane = admission::lane_of(&update);
        // Handled or skipped, the update's webhook slot goes with it.
        let slot = self.receipts.as_ref().and_then(|r| r.take(update.id));
        self.sweep_if_large();
        let (policy, people) = (self.policy, self.people.clone());
        let lane_tx = self.lane(lane);
        let pending = lane_tx.pending.clone();
        let mut ticket = None;
        if let Some(message) = admission::command_of(&update) {
            if pending.load(Ordering::Relaxed) >= policy.chat_commands {
                return self.skip(message, "chat");
            }
            if let Some(person) = message.from.as_ref().map(|u| u.id.0) {
                match people.take(person, policy.person_commands) {
                    Some(t) => ticket = Some(t),
                    None => return self.skip(message, "person"),
                }
            }
        }
        pending.fetch_add(1, Ordering::Relaxed);
        let job = Job {
            update,
            _ticket: ticket,
            _slot: slot,
        };
        if let Err(e) = lane_tx.tx.try_send(job) {
            pending.fetch_sub(1, Ordering::Relaxed);
            telemetry::skipped(Platform::Telegram, "backlog");
            log::warn!("lane {lane:?}: its queue is full; an update was skipped");
            let job = match e {
                mpsc::error::TrySendError::Full(job) | mpsc::error::TrySendError::Closed(job) => {
                    job
                }
            };
            self.answer_skipped_press(job.update);
        }
    }

    /// A button press that was skipped is still answered ("busy"), so the
    /// presser's button stops spinning and they know to press again.
    fn answer_skipped_press(&self, update: Update) {
        let UpdateKind::CallbackQuery(query) = update.kind else {
            return;
        };
        let app = self.app.clone();
        tokio::spawn(async move {
            let lang = query.from.language_code.as_deref().map_or(
                app.engine.config().default_lang,
                crate::study::Lang::from_user,
            );
            let answer = app
                .bot
                .answer_callback_query(query.id)
                .text(i18n::busy(lang));
            if let Err(e) = answer.await {
                log::debug!("a skipped press could not be answered: {e}");
            }
        });
    }

    fn lane(&mut self, lane: Lane) -> &LaneTx {
        let (runner, depth) = (&self.runner, self.policy.lane_depth);
        let workers = &mut self.workers;
        self.lanes.entry(lane).or_insert_with(|| {
            let (tx, rx) = mpsc::channel(depth);
            let pending = Arc::new(AtomicUsize::new(0));
            workers.spawn(work(rx, pending.clone(), runner.clone()));
            LaneTx { tx, pending }
        })
    }

    /// Lanes with nothing pending are closed (their task ends); only this
    /// loop adds to `pending`, so none can be about to receive.
    fn sweep_if_large(&mut self) {
        if self.lanes.len() < self.sweep_at {
            return;
        }
        self.lanes
            .retain(|_, lane| lane.pending.load(Ordering::Relaxed) > 0);
        self.sweep_at = (self.lanes.len() * 2).max(SWEEP_FLOOR);
        // Reap the tasks that ended.
        while self.workers.try_join_next().is_some() {}
    }

    /// A command was skipped: counted, and the chat told at most once in
    /// [`Policy::note_every`].
    fn skip(&self, message: &Message, reason: &'static str) {
        telemetry::skipped(Platform::Telegram, reason);
        let chat = message.chat.id.0;
        log::debug!("chat {chat}: a command was skipped ({reason})");
        if self.notes.skipped(chat, std::time::Instant::now()) {
            let (app, notes) = (self.app.clone(), self.notes.clone());
            tokio::spawn(tell_slow_down(app, notes, message.clone()));
        }
    }
}

/// One lane's task: handles its updates in order until its sender is
/// dropped; once stopping, what is still queued is dropped.
async fn work(mut rx: mpsc::Receiver<Job>, pending: Arc<AtomicUsize>, runner: Arc<Runner>) {
    while let Some(job) = rx.recv().await {
        if *runner.closing.borrow() {
            runner.dropped.fetch_add(1, Ordering::Relaxed);
            telemetry::skipped(Platform::Telegram, "stopping");
        } else {
            runner.handle(job.update).await;
        }
        pending.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Runner {
    async fn handle(&self, update: Update) {
        let mut deps = self.deps.clone();
        deps.insert(update);
        if let std::ops::ControlFlow::Break(Err(e)) = self.handler.dispatch(deps).await {
            log::error!("an update handler failed: {e}");
        }
    }
}

/// "Slow down, N skipped" in the chat of `message`, in its language; N is
/// read a moment later, so a burst is told as one.
async fn tell_slow_down(app: Arc<App>, notes: Arc<Notes>, message: Message) {
    tokio::time::sleep(Duration::from_secs(1)).await;
    let incoming = handlers::incoming_of(&app, &message);
    let lang = match app.engine.lang_of(&incoming).await {
        Ok(lang) => lang,
        Err(_) => app.engine.config().default_lang,
    };
    let skipped = notes.telling(message.chat.id.0, std::time::Instant::now());
    let post = Post::text(i18n::flood::slow_down(lang, skipped));
    app.outbox
        .deliver(&incoming.place, &post, Patience::Reply)
        .await;
}
