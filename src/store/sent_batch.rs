//! Recording a batch of sent items in one transaction (issue 19).
//!
//! `record_sent` costs three or more statements per item; the driver's
//! recorder gathers the items that finished together and writes them here
//! with multi-row statements: the ledger rows marked done (returning which
//! were still claimed), the asks of the posts among those and their `seen`
//! rows, the ledger's ask ids, the reveals, and the plans' next instants.
//! The guarantees are `record_sent`'s: a failed batch changes nothing and
//! can be tried again whole, and an item recorded already (an earlier try
//! whose commit answer was lost, or a second record of it in the same
//! batch) changes nothing.

use std::collections::{HashMap, HashSet};

use jiff::civil::Date;
use sqlx::Row;

use super::claim_batch::{Tx, join_rounds};
use super::sent::{Sent, SentItem};
use super::sets::{ChatSet, ROWS_PER_STATEMENT, value_rows};
use super::{LedgerKind, NewAsk, Result, Store, chat_from_row};
use crate::domain::{ChatId, MessageId};

/// A ledger row's key, owned.
type Key = (ChatId, String, &'static str);

fn key_of(sent: &Sent<'_>) -> Key {
    let key = sent.key;
    (key.chat_id, key.local_date.to_string(), key.kind.as_str())
}

/// `platform = $n AND chat_id = $n+1 AND local_date = $n+2 AND kind = $n+3`.
fn key_condition(n: usize) -> String {
    format!(
        "(platform = ${n} AND chat_id = ${} AND local_date = ${} AND kind = ${})",
        n + 1,
        n + 2,
        n + 3
    )
}

impl Store {
    /// Records `batch` in one transaction. Returns, for each item in order,
    /// the ask it made or revealed, or `None` when its ledger row was no
    /// longer claimed (or an earlier item of the batch had the same key).
    pub async fn record_sent_batch(&self, batch: &[Sent<'_>]) -> Result<Vec<Option<i64>>> {
        let mut tx = self.pool().begin().await?;
        let mut claimed = HashSet::new();
        for chunk in batch.chunks(ROWS_PER_STATEMENT) {
            claimed.extend(mark_done(&mut tx, chunk).await?);
        }
        // The first record of each key still claimed is the one recorded.
        let taken: Vec<usize> = (0..batch.len())
            .filter(|&i| claimed.remove(&key_of(&batch[i])))
            .collect();
        let mut answers = vec![None; batch.len()];
        let posts: Vec<(usize, &NewAsk<'_>)> = taken
            .iter()
            .filter_map(|&i| match &batch[i].item {
                SentItem::Post(ask) => Some((i, ask)),
                _ => None,
            })
            .collect();
        for chunk in posts.chunks(ROWS_PER_STATEMENT) {
            let ids = insert_asks(&mut tx, chunk).await?;
            let seen: Vec<(ChatId, &str)> = chunk
                .iter()
                .map(|(_, a)| (a.chat_id, a.question_id))
                .collect();
            join_rounds(&mut tx, &seen).await?;
            let mut links = Vec::new();
            for (i, ask) in chunk {
                let id = ids.get(&(ask.chat_id, ask.daily_date.map(|d| d.to_string())));
                answers[*i] = id.copied();
                links.extend(id.map(|id| (ask.chat_id, batch[*i].key.local_date, *id)));
            }
            link_asks(&mut tx, &links).await?;
        }
        let mut reveals = Vec::new();
        for &i in &taken {
            if let SentItem::Reveal { ask_id, message_id } = &batch[i].item {
                answers[i] = Some(*ask_id);
                reveals.push((*ask_id, batch[i].at, *message_id));
            }
        }
        for chunk in reveals.chunks(ROWS_PER_STATEMENT) {
            mark_revealed(&mut tx, chunk).await?;
        }
        let advances = earliest_advances(taken.iter().map(|&i| &batch[i]));
        for chunk in advances.chunks(ROWS_PER_STATEMENT) {
            advance_next_due(&mut tx, chunk).await?;
        }
        tx.commit().await?;
        Ok(answers)
    }
}

/// Moves the rows of `chunk` from claimed to done; returns the keys moved.
async fn mark_done(tx: &mut Tx<'_>, chunk: &[Sent<'_>]) -> Result<HashSet<Key>> {
    let cases: Vec<String> = (0..chunk.len())
        .map(|i| format!("WHEN {} THEN ${}", key_condition(i * 5 + 1), i * 5 + 5))
        .collect();
    let first = chunk.len() * 5 + 1;
    let keys: Vec<String> = (0..chunk.len())
        .map(|i| key_condition(first + i * 4))
        .collect();
    let sql = format!(
        "UPDATE daily_ledger SET state = 'done', at = CASE {} ELSE at END
         WHERE state = 'claimed' AND ({})
         RETURNING platform, chat_id, local_date, kind",
        cases.join(" "),
        keys.join(" OR ")
    );
    let mut query = sqlx::query(&sql);
    for sent in chunk {
        query = sent.key.bind_to(query).bind(sent.at);
    }
    for sent in chunk {
        query = sent.key.bind_to(query);
    }
    let rows = query.fetch_all(&mut **tx).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let kind = LedgerKind::parse(row.get("kind"));
            (
                chat_from_row(&row, "chat_id"),
                row.get("local_date"),
                kind.as_str(),
            )
        })
        .collect())
}

/// Inserts the asks of `posts`; returns their ids by (chat, daily date),
/// which is one post per ledger row (`work_sent` gives each post's ask its
/// ledger date).
async fn insert_asks(
    tx: &mut Tx<'_>,
    posts: &[(usize, &NewAsk<'_>)],
) -> Result<HashMap<(ChatId, Option<String>), i64>> {
    let sql = format!(
        "INSERT INTO asks
             (platform, chat_id, question_id, message_id, thread_id, asked_at, daily_date)
         VALUES {} RETURNING id, platform, chat_id, daily_date",
        value_rows(posts.len(), 7)
    );
    let mut query = sqlx::query(&sql);
    for (_, ask) in posts {
        query = query
            .bind(ask.chat_id.platform.as_str())
            .bind(ask.chat_id.id)
            .bind(ask.question_id)
            .bind(ask.message_id.map(|m| m.0))
            .bind(ask.thread_id)
            .bind(ask.asked_at)
            .bind(ask.daily_date.map(|d| d.to_string()));
    }
    let rows = query.fetch_all(&mut **tx).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let date: Option<String> = row.get("daily_date");
            ((chat_from_row(&row, "chat_id"), date), row.get("id"))
        })
        .collect())
}

/// Sets the ask id of each (chat, local date)'s post row.
async fn link_asks(tx: &mut Tx<'_>, links: &[(ChatId, Date, i64)]) -> Result<()> {
    if links.is_empty() {
        return Ok(());
    }
    let cases: Vec<String> = (0..links.len())
        .map(|i| {
            let n = i * 4 + 1;
            format!(
                "WHEN platform = ${n} AND chat_id = ${} AND local_date = ${} THEN ${}",
                n + 1,
                n + 2,
                n + 3
            )
        })
        .collect();
    let set = ChatSet::of(links.iter().map(|(chat, _, _)| *chat));
    let sql = format!(
        "UPDATE daily_ledger SET ask_id = CASE {} ELSE ask_id END
         WHERE kind = 'post' AND {}",
        cases.join(" "),
        set.condition("daily_ledger", links.len() * 4 + 1)
    );
    let mut query = sqlx::query(&sql);
    for (chat, date, id) in links {
        query = query
            .bind(chat.platform.as_str())
            .bind(chat.id)
            .bind(date.to_string())
            .bind(*id);
    }
    set.bind(query).execute(&mut **tx).await?;
    Ok(())
}

/// Marks asks revealed (each unless revealed already): (ask, at, message).
async fn mark_revealed(tx: &mut Tx<'_>, reveals: &[(i64, i64, MessageId)]) -> Result<()> {
    let count = reveals.len();
    let cases = |first: usize| -> String {
        (0..count)
            .map(|i| format!("WHEN ${} THEN ${}", first + i * 2, first + i * 2 + 1))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let ids = super::sets::placeholders(count * 4 + 1, count);
    let sql = format!(
        "UPDATE asks SET revealed_at = CASE id {} END, reveal_message_id = CASE id {} END
         WHERE revealed_at IS NULL AND id IN ({ids})",
        cases(1),
        cases(count * 2 + 1)
    );
    let mut query = sqlx::query(&sql);
    for (id, at, _) in reveals {
        query = query.bind(*id).bind(*at);
    }
    for (id, _, message) in reveals {
        query = query.bind(*id).bind(message.0);
    }
    for (id, _, _) in reveals {
        query = query.bind(*id);
    }
    query.execute(&mut **tx).await?;
    Ok(())
}

/// The earliest instant each chat's plan is to be brought forward to.
fn earliest_advances<'s, 'a: 's>(
    recorded: impl Iterator<Item = &'s Sent<'a>>,
) -> Vec<(ChatId, i64)> {
    let mut earliest: HashMap<ChatId, i64> = HashMap::new();
    for sent in recorded {
        if let Some(at) = sent.advance_to {
            let entry = earliest.entry(sent.key.chat_id).or_insert(at);
            *entry = (*entry).min(at);
        }
    }
    earliest.into_iter().collect()
}

/// Brings each chat's next instant forward to its given instant (never
/// later: an earlier one stays).
async fn advance_next_due(tx: &mut Tx<'_>, instants: &[(ChatId, i64)]) -> Result<()> {
    let cases: Vec<String> = (0..instants.len())
        .map(|i| {
            let n = i * 4 + 1;
            format!(
                "WHEN platform = ${n} AND chat_id = ${} AND (next_due IS NULL OR next_due > ${})
                 THEN ${}",
                n + 1,
                n + 2,
                n + 3
            )
        })
        .collect();
    let set = ChatSet::of(instants.iter().map(|(chat, _)| *chat));
    let sql = format!(
        "UPDATE plans SET next_due = CASE {} ELSE next_due END WHERE {}",
        cases.join(" "),
        set.condition("plans", instants.len() * 4 + 1)
    );
    let mut query = sqlx::query(&sql);
    for (chat, at) in instants {
        query = query
            .bind(chat.platform.as_str())
            .bind(chat.id)
            .bind(*at)
            .bind(*at);
    }
    set.bind(query).execute(&mut **tx).await?;
    Ok(())
}

#[cfg(test)]
#[path = "sent_batch_tests.rs"]
mod tests;
