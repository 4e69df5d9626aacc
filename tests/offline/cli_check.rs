//! `studybot check`: a summary and exit 0 for a good bank; every error as
//! `file:line:column: message` on stderr and exit 1 for a bad one.

use std::io::Write;
use std::path::Path;
use std::process::Stdio;

use crate::support::{outcome, studybot};

fn deck(deck: &str, ids: &[&str]) -> String {
    let mut text = format!("deck: {deck}\ntitle: {deck}\nlanguage: en\nquestions:\n");
    for id in ids {
        text.push_str(&format!(
            "  - id: {id}\n    title: T\n    question: Q\n    answer: A\n    analysis: B\n"
        ));
    }
    text
}

#[test]
fn the_real_content_checks_clean() {
    let (code, stdout, stderr) = outcome(&mut studybot(
        ["check", "content"],
        Path::new(env!("CARGO_MANIFEST_DIR")),
    ));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.starts_with("1 deck:\n  llm-startup  8 questions  大模型创业的希望与未来"),
        "{stdout}"
    );
    assert!(stdout.contains("\n8 questions in all\n"), "{stdout}");
    assert!(stdout.contains("\n  startup          4\n"), "{stdout}");
}

#[test]
fn the_directory_defaults_to_studybot_content_then_content() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("content")).expect("mkdir");
    std::fs::write(dir.path().join("content/a.yaml"), deck("a", &["x"])).expect("write");
    std::fs::create_dir(dir.path().join("other")).expect("mkdir");
    std::fs::write(dir.path().join("other/b.yaml"), deck("b", &["y", "z"])).expect("write");
    let (code, stdout, _) = outcome(&mut studybot(["check"], dir.path()));
    assert_eq!(
        (code, stdout.contains("1 question in all")),
        (Some(0), true),
        "{stdout}"
    );
    let (code, stdout, _) =
        outcome(studybot(["check"], dir.path()).env("STUDYBOT_CONTENT", "other"));
    assert_eq!(
        (code, stdout.contains("2 questions in all")),
        (Some(0), true),
        "{stdout}"
    );
}

#[test]
fn a_bad_bank_lists_every_error_and_exits_1() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("a.yaml"), deck("a", &["shared", "x"])).expect("write");
    std::fs::write(dir.path().join("b.yaml"), deck("b", &["y", "shared"])).expect("write");
    std::fs::write(
        dir.path().join("c.yaml"),
        "deck: c\ntitle: \"unterminated\nlanguage: en\n",
    )
    .expect("write");
    let (code, stdout, stderr) = outcome(&mut studybot(["check", "."], dir.path()));
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    assert!(stdout.is_empty(), "no summary for a bad bank: {stdout}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{stderr}");
    assert_eq!(
        lines[0],
        "./b.yaml:10:9: duplicate question id `shared` (first defined at ./a.yaml:5:9)"
    );
    assert!(
        lines[1].starts_with("./c.yaml:4:1: YAML syntax error: "),
        "{stderr}"
    );
    assert_eq!(lines[2], "2 errors in the bank");
}

#[test]
fn a_missing_directory_says_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, _, stderr) = outcome(&mut studybot(["check"], dir.path()));
    assert_eq!(code, Some(1));
    assert_eq!(stderr, "content: no such directory\n1 error in the bank\n");
}

#[test]
fn a_dash_reads_one_deck_from_stdin() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut child = studybot(["check", "-"], dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let text = deck("piped", &["x"]).replace("title: T", "title: T\n    extra: 1");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(text.as_bytes())
        .expect("write stdin");
    let output = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.starts_with("<stdin>:7:5: unknown key `extra`"),
        "{stderr}"
    );
}
