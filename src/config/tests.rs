//! Settings as read: defaults, overrides, the operator's file under the
//! environment, and errors that name the variable but never a secret.

use super::*;
use std::collections::HashMap;

fn settings(pairs: &[(&str, &str)]) -> Result<Settings, ConfigError> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Settings::from_lookup(|name| map.get(name).cloned())
}

#[test]
fn operators_are_user_ids_separated_by_commas() {
    assert!(settings(&[]).unwrap().admins.is_empty());
    let s = settings(&[("STUDYBOT_ADMINS", " 12345, 67890 ,12345")]).unwrap();
    assert_eq!(s.admins, vec![12345, 67890]);
    for bad in ["12345;67890", "@ann", "-5", "1,,2", "99999999999999999999"] {
        let err = settings(&[("STUDYBOT_ADMINS", bad)]).unwrap_err();
        assert!(matches!(err, ConfigError::BadAdmins(_)), "{bad}: {err}");
        assert!(err.to_string().contains("STUDYBOT_ADMINS"), "{err}");
    }
}

#[test]
fn the_http_side_is_off_unless_given_an_address() {
    assert_eq!(settings(&[]).unwrap().http, None);
    let s = settings(&[("STUDYBOT_HTTP", "127.0.0.1:9090")]).unwrap();
    assert_eq!(s.http, Some(SocketAddr::from(([127, 0, 0, 1], 9090))));
    for bad in ["9090", "localhost:9090", "127.0.0.1", "127.0.0.1:99999"] {
        let err = settings(&[("STUDYBOT_HTTP", bad)]).unwrap_err();
        assert!(matches!(err, ConfigError::BadHttp(_)), "{bad}: {err}");
        assert!(err.to_string().contains("127.0.0.1:9090"), "{err}");
    }
}

#[test]
fn defaults_and_overrides() {
    let s = settings(&[]).unwrap();
    assert_eq!(
        (s.lang, s.timezone.as_str(), s.database.as_str()),
        (Lang::Zh, "UTC", "sqlite://studybot.db")
    );
    assert_eq!(s.pid_file, PathBuf::from("studybot.pid"));
    let s = settings(&[("STUDYBOT_DATABASE", "sqlite://data/bot.db")]).unwrap();
    assert_eq!(s.pid_file, PathBuf::from("data/bot.pid"));
    let s = settings(&[("STUDYBOT_PID_FILE", "/run/studybot.pid")]).unwrap();
    assert_eq!(s.pid_file, PathBuf::from("/run/studybot.pid"));
    assert!(matches!(s.require_token(), Err(ConfigError::MissingToken)));
    let s = settings(&[
        ("STUDYBOT_LANG", "en"),
        ("STUDYBOT_TIMEZONE", "asia/shanghai"),
        ("TELOXIDE_TOKEN", "1:x"),
    ])
    .unwrap();
    assert_eq!((s.lang, s.timezone.as_str()), (Lang::En, "Asia/Shanghai"));
    assert_eq!(s.require_token().unwrap(), "1:x");
}

#[test]
fn bad_values_name_the_variable_and_never_the_token() {
    for (pairs, needle) in [
        (vec![("STUDYBOT_LANG", "fr")], "STUDYBOT_LANG"),
        (
            vec![("STUDYBOT_TIMEZONE", "Mars/Base")],
            "STUDYBOT_TIMEZONE",
        ),
        (
            vec![("TELOXIDE_API_URL", "localhost:1")],
            "TELOXIDE_API_URL",
        ),
        (
            vec![("STUDYBOT_GRACE_MINUTES", "-3")],
            "STUDYBOT_GRACE_MINUTES",
        ),
    ] {
        let err = settings(&pairs).expect_err("an error");
        assert!(err.to_string().contains(needle), "{err}");
    }
    let s = settings(&[("TELOXIDE_TOKEN", "secret-token-without-colon")]).unwrap();
    let err = s.require_token().unwrap_err().to_string();
    assert!(!err.contains("secret"), "{err}");
    assert!(!format!("{s:?}").contains("secret"));
}

#[test]
fn the_file_fills_in_what_the_environment_leaves_out() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("studybot.toml");
    std::fs::write(
        &path,
        "STUDYBOT_LANG = \"en\"\nSTUDYBOT_TIMEZONE = \"Asia/Shanghai\"\nSTUDYBOT_GRACE_MINUTES = 30\n",
    )
    .unwrap();
    let path_text = path.display().to_string();
    let env = [
        ("STUDYBOT_CONFIG", path_text.as_str()),
        ("STUDYBOT_TIMEZONE", "Europe/London"),
    ];
    let map: HashMap<String, String> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let s = Settings::from_sources(|name| map.get(name).cloned()).unwrap();
    assert_eq!(s.lang, Lang::En, "from the file");
    assert_eq!(s.timezone, "Europe/London", "the environment wins");
    assert_eq!(s.grace, SignedDuration::from_mins(30));
    assert!(s.operator.is_some_and(|o| o.chats.is_empty()));
    std::fs::write(&path, "STUDYBOT_LANG = \"fr\"\n").unwrap();
    let err = Settings::from_sources(|name| map.get(name).cloned()).unwrap_err();
    assert!(err.to_string().contains("STUDYBOT_LANG"), "{err}");
    std::fs::write(&path, "LANG = \"en\"\n").unwrap();
    let err = Settings::from_sources(|name| map.get(name).cloned()).unwrap_err();
    assert!(err.to_string().contains("studybot.toml:1:1"), "{err}");
}

#[test]
fn either_platform_or_both_and_neither_names_both_tokens() {
    let none = settings(&[]).unwrap();
    let err = none.require_a_platform().unwrap_err().to_string();
    assert!(
        err.contains("TELOXIDE_TOKEN") && err.contains("DISCORD_TOKEN"),
        "{err}"
    );
    let discord = settings(&[
        ("DISCORD_TOKEN", "discord-secret"),
        ("DISCORD_API_URL", "http://127.0.0.1:8082"),
        ("DISCORD_GUILD_ID", "42"),
    ])
    .unwrap();
    assert!(discord.require_a_platform().is_ok() && discord.token.is_none());
    let d = discord.discord.as_ref().unwrap();
    assert_eq!((d.guild_id, d.gateway_url.as_deref()), (Some(42), None));
    assert!(!format!("{discord:?}").contains("discord-secret"));
    assert_eq!(discord.secrets(), vec!["discord-secret".to_string()]);
    for (name, value) in [
        ("DISCORD_GUILD_ID", "my-server"),
        ("DISCORD_API_URL", "discord.com"),
        ("DISCORD_GATEWAY_URL", "http://x"),
    ] {
        let err = settings(&[("DISCORD_TOKEN", "t"), (name, value)]).unwrap_err();
        assert!(err.to_string().contains(name), "{err}");
    }
}

#[test]
fn a_broken_env_line_is_named_but_never_shown() {
    let line = "TELOXIDE_TOKEN=123456:SECRET\\'oops".to_string();
    let text = dotenv_problem(&dotenvy::Error::LineParse(line, 27));
    assert!(text.contains("TELOXIDE_TOKEN"), "{text}");
    assert!(text.contains("character 28"), "{text}");
    assert!(!text.contains("SECRET"), "{text}");
    let text = dotenv_problem(&dotenvy::Error::LineParse("s3cr3t value".into(), 6));
    assert!(!text.contains("s3cr3t"), "{text}");
}
