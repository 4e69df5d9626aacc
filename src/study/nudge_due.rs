//! Reminders and weekly digests as work for the daily driver, in the very
//! scheme of daily posts: each keeps its next instant indexed (a wake-up
//! reads only those due), each send is claimed in the ledger first and
//! finished after (exactly once across restarts), a missed instant goes
//! out late only within the grace period, and local times follow DST.
//!
//! A reminder is a daily rule in the person's zone that sends only when
//! cards are due at that moment; otherwise the day is recorded as skipped.
//! A digest is a weekly rule in the chat's zone.

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};

use super::daily_work::{DueKind, DueWork, ledger};
use super::i18n::nudge as words;
use super::{Engine, Result};
use crate::domain::ChatId;
use crate::post::{Action, Block, Button, Post};
use crate::schedule::{self, DailyPlan, PostDecision, WeeklyPlan};
use crate::store::{DigestRow, LedgerEntry, LedgerKind, ReminderRow, due_second};

/// What a digest covers: the seven days before it.
const WEEK: SignedDuration = SignedDuration::from_hours(7 * 24);

/// A rule found due again right after being handled is looked at again
/// after this many seconds, not in a loop.
const LOOK_AGAIN_SECS: i64 = 60;

fn later_than_now(next: Timestamp, now: Timestamp) -> i64 {
    let next = due_second(next);
    if next <= now.as_second() {
        now.as_second() + LOOK_AGAIN_SECS
    } else {
        next
    }
}

impl Engine {
    /// Claims the reminders and digests due at `now` (at most `limit` of
    /// each) into `work`, and stores when each is next due. True when more
    /// may be due.
    pub(super) async fn nudge_batch(
        &self,
        now: Timestamp,
        limit: usize,
        work: &mut Vec<DueWork>,
    ) -> Result<bool> {
        let now_s = now.as_second();
        let reminders = self.store.due_reminders(now_s, limit, self.serving).await?;
        let digests = self.store.due_digests(now_s, limit, self.serving).await?;
        let more = reminders.len() >= limit || digests.len() >= limit;
        for row in reminders {
            let plan = row.plan();
            let next = later_than_now(self.reminder_work(&row, &plan, now, work).await?, now);
            self.store.set_reminder_due(row.person, next).await?;
        }
        for row in digests {
            let next = later_than_now(self.digest_work(&row, &row.plan, now, work).await?, now);
            self.store.set_digest_due(row.chat_id, next).await?;
        }
        Ok(more)
    }

    async fn last_done(&self, chat: ChatId, kind: LedgerKind) -> Result<Option<Date>> {
        let last = self.store.latest_entry(chat, kind).await?;
        Ok(last.map(|e| e.local_date))
    }

    /// Claims today's reminder if it is due and cards are due; returns
    /// when to look at it again.
    async fn reminder_work(
        &self,
        row: &ReminderRow,
        plan: &DailyPlan,
        now: Timestamp,
        work: &mut Vec<DueWork>,
    ) -> Result<Timestamp> {
        let chat = row.chat_id;
        let mut last_done = self.last_done(chat, LedgerKind::Remind).await?;
        let grace = self.config.grace;
        let decision = schedule::due_post(plan, now, last_done, grace);
        if let PostDecision::Due(date) | PostDecision::Skipped(date) = decision {
            let entry = ledger(chat, date, LedgerKind::Remind, "", None, now);
            let on_time = matches!(decision, PostDecision::Due(_));
            let due = self.store.count_due(row.person, &[now.as_second()]).await?[0];
            if !on_time || due == 0 {
                self.store.skip(&entry).await?;
            } else if self.store.claim(&entry).await? {
                work.push(self.reminder_post(chat, date, due).await?);
            }
            last_done = Some(date);
        }
        Ok(schedule::next_post_instant(plan, now, last_done, grace))
    }

    async fn reminder_post(&self, chat: ChatId, date: Date, due: i64) -> Result<DueWork> {
        let (lang, place) = self.lang_and_place(chat, None).await?;
        let mut post = Post::text(words::nudge(lang, due));
        post.buttons.push(Button {
            label: words::start_review_button(lang).to_string(),
            action: Action::StartReview,
        });
        Ok(nudge_work(place, date, DueKind::Remind, post))
    }

    /// Claims this week's digest if it is due; returns when to look again.
    async fn digest_work(
        &self,
        row: &DigestRow,
        plan: &WeeklyPlan,
        now: Timestamp,
        work: &mut Vec<DueWork>,
    ) -> Result<Timestamp> {
        let chat = row.chat_id;
        let mut last_done = self.last_done(chat, LedgerKind::Digest).await?;
        let grace = self.config.grace;
        match schedule::due_weekly(plan, now, last_done, grace) {
            PostDecision::Due(date) => {
                let entry = ledger(chat, date, LedgerKind::Digest, "", None, now);
                if self.store.claim(&entry).await? {
                    work.push(self.digest_post(row, date, now).await?);
                }
                last_done = Some(date);
            }
            PostDecision::Skipped(date) => {
                let entry = ledger(chat, date, LedgerKind::Digest, "", None, now);
                self.store.skip(&entry).await?;
                last_done = Some(date);
            }
            PostDecision::NotDue => {}
        }
        Ok(schedule::next_weekly(plan, now, last_done, grace))
    }

    /// The group's last seven days: participation, leaderboard, hardest
    /// questions (as `/stats` shows them), and a nudge to `/review`.
    async fn digest_post(&self, row: &DigestRow, date: Date, now: Timestamp) -> Result<DueWork> {
        let chat = row.chat_id;
        let (lang, place) = self.lang_and_place(chat, row.thread_id).await?;
        let since = now.as_second() - WEEK.as_secs();
        let mut blocks = vec![Block::Heading(words::digest_heading(lang).to_string())];
        let (_, ratings) = self.store.chat_activity(chat, since).await?;
        match self.week_blocks(chat, lang, now, since).await? {
            Some(figures) if ratings > 0 => blocks.extend(figures),
            _ => blocks.push(Block::Text(words::digest_quiet(lang).to_string())),
        }
        blocks.push(Block::Text(words::digest_nudge(lang).to_string()));
        let picture = match ratings {
            0 => None,
            _ => self.group_chart(chat, now).await?,
        };
        Ok(nudge_work(
            place,
            date,
            DueKind::Digest,
            Post::notice(blocks).with_picture(picture),
        ))
    }

    /// A reminder or digest a previous run claimed but never sent, made
    /// again (its figures as of now); `None` when it was turned off since.
    pub(super) async fn resume_nudge(
        &self,
        entry: &LedgerEntry,
        now: Timestamp,
    ) -> Result<Option<DueWork>> {
        let chat = entry.chat_id;
        match entry.kind {
            LedgerKind::Remind => {
                let Some(row) = self.store.reminder_in(chat).await? else {
                    return Ok(None);
                };
                let due = self.store.count_due(row.person, &[now.as_second()]).await?[0];
                if due == 0 {
                    return Ok(None);
                }
                Ok(Some(self.reminder_post(chat, entry.local_date, due).await?))
            }
            LedgerKind::Digest => match self.store.digest(chat).await? {
                Some(row) => Ok(Some(self.digest_post(&row, entry.local_date, now).await?)),
                None => Ok(None),
            },
            LedgerKind::Post | LedgerKind::Reveal => Ok(None),
        }
    }

    /// The platform says the chat of `work` is gone for the bot (blocked,
    /// never started, kicked): a reminder there is turned off for good,
    /// so it is not tried again every day; then the work is given up.
    pub async fn work_gone(&self, work: &DueWork, now: Timestamp) -> Result<()> {
        let chat = work.place.chat_id;
        if work.kind == DueKind::Remind && self.store.delete_reminder_in(chat).await? {
            log::info!("chat {chat}: the platform refused the reminder; reminder turned off");
        }
        self.work_abandoned(work, now).await
    }
}

fn nudge_work(place: super::Place, date: Date, kind: DueKind, post: Post) -> DueWork {
    DueWork {
        place,
        date,
        kind,
        question_id: String::new(),
        ask_id: None,
        post,
        plan: None,
        extras: super::thread_ping::PostExtras::default(),
    }
}
