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
    pub key: LedgerKey<'a>,
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
        let claimed = sqlx::query(
            "UPDATE daily_ledger SET state = 'done', at = $5, ask_id = COALESCE($6, ask_id)
             WHERE platform = $1 AND chat_id = $2 AND local_date = $3 AND kind = $4
                 AND state = 'claimed'",
        )
        .bind(key.chat_id.platform.as_str())
        .bind(key.chat_id.id)
        .bind(key.local_date)
        .bind(key.kind.as_str())
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
