//! The operator's config file (`STUDYBOT_CONFIG`): a listed chat gets its
//! daily post at the configured time through the fake Bot API and cannot
//! change its plan, a chat dropped from the file gets its say back, and a
//! bad file refuses to start with `file:line:col` errors.

use std::path::Path;

use crate::support::*;
use fake_bot_api::{ChatSpec, User};
use jiff::Timestamp;
use studybot::config::operator::OperatorConfig;
use studybot::store::Store;
use studybot::study::{Engine, OperatorApplied};

const GROUP: i64 = -100_8008;

fn admin() -> User {
    User::new(7, "Ann").with_language("zh-hans")
}

fn at(text: &str) -> Timestamp {
    text.parse().expect("a timestamp")
}

const CONFIG: &str = r#"
[[chats]]
id = -1008008
time = "09:00"
zone = "Asia/Shanghai"
days = "weekdays"
deck = "llm-startup"
"#;

/// Applies `text` as the config file to `database`, as start-up does.
async fn apply(database: &str, text: &str, now: &str) -> OperatorApplied {
    let config = OperatorConfig::parse(Path::new("studybot.toml"), text).expect("a good file");
    let bank = bank();
    config.check_bank(&bank).expect("decks and tags exist");
    let store = Store::open(database).await.expect("the database opens");
    let engine = Engine::new(bank, store, engine_config());
    let applied = engine
        .apply_operator_chats(&config, at(now))
        .await
        .expect("applied");
    engine.close().await;
    applied
}

fn daily_posts(bot: &TestBot) -> usize {
    messages_in(&bot.fake, GROUP)
        .iter()
        .filter(|m| visible(m).contains("每日一题 · "))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_chat_is_posted_to_on_time_and_locked_until_dropped() {
    let fake = strict_fake().await;
    fake.add_chat(ChatSpec::supergroup(GROUP, "Study group", false));
    fake.set_admins(GROUP, &[7]);
    let (dir, database) = temp_db();
    // Tuesday 08:00 in Shanghai.
    let applied = apply(&database, CONFIG, "2026-12-01T00:00:00Z").await;
    assert_eq!((applied.set, applied.unchanged), (1, 0));
    let clock = studybot::runtime::clock::Clock::system();
    clock.set(at("2026-12-01T00:00:00Z"));
    let bot = TestBot::start_on(&fake, &database, clock, engine_config(), dir).await;

    let refused = bot.say(GROUP, Some(admin()), "/daily 10:00", 1).await;
    assert!(
        visible(&refused[0]).contains("由运营者设定"),
        "{}",
        visible(&refused[0])
    );
    let refused = bot.say(GROUP, Some(admin()), "/reveal 1h", 1).await;
    assert!(visible(&refused[0]).contains("由运营者设定"));
    let settings = bot.say(GROUP, Some(admin()), "/settings", 1).await;
    let text = visible(&settings[0]);
    assert!(
        text.contains("由运营者设定")
            && text.contains("工作日 09:00")
            && text.contains("2026-12-01 09:00"),
        "{text}"
    );

    bot.clock.set(at("2026-12-01T01:00:00Z"));
    fake.wait_until(PATIENCE, |_| daily_posts(&bot) >= 1).await;
    bot.settle().await;
    assert_eq!(daily_posts(&bot), 1, "posted at the configured time");

    // Applied again (a restart after the post): nothing changes.
    let again = apply(&database, CONFIG, "2026-12-01T02:00:00Z").await;
    assert_eq!((again.set, again.unchanged), (0, 1));
    // Dropped from the file: the plan stays, and the chat may change it.
    let dropped = apply(&database, "", "2026-12-01T02:00:00Z").await;
    assert_eq!(dropped.released, 1);
    let settings = bot.say(GROUP, Some(admin()), "/settings", 1).await;
    let text = visible(&settings[0]);
    assert!(
        !text.contains("运营者") && text.contains("工作日 09:00"),
        "{text}"
    );
    let set = bot.say(GROUP, Some(admin()), "/daily 10:00", 1).await;
    assert!(visible(&set[0]).contains("已设定"), "{}", visible(&set[0]));
    assert_nothing_rejected(&fake);
    bot.stop().await;
}

/// Runs `studybot run` with `config` as its file; returns its exit success
/// and stderr.
fn run_with_config(config: &str) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("studybot.toml"), config).unwrap();
    let output = studybot(["run"], dir.path())
        .env("STUDYBOT_CONFIG", "studybot.toml")
        .env("TELOXIDE_TOKEN", "1:x")
        .env("TELOXIDE_API_URL", "http://127.0.0.1:9")
        .env("STUDYBOT_CONTENT", content_dir())
        .output()
        .expect("the studybot binary runs");
    assert!(
        !dir.path().join("studybot.db").exists(),
        "nothing is created for a bad file"
    );
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_bad_config_file_refuses_to_start_with_located_errors() {
    let (ok, stderr) = run_with_config(
        "STUDYBOT_LANG = \"en\"\n\n[[chats]]\nid = -1\ntime = \"9:60\"\nzone = \"Asia/Shanghia\"\n",
    );
    assert!(!ok, "{stderr}");
    assert!(
        stderr.contains("studybot: studybot.toml:5:8: `9:60` is not a time"),
        "{stderr}"
    );
    assert!(
        stderr.contains("studybot: studybot.toml:6:8: unknown time zone `Asia/Shanghia`: did you mean Asia/Shanghai?"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");

    let (ok, stderr) = run_with_config(
        "[[chats]]\nid = -1\ntime = \"09:00\"\nzone = \"UTC\"\ntags = [\"no-such-tag\"]\n",
    );
    assert!(!ok);
    assert!(
        stderr.contains("studybot: studybot.toml:5:8: unknown tag `no-such-tag`"),
        "{stderr}"
    );

    let (ok, stderr) = run_with_config("[chats]\nid = 1\n");
    assert!(!ok);
    assert!(stderr.contains("studybot: studybot.toml:1:1:"), "{stderr}");
}
