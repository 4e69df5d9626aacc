//! Reading the Markdown document: find the title and the `####` sections,
//! then each section's question, answer and analysis by their labels.

use std::collections::HashSet;

use crate::bank::rules::{self, IdKind};

use super::{ImportError, ImportErrors, ImportOptions, ImportedDeck, ImportedQuestion};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    Question,
    Answer,
    Analysis,
}

impl Label {
    const ALL: [Label; 3] = [Label::Question, Label::Answer, Label::Analysis];

    fn names(self) -> [&'static str; 2] {
        match self {
            Label::Question => ["题目", "question"],
            Label::Answer => ["答案", "answer"],
            Label::Analysis => ["解析", "analysis"],
        }
    }

    /// How the label is shown in messages, in the document's language.
    fn shown(self, chinese: bool) -> &'static str {
        match (self, chinese) {
            (Label::Question, true) => "**题目：**",
            (Label::Answer, true) => "**答案：**",
            (Label::Analysis, true) => "**解析：**",
            (Label::Question, false) => "**Question:**",
            (Label::Answer, false) => "**Answer:**",
            (Label::Analysis, false) => "**Analysis:**",
        }
    }
}

/// Turns a document into a deck; every problem is reported, in line order.
pub fn import_markdown(text: &str, opts: &ImportOptions) -> Result<ImportedDeck, ImportErrors> {
    let lines: Vec<&str> = text
        .lines()
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let chinese = text.chars().any(is_cjk);
    let starts: Vec<usize> = (0..lines.len())
        .filter(|&i| section_heading(lines[i]).is_some())
        .collect();
    let mut errors = Vec::new();
    if let Err(reason) = rules::check_id(&opts.deck, IdKind::Deck) {
        errors.push(ImportError::BadDeckId {
            deck: opts.deck.clone(),
            reason,
        });
    }
    let first_section = starts.first().copied().unwrap_or(lines.len());
    let title = opts
        .title
        .clone()
        .or_else(|| document_title(&lines[..first_section]));
    if title.is_none() {
        errors.push(ImportError::NoTitle);
    }
    if starts.is_empty() {
        errors.push(ImportError::NoSections);
    }
    let mut questions = Vec::new();
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(lines.len());
        match section(&lines, start, end, chinese) {
            Ok(question) => questions.push(question),
            Err(mut section_errors) => errors.append(&mut section_errors),
        }
    }
    if !errors.is_empty() {
        return Err(ImportErrors(errors));
    }
    assign_ids(&mut questions);
    Ok(ImportedDeck {
        deck: opts.deck.clone(),
        title: title.unwrap_or_default(),
        language: if chinese { "zh" } else { "en" }.to_owned(),
        questions,
    })
}

/// The text of a `#### ` heading line.
fn section_heading(line: &str) -> Option<&str> {
    let rest = line.trim_start().strip_prefix("####")?;
    (rest.is_empty() || rest.starts_with([' ', '\t'])).then(|| rest.trim())
}

/// The first `#`, `##` or `###` heading before the sections.
fn document_title(lines: &[&str]) -> Option<String> {
    lines.iter().find_map(|line| {
        let line = line.trim_start();
        let hashes = line.bytes().take_while(|&b| b == b'#').count();
        let rest = &line[hashes..];
        let heading = (1..=3).contains(&hashes) && rest.starts_with([' ', '\t']);
        let title = rest.trim().trim_end_matches('#').trim();
        (heading && !title.is_empty()).then(|| title.to_owned())
    })
}

/// One `####` section, lines `start..end` (`start` is the heading).
fn section(
    lines: &[&str],
    start: usize,
    end: usize,
    chinese: bool,
) -> Result<ImportedQuestion, Vec<ImportError>> {
    let heading = section_heading(lines[start]).unwrap_or_default();
    let line = start + 1;
    let mut errors = Vec::new();
    let title = strip_number(heading);
    if title.is_empty() {
        errors.push(ImportError::NoSectionTitle {
            line,
            section: heading.to_owned(),
        });
    }
    let mut found = Vec::new();
    let mut from = start + 1;
    for label in Label::ALL {
        match (from..end).find(|&i| label_rest(lines[i], label).is_some()) {
            Some(at) => {
                found.push((label, at));
                from = at + 1;
            }
            None => errors.push(ImportError::MissingLabel {
                line,
                section: heading.to_owned(),
                label: label.shown(chinese),
            }),
        }
    }
    let mut texts = Vec::new();
    for (k, &(label, at)) in found.iter().enumerate() {
        let until = found.get(k + 1).map_or(end, |&(_, next)| next);
        let text = field_text(lines, at, until, label);
        if text.is_empty() {
            let section = heading.to_owned();
            errors.push(ImportError::EmptyField {
                line: at + 1,
                section,
                label: label.shown(chinese),
            });
        }
        texts.push(text);
    }
    let [question, answer, analysis]: [String; 3] = match texts.try_into() {
        Ok(texts) if errors.is_empty() => texts,
        _ => return Err(errors),
    };
    Ok(ImportedQuestion {
        id: String::new(),
        title: title.to_owned(),
        tags: Vec::new(),
        question,
        answer,
        analysis: Some(analysis),
    })
}

/// `1. Title`, `1、Title` or `1) Title` → `Title`.
fn strip_number(heading: &str) -> &str {
    let rest = heading.trim_start_matches(|c: char| c.is_ascii_digit());
    if rest.len() == heading.len() {
        return heading;
    }
    match rest.strip_prefix(['.', '、', ')', '．']) {
        Some(title) => title.trim(),
        None => heading,
    }
}

/// The text after `label` when `line` starts with it, in any of the forms
/// `**题目：**`, `**题目:**`, `**题目**：`, `**Question:**` (any case).
fn label_rest(line: &str, label: Label) -> Option<&str> {
    let rest = line.trim_start().strip_prefix("**")?;
    let rest = label
        .names()
        .iter()
        .find_map(|name| strip_prefix_ignore_case(rest, name))?;
    ["：**", ":**", "**：", "**:"]
        .iter()
        .find_map(|end| rest.strip_prefix(end))
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// The text of one labelled field: what follows the label on its line,
/// then the lines up to the next label, without surrounding blank lines
/// (and without a trailing `---` rule). Lines are kept word for word.
fn field_text(lines: &[&str], at: usize, until: usize, label: Label) -> String {
    let first = label_rest(lines[at], label).unwrap_or_default().trim();
    let mut body: Vec<&str> = Vec::with_capacity(until - at);
    body.push(first);
    body.extend(&lines[at + 1..until]);
    while body
        .last()
        .is_some_and(|l| l.trim().is_empty() || is_rule(l))
    {
        body.pop();
    }
    let leading = body.iter().take_while(|l| l.trim().is_empty()).count();
    body[leading..].join("\n").trim_end().to_owned()
}

fn is_rule(line: &str) -> bool {
    let line = line.trim();
    let Some(mark @ ('-' | '*' | '_')) = line.chars().next() else {
        return false;
    };
    line.chars().filter(|&c| c == mark).count() >= 3 && line.chars().all(|c| c == mark || c == ' ')
}

/// Ids from titles (`q1`, `q2`… for titles with no ASCII letters), made
/// unique with `-2`, `-3`…
fn assign_ids(questions: &mut [ImportedQuestion]) {
    let mut taken: HashSet<String> = HashSet::with_capacity(questions.len());
    for (n, question) in questions.iter_mut().enumerate() {
        let mut base = rules::slugify(&question.title, rules::MAX_QUESTION_ID_BYTES);
        if base.is_empty() {
            base = format!("q{}", n + 1);
        }
        let mut id = base.clone();
        let mut copy = 2;
        while taken.contains(&id) {
            let suffix = format!("-{copy}");
            let room = rules::MAX_QUESTION_ID_BYTES - suffix.len();
            let stem = base
                .get(..room.min(base.len()))
                .unwrap_or(&base)
                .trim_end_matches('-');
            id = format!("{stem}{suffix}");
            copy += 1;
        }
        taken.insert(id.clone());
        question.id = id;
    }
}

/// Han ideographs, kana, Hangul and CJK punctuation.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F | 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x2FA1F)
}
