//! 10,000 random and malformed updates through the real dispatcher: odd
//! commands and arguments, huge and hostile text, forged button data,
//! presses on missing messages, edits, stickers, joins, messages without a
//! sender, channel posts and update kinds nobody knows. The bot must not
//! panic, must not let a non-admin change a group's settings, must send
//! nothing Telegram would refuse, and must still answer afterwards.
//!
//! One test per binary: the panic hook below counts every panic in it.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use fake_bot_api::{ChatSpec, FakeBotApi, User};
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};
use studybot::clock::Clock;
use studybot::store::{ChatKind, PlanRow, Store};
use support::faults::*;
use support::*;

const UPDATES: usize = 10_000;
const SEED: u64 = 0x5eed_f00d;
const GUARDED: i64 = -6006;
const FORUM: i64 = -1_000_000_006_007;
const TOPIC: i32 = 5;
const CHANNEL: i64 = -1_000_000_006_008;
const ADMIN: i64 = 999;
/// Senders 1..=USERS: none administers the guarded group.
const USERS: i64 = 20;

static PANICS: AtomicUsize = AtomicUsize::new(0);

fn count_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        PANICS.fetch_add(1, Ordering::SeqCst);
        default(info);
    }));
}

const ODD_COMMANDS: &[&str] = &[
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
const PALETTE: &[char] = &[
    'a', 'Z', '0', ' ', '\n', '\t', '/', '@', '<', '>', '&', '"', '\'', ';', '#', '*', '_', '`',
    '[', ']', '题', '答', '案', '😀', '🤖', '\u{301}', '\u{0}', '\u{7}', '\u{202e}', '\u{feff}',
    '\u{ffff}',
];

fn random_text(rng: &mut XorShift) -> String {
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
fn odd_command(rng: &mut XorShift) -> String {
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

fn forged_data(rng: &mut XorShift) -> String {
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
struct World {
    users: Vec<User>,
}

impl World {
    fn user(&self, rng: &mut XorShift) -> User {
        rng.pick(&self.users).clone()
    }

    fn chat_json(&self, chat: i64) -> Value {
        match chat {
            GUARDED => json!({"id": GUARDED, "type": "group", "title": "Guarded"}),
            FORUM => json!({"id": FORUM, "type": "supergroup", "title": "Forum", "is_forum": true}),
            CHANNEL => json!({"id": CHANNEL, "type": "channel", "title": "Channel"}),
            user => json!({"id": user, "type": "private", "first_name": format!("User {user}")}),
        }
    }
}

fn user_json(user: &User) -> Value {
    json!({"id": user.id, "is_bot": user.is_bot, "first_name": user.first_name})
}

/// A raw update of some kind the bot must shrug off.
fn raw_update(world: &World, rng: &mut XorShift, message_id: i32) -> Value {
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
fn push_random(
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

/// The guarded group's settings, as stored.
async fn guarded_settings(
    store: &Store,
) -> (Option<String>, Option<String>, Option<PlanRow>, bool) {
    let chat = store
        .chat(GUARDED)
        .await
        .unwrap()
        .expect("the group is known");
    (
        chat.language,
        chat.timezone,
        store.plan(GUARDED).await.unwrap(),
        chat.active,
    )
}

/// Pushes `/ask` and waits for a question (a message with a button).
async fn still_answers(fake: &FakeBotApi, chat: i64, from: Option<User>) -> bool {
    let before = messages_in(fake, chat).len();
    fake.push_message(chat, from, "/ask", (chat == FORUM).then_some(TOPIC));
    fake.wait_until(PATIENCE, |f| {
        messages_in(f, chat)[before..]
            .iter()
            .any(|m| button_data(m).is_some())
    })
    .await
}

async fn guarded_group(store: &Store) {
    let now = Timestamp::now();
    store
        .upsert_chat(GUARDED, ChatKind::Group, Some("Guarded"), now.as_second())
        .await
        .unwrap();
    store
        .set_language(GUARDED, "en", now.as_second())
        .await
        .unwrap();
    store
        .set_timezone(GUARDED, "Europe/Berlin", now.as_second())
        .await
        .unwrap();
    let later = (now + SignedDuration::from_hours(6))
        .in_tz("Europe/Berlin")
        .unwrap();
    let plan = PlanRow {
        chat_id: GUARDED,
        post_time: later.strftime("%H:%M").to_string(),
        timezone: "Europe/Berlin".to_string(),
        tag: None,
        reveal: "after 90".to_string(),
        thread_id: None,
        paused: false,
    };
    store.save_plan(&plan, now.as_second()).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_random_and_malformed_updates() {
    count_panics();
    let fake = strict_fake().await;
    fake.set_rate_limits(false);
    let world = World {
        users: (1..=USERS)
            .map(|id| User::new(id, &format!("User {id}")))
            .collect(),
    };
    for user in &world.users {
        fake.add_chat(ChatSpec::private_with(user.clone()));
    }
    fake.add_chat(ChatSpec::group(GUARDED, "Guarded"));
    fake.set_admins(GUARDED, &[ADMIN]);
    fake.add_chat(ChatSpec::supergroup(FORUM, "Forum", true));
    fake.add_topic(FORUM, TOPIC);
    fake.add_chat(ChatSpec::channel(CHANNEL, "Channel"));

    let dir = Arc::new(tempfile::tempdir().unwrap());
    let database = database_in(dir.path());
    let store = Store::open(&database).await.unwrap();
    guarded_group(&store).await;
    let settings_before = guarded_settings(&store).await;
    let bot = start_with_limits(
        &fake,
        &database,
        Clock::system(),
        engine_config(),
        dir,
        unlimited(),
    )
    .await;

    let started = Instant::now();
    let mut rng = XorShift::new(SEED);
    let mut tally = [0usize; 4];
    let mut bot_messages: Vec<(i64, i32)> = Vec::new();
    for n in 0..UPDATES {
        if n % 500 == 0 {
            bot_messages = fake
                .sent_messages()
                .iter()
                .map(|m| (m.chat_id, m.message_id))
                .collect();
        }
        tally[push_random(&fake, &world, &mut rng, &bot_messages, n as i32)] += 1;
        if n % 100 == 99 {
            // Feed at the pace the bot takes them, so a stall shows as one.
            let keeping_up = fake
                .wait_until(PATIENCE, |f| f.pending_updates() < 300)
                .await;
            assert!(keeping_up, "the bot stopped taking updates after {n}");
        }
    }
    let drained = fake
        .wait_until(Duration::from_secs(60), |f| f.pending_updates() == 0)
        .await;
    assert!(drained, "{} updates never taken", fake.pending_updates());
    assert!(is_running(&bot), "the bot task ended");

    // Still answering everywhere: each chat's earlier updates came first.
    let user = world.users[0].clone();
    for (chat, from) in [
        (GUARDED, Some(user.clone())),
        (user.id, Some(user.clone())),
        (FORUM, Some(user)),
        (CHANNEL, None),
    ] {
        assert!(
            still_answers(&fake, chat, from).await,
            "no /ask answer in chat {chat}"
        );
    }
    let presses = tally[2];
    let all_answered = fake
        .wait_until(PATIENCE, |f| f.callback_answers().len() >= presses)
        .await;
    assert!(
        all_answered,
        "{} of {presses} button presses answered",
        fake.callback_answers().len()
    );
    let elapsed = started.elapsed();
    assert_eq!(PANICS.load(Ordering::SeqCst), 0, "the bot panicked");
    assert_eq!(
        guarded_settings(&store).await,
        settings_before,
        "a non-admin changed the group"
    );
    assert_nothing_rejected(&fake);
    println!(
        "fuzz: {UPDATES} updates ({} commands, {} random texts, {} button presses, {} raw; {} \
         filtered as kinds the bot did not ask for) → {} messages, {} button answers, no panic, \
         nothing rejected; {elapsed:.1?}",
        tally[0],
        tally[1],
        tally[2],
        tally[3],
        fake.filtered_updates(),
        fake.sent_count(),
        fake.callback_answers().len()
    );
    bot.stop().await;
}
