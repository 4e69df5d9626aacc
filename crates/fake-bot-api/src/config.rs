//! What a test decides before and while the fake runs: the bot's identity, Telegram's rate
//! limits, and the chats and users that exist. These are plain data types; the server state
//! keeps them and the JSON builders turn them into Bot API objects.

use std::time::Duration;

/// Settings of one fake server.
#[derive(Debug, Clone)]
pub struct Config {
    /// The only token the fake accepts (`/bot{token}/...`); the bot's id is the part before `:`.
    pub token: String,
    /// The bot's `@username`, without the `@`.
    pub bot_username: String,
    /// The bot's display name.
    pub bot_first_name: String,
    /// Enforce Telegram's rate limits (answer 429 instead of delivering).
    pub rate_limits: bool,
    /// The limits enforced when `rate_limits` is on.
    pub limits: Limits,
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Answer a long poll after at most this long even if the bot asked for a longer
    /// `timeout` (keeps dispatcher shutdown in tests fast). `None` honours `timeout` exactly.
    pub long_poll_cap: Option<Duration>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            token: "123456:TEST-TOKEN".to_string(),
            bot_username: "studybot_test_bot".to_string(),
            bot_first_name: "Studybot Test".to_string(),
            rate_limits: false,
            limits: Limits::default(),
            port: 0,
            long_poll_cap: None,
        }
    }
}

impl Config {
    /// The bot's user id: the digits before `:` in the token (0 when there are none).
    pub fn bot_id(&self) -> i64 {
        self.token
            .split(':')
            .next()
            .and_then(|id| id.parse().ok())
            .unwrap_or(0)
    }
}

/// One sliding-window limit: at most `max` messages in any window of `span`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub max: usize,
    pub span: Duration,
}

/// Telegram's message limits (sliding windows, checked strictly).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Any one chat (default 1 per 1 s).
    pub per_chat: Window,
    /// Any one group, supergroup or channel, i.e. chat id < 0 (default 20 per 60 s).
    pub per_group: Window,
    /// All chats together (default 30 per 1 s).
    pub global: Window,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            per_chat: Window {
                max: 1,
                span: Duration::from_secs(1),
            },
            per_group: Window {
                max: 20,
                span: Duration::from_secs(60),
            },
            global: Window {
                max: 30,
                span: Duration::from_secs(1),
            },
        }
    }
}

/// A Telegram user (or bot) as it appears in `from`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub is_bot: bool,
    pub first_name: String,
    pub username: Option<String>,
    pub language_code: Option<String>,
}

impl User {
    /// A human user with no username and no language.
    pub fn new(id: i64, first_name: &str) -> User {
        User {
            id,
            is_bot: false,
            first_name: first_name.to_string(),
            username: None,
            language_code: None,
        }
    }

    /// Sets the `@username` (without `@`).
    pub fn with_username(mut self, username: &str) -> User {
        self.username = Some(username.to_string());
        self
    }

    /// Sets the client's IETF language tag (`language_code`).
    pub fn with_language(mut self, language_code: &str) -> User {
        self.language_code = Some(language_code.to_string());
        self
    }
}

/// The kind of a chat, with what Telegram shows of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChatKind {
    /// A one-to-one chat; `user` is the other party (its id equals the chat id).
    Private {
        user: User,
    },
    Group {
        title: String,
    },
    /// `is_forum`: topics enabled; `message_thread_id` is only valid here.
    Supergroup {
        title: String,
        is_forum: bool,
    },
    /// Posts arrive as `channel_post` with `sender_chat`, never with `from`.
    Channel {
        title: String,
    },
}

/// A chat the fake knows. Unknown chat ids are accepted too: their kind is inferred from the
/// id (positive → private, ≤ −10¹² → supergroup, other negative → group).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatSpec {
    pub id: i64,
    pub kind: ChatKind,
    /// The bot may send photos here (Telegram's `can_send_photos`). False models a group that
    /// restricts media: `sendPhoto` answers "not enough rights to send photos to the chat".
    pub can_send_photos: bool,
}

impl ChatSpec {
    /// A private chat with user `id` (named "User {id}"), whose client language is `language`.
    pub fn private(id: i64, language: Option<&str>) -> ChatSpec {
        let mut user = User::new(id, &format!("User {id}"));
        user.language_code = language.map(str::to_string);
        ChatSpec {
            id,
            kind: ChatKind::Private { user },
            can_send_photos: true,
        }
    }

    /// A private chat with a given user (chat id = user id).
    pub fn private_with(user: User) -> ChatSpec {
        ChatSpec {
            id: user.id,
            kind: ChatKind::Private { user },
            can_send_photos: true,
        }
    }

    /// A basic group (ids are small negatives, e.g. −4012345678).
    pub fn group(id: i64, title: &str) -> ChatSpec {
        ChatSpec {
            id,
            kind: ChatKind::Group {
                title: title.to_string(),
            },
            can_send_photos: true,
        }
    }

    /// A supergroup (ids ≤ −10¹², e.g. −1001234567890), optionally a forum.
    pub fn supergroup(id: i64, title: &str, forum: bool) -> ChatSpec {
        ChatSpec {
            id,
            kind: ChatKind::Supergroup {
                title: title.to_string(),
                is_forum: forum,
            },
            can_send_photos: true,
        }
    }

    /// A channel (ids ≤ −10¹²).
    pub fn channel(id: i64, title: &str) -> ChatSpec {
        ChatSpec {
            id,
            kind: ChatKind::Channel {
                title: title.to_string(),
            },
            can_send_photos: true,
        }
    }

    /// The chat Telegram would have for an id nobody registered.
    pub fn inferred(id: i64) -> ChatSpec {
        if id > 0 {
            ChatSpec::private(id, None)
        } else if id <= -1_000_000_000_000 {
            ChatSpec::supergroup(id, &format!("Supergroup {id}"), false)
        } else {
            ChatSpec::group(id, &format!("Group {id}"))
        }
    }

    /// This chat with the bot's right to send photos taken away (a restricted group).
    pub fn without_photos(mut self) -> ChatSpec {
        self.can_send_photos = false;
        self
    }

    /// The chat's title (groups and channels) or the user's first name (private chats).
    pub fn title(&self) -> &str {
        match &self.kind {
            ChatKind::Private { user } => &user.first_name,
            ChatKind::Group { title }
            | ChatKind::Supergroup { title, .. }
            | ChatKind::Channel { title } => title,
        }
    }

    pub fn is_forum(&self) -> bool {
        matches!(self.kind, ChatKind::Supergroup { is_forum: true, .. })
    }

    pub fn is_channel(&self) -> bool {
        matches!(self.kind, ChatKind::Channel { .. })
    }

    pub fn is_private(&self) -> bool {
        matches!(self.kind, ChatKind::Private { .. })
    }

    /// The Bot API `type` string.
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            ChatKind::Private { .. } => "private",
            ChatKind::Group { .. } => "group",
            ChatKind::Supergroup { .. } => "supergroup",
            ChatKind::Channel { .. } => "channel",
        }
    }
}
