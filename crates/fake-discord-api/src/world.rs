//! The Discord world the bot lives in: users, guilds (with the bot a member or not, and each
//! member's permissions), channels (text channels, threads, DMs; some answering 403/404) and
//! the messages in them.

use std::collections::{BTreeMap, HashMap};

use crate::ids::Snowflakes;
use crate::records::Message;

/// Permission bits the fake uses (Discord's values).
pub mod permissions {
    pub const ADMINISTRATOR: u64 = 1 << 3;
    pub const MANAGE_GUILD: u64 = 1 << 5;
    /// No longer lets the holder pin (since February 23, 2026): see [`PIN_MESSAGES`].
    pub const MANAGE_MESSAGES: u64 = 1 << 13;
    pub const VIEW_CHANNEL: u64 = 1 << 10;
    pub const SEND_MESSAGES: u64 = 1 << 11;
    pub const EMBED_LINKS: u64 = 1 << 14;
    /// Uploading files with a message.
    pub const ATTACH_FILES: u64 = 1 << 15;
    pub const READ_MESSAGE_HISTORY: u64 = 1 << 16;
    pub const USE_APPLICATION_COMMANDS: u64 = 1 << 31;
    /// Starting a public thread (from a message or not).
    pub const CREATE_PUBLIC_THREADS: u64 = 1 << 35;
    pub const SEND_MESSAGES_IN_THREADS: u64 = 1 << 38;
    /// Pinning and unpinning messages (split from Manage Messages in 2025).
    pub const PIN_MESSAGES: u64 = 1 << 51;
    /// What @everyone gets in a new server, roughly: read, write, attach, use commands.
    pub const MEMBER: u64 = VIEW_CHANNEL
        | SEND_MESSAGES
        | EMBED_LINKS
        | ATTACH_FILES
        | READ_MESSAGE_HISTORY
        | USE_APPLICATION_COMMANDS
        | CREATE_PUBLIC_THREADS
        | SEND_MESSAGES_IN_THREADS;
    /// Every permission bit Discord defines today, up to BYPASS_SLOWMODE (`1 << 52`), as an
    /// owner or administrator has.
    pub const ALL: u64 = (1 << 53) - 1;
}

/// What kind of channel a channel is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelKind {
    /// A server text channel (type 0).
    Text,
    /// A public thread (type 11) under a text channel.
    Thread { parent_id: u64 },
    /// A direct message with one user (type 1).
    Dm { recipient_id: u64 },
}

/// How a channel refuses the bot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelFault {
    /// 403, code 50001: the bot cannot see the channel.
    MissingAccess,
    /// 403, code 50013: the bot may not post there.
    MissingPermissions,
    /// 404, code 10003: the channel was deleted.
    UnknownChannel,
    /// 403, code 50007: a DM whose user does not accept messages from the bot (DMs closed,
    /// the bot blocked, no shared server).
    CannotMessageUser,
}

#[derive(Debug, Clone)]
pub(crate) struct User {
    pub name: String,
    pub locale: String,
    /// The user does not accept DMs from the bot: messages to their DM answer 403 50007.
    pub refuses_dms: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Guild {
    pub id: u64,
    pub name: String,
    pub owner_id: u64,
    pub locale: String,
    /// False once the bot was removed.
    pub bot_member: bool,
    /// Explicit member permissions; others get [`permissions::MEMBER`].
    pub permissions: HashMap<u64, u64>,
    /// The bot's own permissions in the server ([`permissions::MEMBER`] unless set).
    pub bot_permissions: u64,
}

#[derive(Debug, Clone)]
pub(crate) struct Channel {
    pub id: u64,
    pub guild_id: Option<u64>,
    pub name: String,
    pub kind: ChannelKind,
    pub fault: Option<ChannelFault>,
    /// Permission bits a channel overwrite denies the bot (e.g. Read Message History).
    pub bot_denied: u64,
    /// A thread's `auto_archive_duration` in minutes (1440 unless set when it was started).
    pub auto_archive_duration: u64,
    /// A thread archived and locked by a moderator: only Manage Threads may reopen it, so the
    /// bot's messages there answer 400 50083.
    pub locked: bool,
}

#[derive(Debug, Default)]
pub(crate) struct World {
    pub ids: Snowflakes,
    pub users: BTreeMap<u64, User>,
    pub guilds: BTreeMap<u64, Guild>,
    pub channels: BTreeMap<u64, Channel>,
    pub messages: BTreeMap<u64, Message>,
}

impl World {
    pub fn add_user(&mut self, name: &str, locale: &str) -> u64 {
        let id = self.ids.next();
        let user = User {
            name: name.to_string(),
            locale: locale.to_string(),
            refuses_dms: false,
        };
        self.users.insert(id, user);
        id
    }

    pub fn add_guild(&mut self, name: &str, owner_id: u64) -> u64 {
        let id = self.ids.next();
        let guild = Guild {
            id,
            name: name.to_string(),
            owner_id,
            locale: "en-US".to_string(),
            bot_member: true,
            permissions: HashMap::new(),
            bot_permissions: permissions::MEMBER,
        };
        self.guilds.insert(id, guild);
        id
    }

    pub fn add_channel(&mut self, guild_id: Option<u64>, name: &str, kind: ChannelKind) -> u64 {
        let id = self.ids.next();
        self.add_channel_with_id(id, guild_id, name, kind)
    }

    /// A channel with a given id: a thread started from a message takes the message's id.
    pub fn add_channel_with_id(
        &mut self,
        id: u64,
        guild_id: Option<u64>,
        name: &str,
        kind: ChannelKind,
    ) -> u64 {
        let channel = Channel {
            id,
            guild_id,
            name: name.to_string(),
            kind,
            fault: None,
            bot_denied: 0,
            auto_archive_duration: 1440,
            locked: false,
        };
        self.channels.insert(id, channel);
        id
    }

    /// The DM channel between the bot and `user_id`: the existing one, else a new one (as
    /// Discord's Create DM returns the DM that exists instead of opening a second).
    pub fn dm_with(&mut self, user_id: u64) -> u64 {
        let existing = self.channels.values().find_map(|c| match c.kind {
            ChannelKind::Dm { recipient_id } if recipient_id == user_id => Some(c.id),
            _ => None,
        });
        match existing {
            Some(id) => id,
            None => self.add_channel(
                None,
                "",
                ChannelKind::Dm {
                    recipient_id: user_id,
                },
            ),
        }
    }

    /// A member's permissions in a guild: everything for the owner.
    pub fn permissions(&self, guild_id: u64, user_id: u64) -> u64 {
        let Some(guild) = self.guilds.get(&guild_id) else {
            return 0;
        };
        if guild.owner_id == user_id {
            return permissions::ALL;
        }
        let perms = guild
            .permissions
            .get(&user_id)
            .copied()
            .unwrap_or(permissions::MEMBER);
        if perms & permissions::ADMINISTRATOR != 0 {
            permissions::ALL
        } else {
            perms
        }
    }

    /// Why the bot may not post in a channel, if it may not: unknown channels, channels of a
    /// server it left (403 Missing Access), channels configured to refuse, and DMs of users who
    /// refuse DMs (403 50007).
    pub fn refusal(&self, channel_id: u64) -> Option<ChannelFault> {
        let Some(channel) = self.channels.get(&channel_id) else {
            return Some(ChannelFault::UnknownChannel);
        };
        if let Some(fault) = channel.fault {
            return Some(fault);
        }
        if let ChannelKind::Dm { recipient_id } = channel.kind
            && self.users.get(&recipient_id).is_some_and(|u| u.refuses_dms)
        {
            return Some(ChannelFault::CannotMessageUser);
        }
        let guild = channel.guild_id.and_then(|g| self.guilds.get(&g));
        match guild {
            Some(guild) if !guild.bot_member => Some(ChannelFault::MissingAccess),
            _ => None,
        }
    }

    /// Grants or revokes the bot's Pin Messages in a server; false if there is no such server.
    pub fn set_pin_right(&mut self, guild_id: u64, may_pin: bool) -> bool {
        let Some(guild) = self.guilds.get_mut(&guild_id) else {
            return false;
        };
        match may_pin {
            true => guild.bot_permissions |= permissions::PIN_MESSAGES,
            false => guild.bot_permissions &= !permissions::PIN_MESSAGES,
        }
        true
    }

    /// Whether the bot may pin in a channel: anywhere in a DM; in a server with Pin Messages
    /// (or Administrator). Manage Messages alone no longer lets it pin.
    pub fn bot_may_pin(&self, channel_id: u64) -> bool {
        let guild = self.channels.get(&channel_id).and_then(|c| c.guild_id);
        let Some(guild) = guild.and_then(|g| self.guilds.get(&g)) else {
            return true;
        };
        let bits = guild.bot_permissions;
        bits & (permissions::PIN_MESSAGES | permissions::ADMINISTRATOR) != 0
    }

    /// The bot's permissions in a channel (`app_permissions` of interactions there): the
    /// server's, less what the channel's overwrite denies (a thread follows its parent).
    /// Administrator overrides overwrites, as on Discord.
    pub fn bot_permissions(&self, channel_id: u64) -> u64 {
        let channel = self.channels.get(&channel_id);
        let guild = channel.and_then(|c| c.guild_id);
        let denied = match channel.map(|c| c.kind) {
            Some(ChannelKind::Thread { parent_id }) => {
                self.channels.get(&parent_id).map_or(0, |p| p.bot_denied)
            }
            _ => channel.map_or(0, |c| c.bot_denied),
        };
        match guild.and_then(|g| self.guilds.get(&g)) {
            Some(g) if g.bot_permissions & permissions::ADMINISTRATOR != 0 => permissions::ALL,
            Some(g) => g.bot_permissions & !denied,
            None => permissions::MEMBER,
        }
    }

    /// Messages of a channel, oldest first.
    pub fn messages_in(&self, channel_id: u64) -> Vec<Message> {
        self.messages
            .values()
            .filter(|m| m.channel_id == channel_id)
            .cloned()
            .collect()
    }
}
