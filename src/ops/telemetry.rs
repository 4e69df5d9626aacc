//! What the bot counts for its operator, and when each platform last
//! answered.
//!
//! The few central places (the engine's turn, the daily driver, each send
//! path) call these functions; nothing else does. They are the `metrics`
//! crate's macros under fixed names: without a recorder (no
//! `STUDYBOT_HTTP`) they cost next to nothing; `http` installs the
//! Prometheus recorder and renders it at `/metrics`. "Last reached" is one
//! atomic per platform, read by `/readyz`. Nothing here changes what the bot
//! does.

use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use metrics::{counter, gauge, histogram};

use crate::domain::Platform;
use crate::post::{Post, PostKind};

/// Reply latency: the histogram's name, for its buckets.
pub const REPLY_SECONDS: &str = "studybot_reply_seconds";

/// Unix milliseconds of the last successful exchange with each platform
/// (0: never), indexed by [`slot`]. The console is always "reached".
static REACHED: [AtomicI64; 3] = [AtomicI64::new(0), AtomicI64::new(0), AtomicI64::new(0)];

fn slot(platform: Platform) -> usize {
    match platform {
        Platform::Telegram => 0,
        Platform::Discord => 1,
        Platform::Console => 2,
    }
}

fn unix_millis(at: SystemTime) -> i64 {
    at.duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// Whether anyone reads these (`STUDYBOT_HTTP` is on).
static WATCHED: AtomicBool = AtomicBool::new(false);

/// Someone reads these from now on: adapters may spend a request now and
/// then to keep "last reached" true on a quiet bot.
pub fn watched() {
    WATCHED.store(true, Ordering::Relaxed);
}

pub fn is_watched() -> bool {
    WATCHED.load(Ordering::Relaxed)
}

/// `platform` answered a request successfully (a poll, a send, an event).
pub fn reached(platform: Platform) {
    REACHED[slot(platform)].store(unix_millis(SystemTime::now()), Ordering::Relaxed);
}

/// How long ago `platform` last answered, if it ever did.
pub fn since_reached(platform: Platform) -> Option<Duration> {
    let at = REACHED[slot(platform)].load(Ordering::Relaxed);
    (at > 0).then(|| {
        let now = unix_millis(SystemTime::now());
        Duration::from_millis(u64::try_from(now - at).unwrap_or(0))
    })
}

/// How long a platform may go unheard before a bot with `/readyz` on asks
/// it something, so that `/readyz` tells a quiet bot from one cut off.
pub const QUIET: Duration = Duration::from_secs(60);

/// While `/readyz` is served, until `stop`: whenever `platform` has not
/// been heard from for [`QUIET`], `ask` it something cheap (true when it
/// answered). A busy bot, or one that hears the platform anyway, never asks.
pub async fn keep_in_touch<F, A>(
    platform: Platform,
    mut ask: F,
    mut stop: tokio::sync::watch::Receiver<bool>,
) where
    F: FnMut() -> A,
    A: std::future::Future<Output = bool>,
{
    loop {
        let quiet_for = since_reached(platform).unwrap_or(QUIET);
        let wait = QUIET.saturating_sub(quiet_for);
        if wait.is_zero() && ask().await {
            reached(platform);
        }
        let nap = if wait.is_zero() { QUIET } else { wait };
        tokio::select! {
            _ = tokio::time::sleep(nap) => {}
            _ = stop.wait_for(|stop| *stop) => return,
        }
    }
}

/// One update handled by the engine: a command (`ask`, `daily`…), a button
/// (`button_reveal`…), a poll answer or a report.
pub fn update(platform: Platform, kind: &'static str) {
    counter!("studybot_updates_total", "platform" => platform.as_str(), "kind" => kind)
        .increment(1);
}

/// A post's kind as a label.
pub fn post_kind(post: &Post) -> &'static str {
    match post.kind {
        PostKind::Question { .. } => "question",
        PostKind::Reveal { .. } => "reveal",
        PostKind::Notice => "notice",
        PostKind::ReportPrompt { .. } => "report_prompt",
        PostKind::SuggestPrompt { .. } => "suggest_prompt",
    }
}

/// A post went out whole.
pub fn post_sent(platform: Platform, post: &Post) {
    counter!("studybot_posts_sent_total", "platform" => platform.as_str(), "kind" => post_kind(post))
        .increment(1);
}

/// A post did not go out: `reason` is `gone` (the chat removed the bot),
/// `refused` or `unsent` (network or server trouble; it may go later).
pub fn post_failed(platform: Platform, post: &Post, reason: &'static str) {
    counter!(
        "studybot_posts_failed_total",
        "platform" => platform.as_str(),
        "kind" => post_kind(post),
        "reason" => reason
    )
    .increment(1);
}

/// The platform answered 429 Too Many Requests.
pub fn rate_limited(platform: Platform) {
    counter!("studybot_rate_limited_total", "platform" => platform.as_str()).increment(1);
}

/// An update was not handled: `reason` is `chat` (the chat's backlog is
/// full), `person` (the sender's is), `backlog` (a lane's queue is full)
/// or `stopping` (dropped at shutdown).
pub fn skipped(platform: Platform, reason: &'static str) {
    counter!("studybot_updates_skipped_total", "platform" => platform.as_str(), "reason" => reason)
        .increment(1);
}

/// A post in the send path (waiting for a rate-limit slot or being sent):
/// counted in `studybot_send_queue` while this lives.
pub struct Queued(Platform);

impl Queued {
    pub fn enter(platform: Platform) -> Queued {
        gauge!("studybot_send_queue", "platform" => platform.as_str()).increment(1.0);
        Queued(platform)
    }
}

impl Drop for Queued {
    fn drop(&mut self) {
        gauge!("studybot_send_queue", "platform" => self.0.as_str()).decrement(1.0);
    }
}

/// The daily driver handed an item (`post`, `reveal`, `remind`, `digest`)
/// to its adapter.
pub fn daily_due(kind: &'static str) {
    counter!("studybot_daily_due_total", "kind" => kind).increment(1);
}

/// A daily item went out; `late` when past its instant by more than a
/// minute (or resumed after a restart, whose instant is not kept).
pub fn daily_sent(kind: &'static str, late: bool) {
    counter!("studybot_daily_sent_total", "kind" => kind).increment(1);
    if late {
        counter!("studybot_daily_late_total", "kind" => kind).increment(1);
    }
}

/// The time from an update's receipt to its reply having been sent.
pub fn replied(platform: Platform, received: Instant) {
    histogram!(REPLY_SECONDS, "platform" => platform.as_str())
        .record(received.elapsed().as_secs_f64());
}

/// The bank in service: its size and when it was (re)loaded.
pub fn bank_loaded(questions: usize, decks: usize) {
    gauge!("studybot_bank_questions").set(questions as f64);
    gauge!("studybot_bank_decks").set(decks as f64);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    gauge!("studybot_bank_loaded_timestamp_seconds").set(now.as_secs_f64());
}
