//! `answerCallbackQuery`: a query may be answered once, only if it was pushed to the bot, with
//! a text of at most 200 characters.

use serde_json::{Value, json};

use super::Ctx;
use crate::records::CallbackAnswer;
use crate::reply::Failure;

const MAX_ANSWER_CHARS: usize = 200;
const INVALID_QUERY: &str = "query is too old and response timeout expired or query ID is invalid";

pub(super) fn answer_callback_query(ctx: &mut Ctx) -> Result<Value, Failure> {
    let id = ctx.required_str("callback_query_id")?;
    let text = ctx.optional_str("text")?;
    let url = ctx.optional_str("url")?.map(str::to_string);
    if text.is_some_and(|t| t.chars().count() > MAX_ANSWER_CHARS) {
        return Err(Failure::bad_request("MESSAGE_TOO_LONG"));
    }
    match ctx.inner.callbacks.answered.get_mut(id) {
        Some(answered @ false) => *answered = true,
        _ => return Err(Failure::bad_request(INVALID_QUERY)),
    }
    let answer = CallbackAnswer {
        callback_query_id: id.to_string(),
        text: text.map(str::to_string),
        show_alert: ctx.flag("show_alert"),
        url,
        at: ctx.now,
    };
    ctx.inner.journal.callback_answers.push(answer);
    Ok(json!(true))
}
