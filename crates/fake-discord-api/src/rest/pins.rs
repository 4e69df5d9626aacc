//! Pinning: `PUT`/`DELETE /channels/{id}/messages/pins/{message}` (and the deprecated
//! `/channels/{id}/pins/{message}`, which Discord still serves). Discord's rules: the bot needs
//! Pin Messages in a server channel (Manage Messages alone no longer pins since February 23,
//! 2026; anyone may pin in a DM); the message must be a real (not ephemeral) message of that
//! channel; a channel holds at most `Config::max_pins` pins (250). Pinning a pinned message or
//! unpinning one that is not pinned changes nothing and succeeds.

use axum::http::Method;

use super::Handled;
use super::channels::refusal_error;
use crate::error::ApiError;
use crate::state::{Inner, State};

pub(super) fn pin(
    state: &State,
    inner: &mut Inner,
    method: &Method,
    channel_id: u64,
    message_id: u64,
) -> Handled {
    let world = &mut inner.world;
    if let Some(error) = refusal_error(world, channel_id) {
        return Err(error);
    }
    if !world.bot_may_pin(channel_id) {
        return Err(ApiError::missing_permissions());
    }
    let known = world
        .messages
        .get(&message_id)
        .is_some_and(|m| m.channel_id == channel_id && !m.ephemeral);
    if !known {
        return Err(ApiError::unknown_message());
    }
    let pinning = *method == Method::PUT;
    let already = world.messages[&message_id].pinned;
    if pinning && !already {
        let pins = world
            .messages
            .values()
            .filter(|m| m.channel_id == channel_id && m.pinned)
            .count();
        if pins >= state.config.max_pins {
            return Err(ApiError::max_pins(state.config.max_pins));
        }
    }
    if let Some(message) = world.messages.get_mut(&message_id) {
        message.pinned = pinning;
    }
    Ok((204, None))
}
