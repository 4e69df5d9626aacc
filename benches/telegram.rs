//! The Telegram adapter under load: the real `studybot::telegram::serve`,
//! in-process, against the strict fake Bot API (Telegram's limits enforced:
//! 1 msg/s per chat, 20/min per group, 30/s overall, 429 beyond them).
//!
//! Scenarios (each with its own fake and database, each bounded in time):
//! 1. fan-out: 1,000 chats whose daily post is due at the same instant;
//! 2. quiet-chat latency: 300 `/ask` over 50 chats, at most one a chat a second,
//!    answered by the `studybot run` binary (its CPU and memory its own)
//!    (`quiet` on an SQLite file; `pg-quiet` the same on a fresh PostgreSQL
//!    schema of `STUDYBOT_TEST_POSTGRES`, skipped when it is not set);
//! 3. burst: `/ask` from 100 chats at once, then the button in those 100;
//! 4. busy group: 15 `/ask` at once in one supergroup;
//! 5. flooded group: a supergroup whose members send `/ask` every 2 s for
//!    2 minutes (more than Telegram lets through): messages a minute over
//!    3 minutes (the flood with quiet chats beside it: `telegram_flood.rs`).
//!
//! Every figure is printed with its ratio to the limit or target, then all
//! of them as a table. Run: `cargo bench --bench telegram`. See BENCHMARKS.md.

#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use fake_bot_api::{ChatSpec, FakeBotApi, SentMessage, User};
use studybot::runtime::clock::Clock;
use support::load::{self, Report, ms, quantile};
use support::pg::TestSchema;
use support::process::{Sample, spawn_polling_bot, stop};
use support::{TestBot, button_data, engine_config, messages_in, strict_fake};

/// Telegram's overall limit, messages a second.
const GLOBAL_RATE: f64 = 30.0;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let mut report = Report::default();
    // `cargo bench --bench telegram -- quiet burst` runs only those.
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let wanted = |name: &str| only.is_empty() || only.iter().any(|o| name.starts_with(o.as_str()));
    runtime.block_on(async {
        if wanted("fan-out") {
            fan_out(&mut report).await;
        }
        if wanted("quiet") {
            let (dir, database) = support::temp_db();
            quiet_latency(&mut report, "quiet", &database, dir).await;
        }
        if wanted("pg-quiet") {
            quiet_on_postgres(&mut report).await;
        }
        if wanted("burst") {
            burst(&mut report).await;
        }
        if wanted("busy") {
            busy_group(&mut report).await;
        }
        if wanted("flood") {
            flooded_group(&mut report).await;
        }
    });
    report.print_table();
}

// ----- 1. fan-out -----

async fn fan_out(report: &mut Report) {
    const CHATS: usize = 1_000;
    const SCENARIO: &str = "fan-out";
    let fake = strict_fake().await;
    let chats = load::chat_mix(CHATS);
    for chat in &chats {
        fake.add_chat(chat.clone());
    }
    let (dir, database) = support::temp_db();
    let minute = load::local_minute(jiff::Timestamp::now(), "UTC");
    load::seed_daily_plans(&database, &chats, &minute, "UTC").await;

    let started = Instant::now();
    let bot = TestBot::start_on(&fake, &database, Clock::system(), engine_config(), dir).await;
    let done = fake
        .wait_until(Duration::from_secs(120), |f| f.sent_count() >= CHATS)
        .await;
    // A little longer, so a post sent twice would show.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let sent = fake.sent_messages();
    bot.stop().await;
    if !done {
        println!(
            "{SCENARIO}: only {} of {CHATS} posts within 120 s",
            sent.len()
        );
    }

    let first = sent.iter().map(|m| m.at).min().unwrap_or(started);
    let last = sent.iter().map(|m| m.at).max().unwrap_or(started);
    let span = last.duration_since(first).as_secs_f64();
    let rate = (sent.len().saturating_sub(1)) as f64 / span.max(f64::EPSILON);
    let mut per_chat: HashMap<i64, usize> = chats.iter().map(|c| (c.id, 0)).collect();
    for message in &sent {
        *per_chat.entry(message.chat_id).or_default() += 1;
    }
    let lost = per_chat.values().filter(|&&n| n == 0).count();
    let doubled = per_chat.values().filter(|&&n| n >= 2).count();

    report.info(
        SCENARIO,
        "posts delivered",
        format!("{} of {CHATS}", sent.len()),
    );
    report.info(
        SCENARIO,
        "bot start -> first post",
        format!("{:.2} s", first.duration_since(started).as_secs_f64()),
    );
    report.info(SCENARIO, "first -> last post", format!("{span:.2} s"));
    report.at_least(
        SCENARIO,
        "achieved rate",
        rate,
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
    report.at_most(
        SCENARIO,
        "chats with 0 posts (lost)",
        lost as f64,
        "chats",
        0.0,
    );
    report.at_most(
        SCENARIO,
        "chats with >= 2 posts (doubled)",
        doubled as f64,
        "chats",
        0.0,
    );
    rejected(report, SCENARIO, &fake);
}

// ----- 2. quiet-chat latency -----

/// The quiet scenario on a schema of its own on `STUDYBOT_TEST_POSTGRES`,
/// dropped afterwards.
async fn quiet_on_postgres(report: &mut Report) {
    let Some(schema) = TestSchema::create().await else {
        return;
    };
    let dir = Arc::new(tempfile::tempdir().expect("a temporary directory"));
    quiet_latency(report, "pg-quiet", &schema.url(), dir).await;
    schema.drop().await;
}

async fn quiet_latency(
    report: &mut Report,
    scenario: &'static str,
    database: &str,
    dir: Arc<tempfile::TempDir>,
) {
    const CHATS: i64 = 50;
    const ASKS: usize = 300;
    // 20 asks a second overall: each chat is asked every 2.5 s, and the
    // bot as a whole stays under its 30 a second.
    const SPACING: Duration = Duration::from_millis(50);
    let fake = strict_fake().await;
    let chats: Vec<i64> = (0..CHATS).map(|i| 2_000_000 + i).collect();
    for &chat in &chats {
        fake.add_chat(ChatSpec::private(chat, Some("zh-hans")));
    }
    // The binary as shipped (its own runtime), so its CPU is its own.
    let mut bot = spawn_polling_bot(&fake, database, dir.path()).await;
    let cpu_before = Sample::take(bot.id()).cpu_seconds;
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
    let (sent, polls) = (fake.sent_messages(), load::polls(&fake));
    let done = Sample::take(bot.id());
    stop(&fake, &mut bot).await;
    let cpu = done.cpu_seconds - cpu_before;
    report.info(
        scenario,
        "bot CPU for the asks, per /ask",
        format!("{cpu:.2} s, {:.2} ms", cpu * 1000.0 / ASKS as f64),
    );
    report.info(
        scenario,
        "bot peak RSS (VmHWM)",
        format!("{:.1} MB", done.hwm_kib as f64 / 1024.0),
    );

    let mut from_served = Vec::new();
    let mut from_push = Vec::new();
    let mut in_long_poll = 0;
    for &(chat, message_id, pushed) in &asks {
        let Some(reply) = first_after(&sent, chat, pushed) else {
            continue;
        };
        let served = load::served_at(&polls, chat, message_id, pushed).unwrap_or(pushed);
        in_long_poll += usize::from(served == pushed);
        from_served.push(reply.at.duration_since(served));
        from_push.push(reply.at.duration_since(pushed));
    }
    report.info(
        scenario,
        "replies",
        format!("{} of {ASKS}", from_served.len()),
    );
    report.info(
        scenario,
        "served to a waiting long poll",
        format!("{in_long_poll} of {}", from_served.len()),
    );
    // Which asks were slowest says what kind of tail it is: the first few
    // (connections and statements still being prepared) or spread out.
    let mut by_order: Vec<(usize, Duration)> = from_served.iter().copied().enumerate().collect();
    by_order.sort_by_key(|(_, d)| std::cmp::Reverse(*d));
    let slowest: Vec<String> = by_order
        .iter()
        .take(5)
        .map(|(i, d)| format!("{:.1} (#{})", ms(*d), i + 1))
        .collect();
    report.info(
        scenario,
        "served -> reply, 5 slowest (ms, ask #)",
        slowest.join(" "),
    );
    // A chat's first ask also writes its row; the others only read it.
    let mut known: Vec<Duration> = from_served.iter().skip(CHATS as usize).copied().collect();
    known.sort();
    report.info(
        scenario,
        "served -> reply p99, chats' later asks",
        format!("{:.2} ms", ms(quantile(&known, 0.99))),
    );
    latencies(report, scenario, "served -> reply", &mut from_served, 4.0);

    from_push.sort();
    report.info(
        scenario,
        "push -> reply median / p99",
        format!(
            "{:.2} / {:.2} ms",
            ms(quantile(&from_push, 0.5)),
            ms(quantile(&from_push, 0.99))
        ),
    );
    report.at_most(
        scenario,
        "429 answers",
        fake.count_429() as f64,
        "x 429",
        0.0,
    );
    rejected(report, scenario, &fake);
}

// ----- 3. burst -----

async fn burst(report: &mut Report) {
    const SCENARIO: &str = "burst";
    const CHATS: i64 = 100;
    let floor = CHATS as f64 / GLOBAL_RATE;
    let fake = strict_fake().await;
    let chats: Vec<i64> = (0..CHATS).map(|i| 3_000_000 + i).collect();
    for &chat in &chats {
        fake.add_chat(ChatSpec::private(chat, Some("zh-hans")));
    }
    let bot = TestBot::start(&fake).await;

    let t0 = Instant::now();
    let asks: Vec<(i64, i32, Instant)> = chats
        .iter()
        .map(|&chat| {
            let pushed = Instant::now();
            (chat, fake.push_message(chat, None, "/ask", None), pushed)
        })
        .collect();
    let all = fake
        .wait_until(Duration::from_secs(30), |f| count_in(f, &chats, 1))
        .await;
    let (sent, polls) = (fake.sent_messages(), load::polls(&fake));
    let mut waits = Vec::new();
    let mut questions = Vec::new();
    for &(chat, message_id, pushed) in &asks {
        if let Some(reply) = first_after(&sent, chat, pushed) {
            let served = load::served_at(&polls, chat, message_id, pushed).unwrap_or(pushed);
            waits.push(reply.at.duration_since(served));
            questions.push(reply.clone());
        }
    }
    burst_figures(report, "/ask x100", t0, &questions, &mut waits, floor, all);

    // The per-chat limit: the reveal may follow the question after 1 s.
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    let t1 = Instant::now();
    let presses: Vec<(i64, String, Instant)> = questions
        .iter()
        .map(|q| {
            let data = button_data(q).expect("a question has a button");
            let pushed = Instant::now();
            let presser = User::new(q.chat_id, &format!("User {}", q.chat_id));
            let query = fake.push_callback(q.chat_id, presser, q.message_id, &data);
            (q.chat_id, query, pushed)
        })
        .collect();
    let all = fake
        .wait_until(Duration::from_secs(30), |f| count_in(f, &chats, 2))
        .await;
    let (sent, polls) = (fake.sent_messages(), load::polls(&fake));
    bot.stop().await;
    let mut waits = Vec::new();
    let mut reveals = Vec::new();
    for (chat, query, pushed) in &presses {
        if let Some(reveal) = first_after(&sent, *chat, *pushed) {
            let served = load::callback_served_at(&polls, query, *pushed).unwrap_or(*pushed);
            waits.push(reveal.at.duration_since(served));
            reveals.push(reveal.clone());
        }
    }
    burst_figures(report, "button x100", t1, &reveals, &mut waits, floor, all);
    report.at_most(
        SCENARIO,
        "429 answers",
        fake.count_429() as f64,
        "x 429",
        0.0,
    );
    rejected(report, SCENARIO, &fake);
}

fn burst_figures(
    report: &mut Report,
    label: &str,
    t0: Instant,
    replies: &[SentMessage],
    waits: &mut [Duration],
    floor: f64,
    all_arrived: bool,
) {
    const SCENARIO: &str = "burst";
    if !all_arrived {
        println!(
            "{SCENARIO}: {label}: only {} replies within 30 s",
            replies.len()
        );
    }
    waits.sort();
    let total = replies
        .iter()
        .map(|m| m.at.duration_since(t0).as_secs_f64())
        .fold(0.0, f64::max);
    report.info(
        SCENARIO,
        &format!("{label}: replies"),
        format!("{} of 100", replies.len()),
    );
    report.info(
        SCENARIO,
        &format!("{label}: served -> reply p50 / p99"),
        format!(
            "{:.0} / {:.0} ms",
            ms(quantile(waits, 0.5)),
            ms(quantile(waits, 0.99))
        ),
    );
    report.info(
        SCENARIO,
        &format!("{label}: total time"),
        format!("{total:.2} s"),
    );
    report.at_most(
        SCENARIO,
        &format!("{label}: total / 100-at-30/s floor"),
        total / floor,
        "x",
        1.1,
    );
}

// ----- 4. busy group -----

async fn busy_group(report: &mut Report) {
    const SCENARIO: &str = "busy group";
    const GROUP: i64 = -1_000_000_000_999;
    const ASKS: usize = 15;
    let fake = strict_fake().await;
    fake.add_chat(ChatSpec::supergroup(GROUP, "Busy supergroup", false));
    let bot = TestBot::start(&fake).await;
    let t0 = Instant::now();
    for user in 1..=ASKS as i64 {
        fake.push_message(
            GROUP,
            Some(User::new(user, &format!("Member {user}"))),
            "/ask",
            None,
        );
    }
    // Every /ask is answered by a question (with a button); the 9th also
    // gets a "new round" notice first, as the shipped bank has 8 questions.
    let questions_in = |f: &FakeBotApi| {
        messages_in(f, GROUP)
            .iter()
            .filter(|m| m.reply_markup.is_some())
            .count()
    };
    fake.wait_until(Duration::from_secs(40), |f| questions_in(f) >= ASKS)
        .await;
    let sent = messages_in(&fake, GROUP);
    bot.stop().await;

    let since = |m: &SentMessage| m.at.duration_since(t0).as_secs_f64();
    let answered = sent.iter().filter(|m| m.reply_markup.is_some()).count();
    report.info(
        SCENARIO,
        "messages (questions + notices)",
        format!("{} ({answered} questions)", sent.len()),
    );
    if let Some(m) = sent.get(ASKS - 1) {
        report.info(
            SCENARIO,
            "time to the 15th message",
            format!("{:.2} s", since(m)),
        );
    }
    let last = sent.last().map(since).unwrap_or(f64::INFINITY);
    report.at_most(
        SCENARIO,
        "time to the reply to the 15th /ask",
        last,
        "s",
        16.0,
    );
    report.at_most(
        SCENARIO,
        "429 answers",
        fake.count_429() as f64,
        "x 429",
        0.0,
    );
    rejected(report, SCENARIO, &fake);
}

// ----- 5. flooded group -----

async fn flooded_group(report: &mut Report) {
    const SCENARIO: &str = "flood";
    const GROUP: i64 = -1_000_000_000_777;
    // 60 asks, 30 a minute: more than the group's 20; past a backlog of 20
    // asks are skipped (see `admission`), so the group is answered at its
    // limit while asks come, and the backlog is gone soon after.
    const RUN: Duration = Duration::from_secs(120);
    const WATCH: Duration = Duration::from_secs(180);
    const EVERY: Duration = Duration::from_secs(2);
    let fake = strict_fake().await;
    fake.add_chat(ChatSpec::supergroup(GROUP, "Flooded supergroup", false));
    let bot = TestBot::start(&fake).await;
    let t0 = Instant::now();
    let start = tokio::time::Instant::now();
    let mut asks = 0u32;
    while start.elapsed() < RUN {
        let user = i64::from(asks % 40) + 1;
        fake.push_message(
            GROUP,
            Some(User::new(user, &format!("Member {user}"))),
            "/ask",
            None,
        );
        asks += 1;
        tokio::time::sleep_until(start + EVERY * asks).await;
    }
    tokio::time::sleep_until(start + WATCH).await;
    let sent = messages_in(&fake, GROUP);
    bot.stop().await;
    let within = |from: u64, to: u64| {
        sent.iter()
            .filter(|m| {
                let at = m.at.duration_since(t0);
                at >= Duration::from_secs(from) && at < Duration::from_secs(to)
            })
            .count()
    };
    report.info(
        SCENARIO,
        "asks / messages in 3 min",
        format!("{asks} / {}", within(0, 180)),
    );
    report.info(
        SCENARIO,
        "messages in minutes 1, 2, 3",
        format!(
            "{} / {} / {}",
            within(0, 60),
            within(60, 120),
            within(120, 180)
        ),
    );
    // After the first minute's burst, while asks still come: what the
    // group sustains.
    report.at_least(
        SCENARIO,
        "sustained, minute 2",
        within(60, 120) as f64,
        "msg/min",
        (18.0, 20.0),
    );
    report.at_most(
        SCENARIO,
        "429 answers",
        fake.count_429() as f64,
        "x 429",
        0.0,
    );
    rejected(report, SCENARIO, &fake);
}

// ----- shared -----

/// The first message in `chat` delivered at or after `since`.
fn first_after(sent: &[SentMessage], chat: i64, since: Instant) -> Option<&SentMessage> {
    sent.iter().find(|m| m.chat_id == chat && m.at >= since)
}

/// Every chat in `chats` has at least `n` messages.
fn count_in(fake: &FakeBotApi, chats: &[i64], n: usize) -> bool {
    let mut counts: HashMap<i64, usize> = HashMap::new();
    for message in fake.sent_messages() {
        *counts.entry(message.chat_id).or_default() += 1;
    }
    chats
        .iter()
        .all(|c| counts.get(c).copied().unwrap_or(0) >= n)
}

fn latencies(
    report: &mut Report,
    scenario: &'static str,
    what: &str,
    waits: &mut [Duration],
    p99_ms: f64,
) {
    waits.sort();
    report.info(
        scenario,
        &format!("{what} median"),
        format!("{:.2} ms", ms(quantile(waits, 0.5))),
    );
    report.at_most(
        scenario,
        &format!("{what} p99"),
        ms(quantile(waits, 0.99)),
        "ms",
        p99_ms,
    );
}

fn rejected(report: &mut Report, scenario: &'static str, fake: &FakeBotApi) {
    let rejected = fake.rejected();
    for request in &rejected {
        println!(
            "{scenario}: the fake rejected {} ({}): {}",
            request.method,
            request.description.as_deref().unwrap_or("no description"),
            request.body
        );
    }
    report.at_most(
        scenario,
        "requests the fake rejected",
        rejected.len() as f64,
        "requests",
        0.0,
    );
}
