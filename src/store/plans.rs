//! Daily plans as stored: each chat's time, zone, day rule, filters and
//! reveal, and who set it (the chat or the operator's file). The ledger
//! that makes each post happen once is `ledger`; when a plan is due, `due`.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Result, Store, chat_from_row};
use crate::domain::ChatId;

/// A chat's daily plan as stored (parsed and checked by `schedule`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanRow {
    pub chat_id: ChatId,
    /// Local time of day, `HH:MM`.
    pub post_time: String,
    /// IANA zone name.
    pub timezone: String,
    /// Comma-separated tags; questions with any of them.
    pub tag: Option<String>,
    /// `off`, `at HH:MM` or `after MINUTES`.
    pub reveal: String,
    pub thread_id: Option<i64>,
    pub paused: bool,
    /// The day rule's text: `daily`, `weekdays`, `mon,wed,fri`, `every 2 days`.
    pub days: String,
    /// The local date `every N days` counts from, `YYYY-MM-DD`.
    pub anchor: Option<String>,
    /// The first local date it may post on, `YYYY-MM-DD`.
    pub starts_on: Option<String>,
    /// Only questions of this deck.
    pub deck: Option<String>,
    /// Set by the operator's config file: the chat cannot change it.
    pub set_by_operator: bool,
    /// Discord: open a thread on each day's question; its reveal goes there.
    pub open_thread: bool,
    /// Discord: the role (id) the day's question mentions, and pings.
    pub ping_role: Option<i64>,
}

impl PlanRow {
    /// A plan every day at `post_time` in `timezone`, no filter, no reveal,
    /// set in the chat.
    pub fn new(chat_id: ChatId, post_time: &str, timezone: &str) -> PlanRow {
        PlanRow {
            chat_id,
            post_time: post_time.to_string(),
            timezone: timezone.to_string(),
            tag: None,
            reveal: "off".to_string(),
            thread_id: None,
            paused: false,
            days: "daily".to_string(),
            anchor: None,
            starts_on: None,
            deck: None,
            set_by_operator: false,
            open_thread: false,
            ping_role: None,
        }
    }
}

pub(super) fn plan_from_row(r: AnyRow) -> PlanRow {
    PlanRow {
        chat_id: chat_from_row(&r, "chat_id"),
        post_time: r.get("post_time"),
        timezone: r.get("timezone"),
        tag: r.get("tag"),
        reveal: r.get("reveal"),
        thread_id: r.get("thread_id"),
        paused: r.get::<i64, _>("paused") != 0,
        days: r.get("days"),
        anchor: r.get("anchor"),
        starts_on: r.get("starts_on"),
        deck: r.get("deck"),
        set_by_operator: r.get::<i64, _>("set_by_operator") != 0,
        open_thread: r.get::<i64, _>("open_thread") != 0,
        ping_role: r.get("ping_role"),
    }
}

pub(super) const PLAN_COLUMNS: &str = "platform, chat_id, post_time, timezone, tag, reveal, \
     thread_id, paused, days, anchor, starts_on, deck, set_by_operator, open_thread, ping_role";

impl Store {
    /// Saves a plan; its next due instant is unknown until the next
    /// wake-up works it out (`due`).
    pub async fn save_plan(&self, plan: &PlanRow, now: i64) -> Result<()> {
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
        .bind(&plan.post_time)
        .bind(&plan.timezone)
        .bind(&plan.tag)
        .bind(&plan.reveal)
        .bind(plan.thread_id)
        .bind(plan.paused as i64)
        .bind(now)
        .bind(plan.chat_id.platform.as_str())
        .bind(&plan.days)
        .bind(&plan.anchor)
        .bind(&plan.starts_on)
        .bind(&plan.deck)
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
        Ok(rows.into_iter().map(plan_from_row).collect())
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

    pub async fn plan(&self, chat_id: ChatId) -> Result<Option<PlanRow>> {
        let sql = format!("SELECT {PLAN_COLUMNS} FROM plans WHERE chat_id = $1 AND platform = $2");
        let row = sqlx::query(&sql)
            .bind(chat_id.id)
            .bind(chat_id.platform.as_str())
            .fetch_optional(self.pool())
            .await?;
        Ok(row.map(plan_from_row))
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
        Ok(rows.into_iter().map(plan_from_row).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ChatKind;
    use crate::store::testing::each_store;

    fn plan(chat_id: ChatId) -> PlanRow {
        PlanRow::new(chat_id, "09:00", "Asia/Shanghai")
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
