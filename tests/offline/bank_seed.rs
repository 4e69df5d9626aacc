//! The first deck is the seed, word for word: every question, answer and
//! analysis line of the seed (`tests/fixtures/seed/`) stands in
//! `content/llm-startup.yaml`, in the seed's order, under the seed's titles.

use std::path::PathBuf;

use crate::support::seed;
use studybot::bank::Bank;

/// One `#### N. Title` section of the seed, read independently of the
/// importer (so the importer is not checked against itself).
#[derive(Debug)]
struct SeedSection {
    title: String,
    question: String,
    answer: String,
    analysis: String,
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn seed_sections(text: &str) -> Vec<SeedSection> {
    let mut sections = Vec::new();
    for chunk in text.split("\n#### ").skip(1) {
        let (heading, body) = chunk.split_once('\n').expect("a heading line");
        let (number, title) = heading.split_once(". ").expect("an `N. Title` heading");
        assert_eq!(number.parse::<usize>().ok(), Some(sections.len() + 1));
        let after_question = body.split_once("**题目：** ").expect("a 题目 label").1;
        let (question, rest) = after_question
            .split_once("**答案：**")
            .expect("an 答案 label");
        let (answer, analysis) = rest.split_once("**解析：** ").expect("a 解析 label");
        sections.push(SeedSection {
            title: title.trim().to_owned(),
            question: question.trim().to_owned(),
            answer: answer.trim().to_owned(),
            analysis: analysis.trim().to_owned(),
        });
    }
    sections
}

fn non_empty_lines(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .collect()
}

fn deck_bank() -> Bank {
    Bank::load(&manifest_dir().join("content"))
        .unwrap_or_else(|errors| panic!("content/ does not load:\n{errors}"))
}

#[test]
fn the_deck_holds_the_seed_word_for_word() {
    let seed = seed_sections(&seed());
    assert_eq!(seed.len(), 8, "the seed has eight questions");
    let bank = deck_bank();
    let deck = bank.deck("llm-startup").expect("the llm-startup deck");
    assert_eq!(
        deck.path,
        manifest_dir().join("content").join("llm-startup.yaml")
    );
    assert_eq!(deck.question_ids.len(), 8);
    for (n, (section, id)) in seed.iter().zip(&deck.question_ids).enumerate() {
        let question = bank.get(id).expect("every listed id resolves");
        assert_eq!(question.title, section.title, "title of question {}", n + 1);
        for (field, deck_text, seed_text) in [
            ("question", &question.question, &section.question),
            ("answer", &question.answer, &section.answer),
            (
                "analysis",
                question.analysis.as_ref().expect("the seed has analyses"),
                &section.analysis,
            ),
        ] {
            assert_eq!(
                non_empty_lines(deck_text),
                non_empty_lines(seed_text),
                "{field} of question {} ({id}): every non-empty seed line, in order",
                n + 1
            );
            assert_eq!(
                deck_text,
                seed_text,
                "{field} of question {} ({id}), blank lines too",
                n + 1
            );
        }
    }
}

#[test]
fn the_nested_lists_of_question_eight_keep_their_indentation() {
    let bank = deck_bank();
    let question = bank
        .get("startup-challenges-opportunities")
        .expect("question 8");
    assert!(
        question
            .answer
            .contains("\n- **挑战：**\n  - 计算资源需求高：")
    );
    assert!(
        question
            .answer
            .contains("\n\n- **机遇：**\n  - 商业化潜力大：")
    );
}

#[test]
fn the_deck_header_matches_the_seed_title() {
    let text = seed();
    let title = text
        .lines()
        .find_map(|line| line.strip_prefix("### "))
        .expect("a ### title line");
    let bank = deck_bank();
    let deck = &bank.decks()[0];
    assert_eq!(deck.title, title.trim());
    assert_eq!(deck.language, "zh");
    assert_eq!(bank.len(), 8);
}

#[test]
fn ids_are_stable_english_and_every_question_is_tagged() {
    let bank = deck_bank();
    let ids: Vec<&str> = bank.questions().iter().map(|q| q.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "training-challenges",
            "training-efficiency",
            "overfitting",
            "model-selection",
            "startup-difficulties",
            "startup-future",
            "startup-advice",
            "startup-challenges-opportunities"
        ]
    );
    assert!(
        bank.questions()
            .iter()
            .all(|q| !q.tags.is_empty() && q.deck == "llm-startup")
    );
}
