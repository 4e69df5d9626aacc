//! The queue `getUpdates` serves, with Telegram's semantics: ids increase, an `offset`
//! confirms (forgets) every update below it, a negative offset keeps only the last |offset|,
//! and `allowed_updates` persists between calls until a call sets it again. Updates of kinds
//! the bot did not ask for are dropped when a poll reaches them, as Telegram never sends them.

use std::collections::{HashSet, VecDeque};

use serde_json::{Value, json};

/// Kinds Telegram leaves out unless asked for explicitly.
const OPT_IN_KINDS: &[&str] = &["chat_member", "message_reaction", "message_reaction_count"];

#[derive(Debug)]
struct Queued {
    id: i64,
    kind: String,
    update: Value,
}

#[derive(Debug)]
pub(crate) struct UpdateQueue {
    next_id: i64,
    queue: VecDeque<Queued>,
    /// The last non-empty `allowed_updates` a poll sent.
    allowed: Option<Vec<String>>,
    /// Updates dropped because their kind was not allowed.
    filtered: usize,
}

impl Default for UpdateQueue {
    fn default() -> Self {
        UpdateQueue {
            next_id: 1,
            queue: VecDeque::new(),
            allowed: None,
            filtered: 0,
        }
    }
}

impl UpdateQueue {
    /// Queues `{"update_id": N, kind: payload}` and returns N.
    pub fn push(&mut self, kind: &str, payload: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        let update = json!({ "update_id": id, kind: payload });
        self.queue.push_back(Queued {
            id,
            kind: kind.to_string(),
            update,
        });
        id
    }

    /// Queues an update as given, assigning `update_id` when it has none (or a non-integer).
    pub fn push_raw(&mut self, mut update: Value) -> i64 {
        if !update.is_object() {
            update = json!({ "unknown": update });
        }
        let id = match update.get("update_id").and_then(Value::as_i64) {
            Some(id) => id,
            None => {
                update["update_id"] = json!(self.next_id);
                self.next_id
            }
        };
        self.next_id = self.next_id.max(id + 1);
        let kind = update
            .as_object()
            .and_then(|fields| fields.keys().find(|key| *key != "update_id").cloned())
            .unwrap_or_default();
        self.queue.push_back(Queued { id, kind, update });
        id
    }

    /// Applies a poll's `offset`.
    pub fn confirm(&mut self, offset: i64) {
        if offset > 0 {
            self.queue.retain(|queued| queued.id >= offset);
        } else if offset < 0 {
            let keep = usize::try_from(offset.unsigned_abs()).unwrap_or(usize::MAX);
            while self.queue.len() > keep {
                self.queue.pop_front();
            }
        }
    }

    /// Remembers a poll's `allowed_updates` (an empty list means "the default kinds").
    pub fn set_allowed(&mut self, kinds: Vec<String>) {
        self.allowed = (!kinds.is_empty()).then_some(kinds);
    }

    /// Up to `limit` deliverable updates, oldest first; kinds not allowed are dropped.
    pub fn take(&mut self, limit: usize) -> Vec<Value> {
        let allowed = self.allowed.clone();
        let is_allowed = |kind: &str| match &allowed {
            Some(kinds) => kinds.iter().any(|k| k == kind),
            None => !OPT_IN_KINDS.contains(&kind),
        };
        let before = self.queue.len();
        self.queue.retain(|queued| is_allowed(&queued.kind));
        self.filtered += before - self.queue.len();
        self.queue
            .iter()
            .take(limit)
            .map(|queued| queued.update.clone())
            .collect()
    }

    /// For webhook delivery: the oldest deliverable update of each order key (chat) that is
    /// not `busy`, at most `room` of them, as (id, key, update).
    pub fn deliverable(
        &mut self,
        busy: &HashSet<String>,
        room: usize,
    ) -> Vec<(i64, String, Value)> {
        let updates = self.take(usize::MAX);
        let mut seen = HashSet::new();
        let mut due = Vec::new();
        for update in updates {
            let key = crate::webhook::order_key(&update);
            if due.len() < room && !busy.contains(&key) && !seen.contains(&key) {
                let id = update["update_id"].as_i64().unwrap_or_default();
                due.push((id, key.clone(), update));
            }
            seen.insert(key);
        }
        due
    }

    /// Forgets one update (a webhook delivery that succeeded).
    pub fn remove(&mut self, id: i64) {
        self.queue.retain(|queued| queued.id != id);
    }

    /// Updates not yet confirmed by an offset.
    pub fn pending(&self) -> usize {
        self.queue.len()
    }

    pub fn filtered(&self) -> usize {
        self.filtered
    }

    pub fn clear(&mut self) {
        self.queue.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(updates: &[Value]) -> Vec<i64> {
        updates
            .iter()
            .map(|u| u["update_id"].as_i64().unwrap())
            .collect()
    }

    #[test]
    fn offset_confirms_updates_below_it() {
        let mut queue = UpdateQueue::default();
        for _ in 0..3 {
            queue.push("message", json!({}));
        }
        assert_eq!(ids(&queue.take(100)), [1, 2, 3]);
        queue.confirm(3);
        assert_eq!(ids(&queue.take(100)), [3]);
        queue.confirm(4);
        assert_eq!(queue.pending(), 0);
    }

    #[test]
    fn negative_offset_keeps_the_last_updates_and_limit_caps() {
        let mut queue = UpdateQueue::default();
        for _ in 0..5 {
            queue.push("message", json!({}));
        }
        assert_eq!(ids(&queue.take(2)), [1, 2]);
        queue.confirm(-2);
        assert_eq!(ids(&queue.take(100)), [4, 5]);
    }

    #[test]
    fn allowed_updates_persist_and_drop_other_kinds() {
        let mut queue = UpdateQueue::default();
        queue.push("message", json!({}));
        queue.push("callback_query", json!({}));
        queue.push("chat_member", json!({}));
        assert_eq!(ids(&queue.take(100)), [1, 2]);
        queue.set_allowed(vec!["message".into()]);
        assert_eq!(ids(&queue.take(100)), [1]);
        assert_eq!(queue.filtered(), 2);
    }

    #[test]
    fn webhook_delivery_takes_one_update_per_free_chat() {
        let mut queue = UpdateQueue::default();
        for chat in [1, 1, 2, 3] {
            queue.push("message", json!({ "chat": { "id": chat } }));
        }
        let busy = HashSet::from(["chat 2".to_string()]);
        let due: Vec<i64> = queue.deliverable(&busy, 5).iter().map(|d| d.0).collect();
        assert_eq!(due, [1, 4], "chat 1's second waits; chat 2 is busy");
        assert_eq!(queue.deliverable(&busy, 1).len(), 1);
        queue.remove(1);
        assert_eq!(queue.deliverable(&HashSet::new(), 5).len(), 3);
    }

    #[test]
    fn raw_updates_keep_or_get_ids() {
        let mut queue = UpdateQueue::default();
        assert_eq!(
            queue.push_raw(json!({ "update_id": 10, "message": {} })),
            10
        );
        assert_eq!(queue.push_raw(json!({ "message": {} })), 11);
        assert_eq!(queue.push("message", json!({})), 12);
    }
}
