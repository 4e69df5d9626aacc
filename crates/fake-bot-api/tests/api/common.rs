//! A minimal HTTP/1.1 client over a tokio `TcpStream`, so tests can see exactly what the fake
//! answers (status, JSON, or a connection closed without an answer) without another HTTP crate.

#![allow(dead_code)] // not every helper is used by every area

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

/// POSTs a `multipart/form-data` body (boundary `BOUNDARY`) to `path`.
pub async fn post_form(addr: SocketAddr, path: &str, body: &[u8]) -> RawAnswer {
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\n\
         Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    exchange_bytes(addr, [head.as_bytes(), body].concat()).await
}

/// The boundary of [`form`] bodies.
pub const BOUNDARY: &str = "fakeBoundary7MA4YWxk";

/// A form body of text fields and files `(part name, file name, bytes)`.
pub fn form(fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for (name, filename, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; \
                 filename=\"{filename}\"\r\nContent-Type: image/png\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// A minimal PNG of `width` × `height` as far as Telegram's checks read it: the signature and
/// the `IHDR` chunk.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(&13u32.to_be_bytes());
    png.extend_from_slice(b"IHDR");
    png.extend_from_slice(&width.to_be_bytes());
    png.extend_from_slice(&height.to_be_bytes());
    png.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
    png
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
    exchange_bytes(addr, request.into_bytes()).await
}

async fn exchange_bytes(addr: SocketAddr, request: Vec<u8>) -> RawAnswer {
    let mut stream = TcpStream::connect(addr).await.expect("connect to the fake");
    stream.write_all(&request).await.expect("write request");
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
