//! The ledger that makes each daily post and reveal (and each nudge) happen
//! at most once per (chat, local date, kind), across restarts.
//!
//! The ledger is claimed *before* sending and finished after: a restart
//! finds claimed rows and completes them, so nothing is lost, and the only
//! posts that can repeat are those in flight at a crash. A claim records
//! the replica that made it (`Store::with_owner`), so claims can be handed
//! back by a replica that stops and adopted by another, compare-and-set.
//!
//! A row's local date is stored as text (`YYYY-MM-DD`, a `Date`'s Display)
//! and leaves the store as a `Date`; a row whose date does not read (a
//! database edited by hand) never leaves it: readers skip it with a warning.

use jiff::civil::Date;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Result, Store, chat_from_row};
use crate::domain::ChatId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LedgerKind {
    Post,
    Reveal,
    /// A person's review reminder (keyed by their private chat).
    Remind,
    /// A chat's weekly digest (keyed by the digest's local date).
    Digest,
}

impl LedgerKind {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            LedgerKind::Post => "post",
            LedgerKind::Reveal => "reveal",
            LedgerKind::Remind => "remind",
            LedgerKind::Digest => "digest",
        }
    }

    pub(super) fn parse(s: &str) -> LedgerKind {
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
    pub(super) fn as_str(self) -> &'static str {
        match self {
            LedgerState::Claimed => "claimed",
            LedgerState::Done => "done",
            LedgerState::Skipped => "skipped",
        }
    }

    pub(super) fn parse(s: &str) -> LedgerState {
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
    pub local_date: Date,
    pub kind: LedgerKind,
    pub state: LedgerState,
    pub question_id: String,
    pub ask_id: Option<i64>,
    pub at: i64,
    /// The replica that claimed it (kept once done); `None`: nobody, or
    /// handed back.
    pub owner: Option<i64>,
}

impl LedgerEntry {
    pub fn key(&self) -> LedgerKey {
        LedgerKey {
            chat_id: self.chat_id,
            local_date: self.local_date,
            kind: self.kind,
        }
    }
}

/// What names one ledger row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LedgerKey {
    pub chat_id: ChatId,
    pub local_date: Date,
    pub kind: LedgerKind,
}

/// A query on the `Any` driver, as the store builds them.
pub(super) type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

impl LedgerKey {
    /// Binds this key's columns in the order `platform, chat_id,
    /// local_date, kind` (the date as the store writes it).
    pub(super) fn bind_to<'q>(self, query: AnyQuery<'q>) -> AnyQuery<'q> {
        query
            .bind(self.chat_id.platform.as_str())
            .bind(self.chat_id.id)
            .bind(self.local_date.to_string())
            .bind(self.kind.as_str())
    }
}

/// A ledger entry about to be written.
#[derive(Debug, Clone)]
pub struct NewEntry<'a> {
    pub chat_id: ChatId,
    pub local_date: Date,
    pub kind: LedgerKind,
    pub question_id: &'a str,
    /// For reveals: the ask being revealed.
    pub ask_id: Option<i64>,
    pub at: i64,
}

impl NewEntry<'_> {
    pub fn key(&self) -> LedgerKey {
        LedgerKey {
            chat_id: self.chat_id,
            local_date: self.local_date,
            kind: self.kind,
        }
    }
}

/// A date as the store writes it (`YYYY-MM-DD`, the date's Display). Any
/// other spelling, even one jiff reads (`20261207`), does not read: the
/// row's key would then differ from the text updates look for.
pub(super) fn stored_date(text: &str) -> Option<Date> {
    let date: Date = text.parse().ok()?;
    (date.to_string() == text).then_some(date)
}

pub(super) const ENTRY_COLUMNS: &str =
    "platform, chat_id, local_date, kind, state, question_id, ask_id, at, owner";

/// The entry in a row read with `ENTRY_COLUMNS`; `None` (logged) when its
/// date does not read.
pub(super) fn entry_from_row(r: &AnyRow) -> Option<LedgerEntry> {
    let chat_id = chat_from_row(r, "chat_id");
    let kind = LedgerKind::parse(r.get("kind"));
    let text: String = r.get("local_date");
    let Some(local_date) = stored_date(&text) else {
        log::warn!(
            "chat {chat_id}: the {} ledger row dated `{text}` does not read as a date; left out",
            kind.as_str()
        );
        return None;
    };
    Some(LedgerEntry {
        chat_id,
        local_date,
        kind,
        state: LedgerState::parse(r.get("state")),
        question_id: r.get("question_id"),
        ask_id: r.get("ask_id"),
        at: r.get("at"),
        owner: r.get("owner"),
    })
}

impl Store {
    /// Claims (chat, date, kind) for sending `question_id`, for this
    /// handle's owner. False when it was already claimed, done or skipped:
    /// whoever claimed it first owns it.
    pub async fn claim(&self, entry: &NewEntry<'_>) -> Result<bool> {
        self.insert_entry(entry, LedgerState::Claimed, self.owner)
            .await
    }

    /// Records a day as skipped (missed beyond grace, or already revealed
    /// by hand). False if it was already in the ledger.
    pub async fn skip(&self, entry: &NewEntry<'_>) -> Result<bool> {
        self.insert_entry(entry, LedgerState::Skipped, None).await
    }

    async fn insert_entry(
        &self,
        entry: &NewEntry<'_>,
        state: LedgerState,
        owner: Option<i64>,
    ) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO daily_ledger
                 (platform, chat_id, local_date, kind, state, question_id, ask_id, at, owner)
             VALUES ($8, $1, $2, $3, $4, $5, $6, $7, $9)
             ON CONFLICT (platform, chat_id, local_date, kind) DO NOTHING",
        )
        .bind(entry.chat_id.id)
        .bind(entry.local_date.to_string())
        .bind(entry.kind.as_str())
        .bind(state.as_str())
        .bind(entry.question_id)
        .bind(entry.ask_id)
        .bind(entry.at)
        .bind(entry.chat_id.platform.as_str())
        .bind(owner)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Marks a claimed entry done, with the ask it made or revealed.
    pub async fn finish(
        &self,
        chat_id: ChatId,
        date: Date,
        kind: LedgerKind,
        ask_id: Option<i64>,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE daily_ledger SET state = 'done', ask_id = COALESCE($4, ask_id), at = $5
             WHERE chat_id = $1 AND local_date = $2 AND kind = $3 AND platform = $6",
        )
        .bind(chat_id.id)
        .bind(date.to_string())
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
        date: Date,
        kind: LedgerKind,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE daily_ledger SET state = 'skipped', at = $4
             WHERE chat_id = $1 AND local_date = $2 AND kind = $3 AND state = 'claimed'
                 AND platform = $5",
        )
        .bind(chat_id.id)
        .bind(date.to_string())
        .bind(kind.as_str())
        .bind(now)
        .bind(chat_id.platform.as_str())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Moves a claimed row from `expected_owner` to this handle's owner, if
    /// it is still claimed by `expected_owner` (`None`: by nobody). True
    /// when this call moved it; two replicas adopting at once, one wins.
    pub async fn adopt(&self, key: LedgerKey, expected_owner: Option<i64>) -> Result<bool> {
        let query = sqlx::query(
            "UPDATE daily_ledger SET owner = $5
             WHERE platform = $1 AND chat_id = $2 AND local_date = $3 AND kind = $4
                 AND state = 'claimed' AND owner IS NOT DISTINCT FROM $6",
        );
        let done = key
            .bind_to(query)
            .bind(self.owner)
            .bind(expected_owner)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Hands back every row `owner` still holds claimed (it stops): they
    /// belong to nobody until a replica adopts them. Returns how many.
    pub async fn hand_back(&self, owner: i64) -> Result<u64> {
        let done = sqlx::query(
            "UPDATE daily_ledger SET owner = NULL WHERE owner = $1 AND state = 'claimed'",
        )
        .bind(owner)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected())
    }

    /// The latest ledger entry of a kind for a chat (by local date); `None`
    /// too when the latest row's date does not read (logged).
    pub async fn latest_entry(
        &self,
        chat_id: ChatId,
        kind: LedgerKind,
    ) -> Result<Option<LedgerEntry>> {
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM daily_ledger
             WHERE chat_id = $1 AND kind = $2 AND platform = $3
             ORDER BY local_date DESC LIMIT 1"
        );
        let row = sqlx::query(&sql)
            .bind(chat_id.id)
            .bind(kind.as_str())
            .bind(chat_id.platform.as_str())
            .fetch_optional(self.pool())
            .await?;
        Ok(row.as_ref().and_then(entry_from_row))
    }

    pub async fn entry(
        &self,
        chat_id: ChatId,
        date: Date,
        kind: LedgerKind,
    ) -> Result<Option<LedgerEntry>> {
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM daily_ledger
             WHERE chat_id = $1 AND local_date = $2 AND kind = $3 AND platform = $4"
        );
        let row = sqlx::query(&sql)
            .bind(chat_id.id)
            .bind(date.to_string())
            .bind(kind.as_str())
            .bind(chat_id.platform.as_str())
            .fetch_optional(self.pool())
            .await?;
        Ok(row.as_ref().and_then(entry_from_row))
    }

    /// Claims left behind by a previous run (in flight when it stopped).
    pub async fn claimed_entries(&self) -> Result<Vec<LedgerEntry>> {
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM daily_ledger WHERE state = 'claimed'
             ORDER BY at, platform, chat_id, local_date, kind"
        );
        let rows = sqlx::query(&sql).fetch_all(self.pool()).await?;
        Ok(rows.iter().filter_map(entry_from_row).collect())
    }
}

#[cfg(test)]
#[path = "ledger_tests.rs"]
mod tests;
