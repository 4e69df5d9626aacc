//! CSV and TSV files (spreadsheets, Anki's and Quizlet's text exports) as
//! decks: header rows in Chinese and English, `--columns`, quoted
//! multi-line fields, guessed and declared separators, Anki's header lines,
//! HTML fields as Markdown, options columns as quizzes, and each unusable
//! row reported as file:line. Any input gives a deck that checks.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use proptest::prelude::*;
use studybot::bank::Bank;
use studybot::import::{Column, Import, ImportOptions, import_table, to_yaml};

fn options() -> ImportOptions {
    ImportOptions {
        deck: "table".into(),
        title: None,
        fallback_title: "Table".into(),
        reserved_ids: Default::default(),
    }
}

fn fixture(name: &str, columns: Option<&[Column]>) -> Import {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name);
    let text = std::fs::read_to_string(&path).expect("the fixture exists");
    let extension = path.extension().unwrap().to_string_lossy().into_owned();
    let imported = import_table(&text, &extension, columns, &options()).expect("a table");
    Bank::from_sources(vec![(path, to_yaml(&imported.deck))])
        .unwrap_or_else(|errors| panic!("the deck from {name} does not check: {errors}"));
    imported
}

fn studybot(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_studybot"))
        .args(args)
        .current_dir(dir)
        .env_remove("STUDYBOT_CONTENT")
        .output()
        .expect("runs studybot")
}

#[test]
fn a_spreadsheet_with_a_chinese_header_and_multi_line_cells() {
    let imported = fixture("sheet-zh.csv", None);
    let q = &imported.deck.questions;
    assert_eq!(q.len(), 3);
    assert_eq!(imported.deck.language, "zh");
    assert_eq!(q[0].question, "什么是 TCP？");
    assert_eq!(q[0].answer, "面向连接的可靠传输协议");
    assert_eq!(
        q[0].analysis.as_deref(),
        Some("三次握手建立连接；\n四次挥手断开。")
    );
    assert_eq!(q[0].tags, ["网络", "传输层"]);
    assert_eq!(q[1].question, "多行的\n\n\n问题？");
    assert_eq!(q[1].title, "多行的");
    assert_eq!(q[1].answer, "第一行\n第二行");
    assert_eq!(q[2].answer, "80");
    let skipped: Vec<(usize, &str)> = imported
        .skipped
        .iter()
        .map(|n| (n.line, n.why.as_str()))
        .collect();
    assert_eq!(skipped, [(9, "the row has no answer")]);
    assert_eq!(
        imported.read.as_deref(),
        Some("a comma-separated table of 4 rows (columns from its header row)")
    );
}

#[test]
fn an_anki_text_export_with_html_and_a_tags_column() {
    let imported = fixture("anki-notes.txt", None);
    let q = &imported.deck.questions;
    assert_eq!(q.len(), 2);
    assert_eq!(q[0].question, "What is **mitosis**?");
    assert_eq!(q[0].title, "What is mitosis?");
    assert_eq!(
        q[0].answer,
        "Cell division into *two* identical cells.\nSee ![](mitosis.png)"
    );
    assert_eq!(q[0].tags, ["biology-cells", "exam"]);
    assert_eq!(q[1].question, "Symbol for sodium");
    assert_eq!(q[1].answer, "Na\n(from *natrium*)");
    assert_eq!(q[1].tags, ["chemistry"]);
}

#[test]
fn option_columns_make_quizzes_with_semicolons_guessed() {
    let imported = fixture("choices.csv", None);
    let q = &imported.deck.questions;
    assert_eq!(q.len(), 2);
    let quiz = q[0].quiz.as_ref().expect("a quiz");
    assert_eq!(quiz.choices, ["Oxygen", "Carbon dioxide", "Nitrogen"]);
    assert_eq!(quiz.correct, 1);
    assert_eq!(
        quiz.explanation.as_deref(),
        Some("Photosynthesis uses CO2.")
    );
    assert_eq!(q[0].answer, "B. Carbon dioxide");
    // Two options alike: a plain question with its options listed.
    assert!(q[1].quiz.is_none());
    assert_eq!(
        q[1].question,
        "Largest planet?\n\n- A. Mars\n- B. Jupiter\n- C. Jupiter"
    );
    assert_eq!(q[1].answer, "2");
    assert_eq!(imported.warnings.len(), 1);
    assert_eq!(imported.warnings[0].line, 3);
    assert!(
        imported.warnings[0]
            .why
            .contains("option C repeats an earlier one"),
        "{:?}",
        imported.warnings
    );
}

#[test]
fn quizlet_pairs_and_columns_given_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    // Quizlet: term<TAB>definition, no header, any extension.
    std::fs::write(
        dir.path().join("words.txt"),
        "der Hund\tthe dog\ndie Katze\tthe cat\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("sheet.csv"),
        "What is DNS?,Names to addresses,\"It runs over UDP, port 53.\",net dns\n",
    )
    .unwrap();
    let out = studybot(&["import", "words.txt", "-o", "words.yaml"], dir.path());
    let report = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{report}");
    assert!(
        report.contains("words.txt: 2 questions imported, 0 sections skipped, 0 tags, read as a tab-separated table of 2 rows (columns by position) → words.yaml"),
        "{report}"
    );
    let out = studybot(
        &[
            "import",
            "sheet.csv",
            "--columns",
            "question,answer,analysis,tags",
            "-o",
            "sheet.yaml",
        ],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::rename(
        dir.path().join("words.yaml"),
        dir.path().join("words.yaml.bak"),
    )
    .unwrap();
    let bank = Bank::load(dir.path()).expect("the deck checks");
    let q = &bank.questions()[0];
    assert_eq!(q.answer, "Names to addresses");
    assert_eq!(q.analysis.as_deref(), Some("It runs over UDP, port 53."));
    assert_eq!(q.tags, ["net", "dns"]);

    let out = studybot(
        &["import", "sheet.csv", "--columns", "question,reply"],
        dir.path(),
    );
    assert!(!out.status.success());
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(
        message.contains("unknown column `reply` in --columns"),
        "{message}"
    );
}

#[test]
fn a_table_without_usable_rows_says_so_on_one_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("empty.csv"),
        "only one column\nand another row\n",
    )
    .unwrap();
    let out = studybot(&["import", "empty.csv"], dir.path());
    assert!(!out.status.success());
    let report = String::from_utf8_lossy(&out.stderr);
    assert!(
        report.contains("empty.csv:1: the row has no answer"),
        "{report}"
    );
    assert!(
        report.contains("empty.csv: no questions found in a comma-separated table of 2 rows"),
        "{report}"
    );
}

fn cell_text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 ,;\t\"'<>&#/=\n\r.:!?*_`|\\-\\[\\]()一二答案题目]{0,40}"
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Whatever the file holds, nothing panics and what is imported checks.
    #[test]
    fn any_table_gives_a_deck_that_checks(text in cell_text(), more in cell_text(), ext in "csv|tsv|txt") {
        let text = format!("{text}\n{more}");
        if let Ok(imported) = import_table(&text, &ext, None, &options()) {
            if !imported.deck.questions.is_empty() {
                let yaml = to_yaml(&imported.deck);
                prop_assert!(
                    Bank::from_sources(vec![(PathBuf::from("t.yaml"), yaml.clone())]).is_ok(),
                    "{yaml}"
                );
            }
        }
    }
}
