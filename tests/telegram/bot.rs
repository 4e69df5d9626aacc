//! The Telegram bot end to end: the real dispatcher and send path against
//! the strict fake Bot API — private chats, groups with @BotName, forum
//! topics, channels, the button, faults, migration and restarts.

use crate::support::*;
use fake_bot_api::{ChatSpec, Fault, User};
use studybot::domain::ChatId;

const PRIVATE: i64 = 1001;
const GROUP: i64 = -2002;
const FORUM: i64 = -100_3003;
const CHANNEL: i64 = -100_4004;

fn ann() -> User {
    User::new(7, "Ann").with_language("zh-hans")
}

/// The seed question the message shows, found by its question text.
fn question_in(text: &str) -> &'static studybot::bank::Question {
    let bank = Box::leak(Box::new(bank()));
    bank.questions()
        .iter()
        .find(|q| text.contains(q.question.trim()))
        .unwrap_or_else(|| panic!("no seed question in {text:?}"))
}

/// Every line of the bank text stands in the visible message, Markdown
/// markers aside (`- ` bullets become `• `, `**` becomes bold).
fn assert_word_for_word(markdown: &str, visible: &str) {
    for line in markdown.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let plain = line.trim_start_matches("- ").replace("**", "");
        assert!(visible.contains(&plain), "missing {plain:?} in {visible:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_chat_ask_then_answer_word_for_word() {
    let fake = strict_fake().await;
    fake.add_chat(ChatSpec::private_with(ann().clone()));
    let bot = TestBot::start(&fake).await;
    let start = bot.say(7, Some(ann()), "/start", 1).await;
    assert!(
        visible(&start[0]).contains("/ask"),
        "help lists the commands"
    );

    let asked = bot.say(7, Some(ann()), "/ask", 1).await;
    let shown = visible(&asked[0]);
    let question = question_in(&shown);
    assert!(shown.contains(&question.title));
    let data = button_data(&asked[0]).expect("a show-answer button");
    assert!(data.len() <= 64);

    let answered = bot.say(7, Some(ann()), "/answer", 1).await;
    assert_eq!(
        answered[0].reply_to,
        Some(asked[0].message_id),
        "the answer replies to its question"
    );
    let text = visible(&answered[0]);
    assert_word_for_word(&question.answer, &text);
    assert_word_for_word(
        question.analysis.as_deref().expect("the seed has analyses"),
        &text,
    );

    // Asked again, the same answer is not posted twice: a pointer instead.
    let again = bot.say(7, Some(ann()), "/answer", 1).await;
    assert_eq!(again[0].reply_to, Some(answered[0].message_id));
    assert!(visible(&again[0]).len() < 200);
    assert_nothing_rejected(&fake);
    bot.stop().await;
    let _ = PRIVATE;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_question_repeats_until_the_bank_is_seen() {
    let fake = strict_fake().await;
    fake.add_chat(ChatSpec::private_with(ann()));
    let bot = TestBot::start(&fake).await;
    let total = bank().len();
    let mut seen = std::collections::HashSet::new();
    for _ in 0..total {
        let posts = bot.say(7, Some(ann()), "/ask", 1).await;
        let id = question_in(&visible(&posts[0])).id.clone();
        assert!(seen.insert(id.clone()), "{id} repeated within a round");
    }
    // The next /ask starts a new round: a notice with the question, in one
    // message.
    let next = bot.say(7, Some(ann()), "/ask", 1).await;
    question_in(&visible(&next[0]));
    assert!(
        visible(&next[0]).contains("新一轮"),
        "{}",
        visible(&next[0])
    );
    assert_nothing_rejected(&fake);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn group_commands_by_name_case_and_newline() {
    let fake = strict_fake().await;
    fake.add_chat(ChatSpec::group(GROUP, "Study group"));
    let bot = TestBot::start(&fake).await;
    let replies = bot
        .say(GROUP, Some(ann()), "/ask@studybot_test_bot", 1)
        .await;
    question_in(&visible(&replies[0]));
    let replies = bot.say(GROUP, Some(ann()), "/ASK", 1).await;
    question_in(&visible(&replies[0]));
    let replies = bot.say(GROUP, Some(ann()), "/ask\ntraining", 1).await;
    let q = question_in(&visible(&replies[0]));
    assert!(q.tags.iter().any(|t| t == "training"), "{:?}", q.tags);
    let replies = bot.say(GROUP, Some(ann()), "/ask nosuchtag", 1).await;
    assert!(
        visible(&replies[0]).contains("training"),
        "the tags are listed"
    );
    let replies = bot.say(GROUP, Some(ann()), "/topics", 1).await;
    assert!(visible(&replies[0]).contains("llm-startup"));

    // Another bot's command and unknown commands without our name: silence.
    let before = messages_in(&fake, GROUP).len();
    fake.push_message(GROUP, Some(ann()), "/ask@OtherBot", None);
    fake.push_message(GROUP, Some(ann()), "/frobnicate", None);
    bot.settle().await;
    assert_eq!(messages_in(&fake, GROUP).len(), before);
    assert_nothing_rejected(&fake);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forum_topics_get_replies_in_their_topic_and_channels_work() {
    let fake = strict_fake().await;
    fake.add_chat(ChatSpec::supergroup(FORUM, "Forum", true));
    fake.add_topic(FORUM, 77);
    fake.add_topic(FORUM, 88);
    fake.add_chat(ChatSpec::channel(CHANNEL, "Daily channel"));
    let bot = TestBot::start(&fake).await;
    let replies = bot.say_in(FORUM, Some(ann()), "/ask", Some(77), 1).await;
    assert_eq!(replies[0].thread_id, Some(77));
    // Asked for in another topic, the answer goes there, replying to
    // nothing (a reply cannot cross topics).
    let elsewhere = bot.say_in(FORUM, Some(ann()), "/answer", Some(88), 1).await;
    assert_eq!(elsewhere[0].thread_id, Some(88));
    assert_eq!(elsewhere[0].reply_to, None);
    let replies = bot.say_in(FORUM, Some(ann()), "/ask", Some(77), 1).await;
    let answer = bot.say_in(FORUM, Some(ann()), "/answer", Some(77), 1).await;
    assert_eq!(answer[0].thread_id, Some(77));
    assert_eq!(answer[0].reply_to, Some(replies[0].message_id));

    let posted = bot.say(CHANNEL, None, "/ask", 1).await;
    question_in(&visible(&posted[0]));
    let answer = bot.say(CHANNEL, None, "/answer", 1).await;
    assert_eq!(answer[0].reply_to, Some(posted[0].message_id));
    assert_nothing_rejected(&fake);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_button_reveals_once_and_forged_data_is_answered_politely() {
    let fake = strict_fake().await;
    fake.add_chat(ChatSpec::group(GROUP, "Study group"));
    let bot = TestBot::start(&fake).await;
    let asked = bot.say(GROUP, Some(ann()), "/ask", 1).await;
    let data = button_data(&asked[0]).unwrap();
    let question = question_in(&visible(&asked[0]));

    fake.push_callback(GROUP, ann(), asked[0].message_id, &data);
    let revealed = bot.wait_for_messages(GROUP, 2).await;
    assert_eq!(revealed[1].reply_to, Some(asked[0].message_id));
    assert_word_for_word(
        question.analysis.as_deref().expect("the seed has analyses"),
        &visible(&revealed[1]),
    );

    fake.push_callback(GROUP, ann(), asked[0].message_id, &data);
    fake.push_callback(GROUP, ann(), asked[0].message_id, "v9:forged:../../etc");
    let answered = fake
        .wait_until(PATIENCE, |f| f.callback_answers().len() >= 3)
        .await;
    assert!(answered, "every press is answered");
    bot.settle().await;
    assert_eq!(messages_in(&fake, GROUP).len(), 2, "no second reveal");
    let answers = fake.callback_answers();
    assert!(answers[1].text.as_deref().is_some_and(|t| !t.is_empty()));
    assert!(answers[2].text.as_deref().is_some_and(|t| !t.is_empty()));
    assert_nothing_rejected(&fake);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn language_and_answer_without_a_question() {
    let fake = strict_fake().await;
    let bob = User::new(8, "Bob").with_language("en");
    fake.add_chat(ChatSpec::private_with(bob.clone()));
    let bot = TestBot::start(&fake).await;
    // A private chat speaks its user's language until told otherwise.
    let reply = bot.say(8, Some(bob.clone()), "/answer", 1).await;
    assert!(visible(&reply[0]).contains("/ask"));
    assert!(
        visible(&reply[0]).is_ascii(),
        "English: {}",
        visible(&reply[0])
    );
    bot.say(8, Some(bob.clone()), "/lang zh", 1).await;
    let reply = bot.say(8, Some(bob.clone()), "/help", 1).await;
    assert!(visible(&reply[0]).contains("题库"));
    let reply = bot.say(8, Some(bob), "/lang xx", 1).await;
    assert!(visible(&reply[0]).contains("zh"));
    assert_nothing_rejected(&fake);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_is_waited_out_and_the_reply_arrives_once() {
    let fake = strict_fake().await;
    fake.add_chat(ChatSpec::private_with(ann()));
    let bot = TestBot::start(&fake).await;
    fake.fail_next("sendMessage", Some(7), Fault::RetryAfter(1), 1);
    let replies = bot.say(7, Some(ann()), "/ask", 1).await;
    question_in(&visible(&replies[0]));
    assert_eq!(fake.count_429(), 1);
    bot.settle().await;
    assert_eq!(messages_in(&fake, 7).len(), 1, "delivered exactly once");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kicked_bot_marks_the_chat_inactive_and_does_not_retry() {
    let fake = strict_fake().await;
    fake.add_chat(ChatSpec::group(GROUP, "Study group"));
    let bot = TestBot::start(&fake).await;
    fake.set_forbidden(GROUP, "Forbidden: bot was kicked from the group chat");
    fake.push_message(GROUP, Some(ann()), "/ask", None);
    bot.settle().await;
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    let attempts = fake
        .requests_to("sendmessage")
        .iter()
        .filter(|r| r.body["chat_id"] == GROUP)
        .count();
    assert_eq!(attempts, 1, "Forbidden is final: no retry loop");
    let store = studybot::store::Store::open(&bot.database).await.unwrap();
    assert!(
        !store
            .chat(ChatId::telegram(GROUP))
            .await
            .unwrap()
            .unwrap()
            .active
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_migrated_group_keeps_its_question_under_the_new_id() {
    let fake = strict_fake().await;
    let new_id = -100_2002;
    fake.add_chat(ChatSpec::group(GROUP, "Study group"));
    let bot = TestBot::start(&fake).await;
    let asked = bot.say(GROUP, Some(ann()), "/ask", 1).await;
    let question = question_in(&visible(&asked[0]));
    bot.settle().await;
    fake.push_migration(GROUP, new_id);
    bot.settle().await;
    let answered = bot.say(new_id, Some(ann()), "/answer", 1).await;
    assert_word_for_word(&question.answer, &visible(&answered[0]));
    assert_nothing_rejected(&fake);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_send_to_a_migrated_group_follows_it() {
    let fake = strict_fake().await;
    let new_id = -100_2003;
    fake.add_chat(ChatSpec::group(GROUP, "Study group"));
    fake.add_chat(ChatSpec::supergroup(new_id, "Study group", false));
    let bot = TestBot::start(&fake).await;
    bot.say(GROUP, Some(ann()), "/ask", 1).await;
    bot.settle().await;
    fake.set_migrated(GROUP, new_id);
    fake.push_message(GROUP, Some(ann()), "/answer", None);
    let arrived = fake
        .wait_until(PATIENCE, |f| !messages_in(f, new_id).is_empty())
        .await;
    assert!(arrived, "the reply went to the supergroup");
    assert_nothing_rejected(&fake);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_keeps_the_current_question_and_the_round() {
    let fake = strict_fake().await;
    fake.add_chat(ChatSpec::private_with(ann()));
    let bot = TestBot::start(&fake).await;
    let asked = bot.say(7, Some(ann()), "/ask", 1).await;
    let question = question_in(&visible(&asked[0]));
    let bot = bot.restart().await;
    let answered = bot.say(7, Some(ann()), "/answer", 1).await;
    assert_eq!(answered[0].reply_to, Some(asked[0].message_id));
    assert_word_for_word(&question.answer, &visible(&answered[0]));
    // The round survived too: the next asks never repeat the first.
    for _ in 1..bank().len() {
        let posts = bot.say(7, Some(ann()), "/ask", 1).await;
        assert_ne!(question_in(&visible(&posts[0])).id, question.id);
    }
    assert_nothing_rejected(&fake);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_menu_is_registered_in_both_languages() {
    let fake = strict_fake().await;
    let bot = TestBot::start(&fake).await;
    let sets = fake.commands();
    for lang in ["zh", "en"] {
        assert!(
            sets.iter().any(|s| s.language_code == lang),
            "no {lang} menu: {sets:?}"
        );
    }
    assert!(sets.iter().any(|s| s.scope["type"] == "all_group_chats"));
    assert!(sets.iter().any(|s| s.scope["type"] == "all_private_chats"));
    assert_nothing_rejected(&fake);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_answer_arrives_as_several_messages_in_order() {
    let paragraph = "**要点：** 这是一段很长的解析文字，用来检验分段发送。<不是标签> & 符号。";
    let answer: Vec<String> = (0..120).map(|i| format!("- {i} {paragraph}")).collect();
    let deck = format!(
        "deck: long\ntitle: Long\nlanguage: zh\nquestions:\n  - id: long-one\n    title: 长答案\n    tags: [long]\n    question: 很长的答案？\n    answer: |\n{}\n    analysis: 短。\n",
        answer
            .iter()
            .map(|l| format!("      {l}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let bank =
        studybot::bank::Bank::from_sources(vec![("long.yaml".into(), deck)]).expect("a valid deck");
    let fake = strict_fake().await;
    fake.add_chat(ChatSpec::private_with(ann()));
    let (dir, database) = temp_db();
    let bot = TestBot::start_with_bank(
        &fake,
        &database,
        studybot::runtime::clock::Clock::system(),
        engine_config(),
        dir,
        std::sync::Arc::new(bank),
    )
    .await;
    let asked = bot.say(7, Some(ann()), "/ask", 1).await;
    let before = messages_in(&fake, 7).len();
    fake.push_message(7, Some(ann()), "/answer", None);
    bot.wait_for_messages(7, before + 2).await;
    // The rest follow at the chat's pace (one a second).
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let parts = messages_in(&fake, 7)[before..].to_vec();
    assert!(parts.len() >= 2, "split into {} messages", parts.len());
    assert_eq!(parts[0].reply_to, Some(asked[0].message_id));
    let joined: String = parts.iter().map(visible).collect::<Vec<_>>().join("\n");
    let mut last = 0;
    for i in 0..120 {
        let at = joined[last..].find(&format!("{i} 要点")).map(|p| p + last);
        let at = at.unwrap_or_else(|| panic!("item {i} missing or out of order"));
        last = at;
    }
    assert_eq!(
        joined.matches("<不是标签>").count(),
        120,
        "escaped text kept, none lost or doubled"
    );
    assert_nothing_rejected(&fake);
    bot.stop().await;
}

/// A `my_chat_member` update: the bot's own membership in GROUP changed.
fn membership(fake: &fake_bot_api::FakeBotApi, old: &str, new: &str) -> serde_json::Value {
    let bot = fake.bot_user();
    let bot = serde_json::json!({
        "id": bot.id, "is_bot": true, "first_name": bot.first_name, "username": bot.username,
    });
    serde_json::json!({
        "my_chat_member": {
            "chat": { "id": GROUP, "type": "group", "title": "Study group" },
            "from": { "id": 7, "is_bot": false, "first_name": "Ann" },
            "date": 1_796_000_000,
            "old_chat_member": { "user": bot, "status": old, "until_date": 0 },
            "new_chat_member": { "user": bot, "status": new, "until_date": 0 },
        }
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn added_to_a_group_it_introduces_itself_and_removed_it_stops() {
    let fake = strict_fake().await;
    fake.add_chat(ChatSpec::group(GROUP, "Study group"));
    let bot = TestBot::start(&fake).await;
    fake.push_raw_update(membership(&fake, "left", "member"));
    let hello = bot.wait_for_messages(GROUP, 1).await;
    assert!(
        visible(&hello[0]).contains("/daily"),
        "{}",
        visible(&hello[0])
    );

    let store = studybot::store::Store::open(&bot.database).await.unwrap();
    fake.push_raw_update(membership(&fake, "member", "kicked"));
    let deadline = std::time::Instant::now() + PATIENCE;
    while store
        .chat(ChatId::telegram(GROUP))
        .await
        .unwrap()
        .unwrap()
        .active
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the chat stays active after the bot was removed"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(
        messages_in(&fake, GROUP).len(),
        1,
        "no goodbye into a chat it left"
    );
    assert_nothing_rejected(&fake);
    bot.stop().await;
}
