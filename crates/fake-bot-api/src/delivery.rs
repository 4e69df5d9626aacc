//! Pushing queued updates to the webhook, as Telegram does while one is set: each update is
//! POSTed as JSON with the `X-Telegram-Bot-Api-Secret-Token` header, one at a time per chat
//! (the next only after the previous got a 2xx), chats concurrently up to `max_connections`.
//! A failed or non-2xx delivery is retried after [`RETRY_AFTER`], to the next backend.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::watch;

use crate::state::State;
use crate::webhook::Target;

/// How long a failed delivery waits before it is tried again.
pub(crate) const RETRY_AFTER: Duration = Duration::from_millis(200);

/// How long one delivery may take, connecting included.
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(10);

/// Delivers while the fake runs; woken by pushes, `setWebhook` and finished deliveries.
pub(crate) async fn run(state: Arc<State>, mut stop: watch::Receiver<bool>) {
    loop {
        let woken = state.updates.notified();
        tokio::pin!(woken);
        woken.as_mut().enable();
        for (id, key, update) in due(&state) {
            tokio::spawn(deliver(state.clone(), id, key, update, stop.clone()));
        }
        tokio::select! {
            _ = woken => {}
            _ = stop.changed() => return,
        }
    }
}

/// The updates to deliver now (marking their chats busy).
fn due(state: &State) -> Vec<(i64, String, Value)> {
    let mut inner = state.lock();
    let room = inner.hook.room();
    if room == 0 {
        return Vec::new();
    }
    let inner = &mut *inner;
    let due = inner.updates.deliverable(&inner.hook.busy, room);
    for (_, key, _) in &due {
        inner.hook.busy.insert(key.clone());
    }
    due
}

/// Delivers one update until a backend takes it, the webhook goes, or the fake stops.
async fn deliver(
    state: Arc<State>,
    id: i64,
    key: String,
    update: Value,
    stop: watch::Receiver<bool>,
) {
    let body = update.to_string();
    loop {
        if *stop.borrow() || stop.has_changed().is_err() {
            return;
        }
        let target = state.lock().hook.next_target();
        let Some(target) = target else {
            state.lock().hook.busy.remove(&key);
            state.wake_polls();
            return;
        };
        let answer = post(&target, &body).await;
        let delivered = matches!(answer, Ok(200..=299));
        {
            let mut inner = state.lock();
            inner.hook.record(target.backend, id, &answer);
            if delivered {
                inner.updates.remove(id);
                inner.hook.busy.remove(&key);
            }
        }
        state.wake_polls();
        if delivered {
            return;
        }
        tokio::time::sleep(RETRY_AFTER).await;
    }
}

/// POSTs `body` to the target; the status answered, or why there was none.
async fn post(target: &Target, body: &str) -> Result<u16, String> {
    match tokio::time::timeout(DELIVERY_TIMEOUT, exchange(target, body)).await {
        Ok(Ok(status)) => Ok(status),
        Ok(Err(error)) => Err(error.to_string()),
        Err(_) => Err("Read timeout expired".to_string()),
    }
}

async fn exchange(target: &Target, body: &str) -> std::io::Result<u16> {
    let mut stream = TcpStream::connect(&target.authority).await?;
    let secret = target
        .secret
        .as_ref()
        .map(|secret| format!("X-Telegram-Bot-Api-Secret-Token: {secret}\r\n"))
        .unwrap_or_default();
    let request = format!(
        "POST {} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n{secret}Connection: close\r\n\r\n{body}",
        target.path,
        target.host,
        body.len()
    );
    stream.write_all(request.as_bytes()).await?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await?;
    let status_line = answer.split(|&b| b == b'\n').next().unwrap_or_default();
    String::from_utf8_lossy(status_line)
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::other("no HTTP status in the answer"))
}
