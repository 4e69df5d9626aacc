//! `setWebhook`, `deleteWebhook` and `getWebhookInfo`, as strict as Telegram: only an https URL
//! on port 443, 80, 88 or 8443, a secret of 1–256 characters of `A-Z a-z 0-9 _ -`, and
//! `max_connections` clamped to 1–100. An empty URL removes the webhook. `allowed_updates` is
//! the same setting `getUpdates` changes.

use serde_json::{Value, json};

use super::Ctx;
use super::updates::allowed_kinds;
use crate::reply::Failure;
use crate::webhook::{DEFAULT_MAX_CONNECTIONS, WebhookInfo};

const PORTS: [u16; 4] = [443, 80, 88, 8443];

pub(super) fn set_webhook(ctx: &mut Ctx) -> Result<Value, Failure> {
    let url = ctx.optional_str("url")?.unwrap_or("").trim();
    if url.is_empty() {
        return delete_webhook(ctx);
    }
    let path = https_path(url)?;
    let secret_token = match ctx.optional_str("secret_token")? {
        None | Some("") => None,
        Some(secret) => Some(checked_secret(secret)?.to_string()),
    };
    let max_connections = ctx
        .optional_i64("max_connections")?
        .map_or(DEFAULT_MAX_CONNECTIONS, |n| n.clamp(1, 100) as usize);
    let allowed_updates = match ctx.body.get("allowed_updates").filter(|v| !v.is_null()) {
        Some(value) => Some(allowed_kinds(value)?),
        None => None,
    };
    if let Some(kinds) = &allowed_updates {
        ctx.inner.updates.set_allowed(kinds.clone());
    }
    if ctx.flag("drop_pending_updates") {
        ctx.inner.updates.clear();
    }
    ctx.inner.hook.set = Some(WebhookInfo {
        url: url.to_string(),
        path,
        secret_token,
        max_connections,
        allowed_updates,
    });
    ctx.inner.hook.last_error = None;
    Ok(json!(true))
}

pub(super) fn delete_webhook(ctx: &mut Ctx) -> Result<Value, Failure> {
    if ctx.flag("drop_pending_updates") {
        ctx.inner.updates.clear();
    }
    ctx.inner.hook.set = None;
    Ok(json!(true))
}

pub(super) fn get_webhook_info(ctx: &mut Ctx) -> Result<Value, Failure> {
    let pending = ctx.inner.updates.pending();
    let Some(info) = &ctx.inner.hook.set else {
        return Ok(json!({ "url": "", "has_custom_certificate": false,
                          "pending_update_count": pending }));
    };
    let mut answer = json!({
        "url": info.url,
        "has_custom_certificate": false,
        "pending_update_count": pending,
        "max_connections": info.max_connections,
    });
    if let Some(kinds) = &info.allowed_updates {
        answer["allowed_updates"] = json!(kinds);
    }
    if let Some((date, message)) = &ctx.inner.hook.last_error {
        answer["last_error_date"] = json!(date);
        answer["last_error_message"] = json!(message);
    }
    Ok(answer)
}

/// The path (and query) of an https URL Telegram would post to.
fn https_path(url: &str) -> Result<String, Failure> {
    let Some(rest) = url
        .get(..8)
        .filter(|scheme| scheme.eq_ignore_ascii_case("https://"))
        .map(|_| &url[8..])
    else {
        return Err(Failure::bad_request(
            "bad webhook: An HTTPS URL must be provided for webhook",
        ));
    };
    let split = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(split);
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (host, port.parse::<u16>().ok()),
        None => (authority, Some(443)),
    };
    if host.is_empty() || url.contains('#') || url.chars().any(char::is_whitespace) {
        return Err(Failure::bad_request("bad webhook: Failed to resolve host"));
    }
    if !port.is_some_and(|port| PORTS.contains(&port)) {
        return Err(Failure::bad_request(
            "bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443",
        ));
    }
    Ok(match path {
        "" => "/".to_string(),
        query if query.starts_with('?') => format!("/{query}"),
        path => path.to_string(),
    })
}

fn checked_secret(secret: &str) -> Result<&str, Failure> {
    if secret.len() > 256 {
        return Err(Failure::bad_request("secret token is too long"));
    }
    let allowed = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    if !secret.bytes().all(allowed) {
        return Err(Failure::bad_request(
            "secret token contains unallowed characters",
        ));
    }
    Ok(secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_on_telegram_ports() {
        assert_eq!(
            https_path("https://bot.example.com/tg/hook").unwrap(),
            "/tg/hook"
        );
        assert_eq!(https_path("HTTPS://bot.example.com:8443").unwrap(), "/");
        assert_eq!(https_path("https://bot.example.com?k=v").unwrap(), "/?k=v");
        let http = https_path("http://bot.example.com/hook").unwrap_err();
        assert_eq!(
            http.description,
            "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
        );
        let port = https_path("https://bot.example.com:8080/hook").unwrap_err();
        assert!(port.description.contains("ports 80, 88, 443 or 8443"));
        assert!(https_path("https:///hook").is_err());
    }

    #[test]
    fn secrets_follow_telegrams_rule() {
        assert!(checked_secret("abc_DEF-123").is_ok());
        assert!(checked_secret(&"x".repeat(256)).is_ok());
        assert!(checked_secret(&"x".repeat(257)).is_err());
        let bad = checked_secret("1234:token").unwrap_err();
        assert_eq!(
            bad.description,
            "Bad Request: secret token contains unallowed characters"
        );
    }
}
