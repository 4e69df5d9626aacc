//! The operator's config file (`STUDYBOT_CONFIG=studybot.toml`): settings
//! and the daily plans of known chats, for an operator who runs the bot for
//! one group and does not want to type commands in it.
//!
//! The file is read and checked whole before the bot starts; every mistake
//! is reported as `file:line:col: message`, and a file with any mistake
//! never starts the bot. Top-level keys are the environment variables' own
//! names (`STUDYBOT_LANG = "en"`); the environment wins over the file.
//! Each `[[chats]]` table is one chat's plan. Decks and tags are checked
//! against the bank once it is loaded (`check_bank`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::bank::Bank;
use crate::domain::{ChatId, Platform};
use crate::schedule;

/// The settings a file may hold: exactly the environment's names.
pub const SETTING_NAMES: [&str; 11] = [
    "TELOXIDE_TOKEN",
    "TELOXIDE_API_URL",
    "DISCORD_TOKEN",
    "DISCORD_API_URL",
    "DISCORD_GATEWAY_URL",
    "DISCORD_GUILD_ID",
    "STUDYBOT_CONTENT",
    "STUDYBOT_DATABASE",
    "STUDYBOT_TIMEZONE",
    "STUDYBOT_LANG",
    "STUDYBOT_GRACE_MINUTES",
];

/// A checked config file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OperatorConfig {
    pub path: PathBuf,
    pub chats: Vec<OperatorChat>,
    settings: BTreeMap<String, String>,
    /// Where each chat's deck and tags are written, for `check_bank`.
    filter_spots: Vec<FilterSpots>,
}

/// One chat's plan as the operator wrote it (each part already valid).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperatorChat {
    pub chat_id: ChatId,
    /// `HH:MM`.
    pub time: String,
    /// An IANA zone name.
    pub zone: String,
    /// `off`, `21:00`, `6h`…
    pub reveal: String,
    /// `weekdays`, `mon,wed,fri`, `every 2 days`; `None`: every day.
    pub days: Option<String>,
    pub deck: Option<String>,
    pub tags: Vec<String>,
    /// Discord: a thread on each question (`thread = true`).
    pub open_thread: bool,
    /// Discord: the role each question mentions (`ping = "<@&ID>"` or an id).
    pub ping_role: Option<i64>,
}

/// Every mistake found in the file, one `file:line:col: message` a line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.join("\n"))]
pub struct ConfigFileError(pub Vec<String>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Spot<T> {
    value: T,
    line: usize,
    col: usize,
}

/// Where one chat's deck and tags are written.
type FilterSpots = (Option<Spot<String>>, Option<Spot<Vec<String>>>);

#[derive(Deserialize)]
#[serde(untagged)]
enum Scalar {
    Text(String),
    Number(i64),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChat {
    id: Spanned<i64>,
    #[serde(default)]
    platform: Option<Spanned<String>>,
    time: Spanned<String>,
    zone: Spanned<String>,
    #[serde(default)]
    reveal: Option<Spanned<String>>,
    #[serde(default)]
    days: Option<Spanned<String>>,
    #[serde(default)]
    deck: Option<Spanned<String>>,
    #[serde(default)]
    tags: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    thread: Option<Spanned<bool>>,
    #[serde(default)]
    ping: Option<Spanned<Scalar>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    chats: Vec<RawChat>,
    #[serde(rename = "TELOXIDE_TOKEN", default)]
    teloxide_token: Option<Scalar>,
    #[serde(rename = "TELOXIDE_API_URL", default)]
    teloxide_api_url: Option<Scalar>,
    #[serde(rename = "DISCORD_TOKEN", default)]
    discord_token: Option<Scalar>,
    #[serde(rename = "DISCORD_API_URL", default)]
    discord_api_url: Option<Scalar>,
    #[serde(rename = "DISCORD_GATEWAY_URL", default)]
    discord_gateway_url: Option<Scalar>,
    #[serde(rename = "DISCORD_GUILD_ID", default)]
    discord_guild_id: Option<Scalar>,
    #[serde(rename = "STUDYBOT_CONTENT", default)]
    studybot_content: Option<Scalar>,
    #[serde(rename = "STUDYBOT_DATABASE", default)]
    studybot_database: Option<Scalar>,
    #[serde(rename = "STUDYBOT_TIMEZONE", default)]
    studybot_timezone: Option<Scalar>,
    #[serde(rename = "STUDYBOT_LANG", default)]
    studybot_lang: Option<Scalar>,
    #[serde(rename = "STUDYBOT_GRACE_MINUTES", default)]
    studybot_grace_minutes: Option<Scalar>,
}

impl RawFile {
    /// The settings given, by name, in [`SETTING_NAMES`] order.
    fn settings(&mut self) -> BTreeMap<String, String> {
        let values = [
            self.teloxide_token.take(),
            self.teloxide_api_url.take(),
            self.discord_token.take(),
            self.discord_api_url.take(),
            self.discord_gateway_url.take(),
            self.discord_guild_id.take(),
            self.studybot_content.take(),
            self.studybot_database.take(),
            self.studybot_timezone.take(),
            self.studybot_lang.take(),
            self.studybot_grace_minutes.take(),
        ];
        SETTING_NAMES
            .iter()
            .zip(values)
            .filter_map(|(name, value)| {
                let text = match value? {
                    Scalar::Text(text) => text,
                    Scalar::Number(n) => n.to_string(),
                };
                Some((name.to_string(), text))
            })
            .collect()
    }
}

impl OperatorConfig {
    /// Reads and checks `path` (everything but decks and tags).
    pub fn load(path: &Path) -> Result<OperatorConfig, ConfigFileError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| ConfigFileError(vec![format!("{}: cannot read: {e}", path.display())]))?;
        OperatorConfig::parse(path, &text)
    }

    /// Checks `text`, the contents of `path`.
    pub fn parse(path: &Path, text: &str) -> Result<OperatorConfig, ConfigFileError> {
        let file = Located { path, text };
        let mut raw: RawFile = toml::from_str(text).map_err(|e| {
            let at = e.span().map_or(0, |s| s.start);
            ConfigFileError(vec![file.at(at, e.message().trim())])
        })?;
        let mut errors = Vec::new();
        let mut config = OperatorConfig {
            path: path.to_path_buf(),
            settings: raw.settings(),
            ..OperatorConfig::default()
        };
        for chat in raw.chats {
            match file.chat(chat, &config.chats) {
                Ok((chat, spots)) => {
                    config.chats.push(chat);
                    config.filter_spots.push(spots);
                }
                Err(mut e) => errors.append(&mut e),
            }
        }
        if errors.is_empty() {
            Ok(config)
        } else {
            Err(ConfigFileError(errors))
        }
    }

    /// A setting the file holds, by its environment name.
    pub fn setting(&self, name: &str) -> Option<String> {
        self.settings.get(name).cloned()
    }

    /// Checks every chat's deck and tags against `bank`.
    pub fn check_bank(&self, bank: &Bank) -> Result<(), ConfigFileError> {
        let mut errors = Vec::new();
        let where_ = |line: usize, col: usize| format!("{}:{line}:{col}", self.path.display());
        for (deck, tags) in &self.filter_spots {
            if let Some(d) = deck
                && bank.deck(&d.value).is_none()
            {
                let known: Vec<&str> = bank.decks().iter().map(|d| d.id.as_str()).collect();
                errors.push(format!(
                    "{}: unknown deck `{}`: the decks are {}",
                    where_(d.line, d.col),
                    d.value,
                    known.join(", ")
                ));
            }
            for tag in tags
                .iter()
                .flat_map(|t| t.value.iter().map(move |v| (t, v)))
            {
                if bank.tagged(tag.1).is_empty() {
                    let known: Vec<String> = bank.tags().into_iter().map(|(t, _)| t).collect();
                    errors.push(format!(
                        "{}: unknown tag `{}`: the tags are {}",
                        where_(tag.0.line, tag.0.col),
                        tag.1,
                        known.join(", ")
                    ));
                }
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ConfigFileError(errors))
        }
    }
}

/// The file's name and text, to turn byte offsets into `file:line:col`.
struct Located<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Located<'_> {
    fn line_col(&self, offset: usize) -> (usize, usize) {
        let before = &self.text[..offset.min(self.text.len())];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, col)
    }

    fn at(&self, offset: usize, message: &str) -> String {
        let (line, col) = self.line_col(offset);
        format!("{}:{line}:{col}: {message}", self.path.display())
    }

    fn spot<T: Clone>(&self, s: &Spanned<T>) -> Spot<T> {
        let (line, col) = self.line_col(s.span().start);
        Spot {
            value: s.get_ref().clone(),
            line,
            col,
        }
    }

    /// One `[[chats]]` table checked; `earlier` are the chats before it.
    fn chat(
        &self,
        raw: RawChat,
        earlier: &[OperatorChat],
    ) -> Result<(OperatorChat, FilterSpots), Vec<String>> {
        let mut errors = Vec::new();
        let chat_id = match self.chat_id(&raw, earlier) {
            Ok(id) => Some(id),
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let mut check = |at: usize, result: Result<String, String>| match result {
            Ok(value) => Some(value),
            Err(message) => {
                errors.push(self.at(at, &message));
                None
            }
        };
        let time = check(
            raw.time.span().start,
            schedule::parse_time(raw.time.get_ref())
                .map(schedule::format_time)
                .map_err(|e| e.to_string()),
        );
        let zone = check(
            raw.zone.span().start,
            schedule::parse_zone(raw.zone.get_ref())
                .map(|(name, _)| name)
                .map_err(|e| e.to_string()),
        );
        let reveal = match &raw.reveal {
            None => Some("off".to_string()),
            Some(r) => check(
                r.span().start,
                schedule::parse_reveal(r.get_ref())
                    .map(|rule| schedule::format_reveal(&rule))
                    .map_err(|e| e.to_string()),
            ),
        };
        let days = raw.days.as_ref().map(|d| {
            check(
                d.span().start,
                schedule::parse_days(d.get_ref(), jiff::civil::Date::MIN)
                    .map(|days| days.text())
                    .map_err(|e| e.to_string()),
            )
        });
        let discord = chat_id.is_some_and(|c| c.platform == Platform::Discord);
        let (open_thread, ping_role) = match self.thread_and_ping(&raw, discord) {
            Ok(extras) => extras,
            Err(message) => {
                errors.push(message);
                (false, None)
            }
        };
        match (chat_id, time, zone, reveal, days) {
            (Some(chat_id), Some(time), Some(zone), Some(reveal), days) if errors.is_empty() => {
                let deck = raw.deck.as_ref().map(|d| self.spot(d));
                let tags = raw.tags.as_ref().map(|t| self.spot(t));
                let chat = OperatorChat {
                    chat_id,
                    time,
                    zone,
                    reveal,
                    days: days.flatten(),
                    deck: deck.as_ref().map(|d| d.value.clone()),
                    tags: tags.as_ref().map(|t| t.value.clone()).unwrap_or_default(),
                    open_thread,
                    ping_role,
                };
                Ok((chat, (deck, tags)))
            }
            _ => Err(errors),
        }
    }

    /// `thread` and `ping`, which only a Discord chat may have.
    fn thread_and_ping(&self, raw: &RawChat, discord: bool) -> Result<(bool, Option<i64>), String> {
        let open_thread = raw.thread.as_ref().is_some_and(|t| *t.get_ref());
        let ping_role = match &raw.ping {
            None => None,
            Some(ping) => {
                let role = match ping.get_ref() {
                    Scalar::Number(id) => Some(*id).filter(|id| *id > 0),
                    Scalar::Text(text) => crate::domain::discord_role(text.trim()),
                };
                let message = "`ping` is a Discord role: \"<@&ID>\" or its id";
                Some(role.ok_or_else(|| self.at(ping.span().start, message))?)
            }
        };
        let first = raw.thread.as_ref().map(|t| t.span().start);
        if !discord && let Some(at) = first.or(raw.ping.as_ref().map(|p| p.span().start)) {
            let message = "`thread` and `ping` are for Discord chats (add platform = \"discord\")";
            return Err(self.at(at, message));
        }
        Ok((open_thread, ping_role))
    }

    fn chat_id(&self, raw: &RawChat, earlier: &[OperatorChat]) -> Result<ChatId, String> {
        let platform = match &raw.platform {
            None => Platform::Telegram,
            Some(p) => match Platform::parse(p.get_ref()) {
                Some(platform @ (Platform::Telegram | Platform::Discord)) => platform,
                _ => {
                    return Err(self.at(
                        p.span().start,
                        &format!(
                            "unknown platform `{}`: use telegram or discord",
                            p.get_ref()
                        ),
                    ));
                }
            },
        };
        let id = *raw.id.get_ref();
        let chat_id = match platform {
            Platform::Discord if id <= 0 => None,
            _ if id == 0 => None,
            _ => Some(ChatId::new(platform, id)),
        };
        let at = raw.id.span().start;
        let chat_id = chat_id.ok_or_else(|| {
            self.at(
                at,
                &format!("`{id}` is not a chat id on {}", platform.as_str()),
            )
        })?;
        if earlier.iter().any(|c| c.chat_id == chat_id) {
            return Err(self.at(at, &format!("chat {chat_id} is listed twice")));
        }
        Ok(chat_id)
    }
}

#[cfg(test)]
#[path = "operator_tests.rs"]
mod tests;
