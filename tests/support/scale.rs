//! The scale scenario shared by `benches/scale.rs` and its smaller CI run
//! (`tests/faults/scale.rs`): many chats with daily plans, some due in the same
//! minute, seeded in one transaction, and a tally of what the fake got.
//!
//! Plans are written as a long-running bot leaves them: each with its next
//! due instant already worked out (a fresh upgrade works them out once, at
//! its first start; that cost is not what these runs measure).

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use fake_bot_api::{ChatSpec, SentMessage};
use jiff::{SignedDuration, Timestamp};
use studybot::store::Store;

use super::load;

/// The first whole minute at least `ahead` after `now`.
pub fn due_minute(now: Timestamp, ahead: SignedDuration) -> Timestamp {
    let at = (now + ahead).as_second();
    Timestamp::from_second(at + (60 - at.rem_euclid(60)) % 60).expect("a valid instant")
}

/// Seeds `chats` with daily plans in UTC: the first `due` at `due_at`'s
/// minute, the rest six hours later.
pub async fn seed(database: &str, chats: &[ChatSpec], due: usize, due_at: Timestamp) {
    // Opening through the store runs its migrations.
    Store::open(database)
        .await
        .expect("the database opens")
        .close()
        .await;
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect(database)
        .await
        .expect("the database opens");
    let later = due_at + SignedDuration::from_hours(6);
    let mut tx = pool.begin().await.expect("a transaction");
    for (i, chat) in chats.iter().enumerate() {
        let at = if i < due { due_at } else { later };
        sqlx::query(
            "INSERT INTO chats (platform, id, kind, title, created_at, updated_at)
             VALUES ('telegram', ?1, ?2, ?3, 0, 0)",
        )
        .bind(chat.id)
        .bind(load::store_kind(chat).as_str())
        .bind(chat.title())
        .execute(&mut *tx)
        .await
        .expect("a chat row");
        sqlx::query(
            "INSERT INTO plans (platform, chat_id, post_time, timezone, reveal, paused,
                 updated_at, next_due)
             VALUES ('telegram', ?1, ?2, 'UTC', 'off', 0, 0, ?3)",
        )
        .bind(chat.id)
        .bind(load::local_minute(at, "UTC"))
        .bind(at.as_second())
        .execute(&mut *tx)
        .await
        .expect("a plan row");
    }
    tx.commit().await.expect("the seed commits");
    pool.close().await;
}

/// What the fake received for the chats that were due.
#[derive(Debug, Default)]
pub struct Tally {
    pub delivered: usize,
    /// Due chats that got nothing.
    pub lost: usize,
    /// Due chats that got two or more.
    pub doubled: usize,
    /// Messages to chats that were not due.
    pub strays: usize,
    pub first: Option<Instant>,
    pub last: Option<Instant>,
}

impl Tally {
    pub fn of(sent: &[SentMessage], due: &[ChatSpec]) -> Tally {
        let due: HashSet<i64> = due.iter().map(|c| c.id).collect();
        let mut per_chat: HashMap<i64, usize> = due.iter().map(|&c| (c, 0)).collect();
        let mut tally = Tally::default();
        for message in sent {
            match per_chat.get_mut(&message.chat_id) {
                Some(n) => *n += 1,
                None => tally.strays += 1,
            }
        }
        tally.delivered = sent.len() - tally.strays;
        tally.lost = per_chat.values().filter(|&&n| n == 0).count();
        tally.doubled = per_chat.values().filter(|&&n| n >= 2).count();
        tally.first = sent.iter().map(|m| m.at).min();
        tally.last = sent.iter().map(|m| m.at).max();
        tally
    }

    /// Messages a second from the first to the last.
    pub fn rate(&self) -> f64 {
        match (self.first, self.last) {
            (Some(first), Some(last)) if last > first => {
                (self.delivered.saturating_sub(1)) as f64 / last.duration_since(first).as_secs_f64()
            }
            _ => 0.0,
        }
    }
}

/// The monotonic instant that corresponds to `at` on the system clock.
pub fn instant_of(at: Timestamp) -> Instant {
    let ahead = at.duration_since(Timestamp::now());
    let now = Instant::now();
    match std::time::Duration::try_from(ahead) {
        Ok(ahead) => now + ahead,
        Err(_) => now - std::time::Duration::try_from(-ahead).unwrap_or_default(),
    }
}
