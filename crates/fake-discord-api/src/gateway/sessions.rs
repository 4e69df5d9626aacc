//! Gateway sessions: each identified session numbers its dispatches (`s`), keeps the recent
//! ones so a RESUME can replay what a dropped connection missed, and holds the sender of its
//! current connection (none while disconnected).

use std::collections::{BTreeMap, VecDeque};

use serde_json::{Value, json};
use tokio::sync::mpsc::UnboundedSender;

/// Dispatches kept per session for resuming.
const REPLAY_LOG: usize = 1000;
/// The GUILDS intent: guild create/delete events.
pub(crate) const GUILDS: u64 = 1;

/// What a connection task must do next.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Outbound {
    Text(String),
    /// Send a close frame with this code and reason, then end.
    Close(u16, String),
    /// End the connection at once, without a close frame (a network failure).
    Drop,
}

#[derive(Debug)]
pub(crate) struct Session {
    pub intents: u64,
    pub seq: u64,
    log: VecDeque<(u64, String)>,
    pub connection: Option<(u64, UnboundedSender<Outbound>)>,
}

/// Counters tests read through the handle.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct GatewayStats {
    pub connections: u32,
    pub identifies: u32,
    pub resumes: u32,
    pub heartbeats: u32,
}

#[derive(Debug, Default)]
pub(crate) struct Gateway {
    pub sessions: BTreeMap<String, Session>,
    /// Open connections, identified or not.
    pub open: BTreeMap<u64, UnboundedSender<Outbound>>,
    next_connection: u64,
    next_session: u64,
    pub stats: GatewayStats,
    /// The daily IDENTIFY budget (`session_start_limit`).
    pub budget: super::budget::Budget,
    /// Set by a test: every IDENTIFY and RESUME is closed with this code (4004, 4014, …).
    pub refuse_with: Option<u16>,
    /// Dispatches of every kind, in order, for tests: (event name, data).
    pub dispatched: Vec<(String, Value)>,
}

impl Gateway {
    pub fn open_connection(&mut self, sender: UnboundedSender<Outbound>) -> u64 {
        self.next_connection += 1;
        self.stats.connections += 1;
        self.open.insert(self.next_connection, sender);
        self.next_connection
    }

    pub fn close_connection(&mut self, connection: u64) {
        self.open.remove(&connection);
        for session in self.sessions.values_mut() {
            if session
                .connection
                .as_ref()
                .is_some_and(|(c, _)| *c == connection)
            {
                session.connection = None;
            }
        }
    }

    /// Starts a session on `connection` and returns its id.
    pub fn new_session(&mut self, intents: u64, connection: u64) -> String {
        self.next_session += 1;
        let id = format!(
            "{:032x}",
            0x5e55_1000_u64.wrapping_mul(self.next_session + 7_919)
        );
        let sender = self.open.get(&connection).cloned();
        let session = Session {
            intents,
            seq: 0,
            log: VecDeque::new(),
            connection: sender.map(|s| (connection, s)),
        };
        self.sessions.insert(id.clone(), session);
        id
    }

    /// Sends a dispatch to one session.
    pub fn dispatch_to(&mut self, session_id: &str, event: &str, data: &Value) {
        let Some(session) = self.sessions.get_mut(session_id) else {
            return;
        };
        session.seq += 1;
        let frame = json!({ "op": 0, "s": session.seq, "t": event, "d": data }).to_string();
        if session.log.len() == REPLAY_LOG {
            session.log.pop_front();
        }
        session.log.push_back((session.seq, frame.clone()));
        if let Some((_, sender)) = &session.connection {
            let _ = sender.send(Outbound::Text(frame));
        }
    }

    /// Sends a dispatch to every session (guild events only to those with the GUILDS intent).
    pub fn dispatch(&mut self, event: &str, data: Value) {
        let guild_event = event.starts_with("GUILD_");
        let ids: Vec<String> = self
            .sessions
            .iter()
            .filter(|(_, s)| !guild_event || s.intents & GUILDS != 0)
            .map(|(id, _)| id.clone())
            .collect();
        for id in ids {
            self.dispatch_to(&id, event, &data);
        }
        self.dispatched.push((event.to_string(), data));
    }

    /// Moves a session to `connection` and replays what came after `seq`; `None` if the
    /// session is unknown or `seq` is ahead of it (`Some(Err(()))`).
    pub fn resume(
        &mut self,
        session_id: &str,
        seq: u64,
        connection: u64,
    ) -> Option<Result<(), ()>> {
        let sender = self.open.get(&connection).cloned()?;
        let session = self.sessions.get_mut(session_id)?;
        if seq > session.seq {
            return Some(Err(()));
        }
        for (_, frame) in session.log.iter().filter(|(s, _)| *s > seq) {
            let _ = sender.send(Outbound::Text(frame.clone()));
        }
        session.connection = Some((connection, sender));
        self.stats.resumes += 1;
        self.dispatch_to(session_id, "RESUMED", &Value::Null);
        Some(Ok(()))
    }

    /// Sends `outbound` to every open connection.
    pub fn broadcast(&mut self, outbound: &Outbound) {
        for sender in self.open.values() {
            let _ = sender.send(outbound.clone());
        }
    }
}
