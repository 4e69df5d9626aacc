//! `studybot chat`: the real binary on piped standard input, with the real
//! `content/`, plus the session's line handler driven directly (fuzzed, and
//! with a chosen clock for daily posts).

use std::io::Write;
use std::path::Path;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use crate::support::{PATIENCE, sqlite_url, studybot};
use jiff::Timestamp;
use proptest::prelude::*;
use studybot::bank::{Bank, Question};
use studybot::console::{Dailies, Flow, Seat, Session};
use studybot::post::{Block, Post};
use studybot::render;
use studybot::runtime::clock::Clock;
use studybot::store::Store;
use studybot::study::{Engine, EngineConfig};

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `studybot chat ARGS` in the crate's directory with `input` piped in.
fn chat_with(args: &[&str], input: &[u8], content: &Path) -> Run {
    let mut child = studybot(["chat"], Path::new(env!("CARGO_MANIFEST_DIR")))
        .args(args)
        .env("STUDYBOT_CONTENT", content)
        .env("STUDYBOT_LANG", "zh")
        .env("STUDYBOT_TIMEZONE", "UTC")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs studybot");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(input).expect("write stdin");
    drop(stdin);
    let output = child.wait_with_output().expect("studybot ends");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn content_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("content")
}

/// `studybot chat --memory ARGS` on the real content; must exit 0 quietly.
fn chat(args: &[&str], input: &str) -> String {
    let mut all = vec!["--memory"];
    all.extend_from_slice(args);
    let run = chat_with(&all, input.as_bytes(), &content_dir());
    assert_eq!(run.code, Some(0), "stderr: {}", run.stderr);
    assert_eq!(run.stderr, "", "stdout: {}", run.stdout);
    run.stdout
}

fn bank() -> Bank {
    Bank::load(&content_dir()).expect("the real content loads")
}

/// Markdown as the console shows it.
fn shown(markdown: &str) -> String {
    let post = Post::notice(vec![Block::Markdown(markdown.to_string())]);
    render::plain_text(&post, false).trim_end().to_string()
}

/// The post printed under `#id`, up to the next post or remark.
fn post_numbered(stdout: &str, id: u32) -> &str {
    let marker = format!("#{id}");
    let start = stdout
        .match_indices(&marker)
        .find(|(i, _)| *i == 0 || stdout[..*i].ends_with('\n'))
        .map(|(i, _)| i)
        .unwrap_or_else(|| panic!("no post #{id} in:\n{stdout}"));
    let rest = &stdout[start..];
    let end = rest
        .match_indices("\n\n#")
        .chain(rest.match_indices("\n\n» "))
        .map(|(i, _)| i)
        .min()
        .unwrap_or(rest.len());
    rest[..end].trim_end()
}

/// The one seed question whose text `post` shows.
fn asked_in<'a>(bank: &'a Bank, post: &str) -> &'a Question {
    let asked: Vec<&Question> = bank
        .questions()
        .iter()
        .filter(|q| post.contains(&shown(&q.question)))
        .collect();
    assert_eq!(asked.len(), 1, "one question in:\n{post}");
    asked[0]
}

/// `post` reveals exactly `question`: its answer and analysis, no other's.
fn assert_reveals(bank: &Bank, post: &str, question: &Question) {
    assert!(post.contains(&shown(&question.answer)), "{post}");
    if let Some(analysis) = &question.analysis {
        assert!(post.contains(&shown(analysis)), "{post}");
    }
    for other in bank.questions().iter().filter(|q| q.id != question.id) {
        assert!(!post.contains(&shown(&other.answer)), "{post}");
    }
}

#[test]
fn ask_then_answer_shows_a_seed_question_then_exactly_its_answer() {
    let bank = bank();
    assert_eq!(bank.len(), 8);
    let stdout = chat(&[], "/ask\n/answer\n");
    let question = asked_in(&bank, post_numbered(&stdout, 1));
    assert!(
        post_numbered(&stdout, 1).contains("[1] 显示答案"),
        "{stdout}"
    );
    let reveal = post_numbered(&stdout, 2);
    assert!(
        reveal.starts_with(&format!("#2 ↪ 回复 #1 {}\n", question.title)),
        "{reveal}"
    );
    assert_reveals(&bank, reveal, question);
    assert!(!stdout.contains("#3"), "{stdout}");
}

#[test]
fn pressing_1_reveals_and_pressing_it_again_says_already_shown() {
    let bank = bank();
    let stdout = chat(&[], "/ask\n1\n1\n");
    let question = asked_in(&bank, post_numbered(&stdout, 1));
    assert_reveals(&bank, post_numbered(&stdout, 2), question);
    assert!(
        stdout.ends_with("\n» 答案已经公布过了，见上方。\n\n"),
        "{stdout}"
    );
    assert!(!stdout.contains("#3"), "{stdout}");
}

#[test]
fn a_number_that_is_no_button_says_which_are() {
    let stdout = chat(&[], "3\n/ask\n2\n99999999999999999999999\n01\n");
    assert!(stdout.starts_with("» 没有按钮 [3]：本次会话还没有出现按钮。"));
    assert!(stdout.contains("» 没有按钮 [2]：按钮编号是 1 到 1。"));
    assert!(stdout.contains("» 没有按钮 [99999999999999999999999]："));
    // `01` is button 1.
    assert!(stdout.contains("#2 ↪ 回复 #1"), "{stdout}");
}

#[test]
fn lang_en_switches_the_chat_to_english() {
    let stdout = chat(&[], "/lang en\n/ask\n1\n1\n/help\n");
    assert!(
        stdout.starts_with("#1\nOK, English from now on.\n"),
        "{stdout}"
    );
    assert!(stdout.contains("[1] Show answer"), "{stdout}");
    assert!(stdout.contains("#3 ↪ reply to #2 "), "{stdout}");
    assert!(stdout.contains("\nAnalysis\n"), "{stdout}");
    assert!(stdout.contains("» The answer is already shown above."));
    assert!(stdout.contains("I am a study bot"), "{stdout}");
    assert!(!stdout.contains("显示答案"), "{stdout}");
    let flag = chat(&["--lang", "en"], "/ask\nhello\n");
    assert!(flag.contains("[1] Show answer"), "{flag}");
    assert!(flag.contains("» Here I only understand commands"), "{flag}");
}

#[test]
fn in_a_group_only_an_admin_sets_the_daily_question() {
    let refused = chat(&["--group"], "/daily 09:00\n/settings\n");
    assert!(refused.contains("只有群管理员可以修改设置。"), "{refused}");
    assert!(!refused.contains("已设定"), "{refused}");
    assert!(refused.contains("每日一题：未开启"), "{refused}");
    let accepted = chat(&["--group", "--as-admin"], "/daily 09:00\n");
    assert!(accepted.contains("已设定。"), "{accepted}");
    assert!(accepted.contains("每日一题：每天 09:00"), "{accepted}");
    assert!(!accepted.contains("只有群管理员"), "{accepted}");
}

#[test]
fn topics_lists_the_decks_and_every_tag() {
    let stdout = chat(&[], "/topics\n");
    assert!(stdout.contains("llm-startup"), "{stdout}");
    for (tag, count) in bank().tags() {
        assert!(
            stdout.contains(&format!("{tag} ({count})")),
            "{tag}: {stdout}"
        );
    }
}

#[test]
fn piped_output_has_no_ansi_escapes() {
    let stdout = chat(
        &[],
        "/help\n/ask\n1\n1\n/topics\n/settings\n/daily 09:00\n/answer\n/ask training\n",
    );
    assert!(stdout.contains("#5"), "{stdout}");
    assert!(!stdout.contains('\x1b'), "{stdout:?}");
}

#[test]
fn text_and_unknown_commands_get_a_hint() {
    let stdout = chat(&[], "hello\n/frobnicate now\n/ask@otherbot\n");
    assert!(
        stdout.starts_with("» 这里只认命令和按钮编号：发送 /help 查看命令，/quit 退出。\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("#1\n不认识的命令 /frobnicate。发送 /help 查看所有命令。"),
        "{stdout}"
    );
    assert_eq!(stdout.matches("» 这里只认命令").count(), 2, "{stdout}");
    // In a group an unknown command not addressed to the bot gets no post,
    // so the console says how to talk to it.
    let group = chat(&["--group"], "/frobnicate\n");
    assert!(group.starts_with("» 这里只认命令"), "{group}");
}

#[test]
fn quit_and_exit_end_the_session() {
    assert_eq!(chat(&[], "/quit\n/ask\n"), "");
    assert_eq!(chat(&[], "/EXIT@studybot\n/ask\n"), "");
    assert_eq!(chat(&[], ""), "");
    assert_eq!(chat(&[], "\n\n   \n"), "");
}

#[test]
fn odd_bytes_and_a_last_line_without_newline_are_fine() {
    let run = chat_with(
        &["--memory"],
        b"\xff\xfe\x00/ask\r\n\x1b[31m/help\n/ask",
        &content_dir(),
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(!run.stdout.contains('\x1b'), "{:?}", run.stdout);
    assert!(run.stdout.contains("#1\n"), "{}", run.stdout);
    // The last line, with no newline, is still a command.
    assert!(run.stdout.contains("[1] 显示答案"), "{}", run.stdout);
}

#[test]
fn a_bad_bank_exits_1_with_the_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("broken.yaml"),
        "deck: broken\ntitle: B\nlanguage: en\nquestions:\n  - id: x\n    title: T\n",
    )
    .expect("write");
    let run = chat_with(&["--memory"], b"/ask\n", dir.path());
    assert_eq!(run.code, Some(1));
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("broken.yaml:"), "{}", run.stderr);
    assert!(run.stderr.contains("in the bank"), "{}", run.stderr);
    let missing = chat_with(&["--memory"], b"/ask\n", &dir.path().join("nowhere"));
    assert_eq!(missing.code, Some(1));
    assert!(missing.stderr.contains("nowhere"), "{}", missing.stderr);
}

#[test]
fn a_database_that_cannot_open_is_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = sqlite_url(&dir.path().join("no/such/dir/chat.db"));
    let run = chat_with(&["--database", &url], b"/ask\n", &content_dir());
    assert_eq!(run.code, Some(1));
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.starts_with("studybot: ") && run.stderr.contains(&url),
        "{}",
        run.stderr
    );
}

#[test]
fn a_database_file_keeps_the_round_across_runs() {
    let bank = bank();
    let dir = tempfile::tempdir().expect("temp dir");
    let url = sqlite_url(&dir.path().join("chat.db"));
    let first = chat_with(&["--database", &url], b"/ask\n", &content_dir());
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let question = asked_in(&bank, post_numbered(&first.stdout, 1));
    let second = chat_with(&["--database", &url], b"/answer\n", &content_dir());
    assert_eq!(second.code, Some(0), "{}", second.stderr);
    // Message ids go on after the first run's, and the reveal answers it.
    let reveal = post_numbered(&second.stdout, 2);
    assert!(reveal.starts_with("#2 ↪ 回复 #1\n"), "{reveal}");
    assert_reveals(&bank, reveal, question);
    let third = chat_with(&["--database", &url], b"/answer\n", &content_dir());
    assert!(
        third.stdout.contains("答案已经公布过了"),
        "{}",
        third.stdout
    );
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

async fn session(seat: Seat) -> Session {
    let store = Store::in_memory().await.expect("in-memory store");
    let engine = Engine::new(Arc::new(bank()), store, EngineConfig::default());
    Session::start(engine, seat, false).await.expect("session")
}

/// How long a driver is given to show something it should not.
const QUIET: Duration = Duration::from_millis(300);

#[test]
fn a_daily_question_arrives_at_its_time_with_a_button() {
    runtime().block_on(async {
        let mut session = session(Seat::default()).await;
        let mut out = Vec::new();
        let before: Timestamp = "2026-03-02T08:58:00Z".parse().unwrap();
        let clock = Clock::system();
        clock.set(before);
        let flow = session
            .line("/daily 09:00", before, &mut out)
            .await
            .unwrap();
        assert_eq!(flow, Flow::Continue);
        // The one driver every adapter runs, on a clock the test moves.
        let mut dailies = Dailies::start(&mut session, clock.clone()).await;
        let early = tokio::time::timeout(QUIET, dailies.next()).await;
        assert!(early.is_err(), "nothing is due before 09:00");
        let at: Timestamp = "2026-03-02T09:00:01Z".parse().unwrap();
        clock.set(at);
        let job = tokio::time::timeout(PATIENCE, dailies.next())
            .await
            .expect("the post comes at 09:00")
            .expect("a post");
        job.show(&mut session, at, &mut out).await.unwrap();
        let text = String::from_utf8(out).unwrap();
        let daily = post_numbered(&text, 2);
        assert!(daily.contains("每日一题 · 2026-03-02"), "{text}");
        assert!(daily.ends_with("[1] 显示答案"), "{text}");
        // Shown once: the driver recorded it, and finds nothing new.
        clock.set(at + jiff::SignedDuration::from_secs(5));
        let again = tokio::time::timeout(QUIET, dailies.next()).await;
        assert!(again.is_err(), "shown once");
        dailies.stop();
    });
}

/// Lines a person might type, odd ones included.
fn a_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("/ask".to_string()),
        Just("/answer".to_string()),
        Just("1".to_string()),
        "[0-9]{1,25}",
        "/(ask|answer|daily|reveal|lang|topics|settings|help|start)( [a-z0-9:/_+-]{0,12}){0,4}",
        "/[\\PC]{0,20}(@[a-zA-Z_]{0,10})?",
        any::<String>(),
        "[\\x00-\\x1f\\x7f\\u{202e}\\u{fffd}]{0,8}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Whatever is typed: no panic, no escape codes in plain mode, and the
    /// session goes on unless told to quit.
    #[test]
    fn any_line_gets_an_answer_and_never_a_panic(
        lines in prop::collection::vec(a_line(), 1..10),
        group in any::<bool>(),
        as_admin in any::<bool>(),
    ) {
        runtime().block_on(async {
            let seat = Seat { group, as_admin, lang: None };
            let mut session = session(seat).await;
            let now: Timestamp = "2026-03-02T09:30:00Z".parse().unwrap();
            for line in &lines {
                let mut out = Vec::new();
                let flow = session.line(line, now, &mut out).await.unwrap();
                let text = String::from_utf8(out).unwrap();
                prop_assert!(!text.contains('\x1b'), "{line:?} -> {text:?}");
                let quit = matches!(
                    line.trim().to_lowercase().as_str(),
                    "/quit" | "/exit" | "/quit@studybot" | "/exit@studybot"
                );
                prop_assert_eq!(flow == Flow::Quit, quit);
                prop_assert!(quit || !line.trim().is_empty() || text.is_empty());
                prop_assert!(quit || line.trim().is_empty() || !text.is_empty(), "{:?} said nothing", line);
            }
            Ok(())
        })?;
    }
}

#[test]
fn the_report_button_takes_the_next_line_as_the_report() {
    let stdout = chat(&[], "/ask\n1\n6\n\n答案漏了数据并行。\n");
    assert!(stdout.contains("[6] 报告问题"), "{stdout}");
    assert!(stdout.contains("有什么问题？请回复这条消息"), "{stdout}");
    assert!(
        stdout.contains("谢谢！你的报告已记下，维护者会看到。"),
        "{stdout}"
    );
}
