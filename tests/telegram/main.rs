//! The Telegram adapter end to end, in one process: the real dispatcher and
//! send path in-process (or the real binary, for webhook mode) against the
//! strict fake Bot API on 127.0.0.1.

#[path = "../support/mod.rs"]
mod support;

mod admin_retry;
mod bot;
mod daily;
mod days;
mod flood;
mod learn;
mod nudges;
mod photos;
mod pin;
mod question_images;
mod quiz;
mod reload;
mod report;
mod report_cap;
mod suggest;
mod webhook;
mod webhook_hardening;
