//! `studybot reload` against the real binary: it signals a running
//! `studybot run` through the pid file that run writes beside its database,
//! the bot reloads its bank (or keeps it, when the new one has errors), and
//! the pid file is gone after a clean stop. With no bot running, reload
//! says so and why.

use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use crate::support::process::{bot_command, stop};
use crate::support::{PATIENCE, sqlite_url, strict_fake, temp_db};

const DECK: &str = "deck: cli\ntitle: CLI\nlanguage: en\nquestions:\n  - id: alpha\n    title: Alpha\n    question: What is alpha?\n    answer: The first letter.\n";

/// `studybot reload` in `dir` with `env` set (and nothing else of ours).
fn reload(dir: &Path, env: &[(&str, &str)]) -> Output {
    let mut command = crate::support::studybot(["reload"], dir);
    command.envs(env.iter().copied());
    command.output().expect("studybot runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Waits (polling) until `ready` holds; false after `within`.
async fn eventually(within: Duration, ready: impl Fn() -> bool) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if ready() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    ready()
}

#[test]
fn with_no_bot_running_reload_says_why() {
    let (dir, database) = temp_db();
    // No pid file, at the default place beside the database.
    let out = reload(dir.path(), &[("STUDYBOT_DATABASE", &database)]);
    assert_eq!(out.status.code(), Some(1));
    let said = stderr(&out);
    let expected = dir.path().join("bot.pid");
    assert!(
        said.contains(&format!("no pid file at {}", expected.display()))
            && said.contains("is `studybot run` running?"),
        "{said}"
    );
    // A file left by a bot that is gone, and one that holds no id.
    let pid_file = dir.path().join("other.pid");
    let pid_file = pid_file.to_str().unwrap();
    std::fs::write(pid_file, format!("{}\n", i32::MAX)).unwrap();
    let out = reload(dir.path(), &[("STUDYBOT_PID_FILE", pid_file)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("which is not running"),
        "{}",
        stderr(&out)
    );
    std::fs::write(pid_file, "studybot\n").unwrap();
    let out = reload(dir.path(), &[("STUDYBOT_PID_FILE", pid_file)]);
    assert!(
        stderr(&out).contains("not a process id"),
        "{}",
        stderr(&out)
    );
    // A process that is not studybot (this test) is never sent SIGHUP.
    std::fs::write(pid_file, format!("{}\n", std::process::id())).unwrap();
    let out = reload(dir.path(), &[("STUDYBOT_PID_FILE", pid_file)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("not studybot"), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reload_signals_the_running_bot_through_its_pid_file() {
    let fake = strict_fake().await;
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir(&content).unwrap();
    std::fs::write(content.join("cli.yaml"), DECK).unwrap();
    let database = sqlite_url(&dir.path().join("bot.db"));
    let log = dir.path().join("bot.log");
    let mut child = bot_command(&fake, &database, dir.path())
        .env("STUDYBOT_CONTENT", &content)
        .env("RUST_LOG", "studybot=info")
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .expect("studybot starts");
    let pid_file = dir.path().join("bot.pid");
    let written = eventually(PATIENCE, || {
        std::fs::read_to_string(&pid_file).is_ok_and(|t| t.trim() == child.id().to_string())
    })
    .await;
    assert!(written, "no pid file at {}", pid_file.display());
    let logged = |text: &str| {
        std::fs::read_to_string(&log)
            .unwrap_or_default()
            .contains(text)
    };
    let env = [
        ("STUDYBOT_DATABASE", database.as_str()),
        ("STUDYBOT_CONTENT", content.to_str().unwrap()),
    ];

    let out = reload(dir.path(), &env);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains(&format!("pid {}", child.id())), "{said}");
    let reloaded = eventually(PATIENCE, || {
        logged("reload: SIGHUP received") && logged("bank reloaded: 1 → 1 questions (+0; -0)")
    })
    .await;
    assert!(reloaded, "{}", std::fs::read_to_string(&log).unwrap());
    assert!(child.try_wait().unwrap().is_none(), "SIGHUP ended the bot");

    // A burst of saves in the content directory is one reload.
    let question = |id: &str| {
        format!("  - id: {id}\n    title: {id}\n    question: What is {id}?\n    answer: {id}.\n")
    };
    let mut deck = DECK.to_string();
    for id in ["beta", "gamma", "delta"] {
        deck.push_str(&question(id));
        std::fs::write(content.join("cli.yaml"), &deck).unwrap();
    }
    let changed = eventually(PATIENCE, || logged("bank reloaded: 1 → 4 questions (+3")).await;
    assert!(changed, "{}", std::fs::read_to_string(&log).unwrap());
    // Longer than the debounce: a second reload would have come by now.
    tokio::time::sleep(studybot::reload::DEBOUNCE * 3).await;
    let text = std::fs::read_to_string(&log).unwrap();
    assert_eq!(
        text.matches("reload: the deck files changed").count(),
        1,
        "{text}"
    );

    // A broken deck: reload shows the errors, the bot keeps its bank.
    std::fs::write(content.join("cli.yaml"), DECK.replace("answer:", "answr:")).unwrap();
    let out = reload(dir.path(), &env);
    assert_eq!(out.status.code(), Some(1));
    let said = stderr(&out);
    assert!(
        said.contains("cli.yaml:") && said.contains("keeps the bank it had"),
        "{said}"
    );
    let kept = eventually(PATIENCE, || logged("the bank in use stays")).await;
    assert!(kept, "{}", std::fs::read_to_string(&log).unwrap());
    assert!(child.try_wait().unwrap().is_none());

    // A clean stop removes the pid file; reload then finds no bot.
    stop(&fake, &mut child).await;
    assert!(!pid_file.exists(), "the pid file outlived the bot");
    let out = reload(dir.path(), &env);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no pid file at"), "{}", stderr(&out));
}
