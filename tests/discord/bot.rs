//! The real Discord adapter against a strict fake Discord (REST and
//! gateway): slash commands in a server channel, a thread and a DM, the
//! show-answer button, the admin rule, no pings, daily posts and timed
//! reveals, 429s, refused channels, a removed server and a dropped gateway.

use std::time::Duration;

use crate::support::discord::{PATIENCE, World, no_options, option};
use fake_discord_api::{Bucket, ChannelFault};
use serde_json::json;
use studybot::bank::Bank;
use studybot::domain::ChatId;
use studybot::runtime::clock::Clock;

fn shipped_bank() -> Bank {
    Bank::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content")).unwrap()
}

fn chat(id: u64) -> ChatId {
    ChatId::discord(id).unwrap()
}

#[tokio::test]
async fn ask_and_the_button_work_in_a_channel_a_thread_and_a_dm() {
    let w = World::new().await;
    let clock = Clock::system();
    let bot = w.start(&clock, None).await;
    let bank = shipped_bank();
    for place in [w.channel, w.thread, w.dm] {
        let asked = w.slash(place, w.ann, "ask", no_options()).await;
        assert_eq!(asked.reply.callback_type, Some(4), "answered directly");
        let (message, custom_id) = asked.button().expect("a show-answer button");
        let question_id = custom_id
            .strip_prefix("v1:r:")
            .expect("versioned custom_id");
        let question = bank.get(question_id).expect("a seed question");
        assert!(asked.text().contains(&question.title), "{}", asked.text());
        assert!(asked.messages.iter().all(|m| m.pings.is_empty()));

        let shown = w.press(place, w.bob, message, &custom_id).await;
        assert!(!shown.ephemeral());
        let answer_start: String = question.answer.chars().take(6).collect();
        assert!(shown.text().contains(&answer_start), "{}", shown.text());
        let again = w.press(place, w.ann, message, &custom_id).await;
        assert!(
            again.ephemeral(),
            "a second press gets a note for the presser alone"
        );
        assert!(
            again.text().contains("答案已经公布过了"),
            "{}",
            again.text()
        );
    }
    // A button of an older version (or forged).
    let old = w
        .fake
        .add_bot_message(
            w.channel,
            &json!({"content": "old", "components": [{"type": 1, "components": [
                {"type": 2, "style": 1, "label": "old", "custom_id": "v0:whatever"}]}]}),
        )
        .unwrap();
    let stale = w.press(w.channel, w.ann, old, "v0:whatever").await;
    assert!(stale.ephemeral(), "a stale button gets a polite note");
    assert!(w.fake.rejected().is_empty(), "{:#?}", w.fake.rejected());
    bot.stop().await;
}

#[tokio::test]
async fn only_members_who_manage_the_server_change_settings() {
    let w = World::new().await;
    let clock = Clock::system();
    let bot = w.start(&clock, None).await;
    let refused = w
        .slash(w.channel, w.bob, "daily", json!([option("time", "09:00")]))
        .await;
    assert!(refused.text().contains("管理员"), "{}", refused.text());
    assert!(bot.store.plan(chat(w.channel)).await.unwrap().is_none());
    let saved = w
        .slash(w.channel, w.ann, "daily", json!([option("time", "09:00")]))
        .await;
    assert!(saved.text().contains("09:00"), "{}", saved.text());
    assert!(bot.store.plan(chat(w.channel)).await.unwrap().is_some());
    // Anyone may look; a DM is the person's own.
    let settings = w.slash(w.channel, w.bob, "settings", no_options()).await;
    assert!(settings.text().contains("09:00"));
    let lang = w
        .slash(w.dm, w.ann, "lang", json!([option("code", "en")]))
        .await;
    assert!(lang.text().contains("English"), "{}", lang.text());
    let registered = w.fake.commands(None);
    let daily = registered.iter().find(|c| c["name"] == "daily").unwrap();
    assert_eq!(daily["default_member_permissions"], "32");
    assert_eq!(daily["name_localizations"]["zh-CN"], "每日一题");
    bot.stop().await;
}

#[tokio::test]
async fn a_deck_that_says_everyone_pings_no_one() {
    let w = World::new().await;
    let content = tempfile::tempdir().unwrap();
    std::fs::write(
        content.path().join("pings.yaml"),
        "deck: pings\ntitle: Pings\nlanguage: en\nquestions:\n  - id: everyone\n    title: \"@everyone look\"\n    tags: [pings]\n    question: \"@everyone and @here and <@123>\"\n    answer: \"<@&456> @everyone\"\n    analysis: \"none\"\n",
    )
    .unwrap();
    let clock = Clock::system();
    let bot = w.start(&clock, Some(content.path())).await;
    let asked = w.slash(w.channel, w.ann, "ask", no_options()).await;
    let (message, custom_id) = asked.button().unwrap();
    let shown = w.press(w.channel, w.ann, message, &custom_id).await;
    for m in asked.messages.iter().chain(&shown.messages) {
        assert!(m.pings.is_empty(), "{m:?}");
        assert_eq!(m.allowed_mentions, Some(json!({"parse": []})));
    }
    bot.stop().await;
}

#[tokio::test]
async fn daily_posts_go_out_once_per_channel_across_a_restart_with_a_timed_reveal() {
    let w = World::new().await;
    let clock = Clock::system();
    clock.set("2026-12-01T08:58:00Z".parse().unwrap());
    let bot = w.start(&clock, None).await;
    for place in [w.channel, w.thread] {
        w.slash(
            place,
            w.ann,
            "daily",
            json!([option("time", "09:00"), option("zone", "UTC")]),
        )
        .await;
    }
    w.slash(w.channel, w.ann, "reveal", json!([option("when", "1m")]))
        .await;
    // A 429 on the channel's bucket: the post waits and still goes out once.
    w.fake
        .exhaust_bucket(Bucket::ChannelMessages(w.channel), Duration::from_secs(1));
    clock.set("2026-12-01T09:00:00.5Z".parse().unwrap());
    let posted = w
        .fake
        .wait_until(PATIENCE, |f| {
            [w.channel, w.thread]
                .iter()
                .all(|&c| f.messages(c).iter().any(|m| m.interaction_id.is_none()))
        })
        .await;
    assert!(posted, "a daily post in each channel");
    bot.stop().await;
    let bot = w.start(&clock, None).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    for place in [w.channel, w.thread] {
        assert_eq!(
            w.daily_posts(place).len(),
            1,
            "exactly once, also across a restart"
        );
    }
    let question = w.daily_posts(w.channel)[0].id;
    clock.set("2026-12-01T09:01:01Z".parse().unwrap());
    let revealed = w
        .fake
        .wait_until(PATIENCE, |f| {
            f.messages(w.channel)
                .iter()
                .any(|m| m.reply_to == Some(question))
        })
        .await;
    assert!(revealed, "the timed reveal replies to the day's question");
    assert!(w.fake.rejected().is_empty(), "{:#?}", w.fake.rejected());
    println!("429 answers during the test: {}", w.fake.count_429());
    bot.stop().await;
}

#[tokio::test]
async fn a_refused_channel_and_a_removed_server_pause_their_plans() {
    let w = World::new().await;
    let clock = Clock::system();
    clock.set("2026-12-01T08:58:00Z".parse().unwrap());
    let bot = w.start(&clock, None).await;
    for place in [w.channel, w.thread] {
        w.slash(
            place,
            w.ann,
            "daily",
            json!([option("time", "09:00"), option("zone", "UTC")]),
        )
        .await;
    }
    w.fake
        .set_channel_fault(w.thread, Some(ChannelFault::MissingPermissions));
    clock.set("2026-12-01T09:00:00.5Z".parse().unwrap());
    let store = bot.store.clone();
    let paused = async {
        for _ in 0..100 {
            if !store.chat(chat(w.thread)).await.unwrap().unwrap().active {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        false
    };
    assert!(paused.await, "a 403 marks the thread inactive");
    assert!(store.plan(chat(w.thread)).await.unwrap().unwrap().paused);
    let attempts = w
        .fake
        .requests()
        .iter()
        .filter(|r| r.path.contains(&format!("/channels/{}/messages", w.thread)))
        .count();
    assert_eq!(attempts, 1, "a 403 is never retried");

    w.fake.remove_guild(w.guild);
    let mut gone = false;
    for _ in 0..100 {
        if !store.chat(chat(w.channel)).await.unwrap().unwrap().active {
            gone = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(gone, "GUILD_DELETE marks the server's channels inactive");
    assert!(store.plan(chat(w.channel)).await.unwrap().unwrap().paused);
    bot.stop().await;
}

#[tokio::test]
async fn after_a_dropped_gateway_the_next_ask_is_answered() {
    let w = World::new().await;
    let clock = Clock::system();
    let bot = w.start(&clock, None).await;
    w.fake.drop_gateway();
    let asked = w.slash(w.channel, w.ann, "ask", no_options()).await;
    assert!(asked.button().is_some());
    let counts = w.fake.gateway_counts();
    assert_eq!(
        (counts.identifies, counts.resumes),
        (1, 1),
        "resumed, not re-identified"
    );
    bot.stop().await;
}

#[tokio::test]
async fn autocomplete_suggests_zones_tags_and_question_ids() {
    let w = World::new().await;
    let clock = Clock::system();
    let bot = w.start(&clock, None).await;
    let bank = shipped_bank();
    let some_id = &bank.questions()[0].id;
    for (command, option, typed, expected) in [
        ("daily", "zone", "shang", "Asia/Shanghai".to_string()),
        ("ask", "tag", "train", "training".to_string()),
        ("answer", "id", some_id.as_str(), some_id.clone()),
    ] {
        let focused = json!([{ "name": option, "type": 3, "value": typed, "focused": true }]);
        let invocation = w
            .fake
            .autocomplete(w.channel, w.ann, command, focused)
            .unwrap();
        let reply = w
            .fake
            .wait_reply(&invocation, Duration::from_secs(3))
            .await
            .expect("answered in time");
        assert_eq!(reply.callback_type, Some(8));
        let data = reply.callback_data.unwrap();
        let values: Vec<&str> = data["choices"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| c["value"].as_str())
            .collect();
        assert_eq!(
            values.first().copied(),
            Some(expected.as_str()),
            "{command} {option}"
        );
    }
    assert!(w.fake.rejected().is_empty(), "{:#?}", w.fake.rejected());
    bot.stop().await;
}
