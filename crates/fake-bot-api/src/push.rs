//! Updates the test sends to the bot, built the way Telegram builds them: a user's message
//! (a `channel_post` with `sender_chat` in channels, an anonymous admin's post when no user is
//! given in a group), a press on an inline button, and the pair of service messages a
//! group → supergroup migration produces. Pushed messages are stored in their chat, so the bot
//! may reply to them and buttons may refer to the bot's own messages.

use serde_json::{Value, json};

use crate::chats::{Content, Sender, Stored};
use crate::config::{ChatKind, ChatSpec, Config, User};
use crate::json;
use crate::state::Inner;

/// Callback query ids look like Telegram's: long decimal strings.
const CALLBACK_ID_BASE: u64 = 4_200_000_000_000_000_000;

#[allow(clippy::too_many_arguments)]
pub(crate) fn message(
    inner: &mut Inner,
    config: &Config,
    chat_id: i64,
    from: Option<User>,
    text: &str,
    thread_id: Option<i32>,
    reply_to: Option<i32>,
    unix: i64,
) -> i32 {
    if let Some(user) = &from {
        inner.chats.remember(user);
    }
    let chat = inner.chats.get(chat_id);
    let sender = match (&chat.spec.kind, from) {
        (ChatKind::Channel { .. }, _) => Sender::Channel,
        (_, Some(user)) => Sender::User(user),
        (ChatKind::Private { user }, None) => Sender::User(user.clone()),
        (_, None) => Sender::AnonymousAdmin,
    };
    let thread_id = thread_id.filter(|_| chat.spec.is_forum());
    if let Some(thread) = thread_id {
        chat.topics.insert(thread);
    }
    let content = Content::Text {
        text: text.to_string(),
        parse_mode: None,
    };
    let kind = if chat.spec.is_channel() {
        "channel_post"
    } else {
        "message"
    };
    // A reply names a message of this chat (Telegram's `reply_to_message`).
    let reply_to = reply_to.filter(|id| chat.messages.contains_key(id));
    let (message_id, message) = store(inner, config, chat_id, sender, content, thread_id, unix);
    let message = match reply_to {
        Some(id) => {
            let chat = inner.chats.get(chat_id);
            if let Some(stored) = chat.messages.get_mut(&message_id) {
                stored.reply_to = Some(id);
            }
            json::message(chat, &chat.messages[&message_id], &json::bot_user(config))
        }
        None => message,
    };
    inner.updates.push(kind, message);
    message_id
}

pub(crate) fn callback(
    inner: &mut Inner,
    config: &Config,
    chat_id: i64,
    from: User,
    message_id: i32,
    data: &str,
) -> String {
    inner.chats.remember(&from);
    inner.callbacks.next_id += 1;
    let id = (CALLBACK_ID_BASE + inner.callbacks.next_id).to_string();
    let chat = inner.chats.get(chat_id);
    let message = match chat.messages.get(&message_id) {
        Some(stored) => json::message(chat, stored, &json::bot_user(config)),
        // An inaccessible message: Telegram sends only chat, id and date 0.
        None => json!({ "chat": json::chat(&chat.spec), "message_id": message_id, "date": 0 }),
    };
    let query = json!({
        "id": id,
        "from": json::user(&from),
        "message": message,
        "chat_instance": chat_instance(chat_id),
        "data": data,
    });
    inner.callbacks.answered.insert(id.clone(), false);
    inner.updates.push("callback_query", query);
    id
}

/// The two service messages of a migration, and the old chat answering "migrated" from now on.
pub(crate) fn migration(
    inner: &mut Inner,
    config: &Config,
    from_chat: i64,
    to_chat: i64,
    unix: i64,
) {
    let title = inner.chats.get(from_chat).spec.title().to_string();
    if !inner.chats.is_known(to_chat) {
        inner
            .chats
            .add(ChatSpec::supergroup(to_chat, &title, false));
    }
    let initiator = match inner.chats.get(from_chat).owner {
        Some(owner) => Sender::User(inner.chats.user(owner)),
        None => Sender::AnonymousAdmin,
    };
    let (_, to) = store(
        inner,
        config,
        from_chat,
        initiator,
        Content::MigrateTo(to_chat),
        None,
        unix,
    );
    inner.updates.push("message", to);
    let from_sender = Sender::AnonymousAdmin;
    let (_, from) = store(
        inner,
        config,
        to_chat,
        from_sender,
        Content::MigrateFrom(from_chat),
        None,
        unix,
    );
    inner.updates.push("message", from);
    inner.faults.set_migrated(from_chat, to_chat);
}

/// Stores a new message in its chat and returns its id and `Message` JSON.
fn store(
    inner: &mut Inner,
    config: &Config,
    chat_id: i64,
    sender: Sender,
    content: Content,
    thread_id: Option<i32>,
    unix: i64,
) -> (i32, Value) {
    let chat = inner.chats.get(chat_id);
    let stored = Stored {
        message_id: chat.next_id(),
        date: unix,
        thread_id,
        sender,
        content,
        reply_markup: None,
        reply_to: None,
        edit_date: None,
        edits: 0,
    };
    let message = json::message(chat, &stored, &json::bot_user(config));
    let message_id = stored.message_id;
    chat.messages.insert(message_id, stored);
    (message_id, message)
}

/// A stable opaque string per chat, as Telegram's `chat_instance`.
fn chat_instance(chat_id: i64) -> String {
    (chat_id as u64)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .to_string()
}

impl crate::state::State {
    /// Queues a user's message (see [`crate::FakeBotApi::push_message`]) and wakes long polls.
    pub(crate) fn push_message(
        &self,
        chat_id: i64,
        from: Option<User>,
        text: &str,
        thread_id: Option<i32>,
        reply_to: Option<i32>,
    ) -> i32 {
        let unix = crate::methods::unix_now();
        let id = message(
            &mut self.lock(),
            &self.config,
            chat_id,
            from,
            text,
            thread_id,
            reply_to,
            unix,
        );
        self.wake_polls();
        id
    }

    /// Queues a button press (see [`crate::FakeBotApi::push_callback`]) and wakes long polls.
    pub(crate) fn push_callback(
        &self,
        chat_id: i64,
        from: User,
        message_id: i32,
        data: &str,
    ) -> String {
        let id = callback(
            &mut self.lock(),
            &self.config,
            chat_id,
            from,
            message_id,
            data,
        );
        self.wake_polls();
        id
    }

    /// Queues a migration's service messages (see [`crate::FakeBotApi::push_migration`]).
    pub(crate) fn push_migration(&self, from_chat: i64, to_chat: i64) {
        let unix = crate::methods::unix_now();
        migration(&mut self.lock(), &self.config, from_chat, to_chat, unix);
        self.wake_polls();
    }

    /// Queues an arbitrary update and returns its `update_id`.
    pub(crate) fn push_raw_update(&self, update: Value) -> i64 {
        let id = self.lock().updates.push_raw(update);
        self.wake_polls();
        id
    }
}
