//! The webhook route under abuse: idle connections and huge POSTs without
//! the secret neither block a real delivery nor grow the bot's memory; a
//! full queue answers 503, and Telegram's redelivery is handled once.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::process::Child;
use std::time::Duration;

use crate::support::process::{bot_command, stop};
use crate::support::webhook::{WEBHOOK_URL, free_addr, wait_until_served};
use crate::support::{PATIENCE, messages_in, strict_fake};
use fake_bot_api::{FakeBotApi, User};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

fn sqlite(dir: &tempfile::TempDir) -> String {
    format!("sqlite://{}", dir.path().join("bot.db").display())
}

fn ann(chat: i64) -> User {
    User::new(chat, "Ann").with_language("en")
}

async fn webhook_bot(
    fake: &FakeBotApi,
    dir: &tempfile::TempDir,
    env: &[(&str, &str)],
) -> (Child, SocketAddr) {
    let http = free_addr();
    fake.route_webhook_to([format!("http://{http}")]);
    let mut command = bot_command(fake, &sqlite(dir), dir.path());
    command
        .env("STUDYBOT_HTTP", http.to_string())
        .env("STUDYBOT_WEBHOOK_URL", WEBHOOK_URL);
    for (name, value) in env {
        command.env(name, value);
    }
    let bot = command.spawn().expect("studybot starts");
    wait_until_served(fake, 1, http).await;
    (bot, http)
}

/// The bot's resident memory, in KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("procfs");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS")
}

/// A 50 MB POST to the webhook without the secret, sent as fast as the
/// bot takes it.
async fn huge_post(http: SocketAddr) {
    let Ok(mut stream) = TcpStream::connect(http).await else {
        return;
    };
    let size = 50 << 20;
    let head = format!(
        "POST /tg/hook HTTP/1.1\r\nHost: {http}\r\nContent-Type: application/json\r\n\
         Content-Length: {size}\r\n\r\n"
    );
    if stream.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    let chunk = vec![b' '; 64 << 10];
    for _ in 0..size / chunk.len() {
        if stream.write_all(&chunk).await.is_err() {
            return;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_connections_and_huge_posts_block_nothing_and_cost_no_memory() {
    let fake = strict_fake().await;
    let dir = tempfile::tempdir().unwrap();
    let (mut bot, http) = webhook_bot(&fake, &dir, &[]).await;
    // Warm up: one update handled, so the baseline holds what any needs.
    fake.push_message(101, Some(ann(101)), "/ask", None);
    assert!(
        fake.wait_until(PATIENCE, |f| !messages_in(f, 101).is_empty())
            .await
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = rss_kib(bot.id());
    let mut idle = Vec::new();
    for _ in 0..200 {
        idle.push(TcpStream::connect(http).await.expect("a connection"));
    }
    let posts: Vec<_> = (0..8).map(|_| tokio::spawn(huge_post(http))).collect();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let asked = std::time::Instant::now();
    fake.push_message(102, Some(ann(102)), "/ask", None);
    let answered = fake
        .wait_until(Duration::from_secs(5), |f| !messages_in(f, 102).is_empty())
        .await;
    assert!(answered, "no answer in {:?}", asked.elapsed());
    let mut peak = rss_kib(bot.id());
    for post in posts {
        let _ = tokio::time::timeout(Duration::from_secs(10), post).await;
        peak = peak.max(rss_kib(bot.id()));
    }
    assert!(
        peak <= before + 5 * 1024,
        "RSS grew from {before} KiB to {peak} KiB"
    );
    drop(idle);
    stop(&fake, &mut bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_queue_answers_503_and_the_update_is_handled_once() {
    let fake = strict_fake().await;
    let dir = tempfile::tempdir().unwrap();
    let (mut bot, _http) = webhook_bot(&fake, &dir, &[("STUDYBOT_WEBHOOK_QUEUE", "1")]).await;
    let chats: Vec<i64> = (201..=208).collect();
    for &chat in &chats {
        fake.push_message(chat, Some(ann(chat)), "/ask", None);
    }
    let answered = fake
        .wait_until(PATIENCE, |f| {
            chats.iter().all(|&c| !messages_in(f, c).is_empty())
        })
        .await;
    assert!(answered, "not every /ask was answered");
    tokio::time::sleep(Duration::from_secs(1)).await;
    for &chat in &chats {
        assert_eq!(messages_in(&fake, chat).len(), 1, "chat {chat}");
    }
    let deliveries = fake.webhook_deliveries();
    assert!(
        deliveries.iter().any(|d| d.status == Some(503)),
        "the queue of 1 was never full: {deliveries:#?}"
    );
    let mut accepted: HashMap<i64, usize> = HashMap::new();
    for d in deliveries.iter().filter(|d| d.succeeded()) {
        *accepted.entry(d.update_id).or_default() += 1;
    }
    assert_eq!(accepted.len(), chats.len(), "{deliveries:#?}");
    assert!(accepted.values().all(|&n| n == 1), "{deliveries:#?}");
    stop(&fake, &mut bot).await;
}
