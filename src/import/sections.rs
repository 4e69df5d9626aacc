//! Which marks are questions and where each one ends.
//!
//! A heading that is numbered or ends in `?` is a question, and owns the
//! text up to the next heading of the same or a higher level (deeper
//! headings belong to its answer). It is a group instead when nothing but
//! deeper question headings, bold questions or the like follow it. Every
//! other heading groups the questions under it and becomes their tag; the
//! first one is the document's title when nothing outranks it. Bold lines,
//! `<details>` blocks, table rows and list-item headings own the text up to
//! the next mark.

use std::collections::HashMap;

use super::deck::tag_of;
use super::headings::{
    answer_end, closing_levels, is_question_heading, question_like, title_index,
};
use super::labels;
use super::scan::{Head, Mark, Scanned, in_ranges};

/// One question as found, before its fields are read.
#[derive(Debug, Clone)]
pub struct Unit {
    /// The 1-based line where it starts.
    pub line: usize,
    /// The title, number stripped.
    pub title: String,
    /// The text after the head, up to where the question ends.
    pub body: String,
    /// An analysis given apart from the body (a table's column).
    pub analysis: Option<String>,
    /// From the headings that group it, outermost first.
    pub tags: Vec<String>,
}

/// The questions found and the document's title, if it has one.
pub struct Outcome {
    pub units: Vec<Unit>,
    pub title: Option<String>,
}

struct Group {
    level: usize,
    tag: Option<String>,
}

/// Reads the scanned marks into questions.
pub fn units(scanned: &Scanned) -> Outcome {
    let marks = &scanned.marks;
    let asks = question_like(marks);
    let title_at = title_index(marks, &asks);
    let closing = closing_levels(scanned, &asks);
    let prose = prose_bold_lines(scanned);
    let mut groups: Vec<Group> = Vec::new();
    let mut units = Vec::new();
    // Heading questions: (index in `units`, where the body starts).
    let mut by_heading = Vec::new();
    let mut i = 0;
    while i < marks.len() {
        let mark = &marks[i];
        match &mark.head {
            Head::Heading { level, text }
                if is_question_heading(marks, &asks, i, &scanned.text) =>
            {
                groups.retain(|g| g.level <= *level);
                let end = answer_end(scanned, &asks, &closing, i, *level);
                let until = marks.get(end).map_or(scanned.text.len(), |m| m.start);
                by_heading.push((units.len(), mark.body_start));
                units.push(Unit {
                    line: scanned.line_of(mark.start),
                    title: title_of(text).to_owned(),
                    body: body(scanned, mark.body_start, until),
                    analysis: None,
                    tags: current_tags(&groups),
                });
                i = end;
                continue;
            }
            Head::Heading { level, text } => {
                groups.retain(|g| g.level < *level);
                let tag = (Some(i) != title_at).then(|| tag_of(title_of(text)));
                groups.push(Group {
                    level: *level,
                    tag: tag.filter(|t| !t.is_empty()),
                });
            }
            Head::Bold { .. } if prose[i] => {}
            Head::Bold { question, labelled } => {
                let (unit, end) = titled_unit(scanned, i, question, *labelled);
                units.push(Unit {
                    tags: current_tags(&groups),
                    ..unit
                });
                i = end;
                continue;
            }
            Head::ListHeading { text } => {
                let (unit, end) = titled_unit(scanned, i, text, false);
                units.push(Unit {
                    tags: current_tags(&groups),
                    ..unit
                });
                i = end;
                continue;
            }
            Head::Details {
                question,
                body: range,
            } => units.push(Unit {
                line: scanned.line_of(mark.start),
                title: question.clone(),
                body: body(scanned, range.start, range.end),
                analysis: None,
                tags: current_tags(&groups),
            }),
            Head::Row {
                question,
                answer,
                analysis,
            } => units.push(Unit {
                line: scanned.line_of(mark.start),
                title: question.clone(),
                body: answer.clone(),
                analysis: analysis.clone(),
                tags: current_tags(&groups),
            }),
        }
        i += 1;
    }
    cut_at_separator(scanned, &mut units, &by_heading);
    let title = title_at.and_then(|at| match &marks[at].head {
        Head::Heading { text, .. } => Some(text.clone()),
        _ => None,
    });
    Outcome { units, title }
}

/// Bold numbered lines that structure prose (`**3. 算力优势**` in an
/// introduction) rather than ask: within a run of marks between two
/// headings, when no bold line ends in `?`, opens like a question or is
/// followed by a label, none of them is a question.
fn prose_bold_lines(scanned: &Scanned) -> Vec<bool> {
    let marks = &scanned.marks;
    let mut prose = vec![false; marks.len()];
    let mut start = 0;
    while start < marks.len() {
        let end = (start + 1..marks.len())
            .find(|&j| matches!(marks[j].head, Head::Heading { .. }))
            .unwrap_or(marks.len());
        let lines: Vec<usize> = (start..end)
            .filter(|&j| {
                matches!(
                    marks[j].head,
                    Head::Bold {
                        labelled: false,
                        ..
                    }
                )
            })
            .collect();
        let any_asks = lines.iter().any(|&j| bold_line_asks(scanned, j));
        if !any_asks {
            for j in lines {
                prose[j] = true;
            }
        }
        start = end;
    }
    prose
}

fn bold_line_asks(scanned: &Scanned, j: usize) -> bool {
    let Head::Bold { question, .. } = &scanned.marks[j].head else {
        return false;
    };
    let until = scanned
        .marks
        .get(j + 1)
        .map_or(scanned.text.len(), |m| m.start);
    let body = scanned
        .text
        .get(scanned.marks[j].body_start..until)
        .unwrap_or_default();
    labels::ends_in_question_mark(question)
        || labels::opens_like_a_question(question)
        || body.lines().any(|line| labels::parse_label(line).is_some())
}

/// A question opened by a bold line or a list-item heading, which owns
/// the text up to the next mark; a `**题目：**` label paragraph right after
/// a bold title belongs to it. Returns the index of the next mark.
fn titled_unit(scanned: &Scanned, i: usize, question: &str, labelled: bool) -> (Unit, usize) {
    let marks = &scanned.marks;
    let next = i + 1;
    let own_label = !labelled
        && matches!(
            marks.get(next),
            Some(Mark {
                head: Head::Bold { labelled: true, .. },
                ..
            })
        );
    let end = if own_label { next + 1 } else { next };
    let until = marks.get(end).map_or(scanned.text.len(), |m| m.start);
    let unit = Unit {
        line: scanned.line_of(marks[i].start),
        title: title_of(question).to_owned(),
        body: body(scanned, marks[i].body_start, until),
        analysis: None,
        tags: Vec::new(),
    };
    (unit, end)
}

/// Documents that end every question with the same line (`<br>`, `---`)
/// end the last one there too: what follows it (a footer, a link list
/// under a deeper heading) is not part of the answer.
fn cut_at_separator(scanned: &Scanned, units: &mut [Unit], by_heading: &[(usize, usize)]) {
    let last_lines: Vec<&str> = by_heading
        .iter()
        .filter_map(|&(u, _)| units[u].body.lines().rev().find(|l| !l.trim().is_empty()))
        .map(str::trim)
        .filter(|l| is_separator_line(l))
        .collect();
    let Some(separator) = most_common(&last_lines) else {
        return;
    };
    if last_lines.iter().filter(|&&l| l == separator).count() * 2 < by_heading.len().max(4) {
        return;
    }
    let separator = separator.to_owned();
    for &(u, body_start) in by_heading {
        let body = &units[u].body;
        let mut offset = 0;
        let mut cut = None;
        for line in body.split_inclusive('\n') {
            let rest = &body[offset + line.len()..];
            if line.trim() == separator
                && !in_ranges(&scanned.code, body_start + offset)
                && !rest.trim().is_empty()
            {
                cut = Some(offset);
                break;
            }
            offset += line.len();
        }
        if let Some(cut) = cut {
            units[u].body.truncate(cut);
        }
    }
}

fn is_separator_line(line: &str) -> bool {
    [
        "<br>", "<br/>", "<br />", "<hr>", "<hr/>", "---", "***", "___", "* * *", "- - -",
    ]
    .iter()
    .any(|s| line.eq_ignore_ascii_case(s))
}

fn most_common<'a>(lines: &[&'a str]) -> Option<&'a str> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for &line in lines {
        *counts.entry(line).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by_key(|&(line, count)| (count, std::cmp::Reverse(line)))
        .map(|(line, _)| line)
}

fn current_tags(groups: &[Group]) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in groups.iter().filter_map(|g| g.tag.clone()) {
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    tags
}

/// A heading's title: its number stripped (`3. Title` → `Title`).
pub fn title_of(text: &str) -> &str {
    labels::strip_number(text).unwrap_or(text).trim()
}

/// The text between two offsets, CRLF-free already, as one string.
fn body(scanned: &Scanned, from: usize, until: usize) -> String {
    scanned
        .text
        .get(from.min(until)..until)
        .unwrap_or_default()
        .to_owned()
}
