//! `sendPhoto` (Bot API): a picture, uploaded as a multipart file part (the part named `photo`,
//! or `attach://<name>` naming another part), or given as an http(s) URL or the `file_id` of a
//! photo sent before, with an optional caption of at most 1024 characters after entity parsing.
//! Checked like Telegram before anything is stored: the chat's right to photos, the image
//! (`crate::image`), the caption's HTML, buttons, topic, reply target and the rate limits
//! (a photo counts as a message).

use serde_json::Value;

use super::Ctx;
use super::markup::check_reply_markup;
use super::messages::{admit, bot_message, reply_target, thread_param};
use crate::chats::Content;
use crate::image::{ImageSize, check_photo};
use crate::json;
use crate::multipart::FilePart;
use crate::records::{PhotoSource, SentPhoto};
use crate::reply::Failure;

/// Telegram's limit on a caption, in code points after entity parsing.
const MAX_CAPTION_CHARS: usize = 1024;

const NO_PHOTO: &str = "there is no photo in the request";
const WRONG_FILE: &str = "wrong file identifier/HTTP URL specified";

/// The photo of a request, once found.
struct Photo {
    source: PhotoSource,
    bytes: Vec<u8>,
    /// `None` for a URL (the fake cannot fetch it).
    size: Option<ImageSize>,
    /// The `file_id` of a photo sent again.
    known_id: Option<String>,
}

pub(super) fn send_photo(ctx: &mut Ctx) -> Result<Value, Failure> {
    let chat_id = ctx.chat_id()?;
    let photo = photo(ctx)?;
    let caption = ctx.optional_str("caption")?.filter(|c| !c.is_empty());
    let parse_mode = ctx.optional_str("parse_mode")?;
    if let Some(caption) = caption {
        check_caption(caption, parse_mode)?;
    }
    let reply_markup = ctx.optional_object("reply_markup")?;
    if let Some(markup) = &reply_markup {
        check_reply_markup(markup, false)?;
    }
    let explicit_thread = thread_param(ctx, chat_id)?;
    let reply = reply_target(ctx, chat_id)?;
    let thread_id = explicit_thread.or_else(|| reply.as_ref().and_then(|r| r.thread_id));
    if !ctx.inner.chats.get(chat_id).spec.can_send_photos {
        return Err(Failure::denied(
            "not enough rights to send photos to the chat",
        ));
    }
    admit(ctx, chat_id)?;

    let file_id = photo
        .known_id
        .clone()
        .unwrap_or_else(|| format!("fake-photo-{}", ctx.inner.photo_files.len() + 1));
    ctx.inner.photo_files.insert(file_id.clone(), photo.size);
    let (width, height) = photo.size.map_or((0, 0), |s| (s.width, s.height));
    let bot = ctx.bot();
    let chat = ctx.inner.chats.get(chat_id);
    let content = Content::Photo {
        file_id: file_id.clone(),
        width,
        height,
        size: photo.bytes.len(),
        caption: caption.map(str::to_string),
        parse_mode: parse_mode.map(str::to_string),
    };
    let stored = bot_message(
        (chat.next_id(), ctx.unix, thread_id),
        content,
        reply_markup.as_ref(),
        reply.as_ref(),
    );
    let message = json::message(chat, &stored, &bot);
    chat.messages.insert(stored.message_id, stored.clone());
    let shown = caption.map(|c| json::caption_shown(c, parse_mode));
    let disable_notification = ctx.flag("disable_notification");
    ctx.inner.journal.photos.push(SentPhoto {
        chat_id,
        message_id: stored.message_id,
        thread_id,
        source: photo.source,
        bytes: photo.bytes,
        width,
        height,
        file_id,
        caption: caption.map(str::to_string),
        parse_mode: parse_mode.map(str::to_string),
        caption_text: shown.as_ref().map(|(text, _)| text.clone()),
        caption_entities: shown.map_or(Value::Array(Vec::new()), |(_, entities)| entities),
        reply_to: reply.map(|r| r.message_id),
        reply_markup,
        disable_notification,
        at: ctx.now,
    });
    Ok(message)
}

/// The `photo` parameter: a file part, `attach://<part>`, an http(s) URL or a known file_id.
fn photo(ctx: &Ctx) -> Result<Photo, Failure> {
    if let Some(file) = ctx.files.iter().find(|f| f.name == "photo") {
        return uploaded(file);
    }
    let value = ctx
        .optional_str("photo")?
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| Failure::bad_request(NO_PHOTO))?;
    if let Some(part) = value.strip_prefix("attach://") {
        let file = ctx.files.iter().find(|f| f.name == part);
        return file.map_or_else(|| Err(Failure::bad_request(NO_PHOTO)), uploaded);
    }
    if is_http_url(value) {
        return Ok(Photo {
            source: PhotoSource::Url(value.to_string()),
            bytes: Vec::new(),
            size: None,
            known_id: None,
        });
    }
    match ctx.inner.photo_files.get(value) {
        Some(size) => Ok(Photo {
            source: PhotoSource::FileId(value.to_string()),
            bytes: Vec::new(),
            size: *size,
            known_id: Some(value.to_string()),
        }),
        None => Err(Failure::bad_request(WRONG_FILE)),
    }
}

fn uploaded(file: &FilePart) -> Result<Photo, Failure> {
    let size = check_photo(&file.bytes)?;
    Ok(Photo {
        source: PhotoSource::Upload {
            part: file.name.clone(),
            filename: file.filename.clone(),
            content_type: file.content_type.clone(),
            size: file.bytes.len(),
        },
        bytes: file.bytes.clone(),
        size: Some(size),
        known_id: None,
    })
}

/// `http://host…` or `https://host…` with a non-empty host.
fn is_http_url(value: &str) -> bool {
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && !host.contains(char::is_whitespace)
    })
}

/// A caption under `parse_mode`: HTML as strict as a message text, at most 1024 characters.
fn check_caption(caption: &str, parse_mode: Option<&str>) -> Result<(), Failure> {
    let length = match parse_mode {
        None => caption.chars().count(),
        Some(mode) if mode.eq_ignore_ascii_case("html") => {
            crate::html::validate(caption).map_err(|err| Failure::bad_request(err.message))?
        }
        Some(mode)
            if mode.eq_ignore_ascii_case("markdownv2") || mode.eq_ignore_ascii_case("markdown") =>
        {
            caption.chars().count()
        }
        Some(_) => return Err(Failure::bad_request("unsupported parse_mode")),
    };
    if length > MAX_CAPTION_CHARS {
        return Err(Failure::bad_request("message caption is too long"));
    }
    Ok(())
}
