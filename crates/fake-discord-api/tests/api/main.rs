//! The fake's own tests, one binary: each module is one area of the API.

mod attachments;
mod dms;
mod faults;
mod gateway;
mod pins_modals;
mod raw_http;
mod support;
mod threads;
mod twilight;
