//! Each person's ratings, cards and the little kept about them (name on
//! leaderboards, zone, hidden). How a rating moves a card is `learn`'s
//! rule: `rate` hands the card's reviews to the caller's scheduler and
//! stores what it says, inside one transaction, so two presses at once
//! cannot interleave.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Result, Store};
use crate::domain::{ChatId, PersonId};

/// A person's card for one question (see `learn::schedule`).
#[derive(Debug, Clone, PartialEq)]
pub struct CardRow {
    pub stability: f64,
    pub difficulty: f64,
    /// When it is next due (Unix seconds).
    pub due: i64,
    pub reps: i64,
    pub lapses: i64,
    pub last_review: i64,
    pub scheduled_days: i64,
}

/// One stored rating of a card: when (Unix seconds) and its grade (1–4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReviewRow {
    pub at: i64,
    pub grade: i64,
}

/// A press of a rating button.
#[derive(Debug, Clone)]
pub struct NewReview<'a> {
    pub person: PersonId,
    /// The person's first name or username, kept for leaderboards.
    pub name: Option<&'a str>,
    pub chat: ChatId,
    /// The message rated: one review per person per message.
    pub message_id: i64,
    pub question_id: &'a str,
    pub grade: i64,
    pub at: i64,
}

/// What a rating did.
#[derive(Debug, Clone, PartialEq)]
pub struct Rated {
    /// The person had rated this message before: their rating was replaced.
    pub replaced: bool,
    /// ... by the very same rating (a double tap).
    pub unchanged: bool,
    pub card: CardRow,
}

/// What the scheduler makes of a card's reviews (oldest first): the card,
/// and for each review whether the card was due then.
pub type Schedule = (CardRow, Vec<bool>);

impl Store {
    /// Records (or replaces) a rating, then reschedules its card from all
    /// of the card's reviews with `schedule`.
    pub async fn rate(
        &self,
        review: &NewReview<'_>,
        schedule: impl FnOnce(&[ReviewRow]) -> Option<Schedule>,
    ) -> Result<Option<Rated>> {
        let platform = review.person.platform.as_str();
        let mut tx = self.pool().begin().await?;
        // A write first, so the transaction holds the write lock from here.
        let (presses, previous): (i64, Option<i64>) = sqlx::query_as(
            "INSERT INTO reviews (platform, person_id, chat_id, message_id, question_id, rating, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (platform, person_id, chat_id, message_id)
                 DO UPDATE SET previous = reviews.rating, rating = excluded.rating,
                     presses = reviews.presses + 1
             RETURNING presses, previous",
        )
        .bind(platform)
        .bind(review.person.id)
        .bind(review.chat.id)
        .bind(review.message_id)
        .bind(review.question_id)
        .bind(review.grade)
        .bind(review.at)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO people (platform, id, name, updated_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (platform, id) DO UPDATE SET name = COALESCE($3, people.name),
                 updated_at = $4",
        )
        .bind(platform)
        .bind(review.person.id)
        .bind(review.name)
        .bind(review.at)
        .execute(&mut *tx)
        .await?;
        let rows = sqlx::query(
            "SELECT chat_id, message_id, rating, at FROM reviews
             WHERE platform = $1 AND person_id = $2 AND question_id = $3
             ORDER BY at, chat_id, message_id",
        )
        .bind(platform)
        .bind(review.person.id)
        .bind(review.question_id)
        .fetch_all(&mut *tx)
        .await?;
        let history: Vec<ReviewRow> = rows
            .iter()
            .map(|r| ReviewRow {
                at: r.get("at"),
                grade: r.get("rating"),
            })
            .collect();
        let Some((card, was_due)) = schedule(&history) else {
            return Ok(None);
        };
        for (row, due) in rows.iter().zip(was_due) {
            sqlx::query(
                "UPDATE reviews SET was_due = $5
                 WHERE platform = $1 AND person_id = $2 AND chat_id = $3 AND message_id = $4",
            )
            .bind(platform)
            .bind(review.person.id)
            .bind(row.get::<i64, _>("chat_id"))
            .bind(row.get::<i64, _>("message_id"))
            .bind(i64::from(due))
            .execute(&mut *tx)
            .await?;
        }
        save_card(&mut tx, review.person, review.question_id, &card).await?;
        tx.commit().await?;
        Ok(Some(Rated {
            replaced: presses > 1,
            unchanged: previous == Some(review.grade),
            card,
        }))
    }

    /// The person's cards due by `until`, soonest first: (question, card).
    pub async fn due_cards(
        &self,
        person: PersonId,
        until: i64,
        limit: i64,
    ) -> Result<Vec<(String, CardRow)>> {
        let rows = sqlx::query(
            "SELECT question_id, stability, difficulty, due, reps, lapses, last_review,
                    scheduled_days
             FROM cards WHERE platform = $1 AND person_id = $2 AND due <= $3
             ORDER BY due, question_id LIMIT $4",
        )
        .bind(person.platform.as_str())
        .bind(person.id)
        .bind(until)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .iter()
            .map(|r| (r.get("question_id"), card_from_row(r)))
            .collect())
    }

    /// How many of the person's cards are due by each instant of `until`.
    pub async fn count_due(&self, person: PersonId, until: &[i64]) -> Result<Vec<i64>> {
        let mut counts = Vec::with_capacity(until.len());
        for &instant in until {
            let n: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM cards WHERE platform = $1 AND person_id = $2 AND due <= $3",
            )
            .bind(person.platform.as_str())
            .bind(person.id)
            .bind(instant)
            .fetch_one(self.pool())
            .await?;
            counts.push(n);
        }
        Ok(counts)
    }

    /// When the person's next card falls due, if they have any.
    pub async fn next_due(&self, person: PersonId) -> Result<Option<i64>> {
        Ok(
            sqlx::query_scalar("SELECT MIN(due) FROM cards WHERE platform = $1 AND person_id = $2")
                .bind(person.platform.as_str())
                .bind(person.id)
                .fetch_one(self.pool())
                .await?,
        )
    }
}

async fn save_card(
    tx: &mut sqlx::AnyConnection,
    person: PersonId,
    question_id: &str,
    card: &CardRow,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO cards (platform, person_id, question_id, stability, difficulty, due, reps,
                            lapses, last_review, scheduled_days)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (platform, person_id, question_id) DO UPDATE SET
             stability = $4, difficulty = $5, due = $6, reps = $7, lapses = $8,
             last_review = $9, scheduled_days = $10",
    )
    .bind(person.platform.as_str())
    .bind(person.id)
    .bind(question_id)
    .bind(card.stability)
    .bind(card.difficulty)
    .bind(card.due)
    .bind(card.reps)
    .bind(card.lapses)
    .bind(card.last_review)
    .bind(card.scheduled_days)
    .execute(tx)
    .await?;
    Ok(())
}

fn card_from_row(r: &AnyRow) -> CardRow {
    CardRow {
        stability: r.get("stability"),
        difficulty: r.get("difficulty"),
        due: r.get("due"),
        reps: r.get("reps"),
        lapses: r.get("lapses"),
        last_review: r.get("last_review"),
        scheduled_days: r.get("scheduled_days"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::each_store;

    const ANN: PersonId = PersonId::new(crate::domain::Platform::Telegram, 7);
    const GROUP: ChatId = ChatId::telegram(-5);

    fn review(message_id: i64, question_id: &str, grade: i64, at: i64) -> NewReview<'_> {
        NewReview {
            person: ANN,
            name: Some("Ann"),
            chat: GROUP,
            message_id,
            question_id,
            grade,
            at,
        }
    }

    /// A stand-in scheduler: due a day after the last review, stability
    /// the number of reviews plus a half; every review counted as due.
    fn schedule(history: &[ReviewRow]) -> Option<Schedule> {
        let last = history.last()?;
        let card = CardRow {
            stability: history.len() as f64 + 0.5,
            difficulty: 5.25,
            due: last.at + 86_400,
            reps: history.len() as i64,
            lapses: history.iter().filter(|r| r.grade == 1).count() as i64,
            last_review: last.at,
            scheduled_days: 1,
        };
        Some((card, vec![true; history.len()]))
    }

    #[tokio::test]
    async fn a_second_press_replaces_the_rating_and_the_card_follows() {
        each_store(async |store| {
            let first = store.rate(&review(10, "q1", 3, 100), schedule).await;
            let first = first.unwrap().unwrap();
            assert!(!first.replaced && !first.unchanged);
            assert_eq!(first.card.stability, 1.5);
            let again = store.rate(&review(10, "q1", 3, 200), schedule).await;
            let again = again.unwrap().unwrap();
            assert!(again.replaced && again.unchanged, "{again:?}");
            let other = store.rate(&review(10, "q1", 1, 300), schedule).await;
            let other = other.unwrap().unwrap();
            assert!(other.replaced && !other.unchanged);
            assert_eq!((other.card.reps, other.card.lapses), (1, 1));
            store
                .rate(&review(11, "q2", 4, 400), schedule)
                .await
                .unwrap();
            let due = store.due_cards(ANN, 86_500, 10).await.unwrap();
            assert_eq!(due.len(), 1);
            assert_eq!((due[0].0.as_str(), due[0].1.difficulty), ("q1", 5.25));
            let counts = store.count_due(ANN, &[0, 86_500, 90_000]).await.unwrap();
            assert_eq!(counts, vec![0, 1, 2]);
            assert_eq!(store.next_due(ANN).await.unwrap(), Some(86_500));
            let nobody = PersonId::new(crate::domain::Platform::Telegram, 8);
            assert_eq!(store.next_due(nobody).await.unwrap(), None);
        })
        .await;
    }
}
