//! SQL text for sets: a condition matching a set of chats (grouped by
//! platform) and the placeholders of multi-row statements. The batched
//! reads and writes (claim batches, sent batches, warming the chat cache)
//! build their statements from these.

use sqlx::Any;
use sqlx::any::AnyArguments;
use sqlx::query::Query;

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
