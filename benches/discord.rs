//! The Discord adapter under load, in process, against the strict fake
//! Discord with Discord's limits on (5 messages / 5 s per channel, 50
//! requests / s overall):
//!
//! - interaction → response: a few hundred `/ask`, one after another; the
//!   fake measures from dispatching INTERACTION_CREATE to accepting the
//!   callback (median and p99);
//! - a daily fan-out to 300 channels at one minute: how long until every
//!   channel has its post, the rate, and how many 429s came back.
//!
//! Process CPU time and peak RSS (bot and fake together) come from /proc.
//! Run: `cargo bench --bench discord`.

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use serde_json::json;
use studybot::runtime::clock::Clock;
use support::discord::{World, no_options, option};

const ASKS: usize = 300;
const CHANNELS: usize = 300;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        latency().await;
        fan_out().await;
    });
    println!(
        "process: CPU {:.2} s, peak RSS {:.1} MB",
        cpu_seconds(),
        peak_rss_kib() as f64 / 1024.0
    );
}

async fn latency() {
    let w = World::new().await;
    let clock = Clock::system();
    let bot = w.start(&clock, None).await;
    let mut took = Vec::with_capacity(ASKS);
    let cpu_before = cpu_seconds();
    for _ in 0..ASKS {
        let invocation = w.fake.slash(w.channel, w.ann, "ask", no_options()).unwrap();
        let reply = w
            .fake
            .wait_reply(&invocation, Duration::from_secs(3))
            .await
            .expect("answered in time");
        took.push(reply.callback_after.expect("a callback"));
    }
    let cpu = cpu_seconds() - cpu_before;
    took.sort();
    let at = |q: f64| took[((took.len() as f64 * q) as usize).min(took.len() - 1)];
    println!(
        "interaction → response over {ASKS} /ask: median {:?}, p99 {:?}, max {:?} (CPU {cpu:.2} s, bot and fake)",
        at(0.5),
        at(0.99),
        took[took.len() - 1]
    );
    bot.stop().await;
}

async fn fan_out() {
    let w = World::new().await;
    let clock = Clock::system();
    clock.set("2026-12-01T08:50:00Z".parse().unwrap());
    let channels: Vec<u64> = (0..CHANNELS)
        .map(|i| w.fake.add_text_channel(w.guild, &format!("c{i}")))
        .collect();
    let bot = w.start(&clock, None).await;
    for &channel in &channels {
        let options = json!([option("time", "09:00"), option("zone", "UTC")]);
        w.slash(channel, w.ann, "daily", options).await;
    }
    let before_429 = w.fake.count_429();
    let started = Instant::now();
    clock.set("2026-12-01T09:00:00.1Z".parse().unwrap());
    let all = w
        .fake
        .wait_until(Duration::from_secs(120), |f| {
            channels
                .iter()
                .all(|&c| f.messages(c).iter().any(|m| m.interaction_id.is_none()))
        })
        .await;
    let elapsed = started.elapsed();
    assert!(all, "every channel got its daily post");
    let posts: usize = channels.iter().map(|&c| w.daily_posts(c).len()).sum();
    println!(
        "daily fan-out: {posts} posts to {CHANNELS} channels in {:.1} s ({:.1} posts/s), {} 429s",
        elapsed.as_secs_f64(),
        posts as f64 / elapsed.as_secs_f64(),
        w.fake.count_429() - before_429
    );
    bot.stop().await;
}

/// User + system CPU time of this process, from /proc/self/stat.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or(Vec::new(), |(_, rest)| rest.split_whitespace().collect());
    let ticks: f64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i).and_then(|f| f.parse::<f64>().ok()))
        .sum();
    ticks / 100.0
}

/// Peak resident set size in KiB (VmHWM).
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}
