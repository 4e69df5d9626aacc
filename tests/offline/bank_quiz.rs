//! Multiple-choice questions: `choices`, `correct` and `explanation` load
//! into a quiz, and every way they can break Telegram's quiz-poll limits is
//! reported at the line and column to edit.

use std::path::{Path, PathBuf};

use studybot::bank::{Bank, BankError};

/// A one-question deck whose question ends with `extra` (indented lines).
fn deck(extra: &str) -> String {
    format!(
        "deck: d\ntitle: D\nlanguage: en\nquestions:\n  - id: a\n    title: A\n    question: Which?\n    answer: That one.\n{extra}"
    )
}

fn load(text: &str) -> Result<Bank, Vec<BankError>> {
    Bank::from_sources(vec![(PathBuf::from("d.yaml"), text.to_string())]).map_err(|e| e.0)
}

fn only_error(text: &str) -> String {
    let errors = load(text).expect_err("the deck should not load");
    assert_eq!(errors.len(), 1, "{errors:#?}");
    errors[0].to_string()
}

const CHOICES: &str = "    choices:\n      - red\n      - green\n      - blue\n";

#[test]
fn choices_with_a_correct_text_or_number_load() {
    for correct in ["green", "2", "\"2\""] {
        let bank = load(&deck(&format!("{CHOICES}    correct: {correct}\n"))).expect("loads");
        let quiz = bank.get("a").and_then(|q| q.quiz.clone()).expect("a quiz");
        assert_eq!(quiz.choices, ["red", "green", "blue"]);
        assert_eq!(quiz.correct, 1, "correct: {correct}");
        assert_eq!(quiz.explanation, None);
    }
    let flow = deck("    choices: [yes, no]\n    correct: no\n    explanation: Because.\n");
    let quiz = load(&flow).expect("loads").get("a").unwrap().quiz.clone();
    let quiz = quiz.expect("a quiz");
    assert_eq!(
        (quiz.correct, quiz.explanation.as_deref()),
        (1, Some("Because."))
    );
    assert_eq!(load(&deck("")).expect("loads").get("a").unwrap().quiz, None);
}

#[test]
fn a_correct_that_names_no_choice_is_reported_at_its_value() {
    let error = only_error(&deck(&format!("{CHOICES}    correct: purple\n")));
    assert!(
        error.starts_with("d.yaml:13:14: `correct` is `purple`, which is none of the choices"),
        "{error}"
    );
    let error = only_error(&deck(&format!("{CHOICES}    correct: 4\n")));
    assert_eq!(
        error,
        "d.yaml:13:14: `correct` is 4: use the number of a choice, from 1 to 3"
    );
    let error = only_error(&deck(&format!("{CHOICES}    correct: 0\n")));
    assert!(error.starts_with("d.yaml:13:14: `correct` is 0"), "{error}");
}

#[test]
fn choices_need_a_correct_and_the_other_way_round() {
    let error = only_error(&deck(CHOICES));
    assert!(
        error.starts_with("d.yaml:9:5: `choices` needs `correct`"),
        "{error}"
    );
    let error = only_error(&deck("    correct: 1\n"));
    assert_eq!(
        error,
        "d.yaml:9:5: `correct` belongs to a question with `choices`"
    );
    let error = only_error(&deck("    explanation: Why.\n"));
    assert_eq!(
        error,
        "d.yaml:9:5: `explanation` belongs to a question with `choices`"
    );
}

#[test]
fn the_number_of_choices_is_two_to_ten() {
    let error = only_error(&deck("    choices:\n      - alone\n    correct: 1\n"));
    assert_eq!(
        error,
        "d.yaml:9:5: `choices` has 1 options; a quiz takes 2 to 10"
    );
    let eleven: String = (1..=11).map(|n| format!("      - option {n}\n")).collect();
    let error = only_error(&deck(&format!("    choices:\n{eleven}    correct: 1\n")));
    assert_eq!(
        error,
        "d.yaml:9:5: `choices` has 11 options; a quiz takes 2 to 10"
    );
    let error = only_error(&deck("    choices: oops\n    correct: 1\n"));
    assert_eq!(
        error,
        "d.yaml:9:14: `choices` must be a list of options, found text"
    );
}

#[test]
fn each_choice_is_short_one_line_and_unique() {
    let long = "x".repeat(101);
    let text = deck(&format!(
        "    choices:\n      - ok\n      - {long}\n      - ok\n      - \"\"\n      - [nested]\n    correct: 1\n"
    ));
    let errors: Vec<String> = load(&text)
        .expect_err("errors")
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        errors,
        [
            "d.yaml:11:9: a choice is 101 characters long; a quiz allows 100",
            "d.yaml:12:9: duplicate choice `ok`",
            "d.yaml:13:9: a choice is empty",
            "d.yaml:14:9: a choice must be text, found a list",
        ]
    );
    // Exactly 100 characters (code points, not bytes) is fine.
    let hundred = "题".repeat(100);
    let text = deck(&format!("    choices: [{hundred}, b]\n    correct: b\n"));
    assert!(load(&text).is_ok());
    let error = only_error(&deck("    choices: [a, b, a]\n    correct: b\n"));
    assert!(error.starts_with("d.yaml:9:"), "{error}");
    assert!(error.ends_with(": duplicate choice `a`"), "{error}");
}

#[test]
fn an_explanation_fits_a_quiz() {
    let long = "y".repeat(201);
    let error = only_error(&deck(&format!(
        "{CHOICES}    correct: 1\n    explanation: {long}\n"
    )));
    assert_eq!(
        error,
        "d.yaml:14:18: `explanation` is 201 characters long; a quiz allows 200"
    );
    let lines = "    explanation: |\n      one\n      two\n      three\n      four\n";
    let error = only_error(&deck(&format!("{CHOICES}    correct: 1\n{lines}")));
    assert_eq!(
        error,
        "d.yaml:14:18: `explanation` has 3 line breaks; a quiz allows 2"
    );
    let lines = "    explanation: |\n      one\n      two\n      three\n";
    assert!(load(&deck(&format!("{CHOICES}    correct: 1\n{lines}"))).is_ok());
}

#[test]
fn the_example_quiz_deck_loads_and_the_seed_has_no_choices() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let quiz = Bank::load(&root.join("content-quiz")).unwrap_or_else(|e| panic!("{e}"));
    assert!(quiz.len() >= 4);
    assert!(quiz.questions().iter().all(|q| q.quiz.is_some()));
    let seed = Bank::load(&root.join("content")).unwrap_or_else(|e| panic!("{e}"));
    assert!(seed.questions().iter().all(|q| q.quiz.is_none()));
}
