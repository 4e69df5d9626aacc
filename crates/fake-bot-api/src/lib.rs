//! A strict fake of the Telegram Bot API on 127.0.0.1, for studybot's tests and benchmarks.
//!
//! The real teloxide dispatcher talks to it through `TELOXIDE_API_URL`. It answers like
//! Telegram (same JSON shapes, status codes and error descriptions) and refuses what Telegram
//! refuses — invalid HTML, over-long texts, bad buttons, replies to missing messages, topics in
//! chats that are not forums, rate-limit breaches — so a test catches those bugs instead of a
//! user. Faults (429, 403, migration, 500, dropped connections, a seeded random rate) can be
//! scripted to exercise the bot's error paths. Everything the bot did is recorded.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use fake_bot_api::{ChatSpec, Config, FakeBotApi, User};
//! let fake = FakeBotApi::start(Config::default()).await?;
//! fake.add_chat(ChatSpec::group(-4001, "Study group"));
//! fake.push_message(-4001, Some(User::new(7, "Ann")), "/ask", None);
//! // run the bot with TELOXIDE_API_URL = fake.api_url(), TELOXIDE_TOKEN = fake.token()
//! assert!(fake.rejected().is_empty());
//! # Ok(()) }
//! ```

mod api;
mod chats;
mod config;
mod control;
mod delivery;
mod dispatch;
mod faults;
pub mod html;
mod image;
mod json;
mod limits;
mod methods;
mod multipart;
mod polls;
mod push;
mod records;
mod reply;
mod server;
mod state;
mod updates;
mod webhook;

pub use api::FakeBotApi;
pub use config::{ChatKind, ChatSpec, Config, Limits, User, Window};
pub use faults::Fault;
pub use multipart::FilePart;
pub use polls::PollState;
pub use records::{
    CallbackAnswer, CommandSet, MessageState, Outcome, PhotoSource, Request, SentMessage, SentPhoto,
};
pub use webhook::{WebhookDelivery, WebhookInfo};
