//! The Discord gateway as it really is: a fatal close (4014 Disallowed
//! Intents) ends `studybot run` with a failure that names the code, the
//! Telegram side stopping with it; and with no IDENTIFY left today
//! (`session_start_limit`) the bot waits for the reset instead of
//! identifying.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::discord::World;
use crate::support::faults::wait_exit;
use fake_bot_api::{Config as TelegramConfig, FakeBotApi};
use fake_discord_api::{Config, SessionStartLimit};
use studybot::runtime::clock::Clock;

const TELEGRAM_TOKEN: &str = "987654:SECRET-never-in-logs";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fatal_close_makes_studybot_run_exit_non_zero_and_name_the_code() {
    let discord = World::new().await;
    discord.fake.refuse_sessions(Some(4014));
    let telegram = FakeBotApi::start(TelegramConfig {
        token: TELEGRAM_TOKEN.to_string(),
        long_poll_cap: Some(Duration::from_millis(300)),
        ..TelegramConfig::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("stderr.log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_studybot"))
        .arg("run")
        .current_dir(dir.path())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("STUDYBOT_CONTENT", crate::support::content_dir())
        .env(
            "STUDYBOT_DATABASE",
            format!("sqlite://{}", dir.path().join("bot.db").display()),
        )
        .env("RUST_LOG", "info")
        .env("TELOXIDE_TOKEN", TELEGRAM_TOKEN)
        .env("TELOXIDE_API_URL", telegram.api_url())
        .env("DISCORD_TOKEN", discord.fake.token())
        .env("DISCORD_API_URL", discord.fake.api_url())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let status = wait_exit(&mut child, crate::support::PATIENCE).await;
    let stderr = std::fs::read_to_string(&log).unwrap();
    let status = status.unwrap_or_else(|| panic!("the bot did not exit:\n{stderr}"));
    assert!(!status.success(), "a failure exit: {status:?}\n{stderr}");
    assert!(
        stderr.contains("4014 Disallowed Intents"),
        "the close is named:\n{stderr}"
    );
    assert_eq!(discord.fake.gateway_counts().identifies, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_no_sessions_left_today_the_bot_waits_for_the_reset_to_identify() {
    let reset_after = Duration::from_secs(3);
    let config = Config {
        session_start_limit: SessionStartLimit {
            total: 1000,
            remaining: 0,
            reset_after,
            max_concurrency: 1,
        },
        ..Config::default()
    };
    let w = World::with_config(config).await;
    let clock = Clock::system();
    let started = Instant::now();
    let bot = w.start(&clock, None).await;
    let counts = w.fake.gateway_counts();
    assert_eq!(counts.overdrawn, 0, "never an IDENTIFY with none left");
    assert_eq!(counts.identifies, 1);
    assert!(
        started.elapsed() >= reset_after - Duration::from_millis(200),
        "identified after {:?}, before the reset",
        started.elapsed()
    );
    bot.stop().await;
}
