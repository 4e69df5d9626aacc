//! The fake's webhook: `setWebhook` is as strict as Telegram, `getUpdates` is refused while a
//! webhook is set, and queued updates are posted to the test's backends in turn (playing the
//! operator's load balancer), with the secret header, in order per chat, retried on failure.

use crate::common;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::routing::post;
use common::{call, post as post_json, start};
use fake_bot_api::{Config, User};
use serde_json::{Value, json};

/// What a backend received: (path, secret header, update).
type Received = Arc<Mutex<Vec<(String, Option<String>, Value)>>>;

/// A backend on a free port that records each POST and answers 500 to the first
/// `failures` of them, 200 after.
async fn backend(failures: usize) -> (String, Received) {
    let received: Received = Arc::default();
    let app = Router::new()
        .fallback(post(record))
        .with_state((received.clone(), Arc::new(Mutex::new(failures))));
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}"), received)
}

async fn record(
    State((received, failures)): State<(Received, Arc<Mutex<usize>>)>,
    uri: Uri,
    headers: HeaderMap,
    body: String,
) -> StatusCode {
    let secret = headers
        .get("x-telegram-bot-api-secret-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let update = serde_json::from_str(&body).unwrap_or(Value::Null);
    received
        .lock()
        .unwrap()
        .push((uri.to_string(), secret, update));
    let mut failures = failures.lock().unwrap();
    if *failures > 0 {
        *failures -= 1;
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    StatusCode::OK
}

#[tokio::test]
async fn set_webhook_refuses_what_telegram_refuses() {
    let fake = start(Config::default()).await;
    for (body, description) in [
        (
            json!({ "url": "http://bot.example.com/hook" }),
            "Bad Request: bad webhook: An HTTPS URL must be provided for webhook",
        ),
        (
            json!({ "url": "https://bot.example.com:8080/hook" }),
            "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443",
        ),
        (
            json!({ "url": "https://bot.example.com/hook", "secret_token": "123:abc" }),
            "Bad Request: secret token contains unallowed characters",
        ),
    ] {
        let (status, answer) = call(&fake, "setWebhook", body).await.unwrap();
        assert_eq!(
            (status, answer["description"].as_str()),
            (400, Some(description))
        );
    }
    assert_eq!(fake.webhook(), None);
    let (_, info) = call(&fake, "getWebhookInfo", json!({})).await.unwrap();
    assert_eq!(info["result"]["url"], "");
    let path = "/_fake/webhook_backends";
    for (backend, status) in [("127.0.0.1:8080", 400), ("http://127.0.0.1:8080", 200)] {
        let body = json!({ "backends": [backend] });
        assert_eq!(post_json(fake.addr(), path, &body).await.unwrap().0, status);
    }
}

#[tokio::test]
async fn while_a_webhook_is_set_updates_are_posted_not_polled() {
    let fake = start(Config::default()).await;
    let (first, first_got) = backend(1).await;
    let (second, second_got) = backend(0).await;
    let set = json!({ "url": "https://bot.example.com/tg/hook", "secret_token": "s3cret_-X",
                      "allowed_updates": ["message"], "max_connections": 5 });
    let (status, _) = call(&fake, "setWebhook", set).await.unwrap();
    assert_eq!(status, 200);
    let (status, answer) = call(&fake, "getUpdates", json!({})).await.unwrap();
    assert_eq!(
        (status, answer["description"].as_str()),
        (
            409,
            Some(
                "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
            )
        )
    );
    for i in 0..6 {
        fake.push_message(1 + i % 2, Some(User::new(7, "Ann")), &format!("m{i}"), None);
    }
    let (_, info) = call(&fake, "getWebhookInfo", json!({})).await.unwrap();
    assert_eq!(info["result"]["url"], "https://bot.example.com/tg/hook");
    assert_eq!(
        info["result"]["pending_update_count"], 6,
        "no backend named yet"
    );
    fake.route_webhook_to([first.clone(), second.clone()]);
    let done = fake
        .wait_until(Duration::from_secs(10), |f| f.pending_updates() == 0)
        .await;
    assert!(done, "every update delivered");
    let deliveries = fake.webhook_deliveries();
    assert_eq!(deliveries.iter().filter(|d| d.succeeded()).count(), 6);
    assert_eq!(
        deliveries.iter().filter(|d| !d.succeeded()).count(),
        1,
        "one 500, retried"
    );
    assert!(
        deliveries
            .iter()
            .any(|d| d.backend == first && d.succeeded())
    );
    assert!(
        deliveries
            .iter()
            .any(|d| d.backend == second && d.succeeded())
    );
    let all: Vec<_> = [first_got, second_got]
        .iter()
        .flat_map(|got| got.lock().unwrap().clone())
        .collect();
    assert!(
        all.iter()
            .all(|(path, secret, _)| path == "/tg/hook" && secret.as_deref() == Some("s3cret_-X"))
    );
    let mut in_chat: HashMap<i64, Vec<i64>> = HashMap::new();
    for delivery in deliveries.iter().filter(|d| d.succeeded()) {
        let (_, _, update) = all
            .iter()
            .find(|(_, _, u)| u["update_id"] == delivery.update_id)
            .unwrap();
        let chat = update["message"]["chat"]["id"].as_i64().unwrap();
        in_chat.entry(chat).or_default().push(delivery.update_id);
    }
    for ids in in_chat.values() {
        assert!(
            ids.windows(2).all(|w| w[0] < w[1]),
            "in order per chat: {ids:?}"
        );
    }
    let (_, info) = call(&fake, "getWebhookInfo", json!({})).await.unwrap();
    assert_eq!(
        info["result"]["last_error_message"],
        "Wrong response from the webhook: 500"
    );
    call(&fake, "deleteWebhook", json!({})).await.unwrap();
    let (status, _) = call(&fake, "getUpdates", json!({})).await.unwrap();
    assert_eq!(status, 200, "polling works again");
}
