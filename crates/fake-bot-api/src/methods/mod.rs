//! The Bot API methods the fake implements, one family per submodule. A method name is matched
//! case-insensitively (teloxide sends `SendMessage`); anything else answers 404 "Not Found",
//! as Telegram does for a method it does not know. Handlers run under the state lock with the
//! request's JSON body in a [`Ctx`] and return a result or a [`Failure`].

mod bot;
mod callbacks;
mod chat_info;
mod markup;
mod messages;
mod params;
mod photos;
mod pins;
mod polls;
pub(crate) mod updates;
mod webhook;

use std::time::Instant;

use serde_json::Value;

use crate::config::Config;
use crate::multipart::FilePart;
use crate::reply::Failure;
use crate::state::Inner;

pub(crate) use params::{Ctx, unix_now};

/// Every method the fake answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    GetMe,
    GetWebhookInfo,
    SetWebhook,
    DeleteWebhook,
    GetUpdates,
    SendMessage,
    SendPhoto,
    SendPoll,
    StopPoll,
    EditMessageText,
    EditMessageReplyMarkup,
    DeleteMessage,
    SendChatAction,
    AnswerCallbackQuery,
    SetMyCommands,
    GetMyCommands,
    DeleteMyCommands,
    GetChat,
    GetChatMember,
    GetChatAdministrators,
    PinChatMessage,
    UnpinChatMessage,
}

impl Method {
    /// The method for a lowercase name.
    pub fn from_name(lowercase: &str) -> Option<Method> {
        Some(match lowercase {
            "getme" => Method::GetMe,
            "getwebhookinfo" => Method::GetWebhookInfo,
            "setwebhook" => Method::SetWebhook,
            "deletewebhook" => Method::DeleteWebhook,
            "getupdates" => Method::GetUpdates,
            "sendmessage" => Method::SendMessage,
            "sendphoto" => Method::SendPhoto,
            "sendpoll" => Method::SendPoll,
            "stoppoll" => Method::StopPoll,
            "editmessagetext" => Method::EditMessageText,
            "editmessagereplymarkup" => Method::EditMessageReplyMarkup,
            "deletemessage" => Method::DeleteMessage,
            "sendchataction" => Method::SendChatAction,
            "answercallbackquery" => Method::AnswerCallbackQuery,
            "setmycommands" => Method::SetMyCommands,
            "getmycommands" => Method::GetMyCommands,
            "deletemycommands" => Method::DeleteMyCommands,
            "getchat" => Method::GetChat,
            "getchatmember" => Method::GetChatMember,
            "getchatadministrators" => Method::GetChatAdministrators,
            "pinchatmessage" => Method::PinChatMessage,
            "unpinchatmessage" => Method::UnpinChatMessage,
            _ => return None,
        })
    }
}

/// Runs a synchronous method (everything but `getUpdates`, which waits).
pub(crate) fn call(
    method: Method,
    inner: &mut Inner,
    config: &Config,
    (body, files): (&Value, &[FilePart]),
    now: Instant,
) -> Result<Value, Failure> {
    let mut ctx = Ctx::new(inner, config, (body, files), now);
    match method {
        Method::GetMe => Ok(crate::json::me(config)),
        Method::GetWebhookInfo => webhook::get_webhook_info(&mut ctx),
        Method::SetWebhook => webhook::set_webhook(&mut ctx),
        Method::DeleteWebhook => webhook::delete_webhook(&mut ctx),
        // Served asynchronously by `updates::get_updates` (it waits); never routed here.
        Method::GetUpdates => Err(Failure::not_found()),
        Method::SendMessage => messages::send_message(&mut ctx),
        Method::SendPhoto => photos::send_photo(&mut ctx),
        Method::SendPoll => polls::send_poll(&mut ctx),
        Method::StopPoll => polls::stop_poll(&mut ctx),
        Method::EditMessageText => messages::edit_message_text(&mut ctx),
        Method::EditMessageReplyMarkup => messages::edit_message_reply_markup(&mut ctx),
        Method::DeleteMessage => messages::delete_message(&mut ctx),
        Method::SendChatAction => messages::send_chat_action(&mut ctx),
        Method::AnswerCallbackQuery => callbacks::answer_callback_query(&mut ctx),
        Method::SetMyCommands => bot::set_my_commands(&mut ctx),
        Method::GetMyCommands => bot::get_my_commands(&mut ctx),
        Method::DeleteMyCommands => bot::delete_my_commands(&mut ctx),
        Method::GetChat => chat_info::get_chat(&mut ctx),
        Method::GetChatMember => chat_info::get_chat_member(&mut ctx),
        Method::GetChatAdministrators => chat_info::get_chat_administrators(&mut ctx),
        Method::PinChatMessage => pins::pin_chat_message(&mut ctx),
        Method::UnpinChatMessage => pins::unpin_chat_message(&mut ctx),
    }
}
