//! What Discord's answer to a request means for the bot: a `Failure`
//! classified from the status and JSON code (the codes that say a channel
//! is out of reach, a reply refused, a 429's `retry_after` read whatever
//! the body carries), and a refusal's code for the log. The send path, pins
//! and the daily post's thread all read failures through it.

use std::time::Duration;

use twilight_http::api_error::ApiError;
use twilight_http::error::ErrorType;

/// What a failed request means for the bot.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// The channel is out of reach (50001, 50013, 10003, 50007): the bot
    /// cannot post there.
    ChannelGone,
    /// 403 160002: a reply where the bot may not read the message history;
    /// the same message without the reply goes.
    CannotReply,
    /// 403 50013 to a message that uploads a picture: the bot may not
    /// attach files there; the text alone may still go.
    PictureRefused,
    /// 429: wait this long, then send again.
    RetryAfter(Duration),
    /// The network or Discord's servers (5xx, an HTML page from
    /// Cloudflare): worth another try.
    Transient,
    /// Discord refused the request itself (logged; not retried).
    Refused,
}

/// Discord's JSON error codes that say the channel itself is out of reach.
const CHANNEL_GONE: [u64; 4] = [50001, 50013, 10003, 50007];
/// "Cannot reply without permission to read message history".
const CANNOT_REPLY: u64 = 160002;

pub fn classify(error: &twilight_http::Error) -> Failure {
    match error.kind() {
        ErrorType::Response {
            error,
            status,
            body,
        } => match (status.get(), error) {
            (429, _) => Failure::RetryAfter(retry_after(body)),
            (_, ApiError::General(general)) if CHANNEL_GONE.contains(&general.code) => {
                Failure::ChannelGone
            }
            (403, ApiError::General(general)) if general.code == CANNOT_REPLY => {
                Failure::CannotReply
            }
            (status, _) if status >= 500 => Failure::Transient,
            _ => Failure::Refused,
        },
        // A body that is not Discord's JSON: Cloudflare's HTML page of a
        // 502/504 during an outage.
        ErrorType::Parsing { .. } => Failure::Transient,
        ErrorType::RequestError | ErrorType::RequestTimedOut | ErrorType::ChunkingResponse => {
            Failure::Transient
        }
        ErrorType::ServiceUnavailable { .. } => Failure::Transient,
        _ => Failure::Refused,
    }
}

/// The `retry_after` (seconds, fractional) of a 429's body, whatever else
/// it carries (a `code`, `global`); twilight reads a body with a `code` as
/// a general error and drops it. One second when the body has none.
fn retry_after(body: &[u8]) -> Duration {
    #[derive(serde::Deserialize)]
    struct Limited {
        retry_after: f64,
    }
    serde_json::from_slice::<Limited>(body)
        .ok()
        .map(|l| l.retry_after)
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map_or(Duration::from_secs(1), |s| {
            Duration::from_secs_f64(s.min(3600.0))
        })
}

/// The status and JSON code of a refusal, for the log.
pub(super) fn code(error: &twilight_http::Error) -> String {
    match error.kind() {
        ErrorType::Response { error, status, .. } => match error {
            ApiError::General(general) => format!("{status}, code {}", general.code),
            _ => status.to_string(),
        },
        _ => "no answer".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limited(body: &str) -> Duration {
        retry_after(body.as_bytes())
    }

    #[test]
    fn retry_after_is_read_with_or_without_a_code() {
        let plain = r#"{"message":"You are being rate limited.","retry_after":0.25,"global":true}"#;
        assert_eq!(limited(plain), Duration::from_millis(250));
        let coded = r#"{"message":"slow","code":20028,"retry_after":2.5,"global":false}"#;
        assert_eq!(limited(coded), Duration::from_millis(2500));
        assert_eq!(limited("<html>502</html>"), Duration::from_secs(1));
        assert_eq!(limited(r#"{"retry_after":-3}"#), Duration::from_secs(1));
    }
}
