//! What `/stats`, the leaderboard and `/forget` read and delete: a
//! person's ratings and profile, a chat's raters and its hardest questions.
//! Streaks and order are computed in `learn::stats`, not here.

use std::collections::HashMap;

use sqlx::Row;

use super::{Result, Store, stored_zone};
use crate::domain::{ChatId, PersonId};
use crate::schedule::NamedZone;

/// A person's rating counts, for their stats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RatingTotals {
    /// Ratings since the moment asked about (the week's start).
    pub since: i64,
    /// Ratings of cards that were due (the reviews retention counts).
    pub due: i64,
    /// Of those, rated at least as well as asked (Good or Easy).
    pub remembered: i64,
}

/// Every time zone in use today is offset from UTC by a multiple of 15
/// minutes, so no 15-minute span of UTC holds two local dates: one
/// instant per span with a rating stands for all of them.
pub const QUARTER_HOUR: i64 = 900;

/// What is kept about a person besides their ratings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonRow {
    pub name: Option<String>,
    pub hidden: bool,
    /// Their own IANA zone, if they set one (`/remind`); a stored name
    /// that no longer resolves reads as none.
    pub timezone: Option<NamedZone>,
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
    /// Their review reminder (and the record of nudges sent).
    pub reminder: bool,
    /// Their reports (their own words), with any prompt awaiting one.
    pub reports: u64,
}

impl Store {
    /// The start of every quarter hour (Unix seconds) in which the person
    /// rated: enough to count their local days, however many ratings.
    pub async fn rating_quarters(&self, person: PersonId) -> Result<Vec<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT DISTINCT at / $3 * $3 FROM reviews WHERE platform = $1 AND person_id = $2",
        )
        .bind(person.platform.as_str())
        .bind(person.id)
        .bind(QUARTER_HOUR)
        .fetch_all(self.pool())
        .await?)
    }

    /// Counts of the person's ratings; grades from `remembered_from` up
    /// count as remembered.
    pub async fn rating_totals(
        &self,
        person: PersonId,
        since: i64,
        remembered_from: i64,
    ) -> Result<RatingTotals> {
        let row = sqlx::query(
            "SELECT CAST(COALESCE(SUM(CASE WHEN at >= $3 THEN 1 ELSE 0 END), 0) AS BIGINT) AS since,
                    CAST(COALESCE(SUM(was_due), 0) AS BIGINT) AS due,
                    CAST(COALESCE(SUM(CASE WHEN was_due <> 0 AND rating >= $4 THEN 1 ELSE 0 END), 0)
                        AS BIGINT) AS remembered
             FROM reviews WHERE platform = $1 AND person_id = $2",
        )
        .bind(person.platform.as_str())
        .bind(person.id)
        .bind(since)
        .bind(remembered_from)
        .fetch_one(self.pool())
        .await?;
        Ok(RatingTotals {
            since: row.get("since"),
            due: row.get("due"),
            remembered: row.get("remembered"),
        })
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
            "INSERT INTO people (platform, id, name, hidden, updated_at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (platform, id) DO UPDATE SET hidden = $4, name = COALESCE($3, people.name),
                 updated_at = $5",
        )
        .bind(person.platform.as_str())
        .bind(person.id)
        .bind(name)
        .bind(i64::from(hidden))
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// People who rated in `chat`, and ratings there, since `since`.
    pub async fn chat_activity(&self, chat: ChatId, since: i64) -> Result<(i64, i64)> {
        let row = sqlx::query(
            "SELECT COUNT(DISTINCT person_id) AS people, COUNT(*) AS ratings FROM reviews
             WHERE platform = $1 AND chat_id = $2 AND at >= $3",
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
            "SELECT r.person_id, p.name, COALESCE(p.hidden, 0) AS hidden, p.timezone,
                    CAST(SUM(CASE WHEN r.at >= $3 THEN 1 ELSE 0 END) AS BIGINT) AS since
             FROM reviews r LEFT JOIN people p ON p.platform = r.platform AND p.id = r.person_id
             WHERE r.platform = $1 AND r.chat_id = $2
             GROUP BY r.person_id, p.name, p.hidden, p.timezone ORDER BY r.person_id",
        )
        .bind(platform.as_str())
        .bind(chat.id)
        .bind(since)
        .fetch_all(self.pool())
        .await?;
        let times = sqlx::query(
            "SELECT person_id, at FROM reviews WHERE platform = $1 AND person_id IN
                 (SELECT DISTINCT person_id FROM reviews WHERE platform = $1 AND chat_id = $2)",
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
                let person = PersonId::new(platform, id);
                Rater {
                    person,
                    profile: PersonRow {
                        name: r.get("name"),
                        hidden: r.get::<i64, _>("hidden") != 0,
                        timezone: stored_zone(r.get("timezone"), format_args!("person {person}")),
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
             WHERE platform = $1 AND chat_id = $2 AND rating = 1
             GROUP BY question_id ORDER BY agains DESC, question_id LIMIT $3",
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

    /// Deletes every rating, card, profile, reminder and report of
    /// `person`, with the record of reminders sent to them (in their
    /// reminder's chat and in `private_chat`, where they asked), in one
    /// transaction: all of it goes, or (on an error) none of it.
    pub async fn forget_person(&self, person: PersonId, private_chat: ChatId) -> Result<Forgotten> {
        let mut tx = self.pool().begin().await?;
        sqlx::query(
            "DELETE FROM daily_ledger WHERE kind = 'remind' AND platform = $1 AND (chat_id = $3
                 OR chat_id IN (SELECT chat_id FROM reminders WHERE platform = $1 AND person_id = $2))",
        )
        .bind(person.platform.as_str())
        .bind(person.id)
        .bind(private_chat.id)
        .execute(&mut *tx)
        .await?;
        let reminder = sqlx::query("DELETE FROM reminders WHERE platform = $1 AND person_id = $2")
            .bind(person.platform.as_str())
            .bind(person.id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let mut deleted = [0u64; 4];
        for (i, table) in ["reviews", "cards", "choice_answers"]
            .into_iter()
            .enumerate()
        {
            let sql = format!("DELETE FROM {table} WHERE platform = $1 AND person_id = $2");
            deleted[i] = sqlx::query(&sql)
                .bind(person.platform.as_str())
                .bind(person.id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        }
        deleted[3] = sqlx::query("DELETE FROM people WHERE platform = $1 AND id = $2")
            .bind(person.platform.as_str())
            .bind(person.id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let reports = Store::forget_reports(&mut tx, person).await?;
        Store::forget_suggestions(&mut tx, person).await?;
        tx.commit().await?;
        Ok(Forgotten {
            ratings: deleted[0],
            cards: deleted[1],
            profile: deleted[3] > 0,
            reminder: reminder > 0,
            reports,
        })
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::domain::Platform;
    use crate::store::testing::each_store;
    use crate::store::{CardRow, NewReview, ReviewRow, Schedule};

    const GROUP: ChatId = ChatId::telegram(-5);

    fn person(id: i64) -> PersonId {
        PersonId::new(Platform::Telegram, id)
    }

    /// Every review was due; the card itself does not matter here.
    pub(in crate::store) fn schedule(history: &[ReviewRow]) -> Option<Schedule> {
        let card = CardRow {
            stability: 1.0,
            difficulty: 5.0,
            due: 0,
            reps: 1,
            lapses: 0,
            last_review: 0,
            scheduled_days: 1,
        };
        Some((card, vec![true; history.len()]))
    }

    async fn rate(store: &Store, who: i64, message: i64, grade: i64, at: i64) {
        let review = NewReview {
            person: person(who),
            name: Some(if who == 1 { "Ann" } else { "Bo" }),
            chat: GROUP,
            message_id: message,
            question_id: if message % 2 == 0 { "even" } else { "odd" },
            grade,
            at,
        };
        store.rate(&review, schedule).await.unwrap();
    }

    #[tokio::test]
    async fn totals_raters_and_the_hardest_questions_are_counted() {
        each_store(async |store| {
            rate(&store, 1, 1, 1, 100).await;
            rate(&store, 1, 2, 3, 1_000).await;
            rate(&store, 1, 3, 1, 2_000).await;
            rate(&store, 2, 1, 1, 3_000).await;
            let totals = store.rating_totals(person(1), 1_000, 3).await.unwrap();
            let expected = RatingTotals {
                since: 2,
                due: 3,
                remembered: 1,
            };
            assert_eq!(totals, expected);
            let nobody = store.rating_totals(person(9), 0, 3).await.unwrap();
            assert_eq!(nobody, RatingTotals::default());
            let mut quarters = store.rating_quarters(person(1)).await.unwrap();
            quarters.sort();
            assert_eq!(quarters, vec![0, 900, 1_800]);
            assert_eq!(store.chat_activity(GROUP, 1_000).await.unwrap(), (2, 3));
            assert_eq!(
                store.hardest(GROUP, 5).await.unwrap(),
                vec![("odd".to_string(), 3)]
            );
            store.set_hidden(person(2), None, true, 5).await.unwrap();
            let mut raters = store.chat_raters(GROUP, 2_000).await.unwrap();
            raters.sort_by_key(|r| r.person.id);
            let seen: Vec<_> = raters
                .iter()
                .map(|r| (r.profile.name.as_deref(), r.profile.hidden, r.ratings_since))
                .collect();
            assert_eq!(seen, vec![(Some("Ann"), false, 1), (Some("Bo"), true, 1)]);
            assert_eq!(raters[0].rated_at.len(), 3);
        })
        .await;
    }

    #[tokio::test]
    async fn forgetting_a_person_deletes_only_theirs() {
        each_store(async |store| {
            rate(&store, 1, 1, 3, 100).await;
            rate(&store, 2, 1, 3, 100).await;
            let gone = store.forget_person(person(1), ChatId::telegram(1)).await;
            let gone = gone.unwrap();
            assert_eq!((gone.ratings, gone.cards, gone.profile), (1, 1, true));
            assert_eq!(store.chat_activity(GROUP, 0).await.unwrap(), (1, 1));
            let again = store.forget_person(person(1), ChatId::telegram(1)).await;
            assert_eq!(again.unwrap(), Forgotten::default());
        })
        .await;
    }

    /// `/forget` is one transaction: when its last deletion (the reports)
    /// fails, the ratings deleted before it are back.
    #[tokio::test]
    async fn forgetting_is_all_or_nothing() {
        let store = Store::in_memory().await.unwrap();
        rate(&store, 1, 1, 3, 100).await;
        let report = crate::store::NewReport {
            chat_id: GROUP,
            chat_title: None,
            person_id: 1,
            question_id: "odd",
            text: "typo",
            at: 101,
        };
        store.save_report(None, &report).await.unwrap();
        let refuse = "CREATE TRIGGER refuse BEFORE DELETE ON reports
                      BEGIN SELECT RAISE(ABORT, 'refused'); END";
        sqlx::query(refuse).execute(store.pool()).await.unwrap();
        let failed = store.forget_person(person(1), ChatId::telegram(1)).await;
        assert!(failed.is_err(), "the report deletion fails");
        assert_eq!(store.chat_activity(GROUP, 0).await.unwrap(), (1, 1));
        assert_eq!(store.reports(10).await.unwrap().len(), 1);
        sqlx::query("DROP TRIGGER refuse")
            .execute(store.pool())
            .await
            .unwrap();
        let gone = store.forget_person(person(1), ChatId::telegram(1)).await;
        let gone = gone.unwrap();
        assert_eq!((gone.ratings, gone.reports), (1, 1));
        assert_eq!(store.chat_activity(GROUP, 0).await.unwrap(), (0, 0));
        assert!(store.reports(10).await.unwrap().is_empty());
    }
}
