//! `studybot run` refusing to start, as an operator sees it: a database
//! locked by another process or opened read-only, and a bank with a YAML
//! error. Each must end within seconds with a non-zero exit and one clear
//! line naming what to fix, and a bad bank must not even create the
//! database.

use std::path::Path;
use std::process::ExitStatus;
use std::time::{Duration, Instant};

use crate::support::faults::*;
use crate::support::{fake_with, sqlite_url, temp_db};
use fake_bot_api::Config;
use sqlx::Connection;
use sqlx::sqlite::SqliteConnection;
use studybot::store::Store;

/// Plenty for a start-up that should fail at once (the store waits 2 s
/// for a lock before giving up).
const START_LIMIT: Duration = Duration::from_secs(20);

/// Runs `studybot run` on `database` with `content` and returns how it
/// ended, its stderr and how long it took. A bot that keeps running is
/// killed and reported as `None`.
async fn run_once(
    database: &str,
    content: &Path,
    dir: &Path,
) -> (Option<ExitStatus>, String, Duration) {
    let fake = fake_with(Config::default()).await;
    let log = dir.join("stderr.log");
    let started = Instant::now();
    let mut child = spawn_studybot(&fake, database, content, dir, &log);
    let status = wait_exit(&mut child, START_LIMIT).await;
    let stderr = std::fs::read_to_string(&log).unwrap_or_default();
    (status, stderr, started.elapsed())
}

/// The `studybot:` error lines (log lines have a timestamp and level).
fn error_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("studybot: "))
        .collect()
}

fn assert_refused(status: Option<ExitStatus>, stderr: &str) {
    let status = status.unwrap_or_else(|| panic!("studybot kept running:\n{stderr}"));
    assert!(!status.success(), "exit {status}:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_locked_by_another_process_is_named_and_refused() {
    let (dir, database) = temp_db();
    Store::open(&database).await.expect("created").close().await;
    let mut holder = SqliteConnection::connect(&database).await.unwrap();
    sqlx::query("BEGIN EXCLUSIVE")
        .execute(&mut holder)
        .await
        .unwrap();

    let (status, stderr, took) = run_once(&database, &shipped_content(), dir.path()).await;
    assert_refused(status, &stderr);
    let errors = error_lines(&stderr);
    assert_eq!(errors.len(), 1, "one error line:\n{stderr}");
    assert!(
        errors[0].contains(&database) && errors[0].contains("locked"),
        "{}",
        errors[0]
    );
    sqlx::query("ROLLBACK").execute(&mut holder).await.unwrap();
    println!("locked database: refused in {took:.1?}: {}", errors[0]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_database_is_named_and_refused() {
    let (dir, database) = temp_db();
    Store::open(&database).await.expect("created").close().await;
    let read_only = format!("{database}?mode=ro");

    let (status, stderr, took) = run_once(&read_only, &shipped_content(), dir.path()).await;
    assert_refused(status, &stderr);
    let errors = error_lines(&stderr);
    assert_eq!(errors.len(), 1, "one error line:\n{stderr}");
    assert!(
        errors[0].contains(&database) && errors[0].contains("read-only"),
        "{}",
        errors[0]
    );
    println!("read-only database: refused in {took:.1?}: {}", errors[0]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupt_bank_is_located_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir(&content).unwrap();
    std::fs::copy(
        shipped_content().join("llm-startup.yaml"),
        content.join("llm-startup.yaml"),
    )
    .unwrap();
    let broken = "deck: broken\ntitle: Broken\nlanguage: en\nquestions:\n  - id: one\n    title: [unclosed\n";
    std::fs::write(content.join("broken.yaml"), broken).unwrap();
    let db_file = dir.path().join("bot.db");
    let database = sqlite_url(&db_file);

    let (status, stderr, took) = run_once(&database, &content, dir.path()).await;
    assert_refused(status, &stderr);
    let located = stderr
        .lines()
        .find(|l| l.contains("broken.yaml:"))
        .unwrap_or_else(|| panic!("no broken.yaml:line:column in:\n{stderr}"));
    let position: Vec<&str> = located
        .split("broken.yaml:")
        .nth(1)
        .unwrap()
        .splitn(3, ':')
        .collect();
    assert!(
        position.len() == 3
            && position[..2]
                .iter()
                .all(|n| n.parse::<u32>().is_ok_and(|n| n > 0)),
        "file:line:column: {located}"
    );
    assert!(!db_file.exists(), "a bad bank must not create the database");
    println!("corrupt bank: refused in {took:.1?}: {located}");
}
