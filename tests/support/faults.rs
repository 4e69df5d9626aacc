//! Helpers for the fault suite (`tests/faults/`): a database with many
//! chats due for their question of the day at once, per-chat post counts,
//! the real `studybot` binary as a child process, a bot with its send
//! limits lifted, and a tiny seeded generator (no extra dependencies).

pub mod fuzz;

use std::collections::HashMap;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use fake_bot_api::FakeBotApi;
use jiff::Timestamp;
use studybot::domain::{ChatId, ChatKind};
use studybot::runtime::clock::Clock;
use studybot::store::{LedgerKind, LedgerState, Store};
use studybot::study::EngineConfig;
use studybot::telegram::{Limit, LimitConfig};

use super::{TestBot, bank, content_dir};

/// The zone every plan of the suite lives in (the engine's default).
pub const ZONE: &str = "Asia/Shanghai";

/// At most this many daily sends are in flight at once.
#[allow(unused_imports)]
pub use studybot::telegram::IN_FLIGHT;

/// The local minute `HH:MM` and date `YYYY-MM-DD` of `at` in `ZONE`.
pub fn local_minute_and_date(at: Timestamp) -> (String, String) {
    let local = at.in_tz(ZONE).expect("the zone exists");
    (
        local.strftime("%H:%M").to_string(),
        local.strftime("%Y-%m-%d").to_string(),
    )
}

/// Chat ids `first, first+1, …` (`count` of them): private chats.
pub fn private_ids(first: i64, count: usize) -> Vec<i64> {
    (0..count as i64).map(|i| first + i).collect()
}

/// Registers `chats` in the database with a daily plan at the current
/// local minute, so the grace rule posts them as soon as a bot starts.
/// Returns the local date they are due for.
pub async fn make_due(store: &Store, chats: &[(i64, ChatKind)]) -> String {
    let (minute, date) = local_minute_and_date(Timestamp::now());
    let chats: Vec<(i64, ChatKind, Option<&str>)> =
        chats.iter().map(|&(id, kind)| (id, kind, None)).collect();
    super::plan_daily(store, &chats, &minute, ZONE).await;
    date
}

/// How many messages the fake delivered to each of `chats`.
pub fn posts_per_chat(fake: &FakeBotApi, chats: &[i64]) -> HashMap<i64, usize> {
    let mut counts: HashMap<i64, usize> = chats.iter().map(|&c| (c, 0)).collect();
    for message in fake.sent_messages() {
        if let Some(n) = counts.get_mut(&message.chat_id) {
            *n += 1;
        }
    }
    counts
}

/// Chats of `counts` that received exactly `n` messages.
pub fn chats_with(counts: &HashMap<i64, usize>, n: usize) -> Vec<i64> {
    let mut chats: Vec<i64> = counts
        .iter()
        .filter(|(_, c)| **c == n)
        .map(|(id, _)| *id)
        .collect();
    chats.sort_unstable();
    chats
}

/// `sendMessage` requests naming `chat`.
pub fn send_attempts(fake: &FakeBotApi, chat: i64) -> usize {
    fake.requests_to("sendmessage")
        .iter()
        .filter(|r| r.body["chat_id"] == chat)
        .count()
}

/// Waits until no daily post of `date` is left claimed-but-unfinished for
/// any of `chats` (each is done or skipped); false on timeout.
pub async fn wait_ledger_settled(
    store: &Store,
    chats: &[i64],
    date: &str,
    timeout: Duration,
) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        let mut open = 0;
        for &chat in chats {
            let entry = store
                .entry(ChatId::telegram(chat), day(date), LedgerKind::Post)
                .await
                .expect("ledger read");
            if entry.is_none_or(|e| e.state == LedgerState::Claimed) {
                open += 1;
            }
        }
        if open == 0 {
            return true;
        }
        if Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A ledger date written as the ledger stores it (`YYYY-MM-DD`).
pub fn day(text: &str) -> jiff::civil::Date {
    text.parse().expect("a YYYY-MM-DD date")
}

/// The ledger state of each chat's daily post of `date`.
pub async fn ledger_states(
    store: &Store,
    chats: &[i64],
    date: &str,
) -> HashMap<i64, Option<LedgerState>> {
    let mut states = HashMap::new();
    for &chat in chats {
        let entry = store
            .entry(ChatId::telegram(chat), day(date), LedgerKind::Post)
            .await
            .expect("ledger read");
        states.insert(chat, entry.map(|e| e.state));
    }
    states
}

/// Send limits so loose they never bite (for the fuzz, where the fake's
/// limits are off too and only robustness is measured).
pub fn unlimited() -> LimitConfig {
    let loose = Limit {
        max: 1_000_000,
        span: Duration::from_micros(1),
    };
    LimitConfig {
        per_chat: loose,
        per_group: loose,
        global: loose,
    }
}

/// Like `TestBot::start_on`, with the send limits given.
pub async fn start_with_limits(
    fake: &FakeBotApi,
    database: &str,
    clock: Clock,
    config: EngineConfig,
    dir: Arc<tempfile::TempDir>,
    limits: LimitConfig,
) -> TestBot {
    TestBot::launch(fake, database, clock, config, dir, bank(), limits).await
}

/// Whether the bot's task is still running (it did not end or panic).
pub fn is_running(bot: &TestBot) -> bool {
    !bot.task.is_finished()
}

// ----- the real binary -----

/// `studybot run` against `fake` on `database`, its stderr going to
/// `stderr_file`; run from `dir` so no stray `.env` is read.
pub fn spawn_studybot(
    fake: &FakeBotApi,
    database: &str,
    content: &Path,
    dir: &Path,
    stderr_file: &Path,
) -> Child {
    spawn_studybot_with(
        &fake.api_url(),
        fake.token(),
        database,
        content,
        dir,
        stderr_file,
    )
}

pub fn spawn_studybot_with(
    api_url: &str,
    token: &str,
    database: &str,
    content: &Path,
    dir: &Path,
    stderr_file: &Path,
) -> Child {
    let stderr = std::fs::File::create(stderr_file).expect("stderr file");
    super::studybot(["run"], dir)
        .env("TELOXIDE_TOKEN", token)
        .env("TELOXIDE_API_URL", api_url)
        .env("STUDYBOT_DATABASE", database)
        .env("STUDYBOT_CONTENT", content)
        .env("STUDYBOT_TIMEZONE", ZONE)
        .env("STUDYBOT_LANG", "zh")
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .expect("the studybot binary starts")
}

/// The shipped bank, for the binary.
pub fn shipped_content() -> std::path::PathBuf {
    content_dir()
}

/// Waits for the child to exit; kills it and returns `None` after `timeout`.
pub async fn wait_exit(child: &mut Child, timeout: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait().expect("child status") {
            return Some(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Asks the child to stop as SIGTERM does in production.
pub fn terminate(child: &Child) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success(), "kill -TERM failed");
}

// ----- a seeded generator -----

/// xorshift64*: deterministic, dependency-free randomness for the fuzz.
pub struct XorShift(u64);

impl XorShift {
    pub fn new(seed: u64) -> XorShift {
        XorShift((seed ^ 0x2545_F491_4F6C_DD1D).max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// True with probability `percent` %.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}
