//! The columns of a table: named by a header row or `--columns` (in
//! Chinese or English), declared by Anki's `#key:value` lines, and the
//! separator, declared or guessed.

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Question,
    Answer,
    Analysis,
    Tags,
    Title,
    /// All the options in one cell, one a line (or split by `|`).
    Choices,
    /// One option: 0 for a column named A, 1 for B…
    Choice(usize),
    /// The right option: its letter, number (from 1) or text.
    Correct,
    Skip,
}

/// The names `--columns` takes, for its error message.
pub const COLUMN_NAMES: &str =
    "question, answer, analysis, tags, title, choices, correct, A–J (one option each), skip";

/// `question,answer,analysis,tags` as columns; the error names a bad one.
pub fn parse_columns(list: &str) -> Result<Vec<Column>, String> {
    list.split(',')
        .map(|name| {
            column_named(name).ok_or_else(|| {
                format!(
                    "unknown column `{}` in --columns: use {COLUMN_NAMES}",
                    name.trim()
                )
            })
        })
        .collect()
}

pub fn column_named(name: &str) -> Option<Column> {
    let name = name
        .trim()
        .trim_matches(['*', '_', '"'])
        .trim()
        .to_lowercase();
    let column = match name.as_str() {
        "question" | "questions" | "front" | "term" | "prompt" | "题目" | "问题" | "正面" => {
            Column::Question
        }
        "answer" | "back" | "definition" | "答案" | "回答" | "背面" => Column::Answer,
        "analysis" | "explanation" | "notes" | "extra" | "解析" | "分析" | "备注" => {
            Column::Analysis
        }
        "tags" | "tag" | "标签" => Column::Tags,
        "title" | "标题" => Column::Title,
        "choices" | "options" | "选项" => Column::Choices,
        "correct" | "correct answer" | "正确答案" => Column::Correct,
        "skip" | "-" => Column::Skip,
        other => {
            let letter = other
                .strip_prefix("option")
                .or_else(|| other.strip_prefix("选项"))
                .unwrap_or(other)
                .trim();
            let mut chars = letter.chars();
            match (chars.next(), chars.next()) {
                (Some(c @ 'a'..='j'), None) => Column::Choice(usize::from(c as u8 - b'a')),
                _ => return None,
            }
        }
    };
    Some(column)
}

/// The `#key:value` lines Anki writes before the rows.
#[derive(Debug, Default)]
pub struct AnkiHeader {
    pub separator: Option<u8>,
    pub html: Option<bool>,
    pub tags_column: Option<usize>,
    pub columns: Option<String>,
    /// Lines the header takes.
    pub lines: usize,
}

pub fn anki_header(text: &str) -> AnkiHeader {
    let mut header = AnkiHeader::default();
    for line in text.lines() {
        let Some((key, value)) = line.strip_prefix('#').and_then(|l| l.split_once(':')) else {
            break;
        };
        if !key.chars().all(|c| c.is_ascii_alphabetic() || c == ' ') {
            break;
        }
        header.lines += 1;
        let value = value.trim();
        match key.trim().to_ascii_lowercase().as_str() {
            "separator" => header.separator = separator_named(value),
            "html" => header.html = Some(value.eq_ignore_ascii_case("true")),
            "tags column" => header.tags_column = value.parse().ok(),
            "columns" => header.columns = Some(value.to_owned()),
            _ => {}
        }
    }
    header
}

fn separator_named(value: &str) -> Option<u8> {
    match value.to_ascii_lowercase().as_str() {
        "tab" => Some(b'\t'),
        "comma" => Some(b','),
        "semicolon" => Some(b';'),
        "space" => Some(b' '),
        "pipe" => Some(b'|'),
        "colon" => Some(b':'),
        other if other.len() == 1 => other.bytes().next(),
        _ => None,
    }
}

/// Tab when the first row has one, else comma or semicolon, whichever it
/// has more of; `.tsv` files are tab-separated.
pub fn guess_separator(rows: &str, extension: &str) -> u8 {
    if extension.eq_ignore_ascii_case("tsv") {
        return b'\t';
    }
    let first = rows
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    if first.contains('\t') {
        b'\t'
    } else if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    }
}
