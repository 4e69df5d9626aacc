//! `<details><summary>question</summary> answer </details>` blocks, as in
//! devops-exercises: found by searching the text outside code blocks (an
//! HTML block and the Markdown inside it are separate events for
//! pulldown-cmark), with nested blocks counted and the `<br><b>` wrapping
//! of the answer removed.

use std::ops::Range;

use super::scan::{Head, Mark, in_ranges};

/// A `<details>` block found in the text.
pub struct Details {
    pub start: usize,
    pub end: usize,
    pub mark: Mark,
}

/// Every top-level `<details><summary>…</summary> … </details>` outside
/// code blocks.
pub fn find(text: &str, code: &[Range<usize>]) -> Vec<Details> {
    let lower = text.to_ascii_lowercase();
    let in_code = |at: usize| in_ranges(code, at);
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(found_at) = lower[from..].find("<details") {
        let start = from + found_at;
        from = start + "<details".len();
        if in_code(start) {
            continue;
        }
        let end = closing_details(&lower, from).unwrap_or(text.len());
        if let Some(mark) = details_mark(text, &lower, start, end) {
            found.push(Details { start, end, mark });
        }
        from = end.max(from);
    }
    found
}

/// The end of the `</details>` closing the block whose content starts at
/// `from` (nested blocks counted).
fn closing_details(lower: &str, mut from: usize) -> Option<usize> {
    let mut depth = 1;
    loop {
        let open = lower[from..].find("<details").map(|i| from + i);
        let close = lower[from..].find("</details>").map(|i| from + i)?;
        match open {
            Some(open) if open < close => {
                depth += 1;
                from = open + "<details".len();
            }
            _ => {
                depth -= 1;
                from = close + "</details>".len();
                if depth == 0 {
                    return Some(from);
                }
            }
        }
    }
}

fn details_mark(text: &str, lower: &str, start: usize, end: usize) -> Option<Mark> {
    let block = &lower[start..end];
    let summary_open = block.find("<summary")?;
    let summary_text = start + summary_open + block[summary_open..].find('>')? + 1;
    let summary_close = summary_text + lower[summary_text..end].find("</summary>")?;
    let question = text[summary_text..summary_close].trim().to_owned();
    let body_start = summary_close + "</summary>".len();
    let body_end = end
        .checked_sub("</details>".len())
        .filter(|&e| e >= body_start && lower[e..end] == *"</details>")
        .unwrap_or(end);
    let body = trim_tags(text, body_start..body_end);
    Some(Mark {
        head: Head::Details { question, body },
        start,
        body_start,
    })
}

/// Narrows `range` past the `<br>`, `<b>`, `<p>` tags and blank space that
/// wrap an answer in `<details>` blocks.
fn trim_tags(text: &str, mut range: Range<usize>) -> Range<usize> {
    const OPENING: [&str; 5] = ["<br>", "<br/>", "<br />", "<b>", "<p>"];
    const CLOSING: [&str; 3] = ["</b>", "</p>", "<br>"];
    loop {
        let slice = &text[range.clone()];
        let trimmed = slice.trim_start();
        let skip = slice.len() - trimmed.len()
            + OPENING
                .iter()
                .find(|tag| starts_with_ignore_case(trimmed, tag))
                .map_or(0, |tag| tag.len());
        let slice = &slice[skip..];
        let trimmed = slice.trim_end();
        let cut = slice.len() - trimmed.len()
            + CLOSING
                .iter()
                .find(|tag| ends_with_ignore_case(trimmed, tag))
                .map_or(0, |tag| tag.len());
        if skip == 0 && cut == 0 {
            return range;
        }
        range = range.start + skip..(range.end - cut).max(range.start + skip);
    }
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

fn ends_with_ignore_case(text: &str, suffix: &str) -> bool {
    text.len() >= suffix.len()
        && text
            .get(text.len() - suffix.len()..)
            .is_some_and(|tail| tail.eq_ignore_ascii_case(suffix))
}
