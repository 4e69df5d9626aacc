//! Pinning the question of the day end to end, on a movable clock against
//! the strict fake Bot API: pinned silently each day with the previous day's
//! unpinned (across a restart), and a bot without the right that keeps
//! posting, tells the admins once, and pins again once the right is given.

use crate::support::*;
use fake_bot_api::{ChatSpec, SentMessage, User};
use jiff::Timestamp;

const GROUP: i64 = -100_5013;

fn admin() -> User {
    User::new(7, "Ann").with_language("en")
}

fn at(text: &str) -> Timestamp {
    text.parse().expect("a timestamp")
}

fn daily_posts(bot: &TestBot) -> Vec<SentMessage> {
    messages_in(&bot.fake, GROUP)
        .into_iter()
        .filter(|m| visible(m).contains("Question of the day · "))
        .collect()
}

fn no_right_notices(bot: &TestBot) -> Vec<SentMessage> {
    messages_in(&bot.fake, GROUP)
        .into_iter()
        .filter(|m| visible(m).contains("could not pin"))
        .collect()
}

/// A group whose admin set a daily question at 09:00 Shanghai time with pins on.
async fn pinning_group(start: &str, may_pin: bool) -> TestBot {
    let fake = strict_fake().await;
    fake.add_chat(ChatSpec::supergroup(GROUP, "Study group", false));
    fake.set_admins(GROUP, &[7]);
    fake.set_pin_right(GROUP, may_pin);
    let bot = TestBot::start_at(&fake, at(start)).await;
    bot.say(GROUP, Some(admin()), "/lang en", 1).await;
    bot.say(GROUP, Some(admin()), "/daily 09:00 Asia/Shanghai", 1)
        .await;
    let refused = bot
        .say(GROUP, Some(User::new(9, "Cai")), "/pin on", 1)
        .await;
    assert!(visible(&refused[0]).contains("administrators"));
    let on = bot.say(GROUP, Some(admin()), "/pin on", 1).await;
    assert!(
        visible(&on[0]).contains("pinned silently"),
        "{}",
        visible(&on[0])
    );
    let settings = bot.say(GROUP, Some(admin()), "/settings", 1).await;
    assert!(
        visible(&settings[0]).contains("Pin: the question of the day is pinned"),
        "{}",
        visible(&settings[0])
    );
    bot
}

/// Moves the clock to `instant` and waits for the `n`th daily question.
async fn day(bot: &TestBot, instant: &str, n: usize) -> SentMessage {
    bot.clock.set(at(instant));
    let posted = bot
        .fake
        .wait_until(PATIENCE, |_| daily_posts(bot).len() >= n)
        .await;
    assert!(posted, "daily question {n} was posted");
    daily_posts(bot).remove(n - 1)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_day_pins_its_question_and_unpins_the_one_before_across_a_restart() {
    let bot = pinning_group("2026-03-02T00:50:00Z", true).await;
    let first = day(&bot, "2026-03-02T01:00:00Z", 1).await;
    let pinned = bot
        .fake
        .wait_until(PATIENCE, |f| f.pinned(GROUP) == vec![first.message_id])
        .await;
    assert!(pinned, "pinned: {:?}", bot.fake.pinned(GROUP));
    let pin = &bot.fake.requests_to("pinchatmessage")[0];
    assert_eq!(pin.body["disable_notification"], true, "pinned silently");

    // Which message to unpin survives a restart.
    let bot = bot.restart().await;
    let second = day(&bot, "2026-03-03T01:00:00Z", 2).await;
    let moved = bot
        .fake
        .wait_until(PATIENCE, |f| f.pinned(GROUP) == vec![second.message_id])
        .await;
    assert!(
        moved,
        "only today's is pinned: {:?}",
        bot.fake.pinned(GROUP)
    );
    let unpins = bot.fake.requests_to("unpinchatmessage");
    assert_eq!(unpins.len(), 1);
    assert_eq!(unpins[0].body["message_id"], first.message_id);

    // Turned off: the next day's question stays unpinned.
    bot.say(GROUP, Some(admin()), "/pin off", 1).await;
    day(&bot, "2026-03-04T01:00:00Z", 3).await;
    bot.settle().await;
    assert_eq!(bot.fake.pinned(GROUP), vec![second.message_id]);
    assert_eq!(bot.fake.requests_to("pinchatmessage").len(), 2);
    assert_nothing_rejected(&bot.fake);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_right_posts_go_on_and_admins_are_told_once() {
    let bot = pinning_group("2026-03-02T00:50:00Z", false).await;
    day(&bot, "2026-03-02T01:00:00Z", 1).await;
    let told = bot
        .fake
        .wait_until(PATIENCE, |_| no_right_notices(&bot).len() == 1)
        .await;
    assert!(told, "the admins were told");
    let notice = visible(&no_right_notices(&bot)[0]);
    assert!(notice.contains("“Pin messages” right"), "{notice}");

    // The next day (after a restart): posted once, not told again.
    let bot = bot.restart().await;
    day(&bot, "2026-03-03T01:00:00Z", 2).await;
    bot.fake
        .wait_until(PATIENCE, |f| f.requests_to("pinchatmessage").len() == 2)
        .await;
    bot.settle().await;
    assert_eq!(no_right_notices(&bot).len(), 1, "told once, not twice");
    assert_eq!(
        daily_posts(&bot).len(),
        2,
        "each day's question went out once"
    );
    assert!(bot.fake.pinned(GROUP).is_empty());

    // The right given: the third day is pinned.
    bot.fake.set_pin_right(GROUP, true);
    let third = day(&bot, "2026-03-04T01:00:00Z", 3).await;
    let pinned = bot
        .fake
        .wait_until(PATIENCE, |f| f.pinned(GROUP) == vec![third.message_id])
        .await;
    assert!(pinned);

    // Taken away again after a success: worth one new word.
    bot.fake.set_pin_right(GROUP, false);
    day(&bot, "2026-03-05T01:00:00Z", 4).await;
    let told = bot
        .fake
        .wait_until(PATIENCE, |_| no_right_notices(&bot).len() == 2)
        .await;
    assert!(told, "told again after the right was lost");
    assert_eq!(daily_posts(&bot).len(), 4);
    let rejected = bot.fake.rejected();
    assert!(
        rejected.iter().all(|r| r.method == "pinchatmessage"),
        "only the pins were refused: {rejected:#?}"
    );
    bot.stop().await;
}
