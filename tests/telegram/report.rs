//! "Report a problem" end to end against the strict fake Bot API: the
//! button under a reveal, a ForceReply prompt aimed at the presser (kept
//! across a restart), replies by someone else and replies too long that are
//! no report, the report delivered in private to two operators (a third who
//! never started the bot does not stop it), and `studybot reports` listing
//! it from the database; a bad STUDYBOT_ADMINS refused.

use std::process::Command;

use crate::support::*;
use fake_bot_api::{ChatSpec, SentMessage, User};

const GROUP: i64 = -100_5014;
const OPERATORS: [i64; 3] = [501, 502, 503];

fn member(id: i64, name: &str) -> User {
    User::new(id, name).with_language("en")
}

/// The callback data of every button, row by row.
fn keyboard(message: &SentMessage) -> Vec<Vec<String>> {
    let Some(markup) = &message.reply_markup else {
        return Vec::new();
    };
    let rows = markup["inline_keyboard"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    rows.iter()
        .map(|row| {
            let row = row.as_array().cloned().unwrap_or_default();
            row.iter()
                .map(|b| b["callback_data"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_is_prompted_replied_delivered_to_the_operators_and_listed() {
    // Telegram's limits in windows a tenth as long: the reports' prompts
    // and replies go through one group at one message a (short) second.
    let fake = quick_limits::quick_strict_fake().await;
    let (ann, bob, cy) = (member(7, "Ann"), member(8, "Bob"), member(9, "Cy"));
    fake.add_chat(ChatSpec::supergroup(GROUP, "Study group", false));
    fake.set_admins(GROUP, &[ann.id]);
    for &id in &OPERATORS[..2] {
        fake.add_chat(ChatSpec::private_with(member(id, "Op")));
    }
    // The third operator never started the bot.
    fake.set_forbidden(
        OPERATORS[2],
        "Forbidden: bot can't initiate conversation with a user",
    );
    let start = "2026-03-02T02:00:00Z".parse().unwrap();
    let (dir, database) = temp_db();
    let bot = TestBot::start_reporting(
        &fake,
        (dir.clone(), database.clone()),
        start,
        (&OPERATORS, quick_limits::bot_limits()),
    )
    .await;
    bot.say(GROUP, Some(ann.clone()), "/lang en", 1).await;

    let asked = bot.say(GROUP, Some(ann.clone()), "/ask", 1).await;
    let show = button_data(&asked[0]).unwrap();
    fake.push_callback(GROUP, ann.clone(), asked[0].message_id, &show);
    let reveal = bot.wait_for_messages(GROUP, 3).await.pop().unwrap();
    let rows = keyboard(&reveal);
    assert_eq!(rows.len(), 2, "ratings, then the report button: {rows:?}");
    assert_eq!(rows[0].len(), 4);
    let report = rows[1][0].clone();
    let question_id = report
        .strip_prefix("v1:p:")
        .expect("a report button")
        .to_string();

    // Cy presses it: a prompt replying to the reveal, aimed at Cy alone.
    fake.push_callback(GROUP, cy.clone(), reveal.message_id, &report);
    let prompt = bot.wait_for_messages(GROUP, 4).await.pop().unwrap();
    assert_eq!(prompt.reply_to, Some(reveal.message_id));
    let markup = prompt.reply_markup.clone().expect("a ForceReply");
    assert_eq!(markup["force_reply"], true);
    assert_eq!(markup["selective"], true);
    assert!(prompt.text.contains("tg://user?id=9"), "{}", prompt.text);
    assert!(
        visible(&prompt).contains("Cy, what is wrong with"),
        "{}",
        visible(&prompt)
    );

    // The prompt survives a restart.
    let bot = bot.restart().await;
    // Bob's reply to Cy's prompt is no report: the bot stays quiet.
    fake.push_reply(
        GROUP,
        Some(bob.clone()),
        "not mine to answer",
        prompt.message_id,
    );
    bot.settle().await;
    assert_eq!(messages_in(&fake, GROUP).len(), 4);
    let long = "x".repeat(1001);
    let refused = {
        let before = messages_in(&fake, GROUP).len();
        fake.push_reply(GROUP, Some(cy.clone()), &long, prompt.message_id);
        bot.wait_for_messages(GROUP, before + 1)
            .await
            .pop()
            .unwrap()
    };
    assert!(
        visible(&refused).contains("too long"),
        "{}",
        visible(&refused)
    );

    let text = "The answer forgets pipeline parallelism.";
    fake.push_reply(GROUP, Some(cy.clone()), text, prompt.message_id);
    let thanks = bot.wait_for_messages(GROUP, 6).await.pop().unwrap();
    assert!(
        visible(&thanks).contains("Thank you"),
        "{}",
        visible(&thanks)
    );
    for &operator in &OPERATORS[..2] {
        let got = bot.wait_for_messages(operator, 1).await;
        let body = visible(&got[0]);
        for part in [
            question_id.as_str(),
            "Study group",
            "-1005014",
            "Cy (9)",
            text,
        ] {
            assert!(body.contains(part), "{part} in {body}");
        }
    }
    // Answered once: a second reply to the same prompt is not a report.
    fake.push_reply(GROUP, Some(cy.clone()), "again", prompt.message_id);
    bot.settle().await;
    assert_eq!(messages_in(&fake, GROUP).len(), 6);
    bot.stop().await;

    let out = reports_command(&database, &[]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let listed = String::from_utf8(out.stdout).unwrap();
    assert!(listed.contains(text), "{listed}");
    assert!(listed.contains(&question_id), "{listed}");
    assert!(listed.contains("Study group"), "{listed}");
    assert_eq!(listed.matches("question:").count(), 1, "{listed}");
}

fn reports_command(database: &str, extra_env: &[(&str, &str)]) -> Command {
    let manifest_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut command = studybot(["reports", "--limit", "5"], manifest_dir);
    command.env("STUDYBOT_DATABASE", database);
    for (name, value) in extra_env {
        command.env(name, value);
    }
    command
}

#[test]
fn a_bad_studybot_admins_is_refused_with_a_clear_message() {
    let (_dir, database) = temp_db();
    let out = reports_command(&database, &[("STUDYBOT_ADMINS", "12345;@ann")])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let error = String::from_utf8(out.stderr).unwrap();
    assert!(
        error.contains("STUDYBOT_ADMINS must be Telegram user ids"),
        "{error}"
    );
    assert!(error.contains("12345;@ann"), "{error}");
}
