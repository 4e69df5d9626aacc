//! The store as a whole, in one process: a database of an old release
//! upgraded, `studybot migrate-store`, and the bot on PostgreSQL, alone and
//! as replicas (these skip, saying so, without STUDYBOT_TEST_POSTGRES).

#[path = "../support/mod.rs"]
mod support;

mod faults;
mod migrate;
mod postgres_bot;
mod replica;
mod replica_cache;
mod replica_claims;
mod replica_discord;
mod replica_telegram;
mod replicas_run;
mod upgrade;
mod webhook_replicas;
