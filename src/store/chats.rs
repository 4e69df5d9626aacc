//! Chats: who the bot talks to, in which language and zone, and whether
//! its platform still lets it. Also Telegram's group → supergroup move.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Result, Store, chat_from_row, settings_epoch, stored_zone};
use crate::domain::{ChatId, ChatKind, Lang};
use crate::schedule::NamedZone;

/// What follows the new row in both forms of the chat upsert.
macro_rules! on_conflict_refresh_the_chat {
    () => {
        " ON CONFLICT (platform, id) DO UPDATE SET kind = $2, title = COALESCE($3, chats.title),
             language = COALESCE(chats.language, $6), updated_at = $4
         RETURNING platform, id, kind, title, language, timezone, active"
    };
}

/// A chat seen: created, or its kind and title refreshed, its language
/// kept if it has one.
const UPSERT_CHAT: &str = concat!(
    "INSERT INTO chats (platform, id, kind, title, language, created_at, updated_at)
     VALUES ($5, $1, $2, $3, $6, $4, $4)",
    on_conflict_refresh_the_chat!()
);

/// The same on PostgreSQL, its transaction committed without waiting for
/// the WAL's flush (`set_config(…, true)` lasts for this transaction only).
const UPSERT_CHAT_UNWAITED: &str = concat!(
    "INSERT INTO chats (platform, id, kind, title, language, created_at, updated_at)
     SELECT $5, $1, $2, $3, $6, $4, $4
     WHERE set_config('synchronous_commit', 'off', true) = 'off'",
    on_conflict_refresh_the_chat!()
);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatRow {
    pub id: ChatId,
    pub kind: ChatKind,
    pub title: Option<String>,
    /// The chat's chosen language; a stored code the bot does not speak
    /// reads as none (the default language).
    pub language: Option<Lang>,
    /// The chat's chosen zone; a stored name that no longer resolves reads
    /// as none (the default zone).
    pub timezone: Option<NamedZone>,
    pub active: bool,
}

impl Store {
    /// Records that the bot saw this chat (creating it, or refreshing its
    /// kind and title) and returns its row.
    pub async fn upsert_chat(
        &self,
        id: ChatId,
        kind: ChatKind,
        title: Option<&str>,
        now: i64,
    ) -> Result<ChatRow> {
        self.upsert_chat_speaking(id, kind, title, None, now).await
    }

    /// [`Store::upsert_chat`], giving the chat `language` if it has none
    /// yet (a private chat speaks its person's language): one statement,
    /// so a new private chat's first message waits for one commit, not two.
    pub async fn upsert_chat_speaking(
        &self,
        id: ChatId,
        kind: ChatKind,
        title: Option<&str>,
        language: Option<Lang>,
        now: i64,
    ) -> Result<ChatRow> {
        self.write_chat_seen(UPSERT_CHAT, id, kind, title, language, now)
            .await
    }

    /// [`Store::upsert_chat_speaking`] for a chat that had no row: on
    /// PostgreSQL committed without waiting for the WAL to reach the disk
    /// (`synchronous_commit` off for this statement's transaction alone),
    /// as the person's first reply would otherwise wait for that flush
    /// (2–4 ms). A server crash in the next fraction of a second may lose
    /// the row; the engine therefore does not keep it in its cache, and the
    /// chat's next message, finding no row, writes it again.
    pub async fn first_sight_of_chat(
        &self,
        id: ChatId,
        kind: ChatKind,
        title: Option<&str>,
        language: Option<Lang>,
        now: i64,
    ) -> Result<ChatRow> {
        let write = match self.backend() {
            super::Backend::Sqlite => UPSERT_CHAT,
            super::Backend::Postgres => UPSERT_CHAT_UNWAITED,
        };
        self.write_chat_seen(write, id, kind, title, language, now)
            .await
    }

    /// `write` (either form of the chat upsert) for what a message says of
    /// its chat.
    async fn write_chat_seen(
        &self,
        write: &'static str,
        id: ChatId,
        kind: ChatKind,
        title: Option<&str>,
        language: Option<Lang>,
        now: i64,
    ) -> Result<ChatRow> {
        // One statement: the write, the epoch's raise and the row back.
        let row = sqlx::query(&self.raising(write))
            .bind(id.id)
            .bind(kind.as_str())
            .bind(title)
            .bind(now)
            .bind(id.platform.as_str())
            .bind(language.map(Lang::code))
            .fetch_one(self.pool())
            .await?;
        Ok(chat_row(&row))
    }

    pub async fn chat(&self, id: ChatId) -> Result<Option<ChatRow>> {
        let row = sqlx::query(
            "SELECT platform, id, kind, title, language, timezone, active FROM chats
             WHERE platform = $1 AND id = $2",
        )
        .bind(id.platform.as_str())
        .bind(id.id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.as_ref().map(chat_row))
    }

    /// Sets the chat's language (and raises the settings epoch with it).
    pub async fn set_language(&self, id: ChatId, language: Lang, now: i64) -> Result<()> {
        let sql = self.raising(
            "UPDATE chats SET language = $2, updated_at = $3 WHERE id = $1 AND platform = $4",
        );
        sqlx::query(&sql)
            .bind(id.id)
            .bind(language.code())
            .bind(now)
            .bind(id.platform.as_str())
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Sets the chat's zone (no cache holds it: the epoch stays).
    pub async fn set_timezone(&self, id: ChatId, timezone: &str, now: i64) -> Result<()> {
        let mut conn = self.pool().acquire().await?;
        set_chat_text(&mut conn, id, "timezone", timezone, now).await
    }

    /// Marks a chat the bot may no longer post to (kicked, blocked,
    /// deleted), and pauses its daily plan; seeing it again re-activates it.
    pub async fn deactivate_chat(&self, id: ChatId, now: i64) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        sqlx::query("UPDATE chats SET active = 0, updated_at = $2 WHERE id = $1 AND platform = $3")
            .bind(id.id)
            .bind(now)
            .bind(id.platform.as_str())
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE plans SET paused = 1 WHERE chat_id = $1 AND platform = $2")
            .bind(id.id)
            .bind(id.platform.as_str())
            .execute(&mut *tx)
            .await?;
        settings_epoch::raise(&mut tx, self.backend()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Re-activates a chat that wrote to the bot again (and its plan).
    pub async fn reactivate_chat(&self, id: ChatId, now: i64) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        sqlx::query(
            "UPDATE chats SET active = 1, updated_at = $2
             WHERE id = $1 AND platform = $3 AND active = 0",
        )
        .bind(id.id)
        .bind(now)
        .bind(id.platform.as_str())
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE plans SET paused = 0, next_due = 0 WHERE chat_id = $1 AND platform = $2",
        )
        .bind(id.id)
        .bind(id.platform.as_str())
        .execute(&mut *tx)
        .await?;
        settings_epoch::raise(&mut tx, self.backend()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Moves everything known about chat `from` to chat `to` (a Telegram
    /// group that became a supergroup; both on one platform). What `to`
    /// already had is replaced by `from`'s, except the asks, which are kept
    /// from both. Idempotent.
    pub async fn migrate_chat(&self, from: ChatId, to: ChatId, now: i64) -> Result<bool> {
        if from == to || from.platform != to.platform {
            return Ok(false);
        }
        let platform = from.platform.as_str();
        let mut tx = self.pool().begin().await?;
        // A write first, so the transaction takes the write lock at once
        // (waiting its turn) rather than failing to upgrade a read later.
        let exists =
            sqlx::query("UPDATE chats SET updated_at = $2 WHERE id = $1 AND platform = $3")
                .bind(from.id)
                .bind(now)
                .bind(platform)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                == 1;
        if exists {
            for (table, key) in [("chats", "id"), ("plans", "chat_id"), ("pins", "chat_id")] {
                sqlx::query(&format!(
                    "DELETE FROM {table} WHERE {key} = $1 AND platform = $2"
                ))
                .bind(to.id)
                .bind(platform)
                .execute(&mut *tx)
                .await?;
                sqlx::query(&format!(
                    "UPDATE {table} SET {key} = $2 WHERE {key} = $1 AND platform = $3"
                ))
                .bind(from.id)
                .bind(to.id)
                .bind(platform)
                .execute(&mut *tx)
                .await?;
            }
        }
        // Rows recorded under the old id after a first move (a reply that
        // was in flight) follow on the second migration message.
        let mut moved = exists;
        for (table, key) in CHAT_KEYED {
            moved |= move_rows(&mut tx, table, key, from.id, to.id, platform).await? > 0;
        }
        if !moved {
            return Ok(false);
        }
        sqlx::query(
            "UPDATE chats SET kind = 'supergroup', active = 1, updated_at = $2
             WHERE id = $1 AND platform = $3",
        )
        .bind(to.id)
        .bind(now)
        .bind(platform)
        .execute(&mut *tx)
        .await?;
        settings_epoch::raise(&mut tx, self.backend()).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Every active chat, for fan-outs and benchmarks.
    pub async fn active_chat_count(&self) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM chats WHERE active = 1")
                .fetch_one(self.pool())
                .await?,
        )
    }
}

/// A chat's row, read with the columns `chat` and `upsert_chat` name.
pub(super) fn chat_row(r: &AnyRow) -> ChatRow {
    let id = chat_from_row(r, "id");
    ChatRow {
        id,
        kind: ChatKind::parse(r.get("kind")),
        title: r.get("title"),
        language: r
            .get::<Option<String>, _>("language")
            .as_deref()
            .and_then(Lang::parse),
        timezone: stored_zone(r.get("timezone"), format_args!("chat {id}")),
        active: r.get::<i64, _>("active") != 0,
    }
}

/// Sets one text column of a chat's row. `column` is one of our own
/// constants, never user input.
async fn set_chat_text(
    conn: &mut sqlx::AnyConnection,
    id: ChatId,
    column: &str,
    value: &str,
    now: i64,
) -> Result<()> {
    let sql =
        format!("UPDATE chats SET {column} = $2, updated_at = $3 WHERE id = $1 AND platform = $4");
    sqlx::query(&sql)
        .bind(id.id)
        .bind(value)
        .bind(now)
        .bind(id.platform.as_str())
        .execute(conn)
        .await?;
    Ok(())
}

/// The tables whose rows follow a chat's move, each with the rest of its
/// key besides (platform, chat_id).
const CHAT_KEYED: [(&str, &[&str]); 6] = [
    ("seen", &["question_id"]),
    ("daily_ledger", &["local_date", "kind"]),
    ("asks", &[]),
    ("reviews", &["person_id", "message_id"]),
    ("choice_answers", &["message_id", "person_id"]),
    ("quiz_polls", &[]),
];

/// Moves `table`'s rows of chat `from` to chat `to`; a row `to` already
/// had under the same key is replaced by `from`'s. Returns the rows moved.
async fn move_rows(
    tx: &mut sqlx::AnyConnection,
    table: &str,
    key: &[&str],
    from: i64,
    to: i64,
    platform: &str,
) -> Result<u64> {
    if !key.is_empty() {
        let same_key: String = key
            .iter()
            .map(|column| format!(" AND o.{column} = {table}.{column}"))
            .collect();
        sqlx::query(&format!(
            "DELETE FROM {table} WHERE chat_id = $2 AND platform = $3 AND EXISTS
                 (SELECT 1 FROM {table} o WHERE o.platform = $3 AND o.chat_id = $1{same_key})"
        ))
        .bind(from)
        .bind(to)
        .bind(platform)
        .execute(&mut *tx)
        .await?;
    }
    let done = sqlx::query(&format!(
        "UPDATE {table} SET chat_id = $2 WHERE chat_id = $1 AND platform = $3"
    ))
    .bind(from)
    .bind(to)
    .bind(platform)
    .execute(&mut *tx)
    .await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
#[path = "chats_tests.rs"]
mod tests;
