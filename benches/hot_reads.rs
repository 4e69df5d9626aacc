//! How many statements the store runs for one daily post and one `/ask`
//! (issue 19, the hot-read cache): counted from sqlx's statement log, not
//! timed, so any profile gives the same figures. Two groups on SQLite in
//! memory, each with a daily plan and `/lang en`, one with `/pin on`; a
//! daily post is claimed, recorded as sent, pinned and its pin recorded,
//! as the driver does; `/ask` is one turn. "Cold": the first after the
//! process started; "warm": the next.
//!
//! Run: `cargo bench --bench hot_reads` (or `cargo test --bench hot_reads`
//! for the same figures from a debug build). See BENCHMARKS.md.

use std::path::Path;
use std::sync::{Arc, Mutex};

use jiff::Timestamp;
use studybot::bank::Bank;
use studybot::domain::{ChatId, ChatKind, MessageId};
use studybot::store::Store;
use studybot::study::{Engine, EngineConfig, Incoming, Person, Pinned, Place, parse};

const PINNING: ChatId = ChatId::telegram(-100_500);
const PLAIN: ChatId = ChatId::telegram(-100_600);

/// Every statement sqlx logs (target `sqlx::query`), as text.
struct Statements(Mutex<Vec<String>>);

impl log::Log for Statements {
    fn enabled(&self, metadata: &log::Metadata) -> bool {
        metadata.target().starts_with("sqlx::query")
    }

    fn log(&self, record: &log::Record) {
        if self.enabled(record.metadata()) {
            let text = record.args().to_string();
            self.0.lock().unwrap().push(text);
        }
    }

    fn flush(&self) {}
}

static LOG: Statements = Statements(Mutex::new(Vec::new()));

/// The SQL of one logged statement, on one line: sqlx logs the whole text
/// as `db.statement="…"` (escaped), or only `summary="…"` when it is short.
fn sql_of(record: &str) -> String {
    let field = |name: &str| {
        let start = record.find(name)? + name.len();
        let end = record[start..].find("\" ")? + start;
        Some(record[start..end].to_string())
    };
    let statement = field("db.statement=\"").unwrap_or_default();
    let text = match statement.trim() {
        "" => field("summary=\"").unwrap_or_default(),
        _ => statement,
    };
    let text = text.replace("\\n", " ");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The statements logged since the last call, counted: all of them, the
/// reads, and the reads of a chat's row and of its pin row.
fn take() -> [usize; 4] {
    let records: Vec<String> = std::mem::take(&mut *LOG.0.lock().unwrap());
    let statements: Vec<String> = records.iter().map(|r| sql_of(r)).collect();
    let reads: Vec<&String> = statements
        .iter()
        .filter(|s| s.to_ascii_uppercase().starts_with("SELECT"))
        .collect();
    let of = |table: &str| reads.iter().filter(|s| s.contains(table)).count();
    [
        statements.len(),
        reads.len(),
        of(" FROM chats WHERE"),
        of(" FROM pins WHERE"),
    ]
}

fn turn(chat_id: ChatId, now: Timestamp) -> Incoming {
    Incoming {
        place: Place {
            chat_id,
            kind: ChatKind::Supergroup,
            title: Some("Study".to_string()),
            thread_id: None,
        },
        person: Person {
            user_id: Some(7),
            is_admin: true,
            ..Person::default()
        },
        now,
    }
}

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

/// The daily post due at `at`, as the driver handles it: claimed, recorded
/// as sent, and pinned where the chat pins.
async fn daily_post(engine: &Engine, at: Timestamp) {
    let batch = engine.due_batch(at, 16).await.unwrap();
    assert_eq!(batch.work.len(), 1, "one post due at {at}");
    let work = &batch.work[0];
    let message = MessageId(at.as_second());
    engine.work_sent(work, message, at).await.unwrap();
    if let Some(job) = engine.pin_job(work, message).await.unwrap() {
        engine.pin_outcome(&job, Pinned::Done, at).await.unwrap();
    }
}

/// `PINNING` posts at 09:00 UTC and pins; `PLAIN` posts at 10:00 and does
/// not. Both speak English.
async fn chats(engine: &Engine) {
    let evening = at("2026-11-30T20:00:00Z");
    for (chat, commands) in [
        (PINNING, ["/daily 09:00 UTC", "/pin on", "/lang en"]),
        (PLAIN, ["/daily 10:00 UTC", "/pin off", "/lang en"]),
    ] {
        for command in commands {
            engine
                .handle(&turn(chat, evening), parse(command, None))
                .await;
        }
    }
}

async fn measure() -> Vec<(&'static str, [usize; 4])> {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let bank = Arc::new(Bank::load(&content).unwrap());
    let config = EngineConfig::default();
    let store = Store::in_memory().await.unwrap();
    chats(&Engine::new(bank.clone(), store.clone(), config.clone())).await;
    // Fresh engines on the same store: the process just started.
    let engine = Engine::new(bank.clone(), store.clone(), config.clone());
    engine
        .due_batch(at("2026-12-01T08:00:00Z"), 16)
        .await
        .unwrap();
    take();
    let mut rows = Vec::new();
    daily_post(&engine, at("2026-12-01T09:00:00Z")).await;
    rows.push(("daily post, pinning chat, cold", take()));
    daily_post(&engine, at("2026-12-01T10:00:00Z")).await;
    rows.push(("daily post, chat not pinning, cold", take()));
    daily_post(&engine, at("2026-12-02T09:00:00Z")).await;
    rows.push(("daily post, pinning chat, warm", take()));
    daily_post(&engine, at("2026-12-02T10:00:00Z")).await;
    rows.push(("daily post, chat not pinning, warm", take()));
    let noon = at("2026-12-02T12:00:00Z");
    let fresh = Engine::new(bank, store, config);
    fresh.handle(&turn(PLAIN, noon), parse("/ask", None)).await;
    rows.push(("/ask, cold", take()));
    fresh.handle(&turn(PLAIN, noon), parse("/ask", None)).await;
    rows.push(("/ask, warm", take()));
    rows
}

fn main() {
    log::set_logger(&LOG).unwrap();
    log::set_max_level(log::LevelFilter::Trace);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let rows = runtime.block_on(measure());
    println!("| what | statements | reads | chat row reads | pin row reads |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    for (what, [all, reads, chats, pins]) in rows {
        println!("| {what} | {all} | {reads} | {chats} | {pins} |");
    }
}
