//! Multiple-choice questions on Telegram, end to end against the strict
//! fake Bot API: the question is followed by a quiz poll within Telegram's
//! limits (even for a long question), members answer it (one takes their
//! vote back and votes again), the reveal closes the poll and says how the
//! group answered — also after a restart between the answers and the
//! reveal. In a channel the poll is anonymous and the reveal counts nothing.

use std::sync::Arc;

use crate::support::*;
use fake_bot_api::{ChatSpec, FakeBotApi, PollState, User};
use jiff::Timestamp;
use serde_json::json;
use studybot::bank::Bank;
use studybot::runtime::clock::Clock;

const GROUP: i64 = -100_6006;
const CHANNEL: i64 = -100_6007;

/// One question with choices whose first sentence is far over 300
/// characters, so the poll's prompt has to be cut.
fn quiz_bank() -> Arc<Bank> {
    let long = "Which of these ".to_string() + &"very ".repeat(80) + "long options is right?";
    let deck = format!(
        "deck: q\ntitle: Quiz\nlanguage: en\nquestions:\n  - id: q1\n    title: Colours\n    question: {long}\n    choices: [red, green, blue, black]\n    correct: blue\n    answer: Blue. The sky says so.\n"
    );
    Arc::new(Bank::from_sources(vec![("q.yaml".into(), deck)]).expect("the quiz deck loads"))
}

async fn start(fake: &FakeBotApi) -> TestBot {
    let (dir, database) = temp_db();
    start_on(fake, &database, dir).await
}

async fn start_on(fake: &FakeBotApi, database: &str, dir: Arc<tempfile::TempDir>) -> TestBot {
    start_at(fake, database, dir, Clock::system()).await
}

async fn start_at(
    fake: &FakeBotApi,
    database: &str,
    dir: Arc<tempfile::TempDir>,
    clock: Clock,
) -> TestBot {
    let config = engine_config();
    TestBot::start_with_bank(fake, database, clock, config, dir, quiz_bank()).await
}

fn member(id: i64, name: &str) -> User {
    User::new(id, name).with_language("en")
}

/// The poll posted in `chat`, once the bot has had the time to record it
/// (people answer in seconds, not within the millisecond it takes).
async fn wait_for_poll(bot: &TestBot, chat: i64) -> PollState {
    let fake = &bot.fake;
    let posted = fake
        .wait_until(PATIENCE, |f| f.polls().iter().any(|p| p.chat_id == chat))
        .await;
    assert!(posted, "a poll was posted in {chat}");
    bot.settle().await;
    fake.polls()
        .into_iter()
        .find(|p| p.chat_id == chat)
        .unwrap()
}

/// The answers three members give: Ann and Cy right (C), Bob A, then Bob
/// takes it back and votes B (updates as Telegram sends them for a vote
/// taken back; Telegram's apps do not allow it in quizzes, the bot copes).
async fn three_answer(bot: &TestBot, poll: &PollState) {
    let fake = &bot.fake;
    let (ann, bob, cy) = (member(7, "Ann"), member(8, "Bob"), member(9, "Cy"));
    fake.push_poll_answer(&poll.id, ann, &[2]).unwrap();
    fake.push_poll_answer(&poll.id, bob.clone(), &[0]).unwrap();
    fake.push_poll_answer(&poll.id, cy, &[2]).unwrap();
    for options in [json!([]), json!([1])] {
        fake.push_raw_update(json!({ "poll_answer": {
            "poll_id": poll.id,
            "user": { "id": bob.id, "is_bot": false, "first_name": "Bob" },
            "option_ids": options,
        }}));
    }
    bot.settle().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quiz_poll_is_answered_and_closed_at_the_reveal_with_a_summary() {
    let fake = strict_fake().await;
    fake.add_chat(ChatSpec::group(GROUP, "Study group"));
    fake.set_admins(GROUP, &[7]);
    let bot = start(&fake).await;
    bot.say(GROUP, Some(member(7, "Ann")), "/lang en", 1).await;
    let asked = bot.say(GROUP, Some(member(7, "Ann")), "/ask", 1).await;
    let poll = wait_for_poll(&bot, GROUP).await;

    assert!(poll.quiz && !poll.is_anonymous, "{poll:#?}");
    assert_eq!(poll.options, ["red", "green", "blue", "black"]);
    assert_eq!(poll.correct_option_id, Some(2));
    assert!(poll.question.chars().count() <= 300, "{}", poll.question);
    assert!(poll.question.starts_with("Which of these very"));
    assert!(poll.question.ends_with('…'));
    assert_eq!(poll.explanation.as_deref(), Some("Blue."));
    assert_eq!(
        poll.message_id,
        asked[0].message_id + 1,
        "right after the question"
    );
    // The choices are in the poll, not on the question's buttons.
    let keyboard = asked[0].reply_markup.as_ref().unwrap()["inline_keyboard"].clone();
    assert_eq!(keyboard.as_array().unwrap().len(), 1, "{keyboard}");

    three_answer(&bot, &poll).await;
    let show = button_data(&asked[0]).unwrap();
    fake.push_callback(GROUP, member(9, "Cy"), asked[0].message_id, &show);
    let reveal = bot.wait_for_messages(GROUP, 3).await.pop().unwrap();
    let text = visible(&reveal);
    assert!(text.contains("Right answer: C. blue"), "{text}");
    assert!(text.contains("3 answered, 2 right; most chose C"), "{text}");

    let closed = fake.polls().into_iter().find(|p| p.id == poll.id).unwrap();
    assert!(closed.is_closed, "the reveal closed the poll");
    assert_eq!(fake.requests_to("stoppoll").len(), 1);
    let late = fake.push_poll_answer(&poll.id, member(10, "Di"), &[2]);
    assert!(late.unwrap_err().contains("closed"));
    assert_nothing_rejected(&fake);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_counts_survive_a_restart_before_the_reveal() {
    let fake = strict_fake().await;
    fake.add_chat(ChatSpec::group(GROUP, "Study group"));
    fake.set_admins(GROUP, &[7]);
    let (dir, database) = temp_db();
    let bot = start_on(&fake, &database, dir.clone()).await;
    bot.say(GROUP, Some(member(7, "Ann")), "/lang zh", 1).await;
    bot.say(GROUP, Some(member(7, "Ann")), "/ask", 1).await;
    let poll = wait_for_poll(&bot, GROUP).await;
    three_answer(&bot, &poll).await;

    bot.stop().await;
    let bot = start_on(&fake, &database, dir).await;
    let reveal = bot.say(GROUP, Some(member(8, "Bob")), "/answer", 1).await;
    let text = visible(&reveal[0]);
    assert!(text.contains("正确答案：C. blue"), "{text}");
    assert!(text.contains("3 人作答，2 人答对；最多人选 C"), "{text}");
    let stops = fake.requests_to("stoppoll");
    assert!(fake.polls()[0].is_closed, "{:#?} {stops:#?}", fake.polls());
    assert_nothing_rejected(&fake);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_channel_gets_an_anonymous_poll_and_a_reveal_without_counts() {
    let fake = strict_fake().await;
    fake.add_chat(ChatSpec::channel(CHANNEL, "Study channel"));
    let bot = start(&fake).await;
    bot.say(CHANNEL, None, "/lang en", 1).await;
    bot.say(CHANNEL, None, "/ask", 1).await;
    let poll = wait_for_poll(&bot, CHANNEL).await;
    assert!(poll.is_anonymous, "channels allow only anonymous polls");
    let reveal = bot.say(CHANNEL, None, "/answer", 1).await;
    let text = visible(&reveal[0]);
    assert!(text.contains("Right answer: C. blue"), "{text}");
    assert!(!text.contains("answered"), "{text}");
    assert!(fake.polls()[0].is_closed);
    assert_nothing_rejected(&fake);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daily_question_brings_a_poll_and_the_timed_reveal_closes_it() {
    let fake = strict_fake().await;
    fake.add_chat(ChatSpec::supergroup(GROUP, "Study group", false));
    fake.set_admins(GROUP, &[7]);
    let clock = Clock::system();
    clock.set("2026-12-01T00:58:00Z".parse::<Timestamp>().unwrap());
    let (dir, database) = temp_db();
    let bot = start_at(&fake, &database, dir, clock).await;
    let ann = member(7, "Ann");
    bot.say(GROUP, Some(ann.clone()), "/lang en", 1).await;
    bot.say(GROUP, Some(ann.clone()), "/daily 09:00 Asia/Shanghai", 1)
        .await;
    bot.say(GROUP, Some(ann.clone()), "/reveal 21:00", 1).await;

    bot.clock.set("2026-12-01T01:00:00Z".parse().unwrap());
    let poll = wait_for_poll(&bot, GROUP).await;
    let question = bot.wait_for_messages(GROUP, 4).await.pop().unwrap();
    assert_eq!(poll.message_id, question.message_id + 1);
    fake.push_poll_answer(&poll.id, ann, &[2]).unwrap();
    fake.push_poll_answer(&poll.id, member(8, "Bob"), &[3])
        .unwrap();
    bot.settle().await;

    bot.clock.set("2026-12-01T13:00:00Z".parse().unwrap());
    let reveal = bot.wait_for_messages(GROUP, 5).await.pop().unwrap();
    assert_eq!(reveal.reply_to, Some(question.message_id));
    let text = visible(&reveal);
    assert!(
        text.contains("2 answered, 1 right; most chose C and D"),
        "{text}"
    );
    assert!(
        fake.polls()[0].is_closed,
        "the timed reveal closed the poll"
    );
    assert_nothing_rejected(&fake);
    bot.stop().await;
}
