//! The operator's HTTP side (`STUDYBOT_HTTP`): `/metrics` counts what the
//! bot did, `/healthz` answers, `/readyz` follows the database and the
//! platforms, and without the variable nothing listens.
//!
//! A binary of its own: the metrics recorder is global to a process, and
//! this test binary is the only one that installs it (installed, it counts
//! every bot in the process and turns on the adapters' keep-in-touch
//! requests); `/readyz` reads when each platform was last reached, also
//! global (a Discord test in the same process would make "discord: not
//! reached yet" false).

mod support;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use fake_bot_api::User;
use studybot::domain::Platform;
use studybot::ops::http;
use support::process::{bot_command, stop};
use support::*;
use tokio::sync::watch;

/// `GET path` over plain HTTP/1.1: the status code and the body.
async fn get(addr: SocketAddr, path: &str) -> std::io::Result<(u16, String)> {
    support::webhook::request(addr, "GET", path, &[], "").await
}

/// The value of the sample `name{labels}` in Prometheus text (0 if absent).
fn sample(metrics: &str, series: &str) -> f64 {
    metrics
        .lines()
        .filter(|line| !line.starts_with('#'))
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(0.0)
}

/// The HTTP side of `bot`, in-process on a free port, requiring `platforms`.
async fn serve(
    bot: &TestBot,
    platforms: Vec<Platform>,
) -> (SocketAddr, watch::Sender<bool>, tokio::task::JoinHandle<()>) {
    let metrics = http::recorder().expect("the recorder installs");
    let addr = SocketAddr::from(([127, 0, 0, 1], 0));
    let server = http::Server::bind(addr, bot.engine.clone(), platforms, metrics)
        .await
        .expect("the server binds");
    let addr = server.local_addr().expect("an address");
    let (stop, stopped) = watch::channel(false);
    let task = tokio::spawn(async move {
        server.serve(stopped).await.expect("the server runs");
    });
    (addr, stop, task)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_five_asks_exactly() {
    let fake = strict_fake().await;
    let bot = TestBot::start(&fake).await;
    let (addr, stop_http, task) = serve(&bot, vec![Platform::Telegram]).await;
    let asks = r#"studybot_updates_total{platform="telegram",kind="ask"}"#;
    let sent = r#"studybot_posts_sent_total{platform="telegram",kind="question"}"#;
    let replies = r#"studybot_reply_seconds_count{platform="telegram"}"#;
    let (status, before) = get(addr, "/metrics").await.unwrap();
    assert_eq!(status, 200);
    let ann = User::new(7, "Ann").with_language("en");
    for _ in 0..5 {
        bot.say(7, Some(ann.clone()), "/ask", 1).await;
    }
    bot.settle().await;
    let (_, after) = get(addr, "/metrics").await.unwrap();
    assert_eq!(sample(&after, asks) - sample(&before, asks), 5.0, "{after}");
    assert_eq!(sample(&after, sent) - sample(&before, sent), 5.0, "{after}");
    assert!(
        sample(&after, replies) - sample(&before, replies) >= 5.0,
        "{after}"
    );
    assert!(
        after.contains("# TYPE studybot_reply_seconds histogram"),
        "{after}"
    );
    let _ = stop_http.send(true);
    task.await.unwrap();
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readyz_follows_the_database_and_the_platforms() {
    let fake = strict_fake().await;
    let bot = TestBot::start(&fake).await;
    let (addr, stop_http, task) = serve(&bot, vec![Platform::Telegram]).await;
    assert_eq!(get(addr, "/healthz").await.unwrap(), (200, "ok\n".into()));
    assert_eq!(get(addr, "/readyz").await.unwrap(), (200, "ready\n".into()));
    // Discord is required but was never reached: not ready, and it says so.
    let (discord_addr, stop_discord, discord_task) =
        serve(&bot, vec![Platform::Telegram, Platform::Discord]).await;
    let (status, body) = get(discord_addr, "/readyz").await.unwrap();
    assert_eq!((status, body.as_str()), (503, "discord: not reached yet\n"));
    let _ = stop_discord.send(true);
    discord_task.await.unwrap();
    // The database goes away under the bot (its pool is closed, as when
    // the store can no longer be used): not ready, and the reason named.
    bot.engine.close().await;
    let (status, body) = get(addr, "/readyz").await.unwrap();
    assert_eq!(status, 503, "{body}");
    assert!(body.starts_with("database: "), "{body}");
    assert_eq!(get(addr, "/healthz").await.unwrap().0, 200, "still alive");
    let _ = stop_http.send(true);
    task.await.unwrap();
    // Stopped with the bot: the port no longer answers.
    assert!(get(addr, "/healthz").await.is_err());
    bot.stop().await;
}

/// Sockets of process `pid` listening for TCP connections (Linux /proc).
#[cfg(target_os = "linux")]
fn listening_sockets(pid: u32) -> usize {
    let inodes: Vec<String> = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .expect("the process's fds")
        .flatten()
        .filter_map(|fd| std::fs::read_link(fd.path()).ok())
        .filter_map(|target| {
            let target = target.to_string_lossy().into_owned();
            let inode = target.strip_prefix("socket:[")?.strip_suffix(']')?;
            Some(inode.to_string())
        })
        .collect();
    ["tcp", "tcp6"]
        .iter()
        .filter_map(|table| std::fs::read_to_string(format!("/proc/{pid}/net/{table}")).ok())
        .flat_map(|text| {
            text.lines()
                .skip(1)
                .filter_map(|line| {
                    let fields: Vec<&str> = line.split_whitespace().collect();
                    // State 0A is LISTEN; field 9 is the inode.
                    (fields.get(3) == Some(&"0A")).then(|| fields.get(9).map(|s| s.to_string()))
                })
                .flatten()
                .collect::<Vec<_>>()
        })
        .filter(|inode| inodes.contains(inode))
        .count()
}

/// The real binary: off without `STUDYBOT_HTTP` (nothing listens), on with
/// it, and stopped with the bot on SIGTERM.
#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_listens_only_when_told_and_stops_with_the_bot() {
    let fake = strict_fake().await;
    let (dir, database) = temp_db();
    let polls = |fake: &fake_bot_api::FakeBotApi| fake.requests_to("getupdates").len();
    let before = polls(&fake);
    let mut quiet = bot_command(&fake, &database, dir.path()).spawn().unwrap();
    assert!(fake.wait_until(PATIENCE, |f| polls(f) > before).await);
    assert_eq!(listening_sockets(quiet.id()), 0, "STUDYBOT_HTTP unset");
    stop(&fake, &mut quiet).await;

    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut served = bot_command(&fake, &database, dir.path())
        .env("STUDYBOT_HTTP", addr.to_string())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + PATIENCE;
    let ready = loop {
        match get(addr, "/readyz").await {
            Ok((200, _)) => break true,
            _ if Instant::now() > deadline => break false,
            _ => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    };
    assert!(ready, "the bot's /readyz did not turn 200");
    assert_eq!(listening_sockets(served.id()), 1);
    let (_, metrics) = get(addr, "/metrics").await.unwrap();
    let questions = bank().len() as f64;
    assert_eq!(
        sample(&metrics, "studybot_bank_questions"),
        questions,
        "{metrics}"
    );
    assert!(sample(&metrics, "studybot_bank_loaded_timestamp_seconds") > 1.7e9);
    stop(&fake, &mut served).await;
    assert!(served.try_wait().unwrap().is_some_and(|s| s.success()));
    assert!(get(addr, "/healthz").await.is_err(), "the port is closed");
}
