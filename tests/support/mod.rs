//! The one support module of every test binary (and of the benchmarks),
//! and here the real studybot Telegram adapter, in-process, against the
//! fake Bot API on 127.0.0.1.
//!
//! Each `TestBot` has its own fake server, database file and clock; it can
//! be stopped and started again on the same database (a restart).
#![allow(dead_code)]

pub mod binary;
pub mod discord;
pub mod faults;
pub mod images;
pub mod load;
pub mod pg;
pub mod process;
pub mod quick_limits;
pub mod scale;
pub mod webhook;

#[allow(unused_imports)] // not every binary runs the binary
pub use binary::{bin, outcome, studybot};

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use fake_bot_api::{Config, FakeBotApi, SentMessage};
use studybot::bank::Bank;
use studybot::domain::{ChatId, ChatKind};
use studybot::runtime::clock::Clock;
use studybot::store::{PlanRow, Store};
use studybot::study::{Engine, EngineConfig, Lang};
use studybot::telegram::{self, Connection, LimitConfig};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// How long a test waits for something that should happen at once.
pub const PATIENCE: Duration = Duration::from_secs(20);

pub fn content_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("content")
}

/// The seed document the first deck was made from (its origin: `tests/fixtures/README.md`).
pub fn seed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed/000_c8ff7034d4288414.txt")
}

/// The seed document's text.
pub fn seed() -> String {
    let path = seed_path();
    std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("the seed {} is missing: {error}", path.display()))
}

/// The `sqlite://` URL of the database file at `path`.
pub fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

/// A fresh temporary directory and the `sqlite://` URL of `bot.db` in it
/// (the file is made when a store first opens it). The directory goes with
/// the last handle on it.
pub fn temp_db() -> (Arc<tempfile::TempDir>, String) {
    let dir = Arc::new(tempfile::tempdir().expect("a temp dir"));
    let database = sqlite_url(&dir.path().join("bot.db"));
    (dir, database)
}

pub fn bank() -> Arc<Bank> {
    Arc::new(Bank::load(&content_dir()).expect("the shipped bank loads"))
}

/// A fake with Telegram's limits on and short long polls.
pub async fn strict_fake() -> FakeBotApi {
    fake_with(Config {
        rate_limits: true,
        ..quick_polls()
    })
    .await
}

/// The fake Bot API's defaults with long polls cut to 0.3 s, so a bot
/// stops quickly; Telegram's limits off.
pub fn quick_polls() -> Config {
    Config {
        long_poll_cap: Some(Duration::from_millis(300)),
        ..Config::default()
    }
}

/// The fake Bot API on 127.0.0.1 with `config`.
pub async fn fake_with(config: Config) -> FakeBotApi {
    FakeBotApi::start(config).await.expect("the fake starts")
}

/// The engine settings tests use unless they say otherwise.
pub fn engine_config() -> EngineConfig {
    EngineConfig {
        default_lang: Lang::Zh,
        default_zone: "Asia/Shanghai".to_string(),
        grace: jiff::SignedDuration::from_hours(2),
    }
}

/// What the engine of a test bot is made of.
struct TestEngine {
    bank: Arc<Bank>,
    admins: Vec<i64>,
    content: Option<PathBuf>,
}

/// A running studybot.
pub struct TestBot {
    pub fake: FakeBotApi,
    pub clock: Clock,
    pub database: String,
    pub config: EngineConfig,
    /// `STUDYBOT_ADMINS`: the operators who get reports.
    pub report_admins: Vec<i64>,
    /// The content folder approved suggestions are written to, if any.
    pub content: Option<PathBuf>,
    /// The engine the adapter serves (a handle on the same bank and store).
    pub engine: Engine,
    /// The send limits it keeps (and keeps again after a restart).
    limits: LimitConfig,
    stop: watch::Sender<bool>,
    task: JoinHandle<Result<(), telegram::TelegramError>>,
    _dir: Arc<tempfile::TempDir>,
}

impl TestBot {
    /// A new bot with a fresh database and the system clock.
    pub async fn start(fake: &FakeBotApi) -> TestBot {
        let (dir, database) = temp_db();
        TestBot::start_on(fake, &database, Clock::system(), engine_config(), dir).await
    }

    /// A new bot with a fresh database whose clock reads `at`.
    pub async fn start_at(fake: &FakeBotApi, at: jiff::Timestamp) -> TestBot {
        let (dir, database) = temp_db();
        let clock = Clock::system();
        clock.set(at);
        TestBot::start_on(fake, &database, clock, engine_config(), dir).await
    }

    /// Stops this bot and starts a new one on the same database and clock.
    pub async fn restart(self) -> TestBot {
        let (fake, database, clock, config, dir) = (
            self.fake.clone(),
            self.database.clone(),
            self.clock.clone(),
            self.config.clone(),
            self._dir.clone(),
        );
        let admins = self.report_admins.clone();
        let content = self.content.clone();
        let limits = self.limits.clone();
        self.stop().await;
        let bank = match &content {
            Some(content) => Arc::new(Bank::load(content).expect("the bank loads")),
            None => bank(),
        };
        let engine = TestEngine {
            bank,
            admins,
            content,
        };
        TestBot::launch_engine(&fake, &database, clock, config, dir, limits, engine).await
    }

    /// A new bot whose clock reads `at`, with the operators `admins` as
    /// moderators and the bank in `content` (a copy the test owns), where
    /// approved suggestions are written, keeping `limits`.
    pub async fn start_suggesting(
        fake: &FakeBotApi,
        at: jiff::Timestamp,
        (admins, limits): (&[i64], LimitConfig),
        content: PathBuf,
    ) -> TestBot {
        let (dir, database) = temp_db();
        let clock = Clock::system();
        clock.set(at);
        let bank = Arc::new(Bank::load(&content).expect("the bank loads"));
        let engine = TestEngine {
            bank,
            admins: admins.to_vec(),
            content: Some(content),
        };
        TestBot::launch_engine(fake, &database, clock, engine_config(), dir, limits, engine).await
    }

    /// A new bot on `database` (from `temp_db`) whose clock reads
    /// `at`, sending reports to `admins`, keeping `limits`.
    pub async fn start_reporting(
        fake: &FakeBotApi,
        (dir, database): (Arc<tempfile::TempDir>, String),
        at: jiff::Timestamp,
        (admins, limits): (&[i64], LimitConfig),
    ) -> TestBot {
        let clock = Clock::system();
        clock.set(at);
        let config = engine_config();
        let admins = admins.to_vec();
        TestBot::launch_reporting(fake, &database, clock, config, dir, bank(), limits, admins).await
    }

    pub async fn start_on(
        fake: &FakeBotApi,
        database: &str,
        clock: Clock,
        config: EngineConfig,
        dir: Arc<tempfile::TempDir>,
    ) -> TestBot {
        TestBot::start_with_bank(fake, database, clock, config, dir, bank()).await
    }

    /// Like `start_on`, with a bank of the test's own.
    pub async fn start_with_bank(
        fake: &FakeBotApi,
        database: &str,
        clock: Clock,
        config: EngineConfig,
        dir: Arc<tempfile::TempDir>,
        bank: Arc<Bank>,
    ) -> TestBot {
        let limits = LimitConfig::default();
        TestBot::launch(fake, database, clock, config, dir, bank, limits).await
    }

    /// Starts the real adapter and waits until it polls.
    pub async fn launch(
        fake: &FakeBotApi,
        database: &str,
        clock: Clock,
        config: EngineConfig,
        dir: Arc<tempfile::TempDir>,
        bank: Arc<Bank>,
        limits: LimitConfig,
    ) -> TestBot {
        TestBot::launch_reporting(fake, database, clock, config, dir, bank, limits, Vec::new())
            .await
    }

    #[allow(clippy::too_many_arguments)]
    async fn launch_reporting(
        fake: &FakeBotApi,
        database: &str,
        clock: Clock,
        config: EngineConfig,
        dir: Arc<tempfile::TempDir>,
        bank: Arc<Bank>,
        limits: LimitConfig,
        admins: Vec<i64>,
    ) -> TestBot {
        let engine = TestEngine {
            bank,
            admins,
            content: None,
        };
        TestBot::launch_engine(fake, database, clock, config, dir, limits, engine).await
    }

    async fn launch_engine(
        fake: &FakeBotApi,
        database: &str,
        clock: Clock,
        config: EngineConfig,
        dir: Arc<tempfile::TempDir>,
        limits: LimitConfig,
        TestEngine {
            bank,
            admins: report_admins,
            content,
        }: TestEngine,
    ) -> TestBot {
        // RUST_LOG=studybot=debug shows the bot's log in a failing test.
        let _ = env_logger::builder().is_test(true).try_init();
        let store = Store::open(database).await.expect("the database opens");
        let mut engine =
            Engine::new(bank, store, config.clone()).with_report_admins(report_admins.clone());
        if let Some(content) = &content {
            engine = engine.with_content(content.clone());
        }
        let connection = Connection {
            token: fake.token().to_string(),
            api_url: Some(fake.api_url()),
            limits: limits.clone(),
            webhook: None,
        };
        let (stop, stopped) = watch::channel(false);
        let polls_before = fake.requests_to("getupdates").len();
        let task = tokio::spawn(telegram::serve(
            engine.clone().with_clock(clock.clone()),
            connection,
            stopped,
        ));
        let bot = TestBot {
            fake: fake.clone(),
            clock,
            database: database.to_string(),
            config,
            report_admins,
            content,
            engine,
            limits,
            stop,
            task,
            _dir: dir,
        };
        let polling = fake
            .wait_until(PATIENCE, |f| {
                f.requests_to("getupdates").len() > polls_before
            })
            .await;
        assert!(polling, "the bot did not start polling");
        bot
    }

    /// Stops the bot the way SIGTERM does, and waits for it.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        self.fake.release_pollers();
        let result = tokio::time::timeout(PATIENCE, self.task)
            .await
            .expect("the bot stops in time")
            .expect("the bot task did not panic");
        result.expect("the bot ran without error");
    }

    /// Waits until `n` messages were delivered in `chat`, and returns them.
    pub async fn wait_for_messages(&self, chat: i64, n: usize) -> Vec<SentMessage> {
        let arrived = self
            .fake
            .wait_until(PATIENCE, |f| messages_in(f, chat).len() >= n)
            .await;
        let got = messages_in(&self.fake, chat);
        assert!(
            arrived,
            "expected {n} messages in chat {chat}, got {}: {got:#?}",
            got.len()
        );
        got
    }

    /// Sends a message and waits for `n` more bot messages in that chat.
    pub async fn say(
        &self,
        chat: i64,
        from: Option<fake_bot_api::User>,
        text: &str,
        n: usize,
    ) -> Vec<SentMessage> {
        self.say_in(chat, from, text, None, n).await
    }

    pub async fn say_in(
        &self,
        chat: i64,
        from: Option<fake_bot_api::User>,
        text: &str,
        thread: Option<i32>,
        n: usize,
    ) -> Vec<SentMessage> {
        let before = messages_in(&self.fake, chat).len();
        self.fake.push_message(chat, from, text, thread);
        let all = self.wait_for_messages(chat, before + n).await;
        all[before..].to_vec()
    }

    /// Waits until every queued update was handled (the bot confirmed
    /// them) and a little longer, for the handlers to finish.
    pub async fn settle(&self) {
        self.fake
            .wait_until(PATIENCE, |f| f.pending_updates() == 0)
            .await;
        tokio::time::sleep(Duration::from_millis(700)).await;
    }
}

/// Registers each Telegram chat (id, kind, title) with a daily plan at `post_time`
/// (`HH:MM`) in `zone`, no reveal: what `/daily` would have saved.
pub async fn plan_daily(
    store: &Store,
    chats: &[(i64, ChatKind, Option<&str>)],
    post_time: &str,
    zone: &str,
) {
    let now = jiff::Timestamp::now().as_second();
    for &(id, kind, title) in chats {
        let id = ChatId::telegram(id);
        store
            .upsert_chat(id, kind, title, now)
            .await
            .expect("a chat row");
        let plan = PlanRow::every_day(id, post_time, zone).expect("a valid plan");
        store.save_plan(&plan, now).await.expect("a plan row");
    }
}

/// What the bot posted in `chat`, in order: its messages, and its photos as
/// messages whose text is the caption.
pub fn messages_in(fake: &FakeBotApi, chat: i64) -> Vec<SentMessage> {
    let mut posted: Vec<SentMessage> = fake
        .sent_messages()
        .into_iter()
        .filter(|m| m.chat_id == chat)
        .collect();
    let photos = fake.sent_photos().into_iter().filter(|p| p.chat_id == chat);
    posted.extend(photos.map(photo_as_message));
    posted.sort_by_key(|m| m.message_id);
    posted
}

/// A photo as the message it is in the chat: its caption is its text
/// (`sent_photos()` has the picture itself).
fn photo_as_message(photo: fake_bot_api::SentPhoto) -> SentMessage {
    SentMessage {
        chat_id: photo.chat_id,
        message_id: photo.message_id,
        thread_id: photo.thread_id,
        text: photo.caption.unwrap_or_default(),
        parse_mode: photo.parse_mode,
        reply_to: photo.reply_to,
        reply_markup: photo.reply_markup,
        at: photo.at,
    }
}

/// The text a person sees (tags removed, entities decoded).
pub fn visible(message: &SentMessage) -> String {
    fake_bot_api::html::text_content(&message.text).expect("the bot sent valid HTML")
}

/// The callback data of the message's first button, if any.
pub fn button_data(message: &SentMessage) -> Option<String> {
    let markup = message.reply_markup.as_ref()?;
    markup["inline_keyboard"][0][0]["callback_data"]
        .as_str()
        .map(str::to_string)
}

/// Every request the bot made was valid for Telegram.
pub fn assert_nothing_rejected(fake: &FakeBotApi) {
    let rejected = fake.rejected();
    assert!(rejected.is_empty(), "the fake rejected: {rejected:#?}");
}

/// What the daily driver claims at `now` (its own `due_batch`, batch after
/// batch, reveals first in each) and when it would look again
/// (`next_due`): engine-level tests look at claims without sending them.
pub async fn claim_due(
    engine: &studybot::study::Engine,
    now: jiff::Timestamp,
) -> (Vec<studybot::study::DueWork>, Option<jiff::Timestamp>) {
    let mut work = Vec::new();
    loop {
        let batch = engine
            .due_batch(now, 256)
            .await
            .expect("due work is claimed");
        work.extend(batch.work);
        if !batch.more {
            break;
        }
    }
    (work, engine.next_due().await.expect("the next due instant"))
}
