//! A claim batch's reads and writes, set-wise (issue 19).
//!
//! Claiming plan by plan cost about a dozen statements a plan, each a round
//! trip to sqlx's worker. Here a batch of plans is read in three statements
//! (the latest post of each chat's ledger with its ask and reveal, the
//! chats' rounds, their current questions), decided in memory by the
//! engine, and written in one transaction of multi-row statements: the new
//! rounds, the picks, every claim and skipped day, and each plan's next
//! instant. A failed transaction leaves nothing half-claimed. A claim stays
//! exactly-once across replicas: the ledger insert is `ON CONFLICT DO
//! NOTHING … RETURNING`, so only the rows this call inserted come back.

use std::collections::{HashMap, HashSet};

use jiff::civil::Date;
use sqlx::Row;

use super::ledger::{ENTRY_COLUMNS, entry_from_row};
use super::sets::{ChatSet, ROWS_PER_STATEMENT, placeholders, value_rows};
use super::{LedgerEntry, LedgerState, NewEntry, Result, Store, chat_from_row};
use crate::domain::ChatId;

/// A chat's latest daily post in the ledger, as the engine's progress
/// needs it.
#[derive(Debug, Clone)]
pub struct PostProgress {
    pub latest: LedgerEntry,
    /// When its ask was posted (a done post's ask, if it still exists).
    pub asked_at: Option<i64>,
    /// Its day has a reveal row (claimed, done or skipped).
    pub revealed: bool,
}

/// What a claim batch's decisions read, for all its chats at once.
#[derive(Debug, Default)]
pub struct ClaimReads {
    /// Chats with a daily post in the ledger.
    pub progress: HashMap<ChatId, PostProgress>,
    /// Each chat's round: the questions it has seen.
    pub seen: HashMap<ChatId, HashSet<String>>,
    /// Each chat's current (latest asked) question.
    pub current: HashMap<ChatId, String>,
}

/// Everything a claim batch writes, in one transaction.
#[derive(Debug, Default)]
pub struct ClaimWrites<'a> {
    /// New rounds: these questions leave the chat's round first.
    pub new_rounds: Vec<(ChatId, Vec<&'a str>)>,
    /// Picks: the question joins the chat's round.
    pub seen: Vec<(ChatId, &'a str)>,
    /// Ledger rows claimed for this handle's owner.
    pub claims: Vec<NewEntry<'a>>,
    /// Ledger rows recorded as skipped.
    pub skips: Vec<NewEntry<'a>>,
    /// Each plan's next instant.
    pub next_due: Vec<(ChatId, i64)>,
}

impl Store {
    /// What deciding a claim batch for `chats` needs: three statements.
    pub async fn claim_reads(&self, chats: &[ChatId]) -> Result<ClaimReads> {
        if chats.is_empty() {
            return Ok(ClaimReads::default());
        }
        let set = ChatSet::of(chats.iter().copied());
        Ok(ClaimReads {
            progress: self.post_progress(&set).await?,
            seen: self.rounds(&set).await?,
            current: self.current_questions(&set).await?,
        })
    }

    async fn post_progress(&self, set: &ChatSet) -> Result<HashMap<ChatId, PostProgress>> {
        let columns: Vec<String> = ENTRY_COLUMNS
            .split(", ")
            .map(|c| format!("l.{c}"))
            .collect();
        let sql = format!(
            "SELECT {columns}, a.asked_at AS asked_at,
                 CAST(CASE WHEN EXISTS (SELECT 1 FROM daily_ledger r
                     WHERE r.platform = l.platform AND r.chat_id = l.chat_id
                         AND r.local_date = l.local_date AND r.kind = 'reveal')
                 THEN 1 ELSE 0 END AS BIGINT) AS revealed
             FROM daily_ledger l LEFT JOIN asks a ON a.id = l.ask_id
             WHERE l.kind = 'post' AND {condition}
                 AND l.local_date = (SELECT MAX(m.local_date) FROM daily_ledger m
                     WHERE m.platform = l.platform AND m.chat_id = l.chat_id AND m.kind = 'post')",
            columns = columns.join(", "),
            condition = set.condition("l", 1),
        );
        let rows = set.bind(sqlx::query(&sql)).fetch_all(self.pool()).await?;
        Ok(rows
            .iter()
            .filter_map(|row| {
                let asked_at: Option<i64> = row.get("asked_at");
                let revealed: i64 = row.get("revealed");
                let progress = PostProgress {
                    latest: entry_from_row(row)?,
                    asked_at,
                    revealed: revealed != 0,
                };
                Some((progress.latest.chat_id, progress))
            })
            .collect())
    }

    async fn rounds(&self, set: &ChatSet) -> Result<HashMap<ChatId, HashSet<String>>> {
        let sql = format!(
            "SELECT s.platform, s.chat_id, s.question_id FROM seen s WHERE {}",
            set.condition("s", 1)
        );
        let rows = set.bind(sqlx::query(&sql)).fetch_all(self.pool()).await?;
        let mut seen: HashMap<ChatId, HashSet<String>> = HashMap::new();
        for row in rows {
            let chat = chat_from_row(&row, "chat_id");
            seen.entry(chat).or_default().insert(row.get("question_id"));
        }
        Ok(seen)
    }

    async fn current_questions(&self, set: &ChatSet) -> Result<HashMap<ChatId, String>> {
        let sql = format!(
            "SELECT platform, chat_id, question_id FROM asks WHERE id IN (
                 SELECT MAX(a.id) FROM asks a WHERE {} GROUP BY a.platform, a.chat_id)",
            set.condition("a", 1)
        );
        let rows = set.bind(sqlx::query(&sql)).fetch_all(self.pool()).await?;
        Ok(rows
            .into_iter()
            .map(|row| (chat_from_row(&row, "chat_id"), row.get("question_id")))
            .collect())
    }

    /// Writes a claim batch in one transaction; returns the (chat, local
    /// date) of the claims this call won. On an error nothing is written.
    pub async fn write_claim_batch(
        &self,
        writes: &ClaimWrites<'_>,
    ) -> Result<HashSet<(ChatId, Date)>> {
        let mut tx = self.pool().begin().await?;
        for (chat, ids) in &writes.new_rounds {
            forget_round(&mut tx, *chat, ids).await?;
        }
        for chunk in writes.seen.chunks(ROWS_PER_STATEMENT) {
            join_rounds(&mut tx, chunk).await?;
        }
        let rows: Vec<(&NewEntry, LedgerState, Option<i64>)> = writes
            .claims
            .iter()
            .map(|e| (e, LedgerState::Claimed, self.owner))
            .chain(writes.skips.iter().map(|e| (e, LedgerState::Skipped, None)))
            .collect();
        let mut won = HashSet::new();
        for chunk in rows.chunks(ROWS_PER_STATEMENT) {
            won.extend(insert_entries(&mut tx, chunk).await?);
        }
        for chunk in writes.next_due.chunks(ROWS_PER_STATEMENT) {
            set_next_due_all(&mut tx, chunk).await?;
        }
        tx.commit().await?;
        Ok(won)
    }
}

pub(super) type Tx<'t> = sqlx::Transaction<'t, sqlx::Any>;

async fn forget_round(tx: &mut Tx<'_>, chat: ChatId, ids: &[&str]) -> Result<()> {
    for chunk in ids.chunks(ROWS_PER_STATEMENT * 5) {
        let sql = format!(
            "DELETE FROM seen WHERE platform = $1 AND chat_id = $2 AND question_id IN ({})",
            placeholders(3, chunk.len())
        );
        let mut query = sqlx::query(&sql).bind(chat.platform.as_str()).bind(chat.id);
        for id in chunk {
            query = query.bind(*id);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

pub(super) async fn join_rounds(tx: &mut Tx<'_>, picks: &[(ChatId, &str)]) -> Result<()> {
    let sql = format!(
        "INSERT INTO seen (platform, chat_id, question_id) VALUES {}
         ON CONFLICT (platform, chat_id, question_id) DO NOTHING",
        value_rows(picks.len(), 3)
    );
    let mut query = sqlx::query(&sql);
    for (chat, question) in picks {
        query = query
            .bind(chat.platform.as_str())
            .bind(chat.id)
            .bind(*question);
    }
    query.execute(&mut **tx).await?;
    Ok(())
}

/// Inserts ledger rows, each unless its key is taken; returns the claims
/// inserted (skips are not reported).
async fn insert_entries(
    tx: &mut Tx<'_>,
    rows: &[(&NewEntry<'_>, LedgerState, Option<i64>)],
) -> Result<Vec<(ChatId, Date)>> {
    let sql = format!(
        "INSERT INTO daily_ledger
             (platform, chat_id, local_date, kind, state, question_id, ask_id, at, owner)
         VALUES {}
         ON CONFLICT (platform, chat_id, local_date, kind) DO NOTHING
         RETURNING platform, chat_id, local_date, state",
        value_rows(rows.len(), 9)
    );
    let mut query = sqlx::query(&sql);
    for (entry, state, owner) in rows {
        query = entry
            .key()
            .bind_to(query)
            .bind(state.as_str())
            .bind(entry.question_id)
            .bind(entry.ask_id)
            .bind(entry.at)
            .bind(*owner);
    }
    let inserted = query.fetch_all(&mut **tx).await?;
    Ok(inserted
        .into_iter()
        .filter(|row| LedgerState::parse(row.get("state")) == LedgerState::Claimed)
        .filter_map(|row| {
            // Written by this statement from a `Date`: it reads.
            let date = row.get::<String, _>("local_date").parse().ok()?;
            Some((chat_from_row(&row, "chat_id"), date))
        })
        .collect())
}

async fn set_next_due_all(tx: &mut Tx<'_>, instants: &[(ChatId, i64)]) -> Result<()> {
    let cases: Vec<String> = (0..instants.len())
        .map(|i| {
            let n = i * 3 + 1;
            format!(
                "WHEN platform = ${n} AND chat_id = ${} THEN ${}",
                n + 1,
                n + 2
            )
        })
        .collect();
    let set = ChatSet::of(instants.iter().map(|(chat, _)| *chat));
    let sql = format!(
        "UPDATE plans SET next_due = CASE {} ELSE next_due END WHERE {}",
        cases.join(" "),
        set.condition("plans", instants.len() * 3 + 1)
    );
    let mut query = sqlx::query(&sql);
    for (chat, at) in instants {
        query = query.bind(chat.platform.as_str()).bind(chat.id).bind(*at);
    }
    set.bind(query).execute(&mut **tx).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ChatKind;
    use crate::store::testing::each_store;
    use crate::store::{LedgerKind, PlanRow};

    const ONE: ChatId = ChatId::telegram(-1);
    const TWO: ChatId = ChatId::telegram(-2);
    const DATE: Date = jiff::civil::date(2026, 12, 1);

    async fn two_plans(store: &Store) {
        for chat in [ONE, TWO] {
            store
                .upsert_chat(chat, ChatKind::Group, None, 0)
                .await
                .unwrap();
            store
                .save_plan(&PlanRow::every_day(chat, "09:00", "UTC").unwrap(), 0)
                .await
                .unwrap();
        }
    }

    fn entry(chat_id: ChatId, question_id: &str) -> NewEntry<'_> {
        NewEntry {
            chat_id,
            local_date: DATE,
            kind: LedgerKind::Post,
            question_id,
            ask_id: None,
            at: 5,
        }
    }

    /// ONE's post claimed, TWO's day skipped, both plans' instants set.
    fn writes() -> ClaimWrites<'static> {
        ClaimWrites {
            new_rounds: vec![(ONE, vec!["q0"])],
            seen: vec![(ONE, "q1")],
            claims: vec![entry(ONE, "q1")],
            skips: vec![entry(TWO, "")],
            next_due: vec![(ONE, 100), (TWO, 200)],
        }
    }

    #[tokio::test]
    async fn a_batch_is_written_whole_and_its_claims_are_won_once() {
        each_store(async |store| {
            two_plans(&store).await;
            store.mark_seen(ONE, "q0").await.unwrap();
            let won = store.write_claim_batch(&writes()).await.unwrap();
            assert_eq!(won, HashSet::from([(ONE, DATE)]));
            let reads = store.claim_reads(&[ONE, TWO]).await.unwrap();
            assert_eq!(reads.seen[&ONE], HashSet::from(["q1".to_string()]));
            let one = &reads.progress[&ONE];
            assert_eq!(one.latest.state, LedgerState::Claimed);
            assert_eq!(reads.progress[&TWO].latest.state, LedgerState::Skipped);
            assert!(!one.revealed && one.asked_at.is_none());
            let due = store.due_plans(150, 10, None).await.unwrap();
            let due: Vec<ChatId> = due.iter().map(|p| p.chat_id).collect();
            assert_eq!(due, [ONE], "each plan got its own instant");
            // Written again (another replica, or a retry): nothing is won.
            let again = store.write_claim_batch(&writes()).await.unwrap();
            assert!(again.is_empty());
        })
        .await;
    }

    /// The last statement fails: no claim, skip or pick stays.
    #[tokio::test]
    async fn a_failed_batch_leaves_nothing_claimed() {
        let store = Store::in_memory().await.unwrap();
        two_plans(&store).await;
        let refuse = "CREATE TRIGGER refuse BEFORE UPDATE OF next_due ON plans
                      BEGIN SELECT RAISE(ABORT, 'refused'); END";
        sqlx::query(refuse).execute(store.pool()).await.unwrap();
        assert!(store.write_claim_batch(&writes()).await.is_err());
        let reads = store.claim_reads(&[ONE, TWO]).await.unwrap();
        assert!(reads.progress.is_empty() && reads.seen.is_empty());
        assert!(store.claimed_entries().await.unwrap().is_empty());
    }
}
