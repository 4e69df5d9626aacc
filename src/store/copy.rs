//! `studybot migrate-store`: copies every row of one store into another,
//! SQLite to PostgreSQL or back, so a bot can move without losing a chat's
//! round, plans, ledger, cards or reports.
//!
//! Both databases are first brought up to date (the same schema version).
//! The source is read in one snapshot; the target is written in one
//! transaction, and committed only when each table holds exactly the rows
//! read. An empty target is required: a copy never merges. Ids are kept,
//! and PostgreSQL's identity sequences continue past them.

use futures::TryStreamExt;
use sqlx::AnyConnection;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, Row};

use super::{Backend, Store, StoreError, redacted};

/// Every table and its columns, parents first.
const TABLES: [(&str, &str); 20] = [
    (
        "chats",
        "platform, id, kind, title, language, timezone, active, created_at, updated_at",
    ),
    (
        "plans",
        "platform, chat_id, post_time, timezone, tag, reveal, thread_id, paused, updated_at, \
         next_due, days, anchor, starts_on, deck, set_by_operator, open_thread, ping_role",
    ),
    (
        "asks",
        "id, platform, chat_id, question_id, message_id, thread_id, asked_at, daily_date, \
         revealed_at, reveal_message_id",
    ),
    ("seen", "platform, chat_id, question_id"),
    (
        "daily_ledger",
        "platform, chat_id, local_date, kind, state, question_id, ask_id, at, owner",
    ),
    ("people", "platform, id, name, hidden, updated_at, timezone"),
    (
        "reviews",
        "platform, person_id, chat_id, message_id, question_id, rating, at, was_due, presses, \
         previous",
    ),
    (
        "cards",
        "platform, person_id, question_id, stability, difficulty, due, reps, lapses, \
         last_review, scheduled_days",
    ),
    (
        "reminders",
        "platform, person_id, chat_id, remind_time, timezone, next_due, updated_at",
    ),
    (
        "digests",
        "platform, chat_id, weekday, post_time, timezone, thread_id, next_due, updated_at",
    ),
    (
        "choice_answers",
        "platform, chat_id, message_id, person_id, choice, at",
    ),
    (
        "quiz_polls",
        "platform, poll_id, chat_id, message_id, poll_message_id, anonymous",
    ),
    (
        "pins",
        "platform, chat_id, enabled, message_id, warned, updated_at",
    ),
    (
        "report_prompts",
        "platform, chat_id, message_id, person_id, question_id, at",
    ),
    (
        "reports",
        "id, platform, chat_id, chat_title, person_id, question_id, text, at",
    ),
    (
        "suggestions",
        "id, platform, chat_id, chat_title, person_id, person_name, question, answer, analysis, \
         tags, near, state, reason, moderator_id, moderator_name, question_id, told, created_at, \
         decided_at",
    ),
    (
        "suggestion_drafts",
        "platform, person_id, chat_id, chat_title, step, question, answer, analysis, tags, \
         updated_at",
    ),
    (
        "suggestion_prompts",
        "platform, chat_id, message_id, person_id, step, suggestion_id, at",
    ),
    (
        "suggestion_desks",
        "platform, space_id, channel_id, named_by, named_at",
    ),
    ("suggestion_spaces", "platform, suggestion_id, space_id"),
];

/// Tables whose ids PostgreSQL hands out from an identity sequence.
const IDENTITIES: [&str; 3] = ["asks", "reports", "suggestions"];

/// Rows per INSERT: well below both databases' limits on parameters.
const BATCH_ROWS: usize = 400;

/// Why nothing was copied (the target is left as it was).
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error("the source and the target are the same database ({url})")]
    SameDatabase { url: String },
    #[error(
        "{url} already holds data ({table}: {rows} rows): migrate-store copies only into an empty database"
    )]
    TargetNotEmpty {
        url: String,
        table: &'static str,
        rows: i64,
    },
    #[error("{table}: {read} rows read but {written} rows in the target: nothing was written")]
    Mismatch {
        table: &'static str,
        read: u64,
        written: i64,
    },
    #[error("cannot copy {table}: {source}")]
    Copy {
        table: &'static str,
        source: sqlx::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How many rows one table holds in the target after the copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableCount {
    pub table: &'static str,
    pub rows: u64,
}

/// How far a copy is, for a progress display (nothing here prints).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyStep {
    /// The source's snapshot holds `rows` rows in `tables` tables.
    Counted { tables: usize, rows: u64 },
    /// `rows` more rows of `table` are written (one batch).
    Rows { table: &'static str, rows: u64 },
    /// A table is copied whole and its count checked.
    Table(TableCount),
}

/// Copies every row of the store at `from` into the empty store at `to`
/// (created, and brought up to date, as `Store::open` does).
pub async fn copy_store(from: &str, to: &str) -> Result<Vec<TableCount>, CopyError> {
    copy_store_observed(from, to, &mut |_| {}).await
}

/// `copy_store`, telling `step` how far the copy is, batch by batch.
pub async fn copy_store_observed(
    from: &str,
    to: &str,
    step: &mut (dyn FnMut(CopyStep) + Send),
) -> Result<Vec<TableCount>, CopyError> {
    if from == to {
        return Err(CopyError::SameDatabase { url: redacted(to) });
    }
    let source = Store::open(from).await?;
    let target = Store::open(to).await?;
    let copied = copy_between(&source, &target, to, step).await;
    source.close().await;
    target.close().await;
    copied
}

async fn copy_between(
    source: &Store,
    target: &Store,
    to: &str,
    step: &mut (dyn FnMut(CopyStep) + Send),
) -> Result<Vec<TableCount>, CopyError> {
    refuse_unless_empty(target, to).await?;
    let mut reading = source.pool().begin().await.map_err(StoreError::from)?;
    if source.backend() == Backend::Postgres {
        // One snapshot for every table, while a bot may still be writing.
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *reading)
            .await
            .map_err(StoreError::from)?;
    }
    step(CopyStep::Counted {
        tables: TABLES.len(),
        rows: count_rows(&mut reading).await?,
    });
    let mut writing = target.pool().begin().await.map_err(StoreError::from)?;
    let mut counts = Vec::with_capacity(TABLES.len());
    for (table, columns) in TABLES {
        let fail = |source| CopyError::Copy { table, source };
        let read = copy_table(&mut reading, &mut writing, table, columns, step)
            .await
            .map_err(fail)?;
        let written = count(&mut writing, table).await.map_err(fail)?;
        if i64::try_from(read).ok() != Some(written) {
            return Err(CopyError::Mismatch {
                table,
                read,
                written,
            });
        }
        let copied = TableCount { table, rows: read };
        step(CopyStep::Table(copied));
        counts.push(copied);
    }
    if target.backend() == Backend::Postgres {
        continue_identities(&mut writing).await?;
    }
    writing.commit().await.map_err(StoreError::from)?;
    reading.rollback().await.map_err(StoreError::from)?;
    Ok(counts)
}

async fn refuse_unless_empty(target: &Store, to: &str) -> Result<(), CopyError> {
    let mut conn = target.pool().acquire().await.map_err(StoreError::from)?;
    for (table, _) in TABLES {
        let rows = count(&mut conn, table).await.map_err(StoreError::from)?;
        if rows > 0 {
            return Err(CopyError::TargetNotEmpty {
                url: redacted(to),
                table,
                rows,
            });
        }
    }
    Ok(())
}

/// Every table's rows in the source's snapshot, added up.
async fn count_rows(reading: &mut AnyConnection) -> Result<u64, CopyError> {
    let mut rows = 0;
    for (table, _) in TABLES {
        let n = count(reading, table)
            .await
            .map_err(|source| CopyError::Copy { table, source })?;
        rows += u64::try_from(n).unwrap_or(0);
    }
    Ok(rows)
}

async fn count(conn: &mut AnyConnection, table: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(conn)
        .await
}

/// Copies `table` in batches of rows, streamed from the source; returns
/// how many rows were read.
async fn copy_table(
    reading: &mut AnyConnection,
    writing: &mut AnyConnection,
    table: &'static str,
    columns: &str,
    step: &mut (dyn FnMut(CopyStep) + Send),
) -> sqlx::Result<u64> {
    let select = format!("SELECT {columns} FROM {table}");
    let mut rows = sqlx::query(&select).fetch(reading);
    let mut batch = Vec::with_capacity(BATCH_ROWS);
    let mut read = 0;
    while let Some(row) = rows.try_next().await? {
        batch.push(row);
        if batch.len() == BATCH_ROWS {
            insert_batch(writing, table, columns, &batch).await?;
            read += batch.len() as u64;
            step(CopyStep::Rows {
                table,
                rows: batch.len() as u64,
            });
            batch.clear();
        }
    }
    if !batch.is_empty() {
        insert_batch(writing, table, columns, &batch).await?;
        read += batch.len() as u64;
        step(CopyStep::Rows {
            table,
            rows: batch.len() as u64,
        });
    }
    Ok(read)
}

async fn insert_batch(
    writing: &mut AnyConnection,
    table: &str,
    columns: &str,
    batch: &[AnyRow],
) -> sqlx::Result<()> {
    let names: Vec<&str> = columns.split(',').map(str::trim).collect();
    let sql = insert_sql(table, columns, names.len(), batch.len());
    let mut insert = sqlx::query(&sql);
    for row in batch {
        for (i, name) in names.iter().enumerate() {
            insert = bind_value(insert, row, i, name)?;
        }
    }
    insert.execute(writing).await?;
    Ok(())
}

/// `INSERT INTO table (columns) VALUES ($1, …), (…)` for `rows` rows.
fn insert_sql(table: &str, columns: &str, width: usize, rows: usize) -> String {
    let tuples: Vec<String> = (0..rows)
        .map(|r| {
            let params: Vec<String> = (1..=width).map(|c| format!("${}", r * width + c)).collect();
            format!("({})", params.join(", "))
        })
        .collect();
    format!(
        "INSERT INTO {table} ({columns}) VALUES {}",
        tuples.join(", ")
    )
}

/// Binds column `i` of `row` with its column's type: text, a real number
/// (the cards' stability and difficulty) or a 64-bit integer; NULL kept.
fn bind_value<'q>(
    query: Query<'q, Any, AnyArguments<'q>>,
    row: &AnyRow,
    i: usize,
    name: &str,
) -> sqlx::Result<Query<'q, Any, AnyArguments<'q>>> {
    Ok(match column_type(name) {
        ColumnType::Text => query.bind(row.try_get::<Option<String>, _>(i)?),
        ColumnType::Real => query.bind(row.try_get::<Option<f64>, _>(i)?),
        ColumnType::Integer => query.bind(row.try_get::<Option<i64>, _>(i)?),
    })
}

enum ColumnType {
    Text,
    Real,
    Integer,
}

fn column_type(name: &str) -> ColumnType {
    match name {
        "platform" | "kind" | "title" | "language" | "timezone" | "post_time" | "tag"
        | "reveal" | "days" | "anchor" | "starts_on" | "deck" | "question_id" | "daily_date"
        | "local_date" | "state" | "name" | "remind_time" | "poll_id" | "chat_title" | "text"
        | "person_name" | "question" | "answer" | "analysis" | "tags" | "near" | "reason"
        | "moderator_name" | "step" => ColumnType::Text,
        "stability" | "difficulty" => ColumnType::Real,
        _ => ColumnType::Integer,
    }
}

/// PostgreSQL hands out the next ask, report and suggestion ids past those
/// copied.
async fn continue_identities(writing: &mut AnyConnection) -> Result<(), CopyError> {
    for table in IDENTITIES {
        sqlx::query(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'),
                           COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
        ))
        .execute(&mut *writing)
        .await
        .map_err(|source| CopyError::Copy { table, source })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::each_store;

    /// Tables not copied, on purpose. `settings_epoch` only tells running
    /// replicas that their caches may be stale: bots moved to a new
    /// database start with empty caches, and a fresh epoch serves them.
    const LEFT_BEHIND: [&str; 1] = ["settings_epoch"];

    /// Every (table, column) of the schema, but sqlx's and SQLite's own
    /// and those [`LEFT_BEHIND`].
    async fn schema_columns(store: &Store) -> Vec<(String, String)> {
        let sql = match store.backend() {
            Backend::Sqlite => {
                "SELECT m.name AS t, p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p
                 WHERE m.type = 'table' AND m.name NOT IN ('_sqlx_migrations', 'sqlite_sequence')"
            }
            Backend::Postgres => {
                "SELECT CAST(table_name AS TEXT) AS t, CAST(column_name AS TEXT) AS c
                 FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations'"
            }
        };
        let rows = sqlx::query(sql).fetch_all(store.pool()).await.unwrap();
        let mut columns: Vec<(String, String)> = rows
            .iter()
            .map(|r| (r.get("t"), r.get("c")))
            .filter(|(table, _): &(String, String)| !LEFT_BEHIND.contains(&table.as_str()))
            .collect();
        columns.sort();
        columns
    }

    #[tokio::test]
    async fn every_table_and_column_is_copied() {
        each_store(async |store| {
            let mut copied: Vec<(String, String)> = TABLES
                .iter()
                .flat_map(|(table, columns)| {
                    columns
                        .split(',')
                        .map(|c| (table.to_string(), c.trim().to_string()))
                })
                .collect();
            copied.sort();
            assert_eq!(copied, schema_columns(&store).await);
        })
        .await;
    }

    #[test]
    fn a_batch_numbers_its_parameters_row_by_row() {
        assert_eq!(
            insert_sql("seen", "platform, chat_id", 2, 2),
            "INSERT INTO seen (platform, chat_id) VALUES ($1, $2), ($3, $4)"
        );
    }
}
