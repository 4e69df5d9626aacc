//! A post's picture on Telegram: one `sendPhoto` whose caption is the post's
//! first part (Telegram holds a caption to 1024 characters), the rest as
//! ordinary messages after it (see `send`). The picture arrives with its text.
//!
//! A chat may forbid the bot photos (a group that restricts media):
//! Telegram answers "not enough rights to send photos to the chat". That is
//! not a gone chat; the same post goes out as text, and the operator hears of
//! it once per chat while the process runs, not on every post.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};

use teloxide::ApiError;
use teloxide::RequestError;
use teloxide::payloads::SendPhotoSetters;
use teloxide::prelude::*;
use teloxide::types::{ForceReply, InputFile, MessageId, ParseMode, ReplyParameters, ThreadId};

use super::send::Chunk;
use crate::post::{Image, Post};

/// The file name Telegram shows for a post's chart.
const PICTURE_FILE_NAME: &str = "stats.png";

/// Where a photo comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhotoSource {
    /// Image bytes uploaded with the message (the engine's PNG charts).
    Upload { bytes: Arc<[u8]>, file_name: String },
    /// A file on disk (a question's `image:`), read as it is uploaded.
    File(std::path::PathBuf),
    /// An http(s) URL Telegram fetches itself (5 MB at most for photos).
    Url(url::Url),
}

impl PhotoSource {
    /// The post's picture, if it has one: a chart the engine drew, a
    /// question's image file (read by teloxide as it uploads; a file gone
    /// since the bank checked it is logged, and the text goes alone) or its
    /// https address.
    pub fn of(post: &Post) -> Option<PhotoSource> {
        Some(match &post.picture.as_ref()?.image {
            Image::Png { bytes, .. } => PhotoSource::Upload {
                bytes: Arc::clone(bytes),
                file_name: PICTURE_FILE_NAME.to_string(),
            },
            Image::File(path) if path.is_file() => PhotoSource::File(path.clone()),
            Image::File(path) => {
                log::warn!(
                    "image {} is gone; the question goes without it",
                    path.display()
                );
                return None;
            }
            Image::Url(url) => PhotoSource::Url(url::Url::parse(url).ok()?),
        })
    }

    fn input_file(&self) -> InputFile {
        match self {
            PhotoSource::Upload { bytes, file_name } => {
                InputFile::memory(bytes.to_vec()).file_name(file_name.clone())
            }
            PhotoSource::File(path) => InputFile::file(path.clone()),
            PhotoSource::Url(url) => InputFile::url(url.clone()),
        }
    }
}

/// One `sendPhoto` with `chunk`'s text as the caption and its topic, reply
/// target and buttons.
pub(super) async fn send(
    bot: &Bot,
    chat_id: i64,
    photo: &PhotoSource,
    chunk: &Chunk<'_>,
) -> Result<Message, RequestError> {
    let mut request = bot
        .send_photo(ChatId(chat_id), photo.input_file())
        .caption(chunk.text)
        .parse_mode(ParseMode::Html);
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
        request = request.reply_markup(ForceReply::new().selective());
    }
    request.await
}

/// Telegram refused the photo because this chat allows the bot no photos
/// (or no media at all); text still goes through.
pub(super) fn forbids_photos(error: &ApiError) -> bool {
    let description = error.to_string();
    let description = match error {
        ApiError::Unknown(text) => text.as_str(),
        _ => description.as_str(),
    };
    [
        "not enough rights to send photos",
        "not enough rights to send media",
        "CHAT_SEND_PHOTOS_FORBIDDEN",
        "CHAT_SEND_MEDIA_FORBIDDEN",
    ]
    .iter()
    .any(|needle| description.contains(needle))
}

/// The chats that refused the bot photos in this process, so each is logged
/// once.
#[derive(Debug, Default)]
pub(super) struct NoPhotoChats(Mutex<HashSet<i64>>);

impl NoPhotoChats {
    /// Notes that `chat_id` refused a photo; logs it (and answers true) the
    /// first time only.
    pub(super) fn note(&self, chat_id: i64, error: &ApiError) -> bool {
        let first = self
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(chat_id);
        if first {
            log::warn!(
                "chat {chat_id}: {error}; sending its pictures' posts as text only \
                 (said once per chat)"
            );
        }
        first
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photo_refusals_are_told_from_gone_chats() {
        let refused = |text: &str| forbids_photos(&ApiError::Unknown(text.into()));
        assert!(refused(
            "Bad Request: not enough rights to send photos to the chat"
        ));
        assert!(refused("Bad Request: CHAT_SEND_PHOTOS_FORBIDDEN"));
        assert!(refused("Forbidden: CHAT_SEND_MEDIA_FORBIDDEN"));
        assert!(!refused("Forbidden: bot was kicked from the group chat"));
        assert!(!refused("Bad Request: message caption is too long"));
    }

    #[test]
    fn a_chat_without_photos_is_logged_once() {
        let chats = NoPhotoChats::default();
        let error = ApiError::Unknown("Bad Request: not enough rights to send photos".into());
        assert!(chats.note(-5, &error));
        assert!(!chats.note(-5, &error));
        assert!(chats.note(-6, &error));
    }
}
