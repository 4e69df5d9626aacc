//! The Telegram bot end to end on PostgreSQL (STUDYBOT_TEST_POSTGRES): the
//! question of the day posted once through a restart and revealed once,
//! then an /ask and its answer, on a schema of the test's own. The same
//! paths run on SQLite in tests/daily.rs and tests/telegram_bot.rs.

use std::sync::Arc;

use crate::support::*;
use fake_bot_api::{ChatSpec, User};
use jiff::Timestamp;
use studybot::runtime::clock::Clock;
use studybot::store::testing::{PgSchema, postgres_url};

const GROUP: i64 = -100_5005;

fn at(text: &str) -> Timestamp {
    text.parse().expect("a timestamp")
}

fn daily_posts(bot: &TestBot) -> Vec<fake_bot_api::SentMessage> {
    messages_in(&bot.fake, GROUP)
        .into_iter()
        .filter(|m| visible(m).contains("每日一题 · "))
        .collect()
}

fn replies_to(bot: &TestBot, message_id: i32) -> Vec<fake_bot_api::SentMessage> {
    messages_in(&bot.fake, GROUP)
        .into_iter()
        .filter(|m| m.reply_to == Some(message_id))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_day_and_an_ask_on_postgres() {
    let Some(base) = postgres_url() else {
        return;
    };
    let schema = PgSchema::create(&base).await.expect("a test schema");
    let database = schema.url().to_string();
    schema.run_then_drop(day_and_ask(&database)).await;
}

async fn day_and_ask(database: &str) {
    let admin = User::new(7, "Ann").with_language("zh-hans");
    let member = User::new(9, "Cai");
    let fake = strict_fake().await;
    fake.add_chat(ChatSpec::supergroup(GROUP, "Study group", false));
    fake.set_admins(GROUP, &[7]);
    let clock = Clock::system();
    clock.set(at("2026-12-01T00:58:00Z"));
    let dir = Arc::new(tempfile::tempdir().expect("a temp dir"));
    let bot = TestBot::start_on(&fake, database, clock, engine_config(), dir).await;
    let set = bot
        .say(GROUP, Some(admin.clone()), "/daily 09:00 Asia/Shanghai", 1)
        .await;
    assert!(visible(&set[0]).contains("09:00"), "{}", visible(&set[0]));
    bot.say(GROUP, Some(admin), "/reveal 21:00", 1).await;

    bot.clock.set(at("2026-12-01T01:00:00Z"));
    bot.fake
        .wait_until(PATIENCE, |_| !daily_posts(&bot).is_empty())
        .await;
    let post = daily_posts(&bot).remove(0);
    let bot = bot.restart().await;
    bot.settle().await;
    assert_eq!(daily_posts(&bot).len(), 1, "posted once through a restart");
    bot.clock.set(at("2026-12-01T13:00:00Z"));
    bot.fake
        .wait_until(PATIENCE, |_| !replies_to(&bot, post.message_id).is_empty())
        .await;
    let bot = bot.restart().await;
    bot.settle().await;
    assert_eq!(replies_to(&bot, post.message_id).len(), 1, "revealed once");

    let asked = bot.say(GROUP, Some(member.clone()), "/ask", 1).await;
    assert!(button_data(&asked[0]).is_some(), "{}", visible(&asked[0]));
    let answered = bot.say(GROUP, Some(member), "/answer", 1).await;
    assert_eq!(answered[0].reply_to, Some(asked[0].message_id));
    assert_nothing_rejected(&bot.fake);
    bot.stop().await;
}
