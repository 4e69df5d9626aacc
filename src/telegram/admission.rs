//! Which lane an update waits in, and whether it may wait at all.
//!
//! A group may receive 20 messages a minute, so a reply in a flooded group
//! waits ~3 s for its slot: a backlog there only grows. Commands (which
//! need a reply) are therefore admitted only while the chat has fewer than
//! [`Policy::chat_commands`] updates waiting and their sender fewer than
//! [`Policy::person_commands`] commands waiting anywhere; the rest are
//! skipped and counted, and the chat is told so at most once a minute
//! (`Notes`). Other updates wait up to [`Policy::lane_depth`] per lane.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use teloxide::types::{MaybeAnonymousUser, Message, Update, UpdateKind};

/// How much may wait, per chat and per person. A chat's 20 is a minute
/// of a group's sends (a busy group where 15 people ask at once is
/// answered in full, within ~20 s); a person's 3 keeps one person's flood,
/// in private or across groups, from filling even that.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// A command is skipped when its chat has this many updates waiting
    /// (the one being handled included).
    pub chat_commands: usize,
    /// A command is skipped when its sender has this many commands waiting
    /// in any chat.
    pub person_commands: usize,
    /// Any lane's queue: past it, updates are skipped.
    pub lane_depth: usize,
    /// At most one "slow down" note a chat in this span.
    pub note_every: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            chat_commands: 20,
            person_commands: 3,
            lane_depth: 32,
            note_every: Duration::from_secs(60),
        }
    }
}

/// Updates of one lane are handled in order, one at a time; lanes run side
/// by side. Button presses get a lane per person, so a press never waits
/// behind its chat's commands; poll answers (which name no chat) one per
/// voter, so a vote taken back and cast again is not swapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lane {
    Chat(i64),
    Presser(u64),
    Voter(i64),
    Other,
}

pub fn lane_of(update: &Update) -> Lane {
    match &update.kind {
        UpdateKind::CallbackQuery(query) => Lane::Presser(query.from.id.0),
        UpdateKind::PollAnswer(answer) => match &answer.voter {
            MaybeAnonymousUser::User(user) => Lane::Voter(user.id.0 as i64),
            MaybeAnonymousUser::Chat(chat) => Lane::Voter(chat.id.0),
        },
        _ => update
            .chat()
            .map_or(Lane::Other, |chat| Lane::Chat(chat.id.0)),
    }
}

/// The message, if the update is a command (which needs a reply).
pub fn command_of(update: &Update) -> Option<&Message> {
    let message = match &update.kind {
        UpdateKind::Message(m) | UpdateKind::ChannelPost(m) => m,
        _ => return None,
    };
    message
        .text()
        .is_some_and(|t| t.starts_with('/'))
        .then_some(message)
}

/// Commands waiting per person.
#[derive(Default)]
pub struct People(Mutex<HashMap<u64, usize>>);

/// One command counted for its sender until dropped.
pub struct Ticket(Arc<People>, u64);

impl People {
    /// Counts a command of `person`, unless `budget` are waiting already.
    pub fn take(self: &Arc<Self>, person: u64, budget: usize) -> Option<Ticket> {
        let mut counts = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let count = counts.entry(person).or_insert(0);
        if *count >= budget {
            return None;
        }
        *count += 1;
        Some(Ticket(self.clone(), person))
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut counts = (self.0).0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = counts.get_mut(&self.1) {
            *count -= 1;
            if *count == 0 {
                counts.remove(&self.1);
            }
        }
    }
}

/// Skipped commands per chat, and when each chat was last told.
pub struct Notes {
    every: Duration,
    chats: Mutex<HashMap<i64, Skips>>,
}

#[derive(Default)]
struct Skips {
    count: usize,
    told: Option<Instant>,
    /// A note is on its way (it reads the count when it goes).
    coming: bool,
}

impl Notes {
    pub fn new(every: Duration) -> Notes {
        Notes {
            every,
            chats: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a skipped command in `chat`; true when a note should be sent
    /// now (none is coming and none went out in the last span).
    pub fn skipped(&self, chat: i64, now: Instant) -> bool {
        let mut chats = self.chats.lock().unwrap_or_else(|e| e.into_inner());
        if chats.len() >= 1_024 {
            let every = self.every;
            chats.retain(|_, s| s.coming || s.told.is_some_and(|t| now - t < every));
        }
        let skips = chats.entry(chat).or_default();
        skips.count += 1;
        let due = !skips.coming && skips.told.is_none_or(|t| now - t >= self.every);
        skips.coming |= due;
        due
    }

    /// The note for `chat` goes now: how many were skipped since the last.
    pub fn telling(&self, chat: i64, now: Instant) -> usize {
        let mut chats = self.chats.lock().unwrap_or_else(|e| e.into_inner());
        let skips = chats.entry(chat).or_default();
        skips.coming = false;
        skips.told = Some(now);
        std::mem::take(&mut skips.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_holds_at_most_the_budget_and_gets_it_back() {
        let people = Arc::new(People::default());
        let a = people.take(7, 2).expect("first");
        let _b = people.take(7, 2).expect("second");
        assert!(people.take(7, 2).is_none());
        assert!(people.take(8, 2).is_some(), "others are not affected");
        drop(a);
        assert!(people.take(7, 2).is_some());
    }

    #[test]
    fn one_note_a_minute_counts_every_skip() {
        let notes = Notes::new(Duration::from_secs(60));
        let t0 = Instant::now();
        assert!(notes.skipped(-1, t0));
        assert!(!notes.skipped(-1, t0), "a note is coming already");
        assert!(notes.skipped(-2, t0), "chats are told apart");
        assert_eq!(notes.telling(-1, t0), 2);
        assert!(!notes.skipped(-1, t0 + Duration::from_secs(30)));
        assert!(!notes.skipped(-1, t0 + Duration::from_secs(59)));
        assert!(notes.skipped(-1, t0 + Duration::from_secs(60)));
        assert_eq!(notes.telling(-1, t0 + Duration::from_secs(61)), 3);
    }
}
