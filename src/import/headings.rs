//! Which headings are questions, and where a question heading's answer
//! ends: the rules `sections` applies to headings (numbered or ending in
//! `?`; a level where most headings ask; a heading that heads nothing but
//! deeper questions is a group). Split from `sections`, which walks every
//! kind of mark.

use super::labels;
use super::scan::{Head, Mark, Scanned};

/// For each mark, whether it may start a question: a heading (below
/// level 1) that is numbered or ends in `?`, or that opens like a question
/// at a level where most headings are questions; every other kind of mark
/// but a question label (which belongs to the heading above it).
pub(super) fn question_like(marks: &[Mark]) -> Vec<bool> {
    let strict =
        |text: &str| labels::strip_number(text).is_some() || labels::ends_in_question_mark(text);
    let mut per_level = [(0usize, 0usize); 7];
    for mark in marks {
        if let Head::Heading { level, text } = &mark.head {
            per_level[*level].0 += 1;
            per_level[*level].1 += usize::from(strict(text));
        }
    }
    let mostly_questions = |level: usize| {
        let (all, questions) = per_level[level];
        questions >= 2 && questions * 2 >= all
    };
    marks
        .iter()
        .map(|mark| match &mark.head {
            Head::Heading { level, text } => {
                *level > 1
                    && (strict(text)
                        || (mostly_questions(*level) && labels::opens_like_a_question(text)))
            }
            Head::Bold { labelled, .. } => !labelled,
            _ => true,
        })
        .collect()
}

/// The document's first mark is its title when it is a heading that is
/// not itself a question.
pub(super) fn title_index(marks: &[Mark], asks: &[bool]) -> Option<usize> {
    let first = marks.first()?;
    (matches!(first.head, Head::Heading { .. }) && !asks[0]).then_some(0)
}

/// Whether the heading at `i` is a question (not a group, not a title).
pub(super) fn is_question_heading(marks: &[Mark], asks: &[bool], i: usize, text: &str) -> bool {
    let Head::Heading {
        level,
        text: heading,
    } = &marks[i].head
    else {
        return false;
    };
    if !asks[i] {
        return false;
    }
    let Some(next) = marks.get(i + 1) else {
        return true;
    };
    let nothing_between = text
        .get(marks[i].body_start..next.start)
        .is_none_or(|between| between.trim().is_empty());
    let end = region_end(marks, i, *level);
    // A heading that asks is a question (its answer may list numbered
    // sub-headings); a numbered one directly over questions is a group.
    labels::ends_in_question_mark(heading) || !nothing_between || end == i + 1 || !asks[i + 1]
}

/// Where the answer of the question heading at `i` ends: at the next
/// heading of its level or higher, at a deeper heading with nothing under
/// it before that point (it groups the questions after it), or at a deeper
/// heading on a level the document uses to group questions rather than
/// inside answers.
pub(super) fn answer_end(
    scanned: &Scanned,
    asks: &[bool],
    closing: &[bool; 7],
    i: usize,
    level: usize,
) -> usize {
    let marks = &scanned.marks;
    let end = region_end(marks, i, level);
    (i + 1..end)
        .find(|&j| match &marks[j].head {
            // `#### ✔️ Answer: B` ends a question's text; it groups nothing.
            Head::Heading { level: l, text } => {
                !asks[j]
                    && labels::parse_label(text).is_none()
                    && (closing[*l] || heads_nothing(scanned, j, end))
            }
            _ => false,
        })
        .unwrap_or(end)
}

/// Whether only blank text follows heading `j` up to mark `end`.
fn heads_nothing(scanned: &Scanned, j: usize, end: usize) -> bool {
    let until = scanned
        .marks
        .get(end)
        .map_or(scanned.text.len(), |m| m.start);
    scanned
        .text
        .get(scanned.marks[j].body_start..until)
        .is_none_or(|rest| rest.trim().is_empty())
}

/// Heading levels that group or close rather than structure answers: a
/// level used for a grouping heading outside every question (`#### 面试题库`
/// before `### 1.`) that appears inside at most a quarter of the answers
/// (`#### 结语` after the last one), where most answers would use it if it
/// were theirs.
pub(super) fn closing_levels(scanned: &Scanned, asks: &[bool]) -> [bool; 7] {
    let marks = &scanned.marks;
    let mut inside = vec![false; marks.len()];
    let mut answers_using = [0usize; 7];
    let mut questions = 0;
    for i in 0..marks.len() {
        let Head::Heading { level, .. } = marks[i].head else {
            continue;
        };
        if inside[i] || !is_question_heading(marks, asks, i, &scanned.text) {
            continue;
        }
        questions += 1;
        let end = region_end(marks, i, level);
        let mut used = [false; 7];
        for j in i + 1..end {
            inside[j] = true;
            if let Head::Heading { level: l, .. } = marks[j].head
                && !asks[j]
                && !heads_nothing(scanned, j, end)
            {
                used[l] = true;
            }
        }
        for (count, used) in answers_using.iter_mut().zip(used) {
            *count += usize::from(used);
        }
    }
    let mut outside = [false; 7];
    for (i, mark) in marks.iter().enumerate() {
        if let Head::Heading { level, .. } = mark.head
            && !inside[i]
            && !asks[i]
        {
            outside[level] = true;
        }
    }
    let mut closing = [false; 7];
    for level in 2..7 {
        closing[level] = questions >= 4 && outside[level] && answers_using[level] * 4 <= questions;
    }
    closing
}

/// The index of the next heading at `level` or higher after `i`.
fn region_end(marks: &[Mark], i: usize, level: usize) -> usize {
    marks[i + 1..]
        .iter()
        .position(|m| matches!(m.head, Head::Heading { level: l, .. } if l <= level))
        .map_or(marks.len(), |p| i + 1 + p)
}
