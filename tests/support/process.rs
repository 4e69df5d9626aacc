//! The real `studybot run` binary as a child process, and what /proc says
//! about it (CPU time, memory, context switches per thread), for the
//! benchmarks that measure the bot alone (`benches/idle.rs`,
//! `benches/scale.rs`, `benches/replicas.rs`, the quiet scenarios of
//! `benches/telegram.rs`). Linux only.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fake_bot_api::FakeBotApi;

/// `studybot run` (the build Cargo made for this target) against `fake`.
pub fn spawn_bot(fake: &FakeBotApi, database: &str, dir: &Path) -> Child {
    bot_command(fake, database, dir)
        .spawn()
        .expect("studybot starts")
}

/// `spawn_bot`, then waits until the bot polls (its first `getUpdates`).
pub async fn spawn_polling_bot(fake: &FakeBotApi, database: &str, dir: &Path) -> Child {
    let child = spawn_bot(fake, database, dir);
    let polling = fake
        .wait_until(Duration::from_secs(60), |f| {
            !f.requests_to("getupdates").is_empty()
        })
        .await;
    assert!(polling, "studybot did not start polling");
    child
}

/// The command `spawn_bot` runs, to change before spawning it.
pub fn bot_command(fake: &FakeBotApi, database: &str, dir: &Path) -> Command {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    // A directory without `.env`, so only what is set here counts.
    let mut command = super::studybot(["run"], dir);
    command
        .env("TELOXIDE_TOKEN", fake.token())
        .env("TELOXIDE_API_URL", fake.api_url())
        .env("STUDYBOT_DATABASE", database)
        .env("STUDYBOT_CONTENT", content)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    command
}

/// SIGTERM, as a service manager would; a kill if it does not stop.
pub async fn stop(fake: &FakeBotApi, child: &mut Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    fake.release_pollers();
    let deadline = Instant::now() + Duration::from_secs(15);
    while Instant::now() < deadline {
        if let Ok(Some(status)) = child.try_wait() {
            println!("studybot stopped on SIGTERM ({status})");
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    println!("studybot did not stop in 15 s after SIGTERM; killed");
    let _ = child.kill();
    let _ = child.wait();
}

/// How often the trace looks at the process.
const SLOT: Duration = Duration::from_millis(100);
/// A slot is explained by a poll that arrived this close to it.
const NEAR: Duration = Duration::from_millis(150);

/// Context switches per thread (by name and id) at one moment.
pub type Threads = BTreeMap<String, u64>;

/// The context switches of every thread, every `SLOT` for `window`.
pub async fn switch_trace(pid: u32, window: Duration) -> Vec<(Instant, Threads)> {
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
pub fn stray_wakeups(
    trace: &[(Instant, Threads)],
    polls: &[Instant],
) -> Vec<(Duration, Vec<String>)> {
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
pub struct Sample {
    pub cpu_seconds: f64,
    /// Voluntary + involuntary context switches of all its threads.
    pub switches: u64,
    /// The same per thread, keyed `name/tid`.
    pub threads: Threads,
    pub rss_kib: u64,
    /// Of `rss_kib`: heap and other anonymous memory, and file pages
    /// (the executable's code and data as far as it was touched).
    pub anon_kib: u64,
    pub file_kib: u64,
    pub hwm_kib: u64,
}

impl Sample {
    pub fn take(pid: u32) -> Sample {
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
            anon_kib: field(&status, "RssAnon:"),
            file_kib: field(&status, "RssFile:"),
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

pub fn clock_ticks_per_second() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}
