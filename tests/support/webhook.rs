//! `studybot run` in webhook mode as a child process: its HTTP side on a free port, the fake
//! playing the load balancer in front of the https URL, and plain HTTP/1.1 requests to it.

use std::net::SocketAddr;
use std::path::Path;
use std::process::Child;
use std::time::{Duration, Instant};

use fake_bot_api::FakeBotApi;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::PATIENCE;
use super::process::bot_command;

/// The public URL the tests give; the fake forwards its path to the bot.
pub const WEBHOOK_URL: &str = "https://bot.example.com/tg/hook";

/// A free port on 127.0.0.1 (free when asked; good enough for tests).
pub fn free_addr() -> SocketAddr {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    probe.local_addr().expect("an address")
}

/// `studybot run` in webhook mode with its HTTP side on `http`, on `database`.
pub fn spawn_webhook_bot(fake: &FakeBotApi, database: &str, dir: &Path, http: SocketAddr) -> Child {
    bot_command(fake, database, dir)
        .env("STUDYBOT_HTTP", http.to_string())
        .env("STUDYBOT_WEBHOOK_URL", WEBHOOK_URL)
        .spawn()
        .expect("studybot starts")
}

/// Waits until `setWebhook` was called `n` times and `/healthz` answers on `http`.
pub async fn wait_until_served(fake: &FakeBotApi, n: usize, http: SocketAddr) {
    let set = fake
        .wait_until(PATIENCE, |f| f.requests_to("setWebhook").len() >= n)
        .await;
    assert!(set, "the bot did not call setWebhook");
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Ok((200, _)) = request(http, "GET", "/healthz", &[], "").await {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the bot's HTTP side did not answer"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// One request over plain HTTP/1.1 with `headers`: the status code and the body.
pub async fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> std::io::Result<(u16, String)> {
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    let extra: String = headers
        .iter()
        .map(|(name, value)| format!("{name}: {value}\r\n"))
        .collect();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n{extra}Connection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await?;
    let status = answer
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let body = answer
        .split_once("\r\n\r\n")
        .map_or("", |(_, body)| body)
        .to_string();
    Ok((status, body))
}
