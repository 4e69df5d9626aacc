//! Answer-only questions (no `analysis`): the reveal shows the answer alone,
//! with no empty 解析 heading, in Telegram HTML, at the console and in
//! `studybot preview`; `check` still wants an answer.

use std::path::{Path, PathBuf};

use studybot::bank::Bank;
use studybot::render;
use studybot::study::{self, Lang};

const DECK: &str = "deck: short\ntitle: 短答\nlanguage: zh\nquestions:\n  - id: only-answer\n    title: 只有答案\n    question: 什么是所有权？\n    answer: 每个值只有一个所有者。\n  - id: with-analysis\n    title: 有解析\n    question: 为什么？\n    answer: 因为。\n    analysis: 解释如下。\n";

fn bank() -> Bank {
    Bank::from_sources(vec![(PathBuf::from("short.yaml"), DECK.to_owned())])
        .unwrap_or_else(|errors| panic!("{errors}"))
}

#[test]
fn a_reveal_without_analysis_has_no_analysis_heading_anywhere() {
    let bank = bank();
    let question = bank.get("only-answer").expect("loaded");
    for lang in [Lang::Zh, Lang::En] {
        let post = study::reveal_post(question, lang, None);
        let heading = study_analysis_heading(lang);
        let html = render::telegram_html(&post).concat();
        let plain = render::plain_text(&post, false);
        for shown in [&html, &plain] {
            assert!(shown.contains("每个值只有一个所有者。"), "{shown}");
            assert!(!shown.contains(heading), "no {heading} in {shown}");
        }
    }
    let full = study::reveal_post(bank.get("with-analysis").expect("loaded"), Lang::Zh, None);
    let plain = render::plain_text(&full, false);
    assert!(
        plain.contains("解析") && plain.contains("解释如下。"),
        "{plain}"
    );
}

fn study_analysis_heading(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "解析",
        Lang::En => "Analysis",
    }
}

fn studybot(args: &[&str], dir: &Path) -> std::process::Output {
    crate::support::studybot(args, dir)
        .output()
        .expect("runs studybot")
}

#[test]
fn preview_and_check_accept_an_answer_only_deck() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("short.yaml"), DECK).expect("write");
    let out = studybot(
        &["preview", "only-answer", "--answer", "--content", "."],
        dir.path(),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("每个值只有一个所有者。"), "{stdout}");
    assert!(!stdout.contains("解析"), "{stdout}");
    let checked = studybot(&["check", "."], dir.path());
    assert!(checked.status.success());
    let no_answer = DECK.replace("    answer: 每个值只有一个所有者。\n", "");
    std::fs::write(dir.path().join("short.yaml"), no_answer).expect("write");
    let checked = studybot(&["check", "."], dir.path());
    assert_eq!(checked.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&checked.stderr);
    assert!(stderr.contains("missing required key `answer`"), "{stderr}");
}
