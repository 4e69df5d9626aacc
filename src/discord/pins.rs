//! Pinning the question of the day on Discord: `PUT` the day's question on
//! `/channels/{id}/messages/pins/{message}` (the route Discord moved pins to
//! in 2025; the old `/channels/{id}/pins/{message}` that twilight 0.16's
//! `create_pin` uses is deprecated), then `DELETE` the bot's previous pin.
//! The bot needs Pin Messages (Manage Messages alone no longer pins since
//! February 2026): 50013 is "no right", which the engine turns into one
//! notice. A channel full of pins (30003, 250 of them) gets the old pin
//! removed first and one more try. Whether to pin is the engine's rule.

use std::time::Duration;

use twilight_http::api_error::ApiError;
use twilight_http::error::ErrorType;
use twilight_http::request::{Method, RequestBuilder};
use twilight_http::response::marker::EmptyBody;
use twilight_http::routing::Route;

use super::send::{Failure, Outbox, classify};
use crate::domain::ChatId;
use crate::study::{PinJob, Pinned};

/// Discord's "Missing Permissions" and "Maximum number of pins reached".
const MISSING_PERMISSIONS: u64 = 50013;
const TOO_MANY_PINS: u64 = 30003;

/// Tries of one pin request on 429s, network errors and 5xx.
const TRIES: u32 = 4;

/// Pins `job.message_id` in its channel and unpins `job.unpin`.
pub async fn pin(outbox: &Outbox, job: &PinJob) -> Pinned {
    let chat = job.chat_id;
    let (Some(channel), Some(message)) = (snowflake(chat.id), snowflake(job.message_id.0)) else {
        log::error!("chat {chat}: not a Discord channel and message");
        return Pinned::Failed;
    };
    let old = job.unpin.and_then(|m| snowflake(m.0));
    let mut pinned = call(outbox, chat, Method::Put, channel, message).await;
    if let (Err(Some(TOO_MANY_PINS)), Some(old)) = (&pinned, old) {
        // Make room with the bot's own previous pin, then try once more.
        if call(outbox, chat, Method::Delete, channel, old)
            .await
            .is_ok()
        {
            pinned = call(outbox, chat, Method::Put, channel, message).await;
        }
    }
    match pinned {
        Ok(()) => {}
        Err(Some(MISSING_PERMISSIONS)) => return Pinned::NoRight,
        Err(Some(TOO_MANY_PINS)) => {
            log::warn!("chat {chat}: the channel holds Discord's maximum of pins; not pinned");
            return Pinned::Failed;
        }
        Err(_) => return Pinned::Failed,
    }
    if let Some(old) = old.filter(|&old| old != message) {
        // Someone may have unpinned or deleted it already: not a failure.
        if call(outbox, chat, Method::Delete, channel, old)
            .await
            .is_err()
        {
            log::info!("chat {chat}: could not unpin message {old}");
        }
    }
    Pinned::Done
}

fn snowflake(id: i64) -> Option<u64> {
    u64::try_from(id).ok().filter(|&id| id != 0)
}

/// One pin or unpin, paced under the global limit, waiting out 429s and
/// retrying transient trouble. `Err` carries Discord's error code if any.
async fn call(
    outbox: &Outbox,
    chat: ChatId,
    method: Method,
    channel: u64,
    message: u64,
) -> Result<(), Option<u64>> {
    // The bucket is the pins route's, as twilight would key it.
    let bucket = Route::PinMessage {
        channel_id: channel,
        message_id: message,
    }
    .to_path();
    let path = format!("channels/{channel}/messages/pins/{message}");
    let request = match RequestBuilder::raw(method, bucket, path).build() {
        Ok(request) => request,
        Err(e) => {
            log::error!("chat {chat}: could not build a pin request: {e}");
            return Err(None);
        }
    };
    for attempt in 1..=TRIES {
        let counted = outbox.pace().await;
        let answer = outbox.http().request::<EmptyBody>(request.clone()).await;
        outbox.settle(counted);
        let error = match answer {
            Ok(_) => return Ok(()),
            Err(error) => error,
        };
        let wait = match classify(&error) {
            Failure::RetryAfter(wait) => wait,
            Failure::Transient => Duration::from_millis(500 << attempt),
            Failure::ChannelGone
            | Failure::CannotReply
            | Failure::PictureRefused
            | Failure::Refused => {
                let code = code(&error);
                if code != Some(MISSING_PERMISSIONS) {
                    log::warn!(
                        "chat {chat}: Discord refused a pin ({method:?} {message}): {error}"
                    );
                }
                return Err(code);
            }
        };
        log::warn!("chat {chat}: pin {message}: {error}; trying again in {wait:?}");
        tokio::time::sleep(wait).await;
    }
    Err(None)
}

/// Discord's JSON error code of a refused request.
fn code(error: &twilight_http::Error) -> Option<u64> {
    match error.kind() {
        ErrorType::Response {
            error: ApiError::General(general),
            ..
        } => Some(general.code),
        _ => None,
    }
}
