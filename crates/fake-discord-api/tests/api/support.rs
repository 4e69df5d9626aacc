//! A minimal HTTP/1.1 client over a tokio `TcpStream`, so tests see exactly what the fake
//! answers (status, headers, JSON), plus a world most tests share.

#![allow(dead_code)] // not every helper is used by every area

use fake_discord_api::{Config, FakeDiscord};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Status, lower-cased headers and JSON body (`Null` when empty).
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Value,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Sends one request; `token` adds `Authorization: Bot <token>`.
pub async fn call(
    fake: &FakeDiscord,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> Answer {
    let addr = fake.rest_addr();
    let body = body.map(Value::to_string).unwrap_or_default();
    let auth = token
        .map(|t| format!("Authorization: Bot {t}\r\n"))
        .unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Content-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = TcpStream::connect(addr).await.expect("connect to the fake");
    stream
        .write_all(request.as_bytes())
        .await
        .expect("write request");
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw).await;
    let text = String::from_utf8(raw).expect("utf-8 answer");
    let (head, body) = text.split_once("\r\n\r\n").expect("complete HTTP answer");
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status");
    let headers = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(n, v)| (n.to_ascii_lowercase(), v.to_string()))
        .collect();
    Answer {
        status,
        headers,
        body: serde_json::from_str(body).unwrap_or(Value::Null),
    }
}

/// An authorized call with the fake's token.
pub async fn bot(fake: &FakeDiscord, method: &str, path: &str, body: Option<&Value>) -> Answer {
    call(fake, method, path, Some(fake.token()), body).await
}

/// A fake with a guild (owned by `owner`), a text channel, a thread, a member and a DM.
pub struct World {
    pub fake: FakeDiscord,
    pub owner: u64,
    pub member: u64,
    pub guild: u64,
    pub channel: u64,
    pub thread: u64,
    pub dm: u64,
}

pub async fn world(config: Config) -> World {
    let fake = FakeDiscord::start(config).await.expect("start the fake");
    let owner = fake.add_user("Olga", "en-US");
    let member = fake.add_user("Ming", "zh-CN");
    let guild = fake.add_guild("Study", owner);
    let channel = fake.add_text_channel(guild, "general");
    let thread = fake.add_thread(channel, "daily");
    let dm = fake.add_dm(member);
    World {
        fake,
        owner,
        member,
        guild,
        channel,
        thread,
        dm,
    }
}

/// The commands of the tests: `/ask [tag]` (autocompleted) and `/daily` (Manage Server).
pub fn commands() -> Value {
    json!([
        { "name": "ask", "description": "Ask a question", "contexts": [0, 1, 2],
          "name_localizations": { "zh-CN": "提问" },
          "description_localizations": { "zh-CN": "出一道题" },
          "options": [{ "type": 3, "name": "tag", "description": "A topic", "autocomplete": true }] },
        { "name": "daily", "description": "Daily question", "default_member_permissions": "32",
          "contexts": [0] },
    ])
}
