//! Claiming a batch of due plans set-wise (issue 19).
//!
//! The driver's plans are handled a batch at a time: what the decisions
//! need is read for all the batch's chats at once (`Store::claim_reads`),
//! each plan's post, skipped day, pick and next instant is decided in
//! memory (the `schedule` functions are pure), and all of it is written in
//! one transaction (`Store::write_claim_batch`), which tells which claims
//! this replica won. Only the won claims become work. A failed batch
//! leaves no post claimed; a timed reveal is still claimed plan by plan
//! (`claim_reveal`, rare next to posts), and the driver finds such a claim
//! again after an error (`orphaned_work`).

use std::collections::HashSet;

use jiff::Timestamp;
use jiff::civil::Date;

use super::daily_work::{DueWork, ledger};
use super::due::LOOK_AGAIN_SECS;
use super::pick::pick;
use super::{Engine, Result};
use crate::bank::Bank;
use crate::domain::ChatId;
use crate::schedule::{self, DailyPlan, PostDecision};
use crate::store::{
    ClaimReads, ClaimWrites, LedgerKind, LedgerState, PlanRow, PostProgress, due_second,
};

/// A chat's daily progress: the latest date with a post decided, the
/// latest post that went out (its date and when), and whether that post's
/// reveal is in the ledger.
pub(super) type Progress = (Option<Date>, Option<(Date, Timestamp)>, bool);

/// What the decisions of one batch see.
struct Batch<'a> {
    now: Timestamp,
    reads: &'a ClaimReads,
    bank: &'a Bank,
}

/// A post this batch means to claim; it goes out if its claim wins.
struct PendingPost {
    row: usize,
    chat_id: ChatId,
    plan: DailyPlan,
    date: Date,
    question_id: String,
}

/// A batch's decisions, held until they are written.
#[derive(Default)]
struct Decisions {
    new_rounds: Vec<(ChatId, Vec<String>)>,
    picks: Vec<(ChatId, String)>,
    posts: Vec<PendingPost>,
    /// Days of daily posts skipped (missed, or nothing to pick).
    skips: Vec<(ChatId, Date)>,
    next_due: Vec<(ChatId, i64)>,
    /// Reveals claimed meanwhile (plan by plan).
    reveals: Vec<DueWork>,
}

impl Decisions {
    fn writes(&self, now: Timestamp) -> ClaimWrites<'_> {
        let rounds = self.new_rounds.iter();
        ClaimWrites {
            new_rounds: rounds
                .map(|(chat, ids)| (*chat, ids.iter().map(String::as_str).collect()))
                .collect(),
            seen: self.picks.iter().map(|(c, q)| (*c, q.as_str())).collect(),
            claims: (self.posts.iter())
                .map(|p| {
                    ledger(
                        p.chat_id,
                        p.date,
                        LedgerKind::Post,
                        &p.question_id,
                        None,
                        now,
                    )
                })
                .collect(),
            skips: (self.skips.iter())
                .map(|(chat, date)| ledger(*chat, *date, LedgerKind::Post, "", None, now))
                .collect(),
            next_due: self.next_due.clone(),
        }
    }
}

impl Engine {
    /// Claims the due items of the taken plans `rows` into `work` and
    /// stores when each plan is next due: a few reads, one transaction.
    pub(super) async fn claim_plans(
        &self,
        rows: &[PlanRow],
        now: Timestamp,
        work: &mut Vec<DueWork>,
    ) -> Result<()> {
        let chats: Vec<ChatId> = rows.iter().map(|r| r.chat_id).collect();
        let reads = self.store.claim_reads(&chats).await?;
        let bank = self.bank();
        let batch = Batch {
            now,
            reads: &reads,
            bank: &bank,
        };
        let mut decisions = Decisions::default();
        for (index, row) in rows.iter().enumerate() {
            let next = due_second(
                self.decide(&batch, index, row, &row.plan, &mut decisions)
                    .await?,
            );
            let next = if next <= now.as_second() {
                now.as_second() + LOOK_AGAIN_SECS
            } else {
                next
            };
            decisions.next_due.push((row.chat_id, next));
        }
        let won = self.store.write_claim_batch(&decisions.writes(now)).await?;
        work.append(&mut decisions.reveals);
        let posting: Vec<ChatId> = (decisions.posts.iter())
            .filter(|p| won.contains(&(p.chat_id, p.date)))
            .map(|p| p.chat_id)
            .collect();
        // Each post reads its chat's language, place and pin choice; if
        // this read fails, each post reads its own.
        if let Err(e) = self.warm_hot(&posting).await {
            log::warn!("the chats of a claim batch could not be read at once: {e}");
        }
        for post in decisions.posts {
            if !won.contains(&(post.chat_id, post.date)) {
                continue; // another replica claimed it first
            }
            let Some(question) = bank.get(&post.question_id) else {
                continue; // picked from this very bank: not reached
            };
            let mut item = self.post_work(&rows[post.row], post.date, question).await?;
            item.plan = Some(post.plan);
            work.push(item);
        }
        Ok(())
    }

    /// Decides `row`'s post (claiming its reveal, if due, at once); returns
    /// when to look at the plan again.
    async fn decide(
        &self,
        batch: &Batch<'_>,
        index: usize,
        row: &PlanRow,
        plan: &DailyPlan,
        decisions: &mut Decisions,
    ) -> Result<Timestamp> {
        let (chat_id, now) = (row.chat_id, batch.now);
        let (mut last_done, posted, revealed) = progress_of(batch.reads.progress.get(&chat_id));
        log::debug!("chat {chat_id}: last {last_done:?}, posted {posted:?}, revealed {revealed}");
        let mut after = (posted, revealed);
        let reveal_due = schedule::due_reveal(plan, now, posted, revealed);
        if let Some(due) = reveal_due
            && let Some(item) = self.claim_reveal(chat_id, due, now).await?
        {
            decisions.reveals.push(item);
        }
        match schedule::due_post(plan, now, last_done, self.config.grace) {
            PostDecision::Due(date) => {
                decide_post(batch, index, row, plan, date, decisions);
                (last_done, after) = (Some(date), (None, false));
            }
            PostDecision::Skipped(date) => {
                // A plan made today has no yesterday to miss: say so only
                // when the chat had daily posts before.
                if last_done.is_some() {
                    log::info!(
                        "chat {chat_id}: the question of {date} was missed by more than the grace period; skipped"
                    );
                }
                decisions.skips.push((chat_id, date));
                (last_done, after) = (Some(date), (None, false));
            }
            // A reveal was looked at: read what it left in the ledger.
            PostDecision::NotDue if reveal_due.is_some() => {
                let (_, posted, revealed) = self.daily_progress(chat_id).await?;
                after = (posted, revealed);
            }
            PostDecision::NotDue => {}
        }
        let (posted, revealed) = after;
        let grace = self.config.grace;
        Ok(schedule::next_wake(
            plan, now, last_done, posted, revealed, grace,
        ))
    }
}

/// Picks `row`'s question of `date` from the batch's reads: a pending post,
/// or a skipped day when its pool has nothing.
fn decide_post(
    batch: &Batch<'_>,
    index: usize,
    row: &PlanRow,
    plan: &DailyPlan,
    date: Date,
    decisions: &mut Decisions,
) {
    let chat_id = row.chat_id;
    let pool = super::plan_args::pool(batch.bank, &plan.filter, chat_id);
    let none_seen = HashSet::new();
    let seen = batch.reads.seen.get(&chat_id).unwrap_or(&none_seen);
    let current = batch.reads.current.get(&chat_id).map(String::as_str);
    let Some(picked) = pick(&pool, seen, current, &mut rand::rng()) else {
        log::warn!(
            "chat {chat_id}: no question for {:?}; daily post skipped",
            plan.filter
        );
        decisions.skips.push((chat_id, date));
        return;
    };
    if picked.new_round {
        let ids = pool.iter().map(|q| q.id.clone()).collect();
        decisions.new_rounds.push((chat_id, ids));
    }
    // Taken with the claim, not when the post went out: a daily post and
    // an /ask picking at the same moment must not get the same question.
    let question_id = picked.question.id.clone();
    decisions.picks.push((chat_id, question_id.clone()));
    decisions.posts.push(PendingPost {
        row: index,
        chat_id,
        plan: plan.clone(),
        date,
        question_id,
    });
}

/// A chat's progress from its latest daily post (`None`: it has none), as
/// `Engine::daily_progress` reads it.
pub(super) fn progress_of(latest: Option<&PostProgress>) -> Progress {
    let last_done = latest.map(|p| p.latest.local_date);
    let Some(done) = latest.filter(|p| p.latest.state == LedgerState::Done) else {
        return (last_done, None, false);
    };
    let (Some(asked_at), Some(date)) = (done.asked_at, last_done) else {
        return (last_done, None, false);
    };
    let posted_at = Timestamp::from_second(asked_at).unwrap_or(Timestamp::UNIX_EPOCH);
    (last_done, Some((date, posted_at)), done.revealed)
}
