//! The read-only bank API the engine codes against: lookups by id, deck and
//! tag, counts, load order, and the summary `check` prints.

use std::path::PathBuf;

use studybot::bank::Bank;

fn two_decks() -> Bank {
    let a = "deck: alpha\ntitle: Alpha deck\nlanguage: en\nquestions:\n  - id: a1\n    title: A one\n    tags: [training, startup]\n    question: Q?\n    answer: A.\n    analysis: Why.\n  - id: a2\n    title: A two\n    tags: [startup]\n    question: Q?\n    answer: A.\n    analysis: Why.\n";
    let b = "deck: beta\ntitle: Beta deck\nlanguage: zh\nquestions:\n- id: b1\n  title: 乙\n  question: 问？\n  answer: 答。\n  analysis: 析。\n";
    Bank::from_sources(vec![
        (PathBuf::from("a.yaml"), a.into()),
        (PathBuf::from("b.yaml"), b.into()),
    ])
    .expect("loads")
}

#[test]
fn lookups_by_id_deck_and_tag() {
    let bank = two_decks();
    assert_eq!(bank.len(), 3);
    assert!(!bank.is_empty());
    assert_eq!(bank.get("b1").map(|q| q.deck.as_str()), Some("beta"));
    assert_eq!(bank.get("nope"), None);
    let alpha = bank.deck("alpha").expect("alpha");
    assert_eq!(alpha.question_ids, ["a1", "a2"]);
    assert_eq!(alpha.path, PathBuf::from("a.yaml"));
    assert_eq!(bank.deck("beta").map(|d| d.language.as_str()), Some("zh"));
    let startup: Vec<&str> = bank
        .tagged("startup")
        .iter()
        .map(|q| q.id.as_str())
        .collect();
    assert_eq!(startup, ["a1", "a2"]);
    assert!(bank.tagged("unknown").is_empty());
    assert_eq!(
        bank.tags(),
        [("startup".to_owned(), 2), ("training".to_owned(), 1)]
    );
}

#[test]
fn questions_keep_load_order() {
    let bank = two_decks();
    let ids: Vec<&str> = bank.questions().iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids, ["a1", "a2", "b1"]);
    let decks: Vec<&str> = bank.decks().iter().map(|d| d.id.as_str()).collect();
    assert_eq!(decks, ["alpha", "beta"]);
}

#[test]
fn block_scalars_lose_only_their_final_newline() {
    let text = "deck: d\ntitle: T\nlanguage: en\nquestions:\n  - id: a\n    title: T\n    question: Q\n    answer: |\n      line one\n\n      - item\n        - nested\n\n    analysis: >\n      folded\n      text\n";
    let bank = Bank::from_sources(vec![("d.yaml".into(), text.into())]).expect("loads");
    let question = bank.get("a").expect("a");
    assert_eq!(question.answer, "line one\n\n- item\n  - nested");
    assert_eq!(question.analysis.as_deref(), Some("folded text"));
}

#[test]
fn the_summary_lists_decks_counts_and_tags() {
    let summary = two_decks().summary().to_string();
    assert_eq!(
        summary,
        "2 decks:\n  alpha  2 questions  Alpha deck\n  beta   1 question   Beta deck\n3 questions in all\n2 tags:\n  startup   2\n  training  1\n"
    );
}
