//! `STUDYBOT_WEBHOOK_URL` and `STUDYBOT_WEBHOOK_SECRET`: Telegram pushes
//! updates to the bot instead of being polled, checked here once at start.
//!
//! Telegram only posts to an https URL on port 443, 80, 88 or 8443, and only
//! sends a secret of 1–256 characters of `A-Z a-z 0-9 _ -`; a mistake is
//! refused here with the rule, not found later in `getWebhookInfo`. When no
//! secret is given it is derived from the bot token, so every replica behind
//! one load balancer agrees on it without being told. Neither the secret nor
//! the token is ever shown.

use sha2::{Digest, Sha256};

/// Ports Telegram delivers webhooks to.
const PORTS: [u16; 4] = [443, 80, 88, 8443];

/// Paths the operator's HTTP side serves already (`http.rs`).
const TAKEN_PATHS: [&str; 3] = ["/healthz", "/readyz", "/metrics"];

/// Mixed into the derived secret, so it is no hash of the token alone.
const SECRET_PREFIX: &str = "studybot webhook secret v1\n";

/// Where Telegram posts updates and what it proves itself with.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookSettings {
    /// `STUDYBOT_WEBHOOK_URL`, as Telegram is told it (https).
    pub url: url::Url,
    /// The URL's path: the route on `STUDYBOT_HTTP` (a TLS-terminating load
    /// balancer forwards it unchanged).
    pub path: String,
    /// `STUDYBOT_WEBHOOK_SECRET`, or derived from the token.
    pub secret: String,
    /// `STUDYBOT_WEBHOOK_QUEUE`: updates accepted (200) and not yet
    /// handled, at most; past it a delivery is answered 503 and Telegram
    /// sends it again later.
    pub queue: usize,
}

/// Updates accepted and not yet handled, unless `STUDYBOT_WEBHOOK_QUEUE`
/// says otherwise: room for a burst from Telegram's 40 connections, small
/// enough that a crash loses little (Telegram resends only what got no 200).
pub const DEFAULT_QUEUE: usize = 256;

impl WebhookSettings {
    /// With the queue `STUDYBOT_WEBHOOK_QUEUE` names (1–100000), if set.
    pub fn with_queue(mut self, queue: Option<&str>) -> Result<Self, WebhookConfigError> {
        if let Some(text) = queue {
            self.queue = match text.trim().parse() {
                Ok(n) if (1..=100_000).contains(&n) => n,
                _ => return Err(WebhookConfigError::BadQueue(text.to_string())),
            };
        }
        Ok(self)
    }
}

impl std::fmt::Debug for WebhookSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookSettings")
            .field("url", &self.url.as_str())
            .field("path", &self.path)
            .field("secret", &"<redacted>")
            .field("queue", &self.queue)
            .finish()
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum WebhookConfigError {
    #[error(
        "STUDYBOT_WEBHOOK_URL must be an https URL on port 443, 80, 88 or 8443 (Telegram posts nowhere else), like https://bot.example.com/telegram, not `{0}`"
    )]
    BadUrl(String),
    #[error(
        "STUDYBOT_WEBHOOK_URL's path may hold only letters, digits and `/ _ - . ~`, and not be /healthz, /readyz or /metrics; `{0}` is not such a path"
    )]
    BadPath(String),
    #[error(
        "STUDYBOT_WEBHOOK_URL needs STUDYBOT_HTTP: the webhook is served there (like STUDYBOT_HTTP=0.0.0.0:8080 behind your https load balancer)"
    )]
    NeedsHttp,
    #[error("STUDYBOT_WEBHOOK_URL is for Telegram: set TELOXIDE_TOKEN too, or unset it")]
    NeedsToken,
    #[error(
        "STUDYBOT_WEBHOOK_SECRET must be 1 to 256 characters of A-Z, a-z, 0-9, `_` and `-` (Telegram's rule); leave it unset to derive one from the token"
    )]
    BadSecret,
    #[error("STUDYBOT_WEBHOOK_QUEUE must be a number of updates from 1 to 100000, not `{0}`")]
    BadQueue(String),
}

/// The webhook settings, if `url` is given; `token` is the bot token and
/// `http_set` whether `STUDYBOT_HTTP` is.
pub fn webhook_settings(
    url: Option<&str>,
    secret: Option<&str>,
    token: Option<&str>,
    http_set: bool,
) -> Result<Option<WebhookSettings>, WebhookConfigError> {
    let Some(url) = url else {
        return Ok(None);
    };
    let url = parse_url(url)?;
    let path = route_path(&url)?;
    let token = token.ok_or(WebhookConfigError::NeedsToken)?;
    if !http_set {
        return Err(WebhookConfigError::NeedsHttp);
    }
    let secret = match secret {
        Some(secret) if is_valid_secret(secret) => secret.to_string(),
        Some(_) => return Err(WebhookConfigError::BadSecret),
        None => derived_secret(token),
    };
    Ok(Some(WebhookSettings {
        url,
        path,
        secret,
        queue: DEFAULT_QUEUE,
    }))
}

fn parse_url(text: &str) -> Result<url::Url, WebhookConfigError> {
    let bad = || WebhookConfigError::BadUrl(text.to_string());
    let url = url::Url::parse(text).map_err(|_| bad())?;
    let port_ok = url
        .port_or_known_default()
        .is_some_and(|port| PORTS.contains(&port));
    let host_ok = url.host_str().is_some_and(|host| !host.is_empty());
    if url.scheme() != "https" || !port_ok || !host_ok || url.fragment().is_some() {
        return Err(bad());
    }
    Ok(url)
}

/// The path to route; axum would read `{…}` and `*` as captures, and a
/// path the HTTP side serves already would clash.
fn route_path(url: &url::Url) -> Result<String, WebhookConfigError> {
    let path = url.path().to_string();
    let allowed = |c: char| c.is_ascii_alphanumeric() || "/_-.~".contains(c);
    let taken = TAKEN_PATHS
        .iter()
        .any(|taken| path.trim_end_matches('/') == *taken);
    if !path.starts_with('/') || !path.chars().all(allowed) || taken {
        return Err(WebhookConfigError::BadPath(path));
    }
    Ok(path)
}

/// Telegram's rule for `secret_token`.
pub fn is_valid_secret(secret: &str) -> bool {
    (1..=256).contains(&secret.len())
        && secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// 64 hex digits of SHA-256 over a fixed prefix and the token: the same on
/// every replica, and telling nothing about the token.
pub fn derived_secret(token: &str) -> String {
    let digest = Sha256::new()
        .chain_update(SECRET_PREFIX)
        .chain_update(token)
        .finalize();
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "123456:secret-token-text";

    fn hook(
        url: &str,
        secret: Option<&str>,
    ) -> Result<Option<WebhookSettings>, WebhookConfigError> {
        webhook_settings(Some(url), secret, Some(TOKEN), true)
    }

    #[test]
    fn the_queue_is_a_sane_count_or_the_default() {
        let s = hook("https://bot.example.com/tg/hook", None)
            .unwrap()
            .unwrap();
        assert_eq!(s.queue, DEFAULT_QUEUE);
        assert_eq!(s.clone().with_queue(Some("8")).unwrap().queue, 8);
        for bad in ["0", "-1", "lots", "100001"] {
            assert_eq!(
                s.clone().with_queue(Some(bad)),
                Err(WebhookConfigError::BadQueue(bad.to_string()))
            );
        }
    }

    #[test]
    fn off_without_a_url() {
        assert_eq!(webhook_settings(None, Some("x"), None, false), Ok(None));
    }

    #[test]
    fn the_url_gives_the_route_and_the_secret_comes_from_the_token() {
        let s = hook("https://bot.example.com/tg/hook", None)
            .unwrap()
            .unwrap();
        assert_eq!(s.path, "/tg/hook");
        assert_eq!(s.secret, derived_secret(TOKEN));
        assert_eq!(s.secret.len(), 64);
        assert!(is_valid_secret(&s.secret));
        let again = hook("https://other.example.com:8443/", None)
            .unwrap()
            .unwrap();
        assert_eq!(again.secret, s.secret, "every replica derives the same");
        assert_eq!(again.path, "/");
        assert_ne!(derived_secret("1:other"), s.secret);
        assert!(!s.secret.contains("secret-token"));
        assert!(!format!("{s:?}").contains(&s.secret));
    }

    #[test]
    fn a_given_secret_is_used_when_telegram_would_accept_it() {
        let s = hook("https://bot.example.com/h", Some("My_Secret-42")).unwrap();
        assert_eq!(s.unwrap().secret, "My_Secret-42");
        for bad in ["has space", "ünï", "a:b", &"x".repeat(257)] {
            let err = hook("https://bot.example.com/h", Some(bad)).unwrap_err();
            assert_eq!(err, WebhookConfigError::BadSecret, "{bad}");
            assert!(err.to_string().contains("STUDYBOT_WEBHOOK_SECRET"));
            assert!(!err.to_string().contains(bad), "the secret is not shown");
        }
        assert!(hook("https://bot.example.com/h", Some(&"x".repeat(256))).is_ok());
    }

    #[test]
    fn only_https_on_telegram_ports() {
        for bad in [
            "http://bot.example.com/hook",
            "bot.example.com/hook",
            "https://bot.example.com:8080/hook",
            "https://bot.example.com/hook#frag",
            "ftp://bot.example.com/hook",
        ] {
            let err = hook(bad, None).unwrap_err();
            assert!(matches!(err, WebhookConfigError::BadUrl(_)), "{bad}: {err}");
            assert!(err.to_string().contains("https"), "{err}");
        }
        for good in [
            "https://a.example/x",
            "https://a.example:88/x",
            "https://1.2.3.4:80/x",
        ] {
            assert!(hook(good, None).is_ok(), "{good}");
        }
    }

    #[test]
    fn the_path_must_be_a_plain_route_of_its_own() {
        for bad in [
            "https://bot.example.com/healthz",
            "https://bot.example.com/metrics/",
            "https://bot.example.com/{token}",
            "https://bot.example.com/a*b",
            "https://bot.example.com/a%20b",
        ] {
            let err = hook(bad, None).unwrap_err();
            assert!(
                matches!(err, WebhookConfigError::BadPath(_)),
                "{bad}: {err}"
            );
        }
        let s = hook("https://bot.example.com/a/b?x=1", None)
            .unwrap()
            .unwrap();
        assert_eq!(s.path, "/a/b");
    }

    #[test]
    fn it_needs_the_http_side_and_a_telegram_token() {
        let url = Some("https://bot.example.com/hook");
        let err = webhook_settings(url, None, Some(TOKEN), false).unwrap_err();
        assert_eq!(err, WebhookConfigError::NeedsHttp);
        assert!(err.to_string().contains("STUDYBOT_HTTP"));
        let err = webhook_settings(url, None, None, true).unwrap_err();
        assert_eq!(err, WebhookConfigError::NeedsToken);
    }

    fn settings(
        pairs: &[(&str, &str)],
    ) -> Result<crate::config::Settings, crate::config::ConfigError> {
        let map: std::collections::HashMap<&str, &str> = pairs.iter().copied().collect();
        crate::config::Settings::from_lookup(|name| map.get(name).map(|v| v.to_string()))
    }

    #[test]
    fn the_webhook_is_read_checked_and_its_secret_redacted() {
        assert!(settings(&[]).unwrap().webhook.is_none());
        let base = [
            ("TELOXIDE_TOKEN", "1:token-text"),
            ("STUDYBOT_HTTP", "127.0.0.1:9090"),
            ("STUDYBOT_WEBHOOK_URL", "https://bot.example.com/tg/hook"),
        ];
        let s = settings(&base).unwrap();
        let hook = s.webhook.as_ref().expect("webhook mode");
        assert_eq!(hook.path, "/tg/hook");
        assert!(s.secrets().contains(&hook.secret), "redacted from the log");
        assert!(!format!("{s:?}").contains(&hook.secret));
        let err = settings(
            &base[..1]
                .iter()
                .chain(&base[2..])
                .copied()
                .collect::<Vec<_>>(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("needs STUDYBOT_HTTP"), "{err}");
        let mut bad = base.to_vec();
        bad.push(("STUDYBOT_WEBHOOK_SECRET", "not allowed!"));
        let err = settings(&bad).unwrap_err().to_string();
        assert!(
            err.contains("STUDYBOT_WEBHOOK_SECRET") && !err.contains("allowed!"),
            "{err}"
        );
        bad[2] = ("STUDYBOT_WEBHOOK_URL", "http://bot.example.com/tg/hook");
        let err = settings(&bad).unwrap_err().to_string();
        assert!(err.contains("https"), "{err}");
    }
}
