//! `studybot migrate-store`: every row of every table goes SQLite →
//! PostgreSQL → SQLite unchanged, an ask made afterwards gets a fresh id on
//! each side, and a target that holds anything is refused. The PostgreSQL
//! legs need STUDYBOT_TEST_POSTGRES; the SQLite → SQLite command runs always.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::sqlite_url;
use sqlx::{AnyConnection, Column, Connection, Row};
use studybot::domain::{ChatId, ChatKind, MessageId, PersonId, Platform};
use studybot::store::testing::{PgSchema, postgres_url};
use studybot::store::{
    CardRow, CopyError, DigestRow, LedgerKind, NewAsk, NewEntry, NewReport, NewReview, PinRow,
    PlanRow, PollRow, PromptRow, QuestionMessage, ReminderRow, Store, copy_store,
};
use studybot::store::{
    Decision, DraftRow, NewSuggestion, SuggestionPrompt, SuggestionState, SuggestionText,
};

const TABLES: [&str; 20] = [
    "chats",
    "plans",
    "asks",
    "seen",
    "daily_ledger",
    "people",
    "reviews",
    "cards",
    "reminders",
    "digests",
    "choice_answers",
    "quiz_polls",
    "pins",
    "report_prompts",
    "reports",
    "suggestions",
    "suggestion_drafts",
    "suggestion_prompts",
    "suggestion_desks",
    "suggestion_spaces",
];

const GROUP: ChatId = ChatId::telegram(-1005);
const ANN: PersonId = PersonId::new(Platform::Telegram, 7);

fn ask(question_id: &str, message_id: i64) -> NewAsk<'_> {
    NewAsk {
        chat_id: GROUP,
        question_id,
        message_id: Some(MessageId(message_id)),
        thread_id: Some(3),
        asked_at: 1_000 + message_id,
        daily_date: Some(jiff::civil::date(2026, 12, 1)),
    }
}

/// A row in every table, with NULLs, a real number, a claim with an owner
/// and ids with a gap.
async fn fill(store: &Store) {
    store
        .upsert_chat(GROUP, ChatKind::Supergroup, Some("Study"), 1)
        .await
        .unwrap();
    store
        .upsert_chat(ChatId::telegram(7), ChatKind::Private, None, 1)
        .await
        .unwrap();
    let mut plan = PlanRow::every_day(GROUP, "09:00", "Asia/Shanghai").unwrap();
    plan.plan.filter.tags = vec!["go".to_string(), "rust".to_string()];
    store.save_plan(&plan, 2).await.unwrap();
    for (question, message) in [("q1", 10), ("q2", 11), ("q3", 12)] {
        store.record_ask(&ask(question, message)).await.unwrap();
    }
    let entry = NewEntry {
        chat_id: GROUP,
        local_date: jiff::civil::date(2026, 12, 1),
        kind: LedgerKind::Post,
        question_id: "q3",
        ask_id: Some(3),
        at: 5,
    };
    store.with_owner(42).claim(&entry).await.unwrap();
    let review = NewReview {
        person: ANN,
        name: Some("Ann"),
        chat: GROUP,
        message_id: 13,
        question_id: "q1",
        grade: 3,
        at: 2_000,
    };
    let card = CardRow {
        stability: 2.753_1,
        difficulty: 4.5,
        due: 90_000,
        reps: 1,
        lapses: 0,
        last_review: 2_000,
        scheduled_days: 1,
    };
    store
        .rate(&review, |h| Some((card.clone(), vec![false; h.len()])))
        .await
        .unwrap();
    let reminder = ReminderRow {
        person: ANN,
        chat_id: ChatId::telegram(7),
        time: jiff::civil::time(20, 0, 0, 0),
        zone: jiff::tz::TimeZone::get("Europe/Berlin").unwrap(),
        zone_name: "Europe/Berlin".to_string(),
    };
    store.save_reminder(&reminder, 3).await.unwrap();
    let digest = DigestRow {
        chat_id: GROUP,
        plan: studybot::schedule::WeeklyPlan::from_parts("1", "09:00", "UTC").unwrap(),
        thread_id: None,
    };
    store.save_digest(&digest, 3).await.unwrap();
    let question = QuestionMessage {
        chat_id: GROUP,
        message_id: MessageId(10),
    };
    store.set_choice(question, ANN, 2, 4).await.unwrap();
    let poll = PollRow {
        question,
        poll_message_id: MessageId(14),
        anonymous: true,
    };
    store.record_poll("poll-1", &poll).await.unwrap();
    let pin = PinRow {
        enabled: true,
        message_id: Some(MessageId(10)),
        warned: false,
    };
    store.save_pin(GROUP, pin, 4).await.unwrap();
    let prompt = PromptRow {
        person: ANN,
        question_id: "q2".to_string(),
        at: 6,
    };
    store
        .save_prompt(GROUP, MessageId(15), &prompt)
        .await
        .unwrap();
    for text in ["typo", "gone", "wrong"] {
        let report = NewReport {
            chat_id: GROUP,
            chat_title: Some("Study"),
            person_id: if text == "gone" { 8 } else { ANN.id },
            question_id: "q1",
            text,
            at: 7,
        };
        store.save_report(None, &report).await.unwrap();
    }
    fill_suggestions(store).await;
    // Report 2 and suggestion 2 are gone: the copy keeps ids 1 and 3.
    let gone = store
        .forget_person(PersonId::new(Platform::Telegram, 8), ChatId::telegram(8))
        .await
        .unwrap();
    assert_eq!(gone.reports, 1);
}

/// A decided suggestion (ids with a gap), a pending one, a draft and a
/// prompt.
async fn fill_suggestions(store: &Store) {
    let text = SuggestionText {
        question: "Why?".to_string(),
        answer: "Because.".to_string(),
        analysis: None,
        tags: vec!["ml".to_string()],
    };
    for near in [None, Some("q1: Q1 (70%)"), None] {
        let new = NewSuggestion {
            chat_id: GROUP,
            chat_title: Some("Study"),
            // The second is Bob's (8), pending when he is forgotten below.
            person_id: if near.is_some() { 8 } else { ANN.id },
            person_name: "Ann",
            text: &text,
            near,
            at: 8,
        };
        store.add_suggestion(&new).await.unwrap();
    }
    let decision = Decision {
        state: SuggestionState::Approved,
        text: &text,
        reason: None,
        moderator_id: 9,
        moderator_name: "Mo",
        question_id: Some("community-telegram-m1005-1"),
        at: 9,
    };
    assert!(
        store
            .decide_suggestion(Platform::Telegram, 1, &decision)
            .await
            .unwrap()
    );
    let draft = DraftRow {
        person: ANN,
        chat_id: GROUP,
        chat_title: None,
        step: "answer".to_string(),
        question: Some("How?".to_string()),
        answer: None,
        analysis: None,
        tags: None,
        updated_at: 10,
    };
    store.save_draft(&draft).await.unwrap();
    let prompt = SuggestionPrompt {
        person: ANN,
        step: "answer".to_string(),
        suggestion_id: None,
        at: 10,
    };
    store
        .save_suggestion_prompt(ChatId::telegram(7), MessageId(16), &prompt)
        .await
        .unwrap();
    // A Discord server's moderation channel, and the server of a suggestion.
    let desk = ChatId::new(Platform::Discord, 1_234_567_890_123_456_789);
    store.set_suggestion_desk(42, desk, 7, 11).await.unwrap();
    store
        .set_suggestion_space(Platform::Discord, 3, 42)
        .await
        .unwrap();
}

/// Every row of every table as text, columns by name, rows sorted: equal
/// dumps mean equal databases, whatever the column order of each.
async fn dump(url: &str) -> BTreeMap<&'static str, Vec<String>> {
    sqlx::any::install_default_drivers();
    let mut conn = AnyConnection::connect(url).await.unwrap();
    let mut tables = BTreeMap::new();
    for table in TABLES {
        let rows = sqlx::query(&format!("SELECT * FROM {table}"))
            .fetch_all(&mut conn)
            .await
            .unwrap();
        let mut texts: Vec<String> = rows
            .iter()
            .map(|row| {
                let mut cells: Vec<String> = row
                    .columns()
                    .iter()
                    .map(|c| format!("{}={}", c.name(), cell(row, c.ordinal())))
                    .collect();
                cells.sort();
                cells.join(" ")
            })
            .collect();
        texts.sort();
        tables.insert(table, texts);
    }
    conn.close().await.unwrap();
    tables
}

fn cell(row: &sqlx::any::AnyRow, i: usize) -> String {
    if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
        return format!("{v:?}");
    }
    if let Ok(v) = row.try_get::<Option<f64>, _>(i) {
        return format!("{v:?}");
    }
    format!("{:?}", row.try_get::<Option<String>, _>(i).unwrap())
}

/// Opens `url` and records one more ask: its id.
async fn next_ask_id(url: &str) -> i64 {
    let store = Store::open(url).await.unwrap();
    let id = store.record_ask(&ask("q9", 99)).await.unwrap();
    store.close().await;
    id
}

#[tokio::test]
async fn every_row_goes_to_postgres_and_back_and_ids_continue() {
    let Some(base) = postgres_url() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (first, back) = (
        sqlite_url(&dir.path().join("first.db")),
        sqlite_url(&dir.path().join("back.db")),
    );
    let store = Store::open(&first).await.unwrap();
    fill(&store).await;
    store.close().await;
    let original = dump(&first).await;
    assert!(
        original.values().all(|rows| !rows.is_empty()),
        "{original:?}"
    );

    let schema = PgSchema::create(&base).await.unwrap();
    let postgres = schema.url().to_string();
    schema
        .run_then_drop(async {
            let counts = copy_store(&first, &postgres).await.unwrap();
            let copied: Vec<(&str, u64)> = counts.iter().map(|c| (c.table, c.rows)).collect();
            let expected: Vec<(&str, u64)> = original
                .iter()
                .map(|(table, rows)| (*table, rows.len() as u64))
                .collect();
            let mut sorted = copied.clone();
            sorted.sort();
            assert_eq!(sorted, expected);
            assert_eq!(dump(&postgres).await, original, "SQLite → PostgreSQL");

            let again = copy_store(&first, &postgres).await.unwrap_err();
            assert!(matches!(again, CopyError::TargetNotEmpty { .. }), "{again}");
            assert_eq!(dump(&postgres).await, original, "a refusal writes nothing");

            copy_store(&postgres, &back).await.unwrap();
            assert_eq!(dump(&back).await, original, "PostgreSQL → SQLite");
            assert_eq!(
                next_ask_id(&postgres).await,
                4,
                "PostgreSQL's sequence moved on"
            );
            assert_eq!(next_ask_id(&back).await, 4, "SQLite's too");
        })
        .await;
}

fn migrate_store(dir: &Path, from: &str, to: &str) -> (bool, String, String) {
    let out = crate::support::studybot(["migrate-store", "--from", from, "--to", to], dir)
        .output()
        .expect("studybot runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn the_command_prints_each_table_and_refuses_a_target_with_rows() {
    let dir = tempfile::tempdir().unwrap();
    let (from, to) = (
        sqlite_url(&dir.path().join("a.db")),
        sqlite_url(&dir.path().join("b.db")),
    );
    let store = Store::open(&from).await.unwrap();
    fill(&store).await;
    store.close().await;
    let (ok, stdout, stderr) = migrate_store(dir.path(), &from, &to);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("asks") && stdout.contains("3 rows"),
        "{stdout}"
    );
    assert!(
        stdout.contains("reports") && stdout.contains("2 rows"),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), TABLES.len() + 1, "{stdout}");
    assert_eq!(dump(&to).await, dump(&from).await);

    let (ok, stdout, stderr) = migrate_store(dir.path(), &from, &to);
    assert!(!ok && stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains("already holds data") && stderr.contains("empty database"),
        "{stderr}"
    );
    let (ok, _, stderr) = migrate_store(dir.path(), &from, &from);
    assert!(!ok && stderr.contains("same database"), "{stderr}");
}
