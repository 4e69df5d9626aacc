//! The question of the day end to end, on a movable clock: set by an
//! administrator, posted once at the local time, revealed once, through
//! restarts and outages, and fanned out to many chats without a 429.

use crate::support::*;
use fake_bot_api::{ChatSpec, User};
use jiff::Timestamp;
use studybot::domain::ChatKind;
use studybot::store::Store;

const GROUP: i64 = -100_5005;

fn admin() -> User {
    User::new(7, "Ann").with_language("zh-hans")
}

fn member() -> User {
    User::new(9, "Cai")
}

fn at(text: &str) -> Timestamp {
    text.parse().expect("a timestamp")
}

/// Messages in the group that are daily questions.
fn daily_posts(bot: &TestBot) -> Vec<fake_bot_api::SentMessage> {
    messages_in(&bot.fake, GROUP)
        .into_iter()
        .filter(|m| visible(m).contains("每日一题 · "))
        .collect()
}

/// Messages in the group that reply to `message_id`.
fn replies_to(bot: &TestBot, message_id: i32) -> Vec<fake_bot_api::SentMessage> {
    messages_in(&bot.fake, GROUP)
        .into_iter()
        .filter(|m| m.reply_to == Some(message_id))
        .collect()
}

async fn group_bot(start: &str) -> TestBot {
    let fake = strict_fake().await;
    fake.add_chat(ChatSpec::supergroup(GROUP, "Study group", false));
    fake.set_admins(GROUP, &[7]);
    TestBot::start_at(&fake, at(start)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_plans_the_day_and_it_happens_once() {
    // 08:58 in Shanghai.
    let bot = group_bot("2026-12-01T00:58:00Z").await;
    let set = bot
        .say(GROUP, Some(admin()), "/daily 09:00 Asia/Shanghai", 1)
        .await;
    assert!(visible(&set[0]).contains("09:00"), "{}", visible(&set[0]));
    let set = bot.say(GROUP, Some(admin()), "/reveal 21:00", 1).await;
    assert!(visible(&set[0]).contains("21:00"));
    let refused = bot.say(GROUP, Some(member()), "/daily 10:00", 1).await;
    assert!(
        visible(&refused[0]).contains("管理员"),
        "{}",
        visible(&refused[0])
    );
    assert!(daily_posts(&bot).is_empty(), "nothing before 09:00");

    bot.clock.set(at("2026-12-01T01:00:00Z"));
    bot.fake
        .wait_until(PATIENCE, |_| !daily_posts(&bot).is_empty())
        .await;
    let post = daily_posts(&bot).remove(0);
    assert!(button_data(&post).is_some());

    // A restart right after the post does not post again…
    let bot = bot.restart().await;
    bot.settle().await;
    assert_eq!(daily_posts(&bot).len(), 1);
    // …and the reveal still comes, once, as a reply, at 21:00.
    bot.clock.set(at("2026-12-01T12:59:50Z"));
    bot.settle().await;
    assert!(
        replies_to(&bot, post.message_id).is_empty(),
        "not before 21:00"
    );
    bot.clock.set(at("2026-12-01T13:00:00Z"));
    bot.fake
        .wait_until(PATIENCE, |_| !replies_to(&bot, post.message_id).is_empty())
        .await;
    let bot = bot.restart().await;
    bot.settle().await;
    assert_eq!(replies_to(&bot, post.message_id).len(), 1, "revealed once");
    assert_eq!(daily_posts(&bot).len(), 1, "one question a day");

    // The next morning brings the next question.
    bot.clock.set(at("2026-12-02T01:00:00Z"));
    bot.fake
        .wait_until(PATIENCE, |_| daily_posts(&bot).len() == 2)
        .await;
    assert_eq!(daily_posts(&bot).len(), 2);
    assert_nothing_rejected(&bot.fake);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reveal_after_minutes_and_settings_show_local_times() {
    let bot = group_bot("2026-12-01T00:58:00Z").await;
    bot.say(GROUP, Some(admin()), "/daily 09:00", 1).await;
    bot.say(GROUP, Some(admin()), "/reveal 1m", 1).await;
    let settings = bot.say(GROUP, Some(member()), "/settings", 1).await;
    let text = visible(&settings[0]);
    assert!(
        text.contains("Asia/Shanghai") && text.contains("2026-12-01 09:00"),
        "{text}"
    );
    bot.clock.set(at("2026-12-01T01:00:00Z"));
    bot.fake
        .wait_until(PATIENCE, |_| !daily_posts(&bot).is_empty())
        .await;
    let post = daily_posts(&bot).remove(0);
    bot.settle().await;
    bot.clock.set(at("2026-12-01T01:01:02Z"));
    let revealed = bot
        .fake
        .wait_until(PATIENCE, |_| !replies_to(&bot, post.message_id).is_empty())
        .await;
    assert!(revealed);
    assert_nothing_rejected(&bot.fake);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_question_revealed_by_hand_is_not_revealed_again() {
    let bot = group_bot("2026-12-01T00:59:58Z").await;
    bot.say(GROUP, Some(admin()), "/daily 09:00", 1).await;
    bot.say(GROUP, Some(admin()), "/reveal 21:00", 1).await;
    bot.clock.set(at("2026-12-01T01:00:00Z"));
    bot.fake
        .wait_until(PATIENCE, |_| !daily_posts(&bot).is_empty())
        .await;
    let post = daily_posts(&bot).remove(0);
    bot.say(GROUP, Some(member()), "/answer", 1).await;
    bot.settle().await;
    bot.clock.set(at("2026-12-01T13:00:01Z"));
    bot.settle().await;
    assert_eq!(replies_to(&bot, post.message_id).len(), 1);
    bot.stop().await;
}

/// Fills a database with `n` group chats planned for 09:00 Shanghai.
async fn plan_chats(database: &str, n: i64) -> Vec<i64> {
    let store = Store::open(database).await.unwrap();
    let chats: Vec<i64> = (0..n).map(|i| -100_0000_0000 - i).collect();
    let rows: Vec<_> = chats
        .iter()
        .map(|&id| (id, ChatKind::Supergroup, None))
        .collect();
    plan_daily(&store, &rows, "09:00", "Asia/Shanghai").await;
    store.close().await;
    chats
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_chats_due_at_once_get_exactly_one_post_and_no_429() {
    let fake = strict_fake().await;
    let (dir, database) = temp_db();
    let chats = plan_chats(&database, 200).await;
    for id in &chats {
        fake.add_chat(ChatSpec::supergroup(*id, "g", false));
    }
    let clock = studybot::runtime::clock::Clock::system();
    clock.set(at("2026-12-01T00:59:59Z"));
    let bot = TestBot::start_on(&fake, &database, clock, engine_config(), dir).await;
    bot.clock.set(at("2026-12-01T01:00:00Z"));
    let done = fake
        .wait_until(std::time::Duration::from_secs(60), |f| {
            f.sent_count() >= 200
        })
        .await;
    assert!(done, "only {} of 200 posted", fake.sent_count());
    bot.settle().await;
    for id in &chats {
        assert_eq!(messages_in(&fake, *id).len(), 1, "chat {id}");
    }
    assert_eq!(fake.count_429(), 0, "the send path keeps Telegram's limits");
    assert_nothing_rejected(&fake);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_within_grace_posts_late_and_beyond_it_skips_the_day() {
    let fake = strict_fake().await;
    let (dir, database) = temp_db();
    let chats = plan_chats(&database, 2).await;
    fake.add_chat(ChatSpec::supergroup(chats[0], "g", false));
    fake.add_chat(ChatSpec::supergroup(chats[1], "g", false));
    // Down through 09:00; back at 10:30 (within 2 h): posted late, once.
    let clock = studybot::runtime::clock::Clock::system();
    clock.set(at("2026-12-01T02:30:00Z"));
    let bot = TestBot::start_on(&fake, &database, clock, engine_config(), dir).await;
    fake.wait_until(PATIENCE, |f| f.sent_count() >= 2).await;
    assert_eq!(fake.sent_count(), 2);
    // Down through the next 09:00; back at 11:30: that day is skipped.
    bot.clock.set(at("2026-12-02T03:30:00Z"));
    let bot = bot.restart().await;
    bot.settle().await;
    assert_eq!(fake.sent_count(), 2, "a day missed beyond grace is skipped");
    // The day after, all is normal again.
    bot.clock.set(at("2026-12-03T01:00:00Z"));
    fake.wait_until(PATIENCE, |f| f.sent_count() >= 4).await;
    assert_eq!(fake.sent_count(), 4);
    bot.stop().await;
}
