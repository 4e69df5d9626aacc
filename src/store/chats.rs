//! Chats: who the bot talks to, in which language and zone, and whether
//! Telegram still lets it. Also the group → supergroup move.

use sqlx::Row;

use super::{Result, Store};

/// The kind of a chat, as platforms describe it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChatKind {
    Private,
    Group,
    Supergroup,
    Channel,
}

impl ChatKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChatKind::Private => "private",
            ChatKind::Group => "group",
            ChatKind::Supergroup => "supergroup",
            ChatKind::Channel => "channel",
        }
    }

    pub fn parse(s: &str) -> ChatKind {
        match s {
            "group" => ChatKind::Group,
            "supergroup" => ChatKind::Supergroup,
            "channel" => ChatKind::Channel,
            _ => ChatKind::Private,
        }
    }

    /// Groups and supergroups: many people, admins decide settings.
    pub fn is_group(self) -> bool {
        matches!(self, ChatKind::Group | ChatKind::Supergroup)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatRow {
    pub id: i64,
    pub kind: ChatKind,
    pub title: Option<String>,
    pub language: Option<String>,
    pub timezone: Option<String>,
    pub active: bool,
}

impl Store {
    /// Records that the bot saw this chat (creating it, or refreshing its
    /// kind and title) and returns its row.
    pub async fn upsert_chat(
        &self,
        id: i64,
        kind: ChatKind,
        title: Option<&str>,
        now: i64,
    ) -> Result<ChatRow> {
        sqlx::query(
            "INSERT INTO chats (id, kind, title, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)
             ON CONFLICT (id) DO UPDATE SET kind = ?2, title = COALESCE(?3, title),
                 updated_at = ?4",
        )
        .bind(id)
        .bind(kind.as_str())
        .bind(title)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(self.chat(id).await?.expect("the row was just written"))
    }

    pub async fn chat(&self, id: i64) -> Result<Option<ChatRow>> {
        let row = sqlx::query(
            "SELECT id, kind, title, language, timezone, active FROM chats WHERE id = ?1",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|r| ChatRow {
            id: r.get("id"),
            kind: ChatKind::parse(r.get("kind")),
            title: r.get("title"),
            language: r.get("language"),
            timezone: r.get("timezone"),
            active: r.get::<i64, _>("active") != 0,
        }))
    }

    pub async fn set_language(&self, id: i64, language: &str, now: i64) -> Result<()> {
        self.set_chat_text(id, "language", language, now).await
    }

    pub async fn set_timezone(&self, id: i64, timezone: &str, now: i64) -> Result<()> {
        self.set_chat_text(id, "timezone", timezone, now).await
    }

    async fn set_chat_text(&self, id: i64, column: &str, value: &str, now: i64) -> Result<()> {
        // `column` is one of our own constants, never user input.
        let sql = format!("UPDATE chats SET {column} = ?2, updated_at = ?3 WHERE id = ?1");
        sqlx::query(&sql)
            .bind(id)
            .bind(value)
            .bind(now)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Marks a chat the bot may no longer post to (kicked, blocked,
    /// deleted), and pauses its daily plan; seeing it again re-activates it.
    pub async fn deactivate_chat(&self, id: i64, now: i64) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        sqlx::query("UPDATE chats SET active = 0, updated_at = ?2 WHERE id = ?1")
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE plans SET paused = 1 WHERE chat_id = ?1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Re-activates a chat that wrote to the bot again (and its plan).
    pub async fn reactivate_chat(&self, id: i64, now: i64) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        sqlx::query("UPDATE chats SET active = 1, updated_at = ?2 WHERE id = ?1 AND active = 0")
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE plans SET paused = 0 WHERE chat_id = ?1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Moves everything known about chat `from` to chat `to` (a group that
    /// became a supergroup). What `to` already had is replaced by `from`'s,
    /// except the asks, which are kept from both. Idempotent.
    pub async fn migrate_chat(&self, from: i64, to: i64, now: i64) -> Result<bool> {
        if from == to {
            return Ok(false);
        }
        let mut tx = self.pool().begin().await?;
        // A write first, so the transaction takes the write lock at once
        // (waiting its turn) rather than failing to upgrade a read later.
        let exists = sqlx::query("UPDATE chats SET updated_at = ?2 WHERE id = ?1")
            .bind(from)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            == 1;
        if exists {
            for (table, key) in [("chats", "id"), ("plans", "chat_id")] {
                sqlx::query(&format!("DELETE FROM {table} WHERE {key} = ?1"))
                    .bind(to)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(&format!("UPDATE {table} SET {key} = ?2 WHERE {key} = ?1"))
                    .bind(from)
                    .bind(to)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        // Rows recorded under the old id after a first move (a reply that
        // was in flight) follow on the second migration message.
        let mut moved = exists;
        for table in ["seen", "daily_ledger", "asks"] {
            let done = sqlx::query(&format!(
                "UPDATE OR REPLACE {table} SET chat_id = ?2 WHERE chat_id = ?1"
            ))
            .bind(from)
            .bind(to)
            .execute(&mut *tx)
            .await?;
            moved |= done.rows_affected() > 0;
        }
        if !moved {
            return Ok(false);
        }
        sqlx::query(
            "UPDATE chats SET kind = 'supergroup', active = 1, updated_at = ?2 WHERE id = ?1",
        )
        .bind(to)
        .bind(now)
        .execute(&mut *tx)
        .await?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_chat_keeps_its_settings_and_can_be_deactivated() {
        let store = Store::in_memory().await.unwrap();
        let row = store
            .upsert_chat(-5, ChatKind::Group, Some("g"), 1)
            .await
            .unwrap();
        assert!(row.active && row.language.is_none());
        store.set_language(-5, "en", 2).await.unwrap();
        store.deactivate_chat(-5, 3).await.unwrap();
        let row = store.chat(-5).await.unwrap().unwrap();
        assert_eq!((row.language.as_deref(), row.active), (Some("en"), false));
        store.reactivate_chat(-5, 4).await.unwrap();
        assert!(store.chat(-5).await.unwrap().unwrap().active);
    }

    #[tokio::test]
    async fn migration_moves_settings_and_round_to_the_new_id() {
        let store = Store::in_memory().await.unwrap();
        store
            .upsert_chat(-5, ChatKind::Group, Some("g"), 1)
            .await
            .unwrap();
        store.set_language(-5, "en", 1).await.unwrap();
        store.mark_seen(-5, "q1").await.unwrap();
        // The new supergroup was seen first (its migration message).
        store
            .upsert_chat(-1005, ChatKind::Supergroup, None, 2)
            .await
            .unwrap();
        assert!(store.migrate_chat(-5, -1005, 3).await.unwrap());
        assert!(store.chat(-5).await.unwrap().is_none());
        let moved = store.chat(-1005).await.unwrap().unwrap();
        assert_eq!(moved.language.as_deref(), Some("en"));
        assert_eq!(moved.kind, ChatKind::Supergroup);
        assert!(store.seen(-1005).await.unwrap().contains("q1"));
        // Twice is harmless.
        assert!(!store.migrate_chat(-5, -1005, 4).await.unwrap());
    }
}
