//! The engine: what the bot says and remembers, whatever the platform.
//!
//! An adapter hands it a parsed command plus who and where and when; it
//! answers with `Post`s and records what changed in the `store`. It never
//! touches the network and never formats HTML, so the console and the tests
//! drive exactly the code Telegram drives. Rules live here: picking without
//! repeats, reveal once, who may change settings, the chat's language.

mod chat_events;
mod claim_batch;
pub mod commands;
mod daily_work;
mod due;
mod hot;
mod hot_reads;
pub mod i18n;
mod nudge;
mod nudge_due;
mod operator;
mod orphans;
mod pick;
mod pictures;
mod pin;
mod plan_args;
mod plan_commands;
mod questions;
mod quiz;
mod replicas;
mod report;
mod review;
mod sent_batch;
mod stats;
mod suggest;
pub mod suggestions;
mod thread_ping;
mod turn;

use std::sync::atomic::AtomicI64;
use std::sync::{Arc, PoisonError, RwLock};

use jiff::Timestamp;

use crate::bank::Bank;
use crate::domain::{ChatId, ChatKind, MessageId, Platform};
use crate::post::Post;
use crate::replica::Replica;
use crate::runtime::clock::Clock;
use crate::runtime::daily_cap::DailyCap;
use crate::runtime::wake::{Listener, Wake};
use crate::store::{Store, StoreError};

pub use commands::{Command, Parsed, parse};
pub use daily_work::{DueKind, DueWork};
pub use due::DueBatch;
pub use i18n::Lang;
pub use operator::OperatorApplied;
pub use orphans::WorkKey;
pub use pin::{PinJob, Pinned};
pub use questions::{question_post, reveal_post};
pub use quiz::{choice_buttons, quiz_poll};
pub use report::{MAX_REPORT_CHARS, ReportReply};
pub use sent_batch::SentWork;
pub use suggest::Suggest;
pub use suggestions::{DeskCommand, Elsewhere, SuggestOutcome, SuggestionForm};
pub use thread_ping::{MAX_THREAD_NAME, PostExtras, thread_name};

/// Settings the engine needs from the operator.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// The language of chats that chose none (`STUDYBOT_LANG`).
    pub default_lang: Lang,
    /// The zone of new daily plans (`STUDYBOT_TIMEZONE`), an IANA name.
    pub default_zone: String,
    /// How late a missed daily post may still go out (same local day).
    pub grace: jiff::SignedDuration,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            default_lang: Lang::Zh,
            default_zone: "UTC".to_string(),
            grace: jiff::SignedDuration::from_hours(2),
        }
    }
}

/// Where a message came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub chat_id: ChatId,
    pub kind: ChatKind,
    pub title: Option<String>,
    /// The forum topic, if any (Telegram's `message_thread_id`): replies
    /// go back to it. Discord threads are channels of their own, so there
    /// it is always `None`.
    pub thread_id: Option<i64>,
}

/// Who sent it, as far as the adapter knows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Person {
    pub user_id: Option<i64>,
    /// The platform's language code for this person (e.g. `zh-hans`).
    pub language_code: Option<String>,
    /// The first name or username, shown on leaderboards (never a full name).
    pub name: Option<String>,
    /// May change this chat's settings. Adapters check it only for
    /// commands that change settings; private chats always may.
    pub is_admin: bool,
}

/// One thing that happened in a chat.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub place: Place,
    pub person: Person,
    pub now: Timestamp,
}

/// How the person of a turn can be written to privately, on a platform
/// where the bot may open that chat itself (Discord's direct messages; a
/// Telegram bot may only answer people who started it, so it passes none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrivateChat {
    /// The adapter opened (or found) the person's private chat: this one.
    Opened(ChatId),
    /// The adapter could not open it just now.
    Unavailable,
}

/// The engine's whole answer to one turn (a command or a button press):
/// posts for the chat, a short note for the person alone (a Telegram
/// toast, a Discord ephemeral message), and the chat's language for
/// whatever the adapter says around them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub posts: Vec<Post>,
    pub toast: Option<String>,
    pub lang: Lang,
}

#[derive(Debug, thiserror::Error)]
pub enum StudyError {
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub type Result<T> = std::result::Result<T, StudyError>;

/// The study engine; cheap to clone and share between tasks.
#[derive(Clone)]
pub struct Engine {
    /// The bank in use, shared by every handle: a reload puts a new one
    /// in place, and a turn keeps the `Arc` it took until it ends.
    bank: Arc<RwLock<Arc<Bank>>>,
    store: Store,
    config: EngineConfig,
    plans_changed: Wake,
    /// The instant (unix seconds) the driver sleeps until: an earlier one
    /// found later wakes it.
    due_hint: Arc<AtomicI64>,
    /// The platform whose daily work this handle claims; `None`: every
    /// platform's (tests, tools).
    serving: Option<Platform>,
    /// Telegram user ids of the operators who get reports (`STUDYBOT_ADMINS`).
    report_to: Arc<Vec<i64>>,
    /// The other bots on the same PostgreSQL database, if any: daily
    /// claims carry this replica's id, and claims of dead ones are adopted.
    replica: Option<Arc<Replica>>,
    /// Report prompts each person may open a day (each is a message in
    /// the group, so one person could otherwise fill it).
    report_prompts: Arc<DailyCap>,
    /// The content folder, where approved suggestions are written
    /// (`content/community/`); `None`: suggestions cannot be approved.
    content: Option<Arc<std::path::PathBuf>>,
    /// One deck file write at a time (read, append, rename, reload).
    deck_writes: Arc<tokio::sync::Mutex<()>>,
    /// Chats' kind, language and pin setting, read once (`hot`).
    hot: Arc<hot::HotCache>,
    /// Where adapters and the daily driver read the time: the system's,
    /// or a test's it moves.
    clock: Clock,
}

/// Report prompts a person may open a UTC day.
pub const REPORT_PROMPTS_A_DAY: u32 = 10;

impl Engine {
    pub fn new(bank: Arc<Bank>, store: Store, config: EngineConfig) -> Engine {
        crate::ops::telemetry::bank_loaded(bank.len(), bank.decks().len());
        Engine {
            bank: Arc::new(RwLock::new(bank)),
            store,
            config,
            plans_changed: Wake::default(),
            due_hint: Arc::new(AtomicI64::new(i64::MAX)),
            serving: None,
            report_to: Arc::new(Vec::new()),
            replica: None,
            report_prompts: Arc::new(DailyCap::new(REPORT_PROMPTS_A_DAY)),
            content: None,
            deck_writes: Arc::new(tokio::sync::Mutex::new(())),
            hot: Arc::default(),
            clock: Clock::system(),
        }
    }

    /// This engine, reading time from `clock` (a test's, which it moves).
    pub fn with_clock(mut self, clock: Clock) -> Engine {
        self.clock = clock;
        self
    }

    /// The clock adapters and the daily driver read the time from.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// This engine as one of the replicas sharing a PostgreSQL database:
    /// its daily claims carry the replica's id, so the others can tell a
    /// claim in flight here from one a dead replica left.
    pub fn with_replica(mut self, replica: Arc<Replica>) -> Engine {
        self.store = self.store.with_owner(replica.id());
        self.replica = Some(replica);
        self
    }

    /// The replica this engine is, on a shared PostgreSQL database.
    pub fn replica(&self) -> Option<&Arc<Replica>> {
        self.replica.as_ref()
    }

    /// This engine, sending reports of problems to these operators
    /// (Telegram user ids, `STUDYBOT_ADMINS`).
    pub fn with_report_admins(mut self, admins: Vec<i64>) -> Engine {
        self.report_to = Arc::new(admins);
        self
    }

    /// This engine, writing approved suggestions into `content` (the
    /// folder the bank was loaded from) and reloading the bank from it.
    pub fn with_content(mut self, content: std::path::PathBuf) -> Engine {
        self.content = Some(Arc::new(content));
        self
    }

    /// This engine, claiming daily work only for chats of `platform`: each
    /// adapter's driver delivers only what its platform can carry, so one
    /// process (and one database) can serve several platforms.
    pub fn serving(&self, platform: Platform) -> Engine {
        Engine {
            serving: Some(platform),
            // Each platform's driver sleeps until its own next instant.
            due_hint: Arc::new(AtomicI64::new(i64::MAX)),
            ..self.clone()
        }
    }

    /// Whether this handle claims daily work for `chat`.
    fn serves(&self, chat: ChatId) -> bool {
        self.serving.is_none_or(|p| p == chat.platform)
    }

    /// The bank as it is now. A turn takes it once and keeps it to its
    /// end, so a reload in the middle changes nothing the turn sees.
    pub(crate) fn bank(&self) -> Arc<Bank> {
        let current = self.bank.read().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(&current)
    }

    /// Puts `bank` in place of the current one for every turn that starts
    /// from now on, in every handle of this engine; returns the one it
    /// replaced. Checking the new bank is the caller's part (`reload`).
    pub(crate) fn replace_bank(&self, bank: Arc<Bank>) -> Arc<Bank> {
        crate::ops::telemetry::bank_loaded(bank.len(), bank.decks().len());
        let mut current = self.bank.write().unwrap_or_else(PoisonError::into_inner);
        std::mem::replace(&mut *current, bank)
    }

    /// How many questions and decks the bank holds (for start-up logs).
    pub fn bank_size(&self) -> (usize, usize) {
        let bank = self.bank();
        (bank.len(), bank.decks().len())
    }

    /// A question's title, if the bank has it.
    pub fn question_title(&self, question_id: &str) -> Option<String> {
        self.bank().get(question_id).map(|q| q.title.clone())
    }

    /// The highest message id recorded in `chat` (a question or its
    /// reveal), for an adapter that numbers messages itself.
    pub async fn last_message_id(&self, chat: ChatId) -> Result<Option<MessageId>> {
        let ask = self.store.current_ask(chat).await?;
        Ok(ask.and_then(|a| a.message_id.max(a.reveal_message_id)))
    }

    /// The chats whose daily plans are running.
    pub async fn planned_chats(&self) -> Result<Vec<ChatId>> {
        let plans = self.store.running_plans().await?;
        Ok(plans.into_iter().map(|p| p.chat_id).collect())
    }

    /// Whether the database answers a trivial query (for `/readyz`).
    pub async fn database_answers(&self) -> Result<()> {
        Ok(self.store.ping().await?)
    }

    /// Closes the database, flushing what is pending; call once, at the end.
    pub async fn close(&self) {
        self.store.close().await;
    }

    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    /// Hears each change to a daily plan from now on (a plan set, a chat
    /// gone or back, a reveal due earlier), so a driver sleeping until the
    /// next due instant can look again. Every listener hears every change.
    pub fn plan_changes(&self) -> Listener {
        self.plans_changed.listen()
    }

    /// What to say when something failed on the bot's side.
    pub fn error_post(lang: Lang) -> Post {
        Post::text(i18n::internal_error(lang))
    }
}
