//! The summary `studybot check` prints for a good bank: what a person wants
//! to see after editing content (did my deck load, how many questions, which
//! tags exist).

use std::fmt;

use super::Bank;

/// Displays as a few aligned lines; see `Bank::summary`.
pub struct Summary<'a> {
    pub(super) bank: &'a Bank,
}

impl fmt::Display for Summary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bank = self.bank;
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        writeln!(f, "{}:", plural(bank.decks().len(), "deck", "decks"))?;
        let counts: Vec<String> = (bank.decks().iter())
            .map(|deck| plural(deck.question_ids.len(), "question", "questions"))
            .collect();
        let id_width = bank.decks().iter().map(|d| d.id.len()).max().unwrap_or(0);
        let count_width = counts.iter().map(String::len).max().unwrap_or(0);
        for (deck, count) in bank.decks().iter().zip(&counts) {
            writeln!(
                f,
                "  {:id_width$}  {count:count_width$}  {}",
                deck.id, deck.title
            )?;
        }
        writeln!(f, "{} in all", plural(bank.len(), "question", "questions"))?;
        let tags = bank.tags();
        if tags.is_empty() {
            return writeln!(f, "no tags");
        }
        writeln!(f, "{}:", plural(tags.len(), "tag", "tags"))?;
        let width = tags.iter().map(|(tag, _)| tag.len()).max().unwrap_or(0);
        for (tag, count) in &tags {
            writeln!(f, "  {tag:width$}  {count}")?;
        }
        Ok(())
    }
}
