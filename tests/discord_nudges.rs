//! Nudges on Discord against the strict fake Discord: `/digest` set by a
//! member who manages the server is posted in the channel by the driver,
//! once, also across a restart; `/remind` says plainly, to the person
//! alone, that reminders are sent on Telegram only for now.

#[path = "discord/harness.rs"]
mod harness;

use std::time::Duration;

use harness::{PATIENCE, World, no_options, option};
use serde_json::json;
use studybot::clock::Clock;

#[tokio::test]
async fn a_digest_is_posted_once_in_the_channel_and_remind_answers_privately() {
    let w = World::new().await;
    let clock = Clock::system();
    // Tuesday 2026-12-01, 08:00 UTC.
    clock.set("2026-12-01T08:00:00Z".parse().unwrap());
    let bot = w.start(&clock, None).await;
    let refused = w
        .slash(
            w.channel,
            w.bob,
            "digest",
            json!([option("day", "tue"), option("time", "09:00")]),
        )
        .await;
    assert!(refused.text().contains("管理员"), "{}", refused.text());
    // The channel's zone: its /daily's.
    w.slash(
        w.channel,
        w.ann,
        "daily",
        json!([option("time", "07:00"), option("zone", "UTC")]),
    )
    .await;
    let set = w
        .slash(
            w.channel,
            w.ann,
            "digest",
            json!([option("day", "tue"), option("time", "09:00")]),
        )
        .await;
    assert!(set.text().contains("每周二 09:00"), "{}", set.text());
    let digests = |w: &World| {
        w.daily_posts(w.channel)
            .into_iter()
            .filter(|m| m.content.contains("本周回顾"))
            .count()
    };
    assert_eq!(digests(&w), 0);
    clock.set("2026-12-01T09:00:00Z".parse().unwrap());
    let posted = w.fake.wait_until(PATIENCE, |_| digests(&w) == 1).await;
    assert!(posted, "the digest went out at 09:00");
    bot.stop().await;
    let bot = w.start(&clock, None).await;
    clock.set("2026-12-01T10:00:00Z".parse().unwrap());
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(digests(&w), 1, "exactly once, also across a restart");

    let remind = w
        .slash(w.dm, w.ann, "remind", json!([option("time", "20:00")]))
        .await;
    assert!(remind.ephemeral(), "only the person sees it");
    assert!(remind.text().contains("Telegram"), "{}", remind.text());
    let shown = w.slash(w.channel, w.bob, "settings", no_options()).await;
    assert!(shown.text().contains("每周二 09:00"), "{}", shown.text());
    assert!(w.fake.rejected().is_empty(), "{:#?}", w.fake.rejected());
    bot.stop().await;
}
