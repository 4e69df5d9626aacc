//! Where a server's suggestions are moderated: the channel its admin named
//! (a "desk", one a server), and the server each suggestion came from, so
//! a press is only honoured in the desk of the suggestion's own server.

use crate::domain::{ChatId, Platform};
use crate::store::{Result, Store};

impl Store {
    /// Names `channel` the moderation channel of server `space`.
    pub async fn set_suggestion_desk(
        &self,
        space: i64,
        channel: ChatId,
        named_by: i64,
        at: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO suggestion_desks (platform, space_id, channel_id, named_by, named_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (platform, space_id) DO UPDATE SET channel_id = $3, named_by = $4,
                 named_at = $5",
        )
        .bind(channel.platform.as_str())
        .bind(space)
        .bind(channel.id)
        .bind(named_by)
        .bind(at)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Closes suggestions in server `space`; false if none were open.
    pub async fn clear_suggestion_desk(&self, platform: Platform, space: i64) -> Result<bool> {
        let done =
            sqlx::query("DELETE FROM suggestion_desks WHERE platform = $1 AND space_id = $2")
                .bind(platform.as_str())
                .bind(space)
                .execute(self.pool())
                .await?;
        Ok(done.rows_affected() > 0)
    }

    /// The moderation channel of server `space`, if one is named.
    pub async fn suggestion_desk(&self, platform: Platform, space: i64) -> Result<Option<ChatId>> {
        let channel: Option<i64> = sqlx::query_scalar(
            "SELECT channel_id FROM suggestion_desks WHERE platform = $1 AND space_id = $2",
        )
        .bind(platform.as_str())
        .bind(space)
        .fetch_optional(self.pool())
        .await?;
        Ok(channel.map(|id| ChatId::new(platform, id)))
    }

    /// Remembers that suggestion `id` was sent in server `space`.
    pub async fn set_suggestion_space(
        &self,
        platform: Platform,
        id: i64,
        space: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO suggestion_spaces (platform, suggestion_id, space_id) VALUES ($1, $2, $3)
             ON CONFLICT (platform, suggestion_id) DO UPDATE SET space_id = $3",
        )
        .bind(platform.as_str())
        .bind(id)
        .bind(space)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The server suggestion `id` was sent in, if it came from one.
    pub async fn suggestion_space(&self, platform: Platform, id: i64) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT space_id FROM suggestion_spaces WHERE platform = $1 AND suggestion_id = $2",
        )
        .bind(platform.as_str())
        .bind(id)
        .fetch_optional(self.pool())
        .await?)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::{ChatId, Platform};
    use crate::store::testing::each_store;

    #[tokio::test]
    async fn a_server_has_one_desk_named_again_or_cleared() {
        each_store(async |store| {
            let discord = Platform::Discord;
            assert_eq!(store.suggestion_desk(discord, 7).await.unwrap(), None);
            let mods = ChatId::new(discord, 70);
            store.set_suggestion_desk(7, mods, 1, 10).await.unwrap();
            let other = ChatId::new(discord, 71);
            store.set_suggestion_desk(7, other, 2, 20).await.unwrap();
            assert_eq!(
                store.suggestion_desk(discord, 7).await.unwrap(),
                Some(other)
            );
            assert_eq!(store.suggestion_desk(discord, 8).await.unwrap(), None);
            assert!(store.clear_suggestion_desk(discord, 7).await.unwrap());
            assert!(!store.clear_suggestion_desk(discord, 7).await.unwrap());
            assert_eq!(store.suggestion_desk(discord, 7).await.unwrap(), None);
        })
        .await;
    }

    #[tokio::test]
    async fn a_suggestion_remembers_its_server() {
        each_store(async |store| {
            let discord = Platform::Discord;
            assert_eq!(store.suggestion_space(discord, 3).await.unwrap(), None);
            store.set_suggestion_space(discord, 3, 7).await.unwrap();
            assert_eq!(store.suggestion_space(discord, 3).await.unwrap(), Some(7));
            let telegram = Platform::Telegram;
            assert_eq!(store.suggestion_space(telegram, 3).await.unwrap(), None);
        })
        .await;
    }
}
