//! `studybot suggestions`: the moderation queue from the database, pending
//! first with any near-duplicate, then the decided ones with who decided;
//! a database that is not there, or is locked, said so plainly.

use std::path::Path;
use std::process::Output;

use crate::support::{studybot, temp_db};
use sqlx::Connection;
use studybot::domain::{ChatId, Platform};
use studybot::store::{Decision, NewSuggestion, Store, SuggestionState, SuggestionText};

fn list(database: &str, dir: &Path) -> Output {
    studybot(["suggestions"], dir)
        .env("STUDYBOT_DATABASE", database)
        .output()
        .expect("studybot runs")
}

fn text(question: &str) -> SuggestionText {
    SuggestionText {
        question: question.to_string(),
        answer: "An answer.".to_string(),
        analysis: None,
        tags: vec!["ml".to_string()],
    }
}

async fn queue(store: &Store, question: &str, near: Option<&str>, at: i64) -> i64 {
    let text = text(question);
    let new = NewSuggestion {
        chat_id: ChatId::telegram(-1_005_020),
        chat_title: Some("Study group"),
        person_id: 20,
        person_name: "Ann",
        text: &text,
        near,
        at,
    };
    store.add_suggestion(&new).await.unwrap()
}

#[tokio::test]
async fn the_queue_lists_pending_first_with_near_duplicates() {
    let (dir, database) = temp_db();
    let store = Store::open(&database).await.unwrap();
    let decided = queue(
        &store,
        "Old question?\nwith a second line",
        None,
        1_772_400_000,
    )
    .await;
    let near = Some("#1: Old question? (71%)");
    let pending = queue(&store, "New question?", near, 1_772_420_000).await;
    let text = text("Old question, fixed?");
    let rejected = Decision {
        state: SuggestionState::Rejected,
        text: &text,
        reason: Some("Too vague."),
        moderator_id: 520,
        moderator_name: "Mo",
        question_id: None,
        at: 1_772_410_000,
    };
    assert!(
        store
            .decide_suggestion(Platform::Telegram, decided, &rejected)
            .await
            .unwrap()
    );
    store.close().await;

    let out = list(&database, dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed = String::from_utf8(out.stdout).unwrap();
    let first = listed.find(&format!("#{pending} pending")).expect(&listed);
    let second = listed.find(&format!("#{decided} rejected")).expect(&listed);
    assert!(first < second, "pending first:\n{listed}");
    for part in [
        "2026-03-02 02:53 UTC",
        "chat: Study group (telegram:-1005020), from: Ann (telegram:20)",
        "Q: New question?",
        "near-duplicate: #1: Old question? (71%)",
        "rejected by Mo: Too vague.",
    ] {
        assert!(listed.contains(part), "{part} in:\n{listed}");
    }
    assert!(!listed.contains("second line"), "{listed}");
}

#[tokio::test]
async fn a_missing_or_locked_database_is_named() {
    let (dir, database) = temp_db();
    let out = list(&database, dir.path());
    assert!(!out.status.success());
    let error = String::from_utf8(out.stderr).unwrap();
    assert!(error.contains("there is no database at"), "{error}");
    assert!(!dir.path().join("bot.db").exists(), "nothing was created");

    Store::open(&database).await.unwrap().close().await;
    let mut holder = sqlx::SqliteConnection::connect(&database).await.unwrap();
    sqlx::query("BEGIN EXCLUSIVE")
        .execute(&mut holder)
        .await
        .unwrap();
    let out = list(&database, dir.path());
    assert!(!out.status.success());
    let error = String::from_utf8(out.stderr).unwrap();
    assert!(error.contains("is locked by another process"), "{error}");
}
