//! "Report a problem" on Discord end to end against the strict fake: the
//! button under a reveal opens a modal (one paragraph field, at most 1,000
//! characters, required) for the presser; the modal survives a restart of
//! the bot; only that person can submit it, once; the report is stored and
//! `studybot reports` lists it.

use std::path::Path;
use std::time::Duration;

use crate::support::discord::{World, no_options};
use crate::support::studybot;
use fake_discord_api::InjectError;
use studybot::runtime::clock::Clock;

/// The custom_id of the first button whose id starts with `prefix`.
fn button(messages: &[fake_discord_api::Message], prefix: &str) -> Option<(u64, String)> {
    messages.iter().find_map(|m| {
        let rows = m
            .components
            .iter()
            .flat_map(|r| r["components"].as_array().cloned().unwrap_or_default());
        let ids: Vec<String> = rows
            .filter_map(|b| b["custom_id"].as_str().map(str::to_string))
            .collect();
        ids.into_iter()
            .find(|id| id.starts_with(prefix))
            .map(|id| (m.id, id))
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_button_opens_a_modal_whose_text_is_stored_and_listed() {
    let w = World::new().await;
    let clock = Clock::system();
    let bot = w.start(&clock, None).await;
    let asked = w.slash(w.channel, w.ann, "ask", no_options()).await;
    let (question, show) = asked.button().expect("a show-answer button");
    let shown = w.press(w.channel, w.ann, question, &show).await;
    let (reveal, report) = button(&shown.messages, "v1:p:").expect("a report button on the reveal");
    let question_id = report.strip_prefix("v1:p:").unwrap().to_string();

    // Bob presses it: a modal for him, nothing posted in the channel.
    let before = w.fake.messages(w.channel).len();
    let press = w
        .fake
        .press(w.channel, w.bob, reveal, &report)
        .expect("a valid press");
    let opened = w
        .fake
        .wait_reply(&press, Duration::from_secs(3))
        .await
        .expect("answered");
    assert_eq!(opened.callback_type, Some(9), "a modal");
    let form = opened.callback_data.expect("the modal");
    assert_eq!(form["title"], "报告问题");
    let field = &form["components"][0]["components"][0];
    assert_eq!(field["style"], 2, "a paragraph");
    assert_eq!(field["max_length"], 1000);
    assert_eq!(field["required"], true);
    let input = field["custom_id"].as_str().unwrap().to_string();
    assert_eq!(w.fake.messages(w.channel).len(), before);

    // The prompt is stored: a restart in between loses nothing.
    bot.stop().await;
    let bot = w.start(&clock, None).await;

    // Only Bob can submit it, and only what the field accepts.
    let not_his = w.fake.submit_modal(&press, w.ann, &[(&input, "mine")]);
    assert_eq!(not_his.unwrap_err(), InjectError::NotYourModal);
    let long = "x".repeat(1001);
    let too_long = w.fake.submit_modal(&press, w.bob, &[(&input, &long)]);
    assert!(
        matches!(too_long, Err(InjectError::BadModalValue(_))),
        "{too_long:?}"
    );

    let text = "The answer forgets pipeline parallelism.";
    let sent = w
        .fake
        .submit_modal(&press, w.bob, &[(&input, text)])
        .expect("submitted");
    let thanked = w
        .fake
        .wait_reply(&sent, Duration::from_secs(3))
        .await
        .expect("answered");
    assert_eq!(thanked.callback_type, Some(4));
    let note = w.fake.message(thanked.original.expect("a note")).unwrap();
    assert!(note.ephemeral, "only the reporter sees the thanks");
    assert!(note.content.contains("谢谢"), "{}", note.content);
    let again = w.fake.submit_modal(&press, w.bob, &[(&input, text)]);
    assert_eq!(
        again.unwrap_err(),
        InjectError::NoOpenModal(press.id),
        "submitted once"
    );

    let reports = bot.store.reports(5).await.unwrap();
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].text, text);
    assert_eq!(reports[0].question_id, question_id);
    assert_eq!(reports[0].person.id, i64::try_from(w.bob).unwrap());
    assert!(w.fake.rejected().is_empty(), "{:#?}", w.fake.rejected());
    bot.stop().await;

    let out = studybot(
        ["reports", "--limit", "5"],
        Path::new(env!("CARGO_MANIFEST_DIR")),
    )
    .env("STUDYBOT_DATABASE", w.database())
    .output()
    .unwrap();
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        listed.contains(text) && listed.contains(&question_id),
        "{listed}"
    );
}
