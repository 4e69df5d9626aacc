//! SQL text for sets: a condition matching a set of chats (grouped by
//! platform) and the placeholders of multi-row statements. The batched
//! reads and writes (claim batches, sent batches, warming the chat cache)
//! build their statements from these, and hand each to the driver as its
//! backend binds it fastest (`batch_sql`).

use sqlx::Any;
use sqlx::any::AnyArguments;
use sqlx::query::Query;

use super::Backend;
use crate::domain::ChatId;

/// Rows a multi-row statement carries at most (well under both backends'
/// parameter limits).
pub(super) const ROWS_PER_STATEMENT: usize = 100;

pub(super) type AnyQuery<'q> = Query<'q, Any, AnyArguments<'q>>;

/// A batch's chats grouped by platform, as an SQL condition.
pub(super) struct ChatSet(Vec<(&'static str, Vec<i64>)>);

impl ChatSet {
    pub(super) fn of(chats: impl IntoIterator<Item = ChatId>) -> ChatSet {
        let mut groups: Vec<(&'static str, Vec<i64>)> = Vec::new();
        for chat in chats {
            let platform = chat.platform.as_str();
            match groups.iter_mut().find(|(p, _)| *p == platform) {
                Some((_, ids)) => ids.push(chat.id),
                None => groups.push((platform, vec![chat.id])),
            }
        }
        ChatSet(groups)
    }

    /// `(a.platform = $n AND a.chat_id IN ($n+1, …)) OR …`, numbered from
    /// `first`; bind with [`ChatSet::bind`].
    pub(super) fn condition(&self, alias: &str, first: usize) -> String {
        self.condition_on(alias, "chat_id", first)
    }

    /// [`ChatSet::condition`] for a table whose chat column is `id_column`.
    pub(super) fn condition_on(&self, alias: &str, id_column: &str, first: usize) -> String {
        let mut n = first;
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|(_, ids)| {
                let platform = n;
                let list = placeholders(n + 1, ids.len());
                n += 1 + ids.len();
                format!("({alias}.platform = ${platform} AND {alias}.{id_column} IN ({list}))")
            })
            .collect();
        format!("({})", parts.join(" OR "))
    }

    pub(super) fn bind<'q>(&'q self, mut query: AnyQuery<'q>) -> AnyQuery<'q> {
        for (platform, ids) in &self.0 {
            query = query.bind(*platform);
            for id in ids {
                query = query.bind(*id);
            }
        }
        query
    }
}

/// `$first, $first+1, …` (`count` of them).
pub(super) fn placeholders(first: usize, count: usize) -> String {
    let all: Vec<String> = (first..first + count).map(|n| format!("${n}")).collect();
    all.join(", ")
}

/// `($1, …, $width), ($width+1, …), …` for `rows` rows.
pub(super) fn value_rows(rows: usize, width: usize) -> String {
    let all: Vec<String> = (0..rows)
        .map(|r| format!("({})", placeholders(r * width + 1, width)))
        .collect();
    all.join(", ")
}

/// The backend of `connection` (a transaction's).
pub(super) fn backend_of(connection: &sqlx::AnyConnection) -> Backend {
    match connection.backend_name() {
        "SQLite" => Backend::Sqlite,
        _ => Backend::Postgres,
    }
}

/// A batch statement as `backend` binds it fastest. sqlx asks SQLite for
/// each parameter's name to find its argument, and SQLite finds a name by
/// walking the statement's list of names: for a statement of hundreds of
/// `$n` that walk, repeated for each, was 3–4 % of the bot's CPU in a
/// large fan-out (BENCHMARKS.md, issue 19). An anonymous `?` has no name.
/// So on SQLite a statement whose `$n` run 1, 2, 3… in the order they
/// appear, each once, is written with `?`; any other is left as it is.
pub(super) fn batch_sql(backend: Backend, sql: String) -> String {
    match backend {
        Backend::Sqlite => anonymous_placeholders(&sql).unwrap_or(sql),
        Backend::Postgres => sql,
    }
}

/// `sql` with `$1, $2, …` as `?`, if they appear in that order, each once
/// (quoted text left alone).
fn anonymous_placeholders(sql: &str) -> Option<String> {
    let mut out = String::with_capacity(sql.len());
    let mut next = 1;
    let mut quoted = false;
    let mut chars = sql.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\'' {
            quoted = !quoted;
        }
        let digits = sql[i + 1..].bytes().take_while(u8::is_ascii_digit).count();
        if quoted || c != '$' || digits == 0 {
            out.push(c);
            continue;
        }
        if sql[i + 1..i + 1 + digits].parse::<usize>().ok()? != next {
            return None;
        }
        next += 1;
        out.push('?');
        for _ in 0..digits {
            chars.next();
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use sqlx::Row;

    use super::*;

    #[test]
    fn placeholders_in_order_become_anonymous_on_sqlite_only() {
        let sql = "SELECT '$9' FROM t WHERE a = $1 AND b IN ($2, $3) AND c = $4".to_string();
        let sqlite = "SELECT '$9' FROM t WHERE a = ? AND b IN (?, ?) AND c = ?";
        assert_eq!(batch_sql(Backend::Sqlite, sql.clone()), sqlite);
        assert_eq!(batch_sql(Backend::Postgres, sql.clone()), sql);
        let rows = format!("INSERT INTO t VALUES {}", value_rows(4, 3));
        let anonymous = batch_sql(Backend::Sqlite, rows);
        assert_eq!(anonymous.matches('?').count(), 12);
        assert!(!anonymous.contains('$'));
    }

    #[test]
    fn placeholders_out_of_order_or_repeated_are_left_as_they_are() {
        for sql in [
            "UPDATE t SET a = $2 WHERE b = $1",
            "UPDATE t SET a = $1 WHERE b = $1",
            "UPDATE t SET a = $1 WHERE b = $3",
        ] {
            assert_eq!(batch_sql(Backend::Sqlite, sql.to_string()), sql);
        }
    }

    #[tokio::test]
    async fn a_transaction_knows_its_backend() {
        crate::store::testing::each_store(async |store| {
            let tx = store.pool().begin().await.unwrap();
            assert_eq!(backend_of(&tx), store.backend());
        })
        .await;
    }

    #[tokio::test]
    async fn an_anonymous_statement_binds_as_the_numbered_one_did() {
        let store = super::super::Store::in_memory().await.unwrap();
        let sql = batch_sql(Backend::Sqlite, format!("SELECT {}", placeholders(1, 12)));
        let mut query = sqlx::query(&sql);
        for n in 1..=12i64 {
            query = query.bind(n * 10);
        }
        let row = query.fetch_one(store.pool()).await.unwrap();
        let values: Vec<i64> = (0..12).map(|i| row.get(i)).collect();
        assert_eq!(values, (1..=12).map(|n| n * 10).collect::<Vec<_>>());
    }
}
