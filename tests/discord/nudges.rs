//! Nudges on Discord against the strict fake Discord: `/digest` set by a
//! member who manages the server is posted in the channel by the driver,
//! once, also across a restart; `/remind` typed in a server channel is
//! confirmed to the person alone and its nudge arrives once in their DM
//! (never in the channel), also across a restart, where "Start review"
//! starts the review; a person who refuses DMs has the reminder turned off
//! after one refused attempt.

use std::time::Duration;

use crate::support::discord::{Answer, Bot, PATIENCE, World, no_options, option};
use fake_discord_api::FakeDiscord;
use serde_json::json;
use studybot::domain::{ChatId, PersonId, Platform};
use studybot::runtime::clock::Clock;

#[tokio::test]
async fn a_digest_is_posted_once_in_the_channel_also_across_a_restart() {
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

    let shown = w.slash(w.channel, w.bob, "settings", no_options()).await;
    assert!(shown.text().contains("每周二 09:00"), "{}", shown.text());
    assert!(w.fake.rejected().is_empty(), "{:#?}", w.fake.rejected());
    bot.stop().await;
}

fn person(user: u64) -> PersonId {
    PersonId::new(Platform::Discord, user as i64)
}

/// `user` asks in the channel, shows the answer and rates it Again: a card
/// due a day later.
async fn rate_again(w: &World, user: u64) {
    let asked = w.slash(w.channel, user, "ask", no_options()).await;
    let (message, show) = asked.button().expect("a show-answer button");
    let shown = w.press(w.channel, user, message, &show).await;
    let (reveal, again) = shown.button().expect("rating buttons");
    assert!(again.starts_with("v1:g:1:"), "{again}");
    let rated = w.press(w.channel, user, reveal, &again).await;
    assert!(rated.ephemeral(), "{}", rated.text());
}

/// Messages the bot posted on its own (not answers) in `channel` saying `text`.
fn nudges(w: &World, channel: u64, text: &str) -> Vec<fake_discord_api::Message> {
    w.daily_posts(channel)
        .into_iter()
        .filter(|m| m.content.contains(text))
        .collect()
}

/// Whether `user`'s reminder is deleted within the harness's patience.
async fn reminder_gone(bot: &Bot, user: u64) -> bool {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while tokio::time::Instant::now() < deadline {
        if bot.store.reminder(person(user)).await.unwrap().is_none() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

async fn remind_at(w: &World, user: u64) -> Answer {
    let options = json!([option("time", "20:00"), option("zone", "UTC")]);
    w.slash(w.channel, user, "remind", options).await
}

#[tokio::test]
async fn a_reminder_set_in_a_channel_is_sent_once_by_dm_and_off_for_who_refuses_dms() {
    let w = World::new().await;
    let clock = Clock::system();
    // Tuesday 2026-12-01, 08:00 UTC.
    clock.set("2026-12-01T08:00:00Z".parse().unwrap());
    let bot = w.start(&clock, None).await;
    rate_again(&w, w.ann).await;
    rate_again(&w, w.bob).await;

    let set = remind_at(&w, w.ann).await;
    assert!(set.ephemeral(), "only Ann sees it: {}", set.text());
    assert!(set.text().contains("20:00（UTC）"), "{}", set.text());
    let reminder = bot.store.reminder(person(w.ann)).await.unwrap().unwrap();
    assert_eq!(reminder.chat_id, ChatId::discord(w.dm).unwrap(), "her DM");
    let set = remind_at(&w, w.bob).await;
    assert!(set.ephemeral(), "{}", set.text());
    let bob_dm = w.fake.add_dm(w.bob);
    let reminder = bot.store.reminder(person(w.bob)).await.unwrap().unwrap();
    assert_eq!(reminder.chat_id, ChatId::discord(bob_dm).unwrap());
    w.fake.refuse_dms(w.bob, true);

    // Tuesday 20:00: no card is due yet, so no nudge.
    clock.set("2026-12-01T20:00:00Z".parse().unwrap());
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(nudges(&w, w.dm, "张卡片到期").is_empty());
    // Wednesday 20:00: their cards are due.
    clock.set("2026-12-02T20:00:00Z".parse().unwrap());
    let sent = w
        .fake
        .wait_until(PATIENCE, |_| nudges(&w, w.dm, "张卡片到期").len() == 1)
        .await;
    assert!(sent, "Ann's nudge arrived in her DM");
    assert!(
        nudges(&w, w.channel, "到期").is_empty(),
        "not in the channel"
    );
    let to_bob_dm = format!("/api/v10/channels/{bob_dm}/messages");
    let tried = |fake: &FakeDiscord| {
        let requests = fake.requests();
        requests.iter().filter(|r| r.path == to_bob_dm).count()
    };
    let refused = w.fake.wait_until(PATIENCE, |f| tried(f) == 1).await;
    assert!(refused, "Bob's nudge was tried once");
    let refusal = w.fake.requests().into_iter().find(|r| r.path == to_bob_dm);
    assert_eq!(refusal.and_then(|r| r.code), Some(50007));
    assert!(
        reminder_gone(&bot, w.bob).await,
        "the refusal turned Bob's reminder off"
    );

    bot.stop().await;
    let bot = w.start(&clock, None).await;
    clock.set("2026-12-02T21:00:00Z".parse().unwrap());
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        nudges(&w, w.dm, "张卡片到期").len(),
        1,
        "once, across a restart"
    );

    // The nudge's button starts the review in the DM.
    let nudge = nudges(&w, w.dm, "张卡片到期").remove(0);
    let start = nudge.components[0]["components"][0]["custom_id"]
        .as_str()
        .expect("a button")
        .to_string();
    let review = w.press(w.dm, w.ann, nudge.id, &start).await;
    let (card, show) = review.button().expect("a card to show");
    assert!(show.starts_with("v1:s:"), "{show}");
    let answer = w.press(w.dm, w.ann, card, &show).await;
    let (_, rate) = answer.button().expect("rating buttons");
    assert!(rate.starts_with("v1:n:"), "{rate}");

    // Thursday: Bob's reminder stays off; nothing more is tried.
    clock.set("2026-12-03T20:00:00Z".parse().unwrap());
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(tried(&w.fake), 1, "no retry");
    assert!(bot.store.reminder(person(w.bob)).await.unwrap().is_none());
    let shown = w.slash(w.channel, w.bob, "remind", no_options()).await;
    assert!(shown.ephemeral());
    assert!(shown.text().contains("未开启"), "{}", shown.text());
    assert!(w.fake.rejected().is_empty(), "{:#?}", w.fake.rejected());
    bot.stop().await;
}
