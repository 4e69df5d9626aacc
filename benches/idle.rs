//! What the real `studybot run` binary costs while nothing happens: resident
//! memory, CPU time and wake-ups over 30 s with an empty update stream, a
//! database of 1,000 chats whose daily posts are hours away, and a fake Bot
//! API (Telegram's limits on) whose long polls last the full 10 s.
//!
//! Cargo builds the binary with the bench profile (release settings) and
//! hands its path in `CARGO_BIN_EXE_studybot`. Linux only (/proc).
//! Run: `cargo bench --bench idle`. See BENCHMARKS.md.
//!
//! Where the resident memory lives is printed too, mapping by mapping
//! (`/proc/PID/smaps`): the executable, the shared libraries, the heap and
//! the unnamed mappings (thread stacks, malloc arenas). To measure what a
//! setting of the environment changes, `STUDYBOT_BENCH_BOT_ENV="NAME=VALUE
//! …"` passes those variables to the bot (it otherwise runs with a clean
//! environment), e.g. `MALLOC_ARENA_MAX=1` or `TOKIO_WORKER_THREADS=1`.

#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use fake_bot_api::{Config, FakeBotApi};
use support::load::{self, Report};
use support::process::{
    Sample, bot_command, clock_ticks_per_second, stop, stray_wakeups, switch_trace,
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

    let mut child = bot_command(&fake, &database, dir.path())
        .envs(bench_bot_env())
        .spawn()
        .expect("studybot starts");
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
    print_mappings(pid);
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
        15.0,
    );
    report.info(
        SCENARIO,
        "of which anonymous + file pages",
        format!(
            "{:.1} + {:.1} MB",
            after.anon_kib as f64 / 1024.0,
            after.file_kib as f64 / 1024.0
        ),
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

/// The variables `STUDYBOT_BENCH_BOT_ENV` names (`NAME=VALUE`, space-separated).
fn bench_bot_env() -> Vec<(String, String)> {
    let settings = std::env::var("STUDYBOT_BENCH_BOT_ENV").unwrap_or_default();
    let pairs: Vec<(String, String)> = settings
        .split_whitespace()
        .filter_map(|pair| pair.split_once('='))
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect();
    for (name, value) in &pairs {
        println!("{SCENARIO}: the bot runs with {name}={value}");
    }
    pairs
}

/// Resident memory of one mapping of `/proc/PID/smaps`, in KiB.
struct Mapping {
    name: String,
    size_kib: u64,
    rss_kib: u64,
    anon_kib: u64,
}

/// Every mapping of the process with its size and resident parts.
fn mappings(pid: u32) -> Vec<Mapping> {
    let smaps = std::fs::read_to_string(format!("/proc/{pid}/smaps")).unwrap_or_default();
    let mut all: Vec<Mapping> = Vec::new();
    for line in smaps.lines() {
        let mut words = line.split_whitespace();
        let first = words.next().unwrap_or_default();
        if first.contains('-') && !first.ends_with(':') {
            let (from, to) = first.split_once('-').unwrap_or_default();
            let address = |hex| u64::from_str_radix(hex, 16).unwrap_or(0);
            let perms = words.next().unwrap_or_default();
            let path = words.nth(3).unwrap_or("[unnamed]");
            all.push(Mapping {
                name: format!("{path} {perms}"),
                size_kib: (address(to) - address(from)) / 1024,
                rss_kib: 0,
                anon_kib: 0,
            });
        } else if let Some(current) = all.last_mut() {
            let kib = words.next().and_then(|n| n.parse().ok()).unwrap_or(0);
            match first {
                "Rss:" => current.rss_kib = kib,
                "Anonymous:" => current.anon_kib = kib,
                _ => {}
            }
        }
    }
    all
}

/// Resident memory by file (its mappings summed) and by unnamed mapping,
/// the largest first, down to 64 KiB.
fn print_mappings(pid: u32) {
    let mut by_name: BTreeMap<String, Mapping> = BTreeMap::new();
    let mut unnamed = Vec::new();
    for mapping in mappings(pid) {
        if mapping.name.starts_with('/') || mapping.name.starts_with("[heap]") {
            let file = mapping.name.rsplit_once(' ').map_or("", |(f, _)| f);
            let sum = by_name.entry(file.to_string()).or_insert(Mapping {
                name: file.to_string(),
                size_kib: 0,
                rss_kib: 0,
                anon_kib: 0,
            });
            sum.size_kib += mapping.size_kib;
            sum.rss_kib += mapping.rss_kib;
            sum.anon_kib += mapping.anon_kib;
        } else {
            unnamed.push(mapping);
        }
    }
    let mut rows: Vec<Mapping> = by_name.into_values().chain(unnamed).collect();
    rows.sort_by_key(|m| std::cmp::Reverse(m.rss_kib));
    println!("{SCENARIO}: resident KiB (of which anonymous) by mapping, of its size:");
    for m in rows.iter().filter(|m| m.rss_kib >= 64) {
        println!(
            "  {:>6} ({:>6}) of {:>8}  {}",
            m.rss_kib, m.anon_kib, m.size_kib, m.name
        );
    }
    let rest: u64 = rows
        .iter()
        .filter(|m| m.rss_kib < 64)
        .map(|m| m.rss_kib)
        .sum();
    println!("  {rest:>6} in the other mappings");
}
