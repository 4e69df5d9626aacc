//! Discord's JSON objects as the fake sends them: users, members, channels, guilds (for
//! GUILD_CREATE), messages and the application. Complete enough for twilight-model, which
//! requires many fields (its tests deserialize each of these).

use serde_json::{Value, json};

use crate::config::Config;
use crate::ids::timestamp_of;
use crate::json::id;
use crate::records::Message;
use crate::world::{ChannelKind, World};

pub(crate) fn user(world: &World, user_id: u64) -> Value {
    let name = world
        .users
        .get(&user_id)
        .map_or_else(|| format!("user{user_id}"), |u| u.name.clone());
    json!({
        "id": id(user_id), "username": name, "global_name": name, "discriminator": "0",
        "avatar": null, "public_flags": 0,
    })
}

pub(crate) fn bot_user(config: &Config) -> Value {
    json!({
        "id": id(config.application_id), "username": config.bot_username,
        "global_name": null, "discriminator": "0", "avatar": null, "banner": null,
        "accent_color": null, "bot": true, "verified": true, "mfa_enabled": false,
        "flags": 0, "public_flags": 0, "locale": "en-US",
    })
}

pub(crate) fn application(config: &Config) -> Value {
    json!({
        "id": id(config.application_id), "name": config.bot_username, "icon": null,
        "description": "", "bot_public": true, "bot_require_code_grant": false,
        "verify_key": "0".repeat(64), "flags": 0, "team": null,
        "owner": { "id": "1", "username": "owner", "discriminator": "0", "avatar": null },
        "bot": bot_user(config),
    })
}

/// A member as carried by interactions (with `permissions`) and GUILD_CREATE.
pub(crate) fn member(world: &World, guild_id: u64, user_id: u64) -> Value {
    json!({
        "user": user(world, user_id), "roles": [], "nick": null, "avatar": null,
        "joined_at": timestamp_of(guild_id), "premium_since": null, "deaf": false,
        "mute": false, "flags": 0, "pending": false,
        "communication_disabled_until": null,
        "permissions": world.permissions(guild_id, user_id).to_string(),
    })
}

pub(crate) fn channel(world: &World, channel_id: u64) -> Value {
    let Some(channel) = world.channels.get(&channel_id) else {
        return Value::Null;
    };
    let mut value = json!({ "id": id(channel.id), "name": channel.name, "flags": 0 });
    if let Some(guild_id) = channel.guild_id {
        value["guild_id"] = id(guild_id);
    }
    match channel.kind {
        ChannelKind::Text => {
            value["type"] = json!(0);
            value["position"] = json!(0);
            value["permission_overwrites"] = json!([]);
            value["nsfw"] = json!(false);
            value["topic"] = Value::Null;
        }
        ChannelKind::Thread { parent_id } => {
            value["type"] = json!(11);
            value["parent_id"] = id(parent_id);
            value["thread_metadata"] = json!({
                "archived": channel.locked, "auto_archive_duration": channel.auto_archive_duration,
                "locked": channel.locked,
                "archive_timestamp": timestamp_of(channel.id),
            });
        }
        ChannelKind::Dm { recipient_id } => {
            value["type"] = json!(1);
            value["name"] = Value::Null;
            value["recipients"] = json!([user(world, recipient_id)]);
            let last = world
                .messages
                .values()
                .rev()
                .find(|m| m.channel_id == channel.id && !m.ephemeral);
            value["last_message_id"] = last.map_or(Value::Null, |m| id(m.id));
        }
    }
    value
}

/// The full guild object of GUILD_CREATE (the bot joined, or a guild became available).
pub(crate) fn guild_create(world: &World, config: &Config, guild_id: u64) -> Value {
    let Some(guild) = world.guilds.get(&guild_id) else {
        return Value::Null;
    };
    let channels: Vec<Value> = world
        .channels
        .values()
        .filter(|c| c.guild_id == Some(guild_id) && matches!(c.kind, ChannelKind::Text))
        .map(|c| channel(world, c.id))
        .collect();
    let threads: Vec<Value> = world
        .channels
        .values()
        .filter(|c| c.guild_id == Some(guild_id) && matches!(c.kind, ChannelKind::Thread { .. }))
        .map(|c| channel(world, c.id))
        .collect();
    let everyone_role = json!({
        "id": id(guild_id), "name": "@everyone", "color": 0, "hoist": false, "icon": null,
        "unicode_emoji": null, "position": 0, "permissions": crate::world::permissions::MEMBER.to_string(),
        "managed": false, "mentionable": false, "flags": 0,
    });
    let mut bot_member = member(world, guild_id, config.application_id);
    bot_member["user"] = bot_user(config);
    json!({
        "id": id(guild_id), "name": guild.name, "icon": null, "splash": null,
        "discovery_splash": null, "banner": null, "description": null,
        "owner_id": id(guild.owner_id), "afk_channel_id": null, "afk_timeout": 300,
        "verification_level": 0, "default_message_notifications": 1,
        "explicit_content_filter": 0, "roles": [everyone_role], "emojis": [], "stickers": [],
        "features": [], "mfa_level": 0, "application_id": null, "system_channel_id": null,
        "system_channel_flags": 0, "rules_channel_id": null, "public_updates_channel_id": null,
        "safety_alerts_channel_id": null, "vanity_url_code": null, "premium_tier": 0,
        "premium_subscription_count": 0, "preferred_locale": guild.locale, "nsfw_level": 0,
        "premium_progress_bar_enabled": false, "max_video_channel_users": 25,
        "max_stage_video_channel_users": 50, "widget_enabled": false, "widget_channel_id": null,
        "joined_at": timestamp_of(guild_id), "large": false, "unavailable": false,
        "member_count": 2, "members": [bot_member], "channels": channels, "threads": threads,
        "voice_states": [], "presences": [], "stage_instances": [],
        "guild_scheduled_events": [], "soundboard_sounds": [],
    })
}

/// The attachment objects of a message's files (served from a CDN the fake does not run).
fn attachments(message: &Message) -> Value {
    let files = message.files.iter().map(|file| {
        let url = format!(
            "https://cdn.discordapp.com/attachments/{}/{}/{}",
            message.channel_id, file.id, file.filename
        );
        let content_type = match file.filename.rsplit_once('.').map(|(_, e)| e) {
            Some("png") => "image/png",
            Some("jpg" | "jpeg") => "image/jpeg",
            Some("gif") => "image/gif",
            Some("webp") => "image/webp",
            _ => "application/octet-stream",
        };
        json!({
            "id": id(file.id), "filename": file.filename, "size": file.size,
            "url": url, "proxy_url": url, "content_type": content_type,
        })
    });
    Value::Array(files.collect())
}

/// A message object, as returned by REST and carried in component interactions.
pub(crate) fn message(world: &World, config: &Config, message: &Message) -> Value {
    let author = if message.author_id == config.application_id {
        bot_user(config)
    } else {
        user(world, message.author_id)
    };
    let mut value = json!({
        "id": id(message.id), "channel_id": id(message.channel_id), "type": 0,
        "author": author, "content": message.content, "timestamp": timestamp_of(message.id),
        "edited_timestamp": null, "tts": false, "mention_everyone": message.pings.everyone,
        "mentions": [], "mention_roles": [], "attachments": attachments(message),
        "embeds": message.embeds,
        "components": message.components, "pinned": message.pinned, "flags": message.flags,
    });
    if let Some(guild_id) = message.guild_id {
        value["guild_id"] = id(guild_id);
    }
    if message.edits > 0 {
        value["edited_timestamp"] = json!(crate::ids::now_timestamp());
    }
    if let Some(reply_to) = message.reply_to {
        value["type"] = json!(19);
        value["message_reference"] = json!({
            "type": 0, "message_id": id(reply_to), "channel_id": id(message.channel_id),
        });
    }
    if let Some(interaction_id) = message.interaction_id {
        value["application_id"] = id(config.application_id);
        value["webhook_id"] = id(config.application_id);
        value["interaction_metadata"] = json!({ "id": id(interaction_id), "type": 2,
            "user": user(world, message.invoker_id.unwrap_or(message.author_id)),
            "authorizing_integration_owners": {} });
    }
    value
}
