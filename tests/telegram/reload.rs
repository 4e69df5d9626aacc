//! Hot reload of the bank end to end: the real Telegram adapter against the
//! strict fake Bot API, on a content directory of the test's own. Buttons
//! from before a reload are pressed after a bad edit (the old bank still
//! answers) and after a good edit that removed their question (a polite
//! note); an edit in the directory reloads the bank by itself.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::*;
use fake_bot_api::{ChatSpec, FakeBotApi, User};
use studybot::bank::Bank;
use studybot::reload::{Reloader, reload_now};
use studybot::runtime::clock::Clock;

const GROUP: i64 = -100_6006;

fn member() -> User {
    User::new(9, "Cai")
}

/// A deck holding one question per id, answered "answer to ID".
fn deck(ids: &[&str]) -> String {
    let mut yaml = String::from("deck: reload-test\ntitle: 重载测试\nlanguage: zh\nquestions:\n");
    for id in ids {
        yaml.push_str(&format!(
            "  - id: {id}\n    title: 题目 {id}\n    question: 什么是 {id}？\n    answer: answer to {id}\n"
        ));
    }
    yaml
}

/// A bot serving a bank of `ids` from a temp content directory, with
/// reload on (as `studybot run` has it).
async fn bot_on(ids: &[&str]) -> (TestBot, Reloader, tempfile::TempDir) {
    let content = tempfile::tempdir().unwrap();
    std::fs::write(content.path().join("deck.yaml"), deck(ids)).unwrap();
    let bank = Bank::load(content.path()).expect("the test deck loads");
    let fake = strict_fake().await;
    fake.add_chat(ChatSpec::supergroup(GROUP, "Study group", false));
    let (dir, database) = temp_db();
    let bot = TestBot::start_with_bank(
        &fake,
        &database,
        Clock::system(),
        engine_config(),
        dir,
        bank.into(),
    )
    .await;
    let reloader = Reloader::start(bot.engine.clone(), content.path().to_path_buf(), None);
    (bot, reloader, content)
}

/// Presses the first button of message `message`; returns the toast.
async fn press(fake: &FakeBotApi, message: i32, data: &str) -> String {
    let before = fake.callback_answers().len();
    fake.push_callback(GROUP, member(), message, data);
    let answered = fake
        .wait_until(PATIENCE, |f| f.callback_answers().len() > before)
        .await;
    assert!(answered, "the press of {data} was answered");
    fake.callback_answers()[before]
        .text
        .clone()
        .unwrap_or_default()
}

/// Waits (polling) until `ready` holds; false after `within`.
async fn eventually(within: Duration, ready: impl Fn() -> bool) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if ready() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    ready()
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn buttons_from_before_a_bad_and_a_good_edit() {
    let (bot, _reloader, content) = bot_on(&["alpha", "beta"]).await;
    let first = bot.say(GROUP, Some(member()), "/ask", 1).await.remove(0);
    let second = bot.say(GROUP, Some(member()), "/ask", 1).await.remove(0);
    let ids: Vec<String> = [&first, &second]
        .iter()
        .map(|m| {
            if visible(m).contains("alpha") {
                "alpha"
            } else {
                "beta"
            }
            .to_string()
        })
        .collect();
    assert_ne!(ids[0], ids[1], "one round: both questions");

    // A bad edit: the old bank still serves the first button.
    write(
        content.path(),
        "deck.yaml",
        "deck: reload-test\nquestions: [\n",
    );
    let errors = reload_now(&bot.engine, content.path()).expect_err("a broken deck");
    assert!(errors.iter().all(|e| {
        e.location()
            .starts_with(&*content.path().join("deck.yaml").to_string_lossy())
    }));
    let toast = press(&bot.fake, first.message_id, &button_data(&first).unwrap()).await;
    assert!(toast.is_empty(), "no note, an answer: {toast}");
    let reveal = bot.wait_for_messages(GROUP, 3).await.remove(2);
    assert!(visible(&reveal).contains(&format!("answer to {}", ids[0])));
    assert_eq!(reveal.reply_to, Some(first.message_id));

    // A good edit without the second question: its button gets a polite note.
    write(content.path(), "deck.yaml", &deck(&[&ids[0], "gamma"]));
    reload_now(&bot.engine, content.path()).expect("a good deck");
    let toast = press(&bot.fake, second.message_id, &button_data(&second).unwrap()).await;
    assert_eq!(toast, "这道题已不在题库中了。发送 /ask 获取新题目。");
    // …and so does `/answer` for the chat's current question.
    let said = bot.say(GROUP, Some(member()), "/answer", 1).await;
    assert!(visible(&said[0]).starts_with("这道题已不在题库中了"));
    // The new question is the round's next.
    let next = bot.say(GROUP, Some(member()), "/ask", 1).await;
    assert!(visible(&next[0]).contains("gamma"), "{}", visible(&next[0]));
    assert_nothing_rejected(&bot.fake);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_in_the_content_directory_reloads_the_bank_by_itself() {
    let (bot, _reloader, content) = bot_on(&["alpha"]).await;
    // A burst of saves, as an editor makes them.
    for text in [deck(&["alpha", "beta"]), deck(&["alpha", "beta", "gamma"])] {
        write(content.path(), "deck.yaml", &text);
    }
    let engine = bot.engine.clone();
    let reloaded = eventually(Duration::from_secs(10), || {
        engine.question_title("gamma").is_some()
    })
    .await;
    assert!(reloaded, "the bank did not reload after the edit");
    assert_eq!(bot.engine.bank_size(), (3, 1));
    let said = bot.say(GROUP, Some(member()), "/answer gamma", 1).await;
    assert!(visible(&said[0]).contains("answer to gamma"));

    // A new deck file joins.
    write(
        content.path(),
        "more.yaml",
        &deck(&["delta"]).replace("reload-test", "more"),
    );
    let added = eventually(Duration::from_secs(10), || {
        engine.question_title("delta").is_some()
    })
    .await;
    assert!(added, "a new deck file did not reload the bank");
    assert_eq!(bot.engine.bank_size(), (4, 2));
    bot.stop().await;
}
