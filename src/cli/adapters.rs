//! The platforms `studybot run` serves, in one shape: each configured
//! platform becomes an [`Adapter`] built from the settings (Telegram with
//! its webhook route, when it has one), and every adapter is served the
//! same way, with the same engine (whose clock it reads) and stop, until
//! one of them ends.

use studybot::config::Settings;
use studybot::discord;
use studybot::study::Engine;
use studybot::telegram;
use tokio::sync::watch;

/// One platform, ready to serve.
pub enum Adapter {
    Telegram(Box<telegram::Connection>),
    Discord(discord::Connection),
}

/// The adapters for every platform whose token is set, and the routes they
/// add to the HTTP side (Telegram's webhook).
pub fn configured(
    settings: &Settings,
    telegram_token: Option<String>,
) -> (Vec<Adapter>, Option<axum::Router>) {
    let mut adapters = Vec::new();
    let mut routes = None;
    if let Some(token) = telegram_token {
        // The webhook's route lives on the HTTP side, so it needs one.
        let hook = settings
            .webhook
            .as_ref()
            .filter(|_| settings.http.is_some());
        let (connection, route) = telegram::Connection::new(token, settings.api_url.clone(), hook);
        routes = route;
        adapters.push(Adapter::Telegram(Box::new(connection)));
    }
    if let Some(d) = &settings.discord {
        adapters.push(Adapter::Discord(discord::Connection {
            token: d.token.clone(),
            api_url: d.api_url.clone(),
            gateway_url: d.gateway_url.clone(),
            guild_id: d.guild_id,
        }));
    }
    (adapters, routes)
}

impl Adapter {
    /// Serves the platform until `stop` turns true; the engine says whether
    /// this bot is one of several replicas, and what time it is.
    pub async fn serve(self, engine: Engine, stop: watch::Receiver<bool>) -> anyhow::Result<()> {
        match self {
            Adapter::Telegram(connection) => telegram::serve(engine, *connection, stop).await?,
            Adapter::Discord(connection) => discord::serve(engine, connection, stop).await?,
        }
        Ok(())
    }
}
