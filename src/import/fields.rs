//! One question's fields from the text a section owns: the labels split it
//! into question, answer and analysis; without labels the head is the
//! question and the text is the answer. Lines are kept word for word; only
//! blank lines, rules and `<br>` separators around a field are dropped.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag};

use super::ImportedQuestion;
use super::choices::{self, Resolved};
use super::labels::{Label, parse_label};
use super::scan::in_ranges;
use super::sections::Unit;
use crate::bank::Quiz;

/// The fields the labels of a body give, and the text before the first.
#[derive(Debug, Default, PartialEq, Eq)]
struct Split {
    before: String,
    question: Option<String>,
    answer: Option<String>,
    analysis: Option<String>,
}

/// The question a unit holds, or why it cannot be used; with a note when
/// its options could not make a quiz.
pub fn question(unit: &Unit) -> Result<(ImportedQuestion, Option<String>), String> {
    let (mut meta, body) = export_comment(&unit.body);
    let code = code_ranges(body);
    let Some((rest, options)) = choices::take_options(body, |at| in_ranges(&code, at)) else {
        return finish(unit, meta, read(unit, body), None).map(|q| (q, None));
    };
    let fields = read(unit, &rest);
    if let Some(quiz) = meta.exported_quiz(&options.choices) {
        // `studybot export` said which choice is right: the labels are the
        // answer and analysis word for word.
        return finish(unit, meta, fields, Some(quiz)).map(|q| (q, None));
    }
    match choices::resolve(&options, &fields.answer, fields.analysis.as_deref()) {
        Resolved::Quiz { answer, quiz } => {
            let fields = Fields { answer, ..fields };
            finish(unit, meta, fields, Some(quiz)).map(|q| (q, None))
        }
        Resolved::Plain(why) => {
            let question = finish(unit, meta, read(unit, body), None)?;
            let note = why.map(|why| format!("“{}”: {why}", question.title));
            Ok((question, note))
        }
    }
}

/// A unit's fields as its labels give them.
struct Fields {
    question: String,
    answer: String,
    analysis: Option<String>,
    answer_labelled: bool,
}

fn read(unit: &Unit, body: &str) -> Fields {
    let split = split(body);
    let answer_labelled = split.answer.is_some();
    let question_labelled = split.question.is_some();
    let question = match split.question {
        Some(question) if !split.before.is_empty() => {
            format!("{}\n\n{question}", split.before)
        }
        Some(question) => question,
        None if answer_labelled && !split.before.is_empty() => split.before.clone(),
        None => unit.title.trim().to_owned(),
    };
    let answer = match split.answer {
        Some(answer) => answer,
        None if !question_labelled => split.before,
        None => String::new(),
    };
    Fields {
        question,
        answer,
        analysis: split.analysis,
        answer_labelled,
    }
}

fn finish(
    unit: &Unit,
    meta: Meta,
    fields: Fields,
    quiz: Option<Quiz>,
) -> Result<ImportedQuestion, String> {
    let Fields {
        question,
        answer,
        analysis,
        answer_labelled,
    } = fields;
    // A title of emoji alone (`第 1 题 🟢`) is no title.
    let title = unit.title.lines().next().unwrap_or_default().trim();
    let title = if title.chars().any(char::is_alphanumeric) {
        title
    } else {
        ""
    };
    let shown = if title.is_empty() {
        "a question"
    } else {
        title
    };
    if question.is_empty() {
        return Err(format!("“{shown}”: no question text"));
    }
    if answer.is_empty() {
        let why = if answer_labelled {
            "the answer label has nothing after it"
        } else {
            "no answer (a question needs one)"
        };
        return Err(format!("“{shown}”: {why}"));
    }
    let title = if title.is_empty() {
        unbold(question.lines().next().unwrap_or_default().trim())
    } else {
        title
    };
    Ok(ImportedQuestion {
        id: meta.id.unwrap_or_default(),
        title: title.to_owned(),
        tags: meta.tags.unwrap_or_else(|| unit.tags.clone()),
        question,
        answer,
        analysis: analysis
            .or_else(|| unit.analysis.clone())
            .filter(|a| !a.is_empty()),
        quiz,
        image: meta.image,
    })
}

/// A line that is bold as a whole, without its markers (a title is shown
/// as plain text).
fn unbold(line: &str) -> &str {
    ["**", "__"]
        .iter()
        .find_map(|m| line.strip_prefix(m)?.strip_suffix(m))
        .filter(|inner| !inner.contains("**") && !inner.trim().is_empty())
        .unwrap_or(line)
}

/// What `studybot export` writes after a heading to keep ids and tags.
#[derive(Debug, Default)]
struct Meta {
    id: Option<String>,
    tags: Option<Vec<String>>,
    image: Option<String>,
    /// A quiz's right choice (from 1) and explanation, as exported.
    correct: Option<usize>,
    explanation: Option<String>,
}

impl Meta {
    /// The quiz an export comment describes with these choices, if it
    /// names a right one among them.
    fn exported_quiz(&mut self, choices: &[String]) -> Option<Quiz> {
        let correct = self.correct.filter(|&n| (1..=choices.len()).contains(&n))?;
        Some(Quiz {
            choices: choices.to_vec(),
            correct: correct - 1,
            explanation: self.explanation.take(),
        })
    }
}

/// Reads (and removes) a leading `<!-- id: x | tags: a, b -->` line.
fn export_comment(body: &str) -> (Meta, &str) {
    let trimmed = body.trim_start();
    let line_end = trimmed.find('\n').unwrap_or(trimmed.len());
    let line = trimmed[..line_end].trim();
    let Some(inner) = line
        .strip_prefix("<!--")
        .and_then(|l| l.strip_suffix("-->"))
    else {
        return (Meta::default(), body);
    };
    let mut meta = Meta::default();
    for part in inner.split('|') {
        let part = part.trim();
        if let Some(id) = part.strip_prefix("id:") {
            meta.id = Some(id.trim().to_owned());
        } else if let Some(tags) = part.strip_prefix("tags:") {
            let tags = tags.split(',').map(str::trim).filter(|t| !t.is_empty());
            meta.tags = Some(tags.map(str::to_owned).collect());
        } else if let Some(image) = part.strip_prefix("image:") {
            meta.image = Some(image.trim().to_owned()).filter(|i| !i.is_empty());
        } else if let Some(correct) = part.strip_prefix("correct:") {
            meta.correct = correct.trim().parse().ok();
        } else if part.starts_with("explanation:") {
            break;
        }
    }
    // Last, as JSON: it may hold a `|`.
    if let Some((_, json)) = inner.split_once("| explanation:") {
        meta.explanation = serde_json::from_str(json.trim()).ok();
    }
    if meta.id.is_none() && meta.tags.is_none() {
        return (Meta::default(), body);
    }
    (meta, &trimmed[line_end..])
}

/// Splits a body at its label lines (outside code blocks). Each label
/// starts a field the first time it appears; a repeated one is text.
fn split(body: &str) -> Split {
    let code = code_ranges(body);
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        lines.push((offset, line.strip_suffix('\n').unwrap_or(line)));
        offset += line.len();
    }
    let mut starts: Vec<(usize, Label)> = Vec::new();
    for (index, &(at, line)) in lines.iter().enumerate() {
        if in_ranges(&code, at) {
            continue;
        }
        if let Some((label, _)) = parse_label(line)
            && !starts.iter().any(|&(_, seen)| seen == label)
            && !choices::starts_options(&lines, index)
        {
            starts.push((index, label));
        }
    }
    if !starts.iter().any(|&(_, label)| label == Label::Answer)
        && let Some(index) = lines
            .iter()
            .position(|&(at, line)| !in_ranges(&code, at) && is_answer_summary(line))
    {
        starts.push((index, Label::Answer));
        starts.sort_by_key(|&(index, _)| index);
    }
    let mut split = Split {
        before: field_text(&lines, 0, starts.first().map_or(lines.len(), |s| s.0), None),
        ..Split::default()
    };
    for (k, &(index, label)) in starts.iter().enumerate() {
        let until = starts.get(k + 1).map_or(lines.len(), |s| s.0);
        let text = if is_answer_summary(lines[index].1) {
            field_text(&lines, index + 1, until.max(index + 1), None)
        } else {
            field_text(&lines, index, until, Some(label))
        };
        let slot = match label {
            Label::Question => &mut split.question,
            Label::Answer => &mut split.answer,
            Label::Analysis => &mut split.analysis,
        };
        *slot = Some(text);
    }
    split
}

/// The byte ranges of fenced and indented code blocks in `body`.
fn code_ranges(body: &str) -> Vec<Range<usize>> {
    if !body.contains("```") && !body.contains("~~~") && !body.contains("\n    ") {
        return Vec::new();
    }
    Parser::new(body)
        .into_offset_iter()
        .filter_map(|(event, range)| {
            matches!(event, Event::Start(Tag::CodeBlock(_))).then_some(range)
        })
        .collect()
}

/// Lines `from..until` as one text: a label line contributes what follows
/// its label; blank lines, rules and `<br>` lines around it are dropped,
/// and the indentation all its lines share (a list item's) is removed.
fn field_text(lines: &[(usize, &str)], from: usize, until: usize, label: Option<Label>) -> String {
    let mut body: Vec<&str> = Vec::with_capacity(until.saturating_sub(from));
    for (index, &(_, line)) in lines[from..until].iter().enumerate() {
        match (index, label) {
            (0, Some(_)) => body.push(parse_label(line).map_or("", |(_, rest)| rest)),
            _ => body.push(line),
        }
    }
    while body.last().is_some_and(|l| is_separator(l)) {
        body.pop();
    }
    let leading = body.iter().take_while(|l| is_separator(l)).count();
    let from_label = usize::from(label.is_some() && leading == 0);
    let indent = body[leading + from_label.min(body.len() - leading)..]
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    let lines: Vec<&str> = body[leading..]
        .iter()
        .enumerate()
        .map(|(k, line)| match line.get(indent..) {
            Some(rest) if k >= from_label && line.starts_with(&" ".repeat(indent)) => rest,
            _ => line.trim_start_matches(' '),
        })
        .collect();
    lines.join("\n").trim_end().to_owned()
}

/// `<summary>查看答案</summary>`, `<details><summary>Answer</summary>`: the
/// answer follows (when no label says where it starts).
fn is_answer_summary(line: &str) -> bool {
    summary_text(line).is_some_and(|text| {
        let lower = text.to_lowercase();
        ["答案", "answer", "solution", "解答"]
            .iter()
            .any(|word| lower.contains(word))
    })
}

/// The text of a line that is a `<summary>` (after an optional `<details>`).
fn summary_text(line: &str) -> Option<&str> {
    let mut s = line.trim();
    if starts_with_tag(s, "<details") {
        s = s[s.find('>')? + 1..].trim_start();
    }
    if !starts_with_tag(s, "<summary") {
        return None;
    }
    let inner = &s[s.find('>')? + 1..];
    let close = inner.to_ascii_lowercase().rfind("</summary>")?;
    inner[close..]
        .eq_ignore_ascii_case("</summary>")
        .then(|| inner[..close].trim())
}

fn starts_with_tag(s: &str, tag: &str) -> bool {
    s.get(..tag.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(tag))
        && s[tag.len()..].starts_with(['>', ' '])
}

/// Blank lines, `---` rules, lone `<br>` tags between questions, and the
/// `<details>`/`<summary>` lines that wrap an answer.
fn is_separator(line: &str) -> bool {
    let line = line.trim();
    if line.is_empty() || line.eq_ignore_ascii_case("<br>") || line.eq_ignore_ascii_case("<br/>") {
        return true;
    }
    if line.eq_ignore_ascii_case("</details>")
        || (starts_with_tag(line, "<details")
            && line.ends_with('>')
            && line.matches('>').count() == 1)
        || summary_text(line).is_some()
    {
        return true;
    }
    let Some(mark @ ('-' | '*' | '_')) = line.chars().next() else {
        return false;
    };
    line.chars().filter(|&c| c == mark).count() >= 3 && line.chars().all(|c| c == mark || c == ' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_split_a_body_and_code_is_text() {
        let body = "\n**题目：** 为什么？\n\n**答案：**\n\n```\n**解析：** 不是标签\n```\n\n**解析：** 因为。\n\n---\n";
        let split = split(body);
        assert_eq!(split.before, "");
        assert_eq!(split.question.as_deref(), Some("为什么？"));
        assert_eq!(
            split.answer.as_deref(),
            Some("```\n**解析：** 不是标签\n```")
        );
        assert_eq!(split.analysis.as_deref(), Some("因为。"));
    }

    #[test]
    fn an_export_comment_gives_id_and_tags() {
        let (meta, rest) = export_comment("\n<!-- id: a-b | tags: x, 概述 -->\n\ntext\n");
        assert_eq!(meta.id.as_deref(), Some("a-b"));
        assert_eq!(meta.tags, Some(vec!["x".to_owned(), "概述".to_owned()]));
        assert_eq!(rest.trim(), "text");
        assert_eq!(meta.image, None);
        let (meta, _) = export_comment("<!-- id: c | tags:  | image: img/a b.png -->\nq");
        assert_eq!(meta.image.as_deref(), Some("img/a b.png"));
        let (meta, rest) = export_comment("<!-- a comment -->\ntext");
        assert!(meta.id.is_none());
        assert_eq!(rest, "<!-- a comment -->\ntext");
    }
}
