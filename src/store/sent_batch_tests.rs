//! `record_sent_batch`'s tests, on both backends where they can be: a
//! batch recorded once, again changing nothing; a failed batch leaving
//! nothing; reveals.

use super::*;
use crate::domain::ChatKind;
use crate::store::testing::each_store;
use crate::store::{LedgerKey, LedgerState, NewEntry, PlanRow};

const ONE: ChatId = ChatId::telegram(-1);
const TWO: ChatId = ChatId::telegram(-2);
const DATE: jiff::civil::Date = jiff::civil::date(2026, 12, 1);

async fn claimed(store: &Store, kind: LedgerKind, ask_id: Option<i64>) {
    for chat_id in [ONE, TWO] {
        store
            .upsert_chat(chat_id, ChatKind::Group, None, 0)
            .await
            .unwrap();
        store
            .save_plan(&PlanRow::every_day(chat_id, "09:00", "UTC").unwrap(), 0)
            .await
            .unwrap();
        let entry = NewEntry {
            chat_id,
            local_date: DATE,
            kind,
            question_id: "q1",
            ask_id,
            at: 1,
        };
        assert!(store.claim(&entry).await.unwrap());
    }
    let later = "UPDATE plans SET next_due = 1000";
    sqlx::query(later).execute(store.pool()).await.unwrap();
}

fn key(chat_id: ChatId, kind: LedgerKind) -> LedgerKey {
    LedgerKey {
        chat_id,
        local_date: DATE,
        kind,
    }
}

fn post(chat_id: ChatId, advance_to: i64) -> Sent<'static> {
    Sent {
        key: key(chat_id, LedgerKind::Post),
        item: SentItem::Post(NewAsk {
            chat_id,
            question_id: "q1",
            message_id: Some(MessageId(7)),
            thread_id: None,
            asked_at: 2,
            daily_date: Some(DATE),
        }),
        at: 2,
        advance_to: Some(advance_to),
    }
}

/// Both chats' posts, ONE's twice.
fn posts() -> Vec<Sent<'static>> {
    vec![post(ONE, 100), post(TWO, 200), post(ONE, 100)]
}

async fn is_done_with(store: &Store, chat: ChatId, ask: Option<i64>) {
    let entry = store.entry(chat, DATE, LedgerKind::Post).await.unwrap();
    let entry = entry.unwrap();
    assert_eq!((entry.state, entry.ask_id), (LedgerState::Done, ask));
    let current = store.current_ask(chat).await.unwrap().unwrap();
    assert_eq!(Some(current.id), ask);
}

#[tokio::test]
async fn a_batch_is_recorded_once_and_again_changes_nothing() {
    each_store(async |store| {
        claimed(&store, LedgerKind::Post, None).await;
        let answers = store.record_sent_batch(&posts()).await.unwrap();
        assert!(answers[0].is_some() && answers[1].is_some());
        assert_eq!(answers[2], None, "a second record of the same post");
        is_done_with(&store, ONE, answers[0]).await;
        is_done_with(&store, TWO, answers[1]).await;
        let due = store.due_plans(150, 10, None).await.unwrap();
        let due: Vec<ChatId> = due.iter().map(|p| p.chat_id).collect();
        assert_eq!(due, [ONE], "each plan brought forward to its own instant");
        let again = store.record_sent_batch(&posts()).await.unwrap();
        assert_eq!(again, [None, None, None]);
        is_done_with(&store, ONE, answers[0]).await;
        is_done_with(&store, TWO, answers[1]).await;
    })
    .await;
}

#[tokio::test]
async fn reveals_in_a_batch_are_recorded_once() {
    each_store(async |store| {
        let ask = NewAsk {
            chat_id: ONE,
            ..match posts().remove(0).item {
                SentItem::Post(ask) => ask,
                _ => unreachable!(),
            }
        };
        claimed(&store, LedgerKind::Reveal, None).await;
        let ask_id = store.record_ask(&ask).await.unwrap();
        let reveal = Sent {
            key: key(ONE, LedgerKind::Reveal),
            item: SentItem::Reveal {
                ask_id,
                message_id: MessageId(9),
            },
            at: 50,
            advance_to: None,
        };
        let batch = [reveal.clone(), reveal];
        let answers = store.record_sent_batch(&batch).await.unwrap();
        assert_eq!(answers, [Some(ask_id), None]);
        let ask = store.ask(ask_id).await.unwrap().unwrap();
        assert_eq!(ask.revealed_at, Some(50));
        assert_eq!(ask.reveal_message_id, Some(MessageId(9)));
        let entry = store.entry(TWO, DATE, LedgerKind::Reveal).await.unwrap();
        assert_eq!(
            entry.unwrap().state,
            LedgerState::Claimed,
            "not in the batch"
        );
    })
    .await;
}

/// Its last statement fails: nothing of the batch stays, every claim is
/// still open, and a retry records it whole.
#[tokio::test]
async fn a_failed_batch_records_nothing_and_a_retry_records_it_whole() {
    let store = Store::in_memory().await.unwrap();
    claimed(&store, LedgerKind::Post, None).await;
    let refuse = "CREATE TRIGGER refuse BEFORE UPDATE OF next_due ON plans
                  BEGIN SELECT RAISE(ABORT, 'refused'); END";
    sqlx::query(refuse).execute(store.pool()).await.unwrap();
    assert!(store.record_sent_batch(&posts()).await.is_err());
    for chat in [ONE, TWO] {
        let entry = store.entry(chat, DATE, LedgerKind::Post).await.unwrap();
        assert_eq!(entry.unwrap().state, LedgerState::Claimed);
        assert_eq!(store.current_ask(chat).await.unwrap(), None);
    }
    sqlx::query("DROP TRIGGER refuse")
        .execute(store.pool())
        .await
        .unwrap();
    let answers = store.record_sent_batch(&posts()).await.unwrap();
    is_done_with(&store, ONE, answers[0]).await;
    is_done_with(&store, TWO, answers[1]).await;
}
