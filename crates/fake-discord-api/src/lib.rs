//! A strict fake of Discord on 127.0.0.1 — REST under `/api/v10` and a gateway WebSocket —
//! for studybot's tests and benchmarks.
//!
//! The bot's real twilight client and shard talk to it (`DISCORD_API_URL`,
//! `DISCORD_GATEWAY_URL`). It answers with Discord's JSON shapes, status codes and error codes
//! and refuses what Discord refuses — over-long content, empty messages, bad embeds and
//! components, invalid command names, a second or late interaction callback, replies to
//! missing messages, rate-limit breaches, files past 10 MiB or where the bot may not attach
//! them — so a test catches those bugs instead of a user. Messages with files arrive as
//! `multipart/form-data` (`payload_json` and `files[n]`) and keep their bytes.
//! Tests build the world, play users through interactions, script faults, and read back what
//! the bot did, including whom each message would have pinged.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use fake_discord_api::{Config, FakeDiscord};
//! let fake = FakeDiscord::start(Config::default()).await?;
//! let ann = fake.add_user("Ann", "en-US");
//! let guild = fake.add_guild("Study", ann);
//! let channel = fake.add_text_channel(guild, "general");
//! // run the bot with DISCORD_API_URL = fake.api_url(), DISCORD_TOKEN = fake.token()
//! // once it has registered its commands:
//! let ask = fake.slash(channel, ann, "ask", serde_json::json!([]))?;
//! let reply = fake.wait_reply(&ask, std::time::Duration::from_secs(3)).await;
//! assert!(fake.rejected().is_empty());
//! # Ok(()) }
//! ```

#![recursion_limit = "256"] // serde_json::json! of a whole guild object

mod api;
mod attachments;
mod commands;
mod commands_store;
mod components;
mod config;
mod control;
mod error;
mod faults;
mod gateway;
mod ids;
mod interactions;
mod json;
mod limits;
mod message;
mod multipart;
mod payloads;
mod posting;
mod records;
mod rest;
mod state;
mod world;

pub use api::{FakeDiscord, GatewayCounts};
pub use config::{Config, Limits, RouteLimit, SessionStartLimit};
pub use interactions::{InjectError, Invocation};
pub use limits::Bucket;
pub use records::{File, InteractionReply, Message, Outcome, Pings, Request, Thread};
pub use world::{ChannelFault, ChannelKind, permissions};
