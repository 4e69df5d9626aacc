//! Settings from the environment (and `.env`), and from the operator's
//! config file (`STUDYBOT_CONFIG`) under the same names, checked once at
//! start. The environment wins over the file.
//!
//! Only `main` reads them; every other module is handed what it needs. Each
//! error names the variable and the form it should take, so an operator can
//! fix a deployment from the message alone. The token is never shown.

pub mod operator;
pub mod webhook;

use std::net::SocketAddr;
use std::path::PathBuf;

use jiff::SignedDuration;

use crate::config::operator::{ConfigFileError, OperatorConfig};
pub use crate::config::webhook::WebhookSettings;
use crate::config::webhook::{WebhookConfigError, webhook_settings};
use crate::schedule;
use crate::study::Lang;

/// Everything studybot reads from its environment.
#[derive(Clone)]
pub struct Settings {
    /// `TELOXIDE_TOKEN`; required by `run` only.
    pub token: Option<String>,
    /// `TELOXIDE_API_URL`: a local Bot API server or a test fake.
    pub api_url: Option<String>,
    /// Discord, when `DISCORD_TOKEN` is set.
    pub discord: Option<DiscordSettings>,
    /// `STUDYBOT_CONTENT`, default `content`.
    pub content: PathBuf,
    /// `STUDYBOT_DATABASE`, default `sqlite://studybot.db`.
    pub database: String,
    /// `STUDYBOT_PID_FILE`, where `run` writes its process id for
    /// `studybot reload`; default beside the SQLite file (`studybot.pid`).
    pub pid_file: PathBuf,
    /// `STUDYBOT_TIMEZONE`, default `UTC`: the zone of new daily plans.
    pub timezone: String,
    /// `STUDYBOT_LANG`, default `zh`.
    pub lang: Lang,
    /// `STUDYBOT_GRACE_MINUTES`, default 120: how late a missed daily post
    /// may still go out.
    pub grace: SignedDuration,
    /// `STUDYBOT_CONFIG`: the operator's file, read and checked (but for
    /// decks and tags, which need the bank).
    pub operator: Option<OperatorConfig>,
    /// `STUDYBOT_ADMINS`: Telegram user ids of the operators who get
    /// reports of problems with questions, in private.
    pub admins: Vec<i64>,
    /// `STUDYBOT_HTTP`: where `/healthz`, `/readyz` and `/metrics` listen
    /// (off when unset).
    pub http: Option<SocketAddr>,
    /// `STUDYBOT_WEBHOOK_URL` (+ `STUDYBOT_WEBHOOK_SECRET`): Telegram posts
    /// updates to the HTTP side instead of being polled.
    pub webhook: Option<WebhookSettings>,
}

/// `DISCORD_*`: how to reach Discord.
#[derive(Clone)]
pub struct DiscordSettings {
    /// `DISCORD_TOKEN`, the application's bot token (never shown).
    pub token: String,
    /// `DISCORD_API_URL`: the REST base (requests go to `{base}/api/v10/…`).
    pub api_url: Option<String>,
    /// `DISCORD_GATEWAY_URL`: else `GET /gateway/bot` says.
    pub gateway_url: Option<String>,
    /// `DISCORD_GUILD_ID`: register commands in this server only.
    pub guild_id: Option<u64>,
}

impl std::fmt::Debug for DiscordSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DiscordSettings")
            .field("token", &"<redacted>")
            .field("api_url", &self.api_url)
            .field("gateway_url", &self.gateway_url)
            .field("guild_id", &self.guild_id)
            .finish()
    }
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("api_url", &self.api_url)
            .field("discord", &self.discord)
            .field("content", &self.content)
            .field("database", &crate::store::redacted(&self.database))
            .field("pid_file", &self.pid_file)
            .field("timezone", &self.timezone)
            .field("lang", &self.lang)
            .field("grace", &self.grace)
            .field("operator", &self.operator.as_ref().map(|o| &o.path))
            .field("admins", &self.admins)
            .field("http", &self.http)
            .field("webhook", &self.webhook)
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "TELOXIDE_TOKEN is not set: create a bot with @BotFather and run `TELOXIDE_TOKEN=123456:ABC... studybot run` (or put it in .env)"
    )]
    MissingToken,
    #[error(
        "TELOXIDE_TOKEN does not look like a bot token (expected digits, a colon, then letters)"
    )]
    BadToken,
    #[error(
        "no platform to serve: set TELOXIDE_TOKEN (a Telegram bot token from @BotFather) or DISCORD_TOKEN (a Discord application's bot token), or both"
    )]
    NoPlatform,
    #[error(
        "DISCORD_API_URL and DISCORD_GATEWAY_URL must be URLs like http://127.0.0.1:8082 (ws:// or wss:// for the gateway), not `{0}`"
    )]
    BadDiscordUrl(String),
    #[error("DISCORD_GUILD_ID must be a server id (digits), not `{0}`")]
    BadGuildId(String),
    #[error("STUDYBOT_LANG must be `zh` or `en`, not `{0}`")]
    BadLang(String),
    #[error("STUDYBOT_TIMEZONE: {0}")]
    BadZone(schedule::ScheduleError),
    #[error("TELOXIDE_API_URL must be an http(s) URL like http://127.0.0.1:8081, not `{0}`")]
    BadApiUrl(String),
    #[error("STUDYBOT_GRACE_MINUTES must be a whole number of minutes from 0 to 1440, not `{0}`")]
    BadGrace(String),
    #[error(
        "STUDYBOT_ADMINS must be Telegram user ids separated by commas, like `12345,67890`; `{0}` is not one"
    )]
    BadAdmins(String),
    #[error(
        "STUDYBOT_HTTP must be an IP address and port to listen on, like 127.0.0.1:9090 (or 0.0.0.0:9090 in a container), not `{0}`"
    )]
    BadHttp(String),
    #[error("{0}")]
    Webhook(#[from] WebhookConfigError),
    #[error("cannot read .env: {0}")]
    DotEnv(String),
    /// `STUDYBOT_CONFIG` names a file with mistakes (each located).
    #[error("{0}")]
    File(ConfigFileError),
}

/// What is wrong with `.env`, without its text: a line that does not parse
/// may hold a token or a password, so only the variable's name (when the
/// line has one) and the position are shown.
fn dotenv_problem(error: &dotenvy::Error) -> String {
    let dotenvy::Error::LineParse(line, index) = error else {
        return error.to_string();
    };
    let name = line
        .split_once('=')
        .map(|(name, _)| name.trim().trim_start_matches("export ").trim())
        .filter(|name| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
    let what = match name {
        Some(name) => format!("the line of {name}"),
        None => "a line".to_string(),
    };
    format!(
        "{what} cannot be parsed at character {}: write NAME=value, quoting values with spaces or # (the line is not shown: it may hold a secret)",
        index + 1
    )
}

impl Settings {
    /// Reads `.env` (if present) and then the environment.
    pub fn from_env() -> Result<Settings, ConfigError> {
        match dotenvy::dotenv() {
            Ok(_) => {}
            Err(e) if e.not_found() => {}
            Err(e) => return Err(ConfigError::DotEnv(dotenv_problem(&e))),
        }
        Settings::from_sources(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup` and, when it names one with
    /// `STUDYBOT_CONFIG`, the config file: `lookup` wins over the file.
    pub fn from_sources(lookup: impl Fn(&str) -> Option<String>) -> Result<Settings, ConfigError> {
        let given = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let file = match given("STUDYBOT_CONFIG") {
            None => None,
            Some(path) => Some(
                OperatorConfig::load(std::path::Path::new(path.trim()))
                    .map_err(ConfigError::File)?,
            ),
        };
        let mut settings = Settings::from_lookup(|name| {
            given(name).or_else(|| file.as_ref().and_then(|f| f.setting(name)))
        })?;
        settings.operator = file;
        Ok(settings)
    }

    /// Reads settings through `lookup` (the environment, or a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Settings, ConfigError> {
        let get = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let lang = match get("STUDYBOT_LANG") {
            None => Lang::Zh,
            Some(code) => Lang::parse(&code).ok_or(ConfigError::BadLang(code))?,
        };
        let timezone = match get("STUDYBOT_TIMEZONE") {
            None => "UTC".to_string(),
            Some(zone) => schedule::parse_zone(&zone).map_err(ConfigError::BadZone)?.0,
        };
        let api_url = get("TELOXIDE_API_URL");
        if let Some(url) = &api_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            return Err(ConfigError::BadApiUrl(url.clone()));
        }
        let grace = match get("STUDYBOT_GRACE_MINUTES") {
            None => schedule::DEFAULT_GRACE,
            Some(text) => match text.parse::<i64>() {
                Ok(m) if (0..=1440).contains(&m) => SignedDuration::from_mins(m),
                _ => return Err(ConfigError::BadGrace(text)),
            },
        };
        let database =
            get("STUDYBOT_DATABASE").unwrap_or_else(|| "sqlite://studybot.db".to_string());
        let token = get("TELOXIDE_TOKEN");
        let http = match get("STUDYBOT_HTTP") {
            None => None,
            Some(text) => Some(text.parse().map_err(|_| ConfigError::BadHttp(text))?),
        };
        let webhook = webhook_settings(
            get("STUDYBOT_WEBHOOK_URL").as_deref(),
            get("STUDYBOT_WEBHOOK_SECRET").as_deref(),
            token.as_deref(),
            http.is_some(),
        )?
        .map(|w| w.with_queue(get("STUDYBOT_WEBHOOK_QUEUE").as_deref()))
        .transpose()?;
        Ok(Settings {
            token,
            api_url,
            discord: discord_settings(&get)?,
            content: get("STUDYBOT_CONTENT")
                .map_or_else(|| PathBuf::from("content"), PathBuf::from),
            pid_file: get("STUDYBOT_PID_FILE")
                .map_or_else(|| crate::reload::default_pid_file(&database), PathBuf::from),
            database,
            timezone,
            lang,
            grace,
            operator: None,
            admins: admins(get("STUDYBOT_ADMINS").as_deref())?,
            http,
            webhook,
        })
    }

    /// Fails with one message naming both tokens when neither is set.
    pub fn require_a_platform(&self) -> Result<(), ConfigError> {
        if self.token.is_none() && self.discord.is_none() {
            return Err(ConfigError::NoPlatform);
        }
        Ok(())
    }

    /// The platforms `run` serves with these settings.
    pub fn platforms(&self) -> Vec<crate::domain::Platform> {
        let telegram = self
            .token
            .as_ref()
            .map(|_| crate::domain::Platform::Telegram);
        let discord = self
            .discord
            .as_ref()
            .map(|_| crate::domain::Platform::Discord);
        telegram.into_iter().chain(discord).collect()
    }

    /// Every secret, for the log's redaction.
    pub fn secrets(&self) -> Vec<String> {
        let discord = self.discord.as_ref().map(|d| d.token.clone());
        let webhook = self.webhook.as_ref().map(|w| w.secret.clone());
        self.token
            .iter()
            .cloned()
            .chain(discord)
            .chain(webhook)
            .collect()
    }

    /// The token, or an error that says how to get one.
    pub fn require_token(&self) -> Result<&str, ConfigError> {
        let token = self.token.as_deref().ok_or(ConfigError::MissingToken)?;
        let (id, secret) = token.split_once(':').ok_or(ConfigError::BadToken)?;
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) || secret.is_empty() {
            return Err(ConfigError::BadToken);
        }
        Ok(token)
    }
}

/// `STUDYBOT_ADMINS`: positive user ids, comma-separated (spaces allowed,
/// duplicates dropped).
fn admins(value: Option<&str>) -> Result<Vec<i64>, ConfigError> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    let mut ids = Vec::new();
    for part in value.split(',').map(str::trim) {
        match part.parse::<i64>() {
            Ok(id) if id > 0 && !part.starts_with('+') => {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            _ => return Err(ConfigError::BadAdmins(part.to_string())),
        }
    }
    Ok(ids)
}

fn discord_settings(
    get: &impl Fn(&str) -> Option<String>,
) -> Result<Option<DiscordSettings>, ConfigError> {
    let Some(token) = get("DISCORD_TOKEN") else {
        return Ok(None);
    };
    let url = |name: &str, schemes: &[&str]| -> Result<Option<String>, ConfigError> {
        match get(name) {
            Some(url) if !schemes.iter().any(|s| url.starts_with(s)) => {
                Err(ConfigError::BadDiscordUrl(url))
            }
            other => Ok(other),
        }
    };
    let guild_id = match get("DISCORD_GUILD_ID") {
        None => None,
        Some(text) => Some(
            text.parse::<u64>()
                .ok()
                .filter(|&id| id > 0)
                .ok_or(ConfigError::BadGuildId(text))?,
        ),
    };
    Ok(Some(DiscordSettings {
        token,
        api_url: url("DISCORD_API_URL", &["http://", "https://"])?,
        gateway_url: url("DISCORD_GATEWAY_URL", &["ws://", "wss://"])?,
        guild_id,
    }))
}

#[cfg(test)]
mod tests;
