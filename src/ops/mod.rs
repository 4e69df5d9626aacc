//! The operator's view of a running bot: the HTTP side (`/healthz`,
//! `/readyz`, `/metrics`, the webhook route), the counters behind it
//! (`telemetry`) and logging with secrets redacted. Nothing here changes
//! what the bot does.

mod connections;
pub mod http;
pub mod logging;
pub mod telemetry;
