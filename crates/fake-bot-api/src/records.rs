//! What the bot did, as tests read it back: every request with its answer, the messages that
//! were delivered, the callback answers and the command lists. Kept apart from the server
//! state so the public record types have one obvious home.

use std::time::Instant;

use serde::Serialize;
use serde_json::Value;

/// How the fake answered a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// `ok: true`.
    Ok,
    /// Refused because the request was wrong (bad HTML, unknown method, missing field, …):
    /// a bug in the bot. Tests assert there are none.
    Rejected,
    /// Well-formed, but the chat's rights forbid it (e.g. no photos in a restricted group).
    Denied,
    /// 429 from the enforced rate limits.
    RateLimited,
    /// A fault the test scripted (including persistent Forbidden / migration and random faults).
    Fault,
    /// The connection was closed without an answer (scripted).
    Dropped,
}

/// One HTTP request to `/bot{token}/{method}`.
#[derive(Debug, Clone, Serialize)]
pub struct Request {
    /// Method name in lowercase (`sendmessage`), whatever case the bot used.
    pub method: String,
    /// The JSON body (`{}` when empty).
    pub body: Value,
    #[serde(skip)]
    pub at: Instant,
    /// HTTP status answered (0 when the connection was dropped).
    pub status: u16,
    /// `description` of an error answer.
    pub description: Option<String>,
    pub outcome: Outcome,
    /// `result` of a successful answer (e.g. the updates returned by `getUpdates`).
    pub result: Option<Value>,
}

/// A message the fake delivered (`sendMessage` answered `ok`).
#[derive(Debug, Clone, Serialize)]
pub struct SentMessage {
    pub chat_id: i64,
    pub message_id: i32,
    /// Forum topic it landed in (explicit `message_thread_id`, or the topic of the message it
    /// replies to).
    pub thread_id: Option<i32>,
    /// The text exactly as sent (HTML source when `parse_mode` is HTML).
    pub text: String,
    pub parse_mode: Option<String>,
    /// `reply_parameters.message_id` (or legacy `reply_to_message_id`).
    pub reply_to: Option<i32>,
    pub reply_markup: Option<Value>,
    #[serde(skip)]
    pub at: Instant,
}

/// A photo the fake delivered (`sendPhoto` answered `ok`).
#[derive(Debug, Clone, Serialize)]
pub struct SentPhoto {
    pub chat_id: i64,
    pub message_id: i32,
    /// Forum topic it landed in (as [`SentMessage::thread_id`]).
    pub thread_id: Option<i32>,
    /// Where the picture came from.
    pub source: PhotoSource,
    /// The uploaded bytes (empty for a URL or a file_id).
    #[serde(skip)]
    pub bytes: Vec<u8>,
    /// Size in pixels as read from the image (0 × 0 for a URL, which the fake cannot fetch).
    pub width: u32,
    pub height: u32,
    /// The `file_id` the fake gave the photo (send it again with it).
    pub file_id: String,
    /// The caption exactly as sent (HTML source when `parse_mode` is HTML).
    pub caption: Option<String>,
    pub parse_mode: Option<String>,
    /// The caption as shown, and its `caption_entities`.
    pub caption_text: Option<String>,
    pub caption_entities: Value,
    pub reply_to: Option<i32>,
    pub reply_markup: Option<Value>,
    pub disable_notification: bool,
    #[serde(skip)]
    pub at: Instant,
}

/// How a photo was given to `sendPhoto`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PhotoSource {
    /// A multipart file part (the part named `photo`, or the one `attach://<name>` names).
    Upload {
        part: String,
        filename: String,
        content_type: Option<String>,
        size: usize,
    },
    /// An http(s) URL for Telegram to fetch.
    Url(String),
    /// A `file_id` of a photo sent before.
    FileId(String),
}

/// The current state of a message in a chat (after any edits).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MessageState {
    pub chat_id: i64,
    pub message_id: i32,
    pub thread_id: Option<i32>,
    /// Sent by the bot (as opposed to pushed by the test as a user's message).
    pub from_bot: bool,
    pub text: String,
    pub parse_mode: Option<String>,
    pub reply_markup: Option<Value>,
    /// How many times it was edited.
    pub edits: u32,
}

/// An `answerCallbackQuery` the fake accepted.
#[derive(Debug, Clone, Serialize)]
pub struct CallbackAnswer {
    pub callback_query_id: String,
    pub text: Option<String>,
    pub show_alert: bool,
    /// A link the client opens (`t.me/<bot>?start=…` deep links).
    pub url: Option<String>,
    #[serde(skip)]
    pub at: Instant,
}

/// A command list registered with `setMyCommands` for one scope and language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommandSet {
    /// The `scope` object (`{"type":"default"}` when omitted).
    pub scope: Value,
    /// `language_code` ("" when omitted).
    pub language_code: String,
    /// `(command, description)` pairs in order.
    pub commands: Vec<(String, String)>,
}
