//! Recording what went out, all of it in one transaction per item.
//!
//! A daily item that was sent must be recorded exactly once: its ledger row
//! done, the question's ask (or the reveal) written, its plan's next instant
//! brought forward. Written statement by statement, a store error between
//! them left half a record and a claim that a resume would send again. In
//! one transaction that starts by moving the ledger row from `claimed` to
//! `done`, a failed record changes nothing and can simply be tried again,
//! and a retry after a commit whose answer was lost changes nothing either.

use super::asks::{NewAsk, insert_ask};
use super::{LedgerKey, Result, Store};
use crate::domain::MessageId;

/// What went out for one claimed ledger row.
#[derive(Debug, Clone)]
pub enum SentItem<'a> {
    /// A daily question: its ask is recorded (and joins the round).
    Post(NewAsk<'a>),
    /// A reveal of the ask `ask_id`, as `message_id`.
    Reveal { ask_id: i64, message_id: MessageId },
    /// A reminder or digest: only the ledger row.
    Nudge,
}

/// One sent item to record.
#[derive(Debug, Clone)]
pub struct Sent<'a> {
    pub key: LedgerKey,
    pub item: SentItem<'a>,
    pub at: i64,
    /// Bring the plan's next instant forward to this (a reveal to schedule).
    pub advance_to: Option<i64>,
}

impl Store {
    /// Records `sent` in one transaction. Returns the ask it made or
    /// revealed, or `None` when the row was no longer claimed (recorded
    /// already, e.g. by an earlier try whose commit answer was lost).
    pub async fn record_sent(&self, sent: &Sent<'_>) -> Result<Option<i64>> {
        let key = sent.key;
        let mut tx = self.pool().begin().await?;
        let ask_id = match &sent.item {
            SentItem::Post(ask) => Some(insert_ask(&mut tx, ask).await?),
            SentItem::Reveal { ask_id, .. } => Some(*ask_id),
            SentItem::Nudge => None,
        };
        let query = sqlx::query(
            "UPDATE daily_ledger SET state = 'done', at = $5, ask_id = COALESCE($6, ask_id)
             WHERE platform = $1 AND chat_id = $2 AND local_date = $3 AND kind = $4
                 AND state = 'claimed'",
        );
        let claimed = key
            .bind_to(query)
            .bind(sent.at)
            .bind(ask_id)
            .execute(&mut *tx)
            .await?;
        if claimed.rows_affected() == 0 {
            tx.rollback().await?;
            return Ok(None);
        }
        if let SentItem::Reveal { ask_id, message_id } = &sent.item {
            sqlx::query(
                "UPDATE asks SET revealed_at = $2, reveal_message_id = $3
                 WHERE id = $1 AND revealed_at IS NULL",
            )
            .bind(ask_id)
            .bind(sent.at)
            .bind(message_id.0)
            .execute(&mut *tx)
            .await?;
        }
        if let Some(at) = sent.advance_to {
            sqlx::query(
                "UPDATE plans SET next_due = CASE WHEN next_due < $1 THEN next_due ELSE $1 END
                 WHERE chat_id = $2 AND platform = $3",
            )
            .bind(at)
            .bind(key.chat_id.id)
            .bind(key.chat_id.platform.as_str())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(ask_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ChatId, ChatKind};
    use crate::store::testing::each_store;
    use crate::store::{LedgerKind, LedgerState, NewEntry, PlanRow};

    const CHAT: ChatId = ChatId::telegram(-5);
    const DATE: jiff::civil::Date = jiff::civil::date(2026, 12, 1);

    async fn claimed(store: &Store) {
        store
            .upsert_chat(CHAT, ChatKind::Group, None, 0)
            .await
            .unwrap();
        store
            .save_plan(&PlanRow::every_day(CHAT, "09:00", "UTC").unwrap(), 0)
            .await
            .unwrap();
        let entry = NewEntry {
            chat_id: CHAT,
            local_date: DATE,
            kind: LedgerKind::Post,
            question_id: "q1",
            ask_id: None,
            at: 1,
        };
        assert!(store.claim(&entry).await.unwrap());
    }

    fn sent() -> Sent<'static> {
        Sent {
            key: LedgerKey {
                chat_id: CHAT,
                local_date: DATE,
                kind: LedgerKind::Post,
            },
            item: SentItem::Post(NewAsk {
                chat_id: CHAT,
                question_id: "q1",
                message_id: Some(MessageId(7)),
                thread_id: None,
                asked_at: 2,
                daily_date: Some(DATE),
            }),
            at: 2,
            advance_to: Some(100),
        }
    }

    #[tokio::test]
    async fn a_second_record_of_the_same_post_changes_nothing() {
        each_store(async |store| {
            claimed(&store).await;
            let ask = store.record_sent(&sent()).await.unwrap();
            assert!(ask.is_some());
            assert_eq!(store.record_sent(&sent()).await.unwrap(), None);
            let entry = store.entry(CHAT, DATE, LedgerKind::Post).await.unwrap();
            let entry = entry.unwrap();
            assert_eq!((entry.state, entry.ask_id), (LedgerState::Done, ask));
            assert_eq!(
                store.current_ask(CHAT).await.unwrap().unwrap().id,
                ask.unwrap()
            );
        })
        .await;
    }

    /// Its last statement fails: nothing of the record stays, the claim is
    /// still open, and a retry records it whole.
    #[tokio::test]
    async fn a_failed_record_leaves_nothing_behind() {
        let store = Store::in_memory().await.unwrap();
        claimed(&store).await;
        let refuse = "CREATE TRIGGER refuse BEFORE UPDATE OF next_due ON plans
                      BEGIN SELECT RAISE(ABORT, 'refused'); END";
        sqlx::query(refuse).execute(store.pool()).await.unwrap();
        assert!(store.record_sent(&sent()).await.is_err());
        let entry = store.entry(CHAT, DATE, LedgerKind::Post).await.unwrap();
        assert_eq!(entry.unwrap().state, LedgerState::Claimed);
        assert_eq!(store.current_ask(CHAT).await.unwrap(), None);
        sqlx::query("DROP TRIGGER refuse")
            .execute(store.pool())
            .await
            .unwrap();
        assert!(store.record_sent(&sent()).await.unwrap().is_some());
        let entry = store.entry(CHAT, DATE, LedgerKind::Post).await.unwrap();
        assert_eq!(entry.unwrap().state, LedgerState::Done);
    }
}
