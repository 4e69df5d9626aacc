//! What the fake remembers of the bot's behaviour, as plain public types tests assert on:
//! every request with its answer, every message with the pings it would have caused, and what
//! the bot answered to each interaction.

use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::Value;

/// How a request ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Done (2xx).
    Ok,
    /// Refused because it was wrong: a bad body, token, route or state (a correct bot has none).
    Rejected,
    /// 429: a bucket, the global limit, or a forced limit.
    RateLimited,
    /// 403/404 of a channel configured so, 403 160002 (a reply without Read Message History),
    /// or 403 50007 of a DM whose user refuses DMs (the bot
    /// must stop posting there).
    Refused,
    /// 5xx with an HTML page: a scripted outage (Cloudflare in front of Discord).
    Outage,
}

/// One REST request and its answer.
#[derive(Debug, Clone, Serialize)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub body: Value,
    pub status: u16,
    /// Discord's JSON error code (e.g. 50035), absent on success.
    pub code: Option<u64>,
    pub outcome: Outcome,
    /// The files of a `multipart/form-data` body (`id`: the `n` of its `files[n]` part); the
    /// body above is then its `payload_json`.
    pub files: Vec<File>,
    #[serde(skip)]
    pub at: Instant,
}

/// A file sent with a message (or a request).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct File {
    /// The attachment's id (a snowflake; in a [`Request`], the `n` of `files[n]`).
    pub id: u64,
    /// The name Discord shows, after any `attachments[].filename` rename.
    pub filename: String,
    /// Length in bytes.
    pub size: usize,
    /// The bytes as received.
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

/// Who a message notifies, given its content, `allowed_mentions` and reply.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Pings {
    /// `@everyone` or `@here` notified the channel.
    pub everyone: bool,
    pub users: Vec<u64>,
    pub roles: Vec<u64>,
}

impl Pings {
    pub fn is_empty(&self) -> bool {
        !self.everyone && self.users.is_empty() && self.roles.is_empty()
    }
}

/// A message in a channel, as it is now (after edits).
#[derive(Debug, Clone, Serialize)]
pub struct Message {
    pub id: u64,
    pub channel_id: u64,
    pub guild_id: Option<u64>,
    pub author_id: u64,
    pub content: String,
    pub embeds: Vec<Value>,
    /// Files attached to the message (uploaded with it), in order.
    pub files: Vec<File>,
    /// `attachment://` URLs of its embeds that show nothing on Discord: no file of the
    /// message has that name, or the file is not an image Discord shows in an embed.
    pub broken_images: Vec<String>,
    pub components: Vec<Value>,
    pub flags: u64,
    /// As the bot sent it (absent = Discord's default: every mention notifies).
    pub allowed_mentions: Option<Value>,
    pub pings: Pings,
    /// `message_reference.message_id`: the message this one replies to.
    pub reply_to: Option<u64>,
    /// The interaction this message answers (callback or follow-up).
    pub interaction_id: Option<u64>,
    /// The user whose interaction this message answers.
    pub invoker_id: Option<u64>,
    pub ephemeral: bool,
    /// Pinned in its channel now.
    pub pinned: bool,
    pub edits: u32,
    #[serde(skip)]
    pub created: Instant,
}

/// What the bot did with one interaction.
#[derive(Debug, Clone, Serialize)]
pub struct InteractionReply {
    pub interaction_id: u64,
    /// Callback type: 4 message, 5 deferred message, 6 deferred update, 7 update, 8 choices,
    /// 9 a modal (its `custom_id`, `title` and text inputs are in `callback_data`).
    pub callback_type: Option<u8>,
    pub callback_data: Option<Value>,
    /// Time from the dispatch to the accepted callback.
    pub callback_after: Option<Duration>,
    /// The reply message (type 4, or type 5 once edited or followed up), by id.
    pub original: Option<u64>,
    /// Follow-up messages, in order (not counting one that filled a deferred reply).
    pub followups: Vec<u64>,
    /// Deferred (type 5) and not yet filled: the user still sees "thinking…".
    pub thinking: bool,
}

/// A thread the bot started from a message (`POST /channels/{c}/messages/{m}/threads`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Thread {
    /// The thread's channel id: the starter message's id.
    pub id: u64,
    pub parent_id: u64,
    pub name: String,
    pub auto_archive_duration: u64,
}
