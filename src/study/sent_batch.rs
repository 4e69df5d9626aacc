//! Daily items that went out, recorded a batch at a time (issue 19).
//!
//! The driver's recorder gathers the items whose delivery finished together
//! and hands them here; they are written in one store transaction
//! (`Store::record_sent_batch`) instead of one each. What one record holds
//! (`sent_record`) is shared with `work_sent`, the single record.

use jiff::Timestamp;

use super::daily_work::{DueKind, DueWork};
use super::{Engine, Result};
use crate::domain::MessageId;
use crate::store::{LedgerKey, NewAsk, Sent, SentItem};

/// One daily item that went out, and as which message, when.
#[derive(Debug, Clone)]
pub struct SentWork {
    pub work: DueWork,
    pub message_id: MessageId,
    pub at: Timestamp,
}

impl Engine {
    /// Records that each of `sent` went out, in one transaction: on an
    /// error nothing is recorded and the caller may try again; an item
    /// recorded already (or twice in `sent`) changes nothing.
    pub async fn works_sent(&self, sent: &[SentWork]) -> Result<()> {
        let records: Vec<Sent<'_>> = sent
            .iter()
            .map(|s| self.sent_record(&s.work, s.message_id, s.at))
            .collect();
        self.store.record_sent_batch(&records).await?;
        self.wake_for(records.iter().filter_map(|r| r.advance_to).min());
        Ok(())
    }

    /// What to record once `work` went out as `message_id` at `now`.
    pub(super) fn sent_record<'a>(
        &self,
        work: &'a DueWork,
        message_id: MessageId,
        now: Timestamp,
    ) -> Sent<'a> {
        let chat_id = work.place.chat_id;
        let item = match work.kind {
            DueKind::Post => SentItem::Post(NewAsk {
                chat_id,
                question_id: &work.question_id,
                message_id: Some(message_id),
                thread_id: work.place.thread_id,
                asked_at: now.as_second(),
                daily_date: Some(work.date),
            }),
            DueKind::Reveal => SentItem::Reveal {
                ask_id: work.ask_id.unwrap_or_default(),
                message_id,
            },
            DueKind::Remind | DueKind::Digest => SentItem::Nudge,
        };
        Sent {
            key: LedgerKey {
                chat_id,
                local_date: work.date,
                kind: work.kind.ledger(),
            },
            item,
            at: now.as_second(),
            // A posted question may now have a reveal to schedule.
            advance_to: self.reveal_after_sent(work, now),
        }
    }
}
