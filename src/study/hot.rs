//! The hot-read cache (issue 19): what nearly every turn and every daily
//! post asks about a chat (its kind, title, language, whether it is still
//! active, whether it pins) kept in memory, so the store is asked once
//! rather than at every use. The engine's read-through and its writers are
//! in `hot_reads`; this is the memory and its rules.
//!
//! - A miss hands out a ticket; the value read from the store is kept only
//!   if no write or clear came in meanwhile (the ticket's generation), so a
//!   slow read never puts back what a write just replaced.
//! - Bounded: each map holds at most [`CAPACITY`] chats in two halves, a
//!   young one and an old one. When the young half is full the old half is
//!   dropped and the young one becomes old; a hit in the old half moves the
//!   entry back to the young one. Chats in use stay; the others are read
//!   again when next needed.
//! - Coherence across replicas: the store's settings epoch and the
//!   replica's count of membership and leadership changes are noted here;
//!   when either moved, everything is dropped.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::Lang;
use crate::domain::{ChatId, ChatKind};
use crate::store::ChatRow;

/// The most chats each map remembers (a bot may see 100,000 chats; an
/// entry is well under 200 bytes).
pub(super) const CAPACITY: usize = 40_000;

/// How long a replica trusts the epoch it read last before reading it
/// again on its next cached read (the turn path between claim batches).
pub(super) const CHECK_EVERY: Duration = Duration::from_secs(2);

/// What the hot paths need of a chat's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ChatFacts {
    pub kind: ChatKind,
    pub title: Option<String>,
    /// The language the chat chose, if any.
    pub language: Option<Lang>,
    pub active: bool,
}

impl ChatFacts {
    /// The facts of a stored row: the one place its language is parsed.
    pub fn of(row: &ChatRow) -> ChatFacts {
        ChatFacts {
            kind: row.kind,
            title: row.title.clone(),
            language: row.language.as_deref().and_then(Lang::parse),
            active: row.active,
        }
    }
}

/// A lookup's outcome: the value, or a ticket to fill it with.
pub(super) enum Cached<T> {
    Hit(T),
    Miss(Ticket),
}

/// The generation a miss saw; a fill with an older one is dropped.
#[derive(Debug, Clone, Copy)]
pub(super) struct Ticket(u64);

/// The cache: one lock, held only for map operations (never across a read
/// of the store).
#[derive(Default)]
pub(super) struct HotCache {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// `None`: the chat has no row.
    chats: Halves<Option<ChatFacts>>,
    /// Whether the chat pins its daily question.
    pins: Halves<bool>,
    /// Raised by every write and clear.
    generation: u64,
    /// The settings epoch last read, the replica's changes then, and when.
    epoch: Option<i64>,
    changes: u64,
    checked_at: Option<Instant>,
}

impl HotCache {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn chat(&self, id: ChatId) -> Cached<Option<ChatFacts>> {
        let mut state = self.state();
        match state.chats.get(id) {
            Some(facts) => Cached::Hit(facts),
            None => Cached::Miss(Ticket(state.generation)),
        }
    }

    pub fn fill_chat(&self, id: ChatId, facts: Option<ChatFacts>, ticket: Ticket) {
        let mut state = self.state();
        if state.generation == ticket.0 {
            state.chats.insert(id, facts);
        }
    }

    pub fn pin(&self, id: ChatId) -> Cached<bool> {
        let mut state = self.state();
        match state.pins.get(id) {
            Some(on) => Cached::Hit(on),
            None => Cached::Miss(Ticket(state.generation)),
        }
    }

    pub fn fill_pin(&self, id: ChatId, on: bool, ticket: Ticket) {
        let mut state = self.state();
        if state.generation == ticket.0 {
            state.pins.insert(id, on);
        }
    }

    /// A write put `facts` in the store.
    pub fn set_chat(&self, id: ChatId, facts: ChatFacts) {
        let mut state = self.state();
        state.generation += 1;
        state.chats.insert(id, Some(facts));
    }

    /// A write changed the chat's row, if it has one, as `change` does.
    pub fn change_chat(&self, id: ChatId, change: impl FnOnce(&mut ChatFacts)) {
        let mut state = self.state();
        state.generation += 1;
        if let Some(Some(facts)) = state.chats.get_mut(id) {
            change(facts);
        }
    }

    pub fn set_pin(&self, id: ChatId, on: bool) {
        let mut state = self.state();
        state.generation += 1;
        state.pins.insert(id, on);
    }

    /// Drops all that is known of `id` (a write whose outcome is unknown,
    /// or a chat that moved).
    pub fn forget(&self, id: ChatId) {
        let mut state = self.state();
        state.generation += 1;
        state.chats.remove(id);
        state.pins.remove(id);
    }

    /// Whether a replica should read the settings epoch before trusting the
    /// cache: its membership or leadership changed, or the last reading is
    /// older than [`CHECK_EVERY`].
    pub fn needs_check(&self, changes: u64, now: Instant) -> bool {
        let state = self.state();
        state.changes != changes
            || state
                .checked_at
                .is_none_or(|at| now.duration_since(at) >= CHECK_EVERY)
    }

    /// The settings epoch read at `now`, with the replica's `changes` then:
    /// when either moved (or on the first reading), everything is dropped.
    /// Returns whether it was.
    pub fn observed(&self, epoch: i64, changes: u64, now: Instant) -> bool {
        let mut state = self.state();
        let moved = state.epoch != Some(epoch) || state.changes != changes;
        if moved {
            state.drop_all();
        }
        state.epoch = Some(epoch);
        state.changes = changes;
        state.checked_at = Some(now);
        moved
    }

    /// Drops everything (the epoch could not be read).
    pub fn clear(&self) {
        let mut state = self.state();
        state.drop_all();
        state.epoch = None;
    }

    #[cfg(test)]
    fn chat_count(&self) -> usize {
        self.state().chats.len()
    }
}

impl State {
    fn drop_all(&mut self) {
        self.generation += 1;
        self.chats = Halves::default();
        self.pins = Halves::default();
    }
}

/// A map of at most [`CAPACITY`] entries, in two halves (see the module
/// head).
struct Halves<V> {
    young: HashMap<ChatId, V>,
    old: HashMap<ChatId, V>,
    half: usize,
}

impl<V> Default for Halves<V> {
    fn default() -> Self {
        Halves::with_half(CAPACITY / 2)
    }
}

impl<V> Halves<V> {
    fn with_half(half: usize) -> Halves<V> {
        Halves {
            young: HashMap::new(),
            old: HashMap::new(),
            half: half.max(1),
        }
    }
}

impl<V: Clone> Halves<V> {
    fn get(&mut self, id: ChatId) -> Option<V> {
        if let Some(value) = self.young.get(&id) {
            return Some(value.clone());
        }
        let value = self.old.remove(&id)?;
        self.insert(id, value.clone());
        Some(value)
    }

    fn get_mut(&mut self, id: ChatId) -> Option<&mut V> {
        match self.young.get_mut(&id) {
            Some(value) => Some(value),
            None => self.old.get_mut(&id),
        }
    }

    fn insert(&mut self, id: ChatId, value: V) {
        self.old.remove(&id);
        if !self.young.contains_key(&id) && self.young.len() >= self.half {
            self.old = std::mem::take(&mut self.young);
        }
        self.young.insert(id, value);
    }

    fn remove(&mut self, id: ChatId) {
        self.young.remove(&id);
        self.old.remove(&id);
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.young.len() + self.old.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: ChatId = ChatId::telegram(-1);

    fn facts(language: Option<Lang>) -> ChatFacts {
        ChatFacts {
            kind: ChatKind::Group,
            title: None,
            language,
            active: true,
        }
    }

    #[test]
    fn a_fill_after_a_write_is_dropped() {
        let cache = HotCache::default();
        let Cached::Miss(ticket) = cache.chat(A) else {
            panic!("an empty cache hits")
        };
        cache.set_chat(A, facts(Some(Lang::En)));
        cache.fill_chat(A, Some(facts(Some(Lang::Zh))), ticket);
        assert!(matches!(cache.chat(A), Cached::Hit(Some(f)) if f.language == Some(Lang::En)));
    }

    #[test]
    fn a_change_reaches_a_cached_row_and_leaves_a_missing_one_missing() {
        let cache = HotCache::default();
        let Cached::Miss(ticket) = cache.chat(A) else {
            panic!("an empty cache hits")
        };
        cache.fill_chat(A, None, ticket);
        cache.change_chat(A, |f| f.active = false);
        assert!(matches!(cache.chat(A), Cached::Hit(None)));
        cache.set_chat(A, facts(None));
        cache.change_chat(A, |f| f.language = Some(Lang::En));
        assert!(matches!(cache.chat(A), Cached::Hit(Some(f)) if f.language == Some(Lang::En)));
    }

    #[test]
    fn the_halves_keep_at_most_twice_a_half_and_keep_what_is_used() {
        let mut map: Halves<i64> = Halves::with_half(3);
        for n in 0..10 {
            map.insert(ChatId::telegram(n), n);
            // Chat 0 is read after every insert: it is never dropped.
            assert_eq!(map.get(ChatId::telegram(0)), Some(0));
            assert!(map.len() <= 6, "{} entries", map.len());
        }
        assert_eq!(map.get(ChatId::telegram(1)), None);
        assert_eq!(map.get(ChatId::telegram(9)), Some(9));
    }

    #[test]
    fn the_cache_never_holds_more_than_its_capacity() {
        let cache = HotCache::default();
        for n in 0..(CAPACITY as i64 + 5_000) {
            cache.set_chat(ChatId::telegram(n), facts(None));
        }
        assert!(cache.chat_count() <= CAPACITY);
    }

    #[test]
    fn a_moved_epoch_or_a_replica_change_drops_everything() {
        let cache = HotCache::default();
        let start = Instant::now();
        assert!(cache.needs_check(0, start));
        assert!(cache.observed(7, 0, start), "the first reading drops");
        cache.set_chat(A, facts(None));
        assert!(!cache.needs_check(0, start));
        assert!(!cache.observed(7, 0, start));
        assert!(matches!(cache.chat(A), Cached::Hit(_)));
        assert!(cache.needs_check(1, start), "a leadership change");
        assert!(cache.needs_check(0, start + CHECK_EVERY));
        assert!(cache.observed(8, 0, start));
        assert!(matches!(cache.chat(A), Cached::Miss(_)));
        cache.set_chat(A, facts(None));
        assert!(cache.observed(8, 1, start));
        assert!(matches!(cache.chat(A), Cached::Miss(_)));
    }
}
