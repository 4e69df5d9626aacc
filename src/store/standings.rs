//! What `/stats`, the leaderboard and `/forget` read and delete: a
//! person's ratings and profile, a chat's raters and its hardest questions.
//! Streaks and order are computed in `learn::stats`, not here.

use std::collections::HashMap;

use sqlx::Row;

use super::{Result, Store};
use crate::domain::{ChatId, PersonId};

/// One of a person's ratings, for their stats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RatingFact {
    pub at: i64,
    pub grade: i64,
    /// The card was due when it was rated (counts for retention).
    pub was_due: bool,
}

/// What is kept about a person besides their ratings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonRow {
    pub name: Option<String>,
    pub hidden: bool,
}

/// Someone who rated in a chat, with every instant they rated anywhere
/// (for their streak) and how often they rated in this chat since a moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rater {
    pub person: PersonId,
    pub profile: PersonRow,
    pub ratings_since: i64,
    pub rated_at: Vec<i64>,
}

/// What `/forget` deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Forgotten {
    pub ratings: u64,
    pub cards: u64,
    pub profile: bool,
}

impl Store {
    pub async fn person_ratings(&self, person: PersonId) -> Result<Vec<RatingFact>> {
        let rows = sqlx::query(
            "SELECT at, rating, was_due FROM reviews WHERE platform = ?1 AND person_id = ?2",
        )
        .bind(person.platform.as_str())
        .bind(person.id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .iter()
            .map(|r| RatingFact {
                at: r.get("at"),
                grade: r.get("rating"),
                was_due: r.get::<i64, _>("was_due") != 0,
            })
            .collect())
    }

    /// Leaves (`true`) or rejoins (`false`) leaderboards.
    pub async fn set_hidden(
        &self,
        person: PersonId,
        name: Option<&str>,
        hidden: bool,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO people (platform, id, name, hidden, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (platform, id) DO UPDATE SET hidden = ?4, name = COALESCE(?3, name),
                 updated_at = ?5",
        )
        .bind(person.platform.as_str())
        .bind(person.id)
        .bind(name)
        .bind(hidden)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// People who rated in `chat`, and ratings there, since `since`.
    pub async fn chat_activity(&self, chat: ChatId, since: i64) -> Result<(i64, i64)> {
        let row = sqlx::query(
            "SELECT COUNT(DISTINCT person_id) AS people, COUNT(*) AS ratings FROM reviews
             WHERE platform = ?1 AND chat_id = ?2 AND at >= ?3",
        )
        .bind(chat.platform.as_str())
        .bind(chat.id)
        .bind(since)
        .fetch_one(self.pool())
        .await?;
        Ok((row.get("people"), row.get("ratings")))
    }

    /// Everyone who ever rated in `chat`, hidden or not.
    pub async fn chat_raters(&self, chat: ChatId, since: i64) -> Result<Vec<Rater>> {
        let platform = chat.platform;
        let rows = sqlx::query(
            "SELECT r.person_id, p.name, COALESCE(p.hidden, 0) AS hidden,
                    SUM(r.at >= ?3) AS since
             FROM reviews r LEFT JOIN people p ON p.platform = r.platform AND p.id = r.person_id
             WHERE r.platform = ?1 AND r.chat_id = ?2 GROUP BY r.person_id",
        )
        .bind(platform.as_str())
        .bind(chat.id)
        .bind(since)
        .fetch_all(self.pool())
        .await?;
        let times = sqlx::query(
            "SELECT person_id, at FROM reviews WHERE platform = ?1 AND person_id IN
                 (SELECT DISTINCT person_id FROM reviews WHERE platform = ?1 AND chat_id = ?2)",
        )
        .bind(platform.as_str())
        .bind(chat.id)
        .fetch_all(self.pool())
        .await?;
        let mut rated_at: HashMap<i64, Vec<i64>> = HashMap::new();
        for r in &times {
            rated_at
                .entry(r.get("person_id"))
                .or_default()
                .push(r.get("at"));
        }
        Ok(rows
            .iter()
            .map(|r| {
                let id: i64 = r.get("person_id");
                Rater {
                    person: PersonId::new(platform, id),
                    profile: PersonRow {
                        name: r.get("name"),
                        hidden: r.get::<i64, _>("hidden") != 0,
                    },
                    ratings_since: r.get("since"),
                    rated_at: rated_at.remove(&id).unwrap_or_default(),
                }
            })
            .collect())
    }

    /// The questions most often rated Again in `chat`: (question, count).
    pub async fn hardest(&self, chat: ChatId, limit: i64) -> Result<Vec<(String, i64)>> {
        let rows = sqlx::query(
            "SELECT question_id, COUNT(*) AS agains FROM reviews
             WHERE platform = ?1 AND chat_id = ?2 AND rating = 1
             GROUP BY question_id ORDER BY agains DESC, question_id LIMIT ?3",
        )
        .bind(chat.platform.as_str())
        .bind(chat.id)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .iter()
            .map(|r| (r.get("question_id"), r.get("agains")))
            .collect())
    }

    /// Deletes every rating, card and profile of `person`, in one go.
    pub async fn forget_person(&self, person: PersonId) -> Result<Forgotten> {
        let mut tx = self.pool().begin().await?;
        let mut deleted = [0u64; 3];
        for (i, table) in ["reviews", "cards"].into_iter().enumerate() {
            let sql = format!("DELETE FROM {table} WHERE platform = ?1 AND person_id = ?2");
            deleted[i] = sqlx::query(&sql)
                .bind(person.platform.as_str())
                .bind(person.id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        }
        deleted[2] = sqlx::query("DELETE FROM people WHERE platform = ?1 AND id = ?2")
            .bind(person.platform.as_str())
            .bind(person.id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(Forgotten {
            ratings: deleted[0],
            cards: deleted[1],
            profile: deleted[2] > 0,
        })
    }
}
