//! Bot API objects as Telegram serialises them: `User`, `Chat`, `ChatFullInfo`, `ChatMember`,
//! `Message`. Field sets follow teloxide-core 0.13's types (every field it requires is here,
//! otherwise teloxide fails with `InvalidJson`).

use serde_json::{Map, Value, json};

use crate::chats::{ChatState, Content, Sender, Status, Stored};
use crate::config::{ChatKind, ChatSpec, Config, User};

/// The account Telegram shows for anonymous group administrators.
pub(crate) fn group_anonymous_bot() -> User {
    User {
        id: 1_087_968_824,
        is_bot: true,
        first_name: "Group".to_string(),
        username: Some("GroupAnonymousBot".to_string()),
        language_code: None,
    }
}

/// The bot itself as a `User`.
pub(crate) fn bot_user(config: &Config) -> User {
    User {
        id: config.bot_id(),
        is_bot: true,
        first_name: config.bot_first_name.clone(),
        username: Some(config.bot_username.clone()),
        language_code: None,
    }
}

pub(crate) fn user(user: &User) -> Value {
    let mut object = json!({ "id": user.id, "is_bot": user.is_bot, "first_name": user.first_name });
    if let Some(username) = &user.username {
        object["username"] = json!(username);
    }
    if let Some(language) = &user.language_code {
        object["language_code"] = json!(language);
    }
    object
}

/// `getMe`'s answer (teloxide's `Me`).
pub(crate) fn me(config: &Config) -> Value {
    let mut object = user(&bot_user(config));
    for (key, value) in [
        ("can_join_groups", true),
        ("can_read_all_group_messages", false),
        ("supports_inline_queries", false),
        ("can_connect_to_business", false),
        ("has_main_web_app", false),
    ] {
        object[key] = json!(value);
    }
    object
}

pub(crate) fn chat(spec: &ChatSpec) -> Value {
    let mut object = json!({ "id": spec.id, "type": spec.type_name() });
    match &spec.kind {
        ChatKind::Private { user } => {
            object["first_name"] = json!(user.first_name);
            if let Some(username) = &user.username {
                object["username"] = json!(username);
            }
        }
        ChatKind::Group { title } | ChatKind::Channel { title } => object["title"] = json!(title),
        ChatKind::Supergroup { title, is_forum } => {
            object["title"] = json!(title);
            if *is_forum {
                object["is_forum"] = json!(true);
            }
        }
    }
    object
}

/// `getChat`'s answer (teloxide's `ChatFullInfo`).
pub(crate) fn chat_full_info(spec: &ChatSpec) -> Value {
    let mut object = chat(spec);
    object["accent_color_id"] = json!(0);
    object["max_reaction_count"] = json!(11);
    object["accepted_gift_types"] = json!({
        "unlimited_gifts": false,
        "limited_gifts": false,
        "unique_gifts": false,
        "premium_subscription": false,
    });
    object
}

/// A `ChatMember` with the given status (teloxide's `ChatMember`).
pub(crate) fn chat_member(member: &User, status: Status) -> Value {
    match status {
        Status::Creator => {
            json!({ "user": user(member), "status": "creator", "is_anonymous": false })
        }
        Status::Member => json!({ "user": user(member), "status": "member" }),
        Status::Administrator => {
            let mut object = json!({ "user": user(member), "status": "administrator" });
            for key in [
                "is_anonymous",
                "can_be_edited",
                "can_change_info",
                "can_restrict_members",
                "can_promote_members",
            ] {
                object[key] = json!(false);
            }
            for key in [
                "can_manage_chat",
                "can_delete_messages",
                "can_manage_video_chats",
                "can_invite_users",
                "can_pin_messages",
            ] {
                object[key] = json!(true);
            }
            object
        }
    }
}

/// A `Message` in `chat`, with one level of `reply_to_message`.
pub(crate) fn message(chat_state: &ChatState, stored: &Stored, bot: &User) -> Value {
    let mut object = message_without_reply(chat_state, stored, bot);
    let replied = stored.reply_to.and_then(|id| chat_state.messages.get(&id));
    if let Some(replied) = replied {
        object["reply_to_message"] = message_without_reply(chat_state, replied, bot);
    }
    object
}

fn message_without_reply(chat_state: &ChatState, stored: &Stored, bot: &User) -> Value {
    let spec = &chat_state.spec;
    let mut object = Map::new();
    object.insert("message_id".into(), json!(stored.message_id));
    object.insert("date".into(), json!(stored.date));
    object.insert("chat".into(), chat(spec));
    insert_sender(&mut object, spec, &stored.sender, bot);
    if let (Some(thread), true) = (stored.thread_id, spec.is_forum()) {
        object.insert("message_thread_id".into(), json!(thread));
        object.insert("is_topic_message".into(), json!(true));
    }
    match &stored.content {
        Content::Text { text, parse_mode } => {
            let shown = plain_text(text, parse_mode.as_deref());
            if let Some(entities) = command_entity(&shown) {
                object.insert("entities".into(), entities);
            }
            object.insert("text".into(), json!(shown));
        }
        Content::Poll(poll) => {
            object.insert("poll".into(), poll.json());
        }
        Content::Photo {
            file_id,
            width,
            height,
            size,
            caption,
            parse_mode,
        } => {
            let sizes = photo_sizes(file_id, (*width, *height), *size);
            object.insert("photo".into(), sizes);
            if let Some(caption) = caption.as_deref().filter(|c| !c.is_empty()) {
                let (shown, entities) = caption_shown(caption, parse_mode.as_deref());
                object.insert("caption".into(), json!(shown));
                if entities.as_array().is_some_and(|list| !list.is_empty()) {
                    object.insert("caption_entities".into(), entities);
                }
            }
        }
        Content::MigrateTo(to) => {
            object.insert("migrate_to_chat_id".into(), json!(to));
        }
        Content::MigrateFrom(from) => {
            object.insert("migrate_from_chat_id".into(), json!(from));
        }
    }
    if let Some(markup) = &stored.reply_markup {
        object.insert("reply_markup".into(), markup.clone());
    }
    if let Some(edit_date) = stored.edit_date {
        object.insert("edit_date".into(), json!(edit_date));
    }
    Value::Object(object)
}

fn insert_sender(object: &mut Map<String, Value>, spec: &ChatSpec, sender: &Sender, bot: &User) {
    match sender {
        Sender::Bot if spec.is_channel() => {
            object.insert("sender_chat".into(), chat(spec));
        }
        Sender::Bot => {
            object.insert("from".into(), user(bot));
        }
        Sender::User(from) => {
            object.insert("from".into(), user(from));
        }
        Sender::AnonymousAdmin => {
            object.insert("from".into(), user(&group_anonymous_bot()));
            object.insert("sender_chat".into(), chat(spec));
        }
        Sender::Channel => {
            object.insert("sender_chat".into(), chat(spec));
        }
    }
}

/// A photo's `PhotoSize` list as Telegram gives it: smaller copies (longest side 90 and 320)
/// where the photo is larger, then the photo itself; sizes in bytes of copies are estimates.
fn photo_sizes(file_id: &str, (width, height): (u32, u32), size: usize) -> Value {
    let longest = width.max(height);
    let mut sizes: Vec<Value> = [(90u32, "s"), (320, "m")]
        .iter()
        .filter(|(side, _)| longest > *side)
        .map(|(side, tag)| {
            let scale = |v: u32| ((v as u64 * *side as u64) / longest as u64).max(1);
            json!({
                "file_id": format!("{file_id}-{tag}"),
                "file_unique_id": format!("{file_id}-{tag}-u"),
                "width": scale(width),
                "height": scale(height),
                "file_size": size * (*side as usize) / longest.max(1) as usize,
            })
        })
        .collect();
    sizes.push(json!({
        "file_id": file_id,
        "file_unique_id": format!("{file_id}-u"),
        "width": width,
        "height": height,
        "file_size": size,
    }));
    Value::Array(sizes)
}

/// A caption as shown and its `caption_entities` (none without HTML parse mode).
pub(crate) fn caption_shown(caption: &str, parse_mode: Option<&str>) -> (String, Value) {
    let is_html = parse_mode.is_some_and(|mode| mode.eq_ignore_ascii_case("html"));
    match crate::html::text_and_entities(caption) {
        Ok((text, entities)) if is_html => (
            text,
            Value::Array(entities.iter().map(|e| e.json()).collect()),
        ),
        _ => (plain_text(caption, parse_mode), json!([])),
    }
}

/// A `bot_command` entity for a text starting with `/command[@bot]` (offsets in UTF-16).
fn command_entity(text: &str) -> Option<Value> {
    if !text.starts_with('/') {
        return None;
    }
    let command = text.split(char::is_whitespace).next().unwrap_or(text);
    if command.len() < 2 {
        return None;
    }
    let length = command.encode_utf16().count();
    Some(json!([{ "type": "bot_command", "offset": 0, "length": length }]))
}

/// The text Telegram shows: for HTML, tags removed and character references decoded.
pub(crate) fn plain_text(text: &str, parse_mode: Option<&str>) -> String {
    if !parse_mode.is_some_and(|mode| mode.eq_ignore_ascii_case("html")) {
        return text.to_string();
    }
    let mut shown = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '<' && rest.contains('>') {
            rest = &rest[rest.find('>').map_or(rest.len(), |end| end + 1)..];
        } else if let Some((decoded, used)) = (c == '&').then(|| decode_reference(rest)).flatten() {
            shown.push(decoded);
            rest = &rest[used..];
        } else {
            shown.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    shown
}

/// Decodes `&lt;`, `&gt;`, `&amp;`, `&quot;`, `&#NN;` or `&#xNN;` at the start of `text`.
fn decode_reference(text: &str) -> Option<(char, usize)> {
    let end = text.find(';')?;
    let name = &text[1..end];
    let decoded = match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some((decoded, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_shown_without_tags_and_with_references_decoded() {
        let html = "<b>a &lt;b&gt;</b> &amp; <a href=\"x\">link</a> &#955;&#x3bb;";
        assert_eq!(plain_text(html, Some("HTML")), "a <b> & link λλ");
        assert_eq!(plain_text("<b>", None), "<b>");
    }

    #[test]
    fn commands_get_a_utf16_entity() {
        let entity = command_entity("/ask@studybot_test_bot llm").unwrap();
        assert_eq!(entity[0]["length"], 22);
        assert_eq!(command_entity("hello /ask"), None);
        assert_eq!(command_entity("/"), None);
    }

    #[test]
    fn me_has_every_field_teloxide_requires() {
        let me = me(&Config::default());
        for key in ["id", "is_bot", "first_name", "username", "can_join_groups"] {
            assert!(me.get(key).is_some(), "{key}");
        }
        assert_eq!(me["id"], 123456);
        assert_eq!(me["has_main_web_app"], false);
    }
}
