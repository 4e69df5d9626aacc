//! `studybot run` as an operator meets it: a missing token, an unreachable
//! Bot API, a clean stop on SIGTERM — and the token in no log line, at any
//! level, whatever happens.

use std::process::{Command, Stdio};
use std::time::Duration;

use crate::support;
use crate::support::faults::{terminate, wait_exit};
use fake_bot_api::{ChatSpec, Config, Fault, User};

const TOKEN: &str = "987654:SECRET-never-in-logs";

fn studybot(dir: &std::path::Path, api_url: Option<&str>, token: Option<&str>) -> Command {
    let mut command = support::studybot(["run"], dir);
    command
        .env("STUDYBOT_CONTENT", support::content_dir())
        .env(
            "STUDYBOT_DATABASE",
            support::sqlite_url(&dir.join("bot.db")),
        )
        .env("RUST_LOG", "trace");
    if let Some(url) = api_url {
        command.env("TELOXIDE_API_URL", url);
    }
    if let Some(token) = token {
        command.env("TELOXIDE_TOKEN", token);
    }
    command
}

#[test]
fn no_token_at_all_is_one_clear_line_naming_both() {
    let dir = tempfile::tempdir().unwrap();
    let out = studybot(dir.path(), None, None).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("studybot: no platform to serve")
            && stderr.contains("TELOXIDE_TOKEN")
            && stderr.contains("DISCORD_TOKEN"),
        "one message naming both tokens: {stderr}"
    );
    assert!(!dir.path().join("bot.db").exists(), "nothing written");
}

#[test]
fn an_unreachable_api_is_named_and_the_token_is_not() {
    let dir = tempfile::tempdir().unwrap();
    // A port nobody listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let out = studybot(dir.path(), Some(&url), Some(TOKEN))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let last = stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("studybot: cannot reach the Bot API at"),
        "{stderr}"
    );
    assert!(last.contains(&url), "{last}");
    assert!(!stderr.contains("SECRET"), "the token leaked:\n{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trace_level_run_with_errors_never_logs_the_token_and_stops_on_sigterm() {
    let fake = support::fake_with(Config {
        token: TOKEN.to_string(),
        ..support::quick_polls()
    })
    .await;
    let ann = User::new(7, "Ann");
    fake.add_chat(ChatSpec::private_with(ann.clone()));
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("stderr.log");
    let mut child = studybot(dir.path(), Some(&fake.api_url()), Some(TOKEN))
        .stderr(std::fs::File::create(&log).unwrap())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    // Errors with URLs in them: a dropped connection, a 429, a 403.
    fake.fail_next("sendMessage", None, Fault::Drop, 1);
    fake.fail_next("sendMessage", None, Fault::RetryAfter(1), 1);
    fake.push_message(7, Some(ann.clone()), "/ask", None);
    let answered = fake
        .wait_until(support::PATIENCE, |f| f.sent_count() >= 1)
        .await;
    assert!(answered, "the bot answered after the faults");
    fake.set_forbidden(7, "Forbidden: bot was blocked by the user");
    fake.push_message(7, Some(ann), "/answer", None);
    fake.wait_until(support::PATIENCE, |f| f.pending_updates() == 0)
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;

    terminate(&child);
    let status = wait_exit(&mut child, Duration::from_secs(15)).await;
    let stderr = std::fs::read_to_string(&log).unwrap();
    assert!(
        status.is_some_and(|s| s.success()),
        "SIGTERM is a clean stop: {status:?}\n{stderr}"
    );
    assert!(
        stderr.contains("TRACE") || stderr.contains("DEBUG"),
        "trace logging was on"
    );
    assert!(!stderr.contains("SECRET"), "the token leaked:\n{stderr}");
    assert!(!stderr.contains("987654:"), "the token leaked:\n{stderr}");
}
