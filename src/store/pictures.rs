//! What the `/stats` pictures read: a person's ratings over the last
//! months with their grades, a chat's ratings per person, and the chat's
//! hardest questions with their share of "Again". Days and weeks are
//! counted in the reader's zone by the engine, not here.

use sqlx::Row;

use super::{Result, Store};
use crate::domain::{ChatId, PersonId};

/// A question of a chat with how often it was rated Again, of all ratings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HardQuestion {
    pub question_id: String,
    pub agains: i64,
    pub ratings: i64,
}

impl Store {
    /// Each rating of `person` since `since` (Unix seconds): (instant, grade).
    pub async fn ratings_since(&self, person: PersonId, since: i64) -> Result<Vec<(i64, i64)>> {
        Ok(sqlx::query_as(
            "SELECT at, rating FROM reviews
             WHERE platform = $1 AND person_id = $2 AND at >= $3 ORDER BY at",
        )
        .bind(person.platform.as_str())
        .bind(person.id)
        .bind(since)
        .fetch_all(self.pool())
        .await?)
    }

    /// Each rating made in `chat` since `since`: (person id, instant).
    pub async fn chat_ratings_since(&self, chat: ChatId, since: i64) -> Result<Vec<(i64, i64)>> {
        Ok(sqlx::query_as(
            "SELECT person_id, at FROM reviews
             WHERE platform = $1 AND chat_id = $2 AND at >= $3 ORDER BY at",
        )
        .bind(chat.platform.as_str())
        .bind(chat.id)
        .bind(since)
        .fetch_all(self.pool())
        .await?)
    }

    /// The questions of `chat` most often rated Again (as `hardest`), with
    /// how often each was rated at all there.
    pub async fn hardest_shares(&self, chat: ChatId, limit: i64) -> Result<Vec<HardQuestion>> {
        let rows = sqlx::query(
            "SELECT question_id,
                    CAST(SUM(CASE WHEN rating = 1 THEN 1 ELSE 0 END) AS BIGINT) AS agains,
                    CAST(COUNT(*) AS BIGINT) AS ratings
             FROM reviews WHERE platform = $1 AND chat_id = $2
             GROUP BY question_id
             HAVING SUM(CASE WHEN rating = 1 THEN 1 ELSE 0 END) > 0
             ORDER BY agains DESC, question_id LIMIT $3",
        )
        .bind(chat.platform.as_str())
        .bind(chat.id)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .iter()
            .map(|r| HardQuestion {
                question_id: r.get("question_id"),
                agains: r.get("agains"),
                ratings: r.get("ratings"),
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Platform;
    use crate::store::NewReview;
    use crate::store::standings::tests::schedule as due;
    use crate::store::testing::each_store;

    const GROUP: ChatId = ChatId::telegram(-7);

    #[tokio::test]
    async fn ratings_and_again_shares_are_read_since_a_moment() {
        each_store(async |store| {
            for (who, message, question, grade, at) in [
                (1, 1, "a", 1, 100),
                (1, 2, "b", 3, 200),
                (2, 3, "a", 3, 300),
                (2, 4, "b", 1, 400),
                (2, 5, "a", 1, 500),
            ] {
                let review = NewReview {
                    person: PersonId::new(Platform::Telegram, who),
                    name: None,
                    chat: GROUP,
                    message_id: message,
                    question_id: question,
                    grade,
                    at,
                };
                store.rate(&review, due).await.unwrap();
            }
            let ann = PersonId::new(Platform::Telegram, 1);
            assert_eq!(store.ratings_since(ann, 150).await.unwrap(), vec![(200, 3)]);
            let chat = store.chat_ratings_since(GROUP, 250).await.unwrap();
            assert_eq!(chat, vec![(2, 300), (2, 400), (2, 500)]);
            let hard = store.hardest_shares(GROUP, 5).await.unwrap();
            let shares: Vec<_> = hard
                .iter()
                .map(|h| (h.question_id.as_str(), h.agains, h.ratings))
                .collect();
            assert_eq!(shares, vec![("a", 2, 3), ("b", 1, 2)]);
        })
        .await;
    }
}
