//! `pinChatMessage` and `unpinChatMessage`, with Telegram's rights: "In private chats and
//! channel direct messages chats, all non-service messages can be pinned. Conversely, the bot
//! must be an administrator with the 'can_pin_messages' right or the 'can_edit_messages' right
//! to pin messages in groups and channels respectively" (Bot API, pinChatMessage; the same for
//! unpinChatMessage). The message must exist in that chat. Grant or revoke the right with
//! [`crate::FakeBotApi::set_pin_right`] (or `POST /_fake/pin_right`).

use serde_json::{Value, json};

use super::Ctx;
use crate::reply::Failure;

/// Telegram's answer when the bot lacks the right (teloxide: `NotEnoughRightsToManagePins`).
pub(crate) const NO_RIGHT: &str = "not enough rights to manage pinned messages in the chat";

pub(super) fn pin_chat_message(ctx: &mut Ctx) -> Result<Value, Failure> {
    let chat_id = ctx.chat_id()?;
    let message_id = ctx.required_i64("message_id")?;
    ctx.optional_str("business_connection_id")?;
    let chat = ctx.inner.chats.get(chat_id);
    if !chat.spec.is_private() && !chat.bot_may_pin {
        return Err(Failure::bad_request(NO_RIGHT));
    }
    let id = i32::try_from(message_id)
        .ok()
        .filter(|id| chat.messages.contains_key(id))
        .ok_or_else(|| Failure::bad_request("message to pin not found"))?;
    // Pinning a pinned message brings it to the top.
    chat.pinned.retain(|&m| m != id);
    chat.pinned.push(id);
    Ok(json!(true))
}

pub(super) fn unpin_chat_message(ctx: &mut Ctx) -> Result<Value, Failure> {
    let chat_id = ctx.chat_id()?;
    let message_id = ctx.optional_i64("message_id")?;
    let chat = ctx.inner.chats.get(chat_id);
    if !chat.spec.is_private() && !chat.bot_may_pin {
        return Err(Failure::bad_request(NO_RIGHT));
    }
    // Without `message_id`, the most recent pin goes.
    let target = match message_id {
        Some(id) => i32::try_from(id).ok().filter(|id| chat.pinned.contains(id)),
        None => chat.pinned.last().copied(),
    };
    let id = target.ok_or_else(|| Failure::bad_request("message to unpin not found"))?;
    chat.pinned.retain(|&m| m != id);
    Ok(json!(true))
}
