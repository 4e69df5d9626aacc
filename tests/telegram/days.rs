//! Day rules and filters of the question of the day, end to end through
//! the fake Bot API on a movable clock: a plan set after its time starts on
//! the next day (and says so), one set before posts today, an outage that
//! began before the time still posts within grace, weekdays skip a weekend
//! across a daylight saving change, and a tag filter restricts the daily
//! pick and starts its round over within the filter.

use std::time::Duration;

use crate::support::*;
use fake_bot_api::{ChatSpec, User};
use jiff::Timestamp;

const GROUP: i64 = -100_7007;

fn admin() -> User {
    User::new(7, "Ann").with_language("zh-hans")
}

fn at(text: &str) -> Timestamp {
    text.parse().expect("a timestamp")
}

fn daily_posts(bot: &TestBot) -> Vec<fake_bot_api::SentMessage> {
    messages_in(&bot.fake, GROUP)
        .into_iter()
        .filter(|m| visible(m).contains("每日一题 · "))
        .collect()
}

async fn group_fake() -> fake_bot_api::FakeBotApi {
    let fake = strict_fake().await;
    fake.add_chat(ChatSpec::supergroup(GROUP, "Study group", false));
    fake.set_admins(GROUP, &[7]);
    fake
}

/// Moves the clock to `to` and waits until the group has `n` daily posts
/// (then a little longer, to see that no more come).
async fn posts_at(bot: &TestBot, to: &str, n: usize) {
    bot.clock.set(at(to));
    bot.fake
        .wait_until(PATIENCE, |_| daily_posts(bot).len() >= n)
        .await;
    bot.settle().await;
    assert_eq!(daily_posts(bot).len(), n, "daily posts at {to}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_set_after_its_time_starts_tomorrow_and_says_so() {
    // 10:02 in Shanghai.
    let bot = TestBot::start_at(&group_fake().await, at("2026-12-01T02:02:00Z")).await;
    let set = bot.say(GROUP, Some(admin()), "/daily 09:32", 1).await;
    let reply = visible(&set[0]);
    assert!(reply.contains("2026-12-02 09:32"), "{reply}");
    bot.settle().await;
    posts_at(&bot, "2026-12-01T02:05:00Z", 0).await;
    posts_at(&bot, "2026-12-01T15:59:00Z", 0).await;
    posts_at(&bot, "2026-12-02T01:32:00Z", 1).await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_set_before_its_time_posts_today() {
    // 08:00 in Shanghai.
    let bot = TestBot::start_at(&group_fake().await, at("2026-12-01T00:00:00Z")).await;
    let set = bot.say(GROUP, Some(admin()), "/daily 09:00", 1).await;
    assert!(visible(&set[0]).contains("2026-12-01 09:00"));
    posts_at(&bot, "2026-12-01T00:59:00Z", 0).await;
    posts_at(&bot, "2026-12-01T01:00:00Z", 1).await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bot_down_from_before_the_time_posts_late_within_grace() {
    let fake = group_fake().await;
    let (dir, database) = temp_db();
    let clock = studybot::runtime::clock::Clock::system();
    clock.set(at("2026-12-01T00:00:00Z"));
    let bot = TestBot::start_on(
        &fake,
        &database,
        clock.clone(),
        engine_config(),
        dir.clone(),
    )
    .await;
    bot.say(GROUP, Some(admin()), "/daily 09:00", 1).await;
    // Down from 08:55 to 09:30.
    bot.clock.set(at("2026-12-01T00:55:00Z"));
    bot.settle().await;
    bot.stop().await;
    clock.set(at("2026-12-01T01:30:00Z"));
    let bot = TestBot::start_on(&fake, &database, clock, engine_config(), dir).await;
    fake.wait_until(PATIENCE, |_| !daily_posts(&bot).is_empty())
        .await;
    bot.settle().await;
    assert_eq!(daily_posts(&bot).len(), 1);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn weekdays_skip_the_weekend_across_a_daylight_saving_change() {
    // Friday 2026-03-06, 08:00 EST; New York springs forward on Sunday the 8th.
    let bot = TestBot::start_at(&group_fake().await, at("2026-03-06T13:00:00Z")).await;
    let set = bot
        .say(
            GROUP,
            Some(admin()),
            "/daily 09:00 America/New_York weekdays",
            1,
        )
        .await;
    let reply = visible(&set[0]);
    assert!(reply.contains("工作日 09:00"), "{reply}");
    assert!(reply.contains("2026-03-06 09:00"), "{reply}");
    posts_at(&bot, "2026-03-06T14:00:00Z", 1).await; // Friday 09:00 EST
    let settings = bot.say(GROUP, Some(admin()), "/settings", 1).await;
    assert!(
        visible(&settings[0]).contains("2026-03-09 09:00"),
        "next is Monday: {}",
        visible(&settings[0])
    );
    posts_at(&bot, "2026-03-07T14:00:00Z", 1).await; // Saturday
    posts_at(&bot, "2026-03-08T13:00:00Z", 1).await; // Sunday, EDT
    posts_at(&bot, "2026-03-09T12:59:00Z", 1).await; // Monday 08:59 EDT
    posts_at(&bot, "2026-03-09T13:00:00Z", 2).await; // Monday 09:00 EDT
    assert_nothing_rejected(&bot.fake);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tag_filter_restricts_the_pick_and_restarts_within_it() {
    let bank = bank();
    let (tag, count) = bank
        .tags()
        .into_iter()
        .filter(|(_, n)| *n >= 2)
        .min_by_key(|(_, n)| *n)
        .expect("a tag on two questions or more");
    let bot = TestBot::start_at(&group_fake().await, at("2026-12-01T00:00:00Z")).await;
    let refused = bot
        .say(GROUP, Some(admin()), "/daily 09:00 deck:nope", 1)
        .await;
    let text = visible(&refused[0]);
    assert!(
        text.contains("nope") && text.contains("llm-startup"),
        "{text}"
    );
    let set = bot
        .say(GROUP, Some(admin()), &format!("/daily 09:00 tag:{tag}"), 1)
        .await;
    assert!(visible(&set[0]).contains(&format!("标签 {tag}")));
    let mut seen = Vec::new();
    for day in 0..=count {
        let when = at("2026-12-01T01:00:00Z") + jiff::SignedDuration::from_hours(24 * day as i64);
        bot.clock.set(when);
        bot.fake
            .wait_until(PATIENCE, |_| daily_posts(&bot).len() > day)
            .await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let posts = daily_posts(&bot);
        assert_eq!(posts.len(), day + 1, "one post a day");
        let text = visible(&posts[day]);
        assert!(text.contains(&format!("#{tag}")), "day {day}: {text}");
        seen.push(button_data(&posts[day]).expect("a show-answer button"));
    }
    let distinct: std::collections::HashSet<&String> = seen[..count].iter().collect();
    assert_eq!(
        distinct.len(),
        count,
        "a round covers the filter without repeats"
    );
    assert_ne!(
        seen[count],
        seen[count - 1],
        "the new round does not repeat the last"
    );
    bot.stop().await;
}
