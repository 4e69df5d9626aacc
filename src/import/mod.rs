//! `studybot import`: a Markdown interview-question document (the seed's
//! shape: a `###` title, then `#### N. Title` sections with `**题目：**`,
//! `**答案：**` and `**解析：**` labels, or their English forms) becomes a
//! deck. The text is kept word for word; only ids are made up, from titles.

mod markdown;
mod yaml;

use thiserror::Error;

pub use markdown::import_markdown;
pub use yaml::to_yaml;

/// Choices the person running the import can make.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The deck id; required (the CLI derives it from the file name).
    pub deck: String,
    /// The deck title; when `None`, the document's `###` line.
    pub title: Option<String>,
}

/// A deck made from a document, ready for `to_yaml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedDeck {
    pub deck: String,
    pub title: String,
    pub language: String,
    pub questions: Vec<ImportedQuestion>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedQuestion {
    pub id: String,
    pub title: String,
    pub tags: Vec<String>,
    pub question: String,
    pub answer: String,
    pub analysis: Option<String>,
}

/// One reason a document could not be imported.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ImportError {
    #[error("section \"{section}\" has no {label} label")]
    MissingLabel {
        line: usize,
        section: String,
        label: &'static str,
    },
    #[error("section \"{section}\" has an empty {label}")]
    EmptyField {
        line: usize,
        section: String,
        label: &'static str,
    },
    #[error("section \"{section}\" has no title after its number")]
    NoSectionTitle { line: usize, section: String },
    #[error("no `#### N. Title` sections found")]
    NoSections,
    #[error("no `###` title line before the first section; pass --title")]
    NoTitle,
    #[error("invalid deck id `{deck}`: {reason}")]
    BadDeckId { deck: String, reason: String },
}

impl ImportError {
    /// The document line the error is about, when there is one.
    pub fn line(&self) -> Option<usize> {
        match self {
            ImportError::MissingLabel { line, .. }
            | ImportError::EmptyField { line, .. }
            | ImportError::NoSectionTitle { line, .. } => Some(*line),
            ImportError::NoSections | ImportError::NoTitle | ImportError::BadDeckId { .. } => None,
        }
    }
}

/// Every problem in a document, in line order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportErrors(pub Vec<ImportError>);

impl std::fmt::Display for ImportErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            match error.line() {
                Some(line) => write!(f, "{line}: {error}")?,
                None => write!(f, "{error}")?,
            }
        }
        Ok(())
    }
}

impl std::error::Error for ImportErrors {}
