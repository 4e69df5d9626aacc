//! A post's picture on Telegram, end to end against the strict fake Bot
//! API: `/stats` (private and group) arrives as a photo with its text as the
//! caption; a text too long for a caption follows the photo as messages,
//! nothing lost; a group that forbids photos gets the same text alone; a
//! person with no ratings has no picture, so text only.

use crate::support::*;
use fake_bot_api::{ChatSpec, FakeBotApi, Fault, SentPhoto, User};

const GROUP: i64 = -100_6006;
const AGAIN: usize = 0;
const GOOD: usize = 2;
const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

fn member(id: i64, name: &str) -> User {
    User::new(id, name).with_language("en")
}

fn photos_in(fake: &FakeBotApi, chat: i64) -> Vec<SentPhoto> {
    fake.sent_photos()
        .into_iter()
        .filter(|p| p.chat_id == chat)
        .collect()
}

fn caption_of(photo: &SentPhoto) -> String {
    let caption = photo.caption.as_deref().expect("a caption");
    assert_eq!(photo.parse_mode.as_deref(), Some("HTML"));
    fake_bot_api::html::text_content(caption).expect("valid HTML")
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

/// `who` asks in `chat`, shows the answer and rates it with the rating
/// button `rating` (0 = Again … 3 = Easy); more `raters` rate it so too.
async fn ask_and_rate(bot: &TestBot, chat: i64, who: &User, raters: &[User], rating: usize) {
    let fake = &bot.fake;
    let asked = bot.say(chat, Some(who.clone()), "/ask", 1).await;
    let show = button_data(&asked[0]).expect("a show-answer button");
    let before = messages_in(fake, chat).len();
    press(fake, chat, who, asked[0].message_id, &show).await;
    let reveal = bot.wait_for_messages(chat, before + 1).await.pop().unwrap();
    let button =
        reveal.reply_markup.as_ref().unwrap()["inline_keyboard"][0][rating]["callback_data"]
            .as_str()
            .unwrap()
            .to_string();
    for rater in std::iter::once(who).chain(raters) {
        press(fake, chat, rater, reveal.message_id, &button).await;
    }
}

/// Words of a text, whatever the spacing between them.
fn words(text: &str) -> Vec<&str> {
    text.split_whitespace().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_stats_come_as_a_picture_once_there_are_ratings() {
    let fake = strict_fake().await;
    let ann = member(7, "Ann");
    fake.add_chat(ChatSpec::private_with(ann.clone()));
    let bot = TestBot::start(&fake).await;
    bot.say(7, Some(ann.clone()), "/lang en", 1).await;

    // No ratings yet: no picture exists, so text alone.
    let before = bot.say(7, Some(ann.clone()), "/stats", 1).await;
    assert!(photos_in(&fake, 7).is_empty());
    assert!(fake.requests_to("sendPhoto").is_empty());
    assert!(
        visible(&before[0]).contains("Ratings this week: 0"),
        "{}",
        visible(&before[0])
    );

    ask_and_rate(&bot, 7, &ann, &[], GOOD).await;
    // Telegram asks the photo to wait once: it waits and sends it again.
    fake.fail_next("sendPhoto", Some(7), Fault::RetryAfter(1), 1);
    let after = bot.say(7, Some(ann.clone()), "/stats", 1).await;
    let photos = photos_in(&fake, 7);
    assert_eq!(photos.len(), 1, "the stats arrive as one photo");
    assert_eq!(fake.requests_to("sendPhoto").len(), 2, "after one 429");
    let photo = &photos[0];
    assert_eq!(after[0].message_id, photo.message_id, "and nothing else");
    assert!(photo.bytes.starts_with(PNG_SIGNATURE));
    assert!(photo.width > 0 && photo.height > 0);
    let caption = caption_of(photo);
    assert!(caption.contains("Ratings this week: 1"), "{caption}");
    assert!(caption.contains("Cards: 1"), "{caption}");
    assert_nothing_rejected(&fake);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_caption_is_continued_in_a_message_and_a_group_without_photos_gets_the_text() {
    let fake = strict_fake().await;
    // Telegram allows first names of up to 64 characters: twelve members
    // with such names make a leaderboard longer than a caption holds.
    let members: Vec<User> = (0..12)
        .map(|i| {
            member(
                20 + i,
                &format!("{i:02} {}", "Долгоимённый участник ".repeat(3))[..],
            )
        })
        .map(|mut user| {
            user.first_name = user.first_name.chars().take(64).collect();
            user
        })
        .collect();
    let admin = &members[0];
    fake.add_chat(ChatSpec::group(GROUP, "Study group"));
    fake.set_admins(GROUP, &[admin.id]);
    let bot = TestBot::start(&fake).await;
    bot.say(GROUP, Some(admin.clone()), "/lang en", 1).await;
    // Rated Again, two questions become the group's hardest, listed too.
    for _ in 0..2 {
        ask_and_rate(&bot, GROUP, admin, &members[1..], AGAIN).await;
    }

    let before = messages_in(&fake, GROUP).len();
    fake.push_message(GROUP, Some(admin.clone()), "/stats", None);
    let posted = bot.wait_for_messages(GROUP, before + 2).await;
    let (photo_part, rest) = (&posted[before], &posted[before + 1]);
    let photos = photos_in(&fake, GROUP);
    assert_eq!(photos.len(), 1);
    assert_eq!(
        photos[0].message_id, photo_part.message_id,
        "the photo first"
    );
    let caption = caption_of(&photos[0]);
    assert!(
        caption.chars().count() <= 1024,
        "{}",
        caption.chars().count()
    );
    assert!(caption.contains("Leaderboard"), "{caption}");
    let continued = visible(rest);

    // The same group, now forbidding the bot photos: the same stats as text.
    fake.add_chat(ChatSpec::group(GROUP, "Study group").without_photos());
    let text_only = bot.say(GROUP, Some(admin.clone()), "/stats", 1).await;
    bot.settle().await;
    let text_only: Vec<String> = messages_in(&fake, GROUP)
        .iter()
        .filter(|m| m.message_id >= text_only[0].message_id)
        .map(visible)
        .collect();
    let whole = text_only.join("\n");
    assert!(whole.chars().count() > 1024, "a caption would not hold it");
    assert_eq!(
        words(&format!("{caption}\n{continued}")),
        words(&whole),
        "photo caption and message together carry the whole text"
    );
    assert_eq!(
        photos_in(&fake, GROUP).len(),
        1,
        "no photo in the restricted group"
    );
    assert_eq!(fake.denied().len(), 1);
    assert_nothing_rejected(&fake);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_that_forbids_photos_gets_stats_as_text_every_time() {
    let fake = strict_fake().await;
    let (ann, bob) = (member(7, "Ann"), member(8, "Bob"));
    fake.add_chat(ChatSpec::group(GROUP, "No media").without_photos());
    fake.set_admins(GROUP, &[ann.id]);
    let bot = TestBot::start(&fake).await;
    bot.say(GROUP, Some(ann.clone()), "/lang en", 1).await;
    ask_and_rate(&bot, GROUP, &ann, &[bob], GOOD).await;
    for _ in 0..2 {
        let stats = bot.say(GROUP, Some(ann.clone()), "/stats", 1).await;
        let board = visible(&stats[0]);
        assert!(board.contains("2 people rated 2 times"), "{board}");
    }
    bot.settle().await;
    assert!(photos_in(&fake, GROUP).is_empty());
    // Each post tried its picture (the group may allow photos again), and
    // each got its text.
    assert_eq!(fake.denied().len(), 2);
    assert_nothing_rejected(&fake);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_photo_lands_in_its_forum_topic_and_a_kicked_bot_marks_the_chat_gone() {
    const FORUM: i64 = -100_7007;
    let fake = strict_fake().await;
    let (ann, bob) = (member(7, "Ann"), member(8, "Bob"));
    fake.add_chat(ChatSpec::supergroup(FORUM, "Forum", true));
    fake.add_topic(FORUM, 12);
    fake.set_admins(FORUM, &[ann.id]);
    let bot = TestBot::start(&fake).await;
    bot.say(FORUM, Some(ann.clone()), "/lang en", 1).await;
    ask_and_rate(&bot, FORUM, &ann, &[bob], GOOD).await;

    let stats = bot
        .say_in(FORUM, Some(ann.clone()), "/stats", Some(12), 1)
        .await;
    let photo = photos_in(&fake, FORUM).pop().expect("a photo");
    assert_eq!(photo.message_id, stats[0].message_id);
    assert_eq!(photo.thread_id, Some(12), "in the topic it was asked in");

    // Kicked: the photo is refused with Forbidden, once, and the chat is
    // marked inactive as for a text message.
    fake.set_forbidden(FORUM, "Forbidden: bot was kicked from the supergroup chat");
    fake.push_message(FORUM, Some(ann.clone()), "/stats", Some(12));
    let refused = fake
        .wait_until(PATIENCE, |f| {
            f.requests_to("sendPhoto").iter().any(|r| r.status == 403)
        })
        .await;
    assert!(refused, "the second photo met the Forbidden");
    bot.settle().await;
    let attempts = fake.requests_to("sendPhoto").len();
    assert_eq!(
        attempts, 2,
        "Forbidden is final: no retry, no text fallback"
    );
    assert_eq!(
        fake.requests_to("sendMessage")
            .iter()
            .filter(|r| r.status == 403)
            .count(),
        0
    );
    let store = studybot::store::Store::open(&bot.database).await.unwrap();
    let chat = store
        .chat(studybot::domain::ChatId::telegram(FORUM))
        .await
        .unwrap()
        .unwrap();
    assert!(!chat.active);
    assert_nothing_rejected(&fake);
    bot.stop().await;
}
