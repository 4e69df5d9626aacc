//! `studybot run` with both tokens: one process, one database, Telegram
//! and Discord each answered on their own platform, and neither token in
//! any log line.

use std::process::Stdio;
use std::time::Duration;

use crate::support;
use crate::support::discord::{World, no_options, slash_commands};
use crate::support::faults::{terminate, wait_exit};
use fake_bot_api::{ChatSpec, Config, User};
use studybot::bank::Bank;

const TELEGRAM_TOKEN: &str = "987654:SECRET-never-in-logs";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_process_serves_telegram_and_discord_each_its_own_posts() {
    let discord = World::new().await;
    let telegram = support::fake_with(Config {
        token: TELEGRAM_TOKEN.to_string(),
        ..support::quick_polls()
    })
    .await;
    let ann = User::new(7, "Ann");
    telegram.add_chat(ChatSpec::private_with(ann.clone()));
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("stderr.log");
    let mut child = support::studybot(["run"], dir.path())
        .env("STUDYBOT_CONTENT", support::content_dir())
        .env(
            "STUDYBOT_DATABASE",
            support::sqlite_url(&dir.path().join("bot.db")),
        )
        .env("RUST_LOG", "debug")
        .env("TELOXIDE_TOKEN", TELEGRAM_TOKEN)
        .env("TELOXIDE_API_URL", telegram.api_url())
        .env("DISCORD_TOKEN", discord.fake.token())
        .env("DISCORD_API_URL", discord.fake.api_url())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let ready = discord
        .fake
        .wait_until(support::PATIENCE, |f| {
            f.gateway_counts().identifies == 1 && f.commands(None).len() == slash_commands()
        })
        .await;
    assert!(ready, "Discord: commands registered and identified");
    tokio::time::sleep(Duration::from_millis(300)).await;

    telegram.push_message(7, Some(ann), "/ask", None);
    let answered = telegram
        .wait_until(support::PATIENCE, |f| f.sent_count() >= 1)
        .await;
    assert!(answered, "Telegram answered");

    let bank = Bank::load(&support::content_dir()).unwrap();
    let asked = discord
        .slash(discord.channel, discord.ann, "ask", no_options())
        .await;
    let (message, custom_id) = asked.button().expect("a question with its button");
    let question = bank
        .get(custom_id.trim_start_matches("v1:r:"))
        .expect("a seed question");
    assert!(asked.text().contains(&question.title));
    let shown = discord
        .press(discord.channel, discord.bob, message, &custom_id)
        .await;
    let analysis = question.analysis.as_ref().expect("the seed has analyses");
    for text in [&question.answer, analysis] {
        let start: String = text.chars().take(6).collect();
        assert!(shown.text().contains(&start), "{start} in {}", shown.text());
    }

    tokio::time::sleep(Duration::from_millis(300)).await;
    let sent = telegram.sent_messages();
    assert!(
        sent.iter().all(|m| m.chat_id == 7),
        "Telegram posts stay in Telegram"
    );
    assert_eq!(sent.len(), 1, "one question on Telegram");
    let on_discord = discord.fake.all_messages();
    assert!(on_discord.iter().all(|m| m.channel_id == discord.channel));
    assert!(
        discord.fake.rejected().is_empty(),
        "{:#?}",
        discord.fake.rejected()
    );

    terminate(&child);
    let status = wait_exit(&mut child, Duration::from_secs(20)).await;
    let stderr = std::fs::read_to_string(&log).unwrap();
    assert!(
        status.is_some_and(|s| s.success()),
        "a clean stop: {status:?}\n{stderr}"
    );
    assert!(stderr.contains("DEBUG"), "debug logging was on");
    assert!(
        !stderr.contains("SECRET"),
        "the Telegram token leaked:\n{stderr}"
    );
    assert!(
        !stderr.contains(discord.fake.token()),
        "the Discord token leaked:\n{stderr}"
    );
}
