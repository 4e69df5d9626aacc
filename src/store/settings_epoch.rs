//! The settings epoch: one number per database, raised in the same
//! transaction as every write of a fact the engine keeps in its hot-read
//! cache (`study::hot`): a chat's kind, title, language and active flag,
//! and its pin setting. A replica that finds the number moved since it
//! last looked drops its cache; a bot alone never reads it.
//!
//! Only PostgreSQL databases are shared by replicas, so only there is it
//! raised: a bot on SQLite runs alone and never reads it, and each raise
//! there was a statement (and for a lone write, a transaction) per write
//! for nobody. On PostgreSQL a lone write raises it in the same statement
//! (`raising`: a data-modifying `WITH`, which PostgreSQL always runs).

use std::borrow::Cow;

use super::{Backend, Result, Store};

/// The raise, as a `WITH` clause to put before a write on PostgreSQL.
const RAISE_CLAUSE: &str = "WITH raised AS (INSERT INTO settings_epoch (id, epoch) VALUES (1, 1) \
     ON CONFLICT (id) DO UPDATE SET epoch = settings_epoch.epoch + 1) ";

impl Store {
    /// The current epoch (0 before the first cached fact was ever written).
    pub async fn settings_epoch(&self) -> Result<i64> {
        let epoch: Option<i64> =
            sqlx::query_scalar("SELECT epoch FROM settings_epoch WHERE id = 1")
                .fetch_optional(self.pool())
                .await?;
        Ok(epoch.unwrap_or(0))
    }
}

impl Store {
    /// `write` (one statement writing a cached fact), raising the epoch in
    /// the same statement where replicas may read it.
    pub(super) fn raising(&self, write: &'static str) -> Cow<'static, str> {
        match self.backend() {
            Backend::Postgres => Cow::Owned(format!("{RAISE_CLAUSE}{write}")),
            Backend::Sqlite => Cow::Borrowed(write),
        }
    }
}

/// Raises the epoch, inside the caller's transaction (the write it
/// marks), where replicas may read it.
pub(super) async fn raise(tx: &mut sqlx::AnyConnection, backend: Backend) -> Result<()> {
    if backend == Backend::Sqlite {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO settings_epoch (id, epoch) VALUES (1, 1)
         ON CONFLICT (id) DO UPDATE SET epoch = settings_epoch.epoch + 1",
    )
    .execute(tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::domain::{ChatId, ChatKind};
    use crate::store::testing::each_store;
    use crate::store::{Backend, PinRow};

    const G: ChatId = ChatId::telegram(-5);
    const SUPER: ChatId = ChatId::telegram(-1005);

    #[tokio::test]
    async fn every_write_of_a_cached_fact_raises_the_epoch() {
        each_store(async |store| {
            assert_eq!(store.settings_epoch().await.unwrap(), 0);
            // Only PostgreSQL is shared by replicas, the epoch's readers.
            let raises = store.backend() == Backend::Postgres;
            let mut last = 0;
            let mut raised = async |what: &str| {
                let now = store.settings_epoch().await.unwrap();
                if raises {
                    assert!(now > last, "{what} did not raise the epoch");
                } else {
                    assert_eq!(now, 0, "{what} raised the epoch on SQLite");
                }
                last = now;
            };
            store
                .upsert_chat(G, ChatKind::Group, Some("g"), 1)
                .await
                .unwrap();
            raised("upsert_chat").await;
            store
                .set_language(G, crate::domain::Lang::En, 2)
                .await
                .unwrap();
            raised("set_language").await;
            store.deactivate_chat(G, 3).await.unwrap();
            raised("deactivate_chat").await;
            store.reactivate_chat(G, 4).await.unwrap();
            raised("reactivate_chat").await;
            let on = PinRow {
                enabled: true,
                ..PinRow::default()
            };
            store.save_pin(G, on, 5).await.unwrap();
            raised("save_pin").await;
            store.save_pin_choice(G, false, 5).await.unwrap();
            raised("save_pin_choice").await;
            assert!(store.migrate_chat(G, SUPER, 6).await.unwrap());
            raised("migrate_chat").await;
        })
        .await;
    }

    #[tokio::test]
    async fn what_the_cache_does_not_hold_leaves_the_epoch_alone() {
        each_store(async |store| {
            store
                .upsert_chat(G, ChatKind::Group, None, 1)
                .await
                .unwrap();
            store
                .save_pin(
                    G,
                    PinRow {
                        enabled: true,
                        ..PinRow::default()
                    },
                    1,
                )
                .await
                .unwrap();
            let before = store.settings_epoch().await.unwrap();
            store.set_timezone(G, "Asia/Shanghai", 2).await.unwrap();
            store.save_pin_progress(G, None, true, 3).await.unwrap();
            assert_eq!(store.settings_epoch().await.unwrap(), before);
            assert!(store.pin(G).await.unwrap().warned);
        })
        .await;
    }
}
