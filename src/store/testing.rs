//! Running tests on both stores. `each_store` runs a test body on a fresh
//! in-memory SQLite store and, when `STUDYBOT_TEST_POSTGRES` names a
//! PostgreSQL server (e.g. `postgres://postgres@127.0.0.1:5432/test`), again
//! on a fresh schema there. `PgSchema` gives any test a schema of its own
//! and drops it afterwards, so tests may run in parallel on one database.
//! Public for the integration tests; the bot itself never calls it.

use std::future::Future;
use std::io::Write;
use std::panic::{AssertUnwindSafe, resume_unwind};
use std::sync::Once;

use futures::FutureExt;
use sqlx::postgres::PgConnection;
use sqlx::{Connection, Executor};

use super::{Store, redacted};

/// The variable naming the PostgreSQL server tests may use.
pub const POSTGRES_ENV: &str = "STUDYBOT_TEST_POSTGRES";

static SKIPPED: Once = Once::new();

/// The PostgreSQL server tests may use. When `STUDYBOT_TEST_POSTGRES` is
/// unset, says so once per test binary (past the harness's capture).
pub fn postgres_url() -> Option<String> {
    match std::env::var(POSTGRES_ENV) {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            SKIPPED.call_once(|| {
                let _ = writeln!(
                    std::io::stderr(),
                    "PostgreSQL tests skipped: {POSTGRES_ENV} is not set"
                );
            });
            None
        }
    }
}

/// A schema of its own on a PostgreSQL server, named `studybot_t_<random>`.
#[derive(Debug)]
pub struct PgSchema {
    base_url: String,
    name: String,
    url: String,
}

impl PgSchema {
    /// Creates a new, empty schema on the server `base_url` names.
    pub async fn create(base_url: &str) -> Result<PgSchema, sqlx::Error> {
        let name = format!("studybot_t_{:016x}", rand::random::<u64>());
        let mut conn = PgConnection::connect(base_url).await?;
        conn.execute(format!("CREATE SCHEMA {name}").as_str())
            .await?;
        conn.close().await?;
        // `options=-c search_path=NAME`: every connection of the URL works
        // in the schema (tables, sqlx's migration table, sequences).
        let separator = if base_url.contains('?') { '&' } else { '?' };
        let url = format!("{base_url}{separator}options=-c%20search_path%3D{name}");
        Ok(PgSchema {
            base_url: base_url.to_string(),
            name,
            url,
        })
    }

    /// The database URL whose connections work in this schema.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Drops the schema and everything in it.
    pub async fn drop(self) -> Result<(), sqlx::Error> {
        let mut conn = PgConnection::connect(&self.base_url).await?;
        conn.execute(format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name).as_str())
            .await?;
        conn.close().await
    }

    /// Runs `body` with this schema, then drops it, also when `body` panics
    /// (the panic goes on afterwards).
    pub async fn run_then_drop<F: Future<Output = ()>>(self, body: F) {
        let outcome = AssertUnwindSafe(body).catch_unwind().await;
        let name = self.name.clone();
        let dropped = self.drop().await;
        if let Err(panic) = outcome {
            let _ = writeln!(std::io::stderr(), "(that failure was on PostgreSQL)");
            resume_unwind(panic);
        }
        if let Err(e) = dropped {
            panic!("cannot drop the test schema {name}: {e}");
        }
    }
}

/// Runs `body` on a fresh in-memory SQLite store, then (when
/// `STUDYBOT_TEST_POSTGRES` is set) on a fresh PostgreSQL store.
pub async fn each_store(body: impl AsyncFn(Store)) {
    let store = Store::in_memory().await.expect("an in-memory store opens");
    body(store.clone()).await;
    store.close().await;
    let Some(base) = postgres_url() else {
        return;
    };
    let schema = PgSchema::create(&base)
        .await
        .unwrap_or_else(|e| panic!("cannot create a test schema on {}: {e}", redacted(&base)));
    let url = schema.url().to_string();
    schema
        .run_then_drop(async {
            let store = Store::open(&url).await.expect("a PostgreSQL store opens");
            body(store.clone()).await;
            store.close().await;
        })
        .await;
}

impl Store {
    /// Runs `sql` on the store as it is: a test's way to change rows behind
    /// the engine's back (as a crash or another program would).
    pub async fn run_sql_for_tests(&self, sql: &str) -> Result<(), sqlx::Error> {
        self.pool().execute(sql).await.map(|_| ())
    }
}
