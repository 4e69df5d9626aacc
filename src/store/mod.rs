//! Persistence: everything the bot must not forget across restarts.
//!
//! SQLite through sqlx (WAL, migrations embedded from `migrations/`). The
//! store answers questions and records facts; it holds no business rules:
//! what to pick, when to reveal and who may change what are decided by
//! `study` and `schedule`. Times are Unix seconds, local dates `YYYY-MM-DD`.

mod asks;
mod backup;
mod chats;
mod choices;
mod due;
mod feedback;
mod learn;
mod nudges;
mod plans;
mod standings;

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use sqlx::Row;
use sqlx::sqlite::SqliteRow;

pub use asks::{Ask, NewAsk};
pub use backup::{BackupError, backup};
pub use chats::ChatRow;
pub use choices::{PollRow, QuestionMessage};
pub use due::due_second;
pub use feedback::{NewReport, PinRow, PromptRow, ReportRow};
pub use learn::{CardRow, NewReview, Rated, ReviewRow, Schedule};
pub use nudges::{DigestRow, ReminderRow};
pub use plans::{LedgerEntry, LedgerKind, LedgerState, NewEntry, PlanRow};
pub use standings::{Forgotten, PersonRow, QUARTER_HOUR, Rater, RatingTotals};

use crate::domain::{ChatId, Platform};

/// What went wrong with the database, in words an operator can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database {url} is locked by another process (is another studybot running?)")]
    Locked { url: String },
    #[error(
        "the database {url} is read-only: give studybot write access to the file and its folder"
    )]
    ReadOnly { url: String },
    #[error("cannot open the database {url}: {source}")]
    Open { url: String, source: sqlx::Error },
    #[error("cannot bring the database {url} up to date: {source}")]
    Migrate {
        url: String,
        source: sqlx::migrate::MigrateError,
    },
    #[error("database error: {0}")]
    Query(#[from] sqlx::Error),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// A handle to the database; cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
}

impl Store {
    /// Opens (creating if missing) the database at `url`, e.g.
    /// `sqlite://studybot.db`, and applies pending migrations.
    pub async fn open(url: &str) -> Result<Store> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|source| StoreError::Open {
                url: url.to_string(),
                source,
            })?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // With WAL, NORMAL stays consistent through a process crash and
            // skips an fsync per commit (FULL cost replies 20–60 ms on a
            // slow disk); only a power loss may drop the last commits.
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(2))
            .foreign_keys(true);
        let in_memory = url.contains(":memory:");
        let pool = SqlitePoolOptions::new()
            // An in-memory database lives in one connection.
            .max_connections(if in_memory { 1 } else { 4 })
            .min_connections(if in_memory { 1 } else { 0 })
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await
            .map_err(|e| classify(url, e))?;
        let store = Store { pool };
        store.migrate(url).await?;
        store.probe_writable(url).await?;
        Ok(store)
    }

    /// A private in-memory database, for tests and the console's `--memory`.
    pub async fn in_memory() -> Result<Store> {
        Store::open("sqlite::memory:").await
    }

    async fn migrate(&self, url: &str) -> Result<()> {
        sqlx::migrate!("./migrations")
            .run(&self.pool)
            .await
            .map_err(|source| match source {
                sqlx::migrate::MigrateError::Execute(e) => classify(url, e),
                source => StoreError::Migrate {
                    url: url.to_string(),
                    source,
                },
            })
    }

    /// Takes the write lock and writes once (rolled back), so a locked or read-only
    /// database is reported at start, not at the first post.
    async fn probe_writable(&self, url: &str) -> Result<()> {
        let mut conn = self.pool.acquire().await.map_err(|e| classify(url, e))?;
        sqlx::query("BEGIN IMMEDIATE")
            .execute(&mut *conn)
            .await
            .map_err(|e| classify(url, e))?;
        // A write that is rolled back: read-only files fail here, not later.
        let written = sqlx::query(
            "INSERT INTO seen (platform, chat_id, question_id) VALUES ('telegram', 0, '')",
        )
        .execute(&mut *conn)
        .await;
        sqlx::query("ROLLBACK")
            .execute(&mut *conn)
            .await
            .map_err(|e| classify(url, e))?;
        written.map_err(|e| classify(url, e))?;
        Ok(())
    }

    /// A trivial read of the schema: the database answers.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT count(*) FROM sqlite_master")
            .fetch_one(&self.pool)
            .await?;
        Ok(())
    }

    /// Closes every connection, flushing the WAL.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

/// The chat a row names: its `platform` column and the id column `id_column`.
/// The tables' CHECK constraints admit only the platforms this build knows.
fn chat_from_row(row: &SqliteRow, id_column: &str) -> ChatId {
    let platform: &str = row.get("platform");
    ChatId::new(
        Platform::parse(platform).unwrap_or(Platform::Telegram),
        row.get(id_column),
    )
}

/// Turns SQLite's "busy"/"read-only" codes into errors that say what to do.
fn classify(url: &str, error: sqlx::Error) -> StoreError {
    let code = error
        .as_database_error()
        .and_then(|e| e.code().map(|c| c.into_owned()));
    // SQLite primary result codes: 5 BUSY, 6 LOCKED, 8 READONLY, 14 CANTOPEN.
    let primary = code
        .as_deref()
        .and_then(|c| c.parse::<i64>().ok())
        .map(|c| c & 0xff);
    match primary {
        Some(5) | Some(6) => StoreError::Locked {
            url: url.to_string(),
        },
        Some(8) => StoreError::ReadOnly {
            url: url.to_string(),
        },
        _ => StoreError::Open {
            url: url.to_string(),
            source: error,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ChatKind;

    fn file_url(dir: &tempfile::TempDir, name: &str) -> String {
        format!("sqlite://{}", dir.path().join(name).display())
    }

    #[tokio::test]
    async fn opens_and_migrates_a_new_file_then_reopens_it() {
        let dir = tempfile::tempdir().unwrap();
        let url = file_url(&dir, "new.db");
        let store = Store::open(&url).await.unwrap();
        store
            .upsert_chat(ChatId::telegram(7), ChatKind::Private, None, 1)
            .await
            .unwrap();
        store.close().await;
        let store = Store::open(&url).await.unwrap();
        assert!(store.chat(ChatId::telegram(7)).await.unwrap().is_some());
    }

    #[tokio::test]
    async fn a_database_locked_by_another_writer_is_named_as_such() {
        use sqlx::Connection;
        let dir = tempfile::tempdir().unwrap();
        let url = file_url(&dir, "locked.db");
        Store::open(&url).await.unwrap().close().await;
        let mut holder = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query("BEGIN EXCLUSIVE")
            .execute(&mut holder)
            .await
            .unwrap();
        let err = Store::open(&url).await.unwrap_err();
        assert!(matches!(err, StoreError::Locked { .. }), "{err}");
        assert!(err.to_string().contains("locked"), "{err}");
    }

    #[tokio::test]
    async fn a_read_only_database_is_named_as_such() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ro.db");
        Store::open(&file_url(&dir, "ro.db"))
            .await
            .unwrap()
            .close()
            .await;
        let err = Store::open(&format!("sqlite://{}?mode=ro", path.display()))
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::ReadOnly { .. }), "{err}");
    }
}
