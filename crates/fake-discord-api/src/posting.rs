//! Turning a checked message body into a message of a channel, and editing one: resolving the
//! reply target (`message_reference` must name a message of the same channel) and working out
//! whom the message notifies under its `allowed_mentions` (absent = everyone mentioned is
//! notified, as Discord does), so tests can assert that nobody was pinged.

use std::time::Instant;

use serde_json::Value;

use crate::attachments::broken_images;
use crate::error::{ApiError, FormErrors};
use crate::message::{Draft, EPHEMERAL, Reference};
use crate::records::{File, Message, Pings};
use crate::world::World;

/// Who writes a new message and on whose behalf.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Origin {
    pub author_id: u64,
    pub interaction_id: Option<u64>,
    pub invoker_id: Option<u64>,
}

/// Stores a new message in `channel_id` and returns its id. The caller checked the channel.
pub(crate) fn post(
    world: &mut World,
    channel_id: u64,
    origin: Origin,
    draft: Draft,
    extra_flags: u64,
) -> Result<u64, ApiError> {
    let reply_to = match &draft.reference {
        Some(reference) => resolve_reference(world, channel_id, reference)?,
        None => None,
    };
    let id = world.ids.next();
    let flags = draft.flags.unwrap_or(0) | extra_flags;
    let guild_id = world.channels.get(&channel_id).and_then(|c| c.guild_id);
    let files = new_files(world, &draft);
    let embeds = draft.embeds.unwrap_or_default();
    let mut message = Message {
        id,
        channel_id,
        guild_id,
        author_id: origin.author_id,
        content: draft.content.unwrap_or_default(),
        broken_images: broken_images(&embeds, &files),
        embeds,
        files,
        components: draft.components.unwrap_or_default(),
        flags,
        allowed_mentions: draft.allowed_mentions,
        pings: Pings::default(),
        reply_to,
        interaction_id: origin.interaction_id,
        invoker_id: origin.invoker_id,
        ephemeral: flags & EPHEMERAL != 0,
        pinned: false,
        edits: 0,
        created: Instant::now(),
    };
    let replied_author = reply_to
        .and_then(|r| world.messages.get(&r))
        .map(|m| m.author_id);
    message.pings = pings(
        &message.content,
        message.allowed_mentions.as_ref(),
        replied_author,
    );
    world.messages.insert(id, message);
    Ok(id)
}

/// The draft's uploads as files of a message, each with an attachment id of its own.
fn new_files(world: &mut World, draft: &Draft) -> Vec<File> {
    draft
        .files
        .new
        .iter()
        .map(|file| File {
            id: world.ids.next(),
            filename: file.filename.clone(),
            size: file.bytes.len(),
            bytes: file.bytes.clone(),
        })
        .collect()
}

fn resolve_reference(
    world: &World,
    channel_id: u64,
    reference: &Reference,
) -> Result<Option<u64>, ApiError> {
    let same_channel = reference.channel_id.is_none_or(|c| c == channel_id);
    let exists = world
        .messages
        .get(&reference.message_id)
        .is_some_and(|m| m.channel_id == channel_id && !m.ephemeral);
    if same_channel && exists {
        return Ok(Some(reference.message_id));
    }
    if !reference.fail_if_not_exists {
        return Ok(None);
    }
    let mut errors = FormErrors::default();
    errors.add(
        "message_reference",
        "MESSAGE_REFERENCE_UNKNOWN_MESSAGE",
        "Unknown message",
    );
    errors.into_result().map(|()| None)
}

/// Applies an edit: fields present in `draft` replace the message's. The result must not be
/// empty. Clears the "loading" flag of a deferred reply.
pub(crate) fn edit(world: &mut World, message_id: u64, draft: Draft) -> Result<(), ApiError> {
    let Some(old) = world.messages.get(&message_id) else {
        return Err(ApiError::unknown_message());
    };
    let mut message = old.clone();
    if let Some(keep) = &draft.files.keep {
        message.files.retain(|f| keep.contains(&f.id));
    }
    let added = new_files(world, &draft);
    message.files.extend(added);
    if let Some(content) = draft.content {
        message.content = content;
    }
    if let Some(embeds) = draft.embeds {
        message.embeds = embeds;
    }
    if let Some(components) = draft.components {
        message.components = components;
    }
    if draft.allowed_mentions.is_some() {
        message.allowed_mentions = draft.allowed_mentions;
    }
    // Whether a message is ephemeral is fixed when it is created: an edit, also the first
    // follow-up that fills a deferred (type 5) reply, cannot change it either way.
    let ephemeral = message.flags & EPHEMERAL;
    if let Some(flags) = draft.flags {
        message.flags = (flags & !EPHEMERAL) | ephemeral;
    }
    message.flags &= !crate::message::LOADING;
    message.broken_images = broken_images(&message.embeds, &message.files);
    let shows_nothing = message.content.trim().is_empty()
        && message.files.is_empty()
        && message.embeds.is_empty()
        && message.components.is_empty();
    if shows_nothing {
        return Err(ApiError::empty_message());
    }
    message.edits += 1;
    let replied_author = message
        .reply_to
        .and_then(|r| world.messages.get(&r))
        .map(|m| m.author_id);
    message.pings = pings(
        &message.content,
        message.allowed_mentions.as_ref(),
        replied_author,
    );
    world.messages.insert(message_id, message);
    Ok(())
}

/// Mentions written in `content`: `@everyone`/`@here`, `<@id>`/`<@!id>` users, `<@&id>` roles.
fn mentions(content: &str) -> (bool, Vec<u64>, Vec<u64>) {
    let everyone = ["@everyone", "@here"].iter().any(|m| {
        content
            .match_indices(m)
            .any(|(at, _)| !content[..at].ends_with('\\'))
    });
    let (mut users, mut roles) = (Vec::new(), Vec::new());
    for (at, _) in content.match_indices("<@") {
        let rest = &content[at + 2..];
        let (is_role, rest) = match rest.strip_prefix('&') {
            Some(rest) => (true, rest),
            None => (false, rest.strip_prefix('!').unwrap_or(rest)),
        };
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let closed = rest[digits.len()..].starts_with('>');
        if let (true, Ok(id)) = (closed, digits.parse::<u64>()) {
            if is_role {
                roles.push(id)
            } else {
                users.push(id)
            }
        }
    }
    (everyone, users, roles)
}

fn ids_in(value: Option<&Value>) -> Vec<u64> {
    value
        .and_then(Value::as_array)
        .map(|ids| ids.iter().filter_map(crate::json::snowflake).collect())
        .unwrap_or_default()
}

pub(crate) fn pings(content: &str, allowed: Option<&Value>, replied_author: Option<u64>) -> Pings {
    let (everyone, users, roles) = mentions(content);
    let Some(allowed) = allowed else {
        let mut users = users;
        users.extend(replied_author);
        return Pings {
            everyone,
            users,
            roles,
        };
    };
    let parse: Vec<&str> = allowed
        .get("parse")
        .and_then(Value::as_array)
        .map(|p| p.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let (listed_users, listed_roles) = (ids_in(allowed.get("users")), ids_in(allowed.get("roles")));
    let mut users: Vec<u64> = users
        .into_iter()
        .filter(|u| parse.contains(&"users") || listed_users.contains(u))
        .collect();
    if allowed.get("replied_user").and_then(Value::as_bool) == Some(true) {
        users.extend(replied_author);
    }
    Pings {
        everyone: everyone && parse.contains(&"everyone"),
        users,
        roles: roles
            .into_iter()
            .filter(|r| parse.contains(&"roles") || listed_roles.contains(r))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn without_allowed_mentions_everything_pings() {
        let p = pings("@everyone and <@12> <@!13> <@&9>", None, Some(5));
        assert_eq!(
            p,
            Pings {
                everyone: true,
                users: vec![12, 13, 5],
                roles: vec![9]
            }
        );
    }

    #[test]
    fn empty_parse_pings_nobody() {
        let none = json!({ "parse": [] });
        assert!(pings("@everyone <@12> <@&9> @here", Some(&none), Some(5)).is_empty());
        let some = json!({ "parse": ["everyone"], "users": ["12"], "replied_user": true });
        let p = pings("@here <@12> <@14>", Some(&some), Some(5));
        assert_eq!(
            p,
            Pings {
                everyone: true,
                users: vec![12, 5],
                roles: vec![]
            }
        );
    }

    #[test]
    fn escaped_and_malformed_mentions_do_not_ping() {
        let p = pings("\\@everyone <@12 <@x> <@>", None, None);
        assert!(p.is_empty(), "{p:?}");
    }
}
