//! The long commands (`import` of several documents, `backup`,
//! `migrate-store`) with stderr piped, as in CI: they say what they did in
//! plain summary lines, with no carriage return and no escape sequence.

use std::path::Path;
use std::process::Output;

use crate::support::{sqlite_url, studybot, temp_db};
use studybot::domain::{ChatId, ChatKind};
use studybot::store::Store;

fn run(args: &[&str], dir: &Path, database: &str) -> (Output, String) {
    let out = studybot(args, dir)
        .env("STUDYBOT_DATABASE", database)
        .output()
        .expect("studybot runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{args:?}: {stderr}");
    (out, stderr)
}

fn assert_plain(stderr: &str) {
    assert!(!stderr.contains('\r'), "a carriage return in {stderr:?}");
    assert!(!stderr.contains('\x1b'), "an escape sequence in {stderr:?}");
}

/// A database of `chats` chats, as the bot would leave it.
async fn database_of(chats: i64) -> (std::sync::Arc<tempfile::TempDir>, String) {
    let (dir, database) = temp_db();
    let store = Store::open(&database).await.unwrap();
    for id in 1..=chats {
        store
            .upsert_chat(ChatId::telegram(id), ChatKind::Group, Some("g"), id)
            .await
            .unwrap();
    }
    store.close().await;
    (dir, database)
}

#[test]
fn an_import_of_several_documents_ends_with_one_summary_line() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("decks");
    std::fs::create_dir(&out_dir).unwrap();
    let mut args = vec!["import".to_string()];
    for name in ["one", "two", "three"] {
        let text = format!("# {name}\n\n## What is {name}?\n\nIt is {name}.\n");
        std::fs::write(dir.path().join(format!("{name}.md")), text).unwrap();
        args.push(format!("{name}.md"));
    }
    args.extend(["-o".to_string(), "decks".to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (_, stderr) = run(&args, dir.path(), "sqlite::memory:");
    assert_plain(&stderr);
    let last = stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("import: 3 files, 3 questions, ") && last.contains(" B in "),
        "{stderr}"
    );
    assert_eq!(
        stderr
            .lines()
            .filter(|l| l.contains("1 question imported"))
            .count(),
        3,
        "each document's own line stays: {stderr}"
    );
}

#[tokio::test]
async fn a_backup_says_what_it_copies_and_how_fast() {
    let (dir, database) = database_of(300).await;
    let copy = dir.path().join("copy.db");
    let (out, stderr) = run(
        &["backup", "-o", copy.to_str().unwrap()],
        dir.path(),
        &database,
    );
    assert_plain(&stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(lines[0].starts_with("backup: copying about "), "{stderr}");
    assert!(
        lines[1].starts_with("backup: ") && lines[1].contains("KiB in "),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("studybot: copied"), "{stdout}");
}

#[tokio::test]
async fn a_migration_reports_each_table_then_the_total() {
    let (dir, database) = database_of(300).await;
    let target = sqlite_url(&dir.path().join("moved.db"));
    let (out, stderr) = run(
        &["migrate-store", "--from", &database, "--to", &target],
        dir.path(),
        &database,
    );
    assert_plain(&stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    // A line a table (however many the schema has), then the total.
    let tables = lines.len() - 1;
    assert!(tables >= 15, "a line a table and the total: {stderr}");
    assert_eq!(
        lines[0],
        format!("migrate-store: 1/{tables} tables, 300/300 rows (chats done)")
    );
    for (i, line) in lines[..tables].iter().enumerate() {
        let counted = format!("migrate-store: {}/{tables} tables, 300/300 rows (", i + 1);
        assert!(line.starts_with(&counted), "{line}");
    }
    assert!(
        lines[tables].starts_with(&format!("migrate-store: {tables} tables, 300 rows in ")),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("chats") && stdout.contains("300 rows"));
}
