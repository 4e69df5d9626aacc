//! Every kind of mistake in a bank is reported, all at once, each at the
//! file, line and column a person has to edit.

use std::path::PathBuf;

use studybot::bank::{Bank, BankError};

/// A deck with one good question per id.
fn deck(deck: &str, ids: &[&str]) -> String {
    let mut text = format!("deck: {deck}\ntitle: Deck {deck}\nlanguage: en\nquestions:\n");
    for id in ids {
        text.push_str(&format!(
            "  - id: {id}\n    title: About {id}\n    tags: [general]\n    question: What is {id}?\n    answer: |\n      It is {id}.\n    analysis: Because.\n"
        ));
    }
    text
}

fn errors(files: &[(&str, &str)]) -> Vec<BankError> {
    let sources = files
        .iter()
        .map(|(name, text)| (PathBuf::from(name), text.to_string()))
        .collect();
    match Bank::from_sources(sources) {
        Ok(bank) => panic!("expected errors, the bank loaded {} questions", bank.len()),
        Err(errors) => errors.0,
    }
}

/// The only error of a one-file bank.
fn only_error(text: &str) -> BankError {
    let mut all = errors(&[("d.yaml", text)]);
    assert_eq!(all.len(), 1, "expected one error, got: {all:#?}");
    all.remove(0)
}

fn assert_at(error: &BankError, line: usize, column: usize, message: &str) {
    assert_eq!(error.path, PathBuf::from("d.yaml"), "{error}");
    assert_eq!(
        (error.line, error.column),
        (Some(line), Some(column)),
        "{error}"
    );
    assert!(
        error.message.contains(message),
        "`{}` should contain `{message}`",
        error.message
    );
}

#[test]
fn a_good_deck_loads() {
    let bank = Bank::from_sources(vec![("d.yaml".into(), deck("d", &["a", "b"]))]).expect("loads");
    assert_eq!(bank.len(), 2);
    assert_eq!(bank.get("b").map(|q| q.answer.as_str()), Some("It is b."));
}

#[test]
fn yaml_syntax_errors_carry_serde_yaml_location() {
    let text = "deck: d\ntitle: [unclosed\nlanguage: en\n";
    let error = only_error(text);
    assert_eq!(error.line, Some(3), "{error}");
    assert_eq!(
        error.to_string(),
        "d.yaml:3:9: YAML syntax error: did not find expected ',' or ']', while parsing a flow sequence at line 2 column 8"
    );
}

#[test]
fn unknown_keys_are_reported_where_they_stand() {
    let text = deck("d", &["a"]).replace("language: en\n", "language: en\nauthor: me\n");
    assert_at(
        &only_error(&text),
        4,
        1,
        "unknown key `author` (expected one of: deck, title, language, scope, questions)",
    );
    let text = deck("d", &["a"]).replace("    tags:", "    difficulty: 3\n    tags:");
    assert_at(&only_error(&text), 7, 5, "unknown key `difficulty`");
}

#[test]
fn a_misspelt_key_gets_a_suggestion() {
    let text = deck("d", &["a"]).replace("    question:", "    questin:");
    let all = errors(&[("d.yaml", &text)]);
    assert_eq!(all.len(), 2, "{all:#?}");
    assert_eq!(
        all[0].to_string(),
        "d.yaml:5:5: missing required key `question`"
    );
    assert_eq!(
        all[1].to_string(),
        "d.yaml:8:5: unknown key `questin` (did you mean `question`?)"
    );
}

#[test]
fn missing_required_keys_point_at_the_question() {
    let text = deck("d", &["a", "b"]).replace("    answer: |\n      It is a.\n", "");
    assert_at(&only_error(&text), 5, 5, "missing required key `answer`");
    let error = only_error(&deck("d", &["a"]).replace("language: en\n", ""));
    assert_eq!((error.line, error.column), (None, None));
    assert_eq!(error.to_string(), "d.yaml: missing required key `language`");
}

#[test]
fn empty_required_fields_are_errors() {
    let text = deck("d", &["a"]).replace("    question: What is a?", "    question: \"  \"");
    assert_at(&only_error(&text), 8, 5, "`question` is empty");
    let text = deck("d", &["a"]).replace("title: Deck d", "title:");
    assert_at(&only_error(&text), 2, 1, "`title` is empty");
    let text = "deck: d\ntitle: T\nlanguage: en\nquestions: []\n";
    assert_at(&only_error(text), 4, 1, "`questions` is empty");
}

#[test]
fn tags_may_be_empty_or_absent() {
    let text = deck("d", &["a"]).replace("tags: [general]", "tags: []");
    let without = deck("d", &["b"]).replace("    tags: [general]\n", "");
    let bank = Bank::from_sources(vec![
        ("d.yaml".into(), text),
        ("e.yaml".into(), without.replace("deck: d", "deck: e")),
    ])
    .expect("loads");
    assert!(bank.questions().iter().all(|q| q.tags.is_empty()));
    assert!(bank.tags().is_empty());
}

#[test]
fn ids_must_be_lowercase_ascii() {
    let text = deck("d", &["a"]).replace("id: a", "id: Bad_Id");
    assert_at(&only_error(&text), 5, 9, "invalid question id `Bad_Id`");
    let text = deck("d", &["a"]).replace("deck: d", "deck: 大模型");
    assert_at(&only_error(&text), 1, 7, "invalid deck id `大模型`");
}

#[test]
fn ids_and_tags_have_length_limits() {
    let long_id = "a".repeat(49);
    let text = deck("d", &[&long_id]);
    assert_at(
        &only_error(&text),
        5,
        9,
        "is 49 bytes long; the limit is 48",
    );
    let long_tag = "t".repeat(33);
    let text = deck("d", &["a"]).replace(
        "tags: [general]",
        &format!("tags:\n      - ok\n      - {long_tag}"),
    );
    assert_at(&only_error(&text), 9, 9, "the limit is 32");
}

#[test]
fn a_bad_tag_in_a_flow_list_is_found_on_its_line() {
    let text = deck("d", &["a"]).replace("tags: [general]", "tags: [general, Bad Tag]");
    assert_at(&only_error(&text), 7, 21, "invalid tag `Bad Tag`");
}

#[test]
fn numbers_where_text_belongs_say_to_quote_them() {
    let text = deck("d", &["a"]).replace("id: a", "id: 42");
    assert_at(
        &only_error(&text),
        5,
        9,
        "`id` must be text, found the number 42 (put it in quotes)",
    );
}

#[test]
fn a_deck_must_be_a_mapping() {
    let error = only_error("- just\n- a list\n");
    assert_at(
        &error,
        1,
        1,
        "the deck must be a mapping with keys deck, title, language, scope, questions, found a list",
    );
}

#[test]
fn duplicate_question_ids_name_both_places() {
    let all = errors(&[
        ("a.yaml", &deck("a", &["x", "y"])),
        ("b.yaml", &deck("b", &["z", "y"])),
    ]);
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(
        all[0].to_string(),
        "b.yaml:12:9: duplicate question id `y` (first defined at a.yaml:12:9)"
    );
}

#[test]
fn duplicate_question_ids_within_one_file() {
    let error = only_error(&deck("d", &["x", "x"]));
    assert_at(
        &error,
        12,
        9,
        "duplicate question id `x` (first defined at d.yaml:5:9)",
    );
}

#[test]
fn duplicate_deck_ids_across_files() {
    let all = errors(&[
        ("a.yaml", &deck("same", &["x"])),
        ("b.yaml", &deck("same", &["y"])),
    ]);
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(
        all[0].to_string(),
        "b.yaml:1:7: duplicate deck id `same` (first defined at a.yaml:1:7)"
    );
}

#[test]
fn all_errors_are_collected_in_file_then_line_order() {
    let bad = deck("d", &["a", "b"])
        .replace("id: a", "id: A")
        .replace("    answer: |\n      It is b.\n", "    answer: \"\"\n")
        .replace("language: en\n", "language: en\nextra: 1\n");
    let all = errors(&[("z.yaml", "deck: [\n"), ("d.yaml", &bad)]);
    let shown: Vec<String> = all.iter().map(|e| e.to_string()).collect();
    assert_eq!(shown.len(), 4, "{shown:#?}");
    assert!(
        shown[0].starts_with("z.yaml:2:1: YAML syntax error"),
        "{shown:#?}"
    );
    assert!(
        shown[1].starts_with("d.yaml:4:1: unknown key `extra`"),
        "{shown:#?}"
    );
    assert!(
        shown[2].starts_with("d.yaml:6:9: invalid question id `A`"),
        "{shown:#?}"
    );
    assert!(
        shown[3].starts_with("d.yaml:17:5: `answer` is empty"),
        "{shown:#?}"
    );
}

#[test]
fn an_empty_or_missing_directory_is_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("notes.txt"), "not a deck").expect("write");
    let errors = Bank::load(dir.path()).expect_err("no decks");
    assert_eq!(
        errors.0[0].message,
        format!("no *.yaml files in {}", dir.path().display())
    );
    let missing = dir.path().join("nope");
    let errors = Bank::load(&missing).expect_err("no directory");
    assert_eq!(
        errors.to_string(),
        format!("{}: no such directory", missing.display())
    );
}

#[test]
fn files_load_sorted_by_name_and_may_end_in_yml() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("b.yml"), deck("b", &["second"])).expect("write");
    std::fs::write(dir.path().join("a.yaml"), deck("a", &["first"])).expect("write");
    let bank = Bank::load(dir.path()).expect("loads");
    let ids: Vec<&str> = bank.questions().iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids, ["first", "second"]);
    assert_eq!(bank.decks()[1].path, dir.path().join("b.yml"));
}

#[test]
fn a_file_that_is_not_utf8_names_its_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut bytes = deck("d", &["a"]).into_bytes();
    bytes.extend_from_slice(b"# \xff\n");
    std::fs::write(dir.path().join("d.yaml"), bytes).expect("write");
    let errors = Bank::load(dir.path()).expect_err("bad bytes");
    assert_eq!(errors.0[0].line, Some(12));
    assert!(errors.0[0].message.contains("UTF-8"));
}

#[test]
fn analysis_is_optional_but_not_empty() {
    let text = deck("d", &["a", "b"]).replace("    analysis: Because.\n  - id: b", "  - id: b");
    let bank = Bank::from_sources(vec![(PathBuf::from("d.yaml"), text)]).expect("loads");
    assert_eq!(bank.get("a").expect("a").analysis, None);
    assert_eq!(
        bank.get("b").expect("b").analysis.as_deref(),
        Some("Because.")
    );
    let empty = deck("d", &["a"]).replace("    analysis: Because.\n", "    analysis: \"\"\n");
    assert_eq!(only_error(&empty).message, "`analysis` is empty");
}

#[test]
fn a_scope_names_one_chat() {
    let text = deck("d", &["a"]).replace("language: en\n", "language: en\nscope: group-5\n");
    assert_at(
        &only_error(&text),
        4,
        8,
        "invalid scope `group-5`: use a platform and a chat id, such as `telegram:-1001234567890`",
    );
    let good = deck("d", &["a"]).replace("language: en\n", "language: en\nscope: telegram:-5\n");
    let bank = studybot::bank::Bank::from_sources(vec![("d.yaml".into(), good)]).unwrap();
    assert_eq!(bank.decks()[0].scope.as_deref(), Some("telegram:-5"));
}
