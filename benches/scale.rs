//! The bot at scale, measured alone: the real `studybot run` binary (bench
//! profile) as a child process against the strict fake Bot API (Telegram's
//! limits: 1/s per chat, 20/min per group, 30/s overall), with its CPU time
//! and memory read from /proc, so the fake's own work is not counted.
//!
//! Scenarios (`cargo bench --bench scale -- NAME` runs only some):
//! - `scale`: 100,000 chats with daily plans, 10,000 due in the same minute;
//!   30 s idle before the minute, then the fan-out.
//! - `fan-out`: 300 chats due at once, then `/ask` from 50 private chats at
//!   once on the same bot (reply latency), then its memory.
//!
//! Linux only (/proc). See BENCHMARKS.md.

#[path = "../tests/support/mod.rs"]
mod support;

use std::process::Child;
use std::time::{Duration, Instant};

use fake_bot_api::{ChatSpec, Config, FakeBotApi};
use jiff::{SignedDuration, Timestamp};
use support::load::{self, Report, ms, quantile};
use support::process::{Sample, spawn_polling_bot, stop, stray_wakeups, switch_trace};
use support::scale::{Tally, due_minute, instant_of, seed};

const GLOBAL_RATE: f64 = 30.0;

fn main() {
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
        if wanted("scale") {
            scale(&mut report, 100_000, 10_000).await;
        }
        if wanted("fan-out") {
            fan_out_then_burst(&mut report).await;
        }
    });
    report.print_table();
}

fn strict_fake_config() -> Config {
    Config {
        rate_limits: true,
        // Full 10 s long polls, as Telegram holds them.
        long_poll_cap: None,
        ..Config::default()
    }
}

/// Starts the binary on a seeded database and waits until it polls.
async fn start_bot(fake: &FakeBotApi, database: &str, dir: &std::path::Path) -> Child {
    spawn_polling_bot(fake, database, dir).await
}

// ----- scale -----

async fn scale(report: &mut Report, plans: usize, due: usize) {
    const SCENARIO: &str = "scale";
    const IDLE: Duration = Duration::from_secs(30);
    let fake = FakeBotApi::start(strict_fake_config())
        .await
        .expect("the fake starts");
    let chats = load::chat_mix(plans);
    let (dir, database) = support::temp_db();
    let due_at = due_minute(Timestamp::now(), SignedDuration::from_secs(50));
    let seeding = Instant::now();
    seed(&database, &chats, due, due_at).await;
    println!(
        "{SCENARIO}: seeded {plans} plans in {:.1} s; {due} due at {due_at}",
        seeding.elapsed().as_secs_f64()
    );
    let mut child = start_bot(&fake, &database, dir.path()).await;
    let pid = child.id();
    tokio::time::sleep(Duration::from_secs(3)).await;

    // Idle: nothing due for a while.
    let due_instant = instant_of(due_at);
    let window =
        IDLE.min(due_instant.saturating_duration_since(Instant::now()) - Duration::from_secs(2));
    let before = Sample::take(pid);
    let t = Instant::now();
    let trace = switch_trace(pid, window).await;
    let after = Sample::take(pid);
    let end = Instant::now();
    let polls: Vec<Instant> = fake
        .requests_to("getupdates")
        .iter()
        .map(|r| r.at)
        .filter(|&at| at >= t && at <= end)
        .collect();
    let idle_cpu = after.cpu_seconds - before.cpu_seconds;
    report.info(
        SCENARIO,
        "plans / due in one minute",
        format!("{plans} / {due}"),
    );
    report.at_most(
        SCENARIO,
        &format!("idle CPU in {:.0} s", window.as_secs_f64()),
        idle_cpu,
        "s",
        0.01,
    );
    report.at_most(
        SCENARIO,
        "idle: 100 ms slots awake with no poll near",
        stray_wakeups(&trace, &polls).len() as f64,
        "slots",
        0.0,
    );

    // The fan-out.
    tokio::time::sleep_until(due_instant.into()).await;
    let cpu_before = Sample::take(pid).cpu_seconds;
    let patience = Duration::from_secs_f64(due as f64 / GLOBAL_RATE * 1.5 + 60.0);
    fake.wait_until(patience, |f| f.sent_count() >= due).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let done = Sample::take(pid);
    stop(&fake, &mut child).await;
    let tally = Tally::of(&fake.sent_messages(), &chats[..due]);
    fan_out_figures(report, SCENARIO, &fake, &tally, due_instant, due);
    let cpu = done.cpu_seconds - cpu_before;
    report.info(
        SCENARIO,
        "bot CPU during the fan-out",
        format!("{cpu:.2} s"),
    );
    report.at_most(
        SCENARIO,
        "bot CPU per 1,000 posts",
        cpu / (tally.delivered.max(1) as f64 / 1000.0),
        "s",
        0.3,
    );
    report.at_most(
        SCENARIO,
        "peak RSS (VmHWM)",
        done.hwm_kib as f64 / 1024.0,
        "MB",
        60.0,
    );
    report.info(
        SCENARIO,
        "RSS after the fan-out",
        format!("{:.1} MB", done.rss_kib as f64 / 1024.0),
    );
    drop(dir);
}

fn fan_out_figures(
    report: &mut Report,
    scenario: &'static str,
    fake: &FakeBotApi,
    tally: &Tally,
    due_instant: Instant,
    due: usize,
) {
    report.info(
        scenario,
        "posts delivered",
        format!("{} of {due}", tally.delivered),
    );
    report.at_least(
        scenario,
        "rate",
        tally.rate(),
        "msg/s",
        (0.97 * GLOBAL_RATE, GLOBAL_RATE),
    );
    report.at_most(
        scenario,
        "429 answers",
        fake.count_429() as f64,
        "x 429",
        0.0,
    );
    report.at_most(
        scenario,
        "chats with 0 posts / with >= 2 / not due",
        (tally.lost + tally.doubled + tally.strays) as f64,
        "chats",
        0.0,
    );
    if tally.lost + tally.doubled + tally.strays > 0 {
        println!(
            "{scenario}: lost {}, doubled {}, strays {}",
            tally.lost, tally.doubled, tally.strays
        );
    }
    let first = tally.first.map_or(f64::INFINITY, |f| {
        ms(f.saturating_duration_since(due_instant))
    });
    report.at_most(scenario, "due instant -> first post", first, "ms", 50.0);
}

// ----- fan-out, then a burst -----

async fn fan_out_then_burst(report: &mut Report) {
    const SCENARIO: &str = "fan-out";
    const CHATS: usize = 300;
    const ASKERS: i64 = 50;
    let fake = FakeBotApi::start(strict_fake_config())
        .await
        .expect("the fake starts");
    let chats = load::chat_mix(CHATS);
    let (dir, database) = support::temp_db();
    let due_at = due_minute(Timestamp::now(), SignedDuration::from_secs(8));
    seed(&database, &chats, CHATS, due_at).await;
    let askers: Vec<i64> = (0..ASKERS).map(|i| 5_000_000 + i).collect();
    for &chat in &askers {
        fake.add_chat(ChatSpec::private(chat, Some("zh-hans")));
    }
    let mut child = start_bot(&fake, &database, dir.path()).await;
    let pid = child.id();
    let idle = Sample::take(pid);
    let due_instant = instant_of(due_at);
    tokio::time::sleep_until(due_instant.into()).await;
    let cpu_before = Sample::take(pid).cpu_seconds;
    fake.wait_until(Duration::from_secs(60), |f| f.sent_count() >= CHATS)
        .await;
    let after_fan_out = Sample::take(pid);
    let tally = Tally::of(&fake.sent_messages(), &chats);
    fan_out_figures(report, SCENARIO, &fake, &tally, due_instant, CHATS);
    let cpu = after_fan_out.cpu_seconds - cpu_before;
    report.info(SCENARIO, "bot CPU for the fan-out", format!("{cpu:.2} s"));
    report.at_most(
        SCENARIO,
        "bot CPU per post",
        1000.0 * cpu / tally.delivered.max(1) as f64,
        "ms",
        0.3,
    );

    // The burst: 50 private chats send /ask at once (2 s later, so the
    // overall window is clear of the fan-out).
    tokio::time::sleep(Duration::from_secs(2)).await;
    let asks: Vec<(i64, i32, Instant)> = askers
        .iter()
        .map(|&chat| {
            let pushed = Instant::now();
            (chat, fake.push_message(chat, None, "/ask", None), pushed)
        })
        .collect();
    fake.wait_until(Duration::from_secs(30), |f| {
        f.sent_count() >= CHATS + askers.len()
    })
    .await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (sent, polls) = (fake.sent_messages(), load::polls(&fake));
    let mut waits: Vec<Duration> = asks
        .iter()
        .filter_map(|&(chat, message_id, pushed)| {
            let reply = sent.iter().find(|m| m.chat_id == chat && m.at >= pushed)?;
            let served = load::served_at(&polls, chat, message_id, pushed).unwrap_or(pushed);
            Some(reply.at.duration_since(served))
        })
        .collect();
    waits.sort();
    let done = Sample::take(pid);
    stop(&fake, &mut child).await;
    // From the fan-out's end to the burst's end: the 2 s between are idle.
    let burst_cpu = done.cpu_seconds - after_fan_out.cpu_seconds;
    report.info(
        "burst",
        "bot CPU for the burst, per /ask",
        format!(
            "{burst_cpu:.2} s, {:.2} ms",
            1000.0 * burst_cpu / ASKERS as f64
        ),
    );
    report.info(
        "burst",
        "/ask x50 replies",
        format!("{} of {ASKERS}", waits.len()),
    );
    report.at_most(
        "burst",
        "served -> reply median",
        ms(quantile(&waits, 0.5)),
        "ms",
        20.0,
    );
    report.at_most(
        "burst",
        "served -> reply p99",
        ms(quantile(&waits, 0.99)),
        "ms",
        1100.0,
    );
    report.at_most(
        "burst",
        "429 answers (whole run)",
        fake.count_429() as f64,
        "x 429",
        0.0,
    );
    report.info(
        SCENARIO,
        "RSS idle before / after fan-out / after burst",
        format!(
            "{:.1} / {:.1} / {:.1} MB",
            idle.rss_kib as f64 / 1024.0,
            after_fan_out.rss_kib as f64 / 1024.0,
            done.rss_kib as f64 / 1024.0
        ),
    );
    let parts = |s: &Sample| {
        format!(
            "{:.1} + {:.1}",
            s.anon_kib as f64 / 1024.0,
            s.file_kib as f64 / 1024.0
        )
    };
    report.info(
        SCENARIO,
        "of which anon + file: idle / after burst",
        format!("{} / {} MB", parts(&idle), parts(&done)),
    );
    report.at_most(
        SCENARIO,
        "RSS idle, before the fan-out",
        idle.rss_kib as f64 / 1024.0,
        "MB",
        15.0,
    );
    report.at_most(
        SCENARIO,
        "RSS after the fan-out and the burst",
        done.rss_kib as f64 / 1024.0,
        "MB",
        24.0,
    );
    report.info(
        SCENARIO,
        "peak RSS (VmHWM)",
        format!("{:.1} MB", done.hwm_kib as f64 / 1024.0),
    );
    drop(dir);
}
