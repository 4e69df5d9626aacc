//! Replicas on PostgreSQL, measured: two real `studybot run` processes
//! (bench profile) on one PostgreSQL database against the strict fake Bot
//! API, with a daily fan-out to 1,000 chats due in the same minute; and
//! quiet-chat `/ask` latency on PostgreSQL next to SQLite (one process
//! each). CPU and memory of each process come from /proc.
//!
//! PostgreSQL: `STUDYBOT_TEST_POSTGRES` (default
//! postgres://postgres@127.0.0.1:5432/test); each run uses a schema of its
//! own and drops it. `cargo bench --bench replicas -- fan-out` or `-- quiet`
//! runs one part. Linux only (/proc). See BENCHMARKS.md.

#[path = "../tests/support/mod.rs"]
mod support;

use std::process::Child;
use std::time::{Duration, Instant};

use fake_bot_api::{ChatSpec, Config, FakeBotApi, SentMessage};
use jiff::{SignedDuration, Timestamp};
use studybot::domain::ChatKind;
use studybot::store::Store;
use support::load::{self, Report, ms, quantile};
use support::process::{Sample, spawn_bot, spawn_polling_bot, stop};
use support::scale::{Tally, due_minute, instant_of};

const GLOBAL_RATE: f64 = 30.0;
const FAN_OUT: usize = 1_000;

fn main() {
    if std::env::var("STUDYBOT_TEST_POSTGRES").is_err() {
        // SAFETY: set before any thread of this process starts.
        unsafe {
            std::env::set_var(
                "STUDYBOT_TEST_POSTGRES",
                "postgres://postgres@127.0.0.1:5432/test",
            )
        };
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let wanted = |name: &str| only.is_empty() || only.iter().any(|o| name.starts_with(o.as_str()));
    let mut report = Report::default();
    runtime.block_on(async {
        if wanted("fan-out") {
            fan_out(&mut report).await;
        }
        if wanted("quiet") {
            let (dir, sqlite) = support::temp_db();
            quiet(&mut report, "quiet sqlite", &sqlite).await;
            drop(dir);
            let schema = support::pg::TestSchema::create()
                .await
                .expect("PostgreSQL is set");
            quiet(&mut report, "quiet postgres", &schema.url()).await;
            schema.drop().await;
        }
    });
    report.print_table();
}

fn strict_fake_config() -> Config {
    Config {
        rate_limits: true,
        long_poll_cap: None,
        ..Config::default()
    }
}

// ----- 1,000-chat fan-out, two replicas -----

async fn fan_out(report: &mut Report) {
    const SCENARIO: &str = "pg fan-out x2";
    let schema = support::pg::TestSchema::create()
        .await
        .expect("PostgreSQL is set");
    let database = schema.url();
    let fake = FakeBotApi::start(strict_fake_config())
        .await
        .expect("the fake starts");
    let chats: Vec<ChatSpec> = (0..FAN_OUT as i64)
        .map(|i| ChatSpec::private(3_000_000 + i, Some("zh-hans")))
        .collect();
    let due_at = due_minute(Timestamp::now(), SignedDuration::from_secs(25));
    seed(&database, &chats, due_at).await;
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut a = spawn_bot(&fake, &database, dir.path());
    let mut b = spawn_bot(&fake, &database, dir.path());
    let polling = fake
        .wait_until(Duration::from_secs(60), |f| {
            !f.requests_to("getupdates").is_empty()
        })
        .await;
    assert!(polling, "no replica polls");
    tokio::time::sleep_until(instant_of(due_at).into()).await;
    let before = (Sample::take(a.id()), Sample::take(b.id()));
    let patience = Duration::from_secs_f64(FAN_OUT as f64 / GLOBAL_RATE * 1.5 + 60.0);
    fake.wait_until(patience, |f| f.sent_count() >= FAN_OUT)
        .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = (Sample::take(a.id()), Sample::take(b.id()));
    let idle_from = Instant::now();
    tokio::time::sleep(Duration::from_secs(20)).await;
    let idle = (Sample::take(a.id()), Sample::take(b.id()));
    let idle_for = idle_from.elapsed();
    stop_both(&fake, &mut a, &mut b).await;

    let tally = Tally::of(&fake.sent_messages(), &chats);
    report.info(
        SCENARIO,
        "posts delivered",
        format!("{} of {FAN_OUT}", tally.delivered),
    );
    report.at_least(
        SCENARIO,
        "rate (both replicas together)",
        tally.rate(),
        "msg/s",
        (0.97 * GLOBAL_RATE, GLOBAL_RATE),
    );
    report.at_most(
        SCENARIO,
        "429 answers",
        fake.count_429() as f64,
        "x 429",
        0.0,
    );
    report.at_most(SCENARIO, "chats missed", tally.lost as f64, "chats", 0.0);
    report.at_most(
        SCENARIO,
        "chats posted twice",
        tally.doubled as f64,
        "chats",
        0.0,
    );
    let first = tally
        .first
        .map(|f| ms(f.saturating_duration_since(instant_of(due_at))));
    report.info(
        SCENARIO,
        "first post after the instant",
        format!("{:.1} ms", first.unwrap_or(f64::NAN)),
    );
    for (name, before, after, idle) in [
        ("replica a", &before.0, &after.0, &idle.0),
        ("replica b", &before.1, &after.1, &idle.1),
    ] {
        report.info(
            SCENARIO,
            &format!("{name}: CPU in the fan-out / peak RSS"),
            format!(
                "{:.2} s / {:.1} MB",
                after.cpu_seconds - before.cpu_seconds,
                after.hwm_kib as f64 / 1024.0
            ),
        );
        report.info(
            SCENARIO,
            &format!("{name}: CPU idle for {:.0} s after", idle_for.as_secs_f64()),
            format!("{:.3} s", idle.cpu_seconds - after.cpu_seconds),
        );
    }
    schema.drop().await;
}

async fn seed(database: &str, chats: &[ChatSpec], due_at: Timestamp) {
    let store = Store::open(database).await.expect("the database opens");
    let minute = load::local_minute(due_at, "UTC");
    let rows: Vec<(i64, ChatKind, Option<&str>)> = chats
        .iter()
        .map(|c| (c.id, ChatKind::Private, None))
        .collect();
    support::plan_daily(&store, &rows, &minute, "UTC").await;
    store.close().await;
}

async fn stop_both(fake: &FakeBotApi, a: &mut Child, b: &mut Child) {
    stop(fake, a).await;
    stop(fake, b).await;
}

// ----- quiet-chat /ask latency -----

async fn quiet(report: &mut Report, scenario: &'static str, database: &str) {
    const CHATS: i64 = 50;
    const ASKS: usize = 300;
    const SPACING: Duration = Duration::from_millis(50);
    let fake = FakeBotApi::start(strict_fake_config())
        .await
        .expect("the fake starts");
    let chats: Vec<i64> = (0..CHATS).map(|i| 4_000_000 + i).collect();
    for &chat in &chats {
        fake.add_chat(ChatSpec::private(chat, Some("zh-hans")));
    }
    Store::open(database)
        .await
        .expect("the database opens")
        .close()
        .await;
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut bot = spawn_polling_bot(&fake, database, dir.path()).await;
    let pid = bot.id();
    let before = Sample::take(pid);
    let start = tokio::time::Instant::now();
    let mut asks = Vec::with_capacity(ASKS);
    for i in 0..ASKS {
        tokio::time::sleep_until(start + SPACING * i as u32).await;
        let chat = chats[i % chats.len()];
        let pushed = Instant::now();
        let message_id = fake.push_message(chat, None, "/ask", None);
        asks.push((chat, message_id, pushed));
    }
    fake.wait_until(Duration::from_secs(30), |f| f.sent_count() >= ASKS)
        .await;
    let after = Sample::take(pid);
    let (sent, polls) = (fake.sent_messages(), load::polls(&fake));
    stop(&fake, &mut bot).await;
    let mut latencies: Vec<Duration> = asks
        .iter()
        .filter_map(|&(chat, message_id, pushed)| {
            let reply = first_after(&sent, chat, pushed)?;
            let served = load::served_at(&polls, chat, message_id, pushed).unwrap_or(pushed);
            Some(reply.at.duration_since(served))
        })
        .collect();
    latencies.sort();
    report.info(
        scenario,
        "replies",
        format!("{} of {ASKS}", latencies.len()),
    );
    report.info(
        scenario,
        "served -> reply median / p99",
        format!(
            "{:.2} / {:.2} ms",
            ms(quantile(&latencies, 0.5)),
            ms(quantile(&latencies, 0.99))
        ),
    );
    report.info(
        scenario,
        "bot CPU for 300 /ask",
        format!("{:.2} s", after.cpu_seconds - before.cpu_seconds),
    );
    report.info(
        scenario,
        "peak RSS (VmHWM)",
        format!("{:.1} MB", after.hwm_kib as f64 / 1024.0),
    );
}

fn first_after(sent: &[SentMessage], chat: i64, since: Instant) -> Option<&SentMessage> {
    sent.iter().find(|m| m.chat_id == chat && m.at >= since)
}
