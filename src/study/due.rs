//! When each plan is next due, kept in the store's index (`store::due`), so
//! a wake-up of the daily driver costs what is due, not how many plans
//! exist.
//!
//! Handling a plan (`due_batch`) claims its due items and stores the next
//! instant it needs looking at. A sent question touches only its own plan:
//! its reveal, if it has one, brings that plan's instant forward, and the
//! driver is woken only if that is earlier than the instant it sleeps to.

use std::sync::atomic::Ordering;

use jiff::Timestamp;

use super::daily_work::{DueKind, DueWork};
use super::{Engine, Result};
use crate::schedule;
use crate::store::due_second;

/// A plan found due again right after being handled (which should not
/// happen) is looked at again after this many seconds, not in a loop; so
/// is a plan taken by a driver that died before storing its next instant.
pub(super) const LOOK_AGAIN_SECS: i64 = 60;

/// The items claimed from some of the plans due now.
#[derive(Debug, Default)]
pub struct DueBatch {
    /// Reveals first, then posts.
    pub work: Vec<DueWork>,
    /// More plans may be due: ask again.
    pub more: bool,
}

impl Engine {
    /// Claims the due items of at most `limit` plans (and as many
    /// reminders and digests) due at `now`, and stores when each of them is
    /// next due.
    pub async fn due_batch(&self, now: Timestamp, limit: usize) -> Result<DueBatch> {
        self.keep_hot_coherent(true).await;
        let held_until = now.as_second() + LOOK_AGAIN_SECS;
        let rows = self
            .store
            .take_due_plans(now.as_second(), limit, self.serving, held_until)
            .await?;
        let more = rows.len() >= limit;
        let mut work = Vec::new();
        if let Err(e) = self.claim_plans(&rows, now, &mut work).await {
            // A reveal claimed meanwhile is found again by the driver
            // (`orphaned_work`); the plans taken are due again at once.
            self.release(&rows, now).await;
            return Err(e);
        }
        let more_nudges = self.nudge_batch(now, limit, &mut work).await?;
        work.sort_by_key(|w| w.kind == DueKind::Post);
        Ok(DueBatch {
            work,
            more: more || more_nudges,
        })
    }

    /// Makes taken plans due at once again after a store error cut their
    /// batch short, rather than after their hold (a minute); best effort.
    async fn release(&self, rows: &[crate::store::PlanRow], now: Timestamp) {
        for row in rows {
            if let Err(e) = self.store.set_next_due(row.chat_id, now.as_second()).await {
                log::warn!("chat {}: its plan waits a minute ({e})", row.chat_id);
                return;
            }
        }
    }

    /// The earliest instant any running plan, reminder or digest is next due. The driver
    /// sleeps until then; a sent question due to be revealed earlier
    /// wakes it.
    pub async fn next_due(&self) -> Result<Option<Timestamp>> {
        let plans = self.store.earliest_due(self.serving).await?;
        let nudges = self.store.earliest_nudge(self.serving).await?;
        let next = match (plans, nudges) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.due_hint
            .store(next.unwrap_or(i64::MAX), Ordering::Relaxed);
        Ok(next.map(|s| Timestamp::from_second(s).unwrap_or(Timestamp::MAX)))
    }

    /// The clock moved (tests, or an operator's correction): every plan's
    /// instant is worked out again at the next wake-up.
    pub async fn clock_moved(&self) -> Result<()> {
        self.store.forget_due_instants().await?;
        self.store.forget_nudge_instants().await?;
        Ok(())
    }

    /// After a daily question went out: its reveal, if the plan has one,
    /// becomes the plan's next instant when that is earlier. Returns that
    /// instant (recorded with the post, `record_sent`); `Some(0)` for a post
    /// resumed after a restart: its plan is looked at again at once.
    pub(super) fn reveal_after_sent(&self, work: &DueWork, now: Timestamp) -> Option<i64> {
        if work.kind != DueKind::Post {
            return None;
        }
        // The ask records whole seconds; the reveal is counted from them.
        let posted = Timestamp::from_second(now.as_second()).unwrap_or(now);
        match &work.plan {
            Some(plan) => {
                schedule::pending_reveal(plan, Some((work.date, posted)), false).map(due_second)
            }
            None => Some(0),
        }
    }

    /// Wakes the driver if `at` is earlier than the instant it sleeps to.
    pub(super) fn wake_for(&self, at: Option<i64>) {
        if at.is_some_and(|at| at < self.due_hint.load(Ordering::Relaxed)) {
            self.plans_changed.announce();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use super::*;
    use crate::bank::Bank;
    use crate::domain::{ChatId, ChatKind, MessageId};
    use crate::store::{PlanRow, Store};
    use crate::study::EngineConfig;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    /// What the driver claims at `now`, batch after batch, and when it
    /// would look again.
    async fn claim_due(engine: &Engine, now: Timestamp) -> (Vec<DueWork>, Option<Timestamp>) {
        let mut work = Vec::new();
        loop {
            let batch = engine.due_batch(now, 256).await.unwrap();
            work.extend(batch.work);
            if !batch.more {
                break;
            }
        }
        (work, engine.next_due().await.unwrap())
    }

    /// Chats 1, 2, 3 with daily posts at 09:00, 10:00, 11:00 UTC; chat 1
    /// reveals 30 minutes after its post.
    async fn engine() -> Engine {
        let store = Store::in_memory().await.unwrap();
        for (id, time, reveal) in [
            (1, "09:00", "30m"),
            (2, "10:00", "off"),
            (3, "11:00", "off"),
        ] {
            let chat = ChatId::telegram(id);
            store
                .upsert_chat(chat, ChatKind::Private, None, 0)
                .await
                .unwrap();
            let mut plan = PlanRow::every_day(chat, time, "UTC").unwrap();
            plan.plan.reveal = schedule::parse_reveal(reveal).unwrap();
            store.save_plan(&plan, 0).await.unwrap();
        }
        let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let bank = Arc::new(Bank::load(&content).unwrap());
        Engine::new(bank, store, EngineConfig::default())
    }

    #[tokio::test]
    async fn a_wake_up_handles_only_due_plans_and_a_sent_post_moves_only_its_own() {
        let engine = engine().await;
        // The first look works out every plan's instant.
        let (work, next) = claim_due(&engine, at("2026-12-01T08:00:00Z")).await;
        assert!(work.is_empty());
        assert_eq!(next, Some(at("2026-12-01T09:00:00Z")));
        // At 09:00 one plan is due, and only it is read.
        let batch = engine
            .due_batch(at("2026-12-01T09:00:00Z"), 1)
            .await
            .unwrap();
        assert_eq!(batch.work.len(), 1);
        assert_eq!(batch.work[0].place.chat_id, ChatId::telegram(1));
        let again = engine
            .due_batch(at("2026-12-01T09:00:01Z"), 1)
            .await
            .unwrap();
        assert!(again.work.is_empty() && !again.more, "nothing else is due");
        assert_eq!(
            engine.next_due().await.unwrap(),
            Some(at("2026-12-01T10:00:00Z")),
            "chat 2 next; chat 1 waits for tomorrow"
        );
        // Sending it brings chat 1's reveal forward and wakes the driver,
        // which sleeps until 10:00.
        let mut plan_changes = engine.plan_changes();
        engine
            .work_sent(
                &batch.work[0],
                MessageId::from(7),
                at("2026-12-01T09:00:02Z"),
            )
            .await
            .unwrap();
        let woken = tokio::time::timeout(Duration::from_secs(1), plan_changes.heard()).await;
        assert!(woken.is_ok());
        assert_eq!(
            engine.next_due().await.unwrap(),
            Some(at("2026-12-01T09:30:02Z"))
        );
        let reveal = engine
            .due_batch(at("2026-12-01T09:30:02Z"), 4)
            .await
            .unwrap();
        assert_eq!(reveal.work.len(), 1);
        assert_eq!(reveal.work[0].kind, DueKind::Reveal);
    }

    #[tokio::test]
    async fn a_moved_clock_has_every_plan_looked_at_again() {
        let engine = engine().await;
        let (_, next) = claim_due(&engine, at("2026-12-01T08:00:00Z")).await;
        assert_eq!(next, Some(at("2026-12-01T09:00:00Z")));
        let quiet = engine
            .due_batch(at("2026-12-01T08:00:01Z"), 2)
            .await
            .unwrap();
        assert!(!quiet.more, "no plan is read before its instant");
        engine.clock_moved().await.unwrap();
        let all = engine
            .due_batch(at("2026-12-01T08:00:01Z"), 2)
            .await
            .unwrap();
        assert!(all.more && all.work.is_empty(), "each plan is read again");
        let (_, next) = claim_due(&engine, at("2026-12-01T08:00:02Z")).await;
        assert_eq!(next, Some(at("2026-12-01T09:00:00Z")));
    }
}
