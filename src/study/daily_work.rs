//! The question of the day as work for a scheduler: what is due now, what
//! to send, and what to record once it went out.
//!
//! Every item is claimed in the store's ledger before it is handed out, so
//! each (chat, local date) gets at most one question and one reveal even
//! across restarts; claims left by a run that died mid-send are handed out
//! again (`unfinished_work`), so nothing is lost.

use jiff::Timestamp;
use jiff::civil::Date;

use super::questions::{question_post, reveal_post};
use super::thread_ping::PostExtras;
use super::{Engine, Lang, Place, Result};
use crate::bank::Question;
use crate::domain::{ChatId, ChatKind, MessageId};
use crate::post::Post;
use crate::schedule::DailyPlan;
use crate::store::{Ask, LedgerEntry, LedgerKind, NewEntry, PlanRow};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DueKind {
    Post,
    Reveal,
    /// A person's review reminder, in their private chat.
    Remind,
    /// A group's weekly digest.
    Digest,
}

impl DueKind {
    pub(super) fn ledger(self) -> LedgerKind {
        match self {
            DueKind::Post => LedgerKind::Post,
            DueKind::Reveal => LedgerKind::Reveal,
            DueKind::Remind => LedgerKind::Remind,
            DueKind::Digest => LedgerKind::Digest,
        }
    }
}

/// One claimed daily post, reveal, reminder or digest, ready to send.
#[derive(Debug, Clone)]
pub struct DueWork {
    pub place: Place,
    /// The local date it belongs to.
    pub date: Date,
    pub kind: DueKind,
    pub question_id: String,
    /// For reveals: the ask revealed.
    pub ask_id: Option<i64>,
    pub post: Post,
    /// The plan it was claimed for, to schedule what follows once it is
    /// sent (`None` when resumed after a restart).
    pub plan: Option<DailyPlan>,
    /// For a day's question on Discord: a thread to open on it, a role to
    /// ping (the plan's `thread:on`, `ping:@role`).
    pub extras: PostExtras,
}

impl Engine {
    /// The day's question for the chat of `plan`, posted where it was set.
    pub(super) async fn post_work(
        &self,
        plan: &PlanRow,
        date: Date,
        question: &Question,
    ) -> Result<DueWork> {
        let (lang, place) = self.lang_and_place(plan.chat_id, plan.thread_id).await?;
        Ok(DueWork {
            place,
            date,
            kind: DueKind::Post,
            question_id: question.id.clone(),
            ask_id: None,
            post: question_post(&self.bank(), question, lang, Some(date)),
            plan: None,
            extras: PostExtras::of(plan, &question.title),
        })
    }

    /// Claims the reveal of `date`'s question. A question already revealed
    /// by hand (button or `/answer`) is not revealed again.
    pub(super) async fn claim_reveal(
        &self,
        chat_id: ChatId,
        date: Date,
        now: Timestamp,
    ) -> Result<Option<DueWork>> {
        let Some(entry) = self.store.entry(chat_id, date, LedgerKind::Post).await? else {
            return Ok(None);
        };
        let ask = match entry.ask_id {
            Some(id) => self.store.ask(id).await?,
            None => None,
        };
        let Some(ask) = ask else { return Ok(None) };
        let new = ledger(
            chat_id,
            date,
            LedgerKind::Reveal,
            &ask.question_id,
            Some(ask.id),
            now,
        );
        if ask.revealed_at.is_some() {
            self.store.skip(&new).await?;
            return Ok(None);
        }
        if self.bank().get(&ask.question_id).is_none() {
            // Marked done, so it is not tried again at every wake-up.
            log::info!(
                "chat {chat_id}: the reveal of {date} skipped: question {} is no longer in the bank",
                ask.question_id
            );
            self.store.skip(&new).await?;
            return Ok(None);
        }
        if !self.store.claim(&new).await? {
            return Ok(None);
        }
        self.reveal_work(&ask, date).await
    }

    async fn reveal_work(&self, ask: &Ask, date: Date) -> Result<Option<DueWork>> {
        let bank = self.bank();
        let Some(question) = bank.get(&ask.question_id) else {
            return Ok(None);
        };
        let (lang, place) = self.lang_and_place(ask.chat_id, ask.thread_id).await?;
        let post = reveal_post(question, lang, ask.message_id);
        let post = self
            .with_quiz_results(post, question, Some(ask), lang)
            .await?;
        Ok(Some(DueWork {
            place,
            date,
            kind: DueKind::Reveal,
            question_id: ask.question_id.clone(),
            ask_id: Some(ask.id),
            post,
            plan: None,
            extras: PostExtras::default(),
        }))
    }

    /// Claims a previous run (or a replica now gone) left unsent: it
    /// stopped mid-send. Claims older than the grace period, or whose
    /// question left the bank, are given up and logged.
    pub async fn unfinished_work(&self, now: Timestamp) -> Result<Vec<DueWork>> {
        let mut work = Vec::new();
        let resumable = self.resumable().await;
        for entry in self.store.claimed_entries().await? {
            if !self.serves(entry.chat_id) || !self.may_resume(&entry, &resumable).await? {
                continue;
            }
            self.resume_or_give_up(&entry, now, &mut work).await?;
        }
        work.sort_by_key(|w| w.kind == DueKind::Post);
        Ok(work)
    }

    /// Adds `entry`'s work to `work`, or gives it up (logged) when it can
    /// no longer go out.
    pub(super) async fn resume_or_give_up(
        &self,
        entry: &LedgerEntry,
        now: Timestamp,
        work: &mut Vec<DueWork>,
    ) -> Result<()> {
        match self.resume(entry, now).await? {
            Some(item) => work.push(item),
            None => {
                log::info!(
                    "chat {}: gave up the unsent {:?} of {}",
                    entry.chat_id,
                    entry.kind,
                    entry.local_date
                );
                self.store
                    .abandon(entry.chat_id, entry.local_date, entry.kind, now.as_second())
                    .await?;
            }
        }
        Ok(())
    }

    async fn resume(&self, entry: &LedgerEntry, now: Timestamp) -> Result<Option<DueWork>> {
        if now.as_second() - entry.at > self.config.grace.as_secs() {
            return Ok(None);
        }
        match entry.kind {
            LedgerKind::Post => {
                let plan = self.store.plan(entry.chat_id).await?;
                let plan = plan.unwrap_or_else(|| {
                    PlanRow::new(entry.chat_id, DailyPlan::utc(jiff::civil::Time::midnight()))
                });
                match self.bank().get(&entry.question_id) {
                    Some(q) => Ok(Some(self.post_work(&plan, entry.local_date, q).await?)),
                    None => Ok(None),
                }
            }
            LedgerKind::Reveal => match entry.ask_id {
                Some(id) => match self.store.ask(id).await? {
                    Some(ask) => self.reveal_work(&ask, entry.local_date).await,
                    None => Ok(None),
                },
                None => Ok(None),
            },
            LedgerKind::Remind | LedgerKind::Digest => self.resume_nudge(entry, now).await,
        }
    }

    /// Records that `work` went out as `message_id`, in one transaction
    /// (`Store::record_sent`): on an error nothing is recorded and the
    /// caller may try again; a second record of the same item changes
    /// nothing.
    pub async fn work_sent(
        &self,
        work: &DueWork,
        message_id: MessageId,
        now: Timestamp,
    ) -> Result<()> {
        let sent = self.sent_record(work, message_id, now);
        self.store.record_sent(&sent).await?;
        self.wake_for(sent.advance_to);
        Ok(())
    }

    /// Gives up `work` for good (the chat is gone).
    pub async fn work_abandoned(&self, work: &DueWork, now: Timestamp) -> Result<()> {
        self.store
            .abandon(
                work.place.chat_id,
                work.date,
                work.kind.ledger(),
                now.as_second(),
            )
            .await?;
        Ok(())
    }

    pub(super) async fn chat_lang(&self, chat_id: ChatId) -> Result<Lang> {
        Ok(self.lang_and_place(chat_id, None).await?.0)
    }

    /// The chat's language and where to post in it, from the hot-read cache
    /// (one read of its row on a miss).
    pub(super) async fn lang_and_place(
        &self,
        chat_id: ChatId,
        thread_id: Option<i64>,
    ) -> Result<(Lang, Place)> {
        let chat = self.chat_facts(chat_id).await?;
        let lang = chat
            .as_ref()
            .and_then(|c| c.language)
            .unwrap_or(self.config.default_lang);
        let place = Place {
            chat_id,
            kind: chat.map_or(ChatKind::Group, |c| c.kind),
            title: None,
            thread_id,
        };
        Ok((lang, place))
    }
}

pub(super) fn ledger<'a>(
    chat_id: ChatId,
    date: Date,
    kind: LedgerKind,
    question_id: &'a str,
    ask_id: Option<i64>,
    now: Timestamp,
) -> NewEntry<'a> {
    NewEntry {
        chat_id,
        local_date: date,
        kind,
        question_id,
        ask_id,
        at: now.as_second(),
    }
}
