//! The Discord adapter: the gateway (GUILDS intent only), slash commands
//! and buttons, the send path and the daily driver's delivery, around the
//! platform-neutral engine.
//!
//! It holds no study rules. An interaction becomes one engine turn
//! (`interaction`), the engine's posts become Discord messages (`send`),
//! and what Discord says (403/404, a server removing the bot) is mapped
//! back into engine calls. twilight's shard keeps the heartbeat and
//! resumes a dropped connection; its HTTP client keeps the rate limits.

mod admission;
mod commands;
mod deferral;
mod deliver;
mod failure;
mod gateway;
mod interaction;
mod modal;
mod parts;
mod picture;
mod ping;
mod pins;
mod reply;
mod send;
mod suggest;
mod touch;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::watch;
use twilight_http::Client;
use twilight_model::gateway::connection_info::BotConnectionInfo;
use twilight_model::gateway::payload::incoming::GuildCreate;
use twilight_model::id::Id;
use twilight_model::id::marker::{ApplicationMarker, GuildMarker};

use crate::domain::ChatId;
use crate::replica::{Replica, Seat};
use crate::runtime::clock::Clock;
use crate::study::Engine;

/// How to reach Discord.
#[derive(Clone)]
pub struct Connection {
    /// `DISCORD_TOKEN` (never logged).
    pub token: String,
    /// `DISCORD_API_URL`: the REST base; requests go to `{base}/api/v10/…`.
    pub api_url: Option<String>,
    /// `DISCORD_GATEWAY_URL`: else `GET /gateway/bot` says.
    pub gateway_url: Option<String>,
    /// `DISCORD_GUILD_ID`: register the commands in this server only
    /// (they appear at once), not globally.
    pub guild_id: Option<u64>,
}

#[derive(Debug, thiserror::Error)]
pub enum DiscordError {
    #[error("Discord rejected the token: check DISCORD_TOKEN (the bot token of your application)")]
    BadToken,
    #[error("cannot reach Discord's API at {url}: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("DISCORD_API_URL `{0}` is not an http(s) URL like http://127.0.0.1:8082")]
    BadUrl(String),
    #[error("Discord refused the slash commands: {0}")]
    Commands(String),
    #[error("the gateway closed for good with {close}: {hint}")]
    GatewayClosed { close: String, hint: &'static str },
}

/// What the gateway loop, the interaction handlers and the driver share.
pub struct App {
    pub engine: Engine,
    pub clock: Clock,
    http: Arc<Client>,
    /// Interaction callbacks, follow-ups and edits go through a client of
    /// their own: Discord exempts them from the global limit, and a global
    /// 429 on the send path locks `http`'s rate limiter, which would hold
    /// them past their 3 s.
    replies: Client,
    application_id: Id<ApplicationMarker>,
    outbox: send::Outbox,
    /// The bound on interaction tasks.
    admission: admission::Admission,
    /// The channels known in each server, so a server that removes the
    /// bot pauses them all.
    guilds: Mutex<HashMap<Id<GuildMarker>, HashSet<ChatId>>>,
}

impl App {
    fn replies(&self) -> twilight_http::client::InteractionClient<'_> {
        self.replies.interaction(self.application_id)
    }

    /// Remembers that `chat` belongs to `guild`.
    fn see_channel(&self, guild: Option<Id<GuildMarker>>, chat: ChatId) {
        if let Some(guild) = guild {
            let mut guilds = self.guilds.lock().expect("guild map");
            guilds.entry(guild).or_default().insert(chat);
        }
    }

    fn see_guild(&self, guild: &GuildCreate) {
        let GuildCreate::Available(guild) = guild else {
            return;
        };
        let ids = guild.channels.iter().chain(&guild.threads).map(|c| c.id);
        let chats: HashSet<ChatId> = ids.filter_map(|id| ChatId::discord(id.get())).collect();
        let mut guilds = self.guilds.lock().expect("guild map");
        guilds.entry(guild.id).or_default().extend(chats);
    }

    /// The bot was removed from `guild`: its channels are inactive.
    async fn guild_gone(&self, guild: Id<GuildMarker>) {
        let chats = self.guilds.lock().expect("guild map").remove(&guild);
        log::info!("server {guild}: the bot was removed; its channels' plans are paused");
        for chat in chats.into_iter().flatten() {
            self.outbox.channel_gone(chat).await;
        }
    }
}

/// Serves Discord until `stop` turns true, reading time from the engine's
/// clock.
///
/// When the engine is one of the replicas sharing a PostgreSQL database
/// (`Engine::replica`), the daily driver and the send path run here as on
/// every replica; the gateway (one session, else every interaction arrives
/// twice) only while this replica holds the `DiscordGateway` seat.
pub async fn serve(
    engine: Engine,
    connection: Connection,
    stop: watch::Receiver<bool>,
) -> Result<(), DiscordError> {
    let replica = engine.replica().cloned();
    let clock = engine.clock().clone();
    let http = Arc::new(client(&connection)?);
    let application = http
        .current_user_application()
        .await
        .map_err(|e| startup_error(&connection, &e))?
        .model()
        .await
        .map_err(|e| startup_error(&connection, &e))?;
    crate::ops::telemetry::reached(crate::domain::Platform::Discord);
    register_commands(&http, application.id, connection.guild_id).await?;
    let (questions, decks) = engine.bank_size();
    log::info!(
        "Discord: connected as application {} ({questions} questions, {decks} decks)",
        application.id
    );
    let app = Arc::new(App {
        outbox: send::Outbox::new(http.clone(), engine.clone(), clock.clone()),
        engine,
        clock,
        http,
        replies: client(&connection)?,
        application_id: application.id,
        admission: admission::Admission::default(),
        guilds: Mutex::new(HashMap::new()),
    });
    // Stops the driver (and the gateway) on `stop` or on a fatal close.
    let (halt, halted) = watch::channel(false);
    tokio::spawn(forward(stop, halt.clone()));
    if let Some(replica) = &replica {
        let live = replica.live_count();
        tokio::spawn(send::share_the_limit(app.clone(), live, halted.clone()));
    }
    let driver = tokio::spawn(crate::runtime::driver::run(
        app.engine.clone(),
        Arc::new(deliver::DiscordDaily(app.clone())),
        halted.clone(),
    ));
    let served = match replica {
        None => gateway::run(&app, &connection, halted).await,
        Some(replica) => lead_gateway(&app, &connection, &replica, &halt, halted).await,
    };
    let _ = halt.send(true);
    log::info!("Discord: stopping; letting posts in flight finish");
    if tokio::time::timeout(Duration::from_secs(10), driver)
        .await
        .is_err()
    {
        log::warn!("Discord: the driver did not stop in 10 s; unsent posts resume at next start");
    }
    served
}

/// Turns `halt` true once `stop` is.
async fn forward(mut stop: watch::Receiver<bool>, halt: watch::Sender<bool>) {
    let _ = stop.wait_for(|s| *s).await;
    let _ = halt.send(true);
}

/// The gateway among replicas: only while this one holds the seat. A
/// fatal close halts this replica and is returned.
async fn lead_gateway(
    app: &Arc<App>,
    connection: &Connection,
    replica: &Replica,
    halt: &watch::Sender<bool>,
    halted: watch::Receiver<bool>,
) -> Result<(), DiscordError> {
    if crate::ops::telemetry::is_watched() {
        tokio::spawn(touch::keep_in_touch(app.http.clone(), halted.clone()));
    }
    let fatal = Mutex::new(None);
    let gateway = |term| async {
        if let Err(e) = gateway::run(app, connection, term).await {
            *fatal.lock().expect("fatal close") = Some(e);
            let _ = halt.send(true);
        }
    };
    replica
        .while_leading(Seat::DiscordGateway, halted, gateway)
        .await;
    fatal.into_inner().expect("fatal close").map_or(Ok(()), Err)
}

/// One bulk overwrite: the whole command list, globally or in one server.
async fn register_commands(
    http: &Client,
    application: Id<ApplicationMarker>,
    guild: Option<u64>,
) -> Result<(), DiscordError> {
    let list = commands::all();
    let client = http.interaction(application);
    let done = match guild.and_then(Id::new_checked) {
        Some(guild) => client.set_guild_commands(guild, &list).await,
        None => client.set_global_commands(&list).await,
    };
    done.map_err(|e| DiscordError::Commands(e.to_string()))?;
    log::info!(
        "Discord: {} slash commands registered {}",
        list.len(),
        guild.map_or("globally".to_string(), |g| format!("in server {g}"))
    );
    Ok(())
}

/// `GET /gateway/bot`: where to connect and today's IDENTIFY budget.
async fn gateway_info(
    http: &Client,
    connection: &Connection,
) -> Result<BotConnectionInfo, DiscordError> {
    http.gateway()
        .authed()
        .await
        .map_err(|e| startup_error(connection, &e))?
        .model()
        .await
        .map_err(|e| startup_error(connection, &e))
}

fn client(connection: &Connection) -> Result<Client, DiscordError> {
    let mut builder = Client::builder().token(connection.token.clone());
    if let Some(url) = &connection.api_url {
        let (host, http) = match url.trim_end_matches('/') {
            u if u.starts_with("http://") => (&u["http://".len()..], true),
            u if u.starts_with("https://") => (&u["https://".len()..], false),
            _ => return Err(DiscordError::BadUrl(url.clone())),
        };
        builder = builder.proxy(host.to_string(), http);
    }
    Ok(builder.build())
}

fn startup_error<E: std::fmt::Display>(connection: &Connection, error: &E) -> DiscordError {
    let reason =
        crate::ops::logging::redact(&error.to_string(), std::slice::from_ref(&connection.token));
    if reason.contains("401") || reason.contains("Unauthorized") {
        return DiscordError::BadToken;
    }
    DiscordError::Unreachable {
        url: connection
            .api_url
            .clone()
            .unwrap_or_else(|| "https://discord.com".to_string()),
        reason,
    }
}
