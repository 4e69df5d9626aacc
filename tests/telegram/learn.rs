//! Learning that sticks on Telegram, end to end against the strict fake
//! Bot API: a reveal in a group rated by three members (one changes their
//! mind), toasts, `/stats` in the group and in private, the deep link to a
//! private review, and each member's own card in `/review` once the clock
//! says it is due.

use crate::support::*;
use fake_bot_api::{ChatSpec, FakeBotApi, SentMessage, User};
use jiff::{SignedDuration, Timestamp};

const GROUP: i64 = -100_5005;

fn member(id: i64, name: &str) -> User {
    User::new(id, name).with_language("en")
}

/// The callback data of every button of a message, row by row.
fn keyboard(message: &SentMessage) -> Vec<Vec<String>> {
    let Some(markup) = &message.reply_markup else {
        return Vec::new();
    };
    markup["inline_keyboard"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            row.as_array()
                .unwrap()
                .iter()
                .map(|b| b["callback_data"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .collect()
}

/// Presses `data` on `message` and waits for the press to be answered;
/// returns the toast.
async fn press(fake: &FakeBotApi, chat: i64, who: &User, message: i32, data: &str) -> String {
    let before = fake.callback_answers().len();
    fake.push_callback(chat, who.clone(), message, data);
    let answered = fake
        .wait_until(PATIENCE, |f| f.callback_answers().len() > before)
        .await;
    assert!(answered, "the press of {data} was answered");
    fake.callback_answers()[before]
        .text
        .clone()
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_reveal_rated_by_three_feeds_each_ones_private_review() {
    let fake = strict_fake().await;
    let (ann, bob, cy) = (member(7, "Ann"), member(8, "Bob"), member(9, "Cy"));
    fake.add_chat(ChatSpec::group(GROUP, "Study group"));
    fake.set_admins(GROUP, &[ann.id]);
    for user in [&ann, &bob, &cy] {
        fake.add_chat(ChatSpec::private_with(user.clone()));
    }
    let start: Timestamp = "2026-03-02T02:00:00Z".parse().unwrap();
    let bot = TestBot::start_at(&fake, start).await;
    bot.say(GROUP, Some(ann.clone()), "/lang en", 1).await;

    // A question, its reveal: one row of four ratings.
    let asked = bot.say(GROUP, Some(ann.clone()), "/ask", 1).await;
    let show = button_data(&asked[0]).unwrap();
    press(&fake, GROUP, &ann, asked[0].message_id, &show).await;
    let reveal = bot.wait_for_messages(GROUP, 3).await.pop().unwrap();
    let rows = keyboard(&reveal);
    assert_eq!(rows.len(), 2, "ratings, then report a problem: {rows:?}");
    let [again, hard, good, easy] = <[String; 4]>::try_from(rows[0].clone()).unwrap();

    let id = reveal.message_id;
    assert_eq!(
        press(&fake, GROUP, &ann, id, &good).await,
        "Good, next review in 3 days"
    );
    assert_eq!(
        press(&fake, GROUP, &bob, id, &again).await,
        "Again, next review tomorrow"
    );
    assert_eq!(
        press(&fake, GROUP, &cy, id, &easy).await,
        "Easy, next review in 15 days"
    );
    assert_eq!(
        press(&fake, GROUP, &bob, id, &hard).await,
        "Changed to Hard, next review in 2 days"
    );
    bot.settle().await;
    assert_eq!(messages_in(&fake, GROUP).len(), 3, "presses post nothing");

    let stats = bot.say(GROUP, Some(cy.clone()), "/stats", 1).await;
    let photo = fake
        .sent_photos()
        .pop()
        .expect("the group's stats come as a photo");
    assert_eq!(
        (photo.chat_id, photo.message_id),
        (GROUP, stats[0].message_id)
    );
    let board = visible(&stats[0]);
    assert!(board.contains("3 people rated 3 times"), "{board}");
    for name in ["Ann", "Bob", "Cy"] {
        assert!(board.contains(name), "{name} in {board}");
    }

    // In the group, /review is a link to a private chat.
    let link = bot.say(GROUP, Some(bob.clone()), "/review", 1).await;
    let open = button_data(&link[0]).unwrap();
    fake.push_callback(GROUP, bob.clone(), link[0].message_id, &open);
    let opened = fake
        .wait_until(PATIENCE, |f| {
            f.callback_answers().iter().any(|a| a.url.is_some())
        })
        .await;
    assert!(opened);
    let url = fake
        .callback_answers()
        .into_iter()
        .find_map(|a| a.url)
        .unwrap();
    assert_eq!(url, "https://t.me/studybot_test_bot?start=review");

    // Two days and an hour later only Bob (Hard: 2 days) has a card due.
    bot.clock.set(start + SignedDuration::from_hours(49));
    let nothing = bot.say(7, Some(ann.clone()), "/review", 1).await;
    assert!(
        visible(&nothing[0]).contains("Nothing due; next review on 2026-03-05"),
        "{}",
        visible(&nothing[0])
    );
    let card = bot.say(8, Some(bob.clone()), "/start review", 1).await;
    assert!(visible(&card[0]).contains("Review (1 card due)"));
    let show_card = button_data(&card[0]).unwrap();
    press(&fake, 8, &bob, card[0].message_id, &show_card).await;
    let answer = bot.wait_for_messages(8, 2).await.pop().unwrap();
    let rate_good = keyboard(&answer)[0][2].clone();
    let toast = press(&fake, 8, &bob, answer.message_id, &rate_good).await;
    assert!(toast.starts_with("Good, next review in"), "{toast}");
    let done = bot.wait_for_messages(8, 3).await.pop().unwrap();
    assert!(visible(&done).contains("That was the last card due"));

    let mine = bot.say(8, Some(bob.clone()), "/stats", 1).await;
    let mine = visible(&mine[0]);
    assert!(mine.contains("Ratings this week: 2"), "{mine}");
    assert!(mine.contains("Cards: 1"), "{mine}");
    // One review of a due card, rated Good.
    assert!(mine.contains("Retention: 100%"), "{mine}");
    assert_nothing_rejected(&fake);
    bot.stop().await;
}
