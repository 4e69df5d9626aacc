//! Asks and rounds as stored: the latest ask, reveals claimed once, rounds
//! read in one statement, and the relaxed commit of a round's new question.

use super::*;
use crate::domain::{ChatKind, Lang};
use crate::store::testing::each_store;

const ONE: ChatId = ChatId::telegram(1);

fn new_ask(chat_id: ChatId, question_id: &str, message_id: i64) -> NewAsk<'_> {
    NewAsk {
        chat_id,
        question_id,
        message_id: Some(MessageId(message_id)),
        thread_id: None,
        asked_at: 100,
        daily_date: None,
    }
}

#[tokio::test]
async fn a_daily_date_that_does_not_read_is_read_as_none() {
    each_store(async |store| {
        let daily = NewAsk {
            daily_date: Some(jiff::civil::date(2026, 12, 1)),
            ..new_ask(ONE, "a", 10)
        };
        let id = store.record_ask(&daily).await.unwrap();
        let ask = store.ask(id).await.unwrap().unwrap();
        assert_eq!(ask.daily_date, daily.daily_date);
        sqlx::query("UPDATE asks SET daily_date = 'someday' WHERE id = $1")
            .bind(id)
            .execute(store.pool())
            .await
            .unwrap();
        let ask = store.ask(id).await.unwrap().expect("the ask is kept");
        assert_eq!((ask.question_id.as_str(), ask.daily_date), ("a", None));
    })
    .await;
}

#[tokio::test]
async fn the_latest_ask_is_current_and_joins_the_round() {
    each_store(async |store| {
        store.record_ask(&new_ask(ONE, "a", 10)).await.unwrap();
        store.record_ask(&new_ask(ONE, "b", 11)).await.unwrap();
        assert_eq!(
            store.current_ask(ONE).await.unwrap().unwrap().question_id,
            "b"
        );
        assert_eq!(
            store
                .ask_by_message(ONE, MessageId(10))
                .await
                .unwrap()
                .unwrap()
                .question_id,
            "a"
        );
        assert_eq!(store.seen(ONE).await.unwrap().len(), 2);
        store.forget_seen(ONE, &["a"]).await.unwrap();
        assert_eq!(
            store.seen(ONE).await.unwrap(),
            HashSet::from(["b".to_string()])
        );
        assert!(
            store
                .current_ask(ChatId::telegram(2))
                .await
                .unwrap()
                .is_none()
        );
    })
    .await;
}

#[tokio::test]
async fn a_round_holds_the_seen_questions_and_the_latest_ask_of_its_chat_only() {
    each_store(async |store| {
        let empty = store.round(ONE).await.unwrap();
        assert_eq!(empty, Round::default());
        store.mark_seen(ONE, "x").await.unwrap();
        store.record_ask(&new_ask(ONE, "a", 10)).await.unwrap();
        store.record_ask(&new_ask(ONE, "b", 11)).await.unwrap();
        let other = ChatId::console(1);
        store.record_ask(&new_ask(other, "c", 12)).await.unwrap();
        let round = store.round(ONE).await.unwrap();
        let seen = ["x", "a", "b"].map(String::from);
        assert_eq!(round.seen, HashSet::from(seen));
        assert_eq!(round.latest.as_deref(), Some("b"));
        // A new round forgets the seen questions, not the latest ask.
        store.forget_seen(ONE, &["x", "a", "b"]).await.unwrap();
        let round = store.round(ONE).await.unwrap();
        assert!(round.seen.is_empty());
        assert_eq!(round.latest.as_deref(), Some("b"));
        assert_eq!(
            store.round(other).await.unwrap().latest.as_deref(),
            Some("c")
        );
    })
    .await;
}

#[tokio::test]
async fn a_relaxed_commit_leaves_the_connection_as_it_was() {
    each_store(async |store| {
        if store.backend() != Backend::Postgres {
            return;
        }
        for question in ["q1", "q2", "q3", "q4", "q5", "q6"] {
            store.mark_seen(ONE, question).await.unwrap();
        }
        // A chat's first row is committed the same way.
        for n in 2..8 {
            let chat = ChatId::telegram(n);
            let row = store.first_sight_of_chat(chat, ChatKind::Private, None, Some(Lang::En), 5);
            assert_eq!(row.await.unwrap().language, Some(Lang::En));
        }
        // Every connection of the pool, held at once: a setting that
        // outlived its statement would show on one of them, and make
        // the next ledger claim's commit there asynchronous too.
        let mut held = Vec::new();
        for _ in 0..store.pool().options().get_max_connections() {
            held.push(store.pool().acquire().await.unwrap());
        }
        for connection in &mut held {
            let setting: String = sqlx::query_scalar("SHOW synchronous_commit")
                .fetch_one(&mut **connection)
                .await
                .unwrap();
            assert_eq!(setting, "on");
        }
        drop(held);
        assert_eq!(store.round(ONE).await.unwrap().seen.len(), 6);
    })
    .await;
}

#[tokio::test]
async fn only_the_first_reveal_counts() {
    each_store(async |store| {
        let id = store.record_ask(&new_ask(ONE, "a", 10)).await.unwrap();
        assert!(
            store
                .mark_revealed(id, Some(MessageId(12)), 5)
                .await
                .unwrap()
        );
        assert!(
            !store
                .mark_revealed(id, Some(MessageId(13)), 6)
                .await
                .unwrap()
        );
        let ask = store.ask(id).await.unwrap().unwrap();
        assert_eq!(
            (ask.revealed_at, ask.reveal_message_id),
            (Some(5), Some(MessageId(12)))
        );
    })
    .await;
}

#[tokio::test]
async fn snowflake_message_ids_and_platforms_keep_asks_apart() {
    each_store(async |store| {
        let channel = ChatId::discord(1_312_345_678_901_234_567).unwrap();
        let snowflake = 1_312_345_678_901_299_999;
        store
            .record_ask(&new_ask(channel, "a", snowflake))
            .await
            .unwrap();
        store
            .record_ask(&new_ask(ChatId::telegram(channel.id), "b", 10))
            .await
            .unwrap();
        let ask = store
            .ask_by_message(channel, MessageId(snowflake))
            .await
            .unwrap()
            .unwrap();
        assert_eq!((ask.chat_id, ask.question_id.as_str()), (channel, "a"));
        assert_eq!(
            store
                .current_ask(channel)
                .await
                .unwrap()
                .unwrap()
                .question_id,
            "a"
        );
        assert_eq!(store.seen(channel).await.unwrap().len(), 1);
    })
    .await;
}
