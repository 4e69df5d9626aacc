//! The commands the bot registered: the last bulk overwrite of each scope (global, or one
//! guild). A guild's own command shadows a global one of the same name, as in Discord's client.

use std::collections::BTreeMap;

use serde_json::Value;

#[derive(Debug, Default)]
pub(crate) struct Commands {
    pub global: Vec<Value>,
    pub guilds: BTreeMap<u64, Vec<Value>>,
}

impl Commands {
    /// The chat-input command `name` usable in `guild_id` (or in DMs when `None`).
    pub fn find(&self, guild_id: Option<u64>, name: &str) -> Option<&Value> {
        let is_it = |c: &&Value| {
            c.get("name").and_then(Value::as_str) == Some(name)
                && c.get("type").and_then(Value::as_u64).unwrap_or(1) == 1
        };
        let guild = guild_id.and_then(|g| self.guilds.get(&g));
        guild
            .and_then(|list| list.iter().find(is_it))
            .or_else(|| self.global.iter().find(is_it))
    }
}
