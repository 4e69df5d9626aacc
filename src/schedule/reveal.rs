//! When a posted question's answer is revealed on its own.
//!
//! A reveal belongs to a question that was actually posted, so everything
//! here starts from the local date of that post and the instant it went out.
//! The rules a group can rely on:
//! - `At(t)`: at local `t` on the post's date when `t` is later than the
//!   plan's post time, otherwise at `t` on the next date (`/daily 09:00` with
//!   `/reveal 08:00` answers yesterday's question an hour before today's; with
//!   `/reveal 09:00` it answers it together with the next question).
//! - `At(t)` after a late post: people get at least half the planned thinking
//!   time, so a question posted at 10:30 instead of 09:00 with a 10:00 reveal
//!   is answered at 11:00, not at once.
//! - `After(d)`: `d` of absolute time after the actual post (late posts shift
//!   it; across a DST change the wall clock moves by `d` ± the shift).
//! - Never before the question itself, and never after the next date's
//!   planned post: the answer comes before (or with) the next question when
//!   the caller handles reveals first.
//! - A reveal whose instant passed while the bot was down is still due when
//!   it comes back, as long as it is for the latest posted question; once a
//!   newer question is posted the older reveal is stale and never asked for.
//!   A reveal on request (`/answer`) counts as done.

use jiff::civil::{Date, Time};
use jiff::{SignedDuration, Timestamp};

use super::timing::{next_day, post_instant, resolve};
use super::{DailyPlan, RevealRule};

/// Whether an `At` reveal falls on the day after the post (its time is not
/// after the post time). False for `Off` and `After`.
pub fn reveal_on_next_day(plan: &DailyPlan) -> bool {
    matches!(plan.reveal, RevealRule::At(t) if t <= plan.time)
}

/// The instant the reveal of local date `date`'s question is due, given when
/// it was actually posted. `None` when reveals are off. See the module
/// documentation for the rules.
pub fn reveal_instant(plan: &DailyPlan, date: Date, posted_at: Timestamp) -> Option<Timestamp> {
    let planned = match plan.reveal {
        RevealRule::Off => return None,
        RevealRule::At(t) => at_reveal(plan, date, t, posted_at),
        RevealRule::After(delay) => later_by(posted_at, delay),
    };
    let next_post = post_instant(plan, next_day(date));
    Some(planned.min(next_post).max(posted_at))
}

/// The `At(t)` instant: the clock time, pushed later only to keep half the
/// planned thinking time after a late post.
fn at_reveal(plan: &DailyPlan, date: Date, t: Time, posted_at: Timestamp) -> Timestamp {
    let day = if t > plan.time { date } else { next_day(date) };
    let at = resolve(&plan.zone, day, t);
    let planned_thinking = at.duration_since(post_instant(plan, date));
    at.max(later_by(posted_at, planned_thinking / 2))
}

fn later_by(instant: Timestamp, delay: SignedDuration) -> Timestamp {
    instant.saturating_add(delay).unwrap_or(Timestamp::MAX)
}

/// When the reveal of the latest posted question is due: `None` when
/// nothing was posted, it was already revealed (on schedule or on request),
/// or reveals are off. The instant may be in the past (the bot was down):
/// it is then due at once.
pub fn pending_reveal(
    plan: &DailyPlan,
    posted: Option<(Date, Timestamp)>,
    revealed: bool,
) -> Option<Timestamp> {
    if revealed {
        return None;
    }
    let (date, posted_at) = posted?;
    reveal_instant(plan, date, posted_at)
}

/// The local date whose reveal must be sent now, if any.
pub fn due_reveal(
    plan: &DailyPlan,
    now: Timestamp,
    posted: Option<(Date, Timestamp)>,
    revealed: bool,
) -> Option<Date> {
    let due_at = pending_reveal(plan, posted, revealed)?;
    let (date, _) = posted?;
    (due_at <= now).then_some(date)
}

#[cfg(test)]
#[path = "reveal_tests.rs"]
mod tests;
