//! A cap on what one person makes the bot send to the operators: reports
//! are relayed to the operators' private chats at most [`PER_DAY`] a person
//! a UTC day. Past it a report is still stored (see `studybot reports`),
//! and the person is told so; without the cap one person could fill the
//! operators' chats (and the bot's 30 messages a second) at will.

use crate::runtime::daily_cap::DailyCap;

/// Reports relayed per person per UTC day.
pub const PER_DAY: u32 = 5;

/// Relays counted today, per person.
pub struct RelayCap(DailyCap);

impl Default for RelayCap {
    fn default() -> Self {
        RelayCap(DailyCap::new(PER_DAY))
    }
}

impl RelayCap {
    /// Counts one relay for `person` at unix second `now`; false when the
    /// person has had [`PER_DAY`] today already.
    pub fn allow(&self, person: i64, now: i64) -> bool {
        self.0.allow(person, now)
    }
}
