//! "Something changed; look again", heard by every listener.
//!
//! One process may run a daily driver per platform (Telegram and Discord
//! side by side). A `tokio::sync::Notify` with `notify_one` would wake just
//! one of them, leaving the other asleep until its next instant: a plan set
//! on Discord could wake the Telegram driver instead. A `Wake` is a counter
//! in a watch channel: every listener sees each change once, and a change
//! made while a listener was busy is kept for its next wait.

use std::sync::Arc;

use tokio::sync::watch;

/// The announcing side; cheap to clone.
#[derive(Debug, Clone)]
pub struct Wake(Arc<watch::Sender<u64>>);

impl Default for Wake {
    fn default() -> Self {
        Wake(Arc::new(watch::channel(0).0))
    }
}

impl Wake {
    /// Tells every listener to look again.
    pub fn announce(&self) {
        self.0.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// A listener that hears the announcements made from now on.
    pub fn listen(&self) -> Listener {
        Listener(self.0.subscribe())
    }
}

/// One waiter's view of a [`Wake`].
#[derive(Debug)]
pub struct Listener(watch::Receiver<u64>);

impl Listener {
    /// Completes at the first announcement this listener has not heard yet
    /// (at once if one came since its last wait).
    pub async fn heard(&mut self) {
        if self.0.changed().await.is_err() {
            // Unreachable while the `Wake` lives (the listener's owner holds
            // it); never report a change that cannot come.
            std::future::pending::<()>().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn every_listener_hears_an_announcement_even_one_made_while_busy() {
        let wake = Wake::default();
        let mut first = wake.listen();
        let mut second = wake.listen();
        wake.announce();
        let quick = Duration::from_millis(100);
        assert!(tokio::time::timeout(quick, first.heard()).await.is_ok());
        assert!(tokio::time::timeout(quick, second.heard()).await.is_ok());
        // Heard once: a second wait sleeps until the next announcement.
        assert!(tokio::time::timeout(quick, first.heard()).await.is_err());
    }
}
