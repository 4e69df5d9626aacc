//! What the real `studybot run` binary costs while nothing happens: resident
//! memory, CPU time and wake-ups over 30 s with an empty update stream, a
//! database of 1,000 chats whose daily posts are hours away, and a fake Bot
//! API (Telegram's limits on) whose long polls last the full 10 s.
//!
//! Cargo builds the binary with the bench profile (release settings) and
//! hands its path in `CARGO_BIN_EXE_studybot`. Linux only (/proc).
//! Run: `cargo bench --bench idle`. See BENCHMARKS.md.

#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use fake_bot_api::{Config, FakeBotApi};
use support::load::{self, Report};
use support::process::{
    Sample, clock_ticks_per_second, spawn_bot, stop, stray_wakeups, switch_trace,
};

const CHATS: usize = 1_000;
const WINDOW: Duration = Duration::from_secs(30);
/// Time for start-up work (migrations, the first scheduler pass) to end.
const SETTLE: Duration = Duration::from_secs(3);
const SCENARIO: &str = "idle";

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let mut report = Report::default();
    runtime.block_on(idle(&mut report));
    report.print_table();
}

async fn idle(report: &mut Report) {
    let fake = FakeBotApi::start(Config {
        rate_limits: true,
        long_poll_cap: None,
        ..Config::default()
    })
    .await
    .expect("the fake starts");
    let (dir, database) = support::temp_db();
    let chats = load::chat_mix(CHATS);
    for chat in &chats {
        fake.add_chat(chat.clone());
    }
    let later = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(6);
    load::seed_daily_plans(&database, &chats, &load::local_minute(later, "UTC"), "UTC").await;

    let mut child = spawn_bot(&fake, &database, dir.path());
    let pid = child.id();
    let polling = fake
        .wait_until(Duration::from_secs(20), |f| {
            !f.requests_to("getupdates").is_empty()
        })
        .await;
    assert!(polling, "studybot did not start polling");
    tokio::time::sleep(SETTLE).await;

    let before = Sample::take(pid);
    let t = Instant::now();
    let trace = switch_trace(pid, WINDOW).await;
    let after = Sample::take(pid);
    let (end, seconds) = (Instant::now(), t.elapsed().as_secs_f64());
    stop(&fake, &mut child).await;
    // The fake records a poll when it answers (stamped with its arrival):
    // read them after the stop released the last one.
    let poll_times: Vec<Instant> = fake
        .requests_to("getupdates")
        .iter()
        .map(|r| r.at)
        .filter(|&at| at >= t && at <= end)
        .collect();
    let others = fake.request_count() - fake.requests_to("getupdates").len();

    let cpu = after.cpu_seconds - before.cpu_seconds;
    let switches = after.switches.saturating_sub(before.switches);
    report.info(SCENARIO, "chats with plans (hours away)", CHATS.to_string());
    let names: BTreeMap<String, usize> =
        after.threads.keys().fold(BTreeMap::new(), |mut n, key| {
            let name = key.rsplit_once('/').map_or(key.as_str(), |(name, _)| name);
            *n.entry(name.to_string()).or_default() += 1;
            n
        });
    let names: Vec<String> = names
        .iter()
        .map(|(name, n)| format!("{name} x{n}"))
        .collect();
    report.info(
        SCENARIO,
        "threads",
        format!("{}: {}", after.threads.len(), names.join(", ")),
    );
    report.at_most(
        SCENARIO,
        "resident memory (VmRSS)",
        after.rss_kib as f64 / 1024.0,
        "MB",
        20.0,
    );
    report.at_most(
        SCENARIO,
        "peak resident memory (VmHWM)",
        after.hwm_kib as f64 / 1024.0,
        "MB",
        20.0,
    );
    report.info(
        SCENARIO,
        "CPU time (utime + stime)",
        if cpu > 0.0 {
            format!(
                "{cpu:.2} s in {seconds:.1} s ({:.3} %)",
                100.0 * cpu / seconds
            )
        } else {
            format!(
                "< 1 tick ({:.2} s) in {seconds:.1} s",
                1.0 / clock_ticks_per_second()
            )
        },
    );
    report.info(
        SCENARIO,
        "getUpdates calls",
        format!("{} in {seconds:.1} s", poll_times.len()),
    );
    report.info(SCENARIO, "other API calls (whole run)", others.to_string());
    report.info(
        SCENARIO,
        "context switches, all threads",
        format!("{switches} ({:.2}/s)", switches as f64 / seconds),
    );
    let polls = poll_times.len();
    report.info(
        SCENARIO,
        "context switches per long-poll cycle",
        format!("{:.1}", switches as f64 / polls.max(1) as f64),
    );
    let stray = stray_wakeups(&trace, &poll_times);
    for (at, threads) in &stray {
        let threads = threads.join(", ");
        println!(
            "{SCENARIO}: awake at +{:.1} s with no poll near: {threads}",
            at.as_secs_f64()
        );
    }
    report.at_most(
        SCENARIO,
        "100 ms slots awake with no poll near",
        stray.len() as f64,
        "slots",
        0.0,
    );
    drop(dir);
}
