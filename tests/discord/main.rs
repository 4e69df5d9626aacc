//! The Discord adapter end to end, in one process: the real adapter
//! in-process (or in the real binary, beside Telegram) against the strict
//! fake Discord, REST and gateway, on 127.0.0.1.

#[path = "../support/mod.rs"]
mod support;

mod bot;
mod command_registry;
mod days;
mod faults;
mod gateway;
mod nudges;
mod pictures;
mod pins;
mod question_images;
mod quiz;
mod report;
mod run;
mod suggest;
mod thread_ping;
