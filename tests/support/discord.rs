//! One way to run the real Discord adapter against the fake: a server with
//! a channel, a thread, an owner (Ann, who may manage it), a member without
//! Manage Server (Bob) and Ann's DM, the bot serving on a database file.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use fake_discord_api::{Config, FakeDiscord, InteractionReply, Message, permissions};
use serde_json::{Value, json};
use studybot::bank::Bank;
use studybot::discord::{self, Connection};
use studybot::runtime::clock::Clock;
use studybot::store::Store;
use studybot::study::{Engine, EngineConfig, Lang};
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use super::PATIENCE;

/// The fake Discord on 127.0.0.1, with its defaults.
pub async fn fake() -> FakeDiscord {
    FakeDiscord::start(Config::default()).await.expect("fake")
}

pub struct World {
    pub fake: FakeDiscord,
    pub guild: u64,
    pub channel: u64,
    pub thread: u64,
    pub dm: u64,
    pub ann: u64,
    pub bob: u64,
    pub dir: tempfile::TempDir,
}

impl World {
    pub async fn new() -> World {
        World::with_config(Config::default()).await
    }

    /// The same world on a fake set up by `config`.
    pub async fn with_config(config: Config) -> World {
        let fake = FakeDiscord::start(config).await.expect("fake");
        let ann = fake.add_user("Ann", "zh-CN");
        let guild = fake.add_guild("Study", ann);
        let channel = fake.add_text_channel(guild, "general");
        let thread = fake.add_thread(channel, "daily");
        let dm = fake.add_dm(ann);
        let bob = fake.add_user("Bob", "en-US");
        fake.set_permissions(guild, bob, permissions::MEMBER);
        World {
            fake,
            guild,
            channel,
            thread,
            dm,
            ann,
            bob,
            dir: tempfile::tempdir().expect("a temp dir"),
        }
    }

    pub fn database(&self) -> String {
        super::sqlite_url(&self.dir.path().join("bot.db"))
    }

    /// Starts the adapter on the shipped bank (or `content`) and waits
    /// until it registered its commands and identified.
    pub async fn start(&self, clock: &Clock, content: Option<&Path>) -> Bot {
        let _ = env_logger::builder().is_test(true).try_init();
        let dir = content.map_or_else(
            || Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
            Path::to_path_buf,
        );
        let bank = Arc::new(Bank::load(&dir).expect("the bank loads"));
        let store = Store::open(&self.database()).await.expect("database");
        let config = EngineConfig {
            default_lang: Lang::Zh,
            default_zone: "UTC".to_string(),
            grace: jiff::SignedDuration::from_hours(2),
        };
        let mut engine = Engine::new(bank, store.clone(), config);
        if content.is_some() {
            // Approved suggestions are written there, never in the repository.
            engine = engine.with_content(dir.clone());
        }
        let connection = Connection {
            token: self.fake.token().to_string(),
            api_url: Some(self.fake.api_url()),
            gateway_url: None,
            guild_id: None,
        };
        let before = self.fake.gateway_counts().identifies;
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(discord::serve(
            engine.with_clock(clock.clone()),
            connection,
            stopped,
        ));
        let ready = self
            .fake
            .wait_until(PATIENCE, |f| {
                f.gateway_counts().identifies > before && f.commands(None).len() == slash_commands()
            })
            .await;
        assert!(ready, "the bot did not register its commands and identify");
        // The GUILD_CREATE that follows READY.
        tokio::time::sleep(Duration::from_millis(200)).await;
        Bot { store, stop, task }
    }

    /// Runs `/name` and waits for its answer.
    pub async fn slash(&self, channel: u64, user: u64, name: &str, options: Value) -> Answer {
        let invocation = self
            .fake
            .slash(channel, user, name, options)
            .expect("a valid invocation");
        let reply = self
            .fake
            .wait_reply(&invocation, Duration::from_secs(3))
            .await
            .expect("answered within 3 s");
        self.settle(&invocation, reply).await
    }

    /// Presses a button and waits for the answer.
    pub async fn press(&self, channel: u64, user: u64, message: u64, custom_id: &str) -> Answer {
        let invocation = self
            .fake
            .press(channel, user, message, custom_id)
            .expect("a valid press");
        let reply = self
            .fake
            .wait_reply(&invocation, Duration::from_secs(3))
            .await
            .expect("answered within 3 s");
        self.settle(&invocation, reply).await
    }

    /// Lets the follow-ups of an answer arrive.
    async fn settle(
        &self,
        invocation: &fake_discord_api::Invocation,
        _: InteractionReply,
    ) -> Answer {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let reply = self.fake.reply(invocation).expect("a reply");
        let messages = reply
            .original
            .into_iter()
            .chain(reply.followups.iter().copied())
            .filter_map(|id| self.fake.message(id))
            .collect();
        Answer { reply, messages }
    }

    pub fn daily_posts(&self, channel: u64) -> Vec<Message> {
        self.fake
            .messages(channel)
            .into_iter()
            .filter(|m| m.interaction_id.is_none())
            .collect()
    }
}

pub struct Bot {
    pub store: Store,
    stop: watch::Sender<bool>,
    task: JoinHandle<Result<(), discord::DiscordError>>,
}

impl Bot {
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        tokio::time::timeout(PATIENCE, self.task)
            .await
            .expect("the bot stops in time")
            .expect("no panic")
            .expect("the bot ran without error");
        self.store.close().await;
    }
}

/// What the bot answered to one interaction.
pub struct Answer {
    pub reply: InteractionReply,
    pub messages: Vec<Message>,
}

impl Answer {
    pub fn text(&self) -> String {
        let parts: Vec<&str> = self.messages.iter().map(|m| m.content.as_str()).collect();
        parts.join("\n")
    }

    pub fn ephemeral(&self) -> bool {
        !self.messages.is_empty() && self.messages.iter().all(|m| m.ephemeral)
    }

    /// The first button's custom_id on the answer's messages.
    pub fn button(&self) -> Option<(u64, String)> {
        self.messages.iter().find_map(|m| {
            let id = m.components.first()?["components"][0]["custom_id"].as_str()?;
            Some((m.id, id.to_string()))
        })
    }
}

/// How many slash commands the bot registers: the registry's Discord ones.
pub fn slash_commands() -> usize {
    studybot::study::commands::on(studybot::domain::Platform::Discord).count()
}

pub fn no_options() -> Value {
    json!([])
}

pub fn option(name: &str, value: &str) -> Value {
    json!({ "name": name, "type": 3, "value": value })
}
