//! Asks and rounds: which question each chat was given, on which message,
//! whether its answer was revealed, and which questions the chat's current
//! round has already covered.
//!
//! A question of the day's ask carries its local date (`daily_date`, the
//! ledger's date, stored as `YYYY-MM-DD` text); a date that does not read
//! (edited by hand) is logged and read as none, the ask kept.

use std::collections::HashSet;

use jiff::civil::Date;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Backend, Result, Store, chat_from_row};
use crate::domain::{ChatId, MessageId};

/// A question as it was posted to a chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ask {
    pub id: i64,
    pub chat_id: ChatId,
    pub question_id: String,
    pub message_id: Option<MessageId>,
    pub thread_id: Option<i64>,
    pub asked_at: i64,
    pub daily_date: Option<Date>,
    pub revealed_at: Option<i64>,
    pub reveal_message_id: Option<MessageId>,
}

/// What to record once a question was posted.
#[derive(Debug, Clone)]
pub struct NewAsk<'a> {
    pub chat_id: ChatId,
    pub question_id: &'a str,
    pub message_id: Option<MessageId>,
    pub thread_id: Option<i64>,
    pub asked_at: i64,
    pub daily_date: Option<Date>,
}

/// A chat's round as a pick sees it ([`Store::round`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Round {
    /// The questions the current round has covered.
    pub seen: HashSet<String>,
    /// The question of the chat's latest ask, if it had one.
    pub latest: Option<String>,
}

const ASK_COLUMNS: &str = "id, platform, chat_id, question_id, message_id, thread_id, asked_at, daily_date, \
     revealed_at, reveal_message_id";

fn ask_from_row(r: AnyRow) -> Ask {
    let id: i64 = r.get("id");
    Ask {
        id,
        chat_id: chat_from_row(&r, "chat_id"),
        question_id: r.get("question_id"),
        message_id: r.get::<Option<i64>, _>("message_id").map(MessageId),
        thread_id: r.get("thread_id"),
        asked_at: r.get("asked_at"),
        daily_date: daily_date(id, r.get("daily_date")),
        revealed_at: r.get("revealed_at"),
        reveal_message_id: r.get::<Option<i64>, _>("reveal_message_id").map(MessageId),
    }
}

/// An ask's stored daily date; one that does not read is logged and read
/// as none (the ask stays, with no day of the ledger to take).
fn daily_date(ask: i64, text: Option<String>) -> Option<Date> {
    let text = text?;
    let date = super::ledger::stored_date(&text);
    if date.is_none() {
        log::warn!("ask {ask}: its daily date `{text}` does not read as a date; read as none");
    }
    date
}

/// Records a posted question inside the caller's transaction (`record_ask`,
/// `record_sent`): the ask, and the question joins the chat's round.
pub(super) async fn insert_ask(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    ask: &NewAsk<'_>,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO asks
             (platform, chat_id, question_id, message_id, thread_id, asked_at, daily_date)
         VALUES ($7, $1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(ask.chat_id.id)
    .bind(ask.question_id)
    .bind(ask.message_id.map(|m| m.0))
    .bind(ask.thread_id)
    .bind(ask.asked_at)
    .bind(ask.daily_date.map(|d| d.to_string()))
    .bind(ask.chat_id.platform.as_str())
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO seen (platform, chat_id, question_id) VALUES ($3, $1, $2)
         ON CONFLICT (platform, chat_id, question_id) DO NOTHING",
    )
    .bind(ask.chat_id.id)
    .bind(ask.question_id)
    .bind(ask.chat_id.platform.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

impl Store {
    /// Records a posted question: it becomes the chat's current question
    /// and joins the chat's round. Returns the ask's id.
    pub async fn record_ask(&self, ask: &NewAsk<'_>) -> Result<i64> {
        let mut tx = self.pool().begin().await?;
        let id = insert_ask(&mut tx, ask).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The chat's current question: the latest one posted.
    pub async fn current_ask(&self, chat_id: ChatId) -> Result<Option<Ask>> {
        let sql = format!(
            "SELECT {ASK_COLUMNS} FROM asks WHERE platform = $2 AND chat_id = $1
             ORDER BY id DESC LIMIT 1"
        );
        let row = sqlx::query(&sql)
            .bind(chat_id.id)
            .bind(chat_id.platform.as_str())
            .fetch_optional(self.pool())
            .await?;
        Ok(row.map(ask_from_row))
    }

    /// The question posted as `message_id` in this chat, if the bot knows it.
    pub async fn ask_by_message(
        &self,
        chat_id: ChatId,
        message_id: MessageId,
    ) -> Result<Option<Ask>> {
        let sql = format!(
            "SELECT {ASK_COLUMNS} FROM asks WHERE platform = $3 AND chat_id = $1 AND message_id = $2
             ORDER BY id DESC LIMIT 1"
        );
        let row = sqlx::query(&sql)
            .bind(chat_id.id)
            .bind(message_id.0)
            .bind(chat_id.platform.as_str())
            .fetch_optional(self.pool())
            .await?;
        Ok(row.map(ask_from_row))
    }

    pub async fn ask(&self, id: i64) -> Result<Option<Ask>> {
        let sql = format!("SELECT {ASK_COLUMNS} FROM asks WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.map(ask_from_row))
    }

    /// Records that an ask's answer was posted (as `message_id`). Only the
    /// first reveal counts; returns whether this call was it.
    pub async fn mark_revealed(
        &self,
        ask_id: i64,
        message_id: Option<MessageId>,
        at: i64,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE asks SET revealed_at = $2, reveal_message_id = $3
             WHERE id = $1 AND revealed_at IS NULL",
        )
        .bind(ask_id)
        .bind(at)
        .bind(message_id.map(|m| m.0))
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The questions the chat's current round has covered.
    pub async fn seen(&self, chat_id: ChatId) -> Result<HashSet<String>> {
        let ids: Vec<String> =
            sqlx::query_scalar("SELECT question_id FROM seen WHERE platform = $2 AND chat_id = $1")
                .bind(chat_id.id)
                .bind(chat_id.platform.as_str())
                .fetch_all(self.pool())
                .await?;
        Ok(ids.into_iter().collect())
    }

    /// What a pick needs, in one statement (it runs before each `/ask`'s
    /// reply): the questions the chat's round has covered, and the question
    /// of its latest ask, which a new round must not repeat at once.
    pub async fn round(&self, chat_id: ChatId) -> Result<Round> {
        let rows = sqlx::query(
            "SELECT 'seen' AS kind, question_id FROM seen WHERE platform = $2 AND chat_id = $1
             UNION ALL
             SELECT 'latest' AS kind, question_id FROM (
                 SELECT question_id FROM asks WHERE platform = $2 AND chat_id = $1
                 ORDER BY id DESC LIMIT 1
             ) AS latest_ask",
        )
        .bind(chat_id.id)
        .bind(chat_id.platform.as_str())
        .fetch_all(self.pool())
        .await?;
        let mut round = Round::default();
        for row in rows {
            let question_id: String = row.get("question_id");
            if row.get::<String, _>("kind") == "latest" {
                round.latest = Some(question_id);
            } else {
                round.seen.insert(question_id);
            }
        }
        Ok(round)
    }

    /// Adds a question to the chat's round. `/ask` waits for this write
    /// before it replies, so on PostgreSQL its commit does not wait for the
    /// WAL to reach the disk (`synchronous_commit` off for this statement's
    /// transaction alone): the row only keeps a question from coming back
    /// within the round, and a server crash in the next fraction of a second
    /// would at worst let one question come round again. Only a chat's
    /// first row is committed this way too (`Store::first_sight_of_chat`).
    pub async fn mark_seen(&self, chat_id: ChatId, question_id: &str) -> Result<()> {
        let sql = match self.backend() {
            Backend::Sqlite => {
                "INSERT INTO seen (platform, chat_id, question_id) VALUES ($3, $1, $2)
                 ON CONFLICT (platform, chat_id, question_id) DO NOTHING"
            }
            Backend::Postgres => {
                "INSERT INTO seen (platform, chat_id, question_id)
                 SELECT $3, $1, $2 WHERE set_config('synchronous_commit', 'off', true) = 'off'
                 ON CONFLICT (platform, chat_id, question_id) DO NOTHING"
            }
        };
        sqlx::query(sql)
            .bind(chat_id.id)
            .bind(question_id)
            .bind(chat_id.platform.as_str())
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Starts a new round over these questions (the rest of the round stays).
    pub async fn forget_seen(&self, chat_id: ChatId, question_ids: &[&str]) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        for id in question_ids {
            sqlx::query(
                "DELETE FROM seen WHERE platform = $3 AND chat_id = $1 AND question_id = $2",
            )
            .bind(chat_id.id)
            .bind(id)
            .bind(chat_id.platform.as_str())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
#[path = "asks_tests.rs"]
mod tests;
