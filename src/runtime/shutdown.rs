//! Stopping cleanly: SIGINT (Ctrl-C) and SIGTERM (systemd, docker, kill)
//! turn one shared `watch` flag true, and every adapter serving in the
//! process stops on it.

use tokio::sync::watch;

/// A flag that turns true on SIGINT or SIGTERM.
pub fn on_signal() -> watch::Receiver<bool> {
    let (stop_tx, stop_rx) = watch::channel(false);
    spawn_signal_handler(stop_tx);
    stop_rx
}

/// SIGINT (Ctrl-C) and SIGTERM (systemd, docker, kill) stop the bot.
fn spawn_signal_handler(stop: watch::Sender<bool>) {
    tokio::spawn(async move {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let Ok(mut term) = signal(SignalKind::terminate()) else {
                log::warn!("cannot listen for SIGTERM");
                return;
            };
            tokio::select! {
                _ = term.recv() => log::info!("SIGTERM received"),
                _ = tokio::signal::ctrl_c() => log::info!("SIGINT received"),
            }
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
        let _ = stop.send(true);
    });
}
