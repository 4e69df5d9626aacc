//! studybot: a study bot for chat groups.
//!
//! Data flows one way (see ARCHITECTURE.md): `domain` holds the shared vocabulary
//! (platform-qualified chat and message ids, chat kinds, languages), `bank`
//! loads the questions, an adapter (`telegram`, `discord`, `console`) turns what people
//! type into a `study::Command`, the `study` engine answers each turn with one
//! `study::Reply` of platform-neutral `post::Post`s and records what changed
//! in `store`, `schedule` says when daily posts are due, and `render` turns
//! posts into Telegram HTML, Discord Markdown or terminal text. Adapters call the engine only.

pub mod bank;
pub mod config;
pub mod console;
pub mod discord;
pub mod domain;
pub mod import;
pub mod learn;
pub mod ops;
pub mod post;
pub mod reload;
pub mod render;
pub mod replica;
pub mod runtime;
pub mod schedule;
pub mod store;
pub mod study;
pub mod telegram;
