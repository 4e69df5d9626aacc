//! Telegram's part in daily work: deliver one claimed post through the send
//! path, and pin it when the chat asked (`pinChatMessage`, silently, then
//! `unpinChatMessage` for the bot's previous pin). The loop itself (resume,
//! claim, sleep) and the pin rules live in the shared `driver` and engine.

use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::MessageId;
use teloxide::{ApiError, RequestError};

use super::App;
use super::send::{Delivery, Patience};
use crate::domain::Platform;
use crate::post::Post;
use crate::runtime::driver::{Deliver, Delivered};
use crate::study::{DueWork, PinJob, Pinned, Place};

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
                thread: None,
            },
            Delivery::Gone => Delivered::Gone,
            Delivery::Failed => Delivered::Failed,
            Delivery::Unsent => Delivered::Unsent,
        }
    }

    async fn pin(&self, job: &PinJob) -> Pinned {
        let (bot, chat) = (&self.0.bot, ChatId(job.chat_id.id));
        let Some(message) = job.message_id.telegram() else {
            return Pinned::Failed;
        };
        let pinned = bot
            .pin_chat_message(chat, MessageId(message))
            .disable_notification(true)
            .await;
        if let Err(e) = pinned {
            if lacks_right(&e) {
                return Pinned::NoRight;
            }
            log::warn!(
                "chat {}: could not pin the question of the day: {e}",
                job.chat_id
            );
            return Pinned::Failed;
        }
        if let Some(old) = job.unpin.and_then(|m| m.telegram()) {
            // Someone may have unpinned or deleted it already: not a failure.
            if let Err(e) = bot
                .unpin_chat_message(chat)
                .message_id(MessageId(old))
                .await
            {
                log::info!("chat {}: could not unpin message {old}: {e}", job.chat_id);
            }
        }
        Pinned::Done
    }

    async fn tell(&self, place: &Place, post: &Post) {
        let outbox = &self.0.outbox;
        if let Delivery::Sent { chat_id, anchor } =
            outbox.deliver(place, post, Patience::Scheduled).await
        {
            log::debug!("chat {chat_id}: notice sent as {anchor}");
        }
    }
}

/// Telegram refused because the bot lacks an administrator right.
fn lacks_right(error: &RequestError) -> bool {
    match error {
        RequestError::Api(ApiError::NotEnoughRightsToPinMessage)
        | RequestError::Api(ApiError::NotEnoughRightsToManagePins) => true,
        RequestError::Api(ApiError::Unknown(d)) => {
            d.contains("not enough rights") || d.contains("CHAT_ADMIN_REQUIRED")
        }
        _ => false,
    }
}
