//! The command registry agrees with what each platform is shown: the
//! Telegram menus the bot registers (every scope and language), the slash
//! commands it registers with Discord, and `/help` on both.

use crate::support::discord::{World, no_options};
use crate::support::*;
use serde_json::Value;
use studybot::domain::Platform;
use studybot::runtime::clock::Clock;
use studybot::study::commands::{self, Spec};
use studybot::study::{Lang, Parsed, parse};

/// Every registered command parses as itself.
fn assert_parses(spec: &Spec) {
    match parse(&format!("/{}", spec.name), None) {
        Parsed::Command { command, .. } => assert_eq!(command.name(), spec.name),
        other => panic!("/{} parsed as {other:?}", spec.name),
    }
}

/// The commands `/help` must name: every listed one but `/help` itself.
fn in_help(platform: Platform) -> impl Iterator<Item = &'static Spec> {
    commands::on(platform).filter(|s| s.listed && s.name != "help")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn telegram_menus_and_help_are_the_registrys() {
    let fake = strict_fake().await;
    fake.add_chat(fake_bot_api::ChatSpec::private_with(
        fake_bot_api::User::new(7, "Ann").with_language("en"),
    ));
    let bot = TestBot::start(&fake).await;
    let sets = fake.commands();
    assert_eq!(sets.len(), 3 * (Lang::all().len() + 1), "{sets:?}");
    for set in &sets {
        let admins = set.scope["type"] != "all_group_chats";
        let lang = Lang::parse(&set.language_code).unwrap_or(engine_config().default_lang);
        let expected: Vec<(String, String)> = commands::menu(lang, admins)
            .into_iter()
            .map(|(c, d)| (c.to_string(), d.to_string()))
            .collect();
        assert_eq!(
            set.commands, expected,
            "{:?} {}",
            set.scope, set.language_code
        );
    }
    let shown: Vec<&str> = sets
        .iter()
        .flat_map(|s| s.commands.iter().map(|(c, _)| c.as_str()))
        .collect();
    for spec in commands::on(Platform::Telegram) {
        assert_parses(spec);
        assert_eq!(shown.contains(&spec.name), spec.listed, "/{}", spec.name);
    }
    let help = bot.say(7, None, "/help", 1).await;
    for spec in in_help(Platform::Telegram) {
        let line = format!("/{}", spec.name);
        assert!(visible(&help[0]).contains(&line), "/help lacks {line}");
    }
    assert_nothing_rejected(&fake);
    bot.stop().await;
}

/// A registered slash command says what its registry row says.
fn assert_slash_command(registered: &Value, spec: &Spec) {
    assert_eq!(registered["description"], spec.about.en);
    assert_eq!(registered["name_localizations"]["zh-CN"], spec.zh_name);
    assert_eq!(
        registered["description_localizations"]["zh-CN"],
        spec.about.zh
    );
    let hidden = registered["default_member_permissions"] == "32";
    assert_eq!(hidden, spec.settings, "/{}", spec.name);
    let options: Vec<&str> = registered["options"]
        .as_array()
        .map(|o| o.iter().filter_map(|o| o["name"].as_str()).collect())
        .unwrap_or_default();
    let args: Vec<&str> = spec.args.iter().map(|a| a.name).collect();
    assert_eq!(options, args, "/{}", spec.name);
}

#[tokio::test]
async fn discord_slash_commands_and_help_are_the_registrys() {
    let w = World::new().await;
    let bot = w.start(&Clock::system(), None).await;
    let registered = w.fake.commands(None);
    let names: Vec<&str> = registered
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    let specs: Vec<&Spec> = commands::on(Platform::Discord).collect();
    assert_eq!(names, specs.iter().map(|s| s.name).collect::<Vec<_>>());
    for (command, spec) in registered.iter().zip(&specs) {
        assert_slash_command(command, spec);
        assert_parses(spec);
    }
    let help = w.slash(w.dm, w.ann, "help", no_options()).await;
    for spec in in_help(Platform::Discord) {
        let line = format!("/{}", spec.name);
        assert!(help.text().contains(&line), "/help lacks {line}");
    }
    bot.stop().await;
}
