//! `studybot backup -o FILE`: a consistent copy of the database taken
//! while a bot-like writer keeps writing, refusals that say what to do,
//! and nothing ever overwritten without `--force`.

use std::path::Path;
use std::process::Output;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

use crate::support::{sqlite_url, studybot, temp_db};
use sqlx::Connection;
use studybot::domain::{ChatId, ChatKind};
use studybot::store::{PlanRow, Store};

fn backup(database: &str, dir: &Path, args: &[&str]) -> Output {
    // A directory without `.env`, so only what is set here counts.
    studybot(["backup"], dir)
        .args(args)
        .env("STUDYBOT_DATABASE", database)
        .output()
        .expect("studybot runs")
}

/// Every chat row, in order, as text.
async fn chats(database: &str) -> Vec<String> {
    let mut connection = sqlx::SqliteConnection::connect(database).await.unwrap();
    let rows: Vec<(String, i64, String)> =
        sqlx::query_as("SELECT platform, id, kind FROM chats ORDER BY platform, id")
            .fetch_all(&mut connection)
            .await
            .unwrap();
    rows.into_iter()
        .map(|(p, id, kind)| format!("{p}:{id}:{kind}"))
        .collect()
}

/// Like the bot: a chat and its daily plan, one after the other, until told to stop.
fn spawn_writer(
    store: Store,
    written: Arc<AtomicI64>,
    stop: Arc<AtomicBool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut id = 10_000;
        while !stop.load(Ordering::Relaxed) {
            let chat = ChatId::telegram(id);
            store
                .upsert_chat(chat, ChatKind::Group, Some("writer"), id)
                .await
                .unwrap();
            store
                .save_plan(&PlanRow::every_day(chat, "08:00", "UTC").unwrap(), id)
                .await
                .unwrap();
            written.fetch_add(1, Ordering::Relaxed);
            id += 1;
            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        }
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_copy_taken_under_writes_opens_and_holds_a_snapshot() {
    let (dir, database) = temp_db();
    let store = Store::open(&database).await.unwrap();
    for id in 1..=200 {
        let chat = ChatId::telegram(id);
        store
            .upsert_chat(chat, ChatKind::Private, None, id)
            .await
            .unwrap();
    }
    let (written, stop) = (
        Arc::new(AtomicI64::new(0)),
        Arc::new(AtomicBool::new(false)),
    );
    let writer = spawn_writer(store.clone(), written.clone(), stop.clone());
    while written.load(Ordering::Relaxed) < 50 {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let before = chats(&database).await;
    let copy = dir.path().join("copy.db");
    let out = backup(&database, dir.path(), &["-o", copy.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written_during = written.load(Ordering::Relaxed);
    while written.load(Ordering::Relaxed) < written_during + 20 {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let copy_url = sqlite_url(&copy);
    let copied = chats(&copy_url).await;
    let now = chats(&database).await;
    assert!(
        before.iter().all(|row| copied.contains(row)),
        "rows written before are in the copy"
    );
    assert!(
        copied.iter().all(|row| now.contains(row)),
        "the copy holds nothing made up"
    );
    assert!(
        copied.len() < now.len(),
        "the writer kept writing after the copy"
    );
    let mut connection = sqlx::SqliteConnection::connect(&copy_url).await.unwrap();
    let (check,): (String,) = sqlx::query_as("PRAGMA integrity_check")
        .fetch_one(&mut connection)
        .await
        .unwrap();
    assert_eq!(check, "ok");
    let (orphans,): (i64,) = sqlx::query_as("SELECT count(*) FROM pragma_foreign_key_check")
        .fetch_one(&mut connection)
        .await
        .unwrap();
    assert_eq!(orphans, 0, "every plan in the copy has its chat");
    connection.close().await.unwrap();

    // No overwrite without --force; the copy is untouched.
    let size = std::fs::metadata(&copy).unwrap().len();
    let out = backup(&database, dir.path(), &["-o", copy.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(std::fs::metadata(&copy).unwrap().len(), size);

    // Writes stopped: a forced copy has exactly the same rows, and opens
    // as the bot's database.
    stop.store(true, Ordering::Relaxed);
    writer.await.unwrap();
    let out = backup(
        &database,
        dir.path(),
        &["-o", copy.to_str().unwrap(), "--force"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(chats(&copy_url).await, chats(&database).await);
    let reopened = Store::open(&copy_url).await.unwrap();
    assert!(
        reopened
            .chat(ChatId::telegram(200))
            .await
            .unwrap()
            .is_some()
    );
    reopened.close().await;
    store.close().await;
}

#[test]
fn postgres_and_missing_databases_are_refused_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.db");
    let target = copy.to_str().unwrap();
    let out = backup(
        "postgres://bot@db.example/studybot",
        dir.path(),
        &["-o", target],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && stderr.contains("pg_dump"),
        "{stderr}"
    );
    let missing = dir.path().join("never.db");
    let url = sqlite_url(&missing);
    let out = backup(&url, dir.path(), &["-o", target]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("no database at") && stderr.contains("never.db"),
        "{stderr}"
    );
    assert!(!missing.exists() && !copy.exists(), "nothing was created");
}
