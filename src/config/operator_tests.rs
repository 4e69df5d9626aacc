use super::*;

fn parse(text: &str) -> Result<OperatorConfig, ConfigFileError> {
    OperatorConfig::parse(Path::new("studybot.toml"), text)
}

fn bank() -> Bank {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    Bank::load(&content).unwrap()
}

#[test]
fn a_good_file_gives_its_chats_and_settings() {
    let config = parse(
        r#"
STUDYBOT_LANG = "en"
STUDYBOT_GRACE_MINUTES = 30

[[chats]]
id = -1001234
time = "9:00"
zone = "asia/shanghai"
reveal = "21:00"
days = "mon,wed,fri"
tags = ["training"]

[[chats]]
id = 42
platform = "discord"
time = "18:30"
zone = "UTC"
"#,
    )
    .unwrap();
    assert_eq!(config.setting("STUDYBOT_LANG").as_deref(), Some("en"));
    assert_eq!(
        config.setting("STUDYBOT_GRACE_MINUTES").as_deref(),
        Some("30")
    );
    assert_eq!(config.setting("STUDYBOT_TIMEZONE"), None);
    let first = &config.chats[0];
    assert_eq!(first.chat_id, ChatId::telegram(-1001234));
    assert_eq!(
        (first.time.as_str(), first.zone.as_str()),
        ("09:00", "Asia/Shanghai")
    );
    assert_eq!(first.days.as_deref(), Some("mon,wed,fri"));
    assert_eq!(first.reveal, "21:00");
    assert_eq!(config.chats[1].chat_id, ChatId::discord(42).unwrap());
    assert_eq!(config.chats[1].reveal, "off");
    config.check_bank(&bank()).unwrap();
}

#[test]
fn each_mistake_is_located() {
    for (text, wanted) in [
        (
            "[[chats]]\nid = 1\ntime = \"9:00\"\nzone = \"UTC\"\ncolour = \"red\"\n",
            "studybot.toml:5:1: unknown field `colour`",
        ),
        (
            "STUDYBOT_COLOUR = \"x\"\n",
            "studybot.toml:1:1: unknown field `STUDYBOT_COLOUR`",
        ),
        (
            "[[chats]]\nid = 1\ntime = \"25:00\"\nzone = \"UTC\"\n",
            "studybot.toml:3:8: `25:00` is not a time",
        ),
        (
            "[[chats]]\nid = 1\ntime = \"09:00\"\nzone = \"Mars/Base\"\n",
            "studybot.toml:4:8: unknown time zone `Mars/Base`",
        ),
        (
            "[[chats]]\nid = 1\ntime = \"09:00\"\nzone = \"UTC\"\ndays = \"someday\"\n",
            "studybot.toml:5:8: `someday` is not a day rule",
        ),
        (
            "[[chats]]\nid = \"one\"\ntime = \"09:00\"\nzone = \"UTC\"\n",
            "studybot.toml:2:6: invalid type",
        ),
        (
            "[[chats]]\nid = 1\ntime = \"09:00\"\nzone = \"UTC\"\n[[chats]]\nid = 1\ntime = \"10:00\"\nzone = \"UTC\"\n",
            "studybot.toml:6:6: chat telegram:1 is listed twice",
        ),
        (
            "[[chats]]\nid = 1\ntime = \"09:00\"\n",
            "missing field `zone`",
        ),
        ("[[chats]\n", "studybot.toml:1:"),
    ] {
        let err = parse(text).unwrap_err().to_string();
        assert!(
            err.contains(wanted),
            "{text:?}: got {err:?}, wanted {wanted:?}"
        );
    }
}

#[test]
fn every_bad_part_is_reported_at_once() {
    let err = parse("[[chats]]\nid = 1\ntime = \"9\"\nzone = \"Nowhere\"\nreveal = \"soon\"\n")
        .unwrap_err();
    assert_eq!(err.0.len(), 3, "{err}");
}

#[test]
fn unknown_decks_and_tags_are_located_with_the_known_ones() {
    let config = parse(
        "[[chats]]\nid = 1\ntime = \"09:00\"\nzone = \"UTC\"\ndeck = \"nope\"\ntags = [\"training\", \"zzz\"]\n",
    )
    .unwrap();
    let err = config.check_bank(&bank()).unwrap_err().to_string();
    assert!(
        err.contains("studybot.toml:5:8: unknown deck `nope`: the decks are llm-startup"),
        "{err}"
    );
    assert!(
        err.contains("studybot.toml:6:8: unknown tag `zzz`"),
        "{err}"
    );
}

#[test]
fn the_shipped_example_is_a_good_file() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("studybot.example.toml");
    let config = OperatorConfig::load(&path).unwrap();
    assert_eq!(config.chats.len(), 2);
    config.check_bank(&bank()).unwrap();
}

#[test]
fn thread_and_ping_are_read_for_discord_chats_only() {
    let config = parse(
        r#"
[[chats]]
platform = "discord"
id = 42
time = "18:30"
zone = "UTC"
thread = true
ping = "<@&777>"

[[chats]]
platform = "discord"
id = 43
time = "18:30"
zone = "UTC"
ping = 778
"#,
    )
    .unwrap();
    assert!(config.chats[0].open_thread);
    assert_eq!(config.chats[0].ping_role, Some(777));
    assert!(!config.chats[1].open_thread);
    assert_eq!(config.chats[1].ping_role, Some(778));
    let telegram = "[[chats]]\nid = -1\ntime = \"09:00\"\nzone = \"UTC\"\nthread = true\n";
    let err = parse(telegram).unwrap_err().to_string();
    assert!(
        err.starts_with("studybot.toml:5:10: ") && err.contains("Discord"),
        "{err}"
    );
    let person = "[[chats]]\nplatform = \"discord\"\nid = 1\ntime = \"09:00\"\nzone = \"UTC\"\nping = \"<@5>\"\n";
    let err = parse(person).unwrap_err().to_string();
    assert!(err.contains("`ping` is a Discord role"), "{err}");
}
