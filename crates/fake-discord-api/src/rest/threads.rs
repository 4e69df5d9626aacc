//! `POST /channels/{id}/messages/{message}/threads` (Start Thread from Message), as Discord's
//! reference describes it: `name` is required, 1–100 characters; `auto_archive_duration`, if
//! given, is 60, 1440, 4320 or 10080 minutes; `rate_limit_per_user` 0–21600. The message must
//! be a real message of that channel (10008), the channel a text channel (50024), the bot must
//! have Create Public Threads there (50013), and a message gets one thread only (160004). The
//! thread is a channel of type 11 whose id is the message's id and whose `parent_id` is the
//! channel; messages can be posted into it like into any channel.

use serde_json::Value;

use super::Handled;
use super::channels::refusal_error;
use crate::error::{ApiError, FormErrors};
use crate::state::Inner;
use crate::world::permissions::CREATE_PUBLIC_THREADS;
use crate::world::{ChannelKind, World};

/// The durations Discord accepts, in minutes.
const ARCHIVE_DURATIONS: [u64; 4] = [60, 1440, 4320, 10080];
/// Discord's slow mode maximum, in seconds.
const MAX_SLOW_MODE: u64 = 21600;

pub(super) fn start_from_message(
    inner: &mut Inner,
    channel_id: u64,
    message_id: u64,
    body: &Value,
) -> Handled {
    let world = &mut inner.world;
    if let Some(error) = refusal_error(world, channel_id) {
        return Err(error);
    }
    if !matches!(world.channels[&channel_id].kind, ChannelKind::Text) {
        return Err(ApiError::wrong_channel_type());
    }
    if world.bot_permissions(channel_id) & CREATE_PUBLIC_THREADS == 0 {
        return Err(ApiError::missing_permissions());
    }
    let (name, archive) = check_body(body)?;
    let known = world
        .messages
        .get(&message_id)
        .is_some_and(|m| m.channel_id == channel_id && !m.ephemeral);
    if !known {
        return Err(ApiError::unknown_message());
    }
    if world.channels.contains_key(&message_id) {
        return Err(ApiError::thread_exists());
    }
    let thread = start(world, channel_id, message_id, &name, archive);
    Ok((201, Some(crate::payloads::channel(world, thread))))
}

fn start(world: &mut World, parent_id: u64, message_id: u64, name: &str, archive: u64) -> u64 {
    let guild = world.channels[&parent_id].guild_id;
    let kind = ChannelKind::Thread { parent_id };
    let thread = world.add_channel_with_id(message_id, guild, name, kind);
    if let Some(channel) = world.channels.get_mut(&thread) {
        channel.auto_archive_duration = archive;
    }
    if let Some(message) = world.messages.get_mut(&message_id) {
        message.flags |= HAS_THREAD;
    }
    thread
}

/// The starter message's flag: a thread was started from it.
const HAS_THREAD: u64 = 1 << 5;

/// The thread's name and archive duration, or 400 50035 naming each bad field.
fn check_body(body: &Value) -> Result<(String, u64), ApiError> {
    let mut errors = FormErrors::default();
    let name = match body.get("name") {
        None | Some(Value::Null) => {
            errors.required("name");
            String::new()
        }
        Some(Value::String(name)) => {
            let length = name.chars().count();
            if !(1..=100).contains(&length) {
                errors.bad_length("name", 1, 100);
            }
            name.clone()
        }
        Some(_) => {
            errors.add(
                "name",
                "STRING_TYPE_CONVERT",
                "Could not interpret value as string.",
            );
            String::new()
        }
    };
    let archive = match body.get("auto_archive_duration") {
        None | Some(Value::Null) => 1440,
        Some(value) => match value.as_u64().filter(|m| ARCHIVE_DURATIONS.contains(m)) {
            Some(minutes) => minutes,
            None => {
                let message = "Value must be one of {60, 1440, 4320, 10080}.";
                errors.add("auto_archive_duration", "BASE_TYPE_CHOICES", message);
                1440
            }
        },
    };
    if let Some(slow) = body.get("rate_limit_per_user").filter(|v| !v.is_null())
        && slow.as_u64().is_none_or(|s| s > MAX_SLOW_MODE)
    {
        let message = "int value should be less than or equal to 21600.";
        errors.add("rate_limit_per_user", "NUMBER_TYPE_MAX", message);
    }
    errors.into_result()?;
    Ok((name, archive))
}
