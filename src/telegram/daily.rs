//! Telegram's part in daily work: deliver one claimed post through the send
//! path. The loop itself (resume, claim, sleep) is the shared `driver`.

use std::sync::Arc;

use super::App;
use super::send::{Delivery, Patience};
use crate::domain::Platform;
use crate::driver::{Deliver, Delivered};
use crate::study::DueWork;

/// Delivers daily posts and reveals as Telegram messages.
pub struct TelegramDaily(pub Arc<App>);

impl Deliver for TelegramDaily {
    fn platform(&self) -> Platform {
        Platform::Telegram
    }

    async fn deliver(&self, work: &DueWork) -> Delivered {
        let outbox = &self.0.outbox;
        match outbox
            .deliver(&work.place, &work.post, Patience::Scheduled)
            .await
        {
            Delivery::Sent { chat_id, anchor } => Delivered::Sent {
                chat_id,
                message_id: anchor,
            },
            Delivery::Gone => Delivered::Gone,
            Delivery::Failed => Delivered::Failed,
            Delivery::Unsent => Delivered::Unsent,
        }
    }
}
