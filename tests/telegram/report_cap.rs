//! One person's reports reach the operators at most five a day; the sixth
//! is stored, and its sender told so.

use crate::support::*;
use fake_bot_api::{ChatSpec, User};

const GROUP: i64 = -100_5015;
const OPERATOR: i64 = 601;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sixth_report_of_a_day_is_stored_not_relayed() {
    // Telegram's limits in windows a tenth as long: the reports' prompts
    // and replies go through one group at one message a (short) second.
    let fake = quick_limits::quick_strict_fake().await;
    let ann = User::new(7, "Ann").with_language("en");
    fake.add_chat(ChatSpec::supergroup(GROUP, "Study group", false));
    fake.add_chat(ChatSpec::private_with(User::new(OPERATOR, "Op")));
    fake.set_admins(GROUP, &[7]);
    let start = "2026-03-02T02:00:00Z".parse().unwrap();
    let bot = TestBot::start_reporting(
        &fake,
        temp_db(),
        start,
        (&[OPERATOR], quick_limits::bot_limits()),
    )
    .await;
    bot.say(GROUP, Some(ann.clone()), "/lang en", 1).await;
    let asked = bot.say(GROUP, Some(ann.clone()), "/ask", 1).await;
    let show = button_data(&asked[0]).unwrap();
    let before = messages_in(&fake, GROUP).len();
    fake.push_callback(GROUP, ann.clone(), asked[0].message_id, &show);
    let reveal = bot
        .wait_for_messages(GROUP, before + 1)
        .await
        .pop()
        .unwrap();
    let rows = reveal.reply_markup.clone().expect("buttons");
    let report = rows["inline_keyboard"][1][0]["callback_data"]
        .as_str()
        .expect("a report button")
        .to_string();
    let mut last = String::new();
    for n in 1..=6 {
        let before = messages_in(&fake, GROUP).len();
        fake.push_callback(GROUP, ann.clone(), reveal.message_id, &report);
        let prompt = bot
            .wait_for_messages(GROUP, before + 1)
            .await
            .pop()
            .unwrap();
        // The prompt is recorded just after it is sent.
        bot.settle().await;
        let before = messages_in(&fake, GROUP).len();
        let text = format!("typo number {n}");
        fake.push_reply(GROUP, Some(ann.clone()), &text, prompt.message_id);
        let answer = bot
            .wait_for_messages(GROUP, before + 1)
            .await
            .pop()
            .unwrap();
        last = visible(&answer);
    }
    bot.settle().await;
    let relayed = messages_in(&fake, OPERATOR);
    assert_eq!(relayed.len(), 5, "{relayed:#?}");
    assert!(last.contains("5 reports today"), "{last}");
    bot.stop().await;
}
