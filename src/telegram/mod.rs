//! The Telegram adapter: long polling (or a webhook, `webhook`), the update
//! handlers and the send path around the platform-neutral engine; daily
//! posts go through the shared `driver`.
//!
//! It holds no study rules: updates become `study::Incoming` + a parsed
//! command, the engine's `Post`s become messages (`send`), and what Telegram
//! answers (429, migration, Forbidden) is mapped back into engine calls.

mod admins;
mod admission;
mod deliver;
mod handlers;
mod lanes;
mod leading;
pub mod limits;
mod menu;
pub mod photo;
mod poll;
mod prompts;
mod relay;
mod retry;
mod send;
mod suggest;
mod webhook;
mod webhook_route;

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use teloxide::prelude::*;
use teloxide::types::{AllowedUpdate, Me};
use teloxide::{ApiError, RequestError};
use tokio::sync::watch;

use crate::config::WebhookSettings;
use crate::domain::Platform;
use crate::ops::telemetry;
use crate::runtime::clock::Clock;
pub use crate::runtime::driver::IN_FLIGHT;
use crate::study::Engine;
use admins::AdminCache;
use limits::Limits;
pub use limits::{Limit, LimitConfig};
pub use send::{Delivery, Outbox, Patience};
pub use webhook::Webhook;

/// How to reach Telegram.
pub struct Connection {
    pub token: String,
    /// `TELOXIDE_API_URL`, if set.
    pub api_url: Option<String>,
    pub limits: LimitConfig,
    /// Webhook mode (its route served by `ops::http`); else long polling.
    pub webhook: Option<Webhook>,
}

impl Connection {
    /// Telegram with `token` at `api_url` (Telegram's own when `None`), at
    /// its real limits: long polling, or webhook mode when `webhook` is
    /// set, with the route the HTTP side must then serve.
    pub fn new(
        token: String,
        api_url: Option<String>,
        webhook: Option<&WebhookSettings>,
    ) -> (Connection, Option<axum::Router>) {
        let (webhook, route) = webhook.map(Webhook::listen).unzip();
        let connection = Connection {
            token,
            api_url,
            limits: LimitConfig::default(),
            webhook,
        };
        (connection, route)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TelegramError {
    #[error("Telegram rejected the token: check TELOXIDE_TOKEN (from @BotFather)")]
    BadToken,
    #[error("cannot reach the Bot API at {url}: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("TELOXIDE_API_URL `{0}` is not a valid URL")]
    BadUrl(String),
    #[error("Telegram refused the webhook (check STUDYBOT_WEBHOOK_URL): {0}")]
    Webhook(String),
}

/// What the handlers and daily delivery share.
pub struct App {
    pub engine: Engine,
    pub outbox: Outbox,
    pub bot: Bot,
    admins: AdminCache,
    clock: Clock,
    /// Reports relayed to the operators, per person per day.
    relays: relay::RelayCap,
    /// Prompts sent but not yet recorded, which a reply waits for.
    prompts: Arc<prompts::PromptsInFlight>,
    /// Who the bot is (`getMe` at start), for the handlers.
    me: Me,
    /// The update kinds the handlers use, asked of Telegram.
    allowed: OnceLock<Vec<AllowedUpdate>>,
}

/// Serves Telegram until `stop` turns true, reading time from the engine's
/// clock.
///
/// When the engine is one of the replicas sharing a PostgreSQL database
/// (`Engine::replica`), daily posts and the send path run here as on every
/// replica, Telegram is polled only while this replica leads (see
/// `leading`), and the overall send limit is this replica's share.
pub async fn serve(
    engine: Engine,
    mut connection: Connection,
    stop: watch::Receiver<bool>,
) -> Result<(), TelegramError> {
    let replica = engine.replica().cloned();
    let clock = engine.clock().clone();
    let bot = bot(&connection)?;
    let me = bot
        .get_me()
        .await
        .map_err(|e| startup_error(&connection, e))?;
    telemetry::reached(Platform::Telegram);
    let (questions, decks) = engine.bank_size();
    log::info!(
        "connected as @{} ({questions} questions, {decks} decks)",
        me.username.as_deref().unwrap_or("?"),
    );
    menu::register(&bot, engine.config().default_lang).await;
    let app = Arc::new(App {
        outbox: Outbox::new(
            bot.clone(),
            Limits::new(&connection.limits),
            engine.clone(),
            clock.clone(),
        ),
        engine,
        bot: bot.clone(),
        admins: AdminCache::default(),
        clock,
        relays: relay::RelayCap::default(),
        prompts: Arc::default(),
        me,
        allowed: OnceLock::new(),
    });
    let allowed = webhook::allowed_updates(&bot, handlers::schema(), dptree::deps![app.clone()]);
    let _ = app
        .allowed
        .set(allowed.await.map_err(|e| startup_error(&connection, e))?);
    let webhook = intake(&bot, &mut connection, &app).await?;
    if telemetry::is_watched() {
        tokio::spawn(keep_in_touch(bot.clone(), stop.clone()));
    }
    let scheduler = tokio::spawn(crate::runtime::driver::run(
        app.engine.clone(),
        Arc::new(deliver::TelegramDaily(app.clone())),
        stop.clone(),
    ));
    match (webhook, replica) {
        (Some(listener), None) => dispatch(bot, app, stop, listener, "the webhook failed").await,
        // Behind a load balancer every replica serves what it is given.
        (Some(listener), Some(replica)) => {
            let work = dispatch(bot, app.clone(), stop, listener, "the webhook failed");
            leading::sharing_the_limit(&replica, &app, work).await
        }
        (None, None) => poll(bot, app, stop).await,
        (None, Some(replica)) => leading::poll_while_leader(&replica, bot, app, stop).await,
    }
    log::info!("stopping: letting posts in flight finish");
    // The dispatcher took up to `lanes::GRACE` of the 9 s a stop may take.
    if tokio::time::timeout(SCHEDULER_GRACE, scheduler)
        .await
        .is_err()
    {
        log::warn!("the scheduler did not stop in time; unsent posts resume at next start");
    }
    log::info!("stopped");
    Ok(())
}

/// After the dispatcher stopped, how long daily posts in flight may take.
const SCHEDULER_GRACE: Duration = Duration::from_secs(5);

/// Webhook mode: `setWebhook`, and the listener it feeds. Polling mode:
/// no webhook may be left set.
async fn intake(
    bot: &Bot,
    connection: &mut Connection,
    app: &Arc<App>,
) -> Result<Option<webhook::Listener>, TelegramError> {
    let Some(hook) = connection.webhook.take() else {
        webhook::forget(bot).await;
        return Ok(None);
    };
    let allowed = app.allowed.get().cloned().unwrap_or_default();
    let registered = hook.register(bot, allowed).await;
    registered.map(Some).map_err(|e| {
        let tokens = std::slice::from_ref(&connection.token);
        TelegramError::Webhook(crate::ops::logging::redact(&e.to_string(), tokens))
    })
}

/// Long-polls Telegram and handles the updates until `stop` turns true
/// (then the updates taken are handled and confirmed before it returns) or
/// polling cannot start.
async fn poll(bot: Bot, app: Arc<App>, stop: watch::Receiver<bool>) {
    let listener = teloxide::update_listeners::polling_default(bot.clone()).await;
    dispatch(bot, app, stop, listener, "polling Telegram failed").await;
}

/// Handles the updates `listener` receives until `stop` turns true (then
/// returns within `lanes::GRACE`; replies still queued are dropped) or it
/// cannot start.
async fn dispatch<L>(
    _bot: Bot,
    app: Arc<App>,
    stop: watch::Receiver<bool>,
    listener: L,
    failure: &'static str,
) where
    L: lanes::Source,
    L::Err: std::fmt::Debug,
{
    let allowed = app.allowed.get().cloned().unwrap_or_default();
    let mut lanes = lanes::Lanes::new(app.clone(), app.me.clone(), admission::Policy::default());
    lanes.receipts = listener.receipts();
    lanes.run(listener, allowed, stop, failure).await;
}

/// While the bot runs with `/readyz` on (an idle bot without it wakes for
/// nothing): a `getMe` whenever nothing reached Telegram for a minute; a
/// busy bot never makes one. A long poll that ends empty is not seen from
/// here.
async fn keep_in_touch(bot: Bot, stop: watch::Receiver<bool>) {
    let ask = || async {
        match bot.get_me().await {
            Ok(_) => true,
            Err(e) => {
                log::warn!("Telegram did not answer getMe: {e}");
                false
            }
        }
    };
    telemetry::keep_in_touch(Platform::Telegram, ask, stop).await;
}

fn bot(connection: &Connection) -> Result<Bot, TelegramError> {
    let mut bot = Bot::new(&connection.token);
    if let Some(url) = &connection.api_url {
        let parsed = url
            .trim_end_matches('/')
            .parse()
            .map_err(|_| TelegramError::BadUrl(url.clone()))?;
        bot = bot.set_api_url(parsed);
    }
    Ok(bot)
}

fn startup_error(connection: &Connection, error: RequestError) -> TelegramError {
    match error {
        RequestError::Api(ApiError::InvalidToken) => TelegramError::BadToken,
        RequestError::Api(ApiError::Unknown(d)) if d.contains("Unauthorized") => {
            TelegramError::BadToken
        }
        other => TelegramError::Unreachable {
            url: connection
                .api_url
                .clone()
                .unwrap_or_else(|| "https://api.telegram.org".to_string()),
            reason: crate::ops::logging::redact(
                &other.to_string(),
                std::slice::from_ref(&connection.token),
            ),
        },
    }
}
