//! One group floods the bot while quiet chats ask now and then: the real
//! `studybot run` as a child process (so its CPU and memory are its own)
//! against the strict fake Bot API (Telegram's limits, 429 beyond them).
//!
//! 1,000 `/ask` from 5 members of one supergroup within 5 s; meanwhile 20
//! private chats and 10 other groups each ask every 4 s for 20 s. Figures:
//! the quiet chats' reply latency (push to the fake's receipt of the reply)
//! p50/p99, the bot's CPU seconds and peak RSS growth over the scenario,
//! the flooded group's messages, and 429 answers.
//! Run: `cargo bench --bench telegram_flood`. See BENCHMARKS.md.

#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use fake_bot_api::{FakeBotApi, User};
use support::load::{Report, ms, quantile};
use support::process::{Sample, spawn_bot, stop};
use support::{messages_in, strict_fake};

const SCENARIO: &str = "flood";
const FLOODED: i64 = -1_001_000_000_001;
const QUIET_EVERY: Duration = Duration::from_secs(4);
const QUIET_FOR: Duration = Duration::from_secs(20);

fn quiet_chats() -> Vec<i64> {
    let mut chats: Vec<i64> = (2_001..=2_020).collect();
    chats.extend((0..10).map(|i| -1_001_000_000_100 - i));
    chats
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let mut report = Report::default();
    runtime.block_on(flood(&mut report));
    report.print_table();
}

async fn flood(report: &mut Report) {
    let fake = strict_fake().await;
    let (_dir, database) = support::temp_db();
    let home = tempfile::tempdir().expect("a temp dir");
    let mut bot = spawn_bot(&fake, &database, home.path());
    let polling = fake
        .wait_until(Duration::from_secs(20), |f| {
            !f.requests_to("getUpdates").is_empty()
        })
        .await;
    assert!(polling, "the bot did not start polling");
    // Warm up: every quiet chat known, one answer each.
    for &chat in &quiet_chats() {
        fake.push_message(chat, Some(asker(chat)), "/ask", None);
    }
    let warm = fake
        .wait_until(Duration::from_secs(20), |f| {
            quiet_chats().iter().all(|&c| !messages_in(f, c).is_empty())
        })
        .await;
    assert!(warm, "the warm-up was not answered");
    tokio::time::sleep(Duration::from_secs(2)).await;
    let pid = bot.id();
    let before = Sample::take(pid);
    let sampler = tokio::spawn(peak_rss(pid, QUIET_FOR + Duration::from_secs(8)));
    let flooding = tokio::spawn(flood_group(fake.clone()));
    let pushes = ask_quietly(&fake).await;
    let _ = flooding.await;
    tokio::time::sleep(Duration::from_secs(5)).await;
    let after = Sample::take(pid);
    let peak = sampler.await.unwrap_or(after.rss_kib);
    let latencies = latencies(&fake, &pushes);
    figures(report, &fake, &latencies, &before, &after, peak);
    stop(&fake, &mut bot).await;
}

fn asker(chat: i64) -> User {
    User::new(chat.unsigned_abs() as i64 % 1_000_000 + 10_000, "Quiet")
}

async fn flood_group(fake: FakeBotApi) {
    for batch in 0..20 {
        for i in 0..50 {
            let member = 101 + (batch * 50 + i) % 5;
            fake.push_message(FLOODED, Some(User::new(member, "Member")), "/ask", None);
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// Each quiet chat asks every [`QUIET_EVERY`], staggered; when each asked.
async fn ask_quietly(fake: &FakeBotApi) -> HashMap<i64, Vec<Instant>> {
    let chats = quiet_chats();
    let gap = QUIET_EVERY / chats.len() as u32;
    let start = tokio::time::Instant::now();
    let mut pushes: HashMap<i64, Vec<Instant>> = HashMap::new();
    let mut n = 0u32;
    while start.elapsed() < QUIET_FOR {
        let chat = chats[n as usize % chats.len()];
        fake.push_message(chat, Some(asker(chat)), "/ask", None);
        pushes.entry(chat).or_default().push(Instant::now());
        n += 1;
        tokio::time::sleep_until(start + gap * n).await;
    }
    pushes
}

/// Each ask's wait for the first message in its chat after it.
fn latencies(fake: &FakeBotApi, pushes: &HashMap<i64, Vec<Instant>>) -> Vec<Duration> {
    let mut all = Vec::new();
    for (&chat, asked) in pushes {
        let sent: Vec<Instant> = messages_in(fake, chat).iter().map(|m| m.at).collect();
        for &at in asked {
            match sent.iter().find(|&&s| s >= at) {
                Some(&s) => all.push(s - at),
                None => all.push(Duration::from_secs(3_600)),
            }
        }
    }
    all.sort();
    all
}

/// The highest RSS seen, sampled every 50 ms for `span`.
async fn peak_rss(pid: u32, span: Duration) -> u64 {
    let until = Instant::now() + span;
    let mut peak = 0;
    while Instant::now() < until {
        peak = peak.max(Sample::take(pid).rss_kib);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    peak
}

fn figures(
    report: &mut Report,
    fake: &FakeBotApi,
    latencies: &[Duration],
    before: &Sample,
    after: &Sample,
    peak_kib: u64,
) {
    report.info(SCENARIO, "quiet asks", latencies.len().to_string());
    report.info(
        SCENARIO,
        "quiet reply p50",
        format!("{:.1} ms", ms(quantile(latencies, 0.5))),
    );
    report.at_most(
        SCENARIO,
        "quiet reply p99",
        ms(quantile(latencies, 0.99)),
        "ms",
        50.0,
    );
    report.info(
        SCENARIO,
        "bot CPU over the scenario",
        format!("{:.2} s", after.cpu_seconds - before.cpu_seconds),
    );
    report.info(
        SCENARIO,
        "bot RSS before / peak",
        format!(
            "{:.1} / {:.1} MB",
            before.rss_kib as f64 / 1024.0,
            peak_kib as f64 / 1024.0
        ),
    );
    let growth = peak_kib.saturating_sub(before.rss_kib) as f64 / 1024.0;
    report.at_most(SCENARIO, "peak RSS growth", growth, "MB", 10.0);
    report.info(
        SCENARIO,
        "flooded group: messages (of 1,000 asks)",
        messages_in(fake, FLOODED).len().to_string(),
    );
    report.at_most(
        SCENARIO,
        "429 answers",
        fake.count_429() as f64,
        "x 429",
        0.0,
    );
}
