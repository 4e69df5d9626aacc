//! One group flooding the bot with commands must not stall anyone else:
//! quiet chats are answered promptly, the flooded group is answered within
//! Telegram's 20 a minute (no 429), told to slow down once, and a stop
//! during the flood is prompt.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::support::{TestBot, button_data, messages_in, strict_fake, visible};
use fake_bot_api::{ChatSpec, User};

const FLOODED: i64 = -1_001_000_000_001;

/// 1,000 `/ask` from 5 members within 5 s.
async fn flood(fake: &fake_bot_api::FakeBotApi) {
    for batch in 0..20 {
        for i in 0..50 {
            let member = 101 + (batch * 50 + i) % 5;
            fake.push_message(FLOODED, Some(User::new(member, "Member")), "/ask", None);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn quiet_chats() -> Vec<(i64, i64)> {
    let mut chats = vec![(201, 201)];
    chats.extend((0..10).map(|i| (-1_001_000_000_100 - i, 300 + i)));
    chats
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flooded_group_stalls_no_other_chat_and_is_told_once() {
    let fake = strict_fake().await;
    fake.add_chat(ChatSpec::supergroup(FLOODED, "Flood", false));
    let bot = TestBot::start(&fake).await;
    flood(&fake).await;
    let asked = Instant::now();
    for (chat, person) in quiet_chats() {
        fake.push_message(chat, Some(User::new(person, "Quiet")), "/ask", None);
    }
    let answered = fake
        .wait_until(Duration::from_secs(8), |f| {
            quiet_chats()
                .iter()
                .all(|(chat, _)| !messages_in(f, *chat).is_empty())
        })
        .await;
    let took = asked.elapsed();
    let missing: Vec<i64> = quiet_chats()
        .iter()
        .map(|(chat, _)| *chat)
        .filter(|chat| messages_in(&fake, *chat).is_empty())
        .collect();
    assert!(answered, "no reply in {took:?} in chats {missing:?}");
    // A button pressed in the flooded group is answered at once.
    let with_button = messages_in(&fake, FLOODED)
        .into_iter()
        .find_map(|m| button_data(&m).map(|data| (m.message_id, data)))
        .expect("a reply with a button in the flooded group");
    let pressed = Instant::now();
    let query = fake.push_callback(
        FLOODED,
        User::new(101, "Member"),
        with_button.0,
        &with_button.1,
    );
    let answered = fake
        .wait_until(Duration::from_secs(3), |f| {
            f.callback_answers()
                .iter()
                .any(|a| a.callback_query_id == query)
        })
        .await;
    assert!(answered, "the press waited {:?}", pressed.elapsed());
    // Let the flooded group's backlog play out a while.
    tokio::time::sleep(Duration::from_secs(8)).await;
    let flooded = messages_in(&fake, FLOODED);
    assert!(
        flooded.len() <= 20,
        "{} messages in the flooded group within a minute",
        flooded.len()
    );
    assert!(!flooded.is_empty(), "the flooded group got no reply at all");
    let notes: Vec<String> = flooded
        .iter()
        .map(visible)
        .filter(|t| t.contains("慢一点"))
        .collect();
    assert_eq!(notes.len(), 1, "slow-down notes: {notes:?}");
    assert_eq!(fake.count_429(), 0, "the bot went over Telegram's limits");
    let stopping = Instant::now();
    bot.stop().await;
    assert!(
        stopping.elapsed() < Duration::from_secs(10),
        "stopping took {:?}",
        stopping.elapsed()
    );
}

/// One person sending commands fast in private is skipped like a group.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_flooding_in_private_is_skipped_and_others_answered() {
    let fake = strict_fake().await;
    let bot = TestBot::start(&fake).await;
    for _ in 0..200 {
        fake.push_message(501, Some(User::new(501, "Fast")), "/ask", None);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let asked = Instant::now();
    fake.push_message(502, Some(User::new(502, "Calm")), "/ask", None);
    assert!(
        fake.wait_until(Duration::from_secs(5), |f| !messages_in(f, 502).is_empty())
            .await,
        "the calm person waited {:?}",
        asked.elapsed()
    );
    tokio::time::sleep(Duration::from_secs(4)).await;
    let mut per_chat: HashMap<i64, usize> = HashMap::new();
    for m in fake.sent_messages() {
        *per_chat.entry(m.chat_id).or_default() += 1;
    }
    let fast = per_chat.get(&501).copied().unwrap_or(0);
    assert!(fast <= 10, "{fast} replies to 200 commands in 4 s");
    assert_eq!(fake.count_429(), 0);
    bot.stop().await;
}
