//! What the importer decides for the deck as a whole: ids, tags from
//! grouping headings, the language, and questions that appear twice.

use std::collections::{HashMap, HashSet};

use super::{ImportedQuestion, Note};
use crate::bank::rules::{self, IdKind};

/// A tag from a heading that groups questions: lowercase letters and digits
/// (any script) kept, every other run of characters one `-`, at most
/// `MAX_TAG_BYTES`. `Topic 4` → `topic-4`, `概述` → `概述`.
pub fn tag_of(heading: &str) -> String {
    let mut tag = String::new();
    for c in heading.chars() {
        if tag.len() > rules::MAX_TAG_BYTES {
            break;
        }
        if c.is_alphanumeric() {
            tag.extend(c.to_lowercase());
        } else if !tag.is_empty() && !tag.ends_with('-') {
            tag.push('-');
        }
    }
    let mut end = tag.len().min(rules::MAX_TAG_BYTES);
    while !tag.is_char_boundary(end) {
        end -= 1;
    }
    tag.truncate(end);
    let tag = tag.trim_end_matches('-');
    if rules::check_id(tag, IdKind::Tag).is_ok() {
        tag.to_owned()
    } else {
        String::new()
    }
}

/// Ids for every question: a valid id it brought (from an exported
/// document) when unique, else one from its title (`q1`, `q2`… for titles
/// with no ASCII letters), made unique (and kept clear of `reserved`)
/// with `-2`, `-3`…
pub fn assign_ids(questions: &mut [ImportedQuestion], reserved: &HashSet<String>) {
    let mut taken: HashSet<String> = reserved.clone();
    let mut keep = vec![false; questions.len()];
    for (n, question) in questions.iter().enumerate() {
        if rules::check_id(&question.id, IdKind::Question).is_ok()
            && taken.insert(question.id.clone())
        {
            keep[n] = true;
        }
    }
    // The next suffix to try for each base, so that a thousand questions
    // with the same title do not each count up from 2.
    let mut next_copy: HashMap<String, usize> = HashMap::new();
    for (n, question) in questions.iter_mut().enumerate() {
        if keep[n] {
            continue;
        }
        let mut base = rules::slugify(&question.title, rules::MAX_QUESTION_ID_BYTES);
        if base.is_empty() {
            base = format!("q{}", n + 1);
        }
        let mut id = base.clone();
        let copy = next_copy.entry(base.clone()).or_insert(2);
        while taken.contains(&id) {
            let suffix = format!("-{copy}");
            let room = rules::MAX_QUESTION_ID_BYTES - suffix.len();
            let stem = base
                .get(..room.min(base.len()))
                .unwrap_or(&base)
                .trim_end_matches('-');
            id = format!("{stem}{suffix}");
            *copy += 1;
        }
        taken.insert(id.clone());
        question.id = id;
    }
}

/// `zh` when more than half of the questions (title and text) are written in Chinese, else
/// `en`: a reference list with one CJK name does not make a deck Chinese.
pub fn language(questions: &[ImportedQuestion]) -> &'static str {
    let chinese = questions
        .iter()
        .filter(|q| {
            let cjk = |t: &str| t.chars().filter(|&c| is_cjk(c)).count();
            cjk(&q.title) + cjk(&q.question) >= 2
        })
        .count();
    if questions.is_empty() || chinese * 2 <= questions.len() {
        "en"
    } else {
        "zh"
    }
}

/// Han ideographs, kana and Hangul.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// A warning for each question with the same title and text as an earlier
/// one; `lines[i]` is where question `i` starts.
pub fn duplicates(questions: &[ImportedQuestion], lines: &[usize]) -> Vec<Note> {
    let mut first: HashMap<(&str, &str), usize> = HashMap::with_capacity(questions.len());
    let mut notes = Vec::new();
    for (question, &line) in questions.iter().zip(lines) {
        let key = (question.title.as_str(), question.question.as_str());
        match first.get(&key) {
            Some(&earlier) => notes.push(Note {
                line,
                why: format!(
                    "“{}” is the same question as on line {earlier} (imported twice)",
                    question.title
                ),
            }),
            None => {
                first.insert(key, line);
            }
        }
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_from_headings() {
        assert_eq!(tag_of("Topic 4"), "topic-4");
        assert_eq!(tag_of("概述"), "概述");
        assert_eq!(tag_of("Section B: Networking!"), "section-b-networking");
        assert_eq!(tag_of("🚀"), "");
        assert!(tag_of(&"很长的标题".repeat(10)).len() <= rules::MAX_TAG_BYTES);
    }
}
