//! Claimed daily work survives store errors in the running process (issue
//! 18): during a 300-chat fan-out on PostgreSQL, the bot's connections are
//! terminated three times (`pg_terminate_backend`; needs
//! STUDYBOT_TEST_POSTGRES), and on SQLite another process holds the file
//! locked past the bot's busy timeout twice; every chat still gets exactly
//! one post, without a restart.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::Connection;
use studybot::bank::Bank;
use studybot::domain::{ChatId, ChatKind, MessageId, Platform};
use studybot::runtime::clock::Clock;
use studybot::runtime::driver::{self, Deliver, Delivered, IN_FLIGHT};
use studybot::store::testing::{PgSchema, postgres_url};
use studybot::store::{PlanRow, Store};
use studybot::study::{DueKind, DueWork, Engine, EngineConfig};
use tokio::sync::watch;

const CHATS: i64 = 300;

/// A platform that takes 40 ms a message and counts what it was handed.
#[derive(Default)]
struct Platform40 {
    posts: Mutex<BTreeMap<ChatId, usize>>,
    sent: AtomicUsize,
}

impl Deliver for Platform40 {
    fn platform(&self) -> Platform {
        Platform::Telegram
    }

    async fn deliver(&self, work: &DueWork) -> Delivered {
        tokio::time::sleep(Duration::from_millis(40)).await;
        if work.kind == DueKind::Post {
            *self
                .posts
                .lock()
                .unwrap()
                .entry(work.place.chat_id)
                .or_default() += 1;
        }
        let n = self.sent.fetch_add(1, Ordering::SeqCst);
        Delivered::Sent {
            chat_id: work.place.chat_id,
            message_id: MessageId(n as i64 + 1),
            thread: None,
        }
    }
}

async fn seeded_engine(url: &str) -> Engine {
    let store = Store::open(url).await.expect("the store opens");
    for id in 1..=CHATS {
        let chat = ChatId::telegram(-id);
        store
            .upsert_chat(chat, ChatKind::Group, None, 0)
            .await
            .unwrap();
        store
            .save_plan(&PlanRow::every_day(chat, "09:00", "UTC").unwrap(), 0)
            .await
            .unwrap();
    }
    let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let bank = Arc::new(Bank::load(&content).expect("the bank loads"));
    Engine::new(bank, store, EngineConfig::default())
}

/// Terminates every connection of `application` on the server; how many.
async fn terminate(base: &str, application: &str) -> usize {
    let mut admin = sqlx::PgConnection::connect(base).await.unwrap();
    let killed: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
    )
    .bind(application)
    .fetch_all(&mut admin)
    .await
    .unwrap();
    killed.len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fan_out_survives_terminated_postgres_connections() {
    let Some(base) = postgres_url() else {
        return;
    };
    let schema = PgSchema::create(&base).await.expect("a test schema");
    let application = schema.name().to_string();
    let url = format!("{}&application_name={application}", schema.url());
    schema
        .run_then_drop(fan_out_with_kills(&base, &url, &application))
        .await;
}

async fn fan_out_with_kills(base: &str, url: &str, application: &str) {
    let engine = seeded_engine(url).await;
    let killed = Mutex::new(Vec::new());
    // Three kills: while claiming starts, mid-way, and near the end.
    fan_out_through(engine, &[5, 100, 220], async |_| {
        let n = terminate(base, application).await;
        killed.lock().unwrap().push(n);
    })
    .await;
    let killed = killed.into_inner().unwrap();
    assert!(
        killed.iter().all(|&n| n > 0),
        "connections killed: {killed:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fan_out_survives_a_locked_sqlite_file() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("bot.db").display());
    let engine = seeded_engine(&url).await;
    // Twice, another process holds the file for 3 s: longer than the
    // bot's busy timeout (2 s), so its statements fail meanwhile.
    fan_out_through(engine, &[5, 150], async |_| {
        let mut holder = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query("BEGIN EXCLUSIVE")
            .execute(&mut holder)
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_secs(3)).await;
        sqlx::query("ROLLBACK").execute(&mut holder).await.unwrap();
    })
    .await;
}

/// Runs the daily driver over the seeded chats, due at once, calling
/// `fault` once the posts sent reach each of `faults`; then checks that
/// every chat got exactly one post and that nothing is left claimed.
async fn fan_out_through(engine: Engine, faults: &[usize], fault: impl AsyncFn(usize)) {
    let clock = Clock::system();
    clock.set("2026-12-01T08:59:59.5Z".parse().unwrap());
    let platform = Arc::new(Platform40::default());
    let (stop, stopped) = watch::channel(false);
    let task = tokio::spawn(driver::run(
        engine.clone().with_clock(clock.clone()),
        platform.clone(),
        stopped,
    ));
    for &after in faults {
        wait_for(&platform, after, Duration::from_secs(30)).await;
        fault(after).await;
    }
    // Claims a fault cut short, and the plans their batch had taken, are
    // handed out again within seconds (the bound is loose).
    let done = wait_for(&platform, CHATS as usize, Duration::from_secs(45)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop.send(true).unwrap();
    task.await.unwrap();
    let posts = platform.posts.lock().unwrap().clone();
    let doubled: Vec<_> = posts.iter().filter(|(_, n)| **n > 1).collect();
    assert!(done, "{} of {CHATS} chats got their post", posts.len());
    assert_eq!(posts.len(), CHATS as usize, "every chat got its post");
    assert!(
        doubled.len() <= IN_FLIGHT,
        "repeats beyond the sends in flight: {doubled:?}"
    );
    assert!(doubled.is_empty(), "no chat got two posts: {doubled:?}");
    // Everything sent is recorded: no claim is left open.
    let open = engine.unfinished_work(clock.now()).await.unwrap();
    assert!(open.is_empty(), "{} claims left open", open.len());
}

/// Waits until `count` posts went out (true) or `patience` passed (false).
async fn wait_for(platform: &Platform40, count: usize, patience: Duration) -> bool {
    let start = Instant::now();
    while platform.posts.lock().unwrap().len() < count {
        if start.elapsed() > patience {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    true
}
