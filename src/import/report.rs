//! The report a person reads after `studybot import`: each skipped section
//! (and each warning) as `file:line: why`, at most 20 and then "…and N
//! more", then one summary line per file (questions, sections skipped,
//! tags, how the document was read, where the deck went).

use std::io::{self, Write};
use std::path::Path;

use super::{Import, Note};

/// How many `file:line: why` lines are printed before "…and N more".
const MAX_LINES: usize = 20;

/// `file:line: why` for each note, at most `MAX_LINES`, then "…and N more".
pub(super) fn print_notes(
    out: &mut dyn Write,
    file: &str,
    kind: &str,
    notes: &[Note],
) -> io::Result<()> {
    for note in notes.iter().take(MAX_LINES) {
        writeln!(out, "{file}:{}: {kind}{}", note.line, note.why)?;
    }
    if notes.len() > MAX_LINES {
        writeln!(out, "…and {} more", notes.len() - MAX_LINES)?;
    }
    Ok(())
}

/// `a.md: 42 questions imported, 3 sections skipped, 2 tags (x, y) → out.yaml`
pub(super) fn summary(
    file: &Path,
    imported: &Import,
    dropped: usize,
    encoding: &str,
    target: Option<&Path>,
) -> String {
    let tags = imported.tags();
    let quizzes = imported
        .deck
        .questions
        .iter()
        .filter(|q| q.quiz.is_some())
        .count();
    let with_choices = match quizzes {
        0 => String::new(),
        n => format!(" ({n} with choices)"),
    };
    let mut line = format!(
        "{}: {} imported{with_choices}, {} skipped, {}",
        file.display(),
        count(imported.deck.questions.len(), "question", "questions"),
        count(imported.skipped.len(), "section", "sections"),
        count(tags.len(), "tag", "tags"),
    );
    if !tags.is_empty() {
        let shown: Vec<&str> = tags.iter().take(10).copied().collect();
        let more = if tags.len() > 10 { ", …" } else { "" };
        line.push_str(&format!(" ({}{more})", shown.join(", ")));
    }
    if let Some(read) = &imported.read {
        line.push_str(&format!(", read as {read}"));
    }
    if dropped > 0 {
        line.push_str(&format!(
            ", {} dropped",
            count(dropped, "control character", "control characters")
        ));
    }
    if encoding != "UTF-8" {
        line.push_str(&format!(", read as {encoding}"));
    }
    if let Some(target) = target {
        line.push_str(&format!(" → {}", target.display()));
    }
    line
}

/// `1 section`, `2 sections`.
pub(super) fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
