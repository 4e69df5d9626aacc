//! Telegram among replicas: only one process may long-poll a bot token
//! (a second `getUpdates` gets 409), and the 30 messages a second are the
//! token's, not each process's.
//!
//! The polling listener runs only while this replica holds the
//! `TelegramPolling` seat; when the seat is lost, polling stops first and
//! the replica campaigns again afterwards. The overall send limit follows
//! the live count: 30 / N a second with N replicas.

use std::future::Future;
use std::sync::Arc;

use teloxide::Bot;
use tokio::sync::watch;

use super::App;
use super::limits::{Limits, global_share};
use crate::replica::{Replica, Seat};

/// Polls while this replica leads, until `stop`; the overall send limit
/// is kept at this replica's share all along.
pub(super) async fn poll_while_leader(
    replica: &Replica,
    bot: Bot,
    app: Arc<App>,
    stop: watch::Receiver<bool>,
) {
    let polling = replica.while_leading(Seat::TelegramPolling, stop, |term| {
        super::poll(bot.clone(), app.clone(), term)
    });
    sharing_the_limit(replica, &app, polling).await;
}

/// Runs `work` (receiving updates) with the overall send limit kept at
/// this replica's share all along.
pub(super) async fn sharing_the_limit(
    replica: &Replica,
    app: &App,
    work: impl Future<Output = ()>,
) {
    tokio::select! {
        () = work => {}
        () = share_the_limit(replica, &app.outbox.limits) => {}
    }
}

/// Keeps `limits` at this replica's share of the overall limit as replicas
/// come and go; never returns while the replica lives.
async fn share_the_limit(replica: &Replica, limits: &Limits) {
    let mut live = replica.live_count();
    loop {
        let replicas = *live.borrow_and_update();
        limits.share_global(replicas);
        log::info!(
            "Telegram: this replica sends at most {} messages a second overall ({replicas} live)",
            global_share(limits.global_max(), replicas)
        );
        if live.changed().await.is_err() {
            return std::future::pending().await;
        }
    }
}
