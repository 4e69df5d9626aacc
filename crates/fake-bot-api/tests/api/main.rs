//! The fake's own tests, one binary: each module is one area of the API.

mod common;
mod photos;
mod polls;
mod raw_http;
mod teloxide_client;
mod webhook;
