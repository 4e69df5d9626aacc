//! A person's draft while they type it, and the prompts a reply answers.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{DraftRow, SuggestionPrompt};
use crate::domain::{ChatId, MessageId, PersonId, Platform};
use crate::store::{Result, Store};

fn draft_from_row(platform: Platform, r: &AnyRow) -> DraftRow {
    DraftRow {
        person: PersonId::new(platform, r.get("person_id")),
        chat_id: ChatId::new(platform, r.get("chat_id")),
        chat_title: r.get("chat_title"),
        step: r.get("step"),
        question: r.get("question"),
        answer: r.get("answer"),
        analysis: r.get("analysis"),
        tags: r.get("tags"),
        updated_at: r.get("updated_at"),
    }
}

impl Store {
    /// Writes a person's whole draft (one a person).
    pub async fn save_draft(&self, draft: &DraftRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO suggestion_drafts (platform, person_id, chat_id, chat_title, step,
                 question, answer, analysis, tags, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             ON CONFLICT (platform, person_id) DO UPDATE SET chat_id = $3, chat_title = $4,
                 step = $5, question = $6, answer = $7, analysis = $8, tags = $9,
                 updated_at = $10",
        )
        .bind(draft.person.platform.as_str())
        .bind(draft.person.id)
        .bind(draft.chat_id.id)
        .bind(draft.chat_title.as_deref())
        .bind(&draft.step)
        .bind(draft.question.as_deref())
        .bind(draft.answer.as_deref())
        .bind(draft.analysis.as_deref())
        .bind(draft.tags.as_deref())
        .bind(draft.updated_at)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn draft(&self, person: PersonId) -> Result<Option<DraftRow>> {
        let row = sqlx::query(
            "SELECT person_id, chat_id, chat_title, step, question, answer, analysis, tags,
                 updated_at
             FROM suggestion_drafts WHERE platform = $1 AND person_id = $2",
        )
        .bind(person.platform.as_str())
        .bind(person.id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|r| draft_from_row(person.platform, &r)))
    }

    pub async fn delete_draft(&self, person: PersonId) -> Result<bool> {
        let gone =
            sqlx::query("DELETE FROM suggestion_drafts WHERE platform = $1 AND person_id = $2")
                .bind(person.platform.as_str())
                .bind(person.id)
                .execute(self.pool())
                .await?;
        Ok(gone.rows_affected() > 0)
    }

    /// Remembers that `message` in `chat` asks for `prompt`'s reply.
    pub async fn save_suggestion_prompt(
        &self,
        chat: ChatId,
        message: MessageId,
        prompt: &SuggestionPrompt,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO suggestion_prompts
                 (platform, chat_id, message_id, person_id, step, suggestion_id, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (platform, chat_id, message_id) DO UPDATE SET
                 person_id = $4, step = $5, suggestion_id = $6, at = $7",
        )
        .bind(chat.platform.as_str())
        .bind(chat.id)
        .bind(message.0)
        .bind(prompt.person.id)
        .bind(&prompt.step)
        .bind(prompt.suggestion_id)
        .bind(prompt.at)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn suggestion_prompt(
        &self,
        chat: ChatId,
        message: MessageId,
    ) -> Result<Option<SuggestionPrompt>> {
        let row = sqlx::query(
            "SELECT person_id, step, suggestion_id, at FROM suggestion_prompts
             WHERE platform = $1 AND chat_id = $2 AND message_id = $3",
        )
        .bind(chat.platform.as_str())
        .bind(chat.id)
        .bind(message.0)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|r| SuggestionPrompt {
            person: PersonId::new(chat.platform, r.get("person_id")),
            step: r.get("step"),
            suggestion_id: r.get("suggestion_id"),
            at: r.get("at"),
        }))
    }

    pub async fn delete_suggestion_prompt(&self, chat: ChatId, message: MessageId) -> Result<()> {
        sqlx::query(
            "DELETE FROM suggestion_prompts
             WHERE platform = $1 AND chat_id = $2 AND message_id = $3",
        )
        .bind(chat.platform.as_str())
        .bind(chat.id)
        .bind(message.0)
        .execute(self.pool())
        .await?;
        Ok(())
    }
}
