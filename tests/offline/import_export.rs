//! `export` then `import` gives back the same deck: the same ids, titles,
//! text and tags, whatever the text holds (code fences with headings and
//! labels in them, lists, bold, Chinese), through the bank's YAML too.

use std::path::PathBuf;

use proptest::prelude::*;
use studybot::bank::Bank;
use studybot::import::{
    ImportOptions, ImportedDeck, ImportedQuestion, deck_from_bank, import_markdown, to_markdown,
    to_yaml,
};

fn word() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "cache",
        "latency",
        "`git log`",
        "**bold**",
        "*italic*",
        "缓存",
        "一致性",
        "模型",
        "[link](https://example.com)",
        "why?",
        "100%",
        "x_y",
        "C#",
        "a:b",
        "答案",
        "Answer",
    ])
    .prop_map(str::to_owned)
}

fn sentence() -> impl Strategy<Value = String> {
    prop::collection::vec(word(), 1..8).prop_map(|words| format!("Note {}", words.join(" ")))
}

/// A paragraph, a list, or a code fence whose lines look like structure.
fn block() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => sentence(),
        2 => prop::collection::vec(sentence(), 1..4)
            .prop_map(|items| items.iter().map(|i| format!("- {i}")).collect::<Vec<_>>().join("\n")),
        1 => prop::collection::vec(prop::sample::select(vec![
            "#### 2. not a question", "**答案：** not a label", "<details>", "  indented();", "---",
        ]), 1..4)
            .prop_map(|lines| format!("```text\n{}\n```", lines.join("\n"))),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(block(), 1..4).prop_map(|blocks| blocks.join("\n\n"))
}

fn tag() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["training", "cache-2", "概述", "git", "a1"]).prop_map(str::to_owned)
}

fn question(n: usize) -> impl Strategy<Value = ImportedQuestion> {
    (
        sentence(),
        prop::collection::btree_set(tag(), 0..3),
        prop_oneof![sentence(), text()],
        text(),
        prop::option::of(text()),
    )
        .prop_map(
            move |(title, tags, question, answer, analysis)| ImportedQuestion {
                id: format!("q-{n}"),
                title,
                tags: tags.into_iter().collect(),
                question,
                answer,
                analysis,
                quiz: None,
                image: None,
            },
        )
}

fn deck() -> impl Strategy<Value = ImportedDeck> {
    (
        1usize..6,
        prop::sample::select(vec!["zh", "en"]),
        sentence(),
    )
        .prop_flat_map(|(n, language, title)| {
            let questions: Vec<_> = (0..n).map(question).collect();
            (questions, Just(language), Just(title))
        })
        .prop_map(|(questions, language, title)| ImportedDeck {
            deck: "d".into(),
            title,
            language: language.to_owned(),
            questions,
        })
}

fn reimport(markdown: &str) -> ImportedDeck {
    let options = ImportOptions {
        deck: "d".into(),
        title: None,
        fallback_title: "fallback".into(),
        reserved_ids: Default::default(),
    };
    import_markdown(markdown, &options).deck
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn export_then_import_keeps_ids_text_and_tags(deck in deck()) {
        let markdown = to_markdown(&deck);
        let back = reimport(&markdown);
        prop_assert_eq!(&back.title, &deck.title, "{}", markdown);
        prop_assert_eq!(&back.questions, &deck.questions, "{}", markdown);
    }

    #[test]
    fn a_bank_deck_survives_export_and_import(deck in deck()) {
        let bank = Bank::from_sources(vec![(PathBuf::from("d.yaml"), to_yaml(&deck))])
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let exported = deck_from_bank(&bank, "d").expect("the deck is in the bank");
        prop_assert_eq!(&exported.questions, &deck.questions);
        let back = reimport(&to_markdown(&exported));
        prop_assert_eq!(&back.questions, &deck.questions);
    }
}

/// A quiz deck as the bank loads it: exported and imported again, every
/// question keeps its choices, right choice and explanation, and its
/// answer and analysis word for word.
#[test]
fn a_quiz_deck_survives_export_and_import() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("content-quiz");
    let bank = Bank::load(&dir).expect("the example quiz deck loads");
    let id = bank.decks()[0].id.clone();
    let exported = deck_from_bank(&bank, &id).expect("the deck is in the bank");
    assert!(exported.questions.iter().all(|q| q.quiz.is_some()));
    let markdown = to_markdown(&exported);
    let back = reimport(&markdown);
    assert_eq!(back.questions, exported.questions, "{markdown}");
}

/// An explanation holding what would end a comment field or the comment.
#[test]
fn an_explanation_with_bars_and_arrows_comes_back() {
    let quiz = studybot::bank::Quiz {
        choices: vec!["one".into(), "two".into()],
        correct: 1,
        explanation: Some("a | b --> c \"quoted\"".into()),
    };
    let deck = ImportedDeck {
        deck: "d".into(),
        title: "T".into(),
        language: "en".into(),
        questions: vec![ImportedQuestion {
            id: "q".into(),
            title: "Q".into(),
            tags: vec![],
            question: "Which?".into(),
            answer: "Two.".into(),
            analysis: Some("Because.".into()),
            quiz: Some(quiz),
            image: None,
        }],
    };
    let markdown = to_markdown(&deck);
    assert_eq!(reimport(&markdown).questions, deck.questions, "{markdown}");
}
