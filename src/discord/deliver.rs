//! Discord's part in daily work: deliver one claimed post to the channel
//! or thread where `/daily` was set, pin it when the channel asked
//! (`pins`), and say a notice there. The loop itself is the shared `driver`.

use std::sync::Arc;

use super::{App, pins};
use crate::domain::Platform;
use crate::post::Post;
use crate::runtime::driver::{Deliver, Delivered};
use crate::study::{DueWork, PinJob, Pinned, Place};

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

    async fn pin(&self, job: &PinJob) -> Pinned {
        pins::pin(&self.0.outbox, job).await
    }

    async fn tell(&self, place: &Place, post: &Post) {
        if let Delivered::Sent {
            chat_id,
            message_id,
        } = self.0.outbox.deliver(place, post).await
        {
            log::debug!("chat {chat_id}: notice sent as {message_id}");
        }
    }
}
