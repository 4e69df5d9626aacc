//! How fast learning answers, through the engine on a SQLite file (WAL),
//! as the bot runs it: a rating press answered while 200 members of one
//! group all press within a second, and `/review` and `/stats` for a
//! person with 5,000 cards (and a group `/stats` over those 200 members).
//! Prints median, p99 and max per case, then the process's CPU seconds
//! and peak resident memory. Run: `cargo bench --bench learn`.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use studybot::bank::Bank;
use studybot::domain::{ChatId, ChatKind, MessageId};
use studybot::learn::Rating;
use studybot::post::Action;
use studybot::store::Store;
use studybot::study::{Engine, EngineConfig, Incoming, Person, Place, parse};

const MEMBERS: i64 = 200;
const CARDS: usize = 5_000;
const RUNS: usize = 200;
const GROUP: ChatId = ChatId::telegram(-100_777);

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(run());
    println!(
        "learn: process CPU {:.2} s (utime + stime), peak RSS (VmHWM) {:.1} MB",
        cpu_seconds(),
        peak_rss_kib() as f64 / 1024.0
    );
}

async fn run() {
    let dir = tempfile::tempdir().expect("a temp dir");
    write_bank(dir.path());
    let bank = Bank::load(dir.path()).expect("the generated bank loads");
    let url = format!("sqlite://{}", dir.path().join("learn.db").display());
    let store = Store::open(&url).await.expect("the database opens");
    let engine = Engine::new(Arc::new(bank), store, EngineConfig::default());

    let presses = group_presses(&engine).await;
    report("rating press, 200 members within 1 s", presses);

    let person = 1;
    let seeded = Instant::now();
    seed_cards(&engine, person).await;
    println!(
        "learn: seeded {CARDS} cards in {:.1} s",
        seeded.elapsed().as_secs_f64()
    );
    let me = private(person, Timestamp::now());
    report(
        "/review, 5,000 cards",
        repeat(&engine, &me, "/review").await,
    );
    report(
        "/stats private, 5,000 cards",
        repeat(&engine, &me, "/stats").await,
    );
    let group = in_group(2, Timestamp::now());
    report(
        "/stats group, 200 raters",
        repeat(&engine, &group, "/stats").await,
    );
    engine.close().await;
}

/// Reveals a question in the group, then each member presses Good at an
/// even pace over one second; returns each press's time to answer.
async fn group_presses(engine: &Engine) -> Vec<Duration> {
    let admin = in_group(1, Timestamp::now());
    let reveal = engine
        .handle(&admin, parse("/answer q-0", None))
        .await
        .posts
        .remove(0);
    let message = MessageId(1_000);
    engine
        .sent(&admin.place, &reveal, message, admin.now)
        .await
        .expect("recorded");
    let action = Action::Rate {
        question_id: "q-0".into(),
        rating: Rating::Good,
        in_review: false,
    };
    let start = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for member in 0..MEMBERS {
        let (engine, action) = (engine.clone(), action.clone());
        let at = start + Duration::from_micros((member as u64) * 1_000_000 / MEMBERS as u64);
        tasks.spawn(async move {
            tokio::time::sleep_until(at.into()).await;
            let who = in_group(10 + member, Timestamp::now());
            let began = Instant::now();
            let reply = engine.press(&who, Some(message), Some(&action)).await;
            assert!(reply.toast.is_some_and(|t| t.contains('3')));
            began.elapsed()
        });
    }
    tasks.join_all().await
}

/// One rating each for 5,000 questions, spread over the last 60 days so
/// some cards are due now and many are not.
async fn seed_cards(engine: &Engine, person: i64) {
    let now = Timestamp::now();
    for n in 0..CARDS {
        let back = SignedDuration::from_secs((n as i64 % 60) * 86_400 + 60);
        let who = private(person, now - back);
        let action = Action::Rate {
            question_id: format!("q-{n}"),
            rating: Rating::ALL[n % 4],
            in_review: false,
        };
        let reply = engine
            .press(&who, Some(MessageId(n as i64 + 1)), Some(&action))
            .await;
        assert!(reply.toast.is_some());
    }
}

async fn repeat(engine: &Engine, who: &Incoming, line: &str) -> Vec<Duration> {
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let began = Instant::now();
        let reply = engine.handle(who, parse(line, None)).await;
        times.push(began.elapsed());
        assert!(!reply.posts.is_empty());
    }
    times
}

fn report(case: &str, mut times: Vec<Duration>) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "learn: {case}: median {:.2} ms, p99 {:.2} ms, max {:.2} ms ({} samples)",
        ms(at(0.5)),
        ms(at(0.99)),
        ms(times[times.len() - 1]),
        times.len()
    );
}

fn in_group(user: i64, now: Timestamp) -> Incoming {
    Incoming {
        place: Place {
            chat_id: GROUP,
            kind: ChatKind::Supergroup,
            title: Some("bench".into()),
            thread_id: None,
        },
        person: Person {
            user_id: Some(user),
            language_code: None,
            is_admin: true,
            name: Some(format!("member {user}")),
        },
        now,
    }
}

fn private(user: i64, now: Timestamp) -> Incoming {
    let mut incoming = in_group(user, now);
    incoming.place = Place {
        chat_id: ChatId::telegram(user),
        kind: ChatKind::Private,
        title: None,
        thread_id: None,
    };
    incoming
}

/// One deck of 5,000 short questions, `q-0` … `q-4999`.
fn write_bank(dir: &Path) {
    let mut text = "deck: bench\ntitle: Bench\nlanguage: en\nquestions:\n".to_string();
    for n in 0..CARDS {
        let _ = write!(
            text,
            "  - id: q-{n}\n    title: Question {n}\n    question: What is {n}?\n    answer: |\n      - **It** is {n}.\n    analysis: |\n      Because {n}.\n"
        );
    }
    std::fs::write(dir.join("bench.yaml"), text).expect("write the deck");
}

/// utime + stime of this process from /proc/self/stat, in seconds
/// (Linux; 100 ticks a second, as on every current Linux).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<u64> = rest
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0))
        .collect();
    (fields.get(11).unwrap_or(&0) + fields.get(12).unwrap_or(&0)) as f64 / 100.0
}

/// The peak resident set size in KiB (VmHWM), 0 without /proc.
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmHWM:"))?.to_string();
            line.split_whitespace().nth(1)?.parse().ok()
        })
        .unwrap_or(0)
}
