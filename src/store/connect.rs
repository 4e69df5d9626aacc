//! Opening a store: which backend a URL names, the connection settings each
//! needs (SQLite's WAL, busy timeout and foreign keys), the migrations of
//! that backend, and errors an operator can act on. Nothing shown here ever
//! carries a password from the URL (`redacted`).

use std::str::FromStr;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::MigrateError;
use sqlx::postgres::PgConnectOptions;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AnyConnection, AnyPool};
use sqlx::{ConnectOptions, Connection, Executor};

use super::{Backend, Result, StoreError, migrations};

/// Every SQLite connection's settings. With WAL, NORMAL stays consistent
/// through a process crash and skips an fsync per commit (FULL cost replies
/// 20–60 ms on a slow disk); only a power loss may drop the last commits.
const SQLITE_CONNECTION: &str =
    "PRAGMA busy_timeout = 2000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";

/// Connects to `url`'s database: a first connection on its own (so an
/// unreachable server or a locked file is reported at once, not retried
/// until the pool times out), then the pool.
pub(super) async fn open_pool(url: &str) -> Result<(AnyPool, Backend)> {
    sqlx::any::install_default_drivers();
    let backend =
        Backend::of_url(url).ok_or_else(|| StoreError::UnknownUrl { url: redacted(url) })?;
    let options = any_options(url, backend)?;
    let failed = |e| classify(url, backend, e);
    let mut first = AnyConnection::connect_with(&options)
        .await
        .map_err(failed)?;
    if backend == Backend::Sqlite {
        // WAL is kept in the file: set once, on a connection of its own.
        first.execute(SQLITE_CONNECTION).await.map_err(failed)?;
        first
            .execute("PRAGMA journal_mode = WAL")
            .await
            .map_err(failed)?;
    }
    first.close().await.map_err(failed)?;
    // An in-memory database lives in one connection.
    let in_memory = backend == Backend::Sqlite && is_in_memory(url);
    let pool = AnyPoolOptions::new()
        .max_connections(if in_memory { 1 } else { 4 })
        .min_connections(if in_memory { 1 } else { 0 })
        .idle_timeout(None)
        .max_lifetime(None)
        // sqlx pings a connection as it goes back to the pool and, unless
        // told not to, again before handing it out. A PostgreSQL server may
        // have closed it meanwhile (a restart, `pg_terminate_backend`): that
        // ping, one round trip, replaces it before a statement fails on it.
        // An SQLite connection is a thread of this process that nothing
        // closes from outside: the second ping there was only a hand-over to
        // that thread and back, for every statement.
        .test_before_acquire(backend == Backend::Postgres)
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    conn.execute(SQLITE_CONNECTION).await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await
        .map_err(failed)?;
    Ok((pool, backend))
}

fn is_in_memory(url: &str) -> bool {
    url.contains(":memory:") || url.contains("mode=memory")
}

/// `url` as the `Any` driver takes it. An SQLite file is created if missing
/// (`mode=rwc`) unless the URL picks a mode of its own, and its URL is
/// rewritten by sqlx's own SQLite parser, so a file name with a space or a
/// `%` reaches the driver as written.
fn any_options(url: &str, backend: Backend) -> Result<AnyConnectOptions> {
    let failed = |source| StoreError::Open {
        url: redacted(url),
        source,
    };
    let url = match backend {
        Backend::Sqlite if !is_in_memory(url) => {
            let options = SqliteConnectOptions::from_str(url).map_err(failed)?;
            let options = if url.contains("mode=") {
                options
            } else {
                options.create_if_missing(true)
            };
            options.to_url_lossy().to_string()
        }
        _ => url.to_string(),
    };
    AnyConnectOptions::from_str(&url).map_err(failed)
}

/// Applies the pending migrations of `backend`.
pub(super) async fn migrate(pool: &AnyPool, backend: Backend, url: &str) -> Result<()> {
    let migrator = match backend {
        Backend::Sqlite => &*migrations::SQLITE,
        Backend::Postgres => &*migrations::POSTGRES,
    };
    migrator.run(pool).await.map_err(|source| match source {
        MigrateError::Execute(e) => classify(url, backend, e),
        source => StoreError::Migrate {
            url: redacted(url),
            source,
        },
    })
}

/// Turns a connection or first-write error into one that says what to do.
pub(super) fn classify(url: &str, backend: Backend, error: sqlx::Error) -> StoreError {
    match backend {
        Backend::Sqlite => classify_sqlite(url, error),
        Backend::Postgres => classify_postgres(url, error),
    }
}

/// SQLite's "busy"/"read-only" codes.
fn classify_sqlite(url: &str, error: sqlx::Error) -> StoreError {
    let code = error
        .as_database_error()
        .and_then(|e| e.code().map(|c| c.into_owned()));
    // SQLite primary result codes: 5 BUSY, 6 LOCKED, 8 READONLY, 14 CANTOPEN.
    let primary = code
        .as_deref()
        .and_then(|c| c.parse::<i64>().ok())
        .map(|c| c & 0xff);
    let url = redacted(url);
    match primary {
        Some(5) | Some(6) => StoreError::Locked { url },
        Some(8) => StoreError::ReadOnly { url },
        _ => StoreError::Open { url, source: error },
    }
}

/// PostgreSQL's SQLSTATEs for a refused login, a missing database and a
/// refused write; any I/O error while connecting means the server is not
/// there.
fn classify_postgres(url: &str, error: sqlx::Error) -> StoreError {
    let options = PgConnectOptions::from_str(url).ok();
    let target = options.as_ref().map_or_else(
        || "the configured server".to_string(),
        |o| match o.get_socket() {
            Some(socket) => socket.display().to_string(),
            None => format!("{}:{}", o.get_host(), o.get_port()),
        },
    );
    if let sqlx::Error::Tls(reason) = &error {
        return StoreError::Tls {
            url: redacted(url),
            reason: reason.to_string(),
        };
    }
    if let sqlx::Error::Io(io) = &error {
        return StoreError::Unreachable {
            target,
            reason: io.to_string(),
        };
    }
    let code = error
        .as_database_error()
        .and_then(|e| e.code().map(|c| c.into_owned()));
    let user = options.as_ref().map(|o| o.get_username().to_string());
    let database = options
        .as_ref()
        .map(|o| o.get_database().unwrap_or(o.get_username()).to_string());
    match code.as_deref() {
        // invalid_password, invalid_authorization_specification
        Some("28P01") | Some("28000") => StoreError::Login {
            target,
            user: user.unwrap_or_default(),
        },
        // invalid_catalog_name
        Some("3D000") => StoreError::NoDatabase {
            target,
            database: database.unwrap_or_default(),
        },
        // insufficient_privilege, read_only_sql_transaction
        Some("42501") | Some("25006") => StoreError::NoWrite { url: redacted(url) },
        _ => StoreError::Open {
            url: redacted(url),
            source: error,
        },
    }
}

/// `url` without its password (`user:***@host`), also one given as a
/// `password=` parameter: fit for logs and error messages.
pub fn redacted(url: &str) -> String {
    // The query starts at the first `?` after the user info, which may hold one.
    let after_user = url.rfind('@').map_or(0, |at| at + 1);
    let (mut head, query) = match url[after_user..].find('?') {
        Some(i) => (
            url[..after_user + i].to_string(),
            Some(&url[after_user + i + 1..]),
        ),
        None => (url.to_string(), None),
    };
    if let Some(scheme_end) = head.find("://") {
        mask_password(&mut head, scheme_end + 3);
    }
    let Some(query) = query else {
        return head;
    };
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}=***"),
            _ => pair.to_string(),
        })
        .collect();
    format!("{head}?{}", pairs.join("&"))
}

/// Masks the password of the user info that starts at `start`. The user
/// info ends at the last `@` of the URL, not at the first `/`: a password
/// with an unencoded `/`, `@` or `?` must not slip through.
fn mask_password(head: &mut String, start: usize) {
    let Some(at) = head[start..].rfind('@').map(|i| start + i) else {
        return;
    };
    if let Some(colon) = head[start..at].find(':').map(|i| start + i) {
        head.replace_range(colon + 1..at, "***");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_with_a_slash_or_an_at_never_shows() {
        assert_eq!(
            redacted("postgres://bot:pa/ss@db:5432/studybot"),
            "postgres://bot:***@db:5432/studybot"
        );
        assert_eq!(
            redacted("postgres://bot:p@ss/w@db/studybot"),
            "postgres://bot:***@db/studybot"
        );
        assert_eq!(
            redacted("postgres://bot:pa?ss@db/studybot?sslmode=require"),
            "postgres://bot:***@db/studybot?sslmode=require"
        );
        assert_eq!(
            redacted("postgres://bot@db/studybot"),
            "postgres://bot@db/studybot"
        );
    }

    #[test]
    fn passwords_never_show() {
        assert_eq!(
            redacted("postgres://bot:s3cr:et@db.example:5432/studybot?sslmode=require"),
            "postgres://bot:***@db.example:5432/studybot?sslmode=require"
        );
        assert_eq!(
            redacted("postgres://bot@db/studybot?password=hunter2&application_name=x"),
            "postgres://bot@db/studybot?password=***&application_name=x"
        );
        assert_eq!(redacted("sqlite://studybot.db"), "sqlite://studybot.db");
        assert_eq!(redacted("sqlite::memory:"), "sqlite::memory:");
    }

    #[test]
    fn an_sqlite_file_name_reaches_the_driver_as_written() {
        for (url, file, created) in [
            ("sqlite://data dir/my bot.db", "data dir/my bot.db", true),
            (
                "sqlite:///var/lib/studybot/100%.db",
                "/var/lib/studybot/100%.db",
                true,
            ),
            ("sqlite://ro.db?mode=ro", "ro.db", false),
        ] {
            let options = any_options(url, Backend::Sqlite).unwrap();
            let mode = options.database_url.query().unwrap_or_default().to_string();
            let sqlite = SqliteConnectOptions::from_url(&options.database_url).unwrap();
            assert_eq!(sqlite.get_filename(), std::path::Path::new(file), "{url}");
            assert_eq!(mode.contains("mode=rwc"), created, "{url}: {mode}");
        }
    }

    #[tokio::test]
    async fn an_unknown_url_says_which_ones_work() {
        let err = open_pool("mysql://root:pw@db/studybot").await.unwrap_err();
        assert!(matches!(err, StoreError::UnknownUrl { .. }), "{err}");
        let text = err.to_string();
        assert!(
            text.contains("postgres://") && !text.contains("pw"),
            "{text}"
        );
    }

    #[tokio::test]
    async fn a_server_that_is_not_there_is_named_without_its_password() {
        // Port 9 (discard) on the loopback: nothing listens there.
        let url = "postgres://bot:hunter2@127.0.0.1:9/studybot";
        let err = open_pool(url).await.unwrap_err();
        assert!(matches!(err, StoreError::Unreachable { .. }), "{err}");
        let text = err.to_string();
        assert!(
            text.contains("cannot reach PostgreSQL at 127.0.0.1:9"),
            "{text}"
        );
        assert!(!text.contains("hunter2"), "{text}");
    }

    #[tokio::test]
    async fn a_connection_the_server_closed_is_replaced_before_a_statement_fails_on_it() {
        let Some(base) = crate::store::testing::postgres_url() else {
            return;
        };
        let application = format!("studybot_idle_{}", std::process::id());
        let separator = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{separator}application_name={application}");
        let (pool, _) = open_pool(&url).await.expect("the pool opens");
        let one = || sqlx::query_scalar::<_, i32>("SELECT 1").fetch_one(&pool);
        assert_eq!(one().await.unwrap(), 1);
        let mut admin = sqlx::PgConnection::connect(&base).await.unwrap();
        let killed: Vec<bool> = sqlx::query_scalar(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
        )
        .bind(&application)
        .fetch_all(&mut admin)
        .await
        .unwrap();
        assert!(!killed.is_empty(), "the pool's connection was closed");
        // As a restarted server would: the next statement still runs.
        assert_eq!(one().await.expect("a new connection"), 1);
    }

    /// `base` (STUDYBOT_TEST_POSTGRES) with another user and database.
    fn elsewhere(base: &str, user: &str, database: &str) -> String {
        let options = PgConnectOptions::from_str(base).unwrap();
        let (host, port) = (options.get_host(), options.get_port());
        format!("postgres://{user}@{host}:{port}/{database}")
    }

    #[tokio::test]
    async fn a_missing_database_and_an_unknown_user_are_named() {
        let Some(base) = crate::store::testing::postgres_url() else {
            return;
        };
        let user = PgConnectOptions::from_str(&base).unwrap();
        let missing = elsewhere(&base, user.get_username(), "studybot_no_such_database");
        let err = open_pool(&missing).await.unwrap_err();
        assert!(matches!(err, StoreError::NoDatabase { .. }), "{err}");
        assert!(
            err.to_string()
                .contains("createdb studybot_no_such_database"),
            "{err}"
        );
        let stranger = elsewhere(&base, "studybot_nobody:hunter2", "test");
        let err = open_pool(&stranger).await.unwrap_err();
        assert!(matches!(err, StoreError::Login { .. }), "{err}");
        let text = err.to_string();
        assert!(
            text.contains("`studybot_nobody`") && !text.contains("hunter2"),
            "{text}"
        );
    }

    #[tokio::test]
    async fn postgres_speaks_tls_when_the_url_asks() {
        let Some(base) = crate::store::testing::postgres_url() else {
            return;
        };
        let separator = if base.contains('?') { '&' } else { '?' };
        let (pool, _) = open_pool(&format!("{base}{separator}sslmode=require"))
            .await
            .expect("sslmode=require connects (the test server has ssl = on)");
        let (ssl,): (bool,) =
            sqlx::query_as("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
                .fetch_one(&pool)
                .await
                .unwrap();
        assert!(ssl, "the connection is encrypted");
    }
}
