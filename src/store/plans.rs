//! Daily plans and the ledger that makes each daily post and reveal happen
//! at most once per (chat, local date), across restarts.
//!
//! The ledger is claimed *before* sending and finished after: a restart
//! finds claimed rows and completes them, so nothing is lost, and the only
//! posts that can repeat are those in flight at a crash.

use sqlx::Row;
use sqlx::sqlite::SqliteRow;

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
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerKind {
    Post,
    Reveal,
    /// A person's review reminder (keyed by their private chat).
    Remind,
    /// A chat's weekly digest (keyed by the digest's local date).
    Digest,
}

impl LedgerKind {
    fn as_str(self) -> &'static str {
        match self {
            LedgerKind::Post => "post",
            LedgerKind::Reveal => "reveal",
            LedgerKind::Remind => "remind",
            LedgerKind::Digest => "digest",
        }
    }

    fn parse(s: &str) -> LedgerKind {
        match s {
            "reveal" => LedgerKind::Reveal,
            "remind" => LedgerKind::Remind,
            "digest" => LedgerKind::Digest,
            _ => LedgerKind::Post,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerState {
    /// About to be sent (or in flight when the process died).
    Claimed,
    Done,
    /// Missed beyond the grace period, or not applicable.
    Skipped,
}

impl LedgerState {
    fn as_str(self) -> &'static str {
        match self {
            LedgerState::Claimed => "claimed",
            LedgerState::Done => "done",
            LedgerState::Skipped => "skipped",
        }
    }

    fn parse(s: &str) -> LedgerState {
        match s {
            "done" => LedgerState::Done,
            "skipped" => LedgerState::Skipped,
            _ => LedgerState::Claimed,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerEntry {
    pub chat_id: ChatId,
    pub local_date: String,
    pub kind: LedgerKind,
    pub state: LedgerState,
    pub question_id: String,
    pub ask_id: Option<i64>,
    pub at: i64,
}

/// A ledger entry about to be written.
#[derive(Debug, Clone)]
pub struct NewEntry<'a> {
    pub chat_id: ChatId,
    pub local_date: &'a str,
    pub kind: LedgerKind,
    pub question_id: &'a str,
    /// For reveals: the ask being revealed.
    pub ask_id: Option<i64>,
    pub at: i64,
}

pub(super) fn plan_from_row(r: SqliteRow) -> PlanRow {
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
    }
}

fn entry_from_row(r: SqliteRow) -> LedgerEntry {
    let kind: String = r.get("kind");
    LedgerEntry {
        chat_id: chat_from_row(&r, "chat_id"),
        local_date: r.get("local_date"),
        kind: LedgerKind::parse(&kind),
        state: LedgerState::parse(r.get("state")),
        question_id: r.get("question_id"),
        ask_id: r.get("ask_id"),
        at: r.get("at"),
    }
}

pub(super) const PLAN_COLUMNS: &str = "platform, chat_id, post_time, timezone, tag, reveal, \
     thread_id, paused, days, anchor, starts_on, deck, set_by_operator";

impl Store {
    /// Saves a plan; its next due instant is unknown until the next
    /// wake-up works it out (`due`).
    pub async fn save_plan(&self, plan: &PlanRow, now: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO plans
                 (platform, chat_id, post_time, timezone, tag, reveal, thread_id, paused,
                  updated_at, days, anchor, starts_on, deck, set_by_operator)
             VALUES (?9, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?10, ?11, ?12, ?13, ?14)
             ON CONFLICT (platform, chat_id) DO UPDATE SET post_time = ?2, timezone = ?3,
                 tag = ?4, reveal = ?5, thread_id = ?6, paused = ?7, updated_at = ?8,
                 days = ?10, anchor = ?11, starts_on = ?12, deck = ?13,
                 set_by_operator = ?14, next_due = 0",
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
        sqlx::query("UPDATE plans SET set_by_operator = 0 WHERE chat_id = ?1 AND platform = ?2")
            .bind(chat_id.id)
            .bind(chat_id.platform.as_str())
            .execute(self.pool())
            .await?;
        Ok(())
    }

    pub async fn plan(&self, chat_id: ChatId) -> Result<Option<PlanRow>> {
        let sql = format!("SELECT {PLAN_COLUMNS} FROM plans WHERE chat_id = ?1 AND platform = ?2");
        let row = sqlx::query(&sql)
            .bind(chat_id.id)
            .bind(chat_id.platform.as_str())
            .fetch_optional(self.pool())
            .await?;
        Ok(row.map(plan_from_row))
    }

    pub async fn delete_plan(&self, chat_id: ChatId) -> Result<bool> {
        let done = sqlx::query("DELETE FROM plans WHERE chat_id = ?1 AND platform = ?2")
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

    /// Claims (chat, date, kind) for sending `question_id`. False when it
    /// was already claimed, done or skipped: whoever claimed it first owns it.
    pub async fn claim(&self, entry: &NewEntry<'_>) -> Result<bool> {
        self.insert_entry(entry, LedgerState::Claimed).await
    }

    /// Records a day as skipped (missed beyond grace, or already revealed
    /// by hand). False if it was already in the ledger.
    pub async fn skip(&self, entry: &NewEntry<'_>) -> Result<bool> {
        self.insert_entry(entry, LedgerState::Skipped).await
    }

    async fn insert_entry(&self, entry: &NewEntry<'_>, state: LedgerState) -> Result<bool> {
        let done = sqlx::query(
            "INSERT OR IGNORE INTO daily_ledger
                 (platform, chat_id, local_date, kind, state, question_id, ask_id, at)
             VALUES (?8, ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )
        .bind(entry.chat_id.id)
        .bind(entry.local_date)
        .bind(entry.kind.as_str())
        .bind(state.as_str())
        .bind(entry.question_id)
        .bind(entry.ask_id)
        .bind(entry.at)
        .bind(entry.chat_id.platform.as_str())
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Marks a claimed entry done, with the ask it made or revealed.
    pub async fn finish(
        &self,
        chat_id: ChatId,
        date: &str,
        kind: LedgerKind,
        ask_id: Option<i64>,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE daily_ledger SET state = 'done', ask_id = COALESCE(?4, ask_id), at = ?5
             WHERE chat_id = ?1 AND local_date = ?2 AND kind = ?3 AND platform = ?6",
        )
        .bind(chat_id.id)
        .bind(date)
        .bind(kind.as_str())
        .bind(ask_id)
        .bind(now)
        .bind(chat_id.platform.as_str())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Gives up a claim that could not be sent and should not be retried
    /// (the chat is gone): it is recorded as skipped.
    pub async fn abandon(
        &self,
        chat_id: ChatId,
        date: &str,
        kind: LedgerKind,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE daily_ledger SET state = 'skipped', at = ?4
             WHERE chat_id = ?1 AND local_date = ?2 AND kind = ?3 AND state = 'claimed'
                 AND platform = ?5",
        )
        .bind(chat_id.id)
        .bind(date)
        .bind(kind.as_str())
        .bind(now)
        .bind(chat_id.platform.as_str())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The latest ledger entry of a kind for a chat (by local date).
    pub async fn latest_entry(
        &self,
        chat_id: ChatId,
        kind: LedgerKind,
    ) -> Result<Option<LedgerEntry>> {
        let row = sqlx::query(
            "SELECT platform, chat_id, local_date, kind, state, question_id, ask_id, at
             FROM daily_ledger WHERE chat_id = ?1 AND kind = ?2 AND platform = ?3
             ORDER BY local_date DESC LIMIT 1",
        )
        .bind(chat_id.id)
        .bind(kind.as_str())
        .bind(chat_id.platform.as_str())
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(entry_from_row))
    }

    pub async fn entry(
        &self,
        chat_id: ChatId,
        date: &str,
        kind: LedgerKind,
    ) -> Result<Option<LedgerEntry>> {
        let row = sqlx::query(
            "SELECT platform, chat_id, local_date, kind, state, question_id, ask_id, at
             FROM daily_ledger
             WHERE chat_id = ?1 AND local_date = ?2 AND kind = ?3 AND platform = ?4",
        )
        .bind(chat_id.id)
        .bind(date)
        .bind(kind.as_str())
        .bind(chat_id.platform.as_str())
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(entry_from_row))
    }

    /// Claims left behind by a previous run (in flight when it stopped).
    pub async fn claimed_entries(&self) -> Result<Vec<LedgerEntry>> {
        let rows = sqlx::query(
            "SELECT platform, chat_id, local_date, kind, state, question_id, ask_id, at
             FROM daily_ledger WHERE state = 'claimed' ORDER BY at, platform, chat_id",
        )
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(entry_from_row).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ChatKind;

    fn plan(chat_id: ChatId) -> PlanRow {
        PlanRow::new(chat_id, "09:00", "Asia/Shanghai")
    }

    #[tokio::test]
    async fn plans_run_only_in_active_chats() {
        let store = Store::in_memory().await.unwrap();
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
    }

    fn entry(kind: LedgerKind, at: i64) -> NewEntry<'static> {
        NewEntry {
            chat_id: ChatId::telegram(1),
            local_date: "2026-11-29",
            kind,
            question_id: "q",
            ask_id: None,
            at,
        }
    }

    #[tokio::test]
    async fn a_day_is_claimed_once() {
        let store = Store::in_memory().await.unwrap();
        assert!(store.claim(&entry(LedgerKind::Post, 5)).await.unwrap());
        assert!(!store.claim(&entry(LedgerKind::Post, 6)).await.unwrap());
        assert!(store.claim(&entry(LedgerKind::Reveal, 6)).await.unwrap());
        assert_eq!(store.claimed_entries().await.unwrap().len(), 2);
        store
            .finish(
                ChatId::telegram(1),
                "2026-11-29",
                LedgerKind::Post,
                Some(9),
                7,
            )
            .await
            .unwrap();
        let e = store
            .latest_entry(ChatId::telegram(1), LedgerKind::Post)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((e.state, e.ask_id), (LedgerState::Done, Some(9)));
        assert!(!store.skip(&entry(LedgerKind::Post, 8)).await.unwrap());
    }
}
