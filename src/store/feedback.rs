//! What pinning and reports remember: each chat's `/pin` choice and the
//! message it pinned last (so the next day unpins exactly that one, even
//! after a restart), the "report a problem" prompts awaiting a reply, and
//! the reports themselves. Whether to pin, warn or accept a report is
//! decided in `study`, not here.

use sqlx::Row;

use super::{Result, Store, chat_from_row};
use crate::domain::{ChatId, MessageId, PersonId};

/// A chat's pin state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PinRow {
    pub enabled: bool,
    /// The daily question the bot pinned last (still pinned, as far as it knows).
    pub message_id: Option<MessageId>,
    /// The admins were told the bot lacks the right to pin.
    pub warned: bool,
}

/// A prompt waiting for a person's line of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromptRow {
    pub person: PersonId,
    pub question_id: String,
    pub at: i64,
}

/// One stored report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    pub id: i64,
    pub chat_id: ChatId,
    pub chat_title: Option<String>,
    pub person: PersonId,
    pub question_id: String,
    pub text: String,
    pub at: i64,
}

/// A report about to be stored.
#[derive(Debug, Clone)]
pub struct NewReport<'a> {
    pub chat_id: ChatId,
    pub chat_title: Option<&'a str>,
    pub person_id: i64,
    pub question_id: &'a str,
    pub text: &'a str,
    pub at: i64,
}

impl Store {
    pub async fn pin(&self, chat: ChatId) -> Result<PinRow> {
        let row = sqlx::query(
            "SELECT enabled, message_id, warned FROM pins WHERE platform = $1 AND chat_id = $2",
        )
        .bind(chat.platform.as_str())
        .bind(chat.id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map_or_else(PinRow::default, |r| PinRow {
            enabled: r.get::<i64, _>("enabled") != 0,
            message_id: r.get::<Option<i64>, _>("message_id").map(MessageId),
            warned: r.get::<i64, _>("warned") != 0,
        }))
    }

    /// Writes a chat's whole pin state (a `/pin` choice: it raises the
    /// settings epoch, since engines cache whether a chat pins).
    pub async fn save_pin(&self, chat: ChatId, pin: PinRow, now: i64) -> Result<()> {
        let sql = self.raising(
            "INSERT INTO pins (platform, chat_id, enabled, message_id, warned, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (platform, chat_id) DO UPDATE SET enabled = $3, message_id = $4,
                 warned = $5, updated_at = $6",
        );
        sqlx::query(&sql)
            .bind(chat.platform.as_str())
            .bind(chat.id)
            .bind(i64::from(pin.enabled))
            .bind(pin.message_id.map(|m| m.0))
            .bind(i64::from(pin.warned))
            .bind(now)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Saves a chat's `/pin` choice and clears its warned flag (a right
    /// found missing is worth one new word), leaving the message pinned
    /// last as it is: a pin recorded meanwhile is not written back to an
    /// older one. Raises the settings epoch (engines cache the choice).
    pub async fn save_pin_choice(&self, chat: ChatId, enabled: bool, now: i64) -> Result<()> {
        let sql = self.raising(
            "INSERT INTO pins (platform, chat_id, enabled, message_id, warned, updated_at)
             VALUES ($1, $2, $3, NULL, 0, $4)
             ON CONFLICT (platform, chat_id) DO UPDATE SET enabled = $3, warned = 0,
                 updated_at = $4",
        );
        sqlx::query(&sql)
            .bind(chat.platform.as_str())
            .bind(chat.id)
            .bind(i64::from(enabled))
            .bind(now)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Records what pinning did in a chat that pins (the message pinned
    /// last, whether the admins were told the bot may not), leaving its
    /// `/pin` choice, and so the settings epoch, alone. A chat with no pin
    /// row (it never chose to pin) is left as it is.
    pub async fn save_pin_progress(
        &self,
        chat: ChatId,
        message_id: Option<MessageId>,
        warned: bool,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE pins SET message_id = $3, warned = $4, updated_at = $5
             WHERE platform = $1 AND chat_id = $2",
        )
        .bind(chat.platform.as_str())
        .bind(chat.id)
        .bind(message_id.map(|m| m.0))
        .bind(i64::from(warned))
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Remembers that `message` in `chat` asks `person` for a report.
    pub async fn save_prompt(
        &self,
        chat: ChatId,
        message: MessageId,
        prompt: &PromptRow,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO report_prompts
                 (platform, chat_id, message_id, person_id, question_id, at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (platform, chat_id, message_id) DO UPDATE SET
                 person_id = excluded.person_id, question_id = excluded.question_id,
                 at = excluded.at",
        )
        .bind(chat.platform.as_str())
        .bind(chat.id)
        .bind(message.0)
        .bind(prompt.person.id)
        .bind(&prompt.question_id)
        .bind(prompt.at)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn prompt(&self, chat: ChatId, message: MessageId) -> Result<Option<PromptRow>> {
        let row = sqlx::query(
            "SELECT person_id, question_id, at FROM report_prompts
             WHERE platform = $1 AND chat_id = $2 AND message_id = $3",
        )
        .bind(chat.platform.as_str())
        .bind(chat.id)
        .bind(message.0)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|r| PromptRow {
            person: PersonId::new(chat.platform, r.get("person_id")),
            question_id: r.get("question_id"),
            at: r.get("at"),
        }))
    }

    /// Stores `report` and removes the prompt it answered, in one go.
    pub async fn save_report(
        &self,
        prompt: Option<MessageId>,
        report: &NewReport<'_>,
    ) -> Result<i64> {
        let chat = report.chat_id;
        let mut tx = self.pool().begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO reports (platform, chat_id, chat_title, person_id, question_id, text, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(chat.platform.as_str())
        .bind(chat.id)
        .bind(report.chat_title)
        .bind(report.person_id)
        .bind(report.question_id)
        .bind(report.text)
        .bind(report.at)
        .fetch_one(&mut *tx)
        .await?;
        if let Some(message) = prompt {
            sqlx::query(
                "DELETE FROM report_prompts WHERE platform = $1 AND chat_id = $2 AND message_id = $3",
            )
            .bind(chat.platform.as_str())
            .bind(chat.id)
            .bind(message.0)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// The latest `limit` reports, newest first.
    pub async fn reports(&self, limit: u32) -> Result<Vec<ReportRow>> {
        let rows = sqlx::query(
            "SELECT id, platform, chat_id, chat_title, person_id, question_id, text, at
             FROM reports ORDER BY at DESC, id DESC LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .iter()
            .map(|r| {
                let chat_id = chat_from_row(r, "chat_id");
                ReportRow {
                    id: r.get("id"),
                    chat_id,
                    chat_title: r.get("chat_title"),
                    person: PersonId::new(chat_id.platform, r.get("person_id")),
                    question_id: r.get("question_id"),
                    text: r.get("text"),
                    at: r.get("at"),
                }
            })
            .collect())
    }

    /// Deletes a person's reports and pending prompts, inside `/forget`'s
    /// transaction (`forget_person`); returns how many reports went.
    pub(super) async fn forget_reports(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        person: PersonId,
    ) -> Result<u64> {
        let platform = person.platform.as_str();
        sqlx::query("DELETE FROM report_prompts WHERE platform = $1 AND person_id = $2")
            .bind(platform)
            .bind(person.id)
            .execute(&mut **tx)
            .await?;
        let gone = sqlx::query("DELETE FROM reports WHERE platform = $1 AND person_id = $2")
            .bind(platform)
            .bind(person.id)
            .execute(&mut **tx)
            .await?;
        Ok(gone.rows_affected())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Platform;
    use crate::store::testing::each_store;

    const GROUP: ChatId = ChatId::telegram(-5);

    fn person(id: i64) -> PersonId {
        PersonId::new(Platform::Telegram, id)
    }

    fn report(person_id: i64, text: &str, at: i64) -> NewReport<'_> {
        NewReport {
            chat_id: GROUP,
            chat_title: Some("Study"),
            person_id,
            question_id: "q1",
            text,
            at,
        }
    }

    #[tokio::test]
    async fn a_pin_state_is_written_whole() {
        each_store(async |store| {
            assert_eq!(store.pin(GROUP).await.unwrap(), PinRow::default());
            let pinned = PinRow {
                enabled: true,
                message_id: Some(MessageId(9)),
                warned: false,
            };
            store.save_pin(GROUP, pinned, 1).await.unwrap();
            let warned = PinRow {
                message_id: None,
                warned: true,
                ..pinned
            };
            store.save_pin(GROUP, warned, 2).await.unwrap();
            assert_eq!(store.pin(GROUP).await.unwrap(), warned);
        })
        .await;
    }

    #[tokio::test]
    async fn a_report_answers_its_prompt_and_is_listed_newest_first() {
        each_store(async |store| {
            let prompt = PromptRow {
                person: person(1),
                question_id: "q1".to_string(),
                at: 5,
            };
            store
                .save_prompt(GROUP, MessageId(30), &prompt)
                .await
                .unwrap();
            let replaced = PromptRow { at: 6, ..prompt };
            store
                .save_prompt(GROUP, MessageId(30), &replaced)
                .await
                .unwrap();
            assert_eq!(
                store.prompt(GROUP, MessageId(30)).await.unwrap(),
                Some(replaced)
            );
            let first = store
                .save_report(Some(MessageId(30)), &report(1, "typo", 7))
                .await;
            let second = store.save_report(None, &report(2, "wrong", 8)).await;
            let (first, second) = (first.unwrap(), second.unwrap());
            assert!(second > first, "ids grow: {first} then {second}");
            assert_eq!(store.prompt(GROUP, MessageId(30)).await.unwrap(), None);
            let listed = store.reports(10).await.unwrap();
            let texts: Vec<(i64, &str)> = listed.iter().map(|r| (r.id, r.text.as_str())).collect();
            assert_eq!(texts, vec![(second, "wrong"), (first, "typo")]);
            assert_eq!(listed[0].chat_title.as_deref(), Some("Study"));
            let gone = store.forget_person(person(1), ChatId::telegram(1)).await;
            assert_eq!(gone.unwrap().reports, 1);
            assert_eq!(store.reports(10).await.unwrap().len(), 1);
        })
        .await;
    }

    #[tokio::test]
    async fn a_pin_choice_leaves_the_message_pinned_last_as_it_is() {
        each_store(async |store| {
            store.save_pin_choice(GROUP, true, 1).await.unwrap();
            // The day's question is pinned while `/pin off` is on its way.
            store
                .save_pin_progress(GROUP, Some(MessageId(7)), true, 2)
                .await
                .unwrap();
            store.save_pin_choice(GROUP, false, 3).await.unwrap();
            let pin = store.pin(GROUP).await.unwrap();
            assert_eq!(
                (pin.enabled, pin.message_id, pin.warned),
                (false, Some(MessageId(7)), false)
            );
        })
        .await;
    }
}
