//! The small vocabulary every layer shares: which platform a chat lives on,
//! platform-qualified chat and message ids, the kind of a chat, and the
//! languages the bot speaks.
//!
//! It sits at the bottom of the layering and depends on nothing in the
//! crate, so `store`, `study` and every adapter can use the same types and
//! no chat of one platform is ever mistaken for a chat of another.

use std::fmt;

/// Where a chat lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Platform {
    Telegram,
    Discord,
    /// `studybot chat`: the bot at a terminal.
    Console,
}

impl Platform {
    /// The name stored in the database's `platform` columns.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Telegram => "telegram",
            Platform::Discord => "discord",
            Platform::Console => "console",
        }
    }

    /// The platform a stored name means; `None` for a name this build does
    /// not know.
    pub fn parse(name: &str) -> Option<Platform> {
        match name {
            "telegram" => Some(Platform::Telegram),
            "discord" => Some(Platform::Discord),
            "console" => Some(Platform::Console),
            _ => None,
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A chat, qualified by its platform: Telegram's chat `7` and Discord's
/// channel `7` are different chats in one database.
///
/// `id` is the platform's own id. Telegram chat ids fit in 52 bits. Discord
/// ids are unsigned 64-bit snowflakes whose top 42 bits count milliseconds
/// since 2015-01-01, so the sign bit stays clear until the year 2084: every
/// snowflake Discord hands out until then is a non-negative `i64`, and
/// [`ChatId::discord`] refuses (rather than wraps) any that is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChatId {
    pub platform: Platform,
    pub id: i64,
}

impl ChatId {
    pub const fn new(platform: Platform, id: i64) -> ChatId {
        ChatId { platform, id }
    }

    pub const fn telegram(id: i64) -> ChatId {
        ChatId::new(Platform::Telegram, id)
    }

    pub const fn console(id: i64) -> ChatId {
        ChatId::new(Platform::Console, id)
    }

    /// A Discord channel (or thread, or DM channel) by its snowflake;
    /// `None` for a snowflake past `i64::MAX` (see the type's notes).
    pub fn discord(snowflake: u64) -> Option<ChatId> {
        i64::try_from(snowflake)
            .ok()
            .map(|id| ChatId::new(Platform::Discord, id))
    }
}

impl fmt::Display for ChatId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.platform, self.id)
    }
}

/// A message within a chat, as its platform numbers it: Telegram's
/// `message_id` (32-bit today) or a Discord snowflake (see [`ChatId`] for
/// why a snowflake fits in an `i64`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MessageId(pub i64);

impl MessageId {
    /// A Discord message by its snowflake; `None` past `i64::MAX`.
    pub fn discord(snowflake: u64) -> Option<MessageId> {
        i64::try_from(snowflake).ok().map(MessageId)
    }

    /// The id as Telegram's 32-bit `message_id`, if it is one.
    pub fn telegram(self) -> Option<i32> {
        i32::try_from(self.0).ok()
    }
}

impl From<i32> for MessageId {
    fn from(id: i32) -> MessageId {
        MessageId(i64::from(id))
    }
}

impl fmt::Display for MessageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A person, qualified by platform: Telegram's user 7 and Discord's user 7
/// are two people, each with their own cards and ratings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PersonId {
    pub platform: Platform,
    pub id: i64,
}

impl PersonId {
    pub const fn new(platform: Platform, id: i64) -> PersonId {
        PersonId { platform, id }
    }
}

impl fmt::Display for PersonId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.platform, self.id)
    }
}

/// The kind of a chat, as platforms describe it. A Discord server channel
/// or thread is a `Group` (many people, managers decide settings); a
/// Discord DM is `Private`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChatKind {
    Private,
    Group,
    Supergroup,
    Channel,
}

impl ChatKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChatKind::Private => "private",
            ChatKind::Group => "group",
            ChatKind::Supergroup => "supergroup",
            ChatKind::Channel => "channel",
        }
    }

    pub fn parse(s: &str) -> ChatKind {
        match s {
            "group" => ChatKind::Group,
            "supergroup" => ChatKind::Supergroup,
            "channel" => ChatKind::Channel,
            _ => ChatKind::Private,
        }
    }

    /// Groups and supergroups: many people, admins decide settings.
    pub fn is_group(self) -> bool {
        matches!(self, ChatKind::Group | ChatKind::Supergroup)
    }
}

/// A language the bot speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// `zh` / `en` (also `zh-hans`, `zh_CN`, `en-GB`…); anything else is None.
    pub fn parse(code: &str) -> Option<Lang> {
        let code = code.to_ascii_lowercase();
        if code == "zh" || code.starts_with("zh-") || code.starts_with("zh_") {
            Some(Lang::Zh)
        } else if code == "en" || code.starts_with("en-") || code.starts_with("en_") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// A person's platform language code (Telegram's `language_code`,
    /// Discord's `locale`): Chinese stays Chinese, every other language
    /// gets English.
    pub fn from_user(code: &str) -> Lang {
        Lang::parse(code).unwrap_or(Lang::En)
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    pub fn all() -> [Lang; 2] {
        [Lang::Zh, Lang::En]
    }
}

/// A Discord role as typed or as Discord fills it in (`<@&ID>`, `@&ID` or
/// `ID`): its id, or `None` for anything else (a person, `@everyone`).
pub fn discord_role(text: &str) -> Option<i64> {
    let digits = text
        .strip_prefix("<@&")
        .and_then(|t| t.strip_suffix('>'))
        .or_else(|| text.strip_prefix("@&"))
        .unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<i64>().ok().filter(|id| *id > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms_round_trip_through_their_stored_names() {
        for p in [Platform::Telegram, Platform::Discord, Platform::Console] {
            assert_eq!(Platform::parse(p.as_str()), Some(p));
        }
        assert_eq!(Platform::parse("irc"), None);
    }

    #[test]
    fn snowflakes_fit_until_the_sign_bit_and_are_refused_after() {
        let today = 1_312_345_678_901_234_567u64;
        assert_eq!(ChatId::discord(today).unwrap().id as u64, today);
        assert_eq!(MessageId::discord(today).unwrap().0 as u64, today);
        assert_eq!(ChatId::discord(1 << 63), None);
        assert_eq!(MessageId::discord(u64::MAX), None);
    }

    #[test]
    fn the_same_number_on_two_platforms_is_two_chats() {
        assert_ne!(ChatId::telegram(7), ChatId::discord(7).unwrap());
        assert_eq!(ChatId::telegram(-5).to_string(), "telegram:-5");
    }

    #[test]
    fn message_ids_narrow_to_telegram_only_when_they_fit() {
        assert_eq!(MessageId::from(42).telegram(), Some(42));
        assert_eq!(MessageId(1 << 40).telegram(), None);
    }
}
