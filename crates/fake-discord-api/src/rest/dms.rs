//! `POST /users/@me/channels` (Discord's Create DM): the DM channel between the bot and a user.
//! As on Discord, the same user gets the same channel every time ("if one already exists, it
//! will be returned instead"), opening a DM succeeds whether or not the user accepts DMs (that
//! shows only when a message is sent: 403 50007), and the recipient must be a real user.

use serde_json::Value;

use super::Handled;
use crate::error::ApiError;
use crate::state::Inner;

pub(super) fn create_dm(inner: &mut Inner, body: &Value) -> Handled {
    let recipient = match body.get("recipient_id") {
        None | Some(Value::Null) => {
            return Err(ApiError::invalid_field(
                "recipient_id",
                "BASE_TYPE_REQUIRED",
                "This field is required",
            ));
        }
        Some(value) => crate::json::snowflake(value).ok_or_else(|| {
            ApiError::invalid_field(
                "recipient_id",
                "NUMBER_TYPE_COERCE",
                &format!("Value \"{}\" is not snowflake.", shown(value)),
            )
        })?,
    };
    if !inner.world.users.contains_key(&recipient) {
        return Err(ApiError::invalid_recipients());
    }
    let dm = inner.world.dm_with(recipient);
    Ok((200, Some(crate::payloads::channel(&inner.world, dm))))
}

/// A JSON value as Discord quotes it in an error: a string without its quotes.
fn shown(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}
