//! Each plan's next due instant, indexed, so the daily driver's cost
//! follows what is due rather than how many plans exist.
//!
//! The engine works the instant out (`schedule`) and stores it here when it
//! handles a plan; a saved or re-activated plan gets 0 ("not known: look at
//! the next wake-up"). A wake-up reads only plans whose instant has come,
//! through a partial index on running plans, and the sleep that follows
//! lasts until the smallest instant stored. Stored rather than kept in
//! memory: nothing to rebuild at start-up (at 100,000 plans that would mean
//! reading every plan's progress), and it stays right across restarts.

use jiff::Timestamp;

use super::plan_text::read_plans;
use super::plans::PLAN_COLUMNS;
use super::{Backend, PlanRow, Result, Store};
use crate::domain::{ChatId, Platform};

/// Running plans: not paused, in an active chat.
const RUNNING: &str = "paused = 0 AND EXISTS (SELECT 1 FROM chats c
    WHERE c.platform = plans.platform AND c.id = plans.chat_id AND c.active = 1)";

/// Where a plan whose stored text does not read is parked: never due,
/// until saving the plan again sets its instant to 0.
const PARKED: i64 = i64::MAX;

// A `platform` of `None` (bound as NULL) means every platform's plans;
// each adapter's driver asks only for what its platform can deliver.

impl Store {
    /// At most `limit` running plans due at or before `now` (unix
    /// seconds), earliest first.
    pub async fn due_plans(
        &self,
        now: i64,
        limit: usize,
        platform: Option<Platform>,
    ) -> Result<Vec<PlanRow>> {
        let hint = self.index_hint("plans_next_due");
        let sql = format!(
            "SELECT {PLAN_COLUMNS} FROM plans {hint}
             WHERE next_due <= $1 AND {RUNNING} AND ($3 IS NULL OR platform = $3)
             ORDER BY next_due, platform, chat_id LIMIT $2"
        );
        let rows = sqlx::query(&sql)
            .bind(now)
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .bind(platform.map(Platform::as_str))
            .fetch_all(self.pool())
            .await?;
        Ok(read_plans(&rows).0)
    }

    /// Takes at most `limit` running plans due at or before `now`, earliest
    /// first: each taken plan's instant becomes `held_until`, so another
    /// driver (another replica) does not take it too while this one works
    /// it out and stores its real next instant. On PostgreSQL the rows are
    /// taken `FOR UPDATE SKIP LOCKED`: replicas taking at the same moment
    /// split the due plans between them instead of waiting on each other.
    /// A taker that dies leaves its plans to be taken again at `held_until`.
    pub async fn take_due_plans(
        &self,
        now: i64,
        limit: usize,
        platform: Option<Platform>,
        held_until: i64,
    ) -> Result<Vec<PlanRow>> {
        let hint = self.index_hint("plans_next_due");
        let lock = match self.backend {
            Backend::Sqlite => "",
            Backend::Postgres => "FOR UPDATE OF plans SKIP LOCKED",
        };
        let sql = format!(
            "UPDATE plans SET next_due = $4
             WHERE (platform, chat_id) IN (
                 SELECT platform, chat_id FROM plans {hint}
                 WHERE next_due <= $1 AND {RUNNING} AND ($3 IS NULL OR platform = $3)
                 ORDER BY next_due, platform, chat_id LIMIT $2 {lock})
             RETURNING {PLAN_COLUMNS}"
        );
        let rows = sqlx::query(&sql)
            .bind(now)
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .bind(platform.map(Platform::as_str))
            .bind(held_until)
            .fetch_all(self.pool())
            .await?;
        let (plans, bad) = read_plans(&rows);
        for chat_id in bad {
            self.set_next_due(chat_id, PARKED).await?;
        }
        Ok(plans)
    }

    /// The earliest instant any running plan is next due, if any.
    pub async fn earliest_due(&self, platform: Option<Platform>) -> Result<Option<i64>> {
        let hint = self.index_hint("plans_next_due");
        let sql = format!(
            "SELECT next_due FROM plans {hint}
             WHERE {RUNNING} AND ($1 IS NULL OR platform = $1)
             ORDER BY next_due LIMIT 1"
        );
        let next: Option<i64> = sqlx::query_scalar(&sql)
            .bind(platform.map(Platform::as_str))
            .fetch_optional(self.pool())
            .await?;
        Ok(next)
    }

    /// Sets when `chat_id`'s plan is next due.
    pub async fn set_next_due(&self, chat_id: ChatId, at: i64) -> Result<()> {
        sqlx::query("UPDATE plans SET next_due = $1 WHERE chat_id = $2 AND platform = $3")
            .bind(at)
            .bind(chat_id.id)
            .bind(chat_id.platform.as_str())
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Brings `chat_id`'s next due instant forward to `at` if that is
    /// earlier (a posted question's reveal).
    pub async fn advance_next_due(&self, chat_id: ChatId, at: i64) -> Result<()> {
        sqlx::query(
            "UPDATE plans SET next_due = CASE WHEN next_due < $1 THEN next_due ELSE $1 END
             WHERE chat_id = $2 AND platform = $3",
        )
        .bind(at)
        .bind(chat_id.id)
        .bind(chat_id.platform.as_str())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Forgets every stored instant (the clock moved): each plan is looked
    /// at again at the next wake-up.
    pub async fn forget_due_instants(&self) -> Result<()> {
        sqlx::query("UPDATE plans SET next_due = 0 WHERE next_due <> 0")
            .execute(self.pool())
            .await?;
        Ok(())
    }
}

/// `at` as whole unix seconds, rounded up (an instant is never due early).
pub fn due_second(at: Timestamp) -> i64 {
    let second = at.as_second();
    if at.subsec_nanosecond() > 0 {
        second.saturating_add(1)
    } else {
        second
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ChatKind;
    use crate::store::testing::each_store;

    fn plan(chat_id: ChatId) -> PlanRow {
        PlanRow::every_day(chat_id, "09:00", "UTC").unwrap()
    }

    async fn fill(store: &Store, chats: &[ChatId]) {
        for &chat in chats {
            store
                .upsert_chat(chat, ChatKind::Private, None, 0)
                .await
                .unwrap();
            store.save_plan(&plan(chat), 0).await.unwrap();
        }
    }

    fn ids(plans: &[PlanRow]) -> Vec<i64> {
        plans.iter().map(|p| p.chat_id.id).collect()
    }

    #[tokio::test]
    async fn a_wake_up_reads_only_what_is_due_earliest_first() {
        let chats: Vec<ChatId> = (1..=5).map(ChatId::telegram).collect();
        each_store(async |store| {
            fill(&store, &chats).await;
            // New plans are due at once (instant unknown).
            assert_eq!(ids(&store.due_plans(100, 10, None).await.unwrap()).len(), 5);
            for (chat, at) in chats.iter().zip([500, 300, 900, 300, 700]) {
                store.set_next_due(*chat, at).await.unwrap();
            }
            assert_eq!(
                ids(&store.due_plans(299, 10, None).await.unwrap()),
                Vec::<i64>::new()
            );
            assert_eq!(
                ids(&store.due_plans(500, 10, None).await.unwrap()),
                vec![2, 4, 1]
            );
            assert_eq!(
                ids(&store.due_plans(500, 2, None).await.unwrap()),
                vec![2, 4]
            );
            assert_eq!(store.earliest_due(None).await.unwrap(), Some(300));
            store.advance_next_due(chats[2], 200).await.unwrap();
            store.advance_next_due(chats[0], 800).await.unwrap();
            assert_eq!(
                ids(&store.due_plans(500, 10, None).await.unwrap()),
                vec![3, 2, 4, 1]
            );
        })
        .await;
    }

    #[tokio::test]
    async fn paused_plans_and_gone_chats_are_never_due_and_changes_reset_the_instant() {
        let chats: Vec<ChatId> = (1..=3).map(ChatId::telegram).collect();
        each_store(async |store| {
            fill(&store, &chats).await;
            for chat in &chats {
                store.set_next_due(*chat, 1_000).await.unwrap();
            }
            store.deactivate_chat(chats[0], 1).await.unwrap();
            assert_eq!(
                ids(&store.due_plans(5_000, 10, None).await.unwrap()),
                vec![2, 3]
            );
            // A saved plan and a chat that came back are looked at at once.
            store.save_plan(&plan(chats[1]), 2).await.unwrap();
            store.reactivate_chat(chats[0], 3).await.unwrap();
            assert_eq!(
                ids(&store.due_plans(999, 10, None).await.unwrap()),
                vec![1, 2]
            );
            store.forget_due_instants().await.unwrap();
            assert_eq!(store.earliest_due(None).await.unwrap(), Some(0));
        })
        .await;
    }

    #[tokio::test]
    async fn each_platform_reads_only_its_own_plans() {
        let chats = [
            ChatId::telegram(1),
            ChatId::discord(2).unwrap(),
            ChatId::telegram(3),
        ];
        each_store(async |store| {
            fill(&store, &chats).await;
            for (chat, at) in chats.iter().zip([300, 100, 200]) {
                store.set_next_due(*chat, at).await.unwrap();
            }
            let telegram = Some(Platform::Telegram);
            let discord = Some(Platform::Discord);
            assert_eq!(
                ids(&store.due_plans(500, 10, telegram).await.unwrap()),
                vec![3, 1]
            );
            assert_eq!(
                ids(&store.due_plans(500, 10, discord).await.unwrap()),
                vec![2]
            );
            assert_eq!(store.earliest_due(telegram).await.unwrap(), Some(200));
            assert_eq!(store.earliest_due(discord).await.unwrap(), Some(100));
            assert_eq!(store.earliest_due(None).await.unwrap(), Some(100));
        })
        .await;
    }

    #[tokio::test]
    async fn a_taken_plan_is_not_taken_again_until_it_is_held_no_longer() {
        let chats: Vec<ChatId> = (1..=3).map(ChatId::telegram).collect();
        each_store(async |store| {
            fill(&store, &chats).await;
            let mut first = ids(&store.take_due_plans(100, 2, None, 160).await.unwrap());
            first.sort_unstable();
            assert_eq!(first.len(), 2);
            let second = ids(&store.take_due_plans(100, 10, None, 160).await.unwrap());
            assert_eq!(second.len(), 1, "only the plan not taken yet");
            assert!(!first.contains(&second[0]));
            assert!(
                store
                    .take_due_plans(159, 10, None, 220)
                    .await
                    .unwrap()
                    .is_empty()
            );
            assert_eq!(store.earliest_due(None).await.unwrap(), Some(160));
            // Its taker died before storing the real instant: taken again.
            assert_eq!(
                store
                    .take_due_plans(160, 10, None, 220)
                    .await
                    .unwrap()
                    .len(),
                3
            );
        })
        .await;
    }

    #[tokio::test]
    async fn takers_at_the_same_moment_split_the_due_plans_without_overlap() {
        let chats: Vec<ChatId> = (1..=120).map(ChatId::telegram).collect();
        each_store(async |store| {
            fill(&store, &chats).await;
            let taker = |store: Store| async move {
                let mut taken = Vec::new();
                loop {
                    let batch = store.take_due_plans(100, 7, None, 1_000).await.unwrap();
                    if batch.is_empty() {
                        return taken;
                    }
                    taken.extend(ids(&batch));
                }
            };
            let (a, b) = tokio::join!(taker(store.clone()), taker(store.clone()));
            let mut all: Vec<i64> = a.iter().chain(&b).copied().collect();
            all.sort_unstable();
            assert_eq!(all, (1..=120).collect::<Vec<i64>>(), "each plan taken once");
        })
        .await;
    }

    #[test]
    fn instants_round_up_to_the_second() {
        let at: Timestamp = "2026-12-01T09:00:00Z".parse().unwrap();
        assert_eq!(due_second(at), at.as_second());
        let later: Timestamp = "2026-12-01T09:00:00.001Z".parse().unwrap();
        assert_eq!(due_second(later), at.as_second() + 1);
    }
}
