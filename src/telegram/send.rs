//! The send path: a `Post` becomes one or more Telegram messages, in order,
//! within Telegram's limits, and survives what Telegram answers.
//!
//! - 429: the chat waits `retry_after` (see `limits`) and the message is
//!   sent again; never dropped.
//! - Group upgraded to a supergroup: the chat's state moves to the new id
//!   and the message goes there.
//! - `Forbidden: …` (kicked, blocked) or a chat that no longer exists: the
//!   chat is marked inactive and nothing is retried.
//! - Network errors and 5xx: retried with backoff — a few times for a
//!   reply a person waits for, until it goes through for scheduled posts.
//!
//! A post with a picture goes out as a photo first, its text as the caption
//! (as much as a caption holds) and the rest as messages after it; a chat
//! that allows no photos gets the same post as text (see `photo`).

use teloxide::payloads::SendMessageSetters;
use teloxide::prelude::*;
use teloxide::types::{
    ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, MessageId,
    ParseMode, ReplyParameters, ThreadId,
};
use teloxide::{ApiError, RequestError};
use tokio::time::Instant;

use super::limits::Limits;
use super::photo::{self, NoPhotoChats, PhotoSource};
use super::retry::{backoff, is_transient, jittered};
use crate::domain;
use crate::ops::telemetry;
use crate::post::button;
use crate::post::{Action, Post, PostKind, PostQuiz};
use crate::render;
use crate::runtime::clock::Clock;
use crate::study::{Engine, Place};

/// How hard to try on network errors and 5xx answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Patience {
    /// A reply someone is waiting for: a few quick retries.
    Reply,
    /// A scheduled post: keep trying for a few minutes (backoff up to a
    /// minute); the scheduler tries again later if even that fails.
    Scheduled,
}

impl Patience {
    fn max_retries(self) -> u32 {
        match self {
            Patience::Reply => 4,
            Patience::Scheduled => 10,
        }
    }
}

/// What became of a post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// Sent to `chat_id` (the new id if the group moved) as these
    /// messages; `anchor` is the one to remember (the one with the button,
    /// else the first).
    Sent {
        chat_id: domain::ChatId,
        anchor: domain::MessageId,
    },
    /// The chat is gone for the bot; it was marked inactive.
    Gone,
    /// Telegram refused it for another reason (logged).
    Failed,
    /// The network or Telegram's servers kept failing; it may go through
    /// later. Nothing of the post was sent if it has one message.
    Unsent,
}

/// Sends posts; shared by the update handlers and the scheduler.
pub struct Outbox {
    pub(super) bot: Bot,
    pub(super) limits: Limits,
    pub(super) engine: Engine,
    clock: Clock,
    no_photos: NoPhotoChats,
}

/// One message to send: text, or a photo with the text as its caption.
pub(super) struct Chunk<'a> {
    pub(super) text: &'a str,
    pub(super) photo: Option<&'a PhotoSource>,
    pub(super) thread_id: Option<i32>,
    pub(super) reply_to: Option<i32>,
    pub(super) keyboard: Option<&'a InlineKeyboardMarkup>,
    /// Open the reply field for the people mentioned (a report prompt).
    pub(super) force_reply: bool,
}

enum ChunkError {
    Gone,
    Failed,
    Unsent,
    /// The chat allows the bot no photos (only from a photo chunk).
    NoPhotos,
}

impl Outbox {
    pub fn new(bot: Bot, limits: Limits, engine: Engine, clock: Clock) -> Outbox {
        Outbox {
            bot,
            limits,
            engine,
            clock,
            no_photos: NoPhotoChats::default(),
        }
    }

    /// Sends `post` to `place`, all chunks in order, and counts the outcome.
    pub async fn deliver(&self, place: &Place, post: &Post, patience: Patience) -> Delivery {
        let platform = domain::Platform::Telegram;
        let queued = telemetry::Queued::enter(platform);
        let delivery = self.deliver_chunks(place, post, patience).await;
        drop(queued);
        match &delivery {
            Delivery::Sent { .. } => telemetry::post_sent(platform, post),
            Delivery::Gone => telemetry::post_failed(platform, post, "gone"),
            Delivery::Failed => telemetry::post_failed(platform, post, "refused"),
            Delivery::Unsent => telemetry::post_failed(platform, post, "unsent"),
        }
        delivery
    }

    async fn deliver_chunks(&self, place: &Place, post: &Post, patience: Patience) -> Delivery {
        let mut chat_id = place.chat_id.id;
        // A reveal closes its quiz first, so no answer comes after it.
        if let Some(PostQuiz::Close { poll_message }) = &post.quiz {
            self.close_poll(chat_id, *poll_message).await;
        }
        let picture = PhotoSource::of(post);
        let mut sent = self
            .send_parts(&mut chat_id, place, post, picture.as_ref(), patience)
            .await;
        if matches!(sent, Err(ChunkError::NoPhotos)) {
            // Nothing went out yet (the photo comes first): the text alone.
            sent = self
                .send_parts(&mut chat_id, place, post, None, patience)
                .await;
        }
        let anchor = match sent {
            Ok(anchor) => domain::MessageId::from(anchor),
            Err(ChunkError::Gone) => return Delivery::Gone,
            Err(ChunkError::Failed | ChunkError::NoPhotos) => return Delivery::Failed,
            Err(ChunkError::Unsent) => return Delivery::Unsent,
        };
        if let Some(PostQuiz::Open(poll)) = &post.quiz {
            self.open_poll(place, chat_id, anchor, poll).await;
        }
        Delivery::Sent {
            chat_id: domain::ChatId::telegram(chat_id),
            anchor,
        }
    }

    /// Sends the post's parts in order, the first as `photo`'s caption when
    /// there is one; answers the anchor: the part with the buttons, else the
    /// first.
    async fn send_parts(
        &self,
        chat_id: &mut i64,
        place: &Place,
        post: &Post,
        photo: Option<&PhotoSource>,
        patience: Patience,
    ) -> Result<i32, ChunkError> {
        let mut chunks = match photo {
            Some(_) => render::telegram_captioned_html(post),
            None => render::telegram_html(post),
        };
        if let (Some(mention), Some(first)) = (mention(post), chunks.first_mut()) {
            first.insert_str(0, &mention);
        }
        let keyboard = keyboard(post);
        let force_reply = matches!(
            post.kind,
            PostKind::ReportPrompt { .. } | PostKind::SuggestPrompt { .. }
        );
        // Telegram's topic and message ids are 32-bit; anything wider was
        // never one of its ids.
        let thread_id = place.thread_id.and_then(|t| i32::try_from(t).ok());
        let mut anchor = None;
        for (i, text) in chunks.iter().enumerate() {
            let last = i + 1 == chunks.len();
            let chunk = Chunk {
                text,
                photo: photo.filter(|_| i == 0),
                thread_id,
                reply_to: post
                    .reply_to
                    .and_then(domain::MessageId::telegram)
                    .filter(|_| i == 0),
                keyboard: keyboard.as_ref().filter(|_| last),
                force_reply: force_reply && last,
            };
            let id = self.send_chunk(chat_id, &chunk, patience).await?;
            if anchor.is_none() || chunk.keyboard.is_some() {
                anchor = Some(id);
            }
        }
        anchor.ok_or(ChunkError::Failed)
    }

    async fn send_chunk(
        &self,
        chat_id: &mut i64,
        chunk: &Chunk<'_>,
        patience: Patience,
    ) -> Result<i32, ChunkError> {
        let mut failures = 0u32;
        loop {
            let counted = self.limits.acquire(*chat_id).await;
            let answer = self.request(*chat_id, chunk).await;
            self.limits.settle(*chat_id, counted, Instant::now());
            let error = match answer {
                Ok(message) => {
                    telemetry::reached(domain::Platform::Telegram);
                    return Ok(message.id.0);
                }
                Err(error) => error,
            };
            match error {
                RequestError::RetryAfter(wait) => {
                    telemetry::rate_limited(domain::Platform::Telegram);
                    log::warn!(
                        "chat {chat_id}: Telegram asked to wait {} s",
                        wait.seconds()
                    );
                    self.limits.too_many_requests(*chat_id, wait.duration());
                }
                RequestError::MigrateToChatId(new) => {
                    log::info!(
                        "chat {chat_id} became supergroup {}; moving its state",
                        new.0
                    );
                    if let Err(e) = self
                        .engine
                        .chat_moved(
                            domain::ChatId::telegram(*chat_id),
                            domain::ChatId::telegram(new.0),
                            self.clock.now(),
                        )
                        .await
                    {
                        log::error!("chat {chat_id}: could not move its state to {}: {e}", new.0);
                    }
                    *chat_id = new.0;
                }
                RequestError::Api(ref api)
                    if chunk.photo.is_some() && photo::forbids_photos(api) =>
                {
                    self.no_photos.note(*chat_id, api);
                    return Err(ChunkError::NoPhotos);
                }
                RequestError::Api(ref api) if chat_is_gone(api) => {
                    log::warn!("chat {chat_id}: {api}; marking it inactive");
                    if let Err(e) = self
                        .engine
                        .chat_gone(domain::ChatId::telegram(*chat_id), self.clock.now())
                        .await
                    {
                        log::error!("chat {chat_id}: could not mark it inactive: {e}");
                    }
                    return Err(ChunkError::Gone);
                }
                ref e if is_transient(e) => {
                    if failures >= patience.max_retries() {
                        log::error!(
                            "chat {chat_id}: {e}; giving up for now after {failures} retries"
                        );
                        return Err(ChunkError::Unsent);
                    }
                    failures += 1;
                    let wait = jittered(backoff(failures));
                    log::warn!("chat {chat_id}: {e}; retry {failures} in {wait:?}");
                    tokio::time::sleep(wait).await;
                }
                e => {
                    log::error!("chat {chat_id}: Telegram refused a message: {e}");
                    return Err(ChunkError::Failed);
                }
            }
        }
    }

    async fn request(&self, chat_id: i64, chunk: &Chunk<'_>) -> Result<Message, RequestError> {
        if let Some(photo) = chunk.photo {
            return photo::send(&self.bot, chat_id, photo, chunk).await;
        }
        let mut request = self
            .bot
            .send_message(ChatId(chat_id), chunk.text)
            .parse_mode(ParseMode::Html)
            // Links in answers are references, not the point: no previews.
            .link_preview_options(NO_PREVIEW);
        if let Some(thread) = chunk.thread_id {
            request = request.message_thread_id(ThreadId(MessageId(thread)));
        }
        if let Some(reply_to) = chunk.reply_to {
            request = request.reply_parameters(
                ReplyParameters::new(MessageId(reply_to)).allow_sending_without_reply(),
            );
        }
        if let Some(keyboard) = chunk.keyboard {
            request = request.reply_markup(keyboard.clone());
        } else if chunk.force_reply {
            // Selective: only the person mentioned gets the reply field.
            request = request.reply_markup(ForceReply::new().selective());
        }
        request.await
    }
}

const NO_PREVIEW: LinkPreviewOptions = LinkPreviewOptions {
    is_disabled: true,
    url: None,
    prefer_small_media: false,
    prefer_large_media: false,
    show_above_text: false,
};

/// The post's buttons as an inline keyboard, one button a row, except
/// that rating buttons (Again … Easy) share one row. Choice buttons are
/// left out: Telegram shows the choices as a quiz poll.
fn keyboard(post: &Post) -> Option<InlineKeyboardMarkup> {
    let buttons = post
        .buttons
        .iter()
        .filter(|b| !matches!(b.action, Action::Choose { .. }));
    let mut rows: Vec<Vec<InlineKeyboardButton>> = Vec::new();
    let mut last_was_rating = false;
    for b in buttons {
        let key = InlineKeyboardButton::callback(b.label.clone(), button::encode(&b.action));
        let is_rating = matches!(b.action, Action::Rate { .. });
        match rows.last_mut() {
            Some(row) if is_rating && last_was_rating => row.push(key),
            _ => rows.push(vec![key]),
        }
        last_was_rating = is_rating;
    }
    (!rows.is_empty()).then(|| InlineKeyboardMarkup::new(rows))
}

/// A report prompt opens with a mention of the person asked, so that a
/// selective ForceReply opens the reply field for them alone.
fn mention(post: &Post) -> Option<String> {
    let PostKind::ReportPrompt { person_id, .. } = &post.kind else {
        return None;
    };
    Some(format!("<a href=\"tg://user?id={person_id}\">👤</a> "))
}

/// Telegram will not let the bot post here again (until it is re-added).
fn chat_is_gone(error: &ApiError) -> bool {
    match error {
        ApiError::Unknown(description) => description.starts_with("Forbidden:"),
        ApiError::ChatNotFound => true,
        other => other.to_string().starts_with("Forbidden:"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_of_any_kind_means_gone() {
        assert!(chat_is_gone(&ApiError::Unknown(
            "Forbidden: bot was kicked from the group chat".into()
        )));
        assert!(chat_is_gone(&ApiError::BotBlocked));
        assert!(!chat_is_gone(&ApiError::Unknown(
            "Bad Request: can't parse entities".into()
        )));
    }
}
