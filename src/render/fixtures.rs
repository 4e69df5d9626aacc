//! The seed deck, the quiz deck and a fixed corpus of awkward Markdown, rendered in every
//! format and compared byte for byte with files captured from the renderers of commit
//! 76e4f4b (two walkers, before they became one walker with flavours). A difference means
//! the output changed: if that is meant, rewrite the files with
//! `STUDYBOT_BLESS_RENDER=1 cargo test --lib render::fixtures` and review the diff.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::bank::Bank;
use crate::post::{Block, Post};

/// Pieces of Markdown the property tests use (Telegram's and Discord's, merged).
const PIECES: &[&str] = &[
    "alpha",
    "b",
    "word",
    "xy",
    "大模型",
    "训练",
    "计算资源需求：",
    "，",
    "。",
    "😀",
    "e\u{301}",
    "@everyone",
    "<@123>",
    " ",
    " ",
    " ",
    "**",
    "*",
    "_",
    "__",
    "`",
    "``",
    "~~",
    "||",
    "- ",
    "  - ",
    "    - ",
    "1. ",
    "2. ",
    "> ",
    "# ",
    "## ",
    "```",
    "```rust\n",
    "\n",
    "\n",
    "\n",
    "\n\n",
    "\n\n",
    "<",
    ">",
    "&",
    "&amp;",
    "<b>",
    "</i>",
    "<script>",
    "<div>\n",
    "\"",
    "[",
    "]",
    "(",
    ")",
    "\\",
    "---\n",
    "#",
    "[a](http://x)",
    "[b](javascript:x)",
    "[c](https://e.x/a b)",
    "<x@y.example>",
    "![alt](p.png)",
    "<https://y.example>",
    "\t",
    "    code\n",
    "~~~\n",
];

/// Deterministic pseudo-random Markdown (xorshift), so the corpus is the same every run.
fn corpus(cases: usize) -> Vec<String> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..cases)
        .map(|_| {
            let pieces = next() % 40;
            let mut text = String::new();
            for _ in 0..pieces {
                match next() % 80 {
                    0 => text.push_str(&"x".repeat((next() % 300) as usize + 1)),
                    1 => text.push_str(&"字".repeat((next() % 200) as usize + 1)),
                    _ => text.push_str(PIECES[(next() % PIECES.len() as u64) as usize]),
                }
            }
            text
        })
        .collect()
}

/// Every piece of bank Markdown in the two shipped decks, labelled.
fn bank_markdown() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cases = Vec::new();
    for dir in ["content", "content-quiz"] {
        let bank = Bank::load(&root.join(dir)).unwrap_or_else(|errors| panic!("{dir}: {errors}"));
        for question in bank.questions() {
            let id = &question.id;
            cases.push((format!("{id} question"), question.question.clone()));
            cases.push((format!("{id} answer"), question.answer.clone()));
            if let Some(analysis) = &question.analysis {
                cases.push((format!("{id} analysis"), analysis.clone()));
            }
            if let Some(explanation) = question.quiz.as_ref().and_then(|q| q.explanation.clone()) {
                cases.push((format!("{id} explanation"), explanation));
            }
        }
    }
    cases
}

/// A reveal-like post: a heading, the Markdown, and a line of plain text.
fn post(markdown: &str) -> Post {
    Post::notice(vec![
        Block::Heading("Answer *1* <of> 2".to_string()),
        Block::Markdown(markdown.to_string()),
        Block::Text("- plain `text` & <more>\n".to_string()),
    ])
}

/// One case in every format, each output after a `--- format` line.
fn render_case(out: &mut String, label: &str, markdown: &str) {
    let _ = writeln!(out, "=== {label}");
    let post = post(markdown);
    let mut section = |name: &str, texts: Vec<String>| {
        let _ = writeln!(out, "--- {name}");
        for text in texts {
            let _ = writeln!(out, "{text}\n-");
        }
    };
    section("html", vec![super::markdown_to_html(markdown)]);
    section(
        "html split 120",
        super::split_html(&super::markdown_to_html(markdown), 120),
    );
    section("telegram post", super::telegram_html(&post));
    section("plain", vec![super::plain_text(&post, false)]);
    section("ansi", vec![super::plain_text(&post, true)]);
    section("discord", vec![super::markdown_to_discord(markdown)]);
    section(
        "discord split 500",
        super::split_discord_markdown(markdown, 500),
    );
    section("discord post", super::discord_messages(&post));
}

fn rendered(cases: &[(String, String)]) -> String {
    let mut out = String::new();
    for (label, markdown) in cases {
        render_case(&mut out, label, markdown);
    }
    out
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src/render/testdata")
        .join(name)
}

/// Compares with the captured file (or rewrites it when blessing).
fn assert_matches_fixture(name: &str, actual: &str) {
    let path = fixture(name);
    if std::env::var_os("STUDYBOT_BLESS_RENDER").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected =
        std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(e, a)| e != a)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        let context = |text: &str| {
            text.lines()
                .skip(line.saturating_sub(3))
                .take(6)
                .collect::<Vec<_>>()
                .join("\n")
        };
        panic!(
            "{name} differs from line {}:\nexpected:\n{}\nactual:\n{}",
            line + 1,
            context(&expected),
            context(actual)
        );
    }
}

#[test]
fn the_shipped_decks_render_as_before() {
    assert_matches_fixture("decks.txt", &rendered(&bank_markdown()));
}

#[test]
fn a_corpus_of_awkward_markdown_renders_as_before() {
    let cases: Vec<(String, String)> = corpus(300)
        .into_iter()
        .enumerate()
        .map(|(n, markdown)| (format!("case {n}: {markdown:?}"), markdown))
        .collect();
    assert_matches_fixture("corpus.txt", &rendered(&cases));
}
