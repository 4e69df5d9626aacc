//! `/daily … thread:on ping:@role` on Discord, end to end on a movable
//! clock against the strict fake: each day's question gets a thread named
//! after it (cut at 100 characters) and its reveal goes there, or to the
//! channel when no thread can be opened or the thread was locked; the question pings the one role,
//! and nothing else the bot sends pings anyone; `/settings` shows both.

use std::path::Path;

use crate::support::discord::{Bot, PATIENCE, World, option};
use fake_discord_api::{Message, Pings, permissions};
use serde_json::json;
use studybot::config::operator::OperatorConfig;
use studybot::domain::ChatId;
use studybot::runtime::clock::Clock;
use studybot::store::{LedgerKind, LedgerState, Store};
use studybot::study::Engine;

const ROLE: u64 = 4242;

/// A bank of one question whose title is 120 characters long.
fn long_title_bank(dir: &Path) -> std::path::PathBuf {
    let content = dir.join("content");
    std::fs::create_dir_all(&content).unwrap();
    let title = format!("{}{}", "问".repeat(99), "题".repeat(21));
    let deck = format!(
        "deck: one\ntitle: One\nlanguage: zh\nquestions:\n  - id: long\n    title: {title}\n    \
         tags: [t]\n    question: 这是什么？\n    answer: 这是答案。\n"
    );
    std::fs::write(content.join("one.yaml"), deck).unwrap();
    content
}

/// A daily plan at 09:00 UTC, answer 10 minutes later, with `extras`.
async fn plan(w: &World, clock: &Clock, content: Option<&Path>, extras: &[(&str, &str)]) -> Bot {
    clock.set("2026-03-02T08:50:00Z".parse().unwrap());
    let bot = w.start(clock, content).await;
    let mut options = vec![option("time", "09:00"), option("zone", "UTC")];
    options.extend(extras.iter().map(|(name, value)| option(name, value)));
    let set = w.slash(w.channel, w.ann, "daily", json!(options)).await;
    assert!(set.text().contains("09:00"), "{}", set.text());
    w.slash(w.channel, w.ann, "reveal", json!([option("when", "10m")]))
        .await;
    bot
}

/// Moves the clock to 09:00 and waits for the day's question, sent and
/// recorded (its reveal is counted from the moment it is recorded).
async fn question(w: &World, bot: &Bot, clock: &Clock) -> Message {
    clock.set("2026-03-02T09:00:00Z".parse().unwrap());
    let posted = w
        .fake
        .wait_until(PATIENCE, |_| !w.daily_posts(w.channel).is_empty())
        .await;
    assert!(posted, "the day's question was posted");
    let chat = ChatId::discord(w.channel).unwrap();
    let deadline = std::time::Instant::now() + PATIENCE;
    loop {
        let entry = bot
            .store
            .entry(chat, jiff::civil::date(2026, 3, 2), LedgerKind::Post);
        let entry = entry.await.unwrap();
        if entry.is_some_and(|e| e.state == LedgerState::Done) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the question was recorded"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    w.daily_posts(w.channel).remove(0)
}

/// Moves the clock past the reveal and waits for a message with the answer in `channel`.
async fn reveal_in(w: &World, clock: &Clock, channel: u64) -> Option<Message> {
    clock.set("2026-03-02T09:10:30Z".parse().unwrap());
    let answered = |m: &Message| m.content.contains("这是答案");
    w.fake
        .wait_until(PATIENCE, |_| w.daily_posts(channel).iter().any(answered))
        .await;
    w.daily_posts(channel).into_iter().find(answered)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thread_named_after_the_question_takes_its_reveal() {
    let w = World::new().await;
    let clock = Clock::system();
    let content = long_title_bank(w.dir.path());
    let bot = plan(&w, &clock, Some(&content), &[("thread", "on")]).await;
    let asked = question(&w, &bot, &clock).await;
    let opened = w
        .fake
        .wait_until(PATIENCE, |f| !f.threads(w.channel).is_empty())
        .await;
    assert!(opened, "a thread was opened on the question");
    let thread = w.fake.threads(w.channel).remove(0);
    assert_eq!(thread.id, asked.id, "started from the question");
    let expected = format!("{}{}", "问".repeat(99), "题");
    assert_eq!(thread.name, expected, "the title cut at 100 characters");
    let reveal = reveal_in(&w, &clock, thread.id).await;
    assert!(reveal.is_some(), "the reveal went into the thread");
    let in_channel = w.daily_posts(w.channel);
    assert_eq!(in_channel.len(), 1, "only the question in the channel");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_thread_the_reveal_goes_to_the_channel() {
    let w = World::new().await;
    w.fake
        .deny_bot_permissions(w.channel, permissions::CREATE_PUBLIC_THREADS);
    let clock = Clock::system();
    let content = long_title_bank(w.dir.path());
    let bot = plan(&w, &clock, Some(&content), &[("thread", "on")]).await;
    let asked = question(&w, &bot, &clock).await;
    let reveal = reveal_in(&w, &clock, w.channel).await;
    let reveal = reveal.expect("the reveal went to the channel");
    assert_eq!(
        reveal.reply_to,
        Some(asked.id),
        "as a reply to the question"
    );
    assert!(w.fake.threads(w.channel).is_empty());
    let asked_for_thread = w.fake.requests().into_iter().any(|r| {
        r.path.ends_with(&format!("/messages/{}/threads", asked.id)) && r.code == Some(50013)
    });
    assert!(
        asked_for_thread,
        "the bot asked for a thread and was refused"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limited_thread_start_waits_and_is_made() {
    let w = World::new().await;
    let clock = Clock::system();
    let bot = plan(&w, &clock, None, &[("thread", "on")]).await;
    w.fake
        .limit_thread_starts(w.channel, std::time::Duration::from_secs(3));
    let asked = question(&w, &bot, &clock).await;
    let limited = w
        .fake
        .requests()
        .iter()
        .any(|r| r.path.ends_with("/threads") && r.status == 429);
    assert!(limited, "the first try met the 429");
    let threads = w.fake.threads(w.channel);
    assert_eq!(threads.len(), 1, "made after waiting");
    assert_eq!(threads[0].id, asked.id);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_thread_sends_the_reveal_to_the_channel() {
    let w = World::new().await;
    let clock = Clock::system();
    let content = long_title_bank(w.dir.path());
    let bot = plan(&w, &clock, Some(&content), &[("thread", "on")]).await;
    let asked = question(&w, &bot, &clock).await;
    assert_eq!(w.fake.threads(w.channel).len(), 1, "the thread was opened");
    w.fake.lock_thread(asked.id);
    let reveal = reveal_in(&w, &clock, w.channel).await;
    let reveal = reveal.expect("the reveal went to the channel");
    assert_eq!(
        reveal.reply_to,
        Some(asked.id),
        "as a reply to the question"
    );
    assert!(
        w.fake.messages(asked.id).is_empty(),
        "nothing in the locked thread"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_question_pings_the_role_and_nothing_else_pings() {
    let w = World::new().await;
    let clock = Clock::system();
    let role = format!("<@&{ROLE}>");
    let bot = plan(&w, &clock, None, &[("ping", &role)]).await;
    let asked = question(&w, &bot, &clock).await;
    assert!(asked.content.starts_with(&role), "{}", asked.content);
    assert_eq!(
        asked.allowed_mentions,
        Some(json!({ "parse": [], "roles": [ROLE.to_string()] }))
    );
    let only_role = Pings {
        everyone: false,
        users: vec![],
        roles: vec![ROLE],
    };
    assert_eq!(asked.pings, only_role);

    let settings = w.slash(w.channel, w.ann, "settings", json!([])).await;
    let text = settings.text();
    // Shown as text (escaped, so /settings itself pings no one).
    assert!(
        text.contains("提及角色：") && text.contains(&ROLE.to_string()),
        "{text}"
    );
    assert!(text.contains("每题讨论串：未开启"), "{text}");
    let ask = w.slash(w.channel, w.bob, "ask", json!([])).await;
    assert!(!ask.messages.is_empty());
    let everything = w.fake.all_messages();
    let pinging: Vec<&Message> = everything
        .iter()
        .filter(|m| !m.pings.is_empty() && m.id != asked.id)
        .collect();
    assert!(pinging.is_empty(), "only the question pings: {pinging:?}");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_show_the_thread_and_the_ping_off_until_set() {
    let w = World::new().await;
    let clock = Clock::system();
    let bot = plan(&w, &clock, None, &[]).await;
    let text = w
        .slash(w.channel, w.ann, "settings", json!([]))
        .await
        .text();
    assert!(text.contains("每题讨论串：未开启"), "{text}");
    assert!(text.contains("提及角色：未开启"), "{text}");
    let daily = json!([option("time", "09:00"), option("thread", "on")]);
    let text = w.slash(w.channel, w.ann, "daily", daily).await.text();
    assert!(text.contains("每题讨论串：开启"), "{text}");
    let bad = json!([option("time", "09:00"), option("ping", "@everyone")]);
    let text = w.slash(w.channel, w.ann, "daily", bad).await.text();
    assert!(text.contains("ping:@everyone"), "{text}");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_file_sets_the_thread_and_the_ping() {
    let w = World::new().await;
    let text = format!(
        "[[chats]]\nplatform = \"discord\"\nid = {}\ntime = \"09:00\"\nzone = \"UTC\"\n\
         reveal = \"10m\"\nthread = true\nping = \"<@&{ROLE}>\"\n",
        w.channel
    );
    let config = OperatorConfig::parse(Path::new("studybot.toml"), &text).expect("a good file");
    let store = Store::open(&w.database()).await.unwrap();
    let engine = Engine::new(
        crate::support::bank(),
        store,
        crate::support::engine_config(),
    );
    let now = "2026-03-02T08:00:00Z".parse().unwrap();
    engine.apply_operator_chats(&config, now).await.unwrap();
    engine.close().await;
    let clock = Clock::system();
    clock.set("2026-03-02T08:50:00Z".parse().unwrap());
    let bot = w.start(&clock, None).await;
    let text = w
        .slash(w.channel, w.ann, "settings", json!([]))
        .await
        .text();
    assert!(text.contains("每题讨论串：开启"), "{text}");
    assert!(text.contains(&ROLE.to_string()), "{text}");
    let asked = question(&w, &bot, &clock).await;
    assert!(
        asked.content.starts_with(&format!("<@&{ROLE}>")),
        "{}",
        asked.content
    );
    assert_eq!(asked.pings.roles, vec![ROLE]);
    let opened = w
        .fake
        .wait_until(PATIENCE, |f| {
            f.threads(w.channel).iter().any(|t| t.id == asked.id)
        })
        .await;
    assert!(opened, "a thread was opened on the question");
    bot.stop().await;
}
