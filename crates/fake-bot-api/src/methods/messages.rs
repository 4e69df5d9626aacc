//! Sending and changing messages: `sendMessage`, `editMessageText`, `editMessageReplyMarkup`,
//! `deleteMessage`, `sendChatAction`. Each validates like Telegram (text, markup, forum topic,
//! reply target, rate limits) before anything is stored, so a refused request changes nothing.

use serde_json::{Value, json};

use super::Ctx;
use super::markup::{check_reply_markup, check_text};
use super::params::{flag, integer};
use crate::chats::{Content, Sender, Stored};
use crate::json;
use crate::records::{Outcome, SentMessage};
use crate::reply::Failure;

const NOT_MODIFIED: &str = "message is not modified: specified new message content and reply \
                            markup are exactly the same as a current content and reply markup \
                            of the message";

const CHAT_ACTIONS: &[&str] = &[
    "typing",
    "upload_photo",
    "record_video",
    "upload_video",
    "record_voice",
    "upload_voice",
    "upload_document",
    "choose_sticker",
    "find_location",
    "record_video_note",
    "upload_video_note",
];

/// What a message replies to, once checked.
/// A message the bot sends, as stored: `(message id, date, topic)`, its
/// content, its keyboard if `markup` is an inline one, and its reply
/// target when that is in the same chat.
pub(super) fn bot_message(
    (message_id, date, thread_id): (i32, i64, Option<i32>),
    content: Content,
    markup: Option<&Value>,
    reply: Option<&ReplyTarget>,
) -> Stored {
    Stored {
        message_id,
        date,
        thread_id,
        sender: Sender::Bot,
        content,
        reply_markup: markup
            .filter(|m| m.get("inline_keyboard").is_some())
            .cloned(),
        reply_to: reply.filter(|r| r.same_chat).map(|r| r.message_id),
        edit_date: None,
        edits: 0,
    }
}

pub(super) struct ReplyTarget {
    pub message_id: i32,
    /// The replied message is in this chat (it can be referenced by `reply_to_message`).
    pub same_chat: bool,
    pub thread_id: Option<i32>,
}

pub(super) fn send_message(ctx: &mut Ctx) -> Result<Value, Failure> {
    let chat_id = ctx.chat_id()?;
    let text = message_text(ctx)?;
    let parse_mode = ctx.optional_str("parse_mode")?;
    check_text(text, parse_mode)?;
    let reply_markup = ctx.optional_object("reply_markup")?;
    if let Some(markup) = &reply_markup {
        check_reply_markup(markup, false)?;
    }
    let explicit_thread = thread_param(ctx, chat_id)?;
    let reply = reply_target(ctx, chat_id)?;
    let thread_id = explicit_thread.or_else(|| reply.as_ref().and_then(|r| r.thread_id));
    admit(ctx, chat_id)?;

    let bot = ctx.bot();
    let chat = ctx.inner.chats.get(chat_id);
    let content = Content::Text {
        text: text.to_string(),
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
    ctx.inner.journal.sent.push(SentMessage {
        chat_id,
        message_id: stored.message_id,
        thread_id,
        text: text.to_string(),
        parse_mode: parse_mode.map(str::to_string),
        reply_to: reply.map(|r| r.message_id),
        reply_markup,
        at: ctx.now,
    });
    Ok(message)
}

pub(super) fn edit_message_text(ctx: &mut Ctx) -> Result<Value, Failure> {
    let (chat_id, message_id) = edit_target(ctx)?;
    let current = &ctx.inner.chats.get(chat_id).messages[&message_id].content;
    if !matches!(current, Content::Text { .. }) {
        // A photo's caption is changed with editMessageCaption, not here.
        return Err(Failure::bad_request(
            "there is no text in the message to edit",
        ));
    }
    let text = message_text(ctx)?;
    let parse_mode = ctx.optional_str("parse_mode")?;
    check_text(text, parse_mode)?;
    let reply_markup = inline_markup(ctx)?;
    let content = Content::Text {
        text: text.to_string(),
        parse_mode: parse_mode.map(str::to_string),
    };
    let current = &ctx.inner.chats.get(chat_id).messages[&message_id];
    if current.content == content && current.reply_markup == reply_markup {
        return Err(Failure::bad_request(NOT_MODIFIED));
    }
    admit(ctx, chat_id)?;
    apply_edit(ctx, chat_id, message_id, Some(content), reply_markup)
}

pub(super) fn edit_message_reply_markup(ctx: &mut Ctx) -> Result<Value, Failure> {
    let (chat_id, message_id) = edit_target(ctx)?;
    let reply_markup = inline_markup(ctx)?;
    if ctx.inner.chats.get(chat_id).messages[&message_id].reply_markup == reply_markup {
        return Err(Failure::bad_request(NOT_MODIFIED));
    }
    apply_edit(ctx, chat_id, message_id, None, reply_markup)
}

pub(super) fn delete_message(ctx: &mut Ctx) -> Result<Value, Failure> {
    let chat_id = ctx.chat_id()?;
    let message_id = ctx.required_i64("message_id")?;
    let chat = ctx.inner.chats.get(chat_id);
    let removed = i32::try_from(message_id)
        .ok()
        .and_then(|id| chat.messages.remove(&id));
    match removed {
        Some(_) => Ok(json!(true)),
        None => Err(Failure::bad_request("message to delete not found")),
    }
}

pub(super) fn send_chat_action(ctx: &mut Ctx) -> Result<Value, Failure> {
    let chat_id = ctx.chat_id()?;
    let action = ctx.required_str("action")?;
    if !CHAT_ACTIONS.contains(&action) {
        return Err(Failure::bad_request("wrong parameter action in request"));
    }
    thread_param(ctx, chat_id)?;
    Ok(json!(true))
}

fn message_text<'a>(ctx: &Ctx<'a>) -> Result<&'a str, Failure> {
    ctx.required_str("text")
        .map_err(|_| Failure::bad_request("message text is empty"))
}

/// `message_thread_id`, which must name a known topic of a forum supergroup.
pub(super) fn thread_param(ctx: &mut Ctx, chat_id: i64) -> Result<Option<i32>, Failure> {
    let Some(thread) = ctx.optional_i64("message_thread_id")? else {
        return Ok(None);
    };
    let chat = ctx.inner.chats.get(chat_id);
    let known = i32::try_from(thread)
        .ok()
        .filter(|t| chat.spec.is_forum() && chat.topics.contains(t));
    known
        .map(Some)
        .ok_or_else(|| Failure::bad_request("message thread not found"))
}

/// `reply_parameters` (or legacy `reply_to_message_id`): the message must exist unless
/// `allow_sending_without_reply` is set, in which case a missing one is ignored.
pub(super) fn reply_target(ctx: &mut Ctx, chat_id: i64) -> Result<Option<ReplyTarget>, Failure> {
    let parameters = ctx.optional_object("reply_parameters")?;
    let (message_id, reply_chat, allow_missing) = match &parameters {
        Some(p) => {
            let message_id = p
                .get("message_id")
                .ok_or_else(|| Failure::bad_request("message_id is empty"))?;
            let reply_chat = match p.get("chat_id") {
                Some(value) => ctx.inner.chats.resolve(value)?,
                None => chat_id,
            };
            (
                integer(message_id, "message_id")?,
                reply_chat,
                flag(p.get("allow_sending_without_reply")),
            )
        }
        None => match ctx.optional_i64("reply_to_message_id")? {
            Some(id) => (id, chat_id, ctx.flag("allow_sending_without_reply")),
            None => return Ok(None),
        },
    };
    let replied = i32::try_from(message_id)
        .ok()
        .and_then(|id| ctx.inner.chats.get(reply_chat).messages.get(&id))
        .map(|m| ReplyTarget {
            message_id: m.message_id,
            same_chat: reply_chat == chat_id,
            thread_id: m.thread_id,
        });
    match replied {
        Some(target) => Ok(Some(target)),
        None if allow_missing => Ok(None),
        None => Err(Failure::bad_request("message to be replied not found")),
    }
}

/// The message an edit names: it must exist and be the bot's own.
fn edit_target(ctx: &mut Ctx) -> Result<(i64, i32), Failure> {
    if ctx.body.get("chat_id").is_none() && ctx.body.get("inline_message_id").is_some() {
        return Err(Failure::bad_request("MESSAGE_ID_INVALID"));
    }
    let chat_id = ctx.chat_id()?;
    let message_id = ctx.required_i64("message_id")?;
    let chat = ctx.inner.chats.get(chat_id);
    let stored = i32::try_from(message_id)
        .ok()
        .and_then(|id| chat.messages.get(&id))
        .ok_or_else(|| Failure::bad_request("message to edit not found"))?;
    if stored.sender != Sender::Bot {
        return Err(Failure::bad_request("message can't be edited"));
    }
    Ok((chat_id, stored.message_id))
}

/// The `reply_markup` of an edit: an inline keyboard, or none (which removes the keyboard).
fn inline_markup(ctx: &Ctx) -> Result<Option<Value>, Failure> {
    let markup = ctx.optional_object("reply_markup")?;
    if let Some(markup) = &markup {
        check_reply_markup(markup, true)?;
    }
    Ok(markup)
}

fn apply_edit(
    ctx: &mut Ctx,
    chat_id: i64,
    message_id: i32,
    content: Option<Content>,
    reply_markup: Option<Value>,
) -> Result<Value, Failure> {
    let (bot, unix) = (ctx.bot(), ctx.unix);
    let chat = ctx.inner.chats.get(chat_id);
    let mut stored = chat.messages[&message_id].clone();
    if let Some(content) = content {
        stored.content = content;
    }
    stored.reply_markup = reply_markup;
    stored.edit_date = Some(unix);
    stored.edits += 1;
    let message = json::message(chat, &stored, &bot);
    chat.messages.insert(message_id, stored);
    Ok(message)
}

/// Counts a message against the rate limits, when they are enforced.
pub(super) fn admit(ctx: &mut Ctx, chat_id: i64) -> Result<(), Failure> {
    if !ctx.inner.rate_limits {
        return Ok(());
    }
    let limits = ctx.config.limits;
    ctx.inner
        .limiter
        .admit(&limits, chat_id, ctx.now)
        .map_err(|seconds| Failure::retry_after(seconds, Outcome::RateLimited))
}
