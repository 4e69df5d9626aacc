//! Claims this process lost track of while it runs, found again at once.
//!
//! A daily item is claimed in the store before it is sent. When a store
//! error cuts a claim batch short (a busy SQLite file, a dropped PostgreSQL
//! connection), the items it had claimed never reach the driver, and their
//! claims would wait for the next start. The driver knows which items it
//! holds (by [`WorkKey`]); every claim of this engine's own that it does
//! not hold is an orphan, and `orphaned_work` hands it out again.

use std::collections::HashSet;

use jiff::Timestamp;
use jiff::civil::Date;

use super::daily_work::{DueKind, DueWork};
use super::{Engine, Result};
use crate::domain::ChatId;
use crate::store::LedgerEntry;

/// What names one daily item: its chat, local date and kind, as claimed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WorkKey {
    chat_id: ChatId,
    date: Date,
    kind: crate::store::LedgerKind,
}

impl WorkKey {
    /// The key of `work` as it was claimed (before any delivery moved it).
    pub fn of(work: &DueWork) -> WorkKey {
        WorkKey {
            chat_id: work.place.chat_id,
            date: work.date,
            kind: DueKind::ledger(work.kind),
        }
    }

    fn of_entry(entry: &LedgerEntry) -> WorkKey {
        WorkKey {
            chat_id: entry.chat_id,
            date: entry.local_date,
            kind: entry.kind,
        }
    }
}

impl Engine {
    /// This engine's own open claims that the driver does not hold
    /// (`held`, read before this is called, so an item recorded meanwhile
    /// is not taken for an orphan), ready to send again; claims too old to
    /// send are given up. Other replicas' claims are left alone.
    pub async fn orphaned_work(
        &self,
        now: Timestamp,
        held: &HashSet<WorkKey>,
    ) -> Result<Vec<DueWork>> {
        let mut work = Vec::new();
        for entry in self.store.claimed_entries().await? {
            let mine = entry.owner == self.store.owner();
            if !mine || !self.serves(entry.chat_id) || held.contains(&WorkKey::of_entry(&entry)) {
                continue;
            }
            self.resume_or_give_up(&entry, now, &mut work).await?;
        }
        work.sort_by_key(|w| w.kind == DueKind::Post);
        Ok(work)
    }
}
