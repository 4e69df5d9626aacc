//! Failures a test scripts so the bot's error paths run: one-shot faults for the next calls of
//! a method (and chat), persistent per-chat states (kicked/blocked, migrated to a supergroup),
//! and a seeded random fault rate. The random generator is a hand-written xorshift so a seed
//! always yields the same sequence of faults.

use std::collections::HashMap;

use crate::records::Outcome;
use crate::reply::{Answer, Failure};

/// A scripted failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// 429 "Too Many Requests: retry after N" with `parameters.retry_after` = N.
    RetryAfter(u32),
    /// 403 with this description, e.g. "Forbidden: bot was blocked by the user".
    Forbidden(String),
    /// 400 "Bad Request: group chat was upgraded to a supergroup chat" with
    /// `parameters.migrate_to_chat_id`.
    Migrate(i64),
    /// 500 "Internal Server Error" (teloxide sleeps 10 s before reading it).
    ServerError,
    /// Close the connection without answering.
    Drop,
}

impl Fault {
    pub(crate) fn answer(&self) -> Answer {
        match self {
            Fault::RetryAfter(seconds) => {
                Answer::Err(Failure::retry_after(*seconds, Outcome::Fault))
            }
            Fault::Forbidden(description) => Answer::Err(Failure::forbidden(description)),
            Fault::Migrate(to) => Answer::Err(Failure::migrated(*to)),
            Fault::ServerError => Answer::Err(Failure::server_error()),
            Fault::Drop => Answer::Drop,
        }
    }
}

/// A fault for the next `remaining` matching calls.
#[derive(Debug)]
struct Scripted {
    /// Lowercase method name; `None` matches every method.
    method: Option<String>,
    /// `None` matches any chat (and calls without a chat).
    chat_id: Option<i64>,
    fault: Fault,
    remaining: usize,
}

/// Every fault currently scripted.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    scripted: Vec<Scripted>,
    forbidden: HashMap<i64, String>,
    migrated: HashMap<i64, i64>,
    random: Option<RandomFaults>,
}

impl Faults {
    /// Scripts `fault` for the next `times` calls of `method` ("*" = any) in `chat_id`.
    pub fn push(&mut self, method: &str, chat_id: Option<i64>, fault: Fault, times: usize) {
        let method = (method != "*").then(|| method.to_ascii_lowercase());
        if times > 0 {
            self.scripted.push(Scripted {
                method,
                chat_id,
                fault,
                remaining: times,
            });
        }
    }

    pub fn set_forbidden(&mut self, chat_id: i64, description: &str) {
        self.forbidden.insert(chat_id, description.to_string());
    }

    pub fn set_migrated(&mut self, from: i64, to: i64) {
        self.migrated.insert(from, to);
    }

    /// Forgets the persistent Forbidden / migration state of a chat.
    pub fn clear_chat(&mut self, chat_id: i64) {
        self.forbidden.remove(&chat_id);
        self.migrated.remove(&chat_id);
    }

    /// Forgets everything scripted.
    pub fn clear_all(&mut self) {
        *self = Faults::default();
    }

    pub fn set_random(&mut self, seed: u64, per_mille: u32) {
        self.random = (per_mille > 0).then(|| RandomFaults::new(seed, per_mille));
    }

    /// The fault this call meets, if any: one-shot scripts first, then the chat's persistent
    /// state, then the random rate (never applied to `getupdates`).
    pub fn take(&mut self, method: &str, chat_id: Option<i64>) -> Option<Fault> {
        self.take_scripted(method, chat_id)
            .or_else(|| chat_id.and_then(|chat| self.persistent(chat)))
            .or_else(|| self.random_fault(method))
    }

    fn take_scripted(&mut self, method: &str, chat_id: Option<i64>) -> Option<Fault> {
        let index = self.scripted.iter().position(|s| {
            s.method.as_deref().is_none_or(|m| m == method)
                && s.chat_id.is_none_or(|c| Some(c) == chat_id)
        })?;
        let script = &mut self.scripted[index];
        script.remaining -= 1;
        let fault = script.fault.clone();
        if script.remaining == 0 {
            self.scripted.remove(index);
        }
        Some(fault)
    }

    fn persistent(&self, chat_id: i64) -> Option<Fault> {
        if let Some(description) = self.forbidden.get(&chat_id) {
            return Some(Fault::Forbidden(description.clone()));
        }
        self.migrated.get(&chat_id).map(|&to| Fault::Migrate(to))
    }

    fn random_fault(&mut self, method: &str) -> Option<Fault> {
        if method == "getupdates" {
            return None;
        }
        self.random.as_mut().and_then(RandomFaults::next)
    }
}

/// A fault rate in ‰ driven by xorshift64*; half the faults are 500s, half dropped connections.
#[derive(Debug)]
struct RandomFaults {
    state: u64,
    per_mille: u32,
}

impl RandomFaults {
    fn new(seed: u64, per_mille: u32) -> RandomFaults {
        // xorshift must not start at 0; mix the seed so nearby seeds diverge quickly.
        let state = (seed ^ 0x9E37_79B9_7F4A_7C15).max(1);
        RandomFaults {
            state,
            per_mille: per_mille.min(1000),
        }
    }

    fn next_u64(&mut self) -> u64 {
        let mut x = self.state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.state = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn next(&mut self) -> Option<Fault> {
        let roll = self.next_u64();
        if (roll % 1000) as u32 >= self.per_mille {
            return None;
        }
        Some(if (roll >> 32) & 1 == 0 {
            Fault::ServerError
        } else {
            Fault::Drop
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripted_fault_applies_to_matching_calls_only_and_runs_out() {
        let mut faults = Faults::default();
        faults.push("SendMessage", Some(5), Fault::RetryAfter(3), 2);
        assert_eq!(faults.take("sendmessage", Some(6)), None);
        assert_eq!(faults.take("getme", None), None);
        assert_eq!(
            faults.take("sendmessage", Some(5)),
            Some(Fault::RetryAfter(3))
        );
        assert_eq!(
            faults.take("sendmessage", Some(5)),
            Some(Fault::RetryAfter(3))
        );
        assert_eq!(faults.take("sendmessage", Some(5)), None);
    }

    #[test]
    fn persistent_states_last_until_cleared() {
        let mut faults = Faults::default();
        faults.set_migrated(-1, -100);
        for _ in 0..3 {
            assert_eq!(
                faults.take("sendmessage", Some(-1)),
                Some(Fault::Migrate(-100))
            );
        }
        faults.clear_chat(-1);
        assert_eq!(faults.take("sendmessage", Some(-1)), None);
    }

    #[test]
    fn random_faults_are_deterministic_and_near_the_rate() {
        let run = |seed| {
            let mut faults = Faults::default();
            faults.set_random(seed, 50);
            (0..10_000)
                .map(|_| faults.take("sendmessage", Some(1)))
                .collect::<Vec<_>>()
        };
        let first = run(42);
        assert_eq!(first, run(42));
        assert_ne!(first, run(43));
        let hits = first.iter().filter(|f| f.is_some()).count();
        assert!(
            (400..600).contains(&hits),
            "{hits} faults in 10000 calls at 5%"
        );
        assert!(first.contains(&Some(Fault::Drop)) && first.contains(&Some(Fault::ServerError)));
    }

    #[test]
    fn random_faults_spare_get_updates() {
        let mut faults = Faults::default();
        faults.set_random(1, 1000);
        assert_eq!(faults.take("getupdates", None), None);
        assert!(faults.take("getme", None).is_some());
    }
}
