//! The `/stats` pictures on Discord against the strict fake: a PNG
//! uploaded with the message (`stats.png`) and shown in an embed
//! (`attachment://stats.png`), the text staying the message's content, on
//! a person's `/stats` in a DM, a group's `/stats` and the weekly digest; no
//! picture without ratings; and a channel where the bot may not attach
//! files gets the text alone, stays active and keeps getting posts.

use crate::support::discord::{PATIENCE, World, no_options, option};
use fake_discord_api::{Message, permissions};
use serde_json::json;
use studybot::domain::ChatId;
use studybot::runtime::clock::Clock;

/// `user` asks in the channel, shows the answer and rates it.
async fn rate_once(w: &World, user: u64) {
    let asked = w.slash(w.channel, user, "ask", no_options()).await;
    let (message, show) = asked.button().expect("a show-answer button");
    let shown = w.press(w.channel, user, message, &show).await;
    let (reveal, rate) = shown.button().expect("rating buttons");
    w.press(w.channel, user, reveal, &rate).await;
}

/// The message carries the PNG as `stats.png` and one embed showing it.
fn assert_picture(message: &Message) {
    assert_eq!(message.files.len(), 1, "{message:?}");
    let file = &message.files[0];
    assert_eq!(file.filename, "stats.png");
    assert!(file.bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    assert_eq!(message.embeds.len(), 1);
    assert_eq!(message.embeds[0]["image"]["url"], "attachment://stats.png");
    assert!(
        message.broken_images.is_empty(),
        "{:?}",
        message.broken_images
    );
    assert!(message.pings.is_empty());
    assert_eq!(message.allowed_mentions, Some(json!({"parse": []})));
}

fn assert_text_alone(message: &Message) {
    assert!(message.files.is_empty(), "{:?}", message.files);
    assert!(message.embeds.is_empty(), "{:?}", message.embeds);
}

#[tokio::test]
async fn stats_in_a_dm_and_in_the_group_carry_the_picture_once_there_are_ratings() {
    let w = World::new().await;
    let clock = Clock::system();
    let bot = w.start(&clock, None).await;
    let before = w.slash(w.dm, w.ann, "stats", no_options()).await;
    assert_eq!(before.messages.len(), 1);
    assert_text_alone(&before.messages[0]);

    rate_once(&w, w.ann).await;
    let mine = w.slash(w.dm, w.ann, "stats", no_options()).await;
    assert_eq!(mine.reply.callback_type, Some(4), "answered directly");
    assert_picture(&mine.messages[0]);
    assert!(mine.messages[0].content.contains("连续"), "{}", mine.text());

    let group = w.slash(w.channel, w.bob, "stats", no_options()).await;
    assert_picture(&group.messages[0]);
    assert!(
        group.messages[0].content.contains("Ann"),
        "{}",
        group.text()
    );
    assert!(w.fake.rejected().is_empty(), "{:#?}", w.fake.rejected());
    bot.stop().await;
}

/// Ann sets the channel's zone (`/daily` at `daily`) and a Tuesday 09:00
/// digest.
async fn plan_digest(w: &World, daily: &str) {
    let zone = json!([option("time", daily), option("zone", "UTC")]);
    w.slash(w.channel, w.ann, "daily", zone).await;
    let digest = json!([option("day", "tue"), option("time", "09:00")]);
    let set = w.slash(w.channel, w.ann, "digest", digest).await;
    assert!(set.text().contains("每周二 09:00"), "{}", set.text());
}

fn digests(w: &World) -> Vec<Message> {
    w.daily_posts(w.channel)
        .into_iter()
        .filter(|m| m.content.contains("本周回顾"))
        .collect()
}

#[tokio::test]
async fn the_weekly_digest_carries_the_groups_picture() {
    let w = World::new().await;
    let clock = Clock::system();
    // Tuesday 2026-12-01, 08:00 UTC.
    clock.set("2026-12-01T08:00:00Z".parse().unwrap());
    let bot = w.start(&clock, None).await;
    plan_digest(&w, "07:00").await;
    rate_once(&w, w.bob).await;
    clock.set("2026-12-01T09:00:00Z".parse().unwrap());
    let posted = w
        .fake
        .wait_until(PATIENCE, |_| digests(&w).len() == 1)
        .await;
    assert!(posted, "the digest went out at 09:00");
    let digest = digests(&w).remove(0);
    assert_picture(&digest);
    assert!(digest.content.contains("Bob"), "{}", digest.content);
    assert!(w.fake.rejected().is_empty(), "{:#?}", w.fake.rejected());
    bot.stop().await;
}

#[tokio::test]
async fn a_channel_without_attach_files_gets_the_text_alone_and_stays_active() {
    let w = World::new().await;
    let clock = Clock::system();
    clock.set("2026-12-01T08:00:00Z".parse().unwrap());
    let bot = w.start(&clock, None).await;
    plan_digest(&w, "10:00").await;
    rate_once(&w, w.bob).await;
    w.fake
        .deny_bot_permissions(w.channel, permissions::ATTACH_FILES);

    // The group's /stats, answered to the interaction: its text alone.
    let group = w.slash(w.channel, w.bob, "stats", no_options()).await;
    assert_eq!(group.messages.len(), 1);
    assert_text_alone(&group.messages[0]);
    assert!(
        group.messages[0].content.contains("Bob"),
        "{}",
        group.text()
    );

    // The digest: refused once with its picture, then sent as text, once.
    clock.set("2026-12-01T09:00:00Z".parse().unwrap());
    let posted = w
        .fake
        .wait_until(PATIENCE, |_| digests(&w).len() == 1)
        .await;
    assert!(posted, "the digest's text went out");
    let digest = digests(&w).remove(0);
    assert_text_alone(&digest);
    let to_channel = format!("/api/v10/channels/{}/messages", w.channel);
    let refused: Vec<_> = w
        .fake
        .requests()
        .into_iter()
        .filter(|r| r.path == to_channel && r.code == Some(50013))
        .collect();
    assert_eq!(refused.len(), 1, "one refusal, with the picture");
    assert_eq!(refused[0].files.len(), 1);
    let chat = ChatId::discord(w.channel).unwrap();
    assert!(
        bot.store.chat(chat).await.unwrap().unwrap().active,
        "not gone"
    );
    assert!(!bot.store.plan(chat).await.unwrap().unwrap().paused);

    // The next post still arrives: the daily question at 10:00.
    clock.set("2026-12-01T10:00:00Z".parse().unwrap());
    let asked = |_: &fake_discord_api::FakeDiscord| {
        w.daily_posts(w.channel)
            .iter()
            .any(|m| m.components.iter().any(|c| c.to_string().contains("v1:r:")))
    };
    assert!(
        w.fake.wait_until(PATIENCE, asked).await,
        "the daily question"
    );
    assert_eq!(digests(&w).len(), 1, "the digest once");
    assert!(w.fake.rejected().is_empty(), "{:#?}", w.fake.rejected());
    bot.stop().await;
}
