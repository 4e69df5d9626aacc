//! Pinning the question of the day on Discord, end to end on a movable
//! clock against the strict fake: each day's question pinned on the
//! current route (`/messages/pins/`) and the day before's unpinned, also
//! across a restart; a bot without Pin Messages that keeps posting, tells
//! the channel once in its language, and pins again once given the right.

use crate::support::discord::{Bot, PATIENCE, World, option};
use fake_discord_api::{Message, permissions};
use serde_json::json;
use studybot::domain::ChatId;
use studybot::runtime::clock::Clock;

/// The day's questions in the channel: bot messages (not interaction
/// replies) carrying a show-answer button.
fn questions(w: &World) -> Vec<Message> {
    w.daily_posts(w.channel)
        .into_iter()
        .filter(|m| {
            let id = m
                .components
                .first()
                .and_then(|r| r["components"][0]["custom_id"].as_str());
            id.is_some_and(|id| id.starts_with("v1:r:"))
        })
        .collect()
}

fn notices(w: &World) -> Vec<Message> {
    w.daily_posts(w.channel)
        .into_iter()
        .filter(|m| m.content.contains("Pin Messages"))
        .collect()
}

fn pin_requests(w: &World, method: &str) -> usize {
    let requests = w.fake.requests();
    requests
        .iter()
        .filter(|r| r.method == method && r.path.contains("/pins/"))
        .count()
}

/// A channel with a daily question at 09:00 UTC and `/pin on`.
async fn pinning(w: &World, clock: &Clock) -> Bot {
    clock.set("2026-03-02T08:50:00Z".parse().unwrap());
    let bot = w.start(clock, None).await;
    let daily = json!([option("time", "09:00"), option("zone", "UTC")]);
    w.slash(w.channel, w.ann, "daily", daily).await;
    let refused = w
        .slash(w.channel, w.bob, "pin", json!([option("state", "on")]))
        .await;
    assert!(refused.text().contains("管理员"), "{}", refused.text());
    let on = w
        .slash(w.channel, w.ann, "pin", json!([option("state", "on")]))
        .await;
    assert!(on.text().contains("Pin Messages"), "{}", on.text());
    bot
}

/// Moves the clock to `instant` and waits for the `n`th daily question.
async fn day(w: &World, clock: &Clock, instant: &str, n: usize) -> Message {
    clock.set(instant.parse().unwrap());
    let posted = w
        .fake
        .wait_until(PATIENCE, |_| questions(w).len() >= n)
        .await;
    assert!(posted, "daily question {n} was posted");
    questions(w).remove(n - 1)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_day_pins_its_question_and_unpins_the_one_before_across_a_restart() {
    let w = World::new().await;
    w.fake.set_pin_right(w.guild, true);
    let clock = Clock::system();
    let bot = pinning(&w, &clock).await;
    let first = day(&w, &clock, "2026-03-02T09:00:00Z", 1).await;
    let pinned = w
        .fake
        .wait_until(PATIENCE, |f| f.pinned(w.channel) == vec![first.id])
        .await;
    assert!(pinned, "pinned: {:?}", w.fake.pinned(w.channel));
    let routes: Vec<String> = w.fake.requests().into_iter().map(|r| r.path).collect();
    let route = format!("/api/v10/channels/{}/messages/pins/{}", w.channel, first.id);
    assert!(routes.contains(&route), "the current pin route: {routes:?}");

    // Which message to unpin survives a restart.
    bot.stop().await;
    let bot = w.start(&clock, None).await;
    let second = day(&w, &clock, "2026-03-03T09:00:00Z", 2).await;
    let moved = w
        .fake
        .wait_until(PATIENCE, |f| f.pinned(w.channel) == vec![second.id])
        .await;
    assert!(
        moved,
        "only today's is pinned: {:?}",
        w.fake.pinned(w.channel)
    );
    assert_eq!(pin_requests(&w, "DELETE"), 1, "one unpin: the day before's");

    // Turned off: the next day's question stays unpinned.
    w.slash(w.channel, w.ann, "pin", json!([option("state", "off")]))
        .await;
    // A busy machine may defer the answer: wait until the choice is saved.
    let chat = ChatId::discord(w.channel).unwrap();
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while bot.store.pin(chat).await.unwrap().enabled {
        assert!(tokio::time::Instant::now() < deadline, "/pin off was saved");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    day(&w, &clock, "2026-03-04T09:00:00Z", 3).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(w.fake.pinned(w.channel), vec![second.id]);
    assert_eq!(pin_requests(&w, "PUT"), 2);
    assert!(notices(&w).is_empty());
    assert!(w.fake.rejected().is_empty(), "{:#?}", w.fake.rejected());
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_pin_messages_posts_go_on_and_the_channel_is_told_once() {
    let w = World::new().await;
    // Manage Messages no longer lets a bot pin.
    let bits = permissions::MEMBER | permissions::MANAGE_MESSAGES;
    w.fake.set_bot_permissions(w.guild, bits);
    let clock = Clock::system();
    let bot = pinning(&w, &clock).await;
    day(&w, &clock, "2026-03-02T09:00:00Z", 1).await;
    let told = w
        .fake
        .wait_until(PATIENCE, |_| notices(&w).len() == 1)
        .await;
    assert!(told, "the channel was told");
    let notice = &notices(&w)[0];
    assert!(
        notice.content.contains("无法置顶"),
        "in the channel's language: {}",
        notice.content
    );
    assert!(notice.pings.is_empty());

    // The next day, after a restart: posted once, not told again.
    bot.stop().await;
    let bot = w.start(&clock, None).await;
    day(&w, &clock, "2026-03-03T09:00:00Z", 2).await;
    w.fake
        .wait_until(PATIENCE, |_| pin_requests(&w, "PUT") == 2)
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(notices(&w).len(), 1, "told once, not twice");
    assert_eq!(questions(&w).len(), 2, "each day's question went out once");
    assert!(w.fake.pinned(w.channel).is_empty());

    // The right given: the third day is pinned.
    w.fake.set_pin_right(w.guild, true);
    let third = day(&w, &clock, "2026-03-04T09:00:00Z", 3).await;
    let pinned = w
        .fake
        .wait_until(PATIENCE, |f| f.pinned(w.channel) == vec![third.id])
        .await;
    assert!(pinned);
    let refused: Vec<_> = w
        .fake
        .requests()
        .into_iter()
        .filter(|r| r.status >= 400)
        .collect();
    assert_eq!(
        refused.len(),
        2,
        "one 403 a day, never retried: {refused:#?}"
    );
    assert!(
        refused
            .iter()
            .all(|r| r.code == Some(50013) && r.path.contains("/pins/"))
    );
    bot.stop().await;
}
