//! The Discord adapter under Discord's real-world faults: a channel that
//! denies Read Message History (replies refused with 403 160002), a
//! Cloudflare outage answering HTML, and a 429 whose body carries a code.

use std::time::Duration;

use crate::support::discord::{Bot, PATIENCE, World, no_options, option};
use fake_discord_api::{Outcome, permissions};
use serde_json::json;
use studybot::domain::ChatId;
use studybot::runtime::clock::Clock;

fn chat(id: u64) -> ChatId {
    ChatId::discord(id).unwrap()
}

/// Starts the bot with a daily plan at 09:00 UTC in the channel (and a
/// reveal a minute later when `reveal`), the clock just before.
async fn daily_at_nine(w: &World, clock: &Clock, reveal: bool) -> Bot {
    clock.set("2026-12-01T08:58:00Z".parse().unwrap());
    let bot = w.start(clock, None).await;
    w.slash(
        w.channel,
        w.ann,
        "daily",
        json!([option("time", "09:00"), option("zone", "UTC")]),
    )
    .await;
    if reveal {
        w.slash(w.channel, w.ann, "reveal", json!([option("when", "1m")]))
            .await;
    }
    bot
}

/// Waits until the channel holds `n` daily posts (not interaction replies).
async fn posts(w: &World, n: usize) -> bool {
    w.fake
        .wait_until(PATIENCE, |_| w.daily_posts(w.channel).len() >= n)
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reveal_without_read_message_history_arrives_and_so_does_tomorrows_post() {
    let w = World::new().await;
    let clock = Clock::system();
    let bot = daily_at_nine(&w, &clock, true).await;
    w.fake
        .deny_bot_permissions(w.channel, permissions::READ_MESSAGE_HISTORY);
    clock.set("2026-12-01T09:00:00.5Z".parse().unwrap());
    assert!(posts(&w, 1).await, "the day's question");
    // Let the driver record it (the reveal is timed from then).
    tokio::time::sleep(Duration::from_millis(500)).await;
    clock.set("2026-12-01T09:01:01Z".parse().unwrap());
    assert!(posts(&w, 2).await, "the reveal, sent without the reply");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let refused: Vec<_> = w
        .fake
        .requests()
        .into_iter()
        .filter(|r| r.code == Some(160002))
        .collect();
    assert_eq!(refused.len(), 1, "one refused reply, then a plain message");
    let state = bot.store.chat(chat(w.channel)).await.unwrap().unwrap();
    assert!(
        state.active,
        "a refused reply does not mark the channel gone"
    );
    let plan = bot.store.plan(chat(w.channel)).await.unwrap().unwrap();
    assert!(!plan.paused, "nor pause its plan");
    clock.set("2026-12-02T09:00:00.5Z".parse().unwrap());
    assert!(posts(&w, 3).await, "tomorrow's question goes out");
    assert!(w.fake.rejected().is_empty(), "{:#?}", w.fake.rejected());
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_502_with_an_html_page_delays_the_daily_post_and_it_arrives_once() {
    let w = World::new().await;
    let clock = Clock::system();
    let bot = daily_at_nine(&w, &clock, false).await;
    w.fake.outage(502, Duration::from_millis(2_500));
    clock.set("2026-12-01T09:00:00.5Z".parse().unwrap());
    assert!(posts(&w, 1).await, "the question arrives after the outage");
    let during = w
        .fake
        .requests()
        .iter()
        .filter(|r| r.outcome == Outcome::Outage && r.path.contains("/messages"))
        .count();
    assert!(during >= 1, "the post was tried during the outage");
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(w.daily_posts(w.channel).len(), 1, "exactly once");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_with_a_code_is_sent_again_after_retry_after_not_before() {
    let w = World::new().await;
    let clock = Clock::system();
    let bot = daily_at_nine(&w, &clock, false).await;
    let wait = Duration::from_millis(2_500);
    w.fake.limit_writes(w.channel, wait);
    clock.set("2026-12-01T09:00:00.5Z".parse().unwrap());
    assert!(posts(&w, 1).await, "the question arrives after the limit");
    let path = format!("/api/v10/channels/{}/messages", w.channel);
    let tries: Vec<_> = w
        .fake
        .requests()
        .into_iter()
        .filter(|r| r.path == path && r.method == "POST")
        .filter(|r| r.status == 429 || r.status == 200)
        .collect();
    let first = tries.iter().position(|r| r.status == 429).expect("a 429");
    let limited = &tries[first];
    let next = &tries[first + 1];
    // The limit was set a moment before the first try: allow that moment.
    assert!(
        next.at.duration_since(limited.at) >= wait - Duration::from_millis(300),
        "sent again after {:?}, before retry_after",
        next.at.duration_since(limited.at)
    );
    assert_eq!(next.status, 200, "one wait was enough");
    assert_eq!(w.daily_posts(w.channel).len(), 1);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_global_429_on_the_send_path_does_not_hold_interaction_replies() {
    let w = World::new().await;
    let clock = Clock::system();
    let bot = daily_at_nine(&w, &clock, false).await;
    // Other replicas used up the bot's global limit for 5 s.
    w.fake.exhaust_global(Duration::from_secs(5));
    clock.set("2026-12-01T09:00:00.5Z".parse().unwrap());
    let limited = w
        .fake
        .wait_until(PATIENCE, |f| {
            f.requests()
                .iter()
                .any(|r| r.status == 429 && r.path.contains("/messages"))
        })
        .await;
    assert!(limited, "the daily post met the global limit");
    // `slash` fails unless the callback arrives within Discord's 3 s.
    let asked = w.slash(w.channel, w.bob, "ask", no_options()).await;
    assert!(asked.button().is_some(), "a question with its button");
    assert!(
        posts(&w, 1).await,
        "the daily post goes out after the limit"
    );
    bot.stop().await;
}
