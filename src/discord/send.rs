//! The send path: a `Post`'s Discord messages (`parts`) go to a channel,
//! and what Discord answers is mapped back into engine calls.
//!
//! - Mentions are never parsed (`allowed_mentions` empty), so `@everyone`
//!   in a bank line pings no one; a daily question with `ping:@role`
//!   allows that one role (`ping`).
//! - twilight's rate limiter follows the `X-RateLimit-*` buckets and, after
//!   a global 429, holds this client's requests for its `Retry-After`; but
//!   it learns Discord's global limit (50 requests a second, the bot's, so
//!   shared by every replica) only from a 429, and it returns every 429 as
//!   an error without retrying. Messages are therefore paced here by an
//!   exact sliding window under this replica's share of the limit, counted
//!   at each answer as on Telegram (`window`). A 429 that still comes back
//!   waits the body's `retry_after` (also when the body carries a `code`,
//!   which twilight reads as a general error) and is sent again, never
//!   dropped.
//! - Only 50001 (Missing Access), 50013 (Missing Permissions), 10003
//!   (Unknown Channel) and 50007 (a DM refusing the bot) mean the channel
//!   is out of reach: it is marked inactive and its plan paused at once (a
//!   reminder sent to such a DM is turned off). A reply refused with 403
//!   160002 (no Read Message History) is sent once more without the reply;
//!   any other refusal fails that one message, logged with its code. None
//!   is retried: Discord bans clients that pile up invalid requests.
//! - A post's picture goes with its first part, as an uploaded file shown
//!   in an embed (`picture`). A channel where the bot may not attach files
//!   answers 403 50013 to that message: it is sent again without the
//!   picture, and only a 50013 to the text alone means the channel is gone.
//! - A person's DM channel is opened here too (`POST /users/@me/channels`,
//!   which returns the existing one if there is one), paced like a message.
//! - Network trouble, 5xx and a body that is not JSON (Cloudflare's HTML
//!   page during an outage) are retried a few times with backoff, then
//!   left to the daily driver (`Delivered::Unsent`: the claim stays).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use twilight_http::Client;
use twilight_model::channel::message::{AllowedMentions, Message};
use twilight_model::id::Id;
use twilight_model::id::marker::UserMarker;

use super::failure::code;
pub use super::failure::{Failure, classify};
use super::parts::{Part, parts_read};
use super::picture::{TextOnly, picture_of, refuses_picture};
use crate::domain::{ChatId, MessageId, Platform};
use crate::ops::telemetry;
use crate::post::Post;
use crate::runtime::clock::Clock;
use crate::runtime::driver::Delivered;
use crate::runtime::window::Window;
use crate::study::{Engine, Place};

/// Retries of one message on network errors and 5xx before giving up.
const MAX_RETRIES: u32 = 4;

/// Discord allows 50 requests a second per bot; 50 in any 1.05 s leaves a
/// margin for arrival jitter and clock skew (47.6 a second at most).
/// Interaction replies and follow-ups are not bound by it and not paced.
const GLOBAL_MAX: usize = 50;
const GLOBAL_SPAN: Duration = Duration::from_millis(1_050);

/// No pings, whatever the text says.
pub fn no_mentions() -> AllowedMentions {
    AllowedMentions::default()
}

/// Sends posts to channels; shared by the daily driver and the gateway loop.
pub struct Outbox {
    http: Arc<Client>,
    engine: Engine,
    clock: Clock,
    /// Messages sent in the last second, for Discord's global limit.
    global: Mutex<Window>,
    /// Channels that refused a picture (logged once).
    text_only: TextOnly,
}

impl Outbox {
    pub fn new(http: Arc<Client>, engine: Engine, clock: Clock) -> Outbox {
        Outbox {
            http,
            engine,
            clock,
            global: Mutex::new(Window::new(GLOBAL_MAX, GLOBAL_SPAN)),
            text_only: TextOnly::default(),
        }
    }

    pub(super) fn text_only(&self) -> &TextOnly {
        &self.text_only
    }

    /// Waits for room under the global limit and counts one request;
    /// returns the instant it was counted at, for `settle`.
    pub(super) async fn pace(&self) -> tokio::time::Instant {
        let at = {
            let mut global = self.global.lock().expect("pacer state");
            let now = tokio::time::Instant::now();
            global.forget_before(now);
            let at = global.earliest(now);
            global.reserve(at);
            at
        };
        tokio::time::sleep_until(at).await;
        at
    }

    /// The request counted at `counted` was answered: count it there.
    pub(super) fn settle(&self, counted: tokio::time::Instant) {
        let mut global = self.global.lock().expect("pacer state");
        global.settle(counted, tokio::time::Instant::now());
    }

    /// Paces to `max` requests in the window from now on.
    fn set_global_max(&self, max: usize) {
        self.global.lock().expect("pacer state").set_max(max);
    }

    pub(super) fn http(&self) -> &Client {
        &self.http
    }

    /// Sends `post` to the channel `place` names, all parts in order; the
    /// first part replies to `post.reply_to` if set. Counts the outcome.
    pub async fn deliver(&self, place: &Place, post: &Post) -> Delivered {
        self.deliver_pinging(place, post, None).await
    }

    /// `deliver`, the first part mentioning (and pinging) `role` if given.
    /// In a thread (`place.thread_id`, a channel of its own) nothing is a
    /// reply, and a refusal is `Failed` (the caller falls back to the
    /// channel): the thread's trouble never marks the channel gone.
    pub(super) async fn deliver_pinging(
        &self,
        place: &Place,
        post: &Post,
        role: Option<u64>,
    ) -> Delivered {
        let platform = Platform::Discord;
        let queued = telemetry::Queued::enter(platform);
        let delivered = self.deliver_parts(place, post, role).await;
        drop(queued);
        match &delivered {
            Delivered::Sent { .. } => telemetry::post_sent(platform, post),
            Delivered::Gone => telemetry::post_failed(platform, post, "gone"),
            Delivered::Failed => telemetry::post_failed(platform, post, "refused"),
            Delivered::Unsent => telemetry::post_failed(platform, post, "unsent"),
        }
        delivered
    }

    async fn deliver_parts(&self, place: &Place, post: &Post, role: Option<u64>) -> Delivered {
        let chat = place.chat_id;
        let Some(channel) = u64::try_from(chat.id).ok().and_then(Id::new_checked) else {
            log::error!("chat {chat}: not a Discord channel id");
            return Delivered::Failed;
        };
        let thread = place
            .thread_id
            .and_then(|t| u64::try_from(t).ok())
            .and_then(Id::new_checked);
        let mut anchor = None;
        for (i, part) in super::ping::parts_pinging(parts_read(post).await, role)
            .iter()
            .enumerate()
        {
            let reply_to = post.reply_to.filter(|_| i == 0 && thread.is_none());
            let target = thread.unwrap_or(channel);
            let mentions = super::ping::mentions(role.filter(|_| i == 0));
            match self
                .send_adapting(chat, target, part, reply_to, &mentions)
                .await
            {
                Ok(message) => {
                    if anchor.is_none() || !part.components.is_empty() {
                        anchor = MessageId::discord(message.id.get());
                    }
                }
                Err(Failure::ChannelGone | Failure::Refused) if thread.is_some() => {
                    return Delivered::Failed;
                }
                Err(Failure::ChannelGone) => {
                    self.channel_gone(chat).await;
                    return Delivered::Gone;
                }
                Err(Failure::Transient) => return Delivered::Unsent,
                Err(_) => return Delivered::Failed,
            }
        }
        match anchor {
            Some(message_id) => Delivered::Sent {
                chat_id: chat,
                message_id,
                thread: None,
            },
            None => Delivered::Failed,
        }
    }

    /// Sends one part; a refused picture or reply is dropped and the part
    /// sent again without it.
    async fn send_adapting(
        &self,
        chat: ChatId,
        channel: Id<twilight_model::id::marker::ChannelMarker>,
        part: &Part,
        mut reply_to: Option<MessageId>,
        mentions: &AllowedMentions,
    ) -> Result<Message, Failure> {
        let mut part = part.clone();
        loop {
            match self
                .send_part(chat, channel, &part, reply_to, mentions)
                .await
            {
                Err(Failure::PictureRefused) if part.image.is_some() => {
                    self.text_only.note(chat);
                    part.image = None;
                }
                Err(Failure::CannotReply) if reply_to.is_some() => {
                    log::warn!(
                        "chat {chat}: the bot may not read the message history here (403 160002); sent without the reply"
                    );
                    reply_to = None;
                }
                sent => return sent,
            }
        }
    }

    async fn send_part(
        &self,
        chat: ChatId,
        channel: Id<twilight_model::id::marker::ChannelMarker>,
        part: &Part,
        reply_to: Option<MessageId>,
        mentions: &AllowedMentions,
    ) -> Result<Message, Failure> {
        let (attachments, embeds) = picture_of(part);
        let mut failures = 0;
        loop {
            let mut request = self
                .http
                .create_message(channel)
                .content(&part.content)
                .allowed_mentions(Some(mentions))
                .components(&part.components);
            if !embeds.is_empty() {
                request = request.attachments(&attachments).embeds(&embeds);
            }
            if let Some(id) = reply_to
                .and_then(|m| u64::try_from(m.0).ok())
                .and_then(Id::new_checked)
            {
                request = request.reply(id).fail_if_not_exists(false);
            }
            let counted = self.pace().await;
            let answer = request.await;
            self.settle(counted);
            let error = match answer {
                Ok(response) => match response.model().await {
                    Ok(message) => {
                        telemetry::reached(Platform::Discord);
                        return Ok(message);
                    }
                    Err(e) => {
                        log::error!("chat {chat}: sent, but Discord's answer was unreadable: {e}");
                        return Err(Failure::Refused);
                    }
                },
                Err(error) => error,
            };
            match classify(&error) {
                Failure::RetryAfter(wait) => {
                    telemetry::rate_limited(Platform::Discord);
                    log::warn!("chat {chat}: rate limited; sending again in {wait:?}");
                    tokio::time::sleep(wait).await;
                }
                Failure::Transient if failures < MAX_RETRIES => {
                    failures += 1;
                    let wait = Duration::from_millis(500 << failures);
                    log::warn!("chat {chat}: {error}; retry {failures} in {wait:?}");
                    tokio::time::sleep(wait).await;
                }
                Failure::CannotReply => return Err(Failure::CannotReply),
                Failure::ChannelGone if refuses_picture(part, &error) => {
                    return Err(Failure::PictureRefused);
                }
                failure => {
                    log::warn!(
                        "chat {chat}: Discord refused a message ({}): {error}",
                        code(&error)
                    );
                    return Err(failure);
                }
            }
        }
    }

    /// The DM channel between the bot and `user`, opened (or found: Discord
    /// returns the one that exists) for a reminder asked for anywhere.
    /// Whether the person accepts DMs shows only when a message is sent.
    pub async fn open_dm(&self, user: Id<UserMarker>) -> Result<ChatId, Failure> {
        let counted = self.pace().await;
        let answer = self.http.create_private_channel(user).await;
        self.settle(counted);
        let channel = match answer {
            Ok(response) => response.model().await.map_err(|e| {
                log::warn!(
                    "user {user}: a DM was opened, but Discord's answer was unreadable: {e}"
                );
                Failure::Refused
            })?,
            Err(error) => {
                log::warn!("user {user}: Discord did not open a DM: {error}");
                return Err(classify(&error));
            }
        };
        ChatId::discord(channel.id.get()).ok_or(Failure::Refused)
    }

    /// The bot may no longer post in `chat`: it is marked inactive and its
    /// plan paused.
    pub async fn channel_gone(&self, chat: ChatId) {
        log::warn!("chat {chat}: the bot cannot post here; marking it inactive");
        if let Err(e) = self.engine.chat_gone(chat, self.clock.now()).await {
            log::error!("chat {chat}: could not mark it inactive: {e}");
        }
    }
}

/// This replica's share of Discord's global limit among `replicas` live
/// ones: the limit belongs to the bot, not to a process.
pub fn global_share(max: usize, replicas: usize) -> usize {
    (max / replicas.max(1)).max(1)
}

/// Keeps the outbox's pace at this replica's share of the global limit as
/// the `live` count of replicas changes, until `stop`. Holds the count,
/// not the replica, so a replica that goes away is not kept alive.
pub(super) async fn share_the_limit(
    app: Arc<super::App>,
    mut live: tokio::sync::watch::Receiver<usize>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        let replicas = *live.borrow_and_update();
        let share = global_share(GLOBAL_MAX, replicas);
        app.outbox.set_global_max(share);
        log::info!(
            "Discord: this replica sends at most {share} requests per {GLOBAL_SPAN:?} ({replicas} live)"
        );
        tokio::select! {
            changed = live.changed() => if changed.is_err() { return },
            _ = stop.wait_for(|s| *s) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replicas_split_the_global_limit() {
        assert_eq!(global_share(GLOBAL_MAX, 1), 50);
        assert_eq!(global_share(GLOBAL_MAX, 2), 25);
        assert_eq!(global_share(GLOBAL_MAX, 3), 16);
        assert_eq!(global_share(GLOBAL_MAX, 0), 50);
        assert_eq!(global_share(GLOBAL_MAX, 80), 1);
    }
}
