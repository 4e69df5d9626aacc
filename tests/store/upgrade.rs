//! A database written by the release before platforms existed (commit
//! 921df1a, dumped in `tests/fixtures/db-921df1a.sql`) opens with today's
//! store, and every row is still there, now as a Telegram chat's.

use crate::support::sqlite_url;
use jiff::SignedDuration;
use sqlx::Connection;
use studybot::domain::{ChatId, ChatKind, MessageId};
use studybot::schedule::{self, Days, RevealRule};
use studybot::store::{LedgerKind, LedgerState, NewAsk, Store};

const DUMP: &str = include_str!("../fixtures/db-921df1a.sql");
const GROUP: ChatId = ChatId::telegram(-1001234567890);
const CHANNEL: ChatId = ChatId::telegram(-100777);

async fn old_database(dir: &tempfile::TempDir) -> String {
    let url = format!("{}?mode=rwc", sqlite_url(&dir.path().join("old.db")));
    let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::raw_sql(DUMP).execute(&mut conn).await.unwrap();
    conn.close().await.unwrap();
    url
}

async fn count(url: &str, table: &str) -> i64 {
    let mut conn = sqlx::SqliteConnection::connect(url).await.unwrap();
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(&mut conn)
        .await
        .unwrap()
}

#[tokio::test]
async fn every_row_of_the_old_release_survives_the_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let url = old_database(&dir).await;
    let before: Vec<i64> = row_counts(&url).await;
    let store = Store::open(&url).await.unwrap();
    assert_eq!(row_counts(&url).await, before, "rows per table");

    let private = store.chat(ChatId::telegram(7)).await.unwrap().unwrap();
    assert_eq!(
        (private.kind, private.language, private.active),
        (ChatKind::Private, Some(studybot::domain::Lang::En), true)
    );
    let group = store.chat(GROUP).await.unwrap().unwrap();
    assert_eq!(group.title.as_deref(), Some("Study group"));
    let zone = group.timezone.map(|z| z.name);
    assert_eq!(zone.as_deref(), Some("Asia/Shanghai"));
    assert!(!store.chat(CHANNEL).await.unwrap().unwrap().active);
    assert!(store.chat(ChatId::telegram(-42)).await.unwrap().is_some());
    // Nothing is taken for another platform's.
    assert!(
        store
            .chat(ChatId::discord(7).unwrap())
            .await
            .unwrap()
            .is_none()
    );

    let revealed = store.ask(1).await.unwrap().unwrap();
    assert_eq!(
        (
            revealed.chat_id,
            revealed.message_id,
            revealed.reveal_message_id
        ),
        (
            ChatId::telegram(7),
            Some(MessageId(10)),
            Some(MessageId(11))
        )
    );
    let daily = store
        .ask_by_message(GROUP, MessageId(2_000_000_000))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (daily.id, daily.thread_id, daily.daily_date),
        (2, Some(5), Some(jiff::civil::date(2026, 11, 30)))
    );
    assert_eq!(
        store
            .current_ask(ChatId::telegram(-42))
            .await
            .unwrap()
            .unwrap()
            .id,
        3
    );
    let seen = store.seen(GROUP).await.unwrap();
    assert!(seen.contains("moat") && seen.contains("overfitting"));

    let plan = store.plan(GROUP).await.unwrap().unwrap();
    assert_eq!(
        (
            schedule::format_time(plan.plan.time),
            plan.plan.filter.tags_text(),
            plan.plan.reveal,
            plan.thread_id
        ),
        (
            "09:00".to_string(),
            Some("training".to_string()),
            RevealRule::After(SignedDuration::from_hours(6)),
            Some(5)
        )
    );
    // Plans from before day rules and operator files mean every day,
    // from any date, set in the chat.
    assert_eq!(
        (
            plan.plan.days,
            plan.plan.starts_on,
            plan.plan.filter.deck.as_deref(),
            plan.set_by_operator
        ),
        (Days::Every, None, None, false)
    );
    assert!(store.plan(CHANNEL).await.unwrap().unwrap().paused);
    let running: Vec<ChatId> = store
        .running_plans()
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.chat_id)
        .collect();
    assert_eq!(running, vec![GROUP]);

    let post = store
        .entry(GROUP, jiff::civil::date(2026, 11, 30), LedgerKind::Post)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((post.state, post.ask_id), (LedgerState::Done, Some(2)));
    let claimed = store.claimed_entries().await.unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(
        (claimed[0].chat_id, claimed[0].kind),
        (GROUP, LedgerKind::Reveal)
    );
    let skipped = store
        .latest_entry(CHANNEL, LedgerKind::Post)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(skipped.state, LedgerState::Skipped);

    // Ask ids continue after the old ones: the ledger's ask_ids stay unique.
    let next = store
        .record_ask(&NewAsk {
            chat_id: GROUP,
            question_id: "moat",
            message_id: Some(MessageId(1 << 40)),
            thread_id: None,
            asked_at: 1_800_000_000,
            daily_date: None,
        })
        .await
        .unwrap();
    assert_eq!(next, 4);
    store.close().await;
    // And it opens again without migrating twice.
    let store = Store::open(&url).await.unwrap();
    assert_eq!(
        store.ask(4).await.unwrap().unwrap().message_id,
        Some(MessageId(1 << 40))
    );
}

async fn row_counts(url: &str) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in ["chats", "asks", "seen", "plans", "daily_ledger"] {
        counts.push(count(url, table).await);
    }
    counts
}
