//! A minimal HTTP/1.1 client over a tokio `TcpStream`, so tests can see exactly what the fake
//! answers (status, JSON, or a connection closed without an answer) without another HTTP crate.

#![allow(dead_code)] // each test binary uses a different subset

use std::net::SocketAddr;

use fake_bot_api::{Config, FakeBotApi};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A raw answer: `None` when the server closed the connection without responding.
pub type RawAnswer = Option<(u16, Value)>;

/// POSTs `body` to `path` and reads the whole answer.
pub async fn post(addr: SocketAddr, path: &str, body: &Value) -> RawAnswer {
    let body = body.to_string();
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    exchange(addr, request).await
}

/// GETs `path` and reads the whole answer.
pub async fn get(addr: SocketAddr, path: &str) -> RawAnswer {
    exchange(
        addr,
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
    )
    .await
}

async fn exchange(addr: SocketAddr, request: String) -> RawAnswer {
    let mut stream = TcpStream::connect(addr).await.expect("connect to the fake");
    stream
        .write_all(request.as_bytes())
        .await
        .expect("write request");
    let mut raw = Vec::new();
    // A reset connection counts as "no answer" just like a clean close.
    let _ = stream.read_to_end(&mut raw).await;
    if raw.is_empty() {
        return None;
    }
    let text = String::from_utf8(raw).expect("utf-8 answer");
    let (head, body) = text.split_once("\r\n\r\n").expect("complete HTTP answer");
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status code");
    Some((status, serde_json::from_str(body).unwrap_or(Value::Null)))
}

/// POSTs a Bot API method call with the fake's token.
pub async fn call(fake: &FakeBotApi, method: &str, body: Value) -> RawAnswer {
    post(
        fake.addr(),
        &format!("/bot{}/{method}", fake.token()),
        &body,
    )
    .await
}

/// Starts a fake on a free port.
pub async fn start(config: Config) -> FakeBotApi {
    FakeBotApi::start(config).await.expect("start the fake")
}
