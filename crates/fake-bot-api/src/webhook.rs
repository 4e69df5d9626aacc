//! The webhook as Telegram keeps it: the URL, secret and limits `setWebhook` registered, and
//! where deliveries go. Telegram would post to the https URL; the fake cannot do TLS, so a test
//! names the plain-HTTP backends a TLS-terminating load balancer would forward to, and each
//! delivery goes to the next one round-robin with the registered URL's path. Every attempt is
//! recorded, so a test can see the spread and the retries.

use std::collections::HashSet;
use std::time::Instant;

use serde::Serialize;

use crate::methods::unix_now;

/// Telegram's default for `max_connections`.
pub(crate) const DEFAULT_MAX_CONNECTIONS: usize = 40;

/// A webhook registered with `setWebhook`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WebhookInfo {
    pub url: String,
    /// What the load balancer forwards: the URL's path and query (`/` at least).
    pub path: String,
    pub secret_token: Option<String>,
    pub max_connections: usize,
    /// `allowed_updates` as sent with `setWebhook` (`None` when not sent).
    pub allowed_updates: Option<Vec<String>>,
}

/// One attempt to deliver an update to a backend.
#[derive(Debug, Clone, Serialize)]
pub struct WebhookDelivery {
    /// The backend base address, as the test gave it (`http://127.0.0.1:PORT`).
    pub backend: String,
    pub update_id: i64,
    /// The HTTP status answered, or `None` when the connection failed.
    pub status: Option<u16>,
    #[serde(skip)]
    pub at: Instant,
}

impl WebhookDelivery {
    /// The backend answered 2xx: Telegram forgets the update.
    pub fn succeeded(&self) -> bool {
        self.status
            .is_some_and(|status| (200..300).contains(&status))
    }
}

/// Where the next delivery goes.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub backend: String,
    /// `host:port` to connect to.
    pub authority: String,
    /// The URL's host, for the `Host` header.
    pub host: String,
    pub path: String,
    pub secret: Option<String>,
}

/// The webhook side of the fake's state.
#[derive(Debug, Default)]
pub(crate) struct Hook {
    pub set: Option<WebhookInfo>,
    backends: Vec<String>,
    next_backend: usize,
    /// Order keys (chats) with a delivery open or waiting to be retried.
    pub busy: HashSet<String>,
    pub deliveries: Vec<WebhookDelivery>,
    /// Unix time and text of the last failed delivery (for `getWebhookInfo`).
    pub last_error: Option<(i64, String)>,
}

impl Hook {
    /// Replaces the backends; each must be `http://host:port` (a trailing `/` is ignored).
    pub fn set_backends(&mut self, backends: Vec<String>) -> Result<(), String> {
        let mut checked = Vec::new();
        for backend in backends {
            let authority = backend
                .strip_prefix("http://")
                .map(|rest| rest.trim_end_matches('/'))
                .filter(|rest| rest.contains(':') && !rest.contains('/'));
            if authority.is_none() {
                return Err(format!(
                    "backend {backend:?} is not like http://127.0.0.1:8080"
                ));
            }
            checked.push(backend.trim_end_matches('/').to_string());
        }
        self.backends = checked;
        Ok(())
    }

    /// How many more deliveries may open now (0 without a webhook or a backend).
    pub fn room(&self) -> usize {
        match &self.set {
            Some(info) if !self.backends.is_empty() => {
                info.max_connections.saturating_sub(self.busy.len())
            }
            _ => 0,
        }
    }

    /// The next backend in turn, or `None` when there is no webhook or no backend.
    pub fn next_target(&mut self) -> Option<Target> {
        let info = self.set.as_ref()?;
        if self.backends.is_empty() {
            return None;
        }
        let backend = self.backends[self.next_backend % self.backends.len()].clone();
        self.next_backend = self.next_backend.wrapping_add(1);
        let authority = backend.trim_start_matches("http://").to_string();
        Some(Target {
            backend,
            authority,
            host: url_host(&info.url).to_string(),
            path: info.path.clone(),
            secret: info.secret_token.clone(),
        })
    }

    pub fn record(&mut self, backend: String, update_id: i64, answer: &Result<u16, String>) {
        let status = answer.as_ref().ok().copied();
        self.deliveries.push(WebhookDelivery {
            backend,
            update_id,
            status,
            at: Instant::now(),
        });
        let error = match answer {
            Ok(status) if (200..300).contains(status) => return,
            Ok(status) => format!("Wrong response from the webhook: {status}"),
            Err(reason) => format!("Connection failed: {reason}"),
        };
        self.last_error = Some((unix_now(), error));
    }
}

/// The host of an `https://host[:port]/…` URL.
pub(crate) fn url_host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    authority
        .rsplit_once(':')
        .map_or(authority, |(host, _)| host)
}

/// The key that keeps an update's deliveries in order: its chat, or for updates without one
/// (poll answers) its user, else the update alone.
pub(crate) fn order_key(update: &serde_json::Value) -> String {
    let payload = update
        .as_object()
        .and_then(|fields| fields.iter().find(|(key, _)| *key != "update_id"))
        .map(|(_, payload)| payload);
    let id = |path: &[&str]| {
        let mut value = payload?;
        for step in path {
            value = value.get(step)?;
        }
        value.as_i64()
    };
    if let Some(chat) = id(&["chat", "id"]).or_else(|| id(&["message", "chat", "id"])) {
        return format!("chat {chat}");
    }
    if let Some(user) = id(&["user", "id"]).or_else(|| id(&["from", "id"])) {
        return format!("user {user}");
    }
    format!("update {}", update["update_id"])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn deliveries_are_ordered_per_chat_or_else_per_user() {
        let message = json!({ "update_id": 1, "message": { "chat": { "id": -5 } } });
        let press = json!({ "update_id": 2, "callback_query": { "from": { "id": 7 },
            "message": { "chat": { "id": -5 } } } });
        let vote = json!({ "update_id": 3, "poll_answer": { "user": { "id": 7 } } });
        assert_eq!(order_key(&message), "chat -5");
        assert_eq!(order_key(&press), "chat -5");
        assert_eq!(order_key(&vote), "user 7");
        assert_eq!(order_key(&json!({ "update_id": 4, "x": {} })), "update 4");
    }

    #[test]
    fn backends_take_turns_with_the_registered_path() {
        let mut hook = Hook::default();
        assert!(hook.set_backends(vec!["127.0.0.1:1".into()]).is_err());
        hook.set_backends(vec![
            "http://127.0.0.1:1/".into(),
            "http://127.0.0.1:2".into(),
        ])
        .unwrap();
        assert!(hook.next_target().is_none(), "no webhook set");
        hook.set = Some(WebhookInfo {
            url: "https://bot.example.com:8443/tg/hook?x=1".into(),
            path: "/tg/hook?x=1".into(),
            secret_token: Some("s".into()),
            max_connections: 2,
            allowed_updates: None,
        });
        let first = hook.next_target().unwrap();
        let second = hook.next_target().unwrap();
        assert_eq!(
            (first.authority.as_str(), first.host.as_str()),
            ("127.0.0.1:1", "bot.example.com")
        );
        assert_eq!(second.backend, "http://127.0.0.1:2");
        assert_eq!(second.path, "/tg/hook?x=1");
        assert_eq!(hook.next_target().unwrap().backend, "http://127.0.0.1:1");
        hook.busy.insert("chat 1".into());
        assert_eq!(hook.room(), 1);
    }
}
