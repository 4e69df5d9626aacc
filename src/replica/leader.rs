//! Leading a seat: campaigning for its lock, noticing its loss, and running
//! a piece of work only while it is held.
//!
//! A seat is lost when the session fails a check (every
//! [`CAMPAIGN_EVERY`]) or a query: PostgreSQL may already have ended the
//! session and let another replica take the lock. The work is told to stop
//! at once, and the replica campaigns again only once it has stopped. A
//! new leader waits [`HANDOVER`] before it starts the work, so an old
//! leader whose session was ended (but which still runs) has noticed and
//! stopped first: two never poll at once.

use std::sync::atomic::Ordering;
use std::time::Duration;

use tokio::sync::watch;

use super::session::Session;
use super::{CAMPAIGN_EVERY, Replica, Seat};

/// How long a new leader waits before starting the work: one check
/// interval of the old leader, and a margin for it to stop.
pub const HANDOVER: Duration = CAMPAIGN_EVERY.saturating_add(Duration::from_millis(500));

/// This replica holds a seat until [`lost`](Leadership::lost) resolves.
#[derive(Debug)]
pub struct Leadership {
    seat: Seat,
    lost: watch::Receiver<bool>,
}

impl Leadership {
    pub fn seat(&self) -> Seat {
        self.seat
    }

    /// Resolves when the seat is lost (the session failed, or the replica
    /// resigned or left).
    pub async fn lost(&mut self) {
        let _ = self.lost.wait_for(|lost| *lost).await;
    }

    pub fn is_lost(&self) -> bool {
        *self.lost.borrow() || self.lost.has_changed().is_err()
    }
}

/// Tries to take `seat` every [`CAMPAIGN_EVERY`] until it is taken.
pub(super) async fn campaign(session: &Session, seat: Seat) -> Leadership {
    let mut standing_by = false;
    loop {
        match session.try_take(seat).await {
            Ok(Some(lost)) => {
                session.changes.fetch_add(1, Ordering::Relaxed);
                log::info!("replica {}: leads {seat}", session.id);
                return Leadership { seat, lost };
            }
            Ok(None) if !standing_by => {
                log::info!(
                    "replica {}: another replica leads {seat}; standing by",
                    session.id
                );
                standing_by = true;
            }
            Ok(None) => {}
            // The session check warns about it already.
            Err(e) => log::debug!("replica {}: cannot campaign for {seat}: {e}", session.id),
        }
        tokio::time::sleep(CAMPAIGN_EVERY).await;
    }
}

pub(super) async fn resign(session: &Session, leadership: Leadership) {
    session.give_back(leadership.seat).await;
}

/// See [`Replica::while_leading`].
pub(super) async fn while_leading<W, F>(
    replica: &Replica,
    seat: Seat,
    mut stop: watch::Receiver<bool>,
    mut work: W,
) where
    W: FnMut(watch::Receiver<bool>) -> F,
    F: std::future::Future<Output = ()>,
{
    loop {
        let mut leadership = tokio::select! {
            leadership = replica.lead(seat) => leadership,
            () = stopped(&mut stop) => return,
        };
        let handed_over = tokio::select! {
            () = tokio::time::sleep(HANDOVER) => true,
            () = stopped(&mut stop) => {
                replica.resign(leadership).await;
                return;
            }
            () = leadership.lost() => false,
        };
        if !handed_over {
            continue;
        }
        let (end_term, term) = watch::channel(false);
        let run = work(term);
        tokio::pin!(run);
        let stopping = tokio::select! {
            () = &mut run => {
                replica.resign(leadership).await;
                return;
            }
            () = stopped(&mut stop) => true,
            () = leadership.lost() => false,
        };
        let _ = end_term.send(true);
        run.await;
        if stopping {
            replica.resign(leadership).await;
            return;
        }
        log::info!(
            "replica {}: {seat} stopped (the lead was lost); standing by",
            replica.id()
        );
    }
}

/// Resolves when `stop` turns true (or its sender is gone), holding no
/// borrow of the value (so the future stays `Send`).
async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|stop| *stop).await;
}
