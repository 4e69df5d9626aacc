//! `studybot import` and `studybot export` as a person runs them: partial
//! imports with a file:line report, --strict, refusals that protect files,
//! several documents at once, encodings, and export → import.

use std::path::Path;
use std::process::Output;

use studybot::bank::Bank;

fn studybot(args: &[&str], dir: &Path) -> Output {
    crate::support::studybot(args, dir)
        .output()
        .expect("runs studybot")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) {
    std::fs::write(dir.join(name), bytes).expect("write");
}

/// A document with `good` answered and `bad` unanswered numbered questions.
fn document(good: usize, bad: usize) -> String {
    let mut text = String::from("# Networking\n");
    for n in 1..=good {
        text.push_str(&format!(
            "\n## {n}. What is protocol {n}?\n\nProtocol {n} moves packets.\n"
        ));
    }
    for n in 1..=bad {
        text.push_str(&format!("\n## {}. What is the unanswered {n}?\n", good + n));
    }
    text
}

#[test]
fn a_partial_import_writes_what_works_and_reports_the_rest_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "net.md", document(2, 25));
    let out = studybot(&["import", "net.md", "-o", "net.yaml"], dir.path());
    let report = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{report}");
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(lines.len(), 22, "{report}");
    assert_eq!(
        lines[0],
        "net.md:11: “What is the unanswered 1?”: no answer (a question needs one)"
    );
    assert!(
        lines[..20].iter().all(|l| l.starts_with("net.md:")),
        "{report}"
    );
    assert_eq!(lines[20], "…and 5 more");
    assert_eq!(
        lines[21],
        "net.md: 2 questions imported, 25 sections skipped, 0 tags → net.yaml"
    );
    let bank = Bank::load(dir.path()).expect("the written deck checks");
    assert_eq!(bank.len(), 2);
    assert_eq!(bank.decks()[0].title, "Networking");
}

#[test]
fn strict_writes_nothing_when_a_section_is_skipped() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "net.md", document(2, 1));
    let out = studybot(
        &["import", "net.md", "--strict", "-o", "net.yaml"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("net.md: 1 section skipped; with --strict nothing is written"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("net.yaml").exists());
    assert_eq!(
        std::fs::read_dir(dir.path()).expect("list").count(),
        1,
        "no temporary file left"
    );
}

#[test]
fn nothing_found_says_what_the_document_has_and_what_is_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "notes.md",
        "Some notes.\n\n1. a list item\n2. another\n\n## Setup\n\nText.\n",
    );
    let out = studybot(&["import", "notes.md"], dir.path());
    let report = stderr(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(
        report.contains(
            "notes.md: no questions found: it has 1 heading (none numbered or ending in ?)"
        ),
        "{report}"
    );
    assert!(
        report.contains("<details><summary>"),
        "the shapes read are listed: {report}"
    );
}

#[test]
fn the_input_and_an_existing_output_are_never_overwritten_without_force() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "net.md", document(1, 0));
    let out = studybot(&["import", "net.md", "-o", "./net.md"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("refusing to write over the document itself"),
        "{}",
        stderr(&out)
    );
    write(dir.path(), "net.yaml", "keep me");
    let out = studybot(&["import", "net.md", "-o", "net.yaml"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("net.yaml exists; pass --force to replace it"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("net.yaml")).expect("read"),
        "keep me"
    );
    let out = studybot(
        &["import", "net.md", "-o", "net.yaml", "--force"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        std::fs::read_to_string(dir.path().join("net.yaml"))
            .expect("read")
            .starts_with("deck: net\n")
    );
}

#[test]
fn several_documents_make_one_deck_each_in_a_directory() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "a.md", document(1, 0));
    write(dir.path(), "b.md", document(2, 0));
    std::fs::create_dir(dir.path().join("content")).expect("mkdir");
    let refused = studybot(&["import", "a.md", "b.md"], dir.path());
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("pass -o DIR"),
        "{}",
        stderr(&refused)
    );
    let out = studybot(&["import", "a.md", "b.md", "-o", "content"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let bank = Bank::load(&dir.path().join("content")).expect("both decks check");
    let decks: Vec<&str> = bank.decks().iter().map(|d| d.id.as_str()).collect();
    assert_eq!(decks, ["a", "b"]);
    assert_eq!(bank.len(), 3, "the ids of the two decks do not collide");
}

#[test]
fn a_file_name_without_ascii_needs_a_deck_id() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "面试题.md", document(1, 0));
    let out = studybot(&["import", "面试题.md"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("面试题.md: cannot make a deck id from this file name"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("pass --deck ID"));
    let out = studybot(&["import", "面试题.md", "--deck", "mianshi"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("deck: mianshi\n"));
}

const CHINESE: &str = "### 网络面试题\n\n#### 1. 三次握手\n\n**题目：** TCP 为什么需要三次握手？\n\n**答案：** 为了确认双方的收发能力都正常，并同步初始序列号。\n\n**解析：** 两次握手无法防止已失效的连接请求突然到达。\n";

#[test]
fn gbk_and_utf16_documents_are_read_and_control_characters_dropped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(CHINESE);
    assert!(!unmappable);
    write(dir.path(), "gbk.md", &gbk);
    let out = studybot(&["import", "gbk.md"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("read as GB18030"), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("question: TCP 为什么需要三次握手？"));

    let mut utf16 = vec![0xFF, 0xFE];
    for unit in CHINESE
        .replace("三次握手？", "三次握手？\u{7}\u{1b}")
        .encode_utf16()
    {
        utf16.extend(unit.to_le_bytes());
    }
    write(dir.path(), "utf16.md", utf16);
    let out = studybot(&["import", "utf16.md"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("2 control characters dropped"),
        "{}",
        stderr(&out)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("question: TCP 为什么需要三次握手？\n"));
}

#[test]
fn bytes_in_no_encoding_i_read_are_an_error_with_the_offset() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "latin1.md",
        b"# Caf\xe9\n\n## 1. Qu'est-ce qu'un r\xe9seau ?\n\nUn ensemble de machines reli\xe9es.\n",
    );
    let out = studybot(&["import", "latin1.md"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("latin1.md: not UTF-8: byte 0xE9 at byte offset 5 is invalid"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn export_then_import_gives_back_the_shipped_deck() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let content = Bank::load(&repo.join("content")).expect("content loads");
    let dir = tempfile::tempdir().expect("temp dir");
    let content_dir = repo.join("content");
    let content_arg = content_dir.to_str().expect("utf-8 path");
    let out = studybot(
        &[
            "export",
            "llm-startup",
            "--content",
            content_arg,
            "-o",
            "deck.md",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let markdown = std::fs::read_to_string(dir.path().join("deck.md")).expect("written");
    assert!(
        markdown.starts_with("# 大模型创业的希望与未来"),
        "{markdown}"
    );
    assert!(markdown.contains("\n**题目：** "), "the seed's labels");
    let again = studybot(
        &[
            "export",
            "llm-startup",
            "--content",
            content_arg,
            "-o",
            "deck.md",
        ],
        dir.path(),
    );
    assert_eq!(
        again.status.code(),
        Some(1),
        "an existing file needs --force"
    );
    std::fs::create_dir(dir.path().join("decks")).expect("mkdir");
    let out = studybot(
        &["import", "deck.md", "--deck", "llm-startup", "-o", "decks"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let back = Bank::load(&dir.path().join("decks")).expect("the imported deck checks");
    assert_eq!(back.decks()[0].title, content.decks()[0].title);
    assert_eq!(back.questions(), content.questions());
    let unknown = studybot(&["export", "nope", "--content", content_arg], dir.path());
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        stderr(&unknown).contains("no deck `nope`; the decks are: llm-startup"),
        "{}",
        stderr(&unknown)
    );
}
