//! The question bank: every deck in `content/*.yaml` and
//! `content/community/*.yaml`, checked and indexed.
//!
//! A deck is one YAML file (schema in ARCHITECTURE.md). Loading validates all of
//! it and reports every problem with its file, line and column, so a bank
//! with mistakes never reaches a chat. Once loaded the bank is read-only:
//! lookups by question id, deck id and tag.

mod error;
pub mod image;
mod load;
mod locate;
mod parse;
mod quiz;
pub mod rules;
mod summary;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

pub use error::{BankError, BankErrors};
pub use image::QuestionImage;
pub use load::COMMUNITY_DIR;
pub use summary::Summary;

/// One interview question with its answer and, when the deck gives one,
/// its analysis (Markdown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// Unique in the whole bank; `[a-z0-9-]+`, at most 48 bytes.
    pub id: String,
    /// The id of the deck it belongs to.
    pub deck: String,
    pub title: String,
    pub tags: Vec<String>,
    pub question: String,
    pub answer: String,
    /// Absent in answer-only decks: the reveal then shows the answer alone.
    pub analysis: Option<String>,
    /// Present when the deck gives `choices`: the question is also a quiz.
    pub quiz: Option<Quiz>,
    /// A picture posted with the question (`image:`), checked on load.
    pub image: Option<QuestionImage>,
}

/// A question's multiple choices, checked against the strictest platform's
/// limits (Telegram's quiz polls), so a bank that loads can always be posted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quiz {
    /// 2–10 distinct one-line options of 1–100 characters.
    pub choices: Vec<String>,
    /// The index (from 0) of the right choice.
    pub correct: usize,
    /// At most 200 characters and 2 line feeds; shown when the quiz closes.
    pub explanation: Option<String>,
}

/// One deck file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deck {
    pub id: String,
    pub title: String,
    pub language: String,
    /// A community deck's chat (`telegram:-100…`): its questions are
    /// served there only. `None`: everywhere.
    pub scope: Option<String>,
    pub path: PathBuf,
    /// Its questions, in file order.
    pub question_ids: Vec<String>,
}

/// Every question of every deck, in load order, with indexes.
#[derive(Debug, Clone, Default)]
pub struct Bank {
    questions: Vec<Question>,
    decks: Vec<Deck>,
    by_id: HashMap<String, usize>,
    deck_by_id: HashMap<String, usize>,
    by_tag: BTreeMap<String, Vec<usize>>,
}

impl Bank {
    fn new(decks: Vec<Deck>, questions: Vec<Question>) -> Bank {
        let by_id = index_of(questions.iter().map(|q| q.id.as_str()));
        let deck_by_id = index_of(decks.iter().map(|d| d.id.as_str()));
        let mut by_tag: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (index, question) in questions.iter().enumerate() {
            for tag in &question.tags {
                by_tag.entry(tag.clone()).or_default().push(index);
            }
        }
        Bank {
            questions,
            decks,
            by_id,
            deck_by_id,
            by_tag,
        }
    }

    /// All questions, in load order (files by name, then file order).
    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    pub fn decks(&self) -> &[Deck] {
        &self.decks
    }

    pub fn get(&self, id: &str) -> Option<&Question> {
        self.by_id.get(id).map(|&index| &self.questions[index])
    }

    /// Whether `question` may be served in the chat named `scope` (a
    /// chat's `platform:id`): every question of an unscoped deck, and a
    /// scoped deck's in its own chat only.
    pub fn serves_in(&self, question: &Question, scope: &str) -> bool {
        self.deck(&question.deck)
            .and_then(|d| d.scope.as_deref())
            .is_none_or(|own| own == scope)
    }

    pub fn deck(&self, id: &str) -> Option<&Deck> {
        self.deck_by_id.get(id).map(|&index| &self.decks[index])
    }

    /// The questions carrying `tag`, in load order; empty when unknown.
    pub fn tagged(&self, tag: &str) -> Vec<&Question> {
        self.by_tag
            .get(tag)
            .map(|indexes| indexes.iter().map(|&i| &self.questions[i]).collect())
            .unwrap_or_default()
    }

    /// Every tag with how many questions carry it, sorted by tag.
    pub fn tags(&self) -> Vec<(String, usize)> {
        self.by_tag
            .iter()
            .map(|(tag, indexes)| (tag.clone(), indexes.len()))
            .collect()
    }

    pub fn len(&self) -> usize {
        self.questions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.questions.is_empty()
    }

    /// What `studybot check` prints: decks, question count, tags.
    pub fn summary(&self) -> Summary<'_> {
        Summary { bank: self }
    }
}

fn index_of<'a>(ids: impl Iterator<Item = &'a str>) -> HashMap<String, usize> {
    ids.enumerate().map(|(i, id)| (id.to_owned(), i)).collect()
}
