//! Multiple-choice questions on Discord, against the strict fake Discord:
//! one button per choice (rows of five), a press noted for the presser
//! alone without right or wrong, a changed mind, and a reveal that names
//! the right choice and how the channel answered.

use crate::support::discord::{World, no_options};
use serde_json::json;
use studybot::bank::Bank;
use studybot::runtime::clock::Clock;

fn quiz_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content-quiz")
}

#[tokio::test]
async fn choices_are_buttons_and_the_reveal_counts_them() {
    let w = World::new().await;
    let clock = Clock::system();
    let bot = w.start(&clock, Some(&quiz_dir())).await;
    let bank = Bank::load(&quiz_dir()).unwrap();
    w.slash(
        w.channel,
        w.ann,
        "lang",
        json!([{"name": "code", "type": 3, "value": "en"}]),
    )
    .await;
    let asked = w.slash(w.channel, w.ann, "ask", no_options()).await;
    let message = asked.messages.last().expect("the question");
    let ids: Vec<String> = message
        .components
        .iter()
        .flat_map(|row| row["components"].as_array().unwrap().clone())
        .map(|b| b["custom_id"].as_str().unwrap().to_string())
        .collect();
    let question_id = ids[0].strip_prefix("v1:r:").expect("show answer first");
    let quiz = bank.get(question_id).unwrap().quiz.clone().unwrap();
    assert_eq!(ids.len(), 1 + quiz.choices.len(), "{ids:?}");
    assert!(
        message
            .components
            .iter()
            .all(|row| row["components"].as_array().unwrap().len() <= 5)
    );
    let right = &ids[1 + quiz.correct];
    let wrong = &ids[1 + (quiz.correct + 1) % quiz.choices.len()];

    let noted = w.press(w.channel, w.bob, message.id, wrong).await;
    assert!(noted.ephemeral(), "a choice is noted for the presser alone");
    assert!(noted.text().contains("Your answer:"), "{}", noted.text());
    let changed = w.press(w.channel, w.bob, message.id, right).await;
    assert!(changed.text().contains("Changed to"), "{}", changed.text());
    w.press(w.channel, w.ann, message.id, wrong).await;

    let shown = w.press(w.channel, w.ann, message.id, &ids[0]).await;
    assert!(!shown.ephemeral());
    let letter = char::from(b'A' + quiz.correct as u8);
    assert!(
        shown.text().contains(&format!("Right answer: {letter}.")),
        "{}",
        shown.text()
    );
    assert!(
        shown.text().contains("2 answered, 1 right; most chose "),
        "{}",
        shown.text()
    );
    let late = w.press(w.channel, w.bob, message.id, wrong).await;
    assert!(
        late.text().contains("answers are closed"),
        "{}",
        late.text()
    );
    assert!(w.fake.rejected().is_empty(), "{:#?}", w.fake.rejected());
    bot.stop().await;
}
