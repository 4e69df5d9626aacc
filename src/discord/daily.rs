//! Discord's part in daily work: deliver one claimed post to the channel
//! or thread where `/daily` was set. The loop itself is the shared `driver`.

use std::sync::Arc;

use super::App;
use crate::domain::Platform;
use crate::driver::{Deliver, Delivered};
use crate::study::DueWork;

/// Delivers daily posts and timed reveals (replying to the day's question)
/// as Discord messages.
pub struct DiscordDaily(pub Arc<App>);

impl Deliver for DiscordDaily {
    fn platform(&self) -> Platform {
        Platform::Discord
    }

    async fn deliver(&self, work: &DueWork) -> Delivered {
        self.0.outbox.deliver(&work.place, &work.post).await
    }
}
