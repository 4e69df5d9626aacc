//! Errors a bank can have. Every error names the file and, when it is
//! known, the line and column, so a person can jump straight to the
//! mistake; loading collects all of them instead of stopping at the first.

use std::fmt;
use std::path::PathBuf;

use super::locate::Pos;

/// One problem in a bank, at `path:line:column`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl BankError {
    pub(crate) fn new(path: impl Into<PathBuf>, message: impl Into<String>) -> BankError {
        BankError {
            path: path.into(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    pub(crate) fn at(mut self, pos: Option<Pos>) -> BankError {
        if let Some(pos) = pos {
            self.line = Some(pos.line);
            self.column = Some(pos.column);
        }
        self
    }

    /// `path:line:column` (missing parts left out), without the message.
    pub fn location(&self) -> String {
        let mut out = self.path.display().to_string();
        for part in [self.line, self.column].into_iter().flatten() {
            if !out.is_empty() {
                out.push(':');
            }
            out.push_str(&part.to_string());
        }
        out
    }
}

impl fmt::Display for BankError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let location = self.location();
        if location.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{location}: {}", self.message)
        }
    }
}

impl std::error::Error for BankError {}

/// Every problem found while loading a bank, in file order and then line
/// order. Never empty when returned by `Bank::load` or `Bank::from_sources`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankErrors(pub Vec<BankError>);

impl BankErrors {
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, BankError> {
        self.0.iter()
    }
}

impl fmt::Display for BankErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for BankErrors {}
