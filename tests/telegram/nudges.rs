//! Reminders and the weekly digest on Telegram, end to end against the
//! strict fake Bot API on a movable clock: the digest is posted once at its
//! local time, and not again after a restart; a reminder reaches the
//! person's private chat on a day with a card due, once, its button starts
//! the review, and a 403 (the person blocked the bot) turns it off.

use crate::support::*;
use fake_bot_api::{ChatSpec, FakeBotApi, SentMessage, User};
use jiff::Timestamp;

const GROUP: i64 = -100_5005;

fn member(id: i64, name: &str) -> User {
    User::new(id, name).with_language("en")
}

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn containing(fake: &FakeBotApi, chat: i64, part: &str) -> Vec<SentMessage> {
    messages_in(fake, chat)
        .into_iter()
        .filter(|m| visible(m).contains(part))
        .collect()
}

/// Presses `data` on `message` and waits until the press is answered.
async fn press(fake: &FakeBotApi, chat: i64, who: &User, message: i32, data: &str) {
    let before = fake.callback_answers().len();
    fake.push_callback(chat, who.clone(), message, data);
    let answered = fake
        .wait_until(PATIENCE, |f| f.callback_answers().len() > before)
        .await;
    assert!(answered, "the press of {data} was answered");
}

/// A group where Ann (admin) asks and reveals a question at `start`, and
/// Bob rates it Again (his card is due a day later).
async fn rated_group(fake: &FakeBotApi, start: &str) -> TestBot {
    let (ann, bob) = (member(7, "Ann"), member(8, "Bob"));
    fake.add_chat(ChatSpec::group(GROUP, "Study group"));
    fake.set_admins(GROUP, &[ann.id]);
    for user in [&ann, &bob] {
        fake.add_chat(ChatSpec::private_with(user.clone()));
    }
    let bot = TestBot::start_at(fake, at(start)).await;
    bot.say(GROUP, Some(ann.clone()), "/lang en", 1).await;
    let asked = bot.say(GROUP, Some(ann.clone()), "/ask", 1).await;
    let show = button_data(&asked[0]).unwrap();
    press(fake, GROUP, &ann, asked[0].message_id, &show).await;
    let reveal = bot.wait_for_messages(GROUP, 3).await.pop().unwrap();
    let again = reveal.reply_markup.as_ref().unwrap()["inline_keyboard"][0][0]["callback_data"]
        .as_str()
        .unwrap()
        .to_string();
    press(fake, GROUP, &bob, reveal.message_id, &again).await;
    bot
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_weekly_digest_is_posted_once_at_its_local_time_even_across_a_restart() {
    let fake = strict_fake().await;
    // Tuesday 10:00 in Shanghai (the default zone).
    let bot = rated_group(&fake, "2026-03-03T02:00:00Z").await;
    let refused = bot
        .say(GROUP, Some(member(8, "Bob")), "/digest wed 09:00", 1)
        .await;
    assert!(visible(&refused[0]).contains("administrators"));
    let set = bot
        .say(GROUP, Some(member(7, "Ann")), "/digest wed 09:00", 1)
        .await;
    let set = visible(&set[0]);
    assert!(
        set.contains("Weekly digest: every Wednesday at 09:00"),
        "{set}"
    );

    // Wednesday 08:59:50 Shanghai: not yet.
    bot.clock.set(at("2026-03-04T00:59:50Z"));
    bot.settle().await;
    assert!(containing(&fake, GROUP, "Our week").is_empty());
    bot.clock.set(at("2026-03-04T01:00:00Z"));
    let posted = fake
        .wait_until(PATIENCE, |f| !containing(f, GROUP, "Our week").is_empty())
        .await;
    assert!(posted, "the digest was posted at 09:00");
    let digest = &containing(&fake, GROUP, "Our week")[0];
    let photo = fake
        .sent_photos()
        .pop()
        .expect("the digest comes as a photo");
    assert_eq!(
        (photo.chat_id, photo.message_id),
        (GROUP, digest.message_id)
    );
    assert!(photo.bytes.starts_with(b"\x89PNG"));
    let digest = visible(digest);
    for part in ["1 person rated 1 time", "Bob", "/review"] {
        assert!(digest.contains(part), "{part} missing in {digest}");
    }

    // A restart, and an hour later: still one digest this week.
    let bot = bot.restart().await;
    bot.clock.set(at("2026-03-04T02:00:00Z"));
    bot.settle().await;
    assert_eq!(containing(&fake, GROUP, "Our week").len(), 1);

    // The next Wednesday brings the next one.
    bot.clock.set(at("2026-03-11T01:00:00Z"));
    let next = fake
        .wait_until(PATIENCE, |f| containing(f, GROUP, "Our week").len() == 2)
        .await;
    assert!(next, "a week later, the next digest");
    bot.settle().await;
    assert_eq!(containing(&fake, GROUP, "Our week").len(), 2);
    assert_nothing_rejected(&fake);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reminder_reaches_the_private_chat_once_and_a_block_turns_it_off() {
    let fake = strict_fake().await;
    let bot = rated_group(&fake, "2026-03-02T02:00:00Z").await;
    let bob = member(8, "Bob");
    // In the group, /remind points to the private chat.
    let link = bot.say(GROUP, Some(bob.clone()), "/remind 20:00", 1).await;
    assert!(visible(&link[0]).contains("private chat"));
    let set = bot
        .say(8, Some(bob.clone()), "/remind 09:00 Europe/London", 1)
        .await;
    assert!(visible(&set[0]).contains("09:00 (Europe/London)"));

    // Tuesday 09:00 in London: Bob's card is due; one nudge.
    bot.clock.set(at("2026-03-03T09:00:00Z"));
    let nudged = fake
        .wait_until(PATIENCE, |f| !containing(f, 8, "card due").is_empty())
        .await;
    assert!(nudged, "the reminder arrived in private");
    let bot = bot.restart().await;
    bot.clock.set(at("2026-03-03T10:00:00Z"));
    bot.settle().await;
    let nudges = containing(&fake, 8, "card due");
    assert_eq!(nudges.len(), 1, "once a day, across a restart");
    // Its button starts the review there.
    let start = button_data(&nudges[0]).unwrap();
    let before = messages_in(&fake, 8).len();
    press(&fake, 8, &bob, nudges[0].message_id, &start).await;
    let card = bot.wait_for_messages(8, before + 1).await.pop().unwrap();
    assert!(
        visible(&card).contains("Review (1 card due)"),
        "{}",
        visible(&card)
    );
    assert_nothing_rejected(&fake);

    // Bob blocks the bot: Wednesday's nudge is refused, and the reminder
    // is off, so Thursday brings no attempt at all.
    fake.set_forbidden(8, "Forbidden: bot was blocked by the user");
    let tries = |f: &FakeBotApi| {
        f.requests_to("sendmessage")
            .iter()
            .filter(|r| r.body["chat_id"].as_i64() == Some(8))
            .count()
    };
    let before = tries(&fake);
    bot.clock.set(at("2026-03-04T09:00:00Z"));
    let tried = fake.wait_until(PATIENCE, |f| tries(f) > before).await;
    assert!(tried, "Wednesday's nudge was tried");
    bot.settle().await;
    let refused = tries(&fake);
    bot.clock.set(at("2026-03-05T09:00:00Z"));
    bot.settle().await;
    assert_eq!(tries(&fake), refused, "no retry storm: the reminder is off");
    bot.stop().await;
}
