//! The world the bot talks to: chats (registered or inferred from their id), the messages in
//! each (with per-chat increasing ids), forum topics, administrators and the users seen.
//! Methods validate against this; the JSON builders render from it.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;

use crate::config::{ChatKind, ChatSpec, User};
use crate::records::MessageState;
use crate::reply::Failure;

/// Who a stored message is from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Sender {
    Bot,
    User(User),
    /// An anonymous group administrator (posts as the group itself).
    AnonymousAdmin,
    /// A channel post (`sender_chat` is the channel).
    Channel,
}

/// What a stored message says.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Content {
    Text {
        text: String,
        parse_mode: Option<String>,
    },
    MigrateTo(i64),
    MigrateFrom(i64),
    /// A photo with an optional caption (HTML source when `parse_mode` is HTML).
    Photo {
        file_id: String,
        width: u32,
        height: u32,
        size: usize,
        caption: Option<String>,
        parse_mode: Option<String>,
    },
    Poll(crate::polls::PollState),
}

/// A message that exists in a chat.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Stored {
    pub message_id: i32,
    pub date: i64,
    pub thread_id: Option<i32>,
    pub sender: Sender,
    pub content: Content,
    pub reply_markup: Option<Value>,
    pub reply_to: Option<i32>,
    pub edit_date: Option<i64>,
    pub edits: u32,
}

/// One chat and everything in it.
#[derive(Debug)]
pub(crate) struct ChatState {
    pub spec: ChatSpec,
    next_message_id: i32,
    pub messages: BTreeMap<i32, Stored>,
    pub topics: BTreeSet<i32>,
    pub admins: Vec<i64>,
    pub owner: Option<i64>,
    /// The bot is an administrator with the right to pin here (`can_pin_messages` in groups,
    /// `can_edit_messages` in channels). Private chats need no right.
    pub bot_may_pin: bool,
    /// Pinned messages, oldest first (the last is the one shown on top).
    pub pinned: Vec<i32>,
}

impl ChatState {
    fn new(spec: ChatSpec) -> ChatState {
        ChatState {
            spec,
            next_message_id: 1,
            messages: BTreeMap::new(),
            topics: BTreeSet::new(),
            admins: Vec::new(),
            owner: None,
            bot_may_pin: false,
            pinned: Vec::new(),
        }
    }

    /// Reserves the next message id of this chat.
    pub fn next_id(&mut self) -> i32 {
        let id = self.next_message_id;
        self.next_message_id += 1;
        id
    }

    pub fn state_of(&self, message_id: i32) -> Option<MessageState> {
        let stored = self.messages.get(&message_id)?;
        let (text, parse_mode) = match &stored.content {
            Content::Text { text, parse_mode } => (text.clone(), parse_mode.clone()),
            Content::Poll(poll) => (poll.question.clone(), None),
            Content::Photo {
                caption,
                parse_mode,
                ..
            } => (caption.clone().unwrap_or_default(), parse_mode.clone()),
            Content::MigrateTo(_) | Content::MigrateFrom(_) => (String::new(), None),
        };
        Some(MessageState {
            chat_id: self.spec.id,
            message_id,
            thread_id: stored.thread_id,
            from_bot: stored.sender == Sender::Bot,
            text,
            parse_mode,
            reply_markup: stored.reply_markup.clone(),
            edits: stored.edits,
        })
    }
}

/// Member status Telegram reports for a user in a chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    Creator,
    Administrator,
    Member,
}

/// All chats and users.
#[derive(Debug, Default)]
pub(crate) struct Chats {
    chats: HashMap<i64, ChatState>,
    users: HashMap<i64, User>,
}

impl Chats {
    /// Registers (or replaces the description of) a chat, keeping its messages.
    pub fn add(&mut self, spec: ChatSpec) {
        if let ChatKind::Private { user } = &spec.kind {
            self.remember(user);
        }
        match self.chats.get_mut(&spec.id) {
            Some(chat) => chat.spec = spec,
            None => {
                self.chats.insert(spec.id, ChatState::new(spec));
            }
        }
    }

    pub fn is_known(&self, chat_id: i64) -> bool {
        self.chats.contains_key(&chat_id)
    }

    /// The chat with this id, inferring its kind from the id when nobody registered it.
    pub fn get(&mut self, chat_id: i64) -> &mut ChatState {
        self.chats
            .entry(chat_id)
            .or_insert_with(|| ChatState::new(ChatSpec::inferred(chat_id)))
    }

    /// Resolves a `chat_id` parameter: an integer, a numeric string or `@username`.
    pub fn resolve(&self, value: &Value) -> Result<i64, Failure> {
        match value {
            Value::Number(n) => n
                .as_i64()
                .ok_or_else(|| Failure::bad_request("chat not found")),
            Value::String(s) if s.starts_with('@') => self
                .chats
                .values()
                .find(|c| {
                    self.username_of(c)
                        .is_some_and(|u| u.eq_ignore_ascii_case(&s[1..]))
                })
                .map(|c| c.spec.id)
                .ok_or_else(|| Failure::bad_request("chat not found")),
            Value::String(s) => s
                .parse()
                .map_err(|_| Failure::bad_request("chat not found")),
            _ => Err(Failure::bad_request("chat not found")),
        }
    }

    fn username_of<'a>(&'a self, chat: &'a ChatState) -> Option<&'a str> {
        match &chat.spec.kind {
            ChatKind::Private { user } => user.username.as_deref(),
            _ => None,
        }
    }

    pub fn remember(&mut self, user: &User) {
        self.users.insert(user.id, user.clone());
    }

    /// The user with this id as last seen, or a plausible stand-in.
    pub fn user(&self, user_id: i64) -> User {
        self.users
            .get(&user_id)
            .cloned()
            .unwrap_or_else(|| User::new(user_id, &format!("User {user_id}")))
    }

    pub fn set_admins(&mut self, chat_id: i64, user_ids: &[i64]) {
        self.get(chat_id).admins = user_ids.to_vec();
    }

    pub fn set_owner(&mut self, chat_id: i64, user_id: i64) {
        self.get(chat_id).owner = Some(user_id);
    }

    pub fn status(&mut self, chat_id: i64, user_id: i64) -> Status {
        let chat = self.get(chat_id);
        if chat.owner == Some(user_id) {
            Status::Creator
        } else if chat.admins.contains(&user_id) {
            Status::Administrator
        } else {
            Status::Member
        }
    }

    /// The current state of one message, if it exists.
    pub fn message_state(&self, chat_id: i64, message_id: i32) -> Option<MessageState> {
        self.chats.get(&chat_id)?.state_of(message_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn resolves_ids_strings_and_usernames() {
        let mut chats = Chats::default();
        chats.add(ChatSpec::private_with(
            User::new(42, "Ann").with_username("ann"),
        ));
        assert_eq!(chats.resolve(&json!(42)), Ok(42));
        assert_eq!(chats.resolve(&json!("-100")), Ok(-100));
        assert_eq!(chats.resolve(&json!("@Ann")), Ok(42));
        assert!(chats.resolve(&json!("@nobody")).is_err());
        assert!(chats.resolve(&json!(true)).is_err());
    }

    #[test]
    fn unknown_chats_are_inferred_from_their_id() {
        let mut chats = Chats::default();
        assert_eq!(chats.get(5).spec.type_name(), "private");
        assert_eq!(chats.get(-5).spec.type_name(), "group");
        assert_eq!(chats.get(-1_000_000_000_005).spec.type_name(), "supergroup");
    }

    #[test]
    fn status_follows_owner_and_admin_list() {
        let mut chats = Chats::default();
        chats.set_admins(-1, &[2, 3]);
        chats.set_owner(-1, 1);
        assert_eq!(chats.status(-1, 1), Status::Creator);
        assert_eq!(chats.status(-1, 3), Status::Administrator);
        assert_eq!(chats.status(-1, 4), Status::Member);
    }
}
