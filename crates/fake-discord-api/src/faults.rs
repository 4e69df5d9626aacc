//! Trouble that is not the bot's fault, as Discord shows it: a Cloudflare outage (REST answers
//! 502/504, sometimes 520–524, with an **HTML** page, not JSON) and a channel's write limit (a
//! 429 whose body carries a `code`, `X-RateLimit-Scope: shared`; Discord's "write action …
//! has hit the write rate limit", code 20028). Both are scripted by tests with a deadline.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::limits::Limited;

/// Discord's code for a channel's write limit.
pub(crate) const WRITE_LIMIT_CODE: u64 = 20028;

/// Scripted trouble, each until its instant.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    /// Every REST request answers this status with an HTML page until then.
    outage: Option<(u16, Instant)>,
    /// `POST /channels/{id}/messages` answers 429 20028 until then, per channel.
    write_limits: HashMap<u64, Instant>,
    /// `POST /channels/{id}/messages/{m}/threads` answers 429 20028 until then, per channel.
    thread_limits: HashMap<u64, Instant>,
}

impl Faults {
    pub fn start_outage(&mut self, status: u16, until: Instant) {
        self.outage = Some((status, until));
    }

    pub fn limit_writes(&mut self, channel_id: u64, until: Instant) {
        self.write_limits.insert(channel_id, until);
    }

    pub fn limit_thread_starts(&mut self, channel_id: u64, until: Instant) {
        self.thread_limits.insert(channel_id, until);
    }

    /// The 429 a thread start in `channel_id` gets at `now`, if they are limited there.
    pub fn thread_limited(&self, channel_id: u64, now: Instant) -> Option<(Value, Limited)> {
        let until = *self.thread_limits.get(&channel_id).filter(|&&u| now < u)?;
        Some(limited_until(until, now))
    }

    /// The status of an outage going on at `now`.
    pub fn outage(&self, now: Instant) -> Option<u16> {
        self.outage
            .filter(|(_, until)| now < *until)
            .map(|(status, _)| status)
    }

    /// The 429 a write to `channel_id` gets at `now`, if the channel is write-limited.
    pub fn write_limited(&self, channel_id: u64, now: Instant) -> Option<(Value, Limited)> {
        let until = *self.write_limits.get(&channel_id).filter(|&&u| now < u)?;
        Some(limited_until(until, now))
    }
}

/// Discord's write-limit 429 (code 20028, shared scope) lasting until `until`.
fn limited_until(until: Instant, now: Instant) -> (Value, Limited) {
    let retry_after = until.saturating_duration_since(now);
    let body = json!({
        "message": "The write action you are performing on the channel has hit the write rate limit.",
        "code": WRITE_LIMIT_CODE,
        "retry_after": seconds(retry_after),
        "global": false,
    });
    let limited = Limited {
        retry_after,
        global: false,
        code: Some(WRITE_LIMIT_CODE),
        shared: true,
    };
    (body, limited)
}

/// Seconds with millisecond precision, rounded up (so waiting exactly that long succeeds).
pub(crate) fn seconds(duration: Duration) -> f64 {
    (duration.as_secs_f64() * 1000.0).ceil() / 1000.0
}

/// The page Cloudflare serves for a 5xx in front of Discord.
pub(crate) fn outage_page(status: u16) -> String {
    let title = match status {
        502 => "502 Bad Gateway",
        503 => "503 Service Temporarily Unavailable",
        504 => "504 Gateway Time-out",
        _ => "Error",
    };
    format!(
        "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trouble_lasts_until_its_deadline() {
        let t0 = Instant::now();
        let mut faults = Faults::default();
        faults.start_outage(502, t0 + Duration::from_secs(1));
        faults.limit_writes(7, t0 + Duration::from_millis(1500));
        assert_eq!(faults.outage(t0), Some(502));
        assert_eq!(faults.outage(t0 + Duration::from_secs(1)), None);
        let (body, limited) = faults.write_limited(7, t0).unwrap();
        assert_eq!(body["code"], 20028);
        assert_eq!(body["retry_after"], 1.5);
        assert!(limited.shared && !limited.global);
        assert!(faults.write_limited(8, t0).is_none());
        assert!(
            faults
                .write_limited(7, t0 + Duration::from_millis(1500))
                .is_none()
        );
        assert!(outage_page(502).contains("502 Bad Gateway"));
    }
}
