//! Persistence: everything the bot must not forget across restarts.
//!
//! One set of queries on two databases through sqlx's `Any` driver: SQLite
//! (the default, WAL, one file) or PostgreSQL (`STUDYBOT_DATABASE=postgres://…`,
//! for several replicas). Migrations are embedded per backend
//! (`migrations/sqlite`, `migrations/postgres`, the same versions). The
//! store answers questions and records facts; it holds no business rules:
//! what to pick, when to reveal and who may change what are decided by
//! `study` and `schedule`. Times are Unix seconds, local dates `YYYY-MM-DD`.

mod asks;
mod backup;
mod chat_batch;
mod chats;
mod choices;
mod claim_batch;
mod connect;
mod copy;
mod due;
mod feedback;
mod learn;
mod ledger;
mod migrations;
mod nudges;
mod pictures;
mod plan_text;
mod plans;
mod sent;
mod sent_batch;
mod sets;
mod settings_epoch;
mod standings;
mod suggestions;
pub mod testing;

use sqlx::AnyPool;
use sqlx::Row;
use sqlx::any::AnyRow;

pub use asks::{Ask, NewAsk, Round};
pub use backup::{BackupError, BackupStep, backup, backup_observed};
pub use chat_batch::ChatWithPin;
pub use chats::ChatRow;
pub use choices::{PollRow, QuestionMessage};
pub use claim_batch::{ClaimReads, ClaimWrites, PostProgress};
pub use connect::redacted;
pub use copy::{CopyError, CopyStep, TableCount, copy_store, copy_store_observed};
pub use due::due_second;
pub use feedback::{NewReport, PinRow, PromptRow, ReportRow};
pub use learn::{CardRow, NewReview, Rated, ReviewRow, Schedule};
pub use ledger::{LedgerEntry, LedgerKey, LedgerKind, LedgerState, NewEntry};
pub use nudges::{DigestRow, ReminderRow};
pub use pictures::HardQuestion;
pub use plans::PlanRow;
pub use sent::{Sent, SentItem};
pub use standings::{Forgotten, PersonRow, QUARTER_HOUR, Rater, RatingTotals};
pub use suggestions::{
    Decision, DraftRow, NewSuggestion, SuggestionPrompt, SuggestionRow, SuggestionState,
    SuggestionText,
};

use crate::domain::{ChatId, Platform};
use crate::schedule::NamedZone;

/// Which database a store is on; the few statements that must differ
/// branch on it (see `index_hint`, `probe_writable`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend a database URL names, if it is one this build knows.
    pub fn of_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

/// What went wrong with the database, in words an operator can act on.
/// URLs shown here never carry a password (`redacted`).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "`{url}` is not a database URL studybot knows: use sqlite://FILE or postgres://USER@HOST/DATABASE"
    )]
    UnknownUrl { url: String },
    #[error("the database {url} is locked by another process (is another studybot running?)")]
    Locked { url: String },
    #[error(
        "the database {url} is read-only: give studybot write access to the file and its folder"
    )]
    ReadOnly { url: String },
    #[error(
        "the database {url} does not let studybot write: grant its user CREATE on the schema (for the first start) and INSERT, UPDATE and DELETE on the tables, and connect to the primary server (not a standby)"
    )]
    NoWrite { url: String },
    #[error("cannot reach PostgreSQL at {target}: is it running? ({reason})")]
    Unreachable { target: String, reason: String },
    #[error(
        "PostgreSQL at {target} refused the login of user `{user}`: check the user name and password in STUDYBOT_DATABASE"
    )]
    Login { target: String, user: String },
    #[error(
        "the PostgreSQL database `{database}` does not exist at {target}: create it (createdb {database}) or fix STUDYBOT_DATABASE"
    )]
    NoDatabase { target: String, database: String },
    #[error(
        "the TLS connection to {url} failed ({reason}): check the server's certificate (sslrootcert=PATH for a private CA) or the sslmode in STUDYBOT_DATABASE"
    )]
    Tls { url: String, reason: String },
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
    pool: AnyPool,
    backend: Backend,
    /// The replica this handle claims ledger rows for (`with_owner`).
    owner: Option<i64>,
}

impl Store {
    /// Opens the database at `url` and applies pending migrations:
    /// `sqlite://studybot.db` (created if missing) or
    /// `postgres://user:password@host:5432/database` (which must exist).
    pub async fn open(url: &str) -> Result<Store> {
        let (pool, backend) = connect::open_pool(url).await?;
        let store = Store {
            pool,
            backend,
            owner: None,
        };
        connect::migrate(&store.pool, backend, url).await?;
        store.probe_writable(url).await?;
        Ok(store)
    }

    /// A private in-memory database, for tests and the console's `--memory`.
    pub async fn in_memory() -> Result<Store> {
        Store::open("sqlite::memory:").await
    }

    /// This handle, claiming ledger rows for replica `owner` (see `adopt`).
    pub fn with_owner(&self, owner: i64) -> Store {
        Store {
            owner: Some(owner),
            ..self.clone()
        }
    }

    /// The replica this handle claims for, if any.
    pub fn owner(&self) -> Option<i64> {
        self.owner
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Takes the write lock and writes once (rolled back), so a locked or read-only
    /// database is reported at start, not at the first post.
    async fn probe_writable(&self, url: &str) -> Result<()> {
        let failed = |e| connect::classify(url, self.backend, e);
        let mut conn = self.pool.acquire().await.map_err(failed)?;
        let begin = match self.backend {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        };
        sqlx::query(begin)
            .execute(&mut *conn)
            .await
            .map_err(failed)?;
        // A write that is rolled back: read-only files fail here, not later.
        let written = sqlx::query(
            "INSERT INTO seen (platform, chat_id, question_id) VALUES ('telegram', 0, '')",
        )
        .execute(&mut *conn)
        .await;
        sqlx::query("ROLLBACK")
            .execute(&mut *conn)
            .await
            .map_err(failed)?;
        written.map_err(failed)?;
        Ok(())
    }

    /// A trivial read of the schema: the database answers.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1 FROM chats LIMIT 1")
            .fetch_optional(&self.pool)
            .await?;
        Ok(())
    }

    /// Closes every connection (on SQLite, flushing the WAL).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// SQLite is held to the `next_due` index a due query was written for
    /// (`INDEXED BY`, which it alone knows); PostgreSQL's planner picks it.
    fn index_hint(&self, index: &str) -> String {
        match self.backend {
            Backend::Sqlite => format!("INDEXED BY {index}"),
            Backend::Postgres => String::new(),
        }
    }
}

/// A stored zone name (a chat's or a person's) as a zone. A name this
/// build no longer resolves (edited by hand, or dropped from the time zone
/// database) reads as none, logged: the engine's default zone then serves.
fn stored_zone(name: Option<String>, whose: impl std::fmt::Display) -> Option<NamedZone> {
    let name = name?;
    let zone = NamedZone::stored(&name);
    if zone.is_none() {
        log::warn!("{whose}: stored time zone `{name}` does not resolve; read as none");
    }
    zone
}

/// The chat a row names: its `platform` column and the id column `id_column`.
/// The tables' CHECK constraints admit only the platforms this build knows.
fn chat_from_row(row: &AnyRow, id_column: &str) -> ChatId {
    let platform: &str = row.get("platform");
    ChatId::new(
        Platform::parse(platform).unwrap_or(Platform::Telegram),
        row.get(id_column),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ChatKind, PersonId};

    fn file_url(dir: &tempfile::TempDir, name: &str) -> String {
        format!("sqlite://{}", dir.path().join(name).display())
    }

    /// A zone name that no longer resolves (edited by hand, or dropped
    /// from the time zone database) reads as none wherever it is read.
    #[tokio::test]
    async fn a_stored_zone_that_does_not_resolve_reads_as_none() {
        crate::store::testing::each_store(async |store| {
            let group = ChatId::telegram(-5);
            let (ann, bo) = (
                PersonId::new(Platform::Telegram, 1),
                PersonId::new(Platform::Telegram, 2),
            );
            store
                .upsert_chat(group, ChatKind::Group, None, 0)
                .await
                .unwrap();
            for person in [ann, bo] {
                let review = NewReview {
                    person,
                    name: None,
                    chat: group,
                    message_id: 1,
                    question_id: "q",
                    grade: 3,
                    at: 100,
                };
                store
                    .rate(&review, standings::tests::schedule)
                    .await
                    .unwrap();
            }
            let zone_name = |zone: Option<NamedZone>| zone.map(|z| z.name);
            store.set_timezone(group, "Asia/Shanghai", 1).await.unwrap();
            let chat = store.chat(group).await.unwrap().unwrap();
            assert_eq!(zone_name(chat.timezone).as_deref(), Some("Asia/Shanghai"));
            store
                .set_timezone(group, "Mars/Olympus_Mons", 2)
                .await
                .unwrap();
            assert_eq!(store.chat(group).await.unwrap().unwrap().timezone, None);
            store.set_person_zone(ann, "Asia/Tokyo", 1).await.unwrap();
            store
                .set_person_zone(bo, "Mars/Olympus_Mons", 1)
                .await
                .unwrap();
            assert_eq!(store.person_zone(bo).await.unwrap(), None);
            let mut raters = store.chat_raters(group, 0).await.unwrap();
            raters.sort_by_key(|r| r.person.id);
            let zones: Vec<_> = raters
                .into_iter()
                .map(|r| zone_name(r.profile.timezone))
                .collect();
            assert_eq!(zones, [Some("Asia/Tokyo".to_string()), None]);
        })
        .await;
    }

    #[tokio::test]
    async fn each_store_answers_a_ping_and_has_every_migration() {
        crate::store::testing::each_store(async |store| {
            store.ping().await.unwrap();
            let versions: Vec<i64> =
                sqlx::query_scalar("SELECT version FROM _sqlx_migrations ORDER BY version")
                    .fetch_all(store.pool())
                    .await
                    .unwrap();
            assert_eq!(
                versions,
                vec![1, 2, 3, 4, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]
            );
        })
        .await;
    }

    #[tokio::test]
    async fn a_postgres_database_that_refuses_writes_is_named_as_such() {
        use crate::store::testing::{PgSchema, postgres_url};
        let Some(base) = postgres_url() else {
            return;
        };
        let schema = PgSchema::create(&base).await.unwrap();
        let read_only = format!(
            "{}&options=-c%20default_transaction_read_only%3Don",
            schema.url()
        );
        schema
            .run_then_drop(async {
                let err = Store::open(&read_only).await.unwrap_err();
                assert!(matches!(err, StoreError::NoWrite { .. }), "{err}");
            })
            .await;
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
