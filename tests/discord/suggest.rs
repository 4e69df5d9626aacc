//! `/suggest` on Discord end to end against the strict fake: a member with
//! Manage Server names the moderation channel, `/suggest` opens a modal,
//! the suggestion is posted there with Approve / Edit / Reject, an approved
//! question is written to the channel's deck file (in a temp copy of the
//! content) and served by `/ask` there only, a rejection's reason reaches
//! the suggester's DM; members without Manage Server cannot decide, the
//! daily cap and a near-duplicate show, and a server without a moderation
//! channel says who can open suggestions.

use std::path::Path;
use std::time::Duration;

use crate::support::PATIENCE;
use crate::support::discord::{Bot, World, no_options, option};
use fake_discord_api::{Invocation, Message};
use studybot::runtime::clock::Clock;
use tempfile::TempDir;

/// A world whose server has a `mods` channel, on a temp copy of the content.
struct Desk {
    w: World,
    mods: u64,
    content: TempDir,
    bot: Bot,
}

async fn desk(named: bool) -> Desk {
    let w = World::new().await;
    let mods = w.fake.add_text_channel(w.guild, "mods");
    let content = tempfile::tempdir().unwrap();
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/llm-startup.yaml");
    std::fs::copy(shipped, content.path().join("llm-startup.yaml")).unwrap();
    let clock = Clock::system();
    clock.set("2026-12-01T08:00:00Z".parse().unwrap());
    let bot = w.start(&clock, Some(content.path())).await;
    if named {
        let named = w
            .slash(mods, w.ann, "suggest", vec_option("moderation", "here"))
            .await;
        assert!(!named.ephemeral(), "the channel sees it: {}", named.text());
    }
    Desk {
        w,
        mods,
        content,
        bot,
    }
}

fn vec_option(name: &str, value: &str) -> serde_json::Value {
    serde_json::Value::Array(vec![option(name, value)])
}

/// Runs `/suggest` and returns the invocation whose callback is the form.
async fn open_form(w: &World, channel: u64, user: u64) -> Invocation {
    let invocation = w
        .fake
        .slash(channel, user, "suggest", no_options())
        .unwrap();
    let reply = w
        .fake
        .wait_reply(&invocation, Duration::from_secs(3))
        .await
        .expect("answered");
    assert_eq!(reply.callback_type, Some(9), "a modal: {reply:?}");
    invocation
}

/// Submits `values` to the modal opened by `opened` and returns the note.
async fn submit(w: &World, opened: &Invocation, user: u64, values: &[(&str, &str)]) -> Message {
    let sent = w
        .fake
        .submit_modal(opened, user, values)
        .expect("submitted");
    let reply = w
        .fake
        .wait_reply(&sent, Duration::from_secs(3))
        .await
        .expect("answered");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let id = reply.original.or(reply.followups.first().copied());
    w.fake.message(id.expect("a message")).unwrap()
}

async fn suggest(w: &World, channel: u64, user: u64, question: &str) -> Message {
    let opened = open_form(w, channel, user).await;
    let values = [
        ("question", question),
        ("answer", "Because of the **data**."),
        ("tags", "ml, data"),
    ];
    submit(w, &opened, user, &values).await
}

fn custom_ids(message: &Message) -> Vec<String> {
    message
        .components
        .iter()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter_map(|c| c["custom_id"].as_str().map(str::to_string))
        .collect()
}

/// The moderation message of the suggestion whose question holds `text`.
async fn posted(w: &World, mods: u64, text: &str) -> Message {
    let found = |f: &fake_discord_api::FakeDiscord| {
        f.messages(mods)
            .into_iter()
            .find(|m| m.content.contains(text) && !custom_ids(m).is_empty())
    };
    assert!(
        w.fake.wait_until(PATIENCE, |f| found(f).is_some()).await,
        "no moderation message for {text:?}: {:#?}",
        w.fake.messages(mods)
    );
    found(&w.fake).unwrap()
}

fn button(message: &Message, prefix: &str) -> String {
    let ids = custom_ids(message);
    ids.into_iter().find(|id| id.starts_with(prefix)).unwrap()
}

async fn dm_has(w: &World, user: u64, text: &str) -> bool {
    let dm = w.fake.add_dm(user);
    w.fake
        .wait_until(PATIENCE, |f| {
            f.messages(dm).iter().any(|m| m.content.contains(text))
        })
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_approved_suggestion_is_written_and_served_in_its_channel_only() {
    let d = desk(true).await;
    let w = &d.w;
    let question = "Why does a learning rate warm-up help big transformers?";
    let note = suggest(w, w.channel, w.bob, question).await;
    assert!(note.ephemeral, "only the suggester sees it");
    assert!(note.content.contains("#1"), "{}", note.content);
    let posted = posted(w, d.mods, "warm-up").await;
    assert!(posted.content.contains("Bob"), "{}", posted.content);
    assert_eq!(
        posted.allowed_mentions,
        Some(serde_json::json!({"parse": []}))
    );

    let approve = button(&posted, "v1:u:a:");
    let approved = w.press(d.mods, w.ann, posted.id, &approve).await;
    assert!(!approved.ephemeral(), "the moderators see who approved");
    let question_id = format!("community-discord-{}-1", w.channel);
    assert!(approved.text().contains("Ann"), "{}", approved.text());
    assert!(
        approved.text().contains(&question_id),
        "{}",
        approved.text()
    );

    let file = d
        .content
        .path()
        .join(format!("community/discord-{}.yaml", w.channel));
    let deck = std::fs::read_to_string(&file).expect("the deck file is written");
    assert!(
        deck.contains(question) && deck.contains(&question_id),
        "{deck}"
    );
    assert!(dm_has(w, w.bob, "warm-up").await, "the suggester hears it");

    let asked = w
        .slash(w.channel, w.bob, "ask", vec_option("tag", "community"))
        .await;
    assert!(asked.text().contains("warm-up"), "{}", asked.text());
    let other_guild = w.fake.add_guild("Other", w.ann);
    let elsewhere = w.fake.add_text_channel(other_guild, "general");
    let there = w
        .slash(elsewhere, w.bob, "ask", vec_option("tag", "community"))
        .await;
    assert!(!there.text().contains("warm-up"), "{}", there.text());

    // A second press on a decided suggestion says who decided.
    let again = w
        .press(d.mods, w.ann, posted.id, &button(&posted, "v1:u:x:"))
        .await;
    assert!(again.ephemeral(), "{}", again.text());
    assert!(again.text().contains("Ann"), "{}", again.text());
    assert!(w.fake.rejected().is_empty(), "{:#?}", w.fake.rejected());
    d.bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejection_asks_for_a_reason_that_reaches_the_suggesters_dm() {
    let d = desk(true).await;
    let w = &d.w;
    suggest(
        w,
        w.channel,
        w.bob,
        "Is attention all you need for tabular data?",
    )
    .await;
    let posted = posted(w, d.mods, "tabular").await;
    let reject = button(&posted, "v1:u:x:");
    let press = w.fake.press(d.mods, w.ann, posted.id, &reject).unwrap();
    let opened = w
        .fake
        .wait_reply(&press, Duration::from_secs(3))
        .await
        .unwrap();
    assert_eq!(opened.callback_type, Some(9), "a modal for the reason");
    let reason = "Too vague: say which model family.";
    let said = submit(w, &press, w.ann, &[("reason", reason)]).await;
    assert!(
        !said.ephemeral && said.content.contains("Ann"),
        "{}",
        said.content
    );
    assert!(
        dm_has(w, w.bob, reason).await,
        "the reason reaches Bob's DM"
    );
    let file = d
        .content
        .path()
        .join(format!("community/discord-{}.yaml", w.channel));
    assert!(!file.exists(), "nothing is written");
    assert!(w.fake.rejected().is_empty(), "{:#?}", w.fake.rejected());
    d.bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_opens_the_suggestion_prefilled_and_approves_the_corrected_text() {
    let d = desk(true).await;
    let w = &d.w;
    suggest(w, w.channel, w.bob, "What dose gradient clipping do?").await;
    let posted = posted(w, d.mods, "clipping").await;
    let press = w
        .fake
        .press(d.mods, w.ann, posted.id, &button(&posted, "v1:u:e:"))
        .unwrap();
    let opened = w
        .fake
        .wait_reply(&press, Duration::from_secs(3))
        .await
        .unwrap();
    let form = opened.callback_data.expect("a modal");
    let question = &form["components"][0]["components"][0];
    assert_eq!(question["value"], "What dose gradient clipping do?");
    let fixed = "What does gradient clipping do?";
    let values = [("question", fixed), ("answer", "It bounds the update.")];
    let said = submit(w, &press, w.ann, &values).await;
    assert!(said.content.contains("Ann"), "{}", said.content);
    let file = d
        .content
        .path()
        .join(format!("community/discord-{}.yaml", w.channel));
    let deck = std::fs::read_to_string(file).unwrap();
    assert!(deck.contains(fixed) && !deck.contains("dose"), "{deck}");
    d.bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_without_manage_server_cannot_decide_or_name_the_channel() {
    let d = desk(true).await;
    let w = &d.w;
    suggest(
        w,
        w.channel,
        w.bob,
        "How does dropout regularise a network?",
    )
    .await;
    let posted = posted(w, d.mods, "dropout").await;
    let refused = w
        .press(d.mods, w.bob, posted.id, &button(&posted, "v1:u:a:"))
        .await;
    assert!(refused.ephemeral(), "{}", refused.text());
    let file = d
        .content
        .path()
        .join(format!("community/discord-{}.yaml", w.channel));
    assert!(!file.exists(), "Bob's press approved nothing");
    let named = w
        .slash(
            w.channel,
            w.bob,
            "suggest",
            vec_option("moderation", "here"),
        )
        .await;
    assert!(named.ephemeral(), "{}", named.text());
    // The desk is still `mods`: a new suggestion goes there.
    suggest(w, w.channel, w.bob, "Why normalise layer inputs?").await;
    posted_in_mods_only(w, d.mods, "normalise").await;
    d.bot.stop().await;
}

async fn posted_in_mods_only(w: &World, mods: u64, text: &str) {
    posted(w, mods, text).await;
    let leaked = w.fake.messages(w.channel);
    assert!(
        !leaked
            .iter()
            .any(|m| m.content.contains(text) && !m.ephemeral),
        "{leaked:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_suggestions_a_day_then_a_clear_refusal() {
    let d = desk(true).await;
    let w = &d.w;
    let topics = ["alpha", "bravo", "charlie", "delta", "echo"];
    for topic in topics {
        let note = suggest(w, w.channel, w.bob, &format!("Explain the {topic} effect")).await;
        assert!(note.content.contains('#'), "{}", note.content);
    }
    let refused = w.slash(w.channel, w.bob, "suggest", no_options()).await;
    assert_ne!(refused.reply.callback_type, Some(9), "no form past the cap");
    assert!(
        refused.ephemeral() && refused.text().contains('5'),
        "{}",
        refused.text()
    );
    d.bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_near_duplicate_is_shown_to_the_moderators_and_a_duplicate_refused() {
    let d = desk(true).await;
    let w = &d.w;
    let near = "大模型训练中最常见的技术挑战都有哪些？";
    suggest(w, w.channel, w.bob, near).await;
    let posted = posted(w, d.mods, "最常见").await;
    assert!(
        posted.content.contains('⚠') && posted.content.contains("training-challenges"),
        "{}",
        posted.content
    );
    let same = suggest(w, w.channel, w.bob, "大模型训练中常见的技术挑战有哪些?").await;
    assert!(
        same.ephemeral && same.content.contains("training-challenges"),
        "{}",
        same.content
    );
    d.bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_moderation_channel_suggest_says_who_can_open_it() {
    let d = desk(false).await;
    let w = &d.w;
    let closed = w.slash(w.channel, w.bob, "suggest", no_options()).await;
    assert_ne!(closed.reply.callback_type, Some(9), "no form");
    assert!(closed.ephemeral(), "{}", closed.text());
    assert!(
        closed.text().contains("moderation:here"),
        "{}",
        closed.text()
    );
    let settings = w.slash(w.channel, w.bob, "settings", no_options()).await;
    assert!(
        settings.text().contains("moderation:here"),
        "{}",
        settings.text()
    );

    // Once named, /settings says where, and /suggest opens the form.
    w.slash(d.mods, w.ann, "suggest", vec_option("moderation", "here"))
        .await;
    let settings = w.slash(w.channel, w.bob, "settings", no_options()).await;
    assert!(settings.text().contains("mods"), "{}", settings.text());
    open_form(w, w.channel, w.bob).await;
    d.bot.stop().await;
}
