//! `studybot import`: the seed document becomes the same deck as
//! `content/llm-startup.yaml` (ids aside), the YAML it writes reads back to
//! the same text, and a broken section is reported without writing a file.

use std::path::{Path, PathBuf};

use crate::support::{seed, seed_path};
use proptest::prelude::*;
use studybot::bank::Bank;
use studybot::import::{ImportOptions, ImportedDeck, ImportedQuestion, import_markdown, to_yaml};

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn options(deck: &str) -> ImportOptions {
    ImportOptions {
        deck: deck.to_owned(),
        title: None,
        fallback_title: "Fallback".to_owned(),
        reserved_ids: Default::default(),
    }
}

fn bank_of(yaml: String) -> Bank {
    Bank::from_sources(vec![(PathBuf::from("imported.yaml"), yaml)])
        .unwrap_or_else(|errors| panic!("{errors}"))
}

#[test]
fn the_seed_imports_as_the_content_deck() {
    let imported = import_markdown(&seed(), &options("llm-startup")).deck;
    let content = Bank::load(&manifest_dir().join("content")).expect("content loads");
    let deck = &content.decks()[0];
    assert_eq!(imported.title, deck.title);
    assert_eq!(imported.language, "zh");
    assert_eq!(imported.questions.len(), content.len());
    for (new, old) in imported.questions.iter().zip(content.questions()) {
        assert_eq!(new.title, old.title);
        assert_eq!(new.question, old.question, "question of {}", old.id);
        assert_eq!(new.answer, old.answer, "answer of {}", old.id);
        assert_eq!(new.analysis, old.analysis, "analysis of {}", old.id);
    }
    let ids: Vec<&str> = imported.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(
        ids,
        ["q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8"],
        "CJK titles have no ASCII slug"
    );
}

#[test]
fn the_imported_seed_round_trips_through_yaml() {
    let imported = import_markdown(&seed(), &options("llm-startup")).deck;
    let yaml = to_yaml(&imported);
    assert!(
        yaml.contains(
            "    answer: |-\n      大模型训练中常见的技术挑战包括：\n\n      - **计算资源需求：**"
        ),
        "block scalars:\n{yaml}"
    );
    let bank = bank_of(yaml);
    for (question, original) in bank.questions().iter().zip(&imported.questions) {
        assert_eq!(question.id, original.id);
        assert_eq!(
            (
                &question.title,
                &question.question,
                &question.answer,
                &question.analysis
            ),
            (
                &original.title,
                &original.question,
                &original.answer,
                &original.analysis
            )
        );
    }
}

#[test]
fn english_labels_ascii_colons_slugs_and_duplicates() {
    let text = "# Rust interview\n\n#### 1. What is ownership?\n\n**Question:** Explain ownership.\n\n**Answer:**\n\nEach value has one owner.\n\n**Analysis:** It frees memory.\nWithout a GC.\n\n#### 2) What is ownership?\n**question:** Again?\n**Answer:** Yes.\n**Analysis:** Twice.\n\n#### 3、所有权\n**题目:** 什么是所有权？\n**答案**：每个值有一个所有者。\n**解析:** 见上。\n";
    let imported = import_markdown(text, &options("rust"));
    assert!(imported.skipped.is_empty(), "{:?}", imported.skipped);
    let deck = imported.deck;
    assert_eq!(deck.title, "Rust interview");
    assert_eq!(deck.language, "en", "two of three questions are English");
    let ids: Vec<&str> = deck.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids, ["what-is-ownership", "what-is-ownership-2", "q3"]);
    assert_eq!(deck.questions[0].answer, "Each value has one owner.");
    assert_eq!(
        deck.questions[0].analysis.as_deref(),
        Some("It frees memory.\nWithout a GC.")
    );
    assert_eq!(deck.questions[2].title, "所有权");
    assert_eq!(deck.questions[2].answer, "每个值有一个所有者。");
    bank_of(to_yaml(&deck));
}

#[test]
fn without_a_title_heading_the_title_is_given_or_the_fallback() {
    let text = "#### 1. Ownership\n**Question:** Q?\n**Answer:** A.\n**Analysis:** B.\n";
    let mut opts = options("rust");
    assert_eq!(import_markdown(text, &opts).deck.title, "Fallback");
    opts.title = Some("Given: a title".to_owned());
    let deck = import_markdown(text, &opts).deck;
    assert_eq!(deck.language, "en");
    assert_eq!(bank_of(to_yaml(&deck)).decks()[0].title, "Given: a title");
}

#[test]
fn a_section_without_an_answer_is_skipped_with_its_line() {
    let text = "### T\n\n#### 1. Good\n**题目：** Q\n**答案：** A\n**解析：** B\n\n#### 2. Broken\n**题目：** Q\n**解析：** B\n";
    let imported = import_markdown(text, &options("t"));
    assert_eq!(imported.deck.questions.len(), 1);
    assert_eq!(imported.skipped.len(), 1);
    assert_eq!(imported.skipped[0].line, 8);
    assert_eq!(
        imported.skipped[0].why,
        "“Broken”: no answer (a question needs one)"
    );
}

fn studybot(args: &[&str], dir: &Path) -> std::process::Output {
    crate::support::studybot(args, dir)
        .output()
        .expect("runs studybot")
}

#[test]
fn the_cli_imports_the_seed_into_a_checkable_deck() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(seed_path(), dir.path().join("LLM Startup.md")).expect("copy the seed");
    std::fs::create_dir(dir.path().join("decks")).expect("mkdir");
    let out = studybot(
        &["import", "LLM Startup.md", "-o", "decks/llm.yaml"],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    let bank = Bank::load(&dir.path().join("decks")).expect("the written deck checks");
    assert_eq!(
        bank.decks()[0].id,
        "llm-startup",
        "the deck id comes from the file name"
    );
    assert_eq!(bank.len(), 8);
    let stdout = studybot(
        &[
            "import",
            "LLM Startup.md",
            "--deck",
            "other",
            "--title",
            "X",
        ],
        dir.path(),
    );
    let yaml = String::from_utf8(stdout.stdout).expect("utf-8");
    assert!(
        yaml.starts_with("deck: other\ntitle: X\nlanguage: zh\n"),
        "{yaml}"
    );
}

/// Text with the characters that stress a YAML writer.
fn tricky_text(multi_line: bool) -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        ' ', '\t', ':', '#', '-', '"', '\'', '|', '>', '\\', '\r', '\u{85}', '\u{2028}',
        '\u{feff}', '\u{7f}', '大', '*', '&', '!', '%', '@', '`', '{', '[', '0', 'y',
    ]);
    let newline = if multi_line { 3 } else { 0 };
    let piece = prop_oneof![6 => any::<char>(), 6 => special, newline => Just('\n')];
    prop::collection::vec(piece, 1..40)
        .prop_map(|chars| chars.into_iter().collect::<String>())
        .prop_filter("the bank needs non-blank text", |text| {
            !text.trim().is_empty()
        })
        .prop_filter("titles are one line", move |text| {
            multi_line || !text.contains('\n')
        })
}

fn tricky_question() -> impl Strategy<Value = ImportedQuestion> {
    (
        tricky_text(false),
        tricky_text(true),
        tricky_text(true),
        tricky_text(true),
    )
        .prop_map(|(title, question, answer, analysis)| ImportedQuestion {
            id: "q1".into(),
            title,
            tags: vec!["t".into()],
            question,
            answer,
            analysis: Some(analysis),
            quiz: None,
            image: None,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_text_survives_to_yaml_and_back(title in tricky_text(false), question in tricky_question()) {
        let deck = ImportedDeck { deck: "d".into(), title: title.clone(), language: "en".into(), questions: vec![question.clone()] };
        let yaml = to_yaml(&deck);
        let bank = Bank::from_sources(vec![(PathBuf::from("d.yaml"), yaml.clone())]);
        let bank = bank.map_err(|errors| TestCaseError::fail(format!("{errors}\n{yaml}")))?;
        prop_assert_eq!(&bank.decks()[0].title, title.trim_end());
        let loaded = &bank.questions()[0];
        prop_assert_eq!(&loaded.title, question.title.trim_end());
        prop_assert_eq!(&loaded.question, question.question.trim_end());
        prop_assert_eq!(&loaded.answer, question.answer.trim_end());
        prop_assert_eq!(loaded.analysis.as_deref(), question.analysis.as_deref().map(str::trim_end));
    }

    #[test]
    fn import_never_panics(text in any::<String>()) {
        let imported = import_markdown(&text, &options("d"));
        if !imported.deck.questions.is_empty() {
            let yaml = to_yaml(&imported.deck);
            prop_assert!(Bank::from_sources(vec![(PathBuf::from("d.yaml"), yaml)]).is_ok());
        }
    }

    #[test]
    fn markdown_like_import_never_panics(lines in prop::collection::vec(prop::sample::select(vec![
        "#### 1. T", "####", "#### 2.", "### Title", "**题目：** q", "**答案：**", "**解析：** a", "**Answer:**", "text", "", "  - item", "---", "**题目**", "#### 3) X",
    ]), 0..30)) {
        let text = lines.join("\n");
        let deck = import_markdown(&text, &options("d")).deck;
        if !deck.questions.is_empty() {
            let yaml = to_yaml(&deck);
            prop_assert!(Bank::from_sources(vec![(PathBuf::from("d.yaml"), yaml)]).is_ok());
        }
    }
}
