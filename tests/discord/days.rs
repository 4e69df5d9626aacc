//! `/daily` as a Discord slash command with the day rule and filters: the
//! options become the same plan a Telegram `/daily` makes.

use crate::support::discord::{World, option};
use serde_json::json;
use studybot::domain::ChatId;
use studybot::runtime::clock::Clock;

#[tokio::test]
async fn the_daily_slash_command_takes_days_deck_and_tags() {
    let w = World::new().await;
    let clock = Clock::system();
    clock.set("2026-12-01T08:00:00Z".parse().unwrap());
    let bot = w.start(&clock, None).await;
    let tag = studybot::bank::Bank::load(
        &std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("content"),
    )
    .unwrap()
    .tags()[0]
        .0
        .clone();
    let saved = w
        .slash(
            w.channel,
            w.ann,
            "daily",
            json!([
                option("time", "09:00"),
                option("zone", "UTC"),
                option("days", "every 2 days"),
                option("deck", "llm-startup"),
                option("tag", &tag),
            ]),
        )
        .await;
    assert!(saved.text().contains("每 2 天 09:00"), "{}", saved.text());
    let plan = bot
        .store
        .plan(ChatId::discord(w.channel).unwrap())
        .await
        .unwrap()
        .expect("saved");
    assert_eq!(plan.plan.days.text(), "every 2 days");
    assert_eq!(
        plan.plan.days.anchor().map(|d| d.to_string()).as_deref(),
        Some("2026-12-01")
    );
    assert_eq!(plan.plan.filter.deck.as_deref(), Some("llm-startup"));
    assert_eq!(plan.plan.filter.tags_text().as_deref(), Some(tag.as_str()));
    let refused = w
        .slash(
            w.channel,
            w.ann,
            "daily",
            json!([option("time", "09:00"), option("days", "someday")]),
        )
        .await;
    assert!(refused.text().contains("someday"), "{}", refused.text());
    let registered = w.fake.commands(None);
    let daily = registered.iter().find(|c| c["name"] == "daily").unwrap();
    let names: Vec<&str> = daily["options"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o["name"].as_str())
        .collect();
    assert_eq!(
        names,
        ["time", "zone", "tag", "days", "deck", "thread", "ping"]
    );
    bot.stop().await;
}
