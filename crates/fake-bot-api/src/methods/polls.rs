//! `sendPoll` and `stopPoll`. A poll is checked against Telegram's limits (see
//! `crate::polls`) before anything is stored; `stopPoll` works only on the bot's own open poll
//! in that chat and answers the closed `Poll`.

use serde_json::Value;

use super::Ctx;
use super::messages::{admit, bot_message, reply_target, thread_param};
use crate::chats::{Content, Sender};
use crate::json;
use crate::polls::{self, NewPoll, PollState};
use crate::reply::Failure;

pub(super) fn send_poll(ctx: &mut Ctx) -> Result<Value, Failure> {
    let chat_id = ctx.chat_id()?;
    let question = ctx.required_str("question")?;
    let options = options(ctx)?;
    let quiz = match ctx.optional_str("type")? {
        None | Some("regular") => false,
        Some("quiz") => true,
        Some(_) => return Err(Failure::bad_request("wrong poll type specified")),
    };
    // Polls are anonymous unless `is_anonymous` is false.
    let is_anonymous = ctx
        .body
        .get("is_anonymous")
        .is_none_or(|v| !matches!(v, Value::Bool(false)) && v.as_str() != Some("false"));
    let new = NewPoll {
        question,
        options,
        quiz,
        correct_option_id: ctx.optional_i64("correct_option_id")?,
        explanation: ctx.optional_str("explanation")?,
        is_anonymous,
        in_channel: ctx.inner.chats.get(chat_id).spec.is_channel(),
    };
    polls::check(&new)?;
    let explicit_thread = thread_param(ctx, chat_id)?;
    let reply = reply_target(ctx, chat_id)?;
    let thread_id = explicit_thread.or_else(|| reply.as_ref().and_then(|r| r.thread_id));
    admit(ctx, chat_id)?;

    let bot = ctx.bot();
    let poll_id = format!(
        "{}",
        5_377_643_193_141_559_000u64 + ctx.inner.polls.len() as u64
    );
    let chat = ctx.inner.chats.get(chat_id);
    let message_id = chat.next_id();
    let poll = PollState {
        id: poll_id.clone(),
        chat_id,
        message_id,
        question: new.question.to_string(),
        options: new.options,
        quiz,
        correct_option_id: new.correct_option_id.and_then(|c| u8::try_from(c).ok()),
        explanation: new.explanation.map(str::to_string),
        is_anonymous,
        is_closed: false,
        votes: Default::default(),
    };
    let stored = bot_message(
        (message_id, ctx.unix, thread_id),
        Content::Poll(poll),
        None,
        reply.as_ref(),
    );
    let message = json::message(chat, &stored, &bot);
    chat.messages.insert(message_id, stored);
    ctx.inner.polls.insert(poll_id, (chat_id, message_id));
    Ok(message)
}

/// `options`: a list of strings or of `InputPollOption` objects (`{"text": …}`).
fn options(ctx: &Ctx) -> Result<Vec<String>, Failure> {
    let list = match ctx.optional_object("options")? {
        Some(Value::Array(list)) => list,
        Some(_) => return Err(Failure::bad_request("can't parse options JSON object")),
        None => return Err(Failure::bad_request("options is empty")),
    };
    list.iter()
        .map(|o| match o {
            Value::String(text) => Ok(text.clone()),
            Value::Object(map) => match map.get("text") {
                Some(Value::String(text)) => Ok(text.clone()),
                _ => Err(Failure::bad_request("poll options must be non-empty")),
            },
            _ => Err(Failure::bad_request("can't parse options JSON object")),
        })
        .collect()
}

pub(super) fn stop_poll(ctx: &mut Ctx) -> Result<Value, Failure> {
    let chat_id = ctx.chat_id()?;
    let message_id = ctx.required_i64("message_id")?;
    let chat = ctx.inner.chats.get(chat_id);
    let stored = i32::try_from(message_id)
        .ok()
        .and_then(|id| chat.messages.get_mut(&id))
        .ok_or_else(|| Failure::bad_request("message to stop poll not found"))?;
    if stored.sender != Sender::Bot {
        return Err(Failure::bad_request("message can't be edited"));
    }
    let Content::Poll(poll) = &mut stored.content else {
        return Err(Failure::bad_request("message with poll to stop not found"));
    };
    if poll.is_closed {
        return Err(Failure::bad_request("poll has already been closed"));
    }
    poll.is_closed = true;
    Ok(poll.json())
}
