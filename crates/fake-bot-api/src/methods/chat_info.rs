//! Questions about chats: `getChat`, `getChatMember` (status from the configured owner and
//! administrators; everyone else is a plain member) and `getChatAdministrators`.

use serde_json::Value;

use super::Ctx;
use crate::chats::Status;
use crate::json;
use crate::reply::Failure;

pub(super) fn get_chat(ctx: &mut Ctx) -> Result<Value, Failure> {
    let chat_id = ctx.chat_id()?;
    Ok(json::chat_full_info(&ctx.inner.chats.get(chat_id).spec))
}

pub(super) fn get_chat_member(ctx: &mut Ctx) -> Result<Value, Failure> {
    let chat_id = ctx.chat_id()?;
    let user_id = ctx.required_i64("user_id")?;
    let bot = ctx.bot();
    let member = if user_id == bot.id {
        bot
    } else {
        ctx.inner.chats.user(user_id)
    };
    let status = ctx.inner.chats.status(chat_id, user_id);
    Ok(json::chat_member(&member, status))
}

pub(super) fn get_chat_administrators(ctx: &mut Ctx) -> Result<Value, Failure> {
    let chat_id = ctx.chat_id()?;
    let chat = ctx.inner.chats.get(chat_id);
    if chat.spec.is_private() {
        return Err(Failure::bad_request(
            "there are no administrators in the private chat",
        ));
    }
    let owner = chat.owner.map(|id| (id, Status::Creator));
    let admins = chat.admins.iter().map(|&id| (id, Status::Administrator));
    let listed: Vec<(i64, Status)> = owner.into_iter().chain(admins).collect();
    let members = listed
        .into_iter()
        .map(|(id, status)| json::chat_member(&ctx.inner.chats.user(id), status))
        .collect();
    Ok(Value::Array(members))
}
