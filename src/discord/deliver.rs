//! Discord's part in daily work: deliver one claimed post to the channel
//! or thread where `/daily` was set, pin it when the channel asked
//! (`pins`), and say a notice there. The loop itself is the shared `driver`.
//!
//! A plan with `thread:on` opens a thread on each day's question, named
//! after it; the question's reveal then goes into that thread. A thread
//! that cannot be opened (no Create Public Threads: 50013; one already
//! there: 160004) or that refuses the reveal leaves the reveal in the
//! channel, as without threads, with one warning in the log.

use std::sync::Arc;
use std::time::Duration;

use twilight_model::channel::Channel;
use twilight_model::channel::thread::AutoArchiveDuration;
use twilight_model::id::Id;
use twilight_model::id::marker::{ChannelMarker, MessageMarker};

use super::send::{Failure, classify};
use super::{App, pins};
use crate::domain::{ChatId, MessageId, Platform};
use crate::post::Post;
use crate::runtime::driver::{Deliver, Delivered};
use crate::study::{DueWork, PinJob, Pinned, Place};

/// Tries at opening a question's thread (429s and network trouble).
const THREAD_TRIES: u32 = 4;

/// Delivers daily posts and timed reveals (replying to the day's question)
/// as Discord messages.
pub struct DiscordDaily(pub Arc<App>);

impl Deliver for DiscordDaily {
    fn platform(&self) -> Platform {
        Platform::Discord
    }

    async fn deliver(&self, work: &DueWork) -> Delivered {
        let outbox = &self.0.outbox;
        if work.place.thread_id.is_some() {
            return self.reveal_in_thread(work).await;
        }
        let extras = &work.extras;
        let delivered = outbox
            .deliver_pinging(&work.place, &work.post, extras.ping_role)
            .await;
        match (delivered, &extras.thread_name) {
            (
                Delivered::Sent {
                    chat_id,
                    message_id,
                    ..
                },
                Some(name),
            ) => Delivered::Sent {
                chat_id,
                message_id,
                thread: self.open_thread(chat_id, message_id, name).await,
            },
            (delivered, _) => delivered,
        }
    }

    async fn pin(&self, job: &PinJob) -> Pinned {
        pins::pin(&self.0.outbox, job).await
    }

    async fn tell(&self, place: &Place, post: &Post) {
        if let Delivered::Sent {
            chat_id,
            message_id,
            ..
        } = self.0.outbox.deliver(place, post).await
        {
            log::debug!("chat {chat_id}: notice sent as {message_id}");
        }
    }
}

impl DiscordDaily {
    /// A reveal into the question's thread; into the channel (replying to
    /// the question) if the thread refuses it.
    async fn reveal_in_thread(&self, work: &DueWork) -> Delivered {
        let outbox = &self.0.outbox;
        match outbox.deliver(&work.place, &work.post).await {
            Delivered::Failed => {
                let chat = work.place.chat_id;
                log::warn!(
                    "chat {chat}: the question's thread refused the reveal; it goes to the channel"
                );
                let place = Place {
                    thread_id: None,
                    ..work.place.clone()
                };
                outbox.deliver(&place, &work.post).await
            }
            delivered => delivered,
        }
    }

    /// Opens a thread named `name` on the question `message`; its id (a
    /// channel id), or `None` (logged once) when Discord refuses. A 429
    /// waits its `retry_after` and network trouble is tried again, a few
    /// times, as for messages.
    async fn open_thread(&self, chat: ChatId, message: MessageId, name: &str) -> Option<i64> {
        let channel = u64::try_from(chat.id).ok().and_then(Id::new_checked)?;
        let message_id = u64::try_from(message.0).ok().and_then(Id::new_checked)?;
        let mut tries = 0;
        loop {
            tries += 1;
            let why = match self.start_thread(channel, message_id, name).await {
                Ok(thread) => return i64::try_from(thread.id.get()).ok(),
                Err((Failure::RetryAfter(wait), _)) if tries < THREAD_TRIES => {
                    tokio::time::sleep(wait).await;
                    continue;
                }
                Err((Failure::Transient, _)) if tries < THREAD_TRIES => {
                    tokio::time::sleep(Duration::from_millis(500 << tries)).await;
                    continue;
                }
                Err((_, why)) => why,
            };
            log::warn!(
                "chat {chat}: no thread on the day's question ({why}); its reveal goes to the channel"
            );
            return None;
        }
    }

    /// One request to start the thread, and what its failure means.
    async fn start_thread(
        &self,
        channel: Id<ChannelMarker>,
        message: Id<MessageMarker>,
        name: &str,
    ) -> Result<Channel, (Failure, String)> {
        let outbox = &self.0.outbox;
        let counted = outbox.pace().await;
        let answer = outbox
            .http()
            .create_thread_from_message(channel, message, name)
            .auto_archive_duration(AutoArchiveDuration::Day)
            .await;
        outbox.settle(counted);
        match answer {
            Ok(response) => response
                .model()
                .await
                .map_err(|e| (Failure::Refused, e.to_string())),
            Err(error) => Err((classify(&error), error.to_string())),
        }
    }
}
