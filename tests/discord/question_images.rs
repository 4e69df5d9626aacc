//! A question's `image:` on Discord against the strict fake: a file beside
//! the deck is uploaded with the question (`question.png`) and shown in an
//! embed; an https image is linked from the embed, with nothing uploaded.

use crate::support::discord::{World, no_options};
use crate::support::images::ImageBank;
use studybot::runtime::clock::Clock;

#[tokio::test]
async fn a_question_with_an_image_file_uploads_it_in_an_embed() {
    let bank = ImageBank::new(&["img/cell.png"]);
    let w = World::new().await;
    let bot = w.start(&Clock::system(), Some(&bank.content())).await;
    let asked = w.slash(w.channel, w.ann, "ask", no_options()).await;
    let message = &asked.messages[0];
    assert!(
        message.content.contains("What is shown?"),
        "{}",
        asked.text()
    );
    assert_eq!(message.files.len(), 1, "{message:?}");
    assert_eq!(message.files[0].filename, "question.png");
    let on_disk = std::fs::read(bank.content().join("img/cell.png")).unwrap();
    assert_eq!(message.files[0].bytes, on_disk);
    assert_eq!(
        message.embeds[0]["image"]["url"],
        "attachment://question.png"
    );
    assert!(
        message.broken_images.is_empty(),
        "{:?}",
        message.broken_images
    );
    // The reveal goes as before: text and buttons, no picture.
    let (id, show) = asked.button().expect("a show-answer button");
    let shown = w.press(w.channel, w.ann, id, &show).await;
    assert!(shown.messages.iter().all(|m| m.files.is_empty()));
    assert!(w.fake.rejected().is_empty(), "{:#?}", w.fake.rejected());
    bot.stop().await;
}

#[tokio::test]
async fn a_question_with_an_image_url_links_it() {
    let url = "https://example.org/cell.png";
    let bank = ImageBank::new(&[url]);
    let w = World::new().await;
    let bot = w.start(&Clock::system(), Some(&bank.content())).await;
    let asked = w.slash(w.channel, w.ann, "ask", no_options()).await;
    let message = &asked.messages[0];
    assert!(message.files.is_empty(), "{:?}", message.files);
    assert_eq!(message.embeds[0]["image"]["url"], url);
    assert!(w.fake.rejected().is_empty(), "{:#?}", w.fake.rejected());
    bot.stop().await;
}
