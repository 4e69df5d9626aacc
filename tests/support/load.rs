//! Helpers for the load benchmarks (`benches/telegram.rs`, `benches/idle.rs`):
//! a database pre-filled with many chats and daily plans, the chat mix of a
//! fan-out, and when the fake actually handed an update to the bot.
//!
//! Kept beside the test harness so the benchmarks drive the very same
//! in-process bot as the end-to-end tests, without a copy of it.

use std::time::Instant;

use fake_bot_api::{ChatSpec, FakeBotApi, Request};
use studybot::domain::ChatKind;
use studybot::store::Store;

/// `count` chats: 60 % private (positive ids), 20 % supergroups (ids ≤ −10¹²)
/// and 20 % basic groups (negative ids above −10¹²).
pub fn chat_mix(count: usize) -> Vec<ChatSpec> {
    (0..count as i64)
        .map(|i| match i % 5 {
            0 => ChatSpec::supergroup(-1_000_000_000_000 - i, &format!("Supergroup {i}"), false),
            1 => ChatSpec::group(-4_000_000_000 - i, &format!("Group {i}")),
            _ => ChatSpec::private(1_000_000 + i, None),
        })
        .collect()
}

/// The store's kind of a fake chat.
pub fn store_kind(chat: &ChatSpec) -> ChatKind {
    match chat.type_name() {
        "private" => ChatKind::Private,
        "supergroup" => ChatKind::Supergroup,
        "channel" => ChatKind::Channel,
        _ => ChatKind::Group,
    }
}

/// Registers every chat in the store with a daily plan at `post_time`
/// (`HH:MM`) in `zone`, no reveal.
pub async fn seed_daily_plans(database: &str, chats: &[ChatSpec], post_time: &str, zone: &str) {
    let store = Store::open(database).await.expect("the database opens");
    let rows: Vec<(i64, ChatKind, Option<&str>)> = chats
        .iter()
        .map(|c| (c.id, store_kind(c), Some(c.title())))
        .collect();
    super::plan_daily(&store, &rows, post_time, zone).await;
    store.close().await;
}

/// `HH:MM` of `at` in `zone`.
pub fn local_minute(at: jiff::Timestamp, zone: &str) -> String {
    let zoned = at.in_tz(zone).expect("a known zone");
    format!("{:02}:{:02}", zoned.hour(), zoned.minute())
}

/// When the fake handed message `message_id` of `chat_id` to the bot: the
/// later of the push (a long poll waiting then answers at once) and the
/// arrival of the `getUpdates` call whose answer carried it (the bot was
/// not polling at the push). `None` if no answer carried it.
pub fn served_at(
    polls: &[Request],
    chat_id: i64,
    message_id: i32,
    pushed: Instant,
) -> Option<Instant> {
    served_when(polls, pushed, |update| {
        let message = &update["message"];
        message["chat"]["id"].as_i64() == Some(chat_id)
            && message["message_id"].as_i64() == Some(i64::from(message_id))
    })
}

/// Like [`served_at`], for the button press with callback query id `query_id`.
pub fn callback_served_at(polls: &[Request], query_id: &str, pushed: Instant) -> Option<Instant> {
    served_when(polls, pushed, |update| {
        update["callback_query"]["id"].as_str() == Some(query_id)
    })
}

fn served_when(
    polls: &[Request],
    pushed: Instant,
    is_it: impl Fn(&serde_json::Value) -> bool,
) -> Option<Instant> {
    polls
        .iter()
        .find(|poll| {
            poll.result
                .as_ref()
                .and_then(|r| r.as_array())
                .is_some_and(|updates| updates.iter().any(&is_it))
        })
        .map(|poll| poll.at.max(pushed))
}

/// The `getUpdates` calls the bot made so far.
pub fn polls(fake: &FakeBotApi) -> Vec<Request> {
    fake.requests_to("getupdates")
}

/// Whether a figure reached its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Met,
    Missed,
    /// A figure without a target (context for the others).
    Info,
}

/// One measured figure, with its ratio to the limit or target it answers to.
#[derive(Debug, Clone)]
pub struct Figure {
    pub scenario: &'static str,
    pub what: String,
    pub value: String,
    /// E.g. `0.99 of 30 msg/s` or `0.42 of 10 ms`.
    pub ratio: String,
    pub verdict: Verdict,
}

/// The figures of a benchmark run, printed as measured and as a table.
#[derive(Debug, Default)]
pub struct Report {
    figures: Vec<Figure>,
}

impl Report {
    /// `value` (in `unit`) must not exceed `limit`.
    pub fn at_most(
        &mut self,
        scenario: &'static str,
        what: &str,
        value: f64,
        unit: &str,
        limit: f64,
    ) {
        let verdict = if value <= limit {
            Verdict::Met
        } else {
            Verdict::Missed
        };
        let ratio = if limit == 0.0 {
            format!("target 0 {unit}")
        } else {
            format!("{:.2} of {} {unit}", value / limit, number(limit))
        };
        self.add(
            scenario,
            what,
            format!("{} {unit}", number(value)),
            ratio,
            verdict,
        );
    }

    /// `value` (in `unit`) must reach `target`; the ratio is to `limit`.
    pub fn at_least(
        &mut self,
        scenario: &'static str,
        what: &str,
        value: f64,
        unit: &str,
        (target, limit): (f64, f64),
    ) {
        let verdict = if value >= target {
            Verdict::Met
        } else {
            Verdict::Missed
        };
        let ratio = format!("{:.3} of {} {unit}", value / limit, number(limit));
        self.add(
            scenario,
            what,
            format!("{} {unit}", number(value)),
            ratio,
            verdict,
        );
    }

    /// A figure for context, with no target.
    pub fn info(&mut self, scenario: &'static str, what: &str, value: String) {
        self.add(scenario, what, value, String::new(), Verdict::Info);
    }

    fn add(
        &mut self,
        scenario: &'static str,
        what: &str,
        value: String,
        ratio: String,
        verdict: Verdict,
    ) {
        let figure = Figure {
            scenario,
            what: what.to_string(),
            value,
            ratio,
            verdict,
        };
        println!("{}", row(&figure));
        self.figures.push(figure);
    }

    pub fn figures(&self) -> &[Figure] {
        &self.figures
    }

    /// Every figure again, as one table.
    pub fn print_table(&self) {
        println!("\n{:-<118}", "");
        println!(
            "{:<12} {:<44} {:>16} {:>28} {:>8}",
            "scenario", "figure", "value", "ratio", "target"
        );
        println!("{:-<118}", "");
        for figure in &self.figures {
            println!("{}", row(figure));
        }
        let missed = self
            .figures
            .iter()
            .filter(|f| f.verdict == Verdict::Missed)
            .count();
        println!("{:-<118}\n{missed} target(s) missed", "");
    }
}

fn row(f: &Figure) -> String {
    let verdict = match f.verdict {
        Verdict::Met => "met",
        Verdict::Missed => "MISSED",
        Verdict::Info => "",
    };
    format!(
        "{:<12} {:<44} {:>16} {:>28} {:>8}",
        f.scenario, f.what, f.value, f.ratio, verdict
    )
}

/// A figure with as many decimals as it needs to be read.
fn number(x: f64) -> String {
    if x == x.trunc() && x.abs() < 1e9 {
        format!("{x:.0}")
    } else if x.abs() >= 100.0 {
        format!("{x:.1}")
    } else if x.abs() >= 1.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.3}")
    }
}

/// The `q` quantile (0..=1) of sorted durations, nearest rank.
pub fn quantile(sorted: &[std::time::Duration], q: f64) -> std::time::Duration {
    if sorted.is_empty() {
        return std::time::Duration::ZERO;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

pub fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
