//! What is worth asking Telegram again, and how soon.
//!
//! A dropped connection or a 5xx says nothing about the request: it is
//! asked again after a jittered backoff (so many chats hit by one outage do
//! not come back in step); a 429 after its `retry_after`. Anything else
//! (Bad Request, Forbidden, …) will not change and is final. Requests a
//! person waits on (the admin check) get a few quick retries here; sends
//! have their own loop in `send`.

use std::future::Future;
use std::time::Duration;

use rand::Rng;
use teloxide::{ApiError, RequestError};

/// Retries for a request a person waits on.
const QUICK_RETRIES: u32 = 3;

/// A 429 asking for longer than this is not waited out by a person.
const LONGEST_WAIT: Duration = Duration::from_secs(5);

/// Worth trying again: the network, or Telegram's servers, not the request.
pub fn is_transient(error: &RequestError) -> bool {
    match error {
        RequestError::Network(_) | RequestError::Io(_) => true,
        RequestError::Api(ApiError::Unknown(description)) => [
            "Internal Server Error",
            "Bad Gateway",
            "Service Unavailable",
            "Gateway Timeout",
        ]
        .iter()
        .any(|s| description.contains(s)),
        _ => false,
    }
}

/// 0.5 s, 1 s, 2 s … up to a minute.
pub fn backoff(failures: u32) -> Duration {
    let ms = 500u64.saturating_mul(1 << failures.saturating_sub(1).min(7));
    Duration::from_millis(ms.min(60_000))
}

/// `wait` give or take a quarter, at random.
pub fn jittered(wait: Duration) -> Duration {
    wait.mul_f64(rand::rng().random_range(0.75..1.25))
}

/// Runs `call` until it succeeds, fails for good, or [`QUICK_RETRIES`]
/// retries have failed; `what` names it in the log.
pub async fn quickly<T, F, Fut>(what: &str, mut call: F) -> Result<T, RequestError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, RequestError>>,
{
    let mut failures = 0;
    loop {
        let error = match call().await {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        let wait = match &error {
            _ if failures >= QUICK_RETRIES => return Err(error),
            RequestError::RetryAfter(after) if after.duration() <= LONGEST_WAIT => after.duration(),
            e if is_transient(e) => jittered(backoff(failures + 1) / 2),
            _ => return Err(error),
        };
        failures += 1;
        log::info!("{what}: {error}; retry {failures} in {wait:?}");
        tokio::time::sleep(wait).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff(1), Duration::from_millis(500));
        assert_eq!(backoff(2), Duration::from_secs(1));
        assert_eq!(backoff(30), Duration::from_secs(60));
    }

    #[test]
    fn jitter_stays_within_a_quarter() {
        for _ in 0..100 {
            let j = jittered(Duration::from_secs(4));
            assert!(j >= Duration::from_secs(3) && j <= Duration::from_secs(5));
        }
    }

    #[test]
    fn only_server_and_network_trouble_is_retried() {
        assert!(is_transient(&RequestError::Api(ApiError::Unknown(
            "Internal Server Error".into()
        ))));
        assert!(!is_transient(&RequestError::Api(
            ApiError::MessageTextIsEmpty
        )));
    }

    fn server_error() -> RequestError {
        RequestError::Api(ApiError::Unknown("Bad Gateway".into()))
    }

    #[tokio::test(start_paused = true)]
    async fn transient_errors_are_retried_a_few_times_and_final_ones_not() {
        let calls = AtomicU32::new(0);
        let once = quickly("test", || async {
            match calls.fetch_add(1, Ordering::Relaxed) {
                0 => Err(server_error()),
                _ => Ok(7),
            }
        });
        assert_eq!(once.await.ok(), Some(7));
        let calls = AtomicU32::new(0);
        let always = quickly("test", || async {
            calls.fetch_add(1, Ordering::Relaxed);
            Err::<(), _>(server_error())
        });
        assert!(always.await.is_err());
        assert_eq!(calls.load(Ordering::Relaxed), 1 + QUICK_RETRIES);
        let calls = AtomicU32::new(0);
        let final_error = quickly("test", || async {
            calls.fetch_add(1, Ordering::Relaxed);
            Err::<(), _>(RequestError::Api(ApiError::ChatNotFound))
        });
        assert!(final_error.await.is_err());
        assert_eq!(calls.load(Ordering::Relaxed), 1);
    }
}
