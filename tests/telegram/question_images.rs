//! A question's `image:` on Telegram against the strict fake: the question
//! goes out as a photo (the file uploaded, or the https address for
//! Telegram to fetch) with its text as the caption and its show-answer
//! button; the reveal goes as before, as a message.

use std::sync::Arc;

use crate::support::images::ImageBank;
use crate::support::*;
use fake_bot_api::{ChatSpec, PhotoSource, User};
use studybot::bank::Bank;
use studybot::runtime::clock::Clock;

const GROUP: i64 = -100_7007;

async fn bot_on(fake: &fake_bot_api::FakeBotApi, bank: &ImageBank) -> TestBot {
    let loaded = Arc::new(Bank::load(&bank.content()).expect("the picture bank loads"));
    let (dir, database) = temp_db();
    let config = engine_config();
    TestBot::start_with_bank(fake, &database, Clock::system(), config, dir, loaded).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_question_with_an_image_file_is_a_photo_with_its_caption() {
    let bank = ImageBank::new(&["img/cell.png"]);
    let fake = strict_fake().await;
    fake.add_chat(ChatSpec::group(GROUP, "Biology"));
    let bot = bot_on(&fake, &bank).await;
    let ann = User::new(5, "Ann").with_language("en");
    let asked = bot.say(GROUP, Some(ann.clone()), "/ask", 1).await;
    let photos = fake.sent_photos();
    assert_eq!(photos.len(), 1, "the question is one photo");
    let photo = &photos[0];
    assert_eq!(asked[0].message_id, photo.message_id);
    let on_disk = std::fs::read(bank.content().join("img/cell.png")).unwrap();
    assert_eq!(photo.bytes, on_disk);
    assert_eq!((photo.width, photo.height), (30, 20));
    let caption = photo.caption_text.as_deref().expect("a caption");
    assert!(caption.contains("What is shown?"), "{caption}");
    assert!(photo.reply_markup.is_some(), "the show-answer button");

    // The reveal is a message, as for any question.
    let show = button_data(&asked[0]).expect("a show-answer button");
    let before = messages_in(&fake, GROUP).len();
    fake.push_callback(GROUP, ann, photo.message_id, &show);
    let after = bot.wait_for_messages(GROUP, before + 1).await;
    assert!(visible(after.last().unwrap()).contains("A cell."));
    assert_eq!(fake.sent_photos().len(), 1, "no second photo");
    assert_nothing_rejected(&fake);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_question_with_an_image_url_hands_telegram_the_address() {
    let url = "https://example.org/cell.jpg";
    let bank = ImageBank::new(&[url]);
    let fake = strict_fake().await;
    fake.add_chat(ChatSpec::group(GROUP, "Biology"));
    let bot = bot_on(&fake, &bank).await;
    bot.say(GROUP, Some(User::new(5, "Ann")), "/ask", 1).await;
    let photos = fake.sent_photos();
    assert_eq!(photos.len(), 1);
    assert_eq!(photos[0].source, PhotoSource::Url(url.to_string()));
    assert!(photos[0].bytes.is_empty(), "nothing uploaded");
    assert_nothing_rejected(&fake);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_question_with_an_image_continues_after_the_photo() {
    let bank = ImageBank::new(&["img/cell.png"]);
    // 1,500 characters of question: more than a caption holds (1,024).
    let long = "Which phase of mitosis is shown here, and why? ".repeat(32);
    let deck = format!(
        "deck: pics\ntitle: Pictures\nlanguage: en\nquestions:\n  - id: p0\n    title: Picture\n    question: {}\n    image: img/cell.png\n    answer: Anaphase.\n",
        long.trim_end()
    );
    std::fs::write(bank.content().join("pics.yaml"), deck).unwrap();
    let fake = strict_fake().await;
    fake.add_chat(ChatSpec::group(GROUP, "Biology"));
    let bot = bot_on(&fake, &bank).await;
    let asked = bot.say(GROUP, Some(User::new(5, "Ann")), "/ask", 2).await;
    let photos = fake.sent_photos();
    assert_eq!(photos.len(), 1, "one photo, then a message");
    let caption = photos[0].caption_text.clone().expect("a caption");
    assert!(
        caption.chars().count() <= 1024,
        "{}",
        caption.chars().count()
    );
    let rest = visible(&asked[1]);
    // Nothing lost: the question's words are all there, in order.
    let shown: Vec<String> = format!("{caption} {rest}")
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    let asked_words: Vec<&str> = long.split_whitespace().collect();
    let start = shown
        .iter()
        .position(|w| w == "Which")
        .expect("the question starts");
    assert_eq!(
        &shown[start..start + asked_words.len()],
        asked_words.as_slice()
    );
    assert!(
        asked[1].reply_markup.is_some(),
        "the button on the last part"
    );
    assert_nothing_rejected(&fake);
    bot.stop().await;
}
