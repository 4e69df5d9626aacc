//! Replicas: several `studybot run` processes on one PostgreSQL database,
//! coordinated without a table, by PostgreSQL advisory locks.
//!
//! Each replica keeps one dedicated session (not a pool connection: session
//! locks belong to a session) and holds a lock on its own random id for its
//! whole life: the live replicas are the holders of those locks, read from
//! `pg_locks`. A replica that dies loses its connection, PostgreSQL ends its
//! session and its locks vanish, so liveness needs no heartbeat rows. Work
//! only one replica may do (long-polling Telegram, the Discord gateway) goes
//! to the holder of a "seat" lock ([`Seat`]); the others try again every
//! [`CAMPAIGN_EVERY`]. Every lock of one database and schema lives under one
//! namespace (the advisory lock's first int4, [`namespace_key`]).

mod leader;
mod session;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use leader::{HANDOVER, Leadership};
use session::Session;

/// How often a follower tries to take a free seat, and how often the
/// session is checked (and the live count refreshed). A dead leader's seat
/// is taken within about this long after PostgreSQL ends its session.
pub const CAMPAIGN_EVERY: Duration = Duration::from_secs(2);

/// Work that only one replica may do at a time: each is one advisory lock
/// (the namespace, the seat's number).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Seat {
    /// Long-polling Telegram's `getUpdates` (two pollers get 409).
    TelegramPolling,
    /// The Discord gateway session (two would both get every interaction).
    DiscordGateway,
}

impl Seat {
    /// The lock's second int4. Members' ids are all above these.
    fn number(self) -> i32 {
        match self {
            Seat::TelegramPolling => 0,
            Seat::DiscordGateway => 1,
        }
    }
}

impl std::fmt::Display for Seat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Seat::TelegramPolling => "Telegram polling",
            Seat::DiscordGateway => "the Discord gateway",
        })
    }
}

/// Member ids are drawn from here up: below are seats (and room for more).
const FIRST_MEMBER_ID: i32 = 1024;

#[derive(Debug, thiserror::Error)]
pub enum ReplicaError {
    #[error("cannot reach the PostgreSQL database for replicas: {0}")]
    Connect(String),
    #[error("the replica's PostgreSQL session failed: {0}")]
    Session(String),
    #[error("no free replica id after {0} tries")]
    NoFreeId(u32),
    #[error("replica {0}: its id is still held by its old session; trying again shortly")]
    IdStillHeld(i64),
}

/// Whether `url` names a PostgreSQL database (then `studybot run` joins as
/// a replica).
pub fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// The advisory-lock namespace of one studybot database: a stable 32-bit
/// hash (FNV-1a) of the database and schema names, so bots (or tests) in
/// different schemas of one server never see each other's locks.
pub fn namespace_key(database: &str, schema: &str) -> i32 {
    let mut hash: u32 = 0x811c_9dc5;
    let bytes = b"studybot\0"
        .iter()
        .chain(database.as_bytes())
        .chain(b"\0")
        .chain(schema.as_bytes());
    for &byte in bytes {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    i32::from_ne_bytes(hash.to_ne_bytes())
}

/// This process as one replica among those sharing the database.
pub struct Replica {
    session: Arc<Session>,
    live: watch::Receiver<usize>,
    keeper: JoinHandle<()>,
}

impl Replica {
    /// Opens the dedicated session, takes a free random id and starts the
    /// periodic check (every [`CAMPAIGN_EVERY`]: the session answers, the
    /// live count is fresh).
    ///
    /// When other replicas are live, it returns only after
    /// [`leader::HANDOVER`]: by then each of them has counted this one and
    /// lowered its share of the bot's overall send rate, so the newcomer's
    /// first sends cannot push the total over Telegram's limit.
    pub async fn join(url: &str) -> Result<Replica, ReplicaError> {
        let session = Arc::new(Session::join(url).await?);
        let mut members = session.live_members().await?;
        if members.len() > 1 {
            tokio::time::sleep(leader::HANDOVER).await;
            members = session.live_members().await?;
        }
        let (live_tx, live) = watch::channel(members.len());
        let keeper = tokio::spawn(keep(session.clone(), live_tx));
        Ok(Replica {
            session,
            live,
            keeper,
        })
    }

    /// This replica's id (the ledger's `owner`): unique among live replicas.
    pub fn id(&self) -> i64 {
        i64::from(self.session.id)
    }

    /// The namespace key of this database and schema.
    pub fn namespace(&self) -> i32 {
        self.session.namespace
    }

    /// How many replicas are live, refreshed every [`CAMPAIGN_EVERY`].
    pub fn live_count(&self) -> watch::Receiver<usize> {
        self.live.clone()
    }

    /// How many changes of membership (the live count) or leadership (a
    /// seat taken here) this replica has seen: a cache of what other
    /// replicas may write is read again when it moves (`study::hot`).
    pub fn changes(&self) -> u64 {
        self.session.changes.load(Ordering::Relaxed)
    }

    /// The ids of the live replicas (this one included), ascending.
    pub async fn live_members(&self) -> Result<Vec<i64>, ReplicaError> {
        self.session.live_members().await
    }

    /// Waits until this replica holds `seat`, trying every
    /// [`CAMPAIGN_EVERY`]. One caller per seat at a time.
    pub async fn lead(&self, seat: Seat) -> Leadership {
        leader::campaign(&self.session, seat).await
    }

    /// Gives `seat` back so another replica may take it at once.
    pub async fn resign(&self, leadership: Leadership) {
        leader::resign(&self.session, leadership).await;
    }

    /// Runs `work` whenever this replica holds `seat`, until `stop` turns
    /// true or `work` ends on its own. Each term's `work` starts
    /// [`HANDOVER`] after the seat is taken (the previous holder has
    /// stopped by then) and gets a stop of its own that turns true when the
    /// seat is lost (or at `stop`); only once that term's `work` has ended
    /// does the replica campaign again.
    pub async fn while_leading<W, F>(&self, seat: Seat, stop: watch::Receiver<bool>, work: W)
    where
        W: FnMut(watch::Receiver<bool>) -> F,
        F: std::future::Future<Output = ()>,
    {
        leader::while_leading(self, seat, stop, work).await;
    }

    /// Leaves cleanly: gives back every lock and closes the session.
    pub async fn leave(self) {
        self.keeper.abort();
        self.session.close().await;
        log::info!("replica {} left", self.id());
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        self.keeper.abort();
    }
}

/// The only periodic work: every [`CAMPAIGN_EVERY`], read the live members
/// (which also proves the session alive, or reconnects it). A failure is
/// logged once, not at every tick while the database stays away.
async fn keep(session: Arc<Session>, live: watch::Sender<usize>) {
    let mut failing = false;
    loop {
        tokio::time::sleep(CAMPAIGN_EVERY).await;
        match session.live_members().await {
            Ok(members) => {
                failing = false;
                let count = members.len();
                let changed = live.send_if_modified(|n| std::mem::replace(n, count) != count);
                if changed {
                    session.changes.fetch_add(1, Ordering::Relaxed);
                    log::info!("replica {}: {count} live", session.id);
                }
            }
            Err(e) if !failing => {
                failing = true;
                log::warn!("replica {}: {e}; trying again every 2 s", session.id);
            }
            Err(e) => log::debug!("replica {}: {e}", session.id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_namespace_is_stable_and_differs_by_schema_and_database() {
        // Fixed forever: replicas of different builds must agree (FNV-1a of
        // "studybot\0studybot\0public", computed independently).
        assert_eq!(
            namespace_key("test", "public"),
            namespace_key("test", "public")
        );
        assert_eq!(namespace_key("studybot", "public"), -738_005_888);
        let keys = [
            namespace_key("test", "public"),
            namespace_key("test", "studybot_t_1"),
            namespace_key("test", "studybot_t_2"),
            namespace_key("other", "public"),
            // The separator keeps ("ab", "c") apart from ("a", "bc").
            namespace_key("ab", "c"),
            namespace_key("a", "bc"),
        ];
        for (i, a) in keys.iter().enumerate() {
            for b in &keys[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn only_postgres_urls_make_replicas() {
        assert!(is_postgres_url("postgres://postgres@127.0.0.1/test"));
        assert!(is_postgres_url("postgresql://u:p@db:5432/studybot"));
        assert!(!is_postgres_url("sqlite://studybot.db"));
        assert!(!is_postgres_url("studybot.db"));
    }

    #[test]
    fn seats_sit_below_every_member_id() {
        for seat in [Seat::TelegramPolling, Seat::DiscordGateway] {
            assert!((0..FIRST_MEMBER_ID).contains(&seat.number()));
        }
    }
}
