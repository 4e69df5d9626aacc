//! `/suggest` end to end against the strict fake Bot API: the group's
//! button opens a deep link, the form runs in private with ForceReply
//! prompts (and survives a restart), the operators moderate in private,
//! an approved question is written to the group's deck file and `/ask`
//! serves it there and nowhere else; a rejection reaches the suggester with
//! its reason, a second moderator hears who decided, and the daily cap,
//! exact and near duplicates are refused or flagged.

use std::path::PathBuf;

use crate::support::*;
use fake_bot_api::{ChatSpec, SentMessage, User};

const GROUP: i64 = -100_5020;
const OTHER: i64 = -100_5021;
const ANN: i64 = 20;
const MODS: [i64; 2] = [520, 521];

fn member(id: i64, name: &str) -> User {
    User::new(id, name).with_language("en")
}

/// A copy of the shipped bank the test may write into.
fn content_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(content_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    let path = dir.path().to_path_buf();
    (dir, path)
}

/// The callback data of every button, in order.
fn buttons(message: &SentMessage) -> Vec<String> {
    let Some(markup) = &message.reply_markup else {
        return Vec::new();
    };
    let rows = markup["inline_keyboard"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    rows.iter()
        .flat_map(|row| row.as_array().cloned().unwrap_or_default())
        .map(|b| b["callback_data"].as_str().unwrap_or("").to_string())
        .collect()
}

fn is_force_reply(message: &SentMessage) -> bool {
    message
        .reply_markup
        .as_ref()
        .is_some_and(|m| m["force_reply"] == true)
}

struct Scene {
    fake: fake_bot_api::FakeBotApi,
    ann: User,
    mods: [User; 2],
    content: PathBuf,
    _dir: tempfile::TempDir,
}

async fn scene() -> (Scene, TestBot) {
    // The form's forty messages to one private chat take seconds, not a
    // minute, over the strict fake's limits in windows a tenth as long.
    let fake = quick_limits::quick_strict_fake().await;
    let ann = member(ANN, "Ann");
    let mods = [member(MODS[0], "Mo"), member(MODS[1], "Max")];
    fake.add_chat(ChatSpec::supergroup(GROUP, "Study group", false));
    fake.add_chat(ChatSpec::supergroup(OTHER, "Other group", false));
    fake.add_chat(ChatSpec::private_with(ann.clone()));
    for m in &mods {
        fake.add_chat(ChatSpec::private_with(m.clone()));
    }
    let (dir, content) = content_copy();
    let start = "2026-03-02T02:00:00Z".parse().unwrap();
    let bot = TestBot::start_suggesting(
        &fake,
        start,
        (&MODS, quick_limits::bot_limits()),
        content.clone(),
    )
    .await;
    for chat in [GROUP, OTHER] {
        bot.say(chat, Some(ann.clone()), "/lang en", 1).await;
    }
    // Operators start the bot (it may not write first); their chats speak English.
    for m in &mods {
        bot.say(m.id, Some(m.clone()), "/start", 1).await;
    }
    let scene = Scene {
        fake,
        ann,
        mods,
        content,
        _dir: dir,
    };
    (scene, bot)
}

impl Scene {
    /// Presses `data` on `message` in `chat` as `who`; the next `n` bot
    /// messages in `wait_chat`.
    async fn press(&self, chat: i64, who: &User, message: i32, data: &str) {
        let before = self.fake.callback_answers().len();
        self.fake.push_callback(chat, who.clone(), message, data);
        let answered = self
            .fake
            .wait_until(PATIENCE, |f| f.callback_answers().len() > before)
            .await;
        assert!(answered, "the press of {data} was answered");
    }

    /// Presses `data` as `who` and returns the bot's next message in `chat`.
    async fn press_for_message(
        &self,
        bot: &TestBot,
        chat: i64,
        who: &User,
        message: i32,
        data: &str,
    ) -> SentMessage {
        let before = messages_in(&self.fake, chat).len();
        self.press(chat, who, message, data).await;
        bot.wait_for_messages(chat, before + 1).await.pop().unwrap()
    }

    /// Replies `text` to `prompt` in `chat` and returns the bot's next
    /// message there.
    async fn reply(
        &self,
        bot: &TestBot,
        chat: i64,
        who: &User,
        prompt: i32,
        text: &str,
    ) -> SentMessage {
        let before = messages_in(&self.fake, chat).len();
        self.fake.push_reply(chat, Some(who.clone()), text, prompt);
        bot.wait_for_messages(chat, before + 1).await.pop().unwrap()
    }

    /// The form from `/start suggest-…` to the summary; returns it.
    async fn fill(&self, bot: &TestBot, question: &str) -> SentMessage {
        let opened = bot
            .say(ANN, Some(self.ann.clone()), "/start suggest-m1005020", 2)
            .await;
        assert!(
            visible(&opened[0]).contains("Study group"),
            "{}",
            visible(&opened[0])
        );
        let mut prompt = opened[1].clone();
        assert!(is_force_reply(&prompt), "{prompt:?}");
        for text in [question, "Because it is **ours**."] {
            prompt = self
                .reply(bot, ANN, &self.ann, prompt.message_id, text)
                .await;
            assert!(is_force_reply(&prompt), "{}", visible(&prompt));
        }
        let tags = bot
            .say(ANN, Some(self.ann.clone()), "/skip", 1)
            .await
            .remove(0);
        assert!(visible(&tags).contains("tags"), "{}", visible(&tags));
        self.reply(bot, ANN, &self.ann, tags.message_id, "ml, Basics")
            .await
    }

    /// Presses Send on `summary`; the new message of each moderator, none
    /// when the suggestion was refused.
    async fn send(&self, bot: &TestBot, summary: &SentMessage) -> Vec<SentMessage> {
        let before: Vec<usize> = MODS
            .iter()
            .map(|&m| messages_in(&self.fake, m).len())
            .collect();
        let send = buttons(summary)[0].clone();
        assert_eq!(send, "v1:u:s:0");
        let answer = self
            .press_for_message(bot, ANN, &self.ann, summary.message_id, &send)
            .await;
        if !visible(&answer).contains("Sent to the moderators") {
            return Vec::new();
        }
        let mut queued = Vec::new();
        for (&m, n) in MODS.iter().zip(before) {
            queued.push(bot.wait_for_messages(m, n + 1).await.remove(n));
        }
        queued
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_approved_suggestion_is_written_and_served_in_its_group_only() {
    let (scene, bot) = scene().await;
    let open = bot
        .say(GROUP, Some(scene.ann.clone()), "/suggest", 1)
        .await
        .remove(0);
    let data = buttons(&open).remove(0);
    assert_eq!(data, "v1:u:o:-1005020");
    scene.press(GROUP, &scene.ann, open.message_id, &data).await;
    let url = scene
        .fake
        .callback_answers()
        .into_iter()
        .find_map(|a| a.url);
    assert_eq!(
        url.as_deref(),
        Some("https://t.me/studybot_test_bot?start=suggest-m1005020")
    );

    // The draft survives a restart half-way.
    let opened = bot
        .say(ANN, Some(scene.ann.clone()), "/start suggest-m1005020", 2)
        .await;
    let question = "What does a community deck add to a study group?";
    let answer_prompt = scene
        .reply(&bot, ANN, &scene.ann, opened[1].message_id, question)
        .await;
    let bot = bot.restart().await;
    let analysis = scene
        .reply(
            &bot,
            ANN,
            &scene.ann,
            answer_prompt.message_id,
            "Questions of its own.",
        )
        .await;
    let tags = scene
        .reply(
            &bot,
            ANN,
            &scene.ann,
            analysis.message_id,
            "It grows with the group.",
        )
        .await;
    let summary = scene
        .reply(&bot, ANN, &scene.ann, tags.message_id, "groups")
        .await;
    assert!(
        visible(&summary).contains(question),
        "{}",
        visible(&summary)
    );
    let queued = scene.send(&bot, &summary).await;
    assert_eq!(queued.len(), 2, "each moderator: {queued:?}");
    let body = visible(&queued[0]);
    for part in [question, "Study group", "Ann (20)", "Questions of its own."] {
        assert!(body.contains(part), "{part} in {body}");
    }
    let decisions = buttons(&queued[0]);
    assert_eq!(decisions, ["v1:u:a:1", "v1:u:e:1", "v1:u:x:1"]);

    // Ann cannot approve her own; Mo can.
    scene
        .press(ANN, &scene.ann, queued[0].message_id, &decisions[0])
        .await;
    let refused = scene
        .fake
        .callback_answers()
        .pop()
        .unwrap()
        .text
        .unwrap_or_default();
    assert!(refused.contains("Only the moderators"), "{refused}");
    let told_before = messages_in(&scene.fake, ANN).len();
    let done = scene
        .press_for_message(
            &bot,
            MODS[0],
            &scene.mods[0],
            queued[0].message_id,
            &decisions[0],
        )
        .await;
    assert!(visible(&done).contains("approved"), "{}", visible(&done));
    let told = bot
        .wait_for_messages(ANN, told_before + 1)
        .await
        .pop()
        .unwrap();
    assert!(
        visible(&told).contains("was approved"),
        "{}",
        visible(&told)
    );

    let file = scene.content.join("community/telegram-m1005020.yaml");
    let yaml = std::fs::read_to_string(&file).expect("the deck file is written");
    assert!(yaml.contains("community-telegram-m1005020-1"), "{yaml}");
    assert!(yaml.contains("scope: telegram:-1005020"), "{yaml}");
    let asked = bot
        .say(GROUP, Some(scene.ann.clone()), "/ask community", 1)
        .await;
    assert!(
        visible(&asked[0]).contains(question),
        "{}",
        visible(&asked[0])
    );
    let elsewhere = bot
        .say(OTHER, Some(scene.ann.clone()), "/ask community", 1)
        .await;
    assert!(
        !visible(&elsewhere[0]).contains(question),
        "{}",
        visible(&elsewhere[0])
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejection_reaches_the_suggester_with_its_reason() {
    let (scene, bot) = scene().await;
    bot.say(GROUP, Some(scene.ann.clone()), "/ask", 1).await;
    let summary = scene.fill(&bot, "Is a rejected question ever shown?").await;
    let queued = scene.send(&bot, &summary).await;
    let reject = buttons(&queued[0])[2].clone();
    let prompt = scene
        .press_for_message(&bot, MODS[0], &scene.mods[0], queued[0].message_id, &reject)
        .await;
    assert!(is_force_reply(&prompt), "{prompt:?}");
    assert!(
        visible(&prompt).contains("reason for rejecting #1"),
        "{}",
        visible(&prompt)
    );
    let told_before = messages_in(&scene.fake, ANN).len();
    let done = scene
        .reply(
            &bot,
            MODS[0],
            &scene.mods[0],
            prompt.message_id,
            "Too close to the bank.",
        )
        .await;
    assert!(visible(&done).contains("#1 rejected"), "{}", visible(&done));
    let told = bot
        .wait_for_messages(ANN, told_before + 1)
        .await
        .pop()
        .unwrap();
    assert!(
        visible(&told).contains("Reason: Too close to the bank."),
        "{}",
        visible(&told)
    );

    // The second moderator is told who decided.
    let approve = buttons(&queued[1])[0].clone();
    scene
        .press(MODS[1], &scene.mods[1], queued[1].message_id, &approve)
        .await;
    let toast = scene
        .fake
        .callback_answers()
        .pop()
        .unwrap()
        .text
        .unwrap_or_default();
    assert_eq!(toast, "#1 was already rejected by Mo.");
    assert!(!scene.content.join("community").exists());
    let status = bot
        .say(ANN, Some(scene.ann.clone()), "/suggest status", 1)
        .await;
    assert!(
        visible(&status[0]).contains("#1 rejected"),
        "{}",
        visible(&status[0])
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicates_are_refused_or_flagged_and_a_day_has_a_cap() {
    let (scene, bot) = scene().await;
    bot.say(GROUP, Some(scene.ann.clone()), "/ask", 1).await;
    let bank = studybot::bank::Bank::load(&scene.content).unwrap();
    let existing = bank.questions()[0].question.clone();
    let summary = scene.fill(&bot, &format!("{existing}?!")).await;
    let queued = scene.send(&bot, &summary).await;
    assert!(queued.is_empty(), "{queued:?}");
    let refusal = messages_in(&scene.fake, ANN).pop().unwrap();
    assert!(
        visible(&refusal).contains("in the deck already"),
        "{}",
        visible(&refusal)
    );

    let first = scene
        .fill(&bot, "What is overfitting and how do you prevent it?")
        .await;
    assert_eq!(scene.send(&bot, &first).await.len(), 2);
    let near = scene
        .fill(&bot, "What is overfitting, and how can you prevent it?")
        .await;
    let flagged = scene.send(&bot, &near).await;
    let body = visible(&flagged[0]);
    assert!(
        body.contains("Close to a question already there: #1"),
        "{body}"
    );

    for n in 0..3 {
        let other = scene
            .fill(&bot, &format!("Question {n}: something else entirely?"))
            .await;
        assert_eq!(scene.send(&bot, &other).await.len(), 2, "{n}");
    }
    let capped = bot
        .say(ANN, Some(scene.ann.clone()), "/start suggest-m1005020", 1)
        .await;
    assert!(
        visible(&capped[0]).contains("the most a day"),
        "{}",
        visible(&capped[0])
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outcome_the_suggester_cannot_receive_waits_in_status() {
    let (scene, bot) = scene().await;
    bot.say(GROUP, Some(scene.ann.clone()), "/ask", 1).await;
    let summary = scene.fill(&bot, "Who hears about a blocked bot?").await;
    let queued = scene.send(&bot, &summary).await;
    // Ann blocks the bot before the decision: Telegram answers 403.
    scene
        .fake
        .set_forbidden(ANN, "Forbidden: bot was blocked by the user");
    let told_before = messages_in(&scene.fake, ANN).len();
    let approve = buttons(&queued[0])[0].clone();
    let done = scene
        .press_for_message(
            &bot,
            MODS[0],
            &scene.mods[0],
            queued[0].message_id,
            &approve,
        )
        .await;
    assert!(visible(&done).contains("approved"), "{}", visible(&done));
    bot.settle().await;
    assert_eq!(messages_in(&scene.fake, ANN).len(), told_before);
    assert!(
        scene
            .content
            .join("community/telegram-m1005020.yaml")
            .exists()
    );
    scene.fake.clear_faults();
    let status = bot
        .say(ANN, Some(scene.ann.clone()), "/suggest status", 1)
        .await;
    let shown = visible(&status[0]);
    assert!(
        shown.contains("#1 approved — Who hears about a blocked bot?"),
        "{shown}"
    );
    bot.stop().await;
}
