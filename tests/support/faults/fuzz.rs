//! Random and malformed Telegram updates for the fuzz (`tests/faults/fuzz.rs`):
//! odd commands and arguments, hostile text, forged button data, and raw
//! updates of kinds and shapes the bot must shrug off. Every draw comes from
//! the seeded `XorShift`, so a failing run can be replayed.

use fake_bot_api::{FakeBotApi, User};
use jiff::Timestamp;
use serde_json::{Value, json};

use super::XorShift;

pub const GUARDED: i64 = -6006;
pub const FORUM: i64 = -1_000_000_006_007;
pub const TOPIC: i32 = 5;
pub const CHANNEL: i64 = -1_000_000_006_008;
pub const ADMIN: i64 = 999;
/// Senders 1..=USERS: none administers the guarded group.
pub const USERS: i64 = 20;

pub const ODD_COMMANDS: &[&str] = &[
    "/daily 25:99 Mars/Base",
    "/daily 09:00 Europe/Paris",
    "/daily 7:5",
    "/daily -1:00",
    "/daily 23:59 UTC and more words",
    "/daily off",
    "/daily",
    "/reveal -5h",
    "/reveal 3h",
    "/reveal 99999999999999999999m",
    "/reveal 12:00",
    "/reveal off",
    "/reveal",
    "/lang 😀",
    "/lang en",
    "/lang zh",
    "/lang <b>en</b>",
    "/lang",
    "/ask ../../",
    "/ask",
    "/ask training",
    "/ask <script>&amp;\"'",
    "/ASK",
    "/ask\nllm",
    "/ask@studybot_test_bot",
    "/ask@OtherBot",
    "/answer",
    "/answer ../../etc/passwd",
    "/answer 999",
    "/answer \u{202e}evil",
    "/topics",
    "/settings",
    "/settings@studybot_test_bot extra",
    "/start",
    "/start@studybot_test_bot payload",
    "/help",
    "/frobnicate",
    "/frobnicate@studybot_test_bot",
    "/",
    "//",
    "/ ",
    "/🤖",
    "/daily\u{0}",
];

/// Characters random text is drawn from: ASCII, HTML specials, CJK,
/// emoji (astral, UTF-16 pairs), combining marks, controls, RTL marks.
pub const PALETTE: &[char] = &[
    'a', 'Z', '0', ' ', '\n', '\t', '/', '@', '<', '>', '&', '"', '\'', ';', '#', '*', '_', '`',
    '[', ']', '题', '答', '案', '😀', '🤖', '\u{301}', '\u{0}', '\u{7}', '\u{202e}', '\u{feff}',
    '\u{ffff}',
];

pub fn random_text(rng: &mut XorShift) -> String {
    let len = if rng.chance(2) {
        10_000
    } else {
        rng.below(120)
    };
    let mut text: String = (0..len).map(|_| *rng.pick(PALETTE)).collect();
    if rng.chance(30) {
        let command = *rng.pick(ODD_COMMANDS);
        text.insert_str(0, command);
    }
    text
}

/// A command with random, sometimes huge, arguments.
pub fn odd_command(rng: &mut XorShift) -> String {
    let command = rng.pick(ODD_COMMANDS).to_string();
    match rng.below(4) {
        0 => format!("{command} {}", random_text(rng)),
        1 => format!(
            "{} {}",
            command.split(' ').next().unwrap_or("/"),
            "x".repeat(rng.below(5000))
        ),
        _ => command,
    }
}

pub fn forged_data(rng: &mut XorShift) -> String {
    let forged = [
        "v1:r:../../etc",
        "v1:r:",
        "v1:x:abc",
        "v0:r:training-challenges",
        "v1:r:ABC",
        "v1:r:a b",
        "🤖",
        "v1:r:no-such-question",
    ];
    if rng.chance(20) {
        return "z".repeat(64);
    }
    rng.pick(&forged).to_string()
}

/// The chats of the fuzz: (chat id, its JSON, a sender for it).
pub struct World {
    pub users: Vec<User>,
}

impl World {
    pub fn user(&self, rng: &mut XorShift) -> User {
        rng.pick(&self.users).clone()
    }

    pub fn chat_json(&self, chat: i64) -> Value {
        match chat {
            GUARDED => json!({"id": GUARDED, "type": "group", "title": "Guarded"}),
            FORUM => json!({"id": FORUM, "type": "supergroup", "title": "Forum", "is_forum": true}),
            CHANNEL => json!({"id": CHANNEL, "type": "channel", "title": "Channel"}),
            user => json!({"id": user, "type": "private", "first_name": format!("User {user}")}),
        }
    }
}

pub fn user_json(user: &User) -> Value {
    json!({"id": user.id, "is_bot": user.is_bot, "first_name": user.first_name})
}

/// A raw update of some kind the bot must shrug off.
pub fn raw_update(world: &World, rng: &mut XorShift, message_id: i32) -> Value {
    let user = world.user(rng);
    let date = Timestamp::now().as_second();
    let guarded = world.chat_json(GUARDED);
    let base = |chat: Value| json!({"message_id": message_id, "date": date, "chat": chat});
    let mut message = base(guarded.clone());
    match rng.below(11) {
        0 => {
            message["from"] = user_json(&user);
            message["text"] = json!("/lang en (edited)");
            json!({"edited_message": message})
        }
        1 => {
            message["from"] = user_json(&user);
            message["sticker"] = json!({"file_id": "s", "file_unique_id": "u", "type": "regular",
                "width": 512, "height": 512, "is_animated": false, "is_video": false});
            json!({"message": message})
        }
        2 => {
            message["from"] = user_json(&user);
            message["new_chat_members"] = json!([user_json(&user)]);
            json!({"message": message})
        }
        // No sender at all: nobody to call an administrator.
        3 => {
            message["text"] =
                json!(rng.pick(&["/lang zh", "/daily 08:00", "/reveal off", "/daily off"]));
            json!({"message": message})
        }
        // A channel posting into the group as itself is no admin of it.
        4 => {
            message["sender_chat"] = world.chat_json(CHANNEL);
            message["text"] = json!("/daily 06:30 UTC");
            json!({"message": message})
        }
        5 => {
            let mut post = base(world.chat_json(CHANNEL));
            post["sender_chat"] = world.chat_json(CHANNEL);
            post["text"] = json!(random_text(rng));
            json!({"channel_post": post})
        }
        6 => json!({"galactic_event": {"id": rng.next_u64() % 1000, "payload": random_text(rng)}}),
        7 => json!({"message": {"chat": "nope", "text": 5, "date": "yesterday"}}),
        8 => {
            message["from"] = json!({"id": user.id, "is_bot": true, "first_name": "Robot"});
            message["text"] = json!("/lang zh");
            json!({"message": message})
        }
        9 => {
            let mut topic = base(world.chat_json(FORUM));
            topic["from"] = user_json(&user);
            topic["message_thread_id"] = json!(TOPIC);
            topic["is_topic_message"] = json!(true);
            topic["text"] = json!(odd_command(rng));
            json!({"message": topic})
        }
        _ => json!({"edited_channel_post": base(world.chat_json(CHANNEL))}),
    }
}

/// Pushes one random update; returns what kind it was for the tally.
pub fn push_random(
    fake: &FakeBotApi,
    world: &World,
    rng: &mut XorShift,
    bot_messages: &[(i64, i32)],
    n: i32,
) -> usize {
    let user = world.user(rng);
    let chat = *rng.pick(&[GUARDED, GUARDED, user.id, FORUM, CHANNEL]);
    let from = (chat != CHANNEL).then(|| user.clone());
    match rng.below(20) {
        0..=8 => {
            fake.push_message(
                chat,
                from,
                &odd_command(rng),
                (chat == FORUM).then_some(TOPIC),
            );
            0
        }
        9..=12 => {
            fake.push_message(chat, from, &random_text(rng), None);
            1
        }
        13..=16 => {
            let (chat, message, data) = match (rng.chance(60), bot_messages.is_empty()) {
                (true, false) => {
                    let (chat, id) = *rng.pick(bot_messages);
                    (chat, id, forged_data(rng))
                }
                _ => (chat, 900_000 + rng.below(1000) as i32, forged_data(rng)),
            };
            fake.push_callback(chat, user, message, &data);
            2
        }
        _ => {
            fake.push_raw_update(raw_update(world, rng, 800_000 + n));
            3
        }
    }
}
