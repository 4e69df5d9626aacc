//! Whatever text a deck file holds, loading returns `Ok` or `Err`: it never
//! panics, and every error it reports names its file.

use std::path::PathBuf;

use proptest::prelude::*;
use studybot::bank::Bank;

const DECK: &str = include_str!("../../content/llm-startup.yaml");

/// Pieces of YAML that exercise the position scanner's corners.
const FRAGMENTS: &[&str] = &[
    "deck: d",
    "title: T",
    "language: en",
    "questions:",
    "- id: a",
    "  - id: b",
    "id: ",
    "tags: [x, Y]",
    "tags:",
    "- x",
    "answer: |",
    "answer: >-",
    "  text: not a key",
    "question: \"q: 1\"",
    "'k': v",
    "\"k\\\"\": v",
    "{a: b}",
    "[1, 2",
    "&anchor x",
    "*anchor",
    "? complex",
    ": v",
    "---",
    "...",
    "\t- tab",
    "# comment",
    "-",
    "- - nested",
    "k:v",
    "题目: 大",
    "  ",
    "!tag x",
    "|",
    "<<: *a",
    "- {id: q, title: t}",
    "analysis: 'it''s'",
    "\u{feff}deck: bom",
    "\r",
    "a: b # c",
    "- : x",
];

fn load(text: String) -> Result<Bank, studybot::bank::BankErrors> {
    Bank::from_sources(vec![(PathBuf::from("f.yaml"), text)])
}

fn check_never_panics(text: String) {
    if let Err(errors) = load(text) {
        assert!(!errors.0.is_empty());
        assert!(
            errors
                .0
                .iter()
                .all(|e| e.path == std::path::Path::new("f.yaml"))
        );
        assert!(errors.0.iter().all(|e| e.line.is_none_or(|line| line >= 1)));
    }
}

fn yamlish() -> impl Strategy<Value = String> {
    let line = (0usize..8, prop::sample::select(FRAGMENTS))
        .prop_map(|(indent, piece)| format!("{}{piece}", " ".repeat(indent)));
    prop::collection::vec(line, 0..40).prop_map(|lines| lines.join("\n"))
}

/// The real deck with a few characters deleted or inserted.
fn mutated_deck() -> impl Strategy<Value = String> {
    let edit = (
        any::<prop::sample::Index>(),
        0usize..6,
        prop::sample::select(&[" ", "\n", "-", ":", "\"", "|", "大", "  - id: x\n", ""][..]),
    );
    prop::collection::vec(edit, 1..6).prop_map(|edits| {
        let mut chars: Vec<char> = DECK.chars().collect();
        for (at, delete, insert) in edits {
            let start = at.index(chars.len() + 1);
            let end = (start + delete).min(chars.len());
            chars.splice(start..end, insert.chars());
        }
        chars.into_iter().collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        check_never_panics(text);
    }

    #[test]
    fn yaml_like_text_never_panics(text in yamlish()) {
        check_never_panics(text);
    }

    #[test]
    fn a_damaged_deck_never_panics(text in mutated_deck()) {
        check_never_panics(text);
    }
}

#[test]
fn the_real_deck_loads_unmutated() {
    assert_eq!(load(DECK.to_owned()).map(|bank| bank.len()).ok(), Some(8));
}
