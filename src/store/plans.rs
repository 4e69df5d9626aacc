//! Daily plans as stored: each chat's time, zone, day rule, filters and
//! reveal, and who set it (the chat or the operator's file). The ledger
//! that makes each post happen once is `ledger`; when a plan is due, `due`.

use super::plan_text::{PlanText, read_plans};
use super::{Result, Store};
use crate::domain::ChatId;
use crate::schedule::{DailyPlan, PlanFilter, ScheduleError};

/// A chat's daily plan as stored, typed: the store reads its text columns
/// once, when loaded (`plan_text`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanRow {
    pub chat_id: ChatId,
    /// When, in which zone, on which days, which questions, and the reveal.
    pub plan: DailyPlan,
    pub thread_id: Option<i64>,
    pub paused: bool,
    /// Set by the operator's config file: the chat cannot change it.
    pub set_by_operator: bool,
    /// Discord: open a thread on each day's question; its reveal goes there.
    pub open_thread: bool,
    /// Discord: the role (id) the day's question mentions, and pings.
    pub ping_role: Option<i64>,
}

impl PlanRow {
    /// `plan` for `chat_id`, running, set in the chat, no thread or ping.
    pub fn new(chat_id: ChatId, plan: DailyPlan) -> PlanRow {
        PlanRow {
            chat_id,
            plan,
            thread_id: None,
            paused: false,
            set_by_operator: false,
            open_thread: false,
            ping_role: None,
        }
    }

    /// A plan every day at `post_time` (`HH:MM`) in `timezone` (IANA), no
    /// filter, no reveal, set in the chat.
    pub fn every_day(
        chat_id: ChatId,
        post_time: &str,
        timezone: &str,
    ) -> std::result::Result<PlanRow, ScheduleError> {
        let plan = DailyPlan::from_parts(post_time, timezone, PlanFilter::default(), "off")?;
        Ok(PlanRow::new(chat_id, plan))
    }
}

pub(super) const PLAN_COLUMNS: &str = "platform, chat_id, post_time, timezone, tag, reveal, \
     thread_id, paused, days, anchor, starts_on, deck, set_by_operator, open_thread, ping_role";

impl Store {
    /// Saves a plan; its next due instant is unknown until the next
    /// wake-up works it out (`due`).
    pub async fn save_plan(&self, plan: &PlanRow, now: i64) -> Result<()> {
        let text = PlanText::of(&plan.plan);
        sqlx::query(
            "INSERT INTO plans
                 (platform, chat_id, post_time, timezone, tag, reveal, thread_id, paused,
                  updated_at, days, anchor, starts_on, deck, set_by_operator, open_thread,
                  ping_role)
             VALUES ($9, $1, $2, $3, $4, $5, $6, $7, $8, $10, $11, $12, $13, $14, $15, $16)
             ON CONFLICT (platform, chat_id) DO UPDATE SET post_time = $2, timezone = $3,
                 tag = $4, reveal = $5, thread_id = $6, paused = $7, updated_at = $8,
                 days = $10, anchor = $11, starts_on = $12, deck = $13,
                 set_by_operator = $14, open_thread = $15, ping_role = $16, next_due = 0",
        )
        .bind(plan.chat_id.id)
        .bind(&text.post_time)
        .bind(&text.timezone)
        .bind(&text.tag)
        .bind(&text.reveal)
        .bind(plan.thread_id)
        .bind(plan.paused as i64)
        .bind(now)
        .bind(plan.chat_id.platform.as_str())
        .bind(&text.days)
        .bind(&text.anchor)
        .bind(&text.starts_on)
        .bind(&text.deck)
        .bind(plan.set_by_operator as i64)
        .bind(plan.open_thread as i64)
        .bind(plan.ping_role)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Every plan the operator's file set, running or not.
    pub async fn operator_plans(&self) -> Result<Vec<PlanRow>> {
        let sql = format!(
            "SELECT {PLAN_COLUMNS} FROM plans WHERE set_by_operator = 1 ORDER BY platform, chat_id"
        );
        let rows = sqlx::query(&sql).fetch_all(self.pool()).await?;
        Ok(read_plans(&rows).0)
    }

    /// Hands a plan back to its chat: it stays, and the chat may change it.
    pub async fn release_plan(&self, chat_id: ChatId) -> Result<()> {
        sqlx::query("UPDATE plans SET set_by_operator = 0 WHERE chat_id = $1 AND platform = $2")
            .bind(chat_id.id)
            .bind(chat_id.platform.as_str())
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// `chat_id`'s plan; `None` too if its row does not read (logged).
    pub async fn plan(&self, chat_id: ChatId) -> Result<Option<PlanRow>> {
        let sql = format!("SELECT {PLAN_COLUMNS} FROM plans WHERE chat_id = $1 AND platform = $2");
        let row = sqlx::query(&sql)
            .bind(chat_id.id)
            .bind(chat_id.platform.as_str())
            .fetch_optional(self.pool())
            .await?;
        Ok(read_plans(row.as_slice()).0.pop())
    }

    pub async fn delete_plan(&self, chat_id: ChatId) -> Result<bool> {
        let done = sqlx::query("DELETE FROM plans WHERE chat_id = $1 AND platform = $2")
            .bind(chat_id.id)
            .bind(chat_id.platform.as_str())
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Plans that should run: not paused, in chats that are active.
    pub async fn running_plans(&self) -> Result<Vec<PlanRow>> {
        let sql = format!(
            "SELECT {PLAN_COLUMNS} FROM plans
             WHERE paused = 0 AND EXISTS (SELECT 1 FROM chats c
                 WHERE c.platform = plans.platform AND c.id = plans.chat_id AND c.active = 1)
             ORDER BY platform, chat_id"
        );
        let rows = sqlx::query(&sql).fetch_all(self.pool()).await?;
        Ok(read_plans(&rows).0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ChatKind;
    use crate::store::testing::each_store;

    fn plan(chat_id: ChatId) -> PlanRow {
        PlanRow::every_day(chat_id, "09:00", "Asia/Shanghai").unwrap()
    }

    #[tokio::test]
    async fn plans_run_only_in_active_chats() {
        each_store(async |store| {
            for id in [ChatId::telegram(1), ChatId::telegram(2)] {
                store
                    .upsert_chat(id, ChatKind::Private, None, 0)
                    .await
                    .unwrap();
                store.save_plan(&plan(id), 0).await.unwrap();
            }
            store.deactivate_chat(ChatId::telegram(2), 1).await.unwrap();
            let running: Vec<ChatId> = store
                .running_plans()
                .await
                .unwrap()
                .iter()
                .map(|p| p.chat_id)
                .collect();
            assert_eq!(running, vec![ChatId::telegram(1)]);
            assert!(
                store
                    .plan(ChatId::telegram(2))
                    .await
                    .unwrap()
                    .unwrap()
                    .paused
            );
        })
        .await;
    }
}
