//! Daily claims among replicas: which open claims this engine may resume.
//!
//! Alone (SQLite), every claim still open was left by this bot's last run
//! and is resumed at start. Among replicas on one PostgreSQL database, an
//! open claim may be a send in flight on another live replica: it is left
//! alone. A claim whose owner is not live (it died, or stopped and handed
//! its claims back) is adopted first, with a compare-and-set on its owner,
//! so of two replicas adopting at once exactly one resumes it.

use super::{Engine, Result};
use crate::store::LedgerEntry;

/// Which of the open claims this engine may resume.
pub(super) enum Resumable {
    /// It runs alone: all of them.
    All,
    /// Those held by none of these live replicas (this one included).
    NotHeldBy(Vec<i64>),
    /// None for now: the live replicas could not be read.
    Nothing,
}

impl Engine {
    pub(super) async fn resumable(&self) -> Resumable {
        let Some(replica) = &self.replica else {
            return Resumable::All;
        };
        match replica.live_members().await {
            Ok(live) => Resumable::NotHeldBy(live),
            Err(e) => {
                log::warn!("cannot tell which replicas are live ({e}); open claims wait");
                Resumable::Nothing
            }
        }
    }

    /// Whether this engine may resume `entry`: adopted from a replica that
    /// is gone, or any entry when it runs alone.
    pub(super) async fn may_resume(&self, entry: &LedgerEntry, which: &Resumable) -> Result<bool> {
        let live = match which {
            Resumable::All => return Ok(true),
            Resumable::Nothing => return Ok(false),
            Resumable::NotHeldBy(live) => live,
        };
        if entry.owner.is_some_and(|owner| live.contains(&owner)) {
            return Ok(false);
        }
        let adopted = self.store.adopt(entry.key(), entry.owner).await?;
        if adopted {
            log::info!(
                "chat {}: adopted the unsent {:?} of {} from {}",
                entry.chat_id,
                entry.kind,
                entry.local_date,
                entry
                    .owner
                    .map_or("a replica that stopped".to_string(), |o| format!(
                        "replica {o}"
                    ))
            );
        }
        Ok(adopted)
    }

    /// This replica stops: its claims not sent yet go back to nobody, for
    /// the others to adopt. Alone, nothing to do (the next start resumes).
    pub async fn hand_back_claims(&self) -> Result<u64> {
        match &self.replica {
            Some(replica) => Ok(self.store.hand_back(replica.id()).await?),
            None => Ok(0),
        }
    }
}
