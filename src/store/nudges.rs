//! Reminders and weekly digests as stored, and a person's own zone. Like
//! daily plans (`due`), each keeps its next due instant indexed, so a
//! wake-up of the driver reads only the reminders and digests due; when
//! each is due, and whether a reminder is worth sending, is `study`'s rule.

use sqlx::Row;
use sqlx::any::AnyRow;

use jiff::civil::Time;
use jiff::tz::TimeZone;

use super::{Result, Store, chat_from_row, stored_zone};
use crate::domain::{ChatId, PersonId, Platform};
use crate::schedule::{self, DailyPlan, NamedZone, WeeklyPlan};

/// A person's daily review reminder, read once from its text columns
/// (`remind_time` `HH:MM`, `timezone` an IANA name) when loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderRow {
    pub person: PersonId,
    /// The private chat the nudge goes to.
    pub chat_id: ChatId,
    pub time: Time,
    pub zone: TimeZone,
    /// The zone's IANA name, as stored and shown.
    pub zone_name: String,
}

impl ReminderRow {
    /// The reminder as a daily rule for `schedule`.
    pub fn plan(&self) -> DailyPlan {
        DailyPlan::every_day(self.time, self.zone.clone(), self.zone_name.clone())
    }
}

/// A chat's weekly digest: its day, time and zone read once when loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestRow {
    pub chat_id: ChatId,
    pub plan: WeeklyPlan,
    pub thread_id: Option<i64>,
}

/// Only nudges for chats the bot may still write to.
const ACTIVE: &str = "EXISTS (SELECT 1 FROM chats c
    WHERE c.platform = t.platform AND c.id = t.chat_id AND c.active = 1)";

/// A stored row that does not read (edited by hand, or written by a
/// future version): where it is, and why.
#[derive(Debug)]
struct BadRow {
    chat_id: ChatId,
    person_id: Option<i64>,
    why: String,
}

fn reminder_from_row(r: &AnyRow) -> std::result::Result<ReminderRow, BadRow> {
    let chat_id = chat_from_row(r, "chat_id");
    let person_id: i64 = r.get("person_id");
    let bad = |why: String| BadRow {
        chat_id,
        person_id: Some(person_id),
        why,
    };
    let time =
        schedule::parse_time(&r.get::<String, _>("remind_time")).map_err(|e| bad(e.to_string()))?;
    let (zone_name, zone) =
        schedule::parse_zone(&r.get::<String, _>("timezone")).map_err(|e| bad(e.to_string()))?;
    Ok(ReminderRow {
        person: PersonId::new(chat_id.platform, person_id),
        chat_id,
        time,
        zone,
        zone_name,
    })
}

fn digest_from_row(r: &AnyRow) -> std::result::Result<DigestRow, BadRow> {
    let chat_id = chat_from_row(r, "chat_id");
    let weekday: i64 = r.get("weekday");
    let time: String = r.get("post_time");
    let zone: String = r.get("timezone");
    let plan = WeeklyPlan::from_parts(&weekday.to_string(), &time, &zone).map_err(|e| BadRow {
        chat_id,
        person_id: None,
        why: e.to_string(),
    })?;
    Ok(DigestRow {
        chat_id,
        plan,
        thread_id: r.get("thread_id"),
    })
}

/// The rows that read; those that do not are logged and left out.
fn readable<T>(
    rows: &[AnyRow],
    read: fn(&AnyRow) -> std::result::Result<T, BadRow>,
) -> (Vec<T>, Vec<BadRow>) {
    let mut good = Vec::with_capacity(rows.len());
    let mut bad = Vec::new();
    for row in rows {
        match read(row) {
            Ok(value) => good.push(value),
            Err(e) => {
                log::warn!(
                    "chat {}: a stored reminder or digest does not read: {}",
                    e.chat_id,
                    e.why
                );
                bad.push(e);
            }
        }
    }
    (good, bad)
}

fn first<T>(row: Option<AnyRow>, read: fn(&AnyRow) -> std::result::Result<T, BadRow>) -> Option<T> {
    readable(row.as_slice(), read).0.into_iter().next()
}

const REMINDER_COLUMNS: &str = "platform, person_id, chat_id, remind_time, timezone";
const DIGEST_COLUMNS: &str = "platform, chat_id, weekday, post_time, timezone, thread_id";

impl Store {
    /// Sets the person's zone (kept in their profile).
    pub async fn set_person_zone(&self, person: PersonId, zone: &str, now: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO people (platform, id, timezone, updated_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (platform, id) DO UPDATE SET timezone = $3, updated_at = $4",
        )
        .bind(person.platform.as_str())
        .bind(person.id)
        .bind(zone)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The person's zone, if they set one (and it still resolves).
    pub async fn person_zone(&self, person: PersonId) -> Result<Option<NamedZone>> {
        let zone: Option<Option<String>> =
            sqlx::query_scalar("SELECT timezone FROM people WHERE platform = $1 AND id = $2")
                .bind(person.platform.as_str())
                .bind(person.id)
                .fetch_optional(self.pool())
                .await?;
        Ok(stored_zone(zone.flatten(), format_args!("person {person}")))
    }

    /// Saves (or replaces) a reminder; it is looked at at the next wake-up.
    pub async fn save_reminder(&self, row: &ReminderRow, now: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO reminders (platform, person_id, chat_id, remind_time, timezone,
                                    next_due, updated_at)
             VALUES ($1, $2, $3, $4, $5, 0, $6)
             ON CONFLICT (platform, person_id) DO UPDATE SET chat_id = $3, remind_time = $4,
                 timezone = $5, next_due = 0, updated_at = $6",
        )
        .bind(row.person.platform.as_str())
        .bind(row.person.id)
        .bind(row.chat_id.id)
        .bind(schedule::format_time(row.time))
        .bind(&row.zone_name)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn reminder(&self, person: PersonId) -> Result<Option<ReminderRow>> {
        let sql = format!(
            "SELECT {REMINDER_COLUMNS} FROM reminders WHERE platform = $1 AND person_id = $2"
        );
        let row = sqlx::query(&sql)
            .bind(person.platform.as_str())
            .bind(person.id)
            .fetch_optional(self.pool())
            .await?;
        Ok(first(row, reminder_from_row))
    }

    /// The reminder that writes to `chat`, if any.
    pub async fn reminder_in(&self, chat: ChatId) -> Result<Option<ReminderRow>> {
        let sql = format!(
            "SELECT {REMINDER_COLUMNS} FROM reminders WHERE platform = $1 AND chat_id = $2"
        );
        let row = sqlx::query(&sql)
            .bind(chat.platform.as_str())
            .bind(chat.id)
            .fetch_optional(self.pool())
            .await?;
        Ok(first(row, reminder_from_row))
    }

    pub async fn delete_reminder(&self, person: PersonId) -> Result<bool> {
        let done = sqlx::query("DELETE FROM reminders WHERE platform = $1 AND person_id = $2")
            .bind(person.platform.as_str())
            .bind(person.id)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Deletes the reminder that writes to `chat` (the chat is gone).
    pub async fn delete_reminder_in(&self, chat: ChatId) -> Result<bool> {
        let done = sqlx::query("DELETE FROM reminders WHERE platform = $1 AND chat_id = $2")
            .bind(chat.platform.as_str())
            .bind(chat.id)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// At most `limit` reminders due at or before `now`, earliest first.
    pub async fn due_reminders(
        &self,
        now: i64,
        limit: usize,
        platform: Option<Platform>,
    ) -> Result<Vec<ReminderRow>> {
        let rows = self
            .due_rows(
                "reminders",
                REMINDER_COLUMNS,
                "person_id",
                now,
                limit,
                platform,
            )
            .await?;
        let (due, bad) = readable(&rows, reminder_from_row);
        for row in bad {
            // Parked until saved again, rather than read at every wake-up.
            let person = PersonId::new(row.chat_id.platform, row.person_id.unwrap_or_default());
            self.set_reminder_due(person, i64::MAX).await?;
        }
        Ok(due)
    }

    pub async fn set_reminder_due(&self, person: PersonId, at: i64) -> Result<()> {
        sqlx::query("UPDATE reminders SET next_due = $1 WHERE platform = $2 AND person_id = $3")
            .bind(at)
            .bind(person.platform.as_str())
            .bind(person.id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Saves (or replaces) a chat's digest; looked at at the next wake-up.
    pub async fn save_digest(&self, row: &DigestRow, now: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO digests (platform, chat_id, weekday, post_time, timezone, thread_id,
                                  next_due, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, 0, $7)
             ON CONFLICT (platform, chat_id) DO UPDATE SET weekday = $3, post_time = $4,
                 timezone = $5, thread_id = $6, next_due = 0, updated_at = $7",
        )
        .bind(row.chat_id.platform.as_str())
        .bind(row.chat_id.id)
        .bind(i64::from(row.plan.weekday.to_monday_one_offset()))
        .bind(schedule::format_time(row.plan.time))
        .bind(&row.plan.zone_name)
        .bind(row.thread_id)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn digest(&self, chat: ChatId) -> Result<Option<DigestRow>> {
        let sql =
            format!("SELECT {DIGEST_COLUMNS} FROM digests WHERE platform = $1 AND chat_id = $2");
        let row = sqlx::query(&sql)
            .bind(chat.platform.as_str())
            .bind(chat.id)
            .fetch_optional(self.pool())
            .await?;
        Ok(first(row, digest_from_row))
    }

    pub async fn delete_digest(&self, chat: ChatId) -> Result<bool> {
        let done = sqlx::query("DELETE FROM digests WHERE platform = $1 AND chat_id = $2")
            .bind(chat.platform.as_str())
            .bind(chat.id)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// At most `limit` digests due at or before `now`, earliest first.
    pub async fn due_digests(
        &self,
        now: i64,
        limit: usize,
        platform: Option<Platform>,
    ) -> Result<Vec<DigestRow>> {
        let rows = self
            .due_rows("digests", DIGEST_COLUMNS, "chat_id", now, limit, platform)
            .await?;
        let (due, bad) = readable(&rows, digest_from_row);
        for row in bad {
            // Parked until saved again, rather than read at every wake-up.
            self.set_digest_due(row.chat_id, i64::MAX).await?;
        }
        Ok(due)
    }

    /// The rows of `table` (reminders or digests) due at or before `now`,
    /// in active chats, earliest first (then by key: platform, `key`),
    /// through its `next_due` index.
    #[allow(clippy::too_many_arguments)]
    async fn due_rows(
        &self,
        table: &str,
        columns: &str,
        key: &str,
        now: i64,
        limit: usize,
        platform: Option<Platform>,
    ) -> Result<Vec<AnyRow>> {
        let hint = self.index_hint(&format!("{table}_next_due"));
        let sql = format!(
            "SELECT {columns} FROM {table} t {hint}
             WHERE next_due <= $1 AND {ACTIVE} AND ($3 IS NULL OR platform = $3)
             ORDER BY next_due, platform, {key} LIMIT $2"
        );
        Ok(sqlx::query(&sql)
            .bind(now)
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .bind(platform.map(Platform::as_str))
            .fetch_all(self.pool())
            .await?)
    }

    pub async fn set_digest_due(&self, chat: ChatId, at: i64) -> Result<()> {
        sqlx::query("UPDATE digests SET next_due = $1 WHERE platform = $2 AND chat_id = $3")
            .bind(at)
            .bind(chat.platform.as_str())
            .bind(chat.id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The earliest instant any reminder or digest is next due.
    pub async fn earliest_nudge(&self, platform: Option<Platform>) -> Result<Option<i64>> {
        let mut earliest: Option<i64> = None;
        for table in ["reminders", "digests"] {
            let hint = self.index_hint(&format!("{table}_next_due"));
            let sql = format!(
                "SELECT next_due FROM {table} t {hint}
                 WHERE {ACTIVE} AND ($1 IS NULL OR platform = $1)
                 ORDER BY next_due LIMIT 1"
            );
            let next: Option<i64> = sqlx::query_scalar(&sql)
                .bind(platform.map(Platform::as_str))
                .fetch_optional(self.pool())
                .await?;
            earliest = match (earliest, next) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        Ok(earliest)
    }

    /// Forgets every reminder's and digest's instant (the clock moved).
    pub async fn forget_nudge_instants(&self) -> Result<()> {
        for table in ["reminders", "digests"] {
            let sql = format!("UPDATE {table} SET next_due = 0 WHERE next_due <> 0");
            sqlx::query(&sql).execute(self.pool()).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "nudges_tests.rs"]
mod tests;
