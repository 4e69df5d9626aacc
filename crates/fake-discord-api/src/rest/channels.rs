//! `POST /channels/{id}/messages`: the bot posts in a channel it can reach, with a valid body;
//! a reply (`message_reference`) also needs Read Message History there, else 403 160002; files
//! need Attach Files there, else 403 50013 (while the same text alone goes); a locked
//! (archived) thread takes no message: 400 50083.

use serde_json::Value;

use super::Handled;
use crate::error::ApiError;
use crate::message::{Draft, Usage, check_upload};
use crate::multipart::Upload;
use crate::posting::{Origin, post};
use crate::state::{Inner, State};
use crate::world::permissions::{ATTACH_FILES, READ_MESSAGE_HISTORY};
use crate::world::{ChannelFault, World};

/// The error a channel the bot may not post in answers with.
pub(crate) fn refusal_error(world: &World, channel_id: u64) -> Option<ApiError> {
    world.refusal(channel_id).map(|fault| match fault {
        ChannelFault::MissingAccess => ApiError::missing_access(),
        ChannelFault::MissingPermissions => ApiError::missing_permissions(),
        ChannelFault::UnknownChannel => ApiError::unknown_channel(),
        ChannelFault::CannotMessageUser => ApiError::cannot_message_user(),
    })
}

/// 403 50013 when `draft` adds files where the bot lacks Attach Files.
pub(crate) fn check_may_attach(
    world: &World,
    channel_id: u64,
    draft: &Draft,
) -> Result<(), ApiError> {
    let may_attach = world.bot_permissions(channel_id) & ATTACH_FILES != 0;
    match draft.files.new.is_empty() || may_attach {
        true => Ok(()),
        false => Err(ApiError::missing_permissions()),
    }
}

pub(super) fn create_message(
    state: &State,
    inner: &mut Inner,
    channel_id: u64,
    (body, files): (&Value, &[Upload]),
) -> Handled {
    if let Some(error) = refusal_error(&inner.world, channel_id) {
        return Err(error);
    }
    if inner.world.channels[&channel_id].locked {
        return Err(ApiError::thread_archived());
    }
    let draft = check_upload(body, files, Usage::Channel)?;
    check_may_attach(&inner.world, channel_id, &draft)?;
    let reads_history = inner.world.bot_permissions(channel_id) & READ_MESSAGE_HISTORY != 0;
    if draft.reference.is_some() && !reads_history {
        return Err(ApiError::cannot_reply());
    }
    let origin = Origin {
        author_id: state.config.application_id,
        interaction_id: None,
        invoker_id: None,
    };
    let id = post(&mut inner.world, channel_id, origin, draft, 0)?;
    let message = &inner.world.messages[&id];
    Ok((
        200,
        Some(crate::payloads::message(
            &inner.world,
            &state.config,
            message,
        )),
    ))
}
