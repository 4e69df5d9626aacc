//! What `/suggest` remembers: each person's draft while they type it (so a
//! restart loses none), the prompts a reply answers (a step of a draft, a
//! moderator's reason or corrected text), and the moderation queue. Who may
//! decide, what counts as a duplicate and where an approved question goes
//! are decided in `study::suggestions`, not here.

mod desks;
mod drafts;

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Result, Store};
use crate::domain::{ChatId, PersonId, Platform};

/// Where a suggestion stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuggestionState {
    Pending,
    Approved,
    Rejected,
}

impl SuggestionState {
    pub fn as_str(self) -> &'static str {
        match self {
            SuggestionState::Pending => "pending",
            SuggestionState::Approved => "approved",
            SuggestionState::Rejected => "rejected",
        }
    }

    fn parse(text: &str) -> SuggestionState {
        match text {
            "approved" => SuggestionState::Approved,
            "rejected" => SuggestionState::Rejected,
            _ => SuggestionState::Pending,
        }
    }
}

/// A draft being typed, one a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftRow {
    pub person: PersonId,
    /// The chat whose deck it is for.
    pub chat_id: ChatId,
    pub chat_title: Option<String>,
    /// The step awaiting the person's reply (`question`, `answer`, …).
    pub step: String,
    pub question: Option<String>,
    pub answer: Option<String>,
    pub analysis: Option<String>,
    /// Comma-separated.
    pub tags: Option<String>,
    pub updated_at: i64,
}

/// A prompt the bot sent that a reply answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuggestionPrompt {
    pub person: PersonId,
    pub step: String,
    /// The suggestion a moderator's prompt is about.
    pub suggestion_id: Option<i64>,
    pub at: i64,
}

/// The words of a suggestion: as sent, or as a moderator corrected them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuggestionText {
    pub question: String,
    pub answer: String,
    pub analysis: Option<String>,
    pub tags: Vec<String>,
}

/// A suggestion about to enter the queue.
#[derive(Debug, Clone)]
pub struct NewSuggestion<'a> {
    pub chat_id: ChatId,
    pub chat_title: Option<&'a str>,
    pub person_id: i64,
    pub person_name: &'a str,
    pub text: &'a SuggestionText,
    /// The near-duplicate to show the moderators, if any.
    pub near: Option<&'a str>,
    pub at: i64,
}

/// One stored suggestion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuggestionRow {
    pub id: i64,
    pub chat_id: ChatId,
    pub chat_title: Option<String>,
    pub person: PersonId,
    pub person_name: String,
    pub text: SuggestionText,
    pub near: Option<String>,
    pub state: SuggestionState,
    pub reason: Option<String>,
    pub moderator_name: Option<String>,
    pub question_id: Option<String>,
    pub told: bool,
    pub created_at: i64,
    pub decided_at: Option<i64>,
}

/// A moderator's decision on a pending suggestion.
#[derive(Debug, Clone)]
pub struct Decision<'a> {
    pub state: SuggestionState,
    pub text: &'a SuggestionText,
    pub reason: Option<&'a str>,
    pub moderator_id: i64,
    pub moderator_name: &'a str,
    pub question_id: Option<&'a str>,
    pub at: i64,
}

const COLUMNS: &str = "id, platform, chat_id, chat_title, person_id, person_name, question, \
     answer, analysis, tags, near, state, reason, moderator_name, question_id, told, \
     created_at, decided_at";

pub(super) fn join_tags(tags: &[String]) -> String {
    tags.join(",")
}

pub(super) fn split_tags(tags: &str) -> Vec<String> {
    tags.split(',')
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

fn suggestion_from_row(r: &AnyRow) -> SuggestionRow {
    let platform = Platform::parse(&r.get::<String, _>("platform")).unwrap_or(Platform::Console);
    SuggestionRow {
        id: r.get("id"),
        chat_id: ChatId::new(platform, r.get("chat_id")),
        chat_title: r.get("chat_title"),
        person: PersonId::new(platform, r.get("person_id")),
        person_name: r.get("person_name"),
        text: SuggestionText {
            question: r.get("question"),
            answer: r.get("answer"),
            analysis: r.get("analysis"),
            tags: split_tags(&r.get::<String, _>("tags")),
        },
        near: r.get("near"),
        state: SuggestionState::parse(&r.get::<String, _>("state")),
        reason: r.get("reason"),
        moderator_name: r.get("moderator_name"),
        question_id: r.get("question_id"),
        told: r.get::<i64, _>("told") != 0,
        created_at: r.get("created_at"),
        decided_at: r.get("decided_at"),
    }
}

impl Store {
    /// Queues `suggestion` and drops its author's draft, in one go.
    pub async fn add_suggestion(&self, suggestion: &NewSuggestion<'_>) -> Result<i64> {
        let platform = suggestion.chat_id.platform.as_str();
        let text = suggestion.text;
        let mut tx = self.pool().begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO suggestions (platform, chat_id, chat_title, person_id, person_name,
                 question, answer, analysis, tags, near, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(platform)
        .bind(suggestion.chat_id.id)
        .bind(suggestion.chat_title)
        .bind(suggestion.person_id)
        .bind(suggestion.person_name)
        .bind(&text.question)
        .bind(&text.answer)
        .bind(text.analysis.as_deref())
        .bind(join_tags(&text.tags))
        .bind(suggestion.near)
        .bind(suggestion.at)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM suggestion_drafts WHERE platform = $1 AND person_id = $2")
            .bind(platform)
            .bind(suggestion.person_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn suggestion(&self, platform: Platform, id: i64) -> Result<Option<SuggestionRow>> {
        let sql = format!("SELECT {COLUMNS} FROM suggestions WHERE platform = $1 AND id = $2");
        let row = sqlx::query(&sql)
            .bind(platform.as_str())
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.as_ref().map(suggestion_from_row))
    }

    /// How many suggestions `person` sent at or after unix second `since`.
    pub async fn suggestions_since(&self, person: PersonId, since: i64) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM suggestions
             WHERE platform = $1 AND person_id = $2 AND created_at >= $3",
        )
        .bind(person.platform.as_str())
        .bind(person.id)
        .bind(since)
        .fetch_one(self.pool())
        .await?)
    }

    /// The pending suggestions for `chat`, oldest first.
    pub async fn pending_suggestions(&self, chat: ChatId) -> Result<Vec<SuggestionRow>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM suggestions
             WHERE platform = $1 AND chat_id = $2 AND state = 'pending' ORDER BY id"
        );
        let rows = sqlx::query(&sql)
            .bind(chat.platform.as_str())
            .bind(chat.id)
            .fetch_all(self.pool())
            .await?;
        Ok(rows.iter().map(suggestion_from_row).collect())
    }

    /// The queue for `studybot suggestions`: pending first (oldest first),
    /// then the latest decided; at most `limit`.
    pub async fn suggestion_queue(&self, limit: u32) -> Result<Vec<SuggestionRow>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM suggestions
             ORDER BY CASE WHEN state = 'pending' THEN 0 ELSE 1 END,
                 CASE WHEN state = 'pending' THEN id ELSE -id END
             LIMIT $1"
        );
        let rows = sqlx::query(&sql)
            .bind(i64::from(limit))
            .fetch_all(self.pool())
            .await?;
        Ok(rows.iter().map(suggestion_from_row).collect())
    }

    /// A person's latest suggestions, newest first.
    pub async fn suggestions_of(&self, person: PersonId, limit: u32) -> Result<Vec<SuggestionRow>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM suggestions WHERE platform = $1 AND person_id = $2
             ORDER BY id DESC LIMIT $3"
        );
        let rows = sqlx::query(&sql)
            .bind(person.platform.as_str())
            .bind(person.id)
            .bind(i64::from(limit))
            .fetch_all(self.pool())
            .await?;
        Ok(rows.iter().map(suggestion_from_row).collect())
    }

    /// Decides suggestion `id` if it is still pending; false when another
    /// moderator decided it first.
    pub async fn decide_suggestion(
        &self,
        platform: Platform,
        id: i64,
        decision: &Decision<'_>,
    ) -> Result<bool> {
        let text = decision.text;
        let done = sqlx::query(
            "UPDATE suggestions SET state = $3, question = $4, answer = $5, analysis = $6,
                 tags = $7, reason = $8, moderator_id = $9, moderator_name = $10,
                 question_id = $11, decided_at = $12
             WHERE platform = $1 AND id = $2 AND state = 'pending'",
        )
        .bind(platform.as_str())
        .bind(id)
        .bind(decision.state.as_str())
        .bind(&text.question)
        .bind(&text.answer)
        .bind(text.analysis.as_deref())
        .bind(join_tags(&text.tags))
        .bind(decision.reason)
        .bind(decision.moderator_id)
        .bind(decision.moderator_name)
        .bind(decision.question_id)
        .bind(decision.at)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Puts an approved suggestion back in the queue (its question could
    /// not be written to the deck).
    pub async fn reopen_suggestion(&self, platform: Platform, id: i64) -> Result<()> {
        sqlx::query(
            "UPDATE suggestions SET state = 'pending', moderator_id = NULL,
                 moderator_name = NULL, question_id = NULL, decided_at = NULL
             WHERE platform = $1 AND id = $2",
        )
        .bind(platform.as_str())
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The suggester heard the outcome of `id` (or saw it in `/suggest
    /// status`).
    pub async fn suggestion_told(&self, platform: Platform, id: i64) -> Result<()> {
        sqlx::query("UPDATE suggestions SET told = 1 WHERE platform = $1 AND id = $2")
            .bind(platform.as_str())
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Deletes a person's draft, prompts and pending suggestions, and the
    /// name on their decided ones (an approved question stays in its
    /// deck), inside `/forget`'s transaction.
    pub(super) async fn forget_suggestions(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        person: PersonId,
    ) -> Result<()> {
        for sql in [
            "DELETE FROM suggestion_drafts WHERE platform = $1 AND person_id = $2",
            "DELETE FROM suggestion_prompts WHERE platform = $1 AND person_id = $2",
            "DELETE FROM suggestions WHERE platform = $1 AND person_id = $2 AND state = 'pending'",
            "UPDATE suggestions SET person_name = '' WHERE platform = $1 AND person_id = $2",
        ] {
            sqlx::query(sql)
                .bind(person.platform.as_str())
                .bind(person.id)
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
