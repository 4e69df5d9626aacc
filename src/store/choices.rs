//! Quiz answers: each person's choice on a posted question, and the native
//! poll (Telegram's quiz poll) a platform posted for it, so the reveal can
//! say how the group answered even after a restart. Both are keyed by the
//! question's message. Rules (who may still answer, what a summary says)
//! live in `study`.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Result, Store, chat_from_row};
use crate::domain::{ChatId, MessageId, PersonId, Platform};

/// A posted question, as its chat and message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuestionMessage {
    pub chat_id: ChatId,
    pub message_id: MessageId,
}

/// A platform's poll for a question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollRow {
    pub question: QuestionMessage,
    pub poll_message_id: MessageId,
    pub anonymous: bool,
}

impl Store {
    /// Sets (or replaces) `person`'s choice on `question`.
    pub async fn set_choice(
        &self,
        question: QuestionMessage,
        person: PersonId,
        choice: usize,
        at: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO choice_answers (platform, chat_id, message_id, person_id, choice, at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (platform, chat_id, message_id, person_id)
             DO UPDATE SET choice = excluded.choice, at = excluded.at",
        )
        .bind(question.chat_id.platform.as_str())
        .bind(question.chat_id.id)
        .bind(question.message_id.0)
        .bind(person.id)
        .bind(choice as i64)
        .bind(at)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// `person`'s current choice on `question`.
    pub async fn choice_of(
        &self,
        question: QuestionMessage,
        person: PersonId,
    ) -> Result<Option<usize>> {
        let choice: Option<i64> = sqlx::query_scalar(
            "SELECT choice FROM choice_answers
             WHERE platform = $1 AND chat_id = $2 AND message_id = $3 AND person_id = $4",
        )
        .bind(question.chat_id.platform.as_str())
        .bind(question.chat_id.id)
        .bind(question.message_id.0)
        .bind(person.id)
        .fetch_optional(self.pool())
        .await?;
        Ok(choice.map(|c| c.max(0) as usize))
    }

    /// Removes `person`'s choice on `question` (a retracted vote).
    pub async fn clear_choice(&self, question: QuestionMessage, person: PersonId) -> Result<()> {
        sqlx::query(
            "DELETE FROM choice_answers
             WHERE platform = $1 AND chat_id = $2 AND message_id = $3 AND person_id = $4",
        )
        .bind(question.chat_id.platform.as_str())
        .bind(question.chat_id.id)
        .bind(question.message_id.0)
        .bind(person.id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// How many people chose each option of `question`: (index, count).
    pub async fn choice_counts(&self, question: QuestionMessage) -> Result<Vec<(usize, u64)>> {
        let rows = sqlx::query(
            "SELECT choice, COUNT(*) AS n FROM choice_answers
             WHERE platform = $1 AND chat_id = $2 AND message_id = $3
             GROUP BY choice ORDER BY choice",
        )
        .bind(question.chat_id.platform.as_str())
        .bind(question.chat_id.id)
        .bind(question.message_id.0)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .iter()
            .map(|r| {
                let choice: i64 = r.get("choice");
                let n: i64 = r.get("n");
                (choice.max(0) as usize, n.max(0) as u64)
            })
            .collect())
    }

    /// Records that the platform's poll `poll_id` follows `question`.
    pub async fn record_poll(&self, poll_id: &str, poll: &PollRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO quiz_polls
                 (platform, poll_id, chat_id, message_id, poll_message_id, anonymous)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (platform, poll_id) DO UPDATE SET chat_id = excluded.chat_id,
                 message_id = excluded.message_id, poll_message_id = excluded.poll_message_id,
                 anonymous = excluded.anonymous",
        )
        .bind(poll.question.chat_id.platform.as_str())
        .bind(poll_id)
        .bind(poll.question.chat_id.id)
        .bind(poll.question.message_id.0)
        .bind(poll.poll_message_id.0)
        .bind(i64::from(poll.anonymous))
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The question a platform's poll follows.
    pub async fn poll(&self, platform: Platform, poll_id: &str) -> Result<Option<PollRow>> {
        let row = sqlx::query(
            "SELECT platform, chat_id, message_id, poll_message_id, anonymous FROM quiz_polls
             WHERE platform = $1 AND poll_id = $2",
        )
        .bind(platform.as_str())
        .bind(poll_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(poll_from_row))
    }

    /// The poll posted after `question`, if any.
    pub async fn poll_of(&self, question: QuestionMessage) -> Result<Option<PollRow>> {
        let row = sqlx::query(
            "SELECT platform, chat_id, message_id, poll_message_id, anonymous FROM quiz_polls
             WHERE platform = $1 AND chat_id = $2 AND message_id = $3 LIMIT 1",
        )
        .bind(question.chat_id.platform.as_str())
        .bind(question.chat_id.id)
        .bind(question.message_id.0)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(poll_from_row))
    }
}

fn poll_from_row(r: AnyRow) -> PollRow {
    PollRow {
        question: QuestionMessage {
            chat_id: chat_from_row(&r, "chat_id"),
            message_id: MessageId(r.get("message_id")),
        },
        poll_message_id: MessageId(r.get("poll_message_id")),
        anonymous: r.get::<i64, _>("anonymous") != 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::each_store;

    const QUESTION: QuestionMessage = QuestionMessage {
        chat_id: ChatId::telegram(-5),
        message_id: MessageId(40),
    };

    fn person(id: i64) -> PersonId {
        PersonId::new(Platform::Telegram, id)
    }

    #[tokio::test]
    async fn a_new_vote_replaces_the_old_and_a_retracted_one_is_gone() {
        each_store(async |store| {
            store.set_choice(QUESTION, person(1), 2, 10).await.unwrap();
            store.set_choice(QUESTION, person(2), 0, 11).await.unwrap();
            store.set_choice(QUESTION, person(1), 0, 12).await.unwrap();
            store.set_choice(QUESTION, person(3), 1, 13).await.unwrap();
            assert_eq!(store.choice_of(QUESTION, person(1)).await.unwrap(), Some(0));
            assert_eq!(
                store.choice_counts(QUESTION).await.unwrap(),
                vec![(0, 2), (1, 1)]
            );
            store.clear_choice(QUESTION, person(3)).await.unwrap();
            assert_eq!(store.choice_of(QUESTION, person(3)).await.unwrap(), None);
            assert_eq!(store.choice_counts(QUESTION).await.unwrap(), vec![(0, 2)]);
        })
        .await;
    }

    #[tokio::test]
    async fn a_poll_is_found_by_its_id_and_by_its_question() {
        each_store(async |store| {
            let poll = PollRow {
                question: QUESTION,
                poll_message_id: MessageId(41),
                anonymous: true,
            };
            store.record_poll("p1", &poll).await.unwrap();
            let again = PollRow {
                anonymous: false,
                ..poll.clone()
            };
            store.record_poll("p1", &again).await.unwrap();
            let found = store.poll(Platform::Telegram, "p1").await.unwrap();
            assert_eq!(found, Some(again.clone()));
            assert_eq!(store.poll(Platform::Discord, "p1").await.unwrap(), None);
            assert_eq!(store.poll_of(QUESTION).await.unwrap(), Some(again));
        })
        .await;
    }
}
