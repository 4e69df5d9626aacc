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
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fake_bot_api::{Config, FakeBotApi};
use support::load::{self, Report};

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
    let (dir, database) = load::fresh_database();
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

fn spawn_bot(fake: &FakeBotApi, database: &str, dir: &Path) -> Child {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    Command::new(env!("CARGO_BIN_EXE_studybot"))
        .arg("run")
        // A directory without `.env`, so only what is set here counts.
        .current_dir(dir)
        .env("TELOXIDE_TOKEN", fake.token())
        .env("TELOXIDE_API_URL", fake.api_url())
        .env("STUDYBOT_DATABASE", database)
        .env("STUDYBOT_CONTENT", content)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("studybot starts")
}

/// SIGTERM, as a service manager would; a kill if it does not stop.
async fn stop(fake: &FakeBotApi, child: &mut Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    fake.release_pollers();
    let deadline = Instant::now() + Duration::from_secs(15);
    while Instant::now() < deadline {
        if let Ok(Some(status)) = child.try_wait() {
            println!("{SCENARIO}: studybot stopped on SIGTERM ({status})");
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    println!("{SCENARIO}: studybot did not stop in 15 s after SIGTERM; killed");
    let _ = child.kill();
    let _ = child.wait();
}

/// How often the trace looks at the process.
const SLOT: Duration = Duration::from_millis(100);
/// A slot is explained by a poll that arrived this close to it.
const NEAR: Duration = Duration::from_millis(150);

/// Context switches per thread (by name and id) at one moment.
type Threads = BTreeMap<String, u64>;

/// The context switches of every thread, every `SLOT` for `window`.
async fn switch_trace(pid: u32, window: Duration) -> Vec<(Instant, Threads)> {
    let start = tokio::time::Instant::now();
    let mut trace = Vec::new();
    let mut slot = 0u32;
    while start.elapsed() < window {
        trace.push((Instant::now(), Sample::take(pid).threads));
        slot += 1;
        tokio::time::sleep_until(start + SLOT * slot).await;
    }
    trace
}

/// Slots in which the bot woke up with no `getUpdates` call near: wake-ups
/// beyond the long-poll cycle (timers, tickers, pool upkeep). Returns, per
/// such slot, its start (from the first sample) and the threads that woke.
fn stray_wakeups(trace: &[(Instant, Threads)], polls: &[Instant]) -> Vec<(Duration, Vec<String>)> {
    let Some((origin, _)) = trace.first() else {
        return Vec::new();
    };
    trace
        .windows(2)
        .filter_map(|pair| {
            let ((from, before), (to, after)) = (&pair[0], &pair[1]);
            let near_poll = polls.iter().any(|&p| p + NEAR >= *from && p <= *to + NEAR);
            let woke: Vec<String> = after
                .iter()
                .filter(|(name, n)| before.get(*name).is_none_or(|b| b < n))
                .map(|(name, _)| name.clone())
                .collect();
            (!woke.is_empty() && !near_poll).then(|| (from.duration_since(*origin), woke))
        })
        .collect()
}

/// What /proc says about the process at one moment.
struct Sample {
    cpu_seconds: f64,
    /// Voluntary + involuntary context switches of all its threads.
    switches: u64,
    /// The same per thread, keyed `name/tid`.
    threads: Threads,
    rss_kib: u64,
    hwm_kib: u64,
}

impl Sample {
    fn take(pid: u32) -> Sample {
        let status = read(&format!("/proc/{pid}/status"));
        let mut threads = Threads::new();
        if let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) {
            for task in tasks.flatten() {
                let task_status = read(&task.path().join("status").display().to_string());
                let name = field_text(&task_status, "Name:");
                let tid = task.file_name().to_string_lossy().into_owned();
                threads.insert(
                    format!("{name}/{tid}"),
                    field(&task_status, "voluntary_ctxt_switches:")
                        + field(&task_status, "nonvoluntary_ctxt_switches:"),
                );
            }
        }
        Sample {
            cpu_seconds: cpu_seconds(&read(&format!("/proc/{pid}/stat"))),
            switches: threads.values().sum(),
            threads,
            rss_kib: field(&status, "VmRSS:"),
            hwm_kib: field(&status, "VmHWM:"),
        }
    }
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// The number after `name` on its line of a /proc status file (0 if absent).
fn field(status: &str, name: &str) -> u64 {
    field_text(status, name).parse().unwrap_or(0)
}

/// The first word after `name` on its line of a /proc status file.
fn field_text(status: &str, name: &str) -> String {
    status
        .lines()
        .find_map(|line| line.strip_prefix(name))
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_default()
        .to_string()
}

/// utime + stime from /proc/PID/stat (fields 14 and 15), in seconds.
fn cpu_seconds(stat: &str) -> f64 {
    // The command name (field 2) may hold spaces; count from after its `)`.
    let rest = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    (ticks(11) + ticks(12)) as f64 / clock_ticks_per_second()
}

fn clock_ticks_per_second() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}
