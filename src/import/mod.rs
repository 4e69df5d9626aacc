//! `studybot import` and `studybot export`: the interview-question documents
//! people really have (Markdown in many shapes, UTF-8 or not, multiple-choice
//! quizzes among them; spreadsheets; Anki packages) become decks, and a deck
//! becomes a Markdown document again.
//!
//! The importer keeps every word it imports and makes up only ids (and tags
//! from the headings that group questions). What it cannot use it reports,
//! once per section, with the line and the reason, instead of failing the
//! whole document.

mod apkg;
mod choices;
mod columns;
mod deck;
mod delimited;
mod details;
mod encoding;
mod export;
mod fields;
mod files;
mod headings;
mod html;
mod labels;
mod report;
mod scan;
mod sections;
mod yaml;

use std::collections::HashSet;

use thiserror::Error;

use crate::bank::Quiz;

pub use apkg::{MediaFile, NEWER_FORMAT, import_apkg};
pub use columns::{COLUMN_NAMES, Column, parse_columns};
pub use delimited::{import_table, is_table};
pub use encoding::{DecodeError, Decoded, decode};
pub use export::{deck_from_bank, to_markdown};
pub use files::{FileError, Request, import_files, write_atomically};
pub use yaml::to_yaml;

/// What `import_files` reports as it goes through the documents, so that a
/// command line can show progress; the library itself never prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportStep<'a> {
    /// A document is about to be read (`bytes`: its size on disk).
    Reading {
        file: &'a std::path::Path,
        bytes: u64,
    },
    /// A document is finished: `questions` written, or `None` when it failed.
    Done {
        file: &'a std::path::Path,
        bytes: u64,
        questions: Option<usize>,
    },
}

/// Choices the person running the import can make.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The deck id (the CLI derives it from the file name).
    pub deck: String,
    /// The deck title; when `None`, the document's title heading.
    pub title: Option<String>,
    /// The title when neither `title` nor the document gives one (the CLI
    /// passes the file name).
    pub fallback_title: String,
    /// Question ids other decks use already: made-up ids avoid them.
    pub reserved_ids: HashSet<String>,
}

/// A deck made from a document, ready for `to_yaml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedDeck {
    pub deck: String,
    pub title: String,
    pub language: String,
    pub questions: Vec<ImportedQuestion>,
}

impl ImportedDeck {
    /// The deck's id, title and language, without its questions.
    pub fn clone_header(&self) -> ImportedDeck {
        ImportedDeck {
            deck: self.deck.clone(),
            title: self.title.clone(),
            language: self.language.clone(),
            questions: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedQuestion {
    pub id: String,
    pub title: String,
    pub tags: Vec<String>,
    pub question: String,
    pub answer: String,
    pub analysis: Option<String>,
    /// `choices`, `correct` and `explanation`, for a multiple-choice question.
    pub quiz: Option<Quiz>,
    /// The `image:` shown with the question: a file beside the deck or an
    /// https URL, as the deck writes it.
    pub image: Option<String>,
}

/// Everything an import produced: the deck (possibly without questions),
/// what was left out and why, and what the document looked like.
#[derive(Debug, Clone)]
pub struct Import {
    pub deck: ImportedDeck,
    /// Sections that looked like questions but could not be used, in line order.
    pub skipped: Vec<Note>,
    /// Things imported but worth a look (a heading without its space, a
    /// question twice), in line order.
    pub warnings: Vec<Note>,
    /// The shapes seen, for the message when nothing was found.
    pub shapes: scan::Shapes,
    /// What was read, when not a Markdown document (`a tab-separated
    /// table of 12 rows`), for the summary line.
    pub read: Option<String>,
}

/// A remark about one line of the document.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{line}: {why}")]
pub struct Note {
    /// 1-based line in the document.
    pub line: usize,
    pub why: String,
}

pub use scan::Shapes;

impl Import {
    /// Every tag given to an imported question, sorted, each once.
    pub fn tags(&self) -> Vec<&str> {
        let mut tags: Vec<&str> = self
            .deck
            .questions
            .iter()
            .flat_map(|q| q.tags.iter().map(String::as_str))
            .collect();
        tags.sort_unstable();
        tags.dedup();
        tags
    }
}

/// The shapes the importer reads, for messages and `--help`.
pub const SHAPES_READ: &str = "  - headings ##–###### numbered (`3.`, `3、`, `Q3:`, `第 3 题`) or ending in ?/？
    (or opening like one, \"Describe …\", where most headings are questions); the body is the answer
  - bold question lines: **12. …**, **Q: …**, **问：…**, with the answer after them (A:/答： optional)
  - <details><summary>question</summary> answer </details> blocks
  - tables with a question and an answer column (Question | Answer, 问题 | 答案)
  - numbered list items that are headings (1. ### What is …)
  - labels: 题目/问题/Question/Q, 答案/参考答案/正确答案/回答/Answer/Correct answer/A,
    解析/答案解析/分析/Analysis/Explanation (emoji before them ignored)
  - multiple choice: options `A.` `A、` `A)` `(A)` `A:` `- [ ] A.` (under 选项/Options or not) and
    the right letter in the answer (`答案：B`, `Correct answer: B`) or a ticked `- [x]`
  - .csv/.tsv (and Anki's or Quizlet's .txt exports): a header row or --columns; Anki .apkg";

/// Turns a document (already decoded) into a deck and its report.
pub fn import_markdown(text: &str, opts: &ImportOptions) -> Import {
    let scanned = scan::scan(text);
    let mut warnings = scanned.warnings.clone();
    let outcome = sections::units(&scanned);
    let mut skipped = Vec::new();
    let mut questions = Vec::new();
    let mut lines = Vec::new();
    for unit in &outcome.units {
        match fields::question(unit) {
            Ok((question, note)) => {
                lines.push(unit.line);
                questions.push(question);
                warnings.extend(note.map(|why| Note {
                    line: unit.line,
                    why,
                }));
            }
            Err(why) => skipped.push(Note {
                line: unit.line,
                why,
            }),
        }
    }
    finish_deck(
        questions,
        &lines,
        opts,
        outcome.title,
        skipped,
        warnings,
        scanned.shapes,
    )
}

/// The deck from questions found (at `lines`): duplicates noted, ids
/// assigned, title and language chosen.
fn finish_deck(
    mut questions: Vec<ImportedQuestion>,
    lines: &[usize],
    opts: &ImportOptions,
    document_title: Option<String>,
    skipped: Vec<Note>,
    mut warnings: Vec<Note>,
    shapes: Shapes,
) -> Import {
    warnings.extend(deck::duplicates(&questions, lines));
    warnings.sort_by_key(|n| n.line);
    deck::assign_ids(&mut questions, &opts.reserved_ids);
    let title = [
        opts.title.clone(),
        document_title,
        Some(opts.fallback_title.clone()),
    ]
    .into_iter()
    .flatten()
    .map(|t| t.trim().to_owned())
    .find(|t| !t.is_empty() && !t.contains('\n'))
    .unwrap_or_else(|| opts.deck.clone());
    Import {
        deck: ImportedDeck {
            deck: opts.deck.clone(),
            title,
            language: deck::language(&questions).to_owned(),
            questions,
        },
        skipped,
        warnings,
        shapes,
        read: None,
    }
}
