//! Writing a deck as YAML a person can read and edit: single-line text
//! plain (or double-quoted when plain would change its meaning), multi-line
//! text as `|` block scalars, so the Markdown looks as it did in the
//! document. serde_yaml's serializer quotes multi-line strings, hence this.

use super::ImportedDeck;

/// The deck as YAML that `Bank::from_sources` reads back to the same text.
pub fn to_yaml(deck: &ImportedDeck) -> String {
    let mut out = String::new();
    field(&mut out, 0, "deck", &deck.deck);
    field(&mut out, 0, "title", &deck.title);
    field(&mut out, 0, "language", &deck.language);
    out.push_str("questions:\n");
    for (i, question) in deck.questions.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str("  - ");
        field(&mut out, 0, "id", &question.id);
        field(&mut out, 4, "title", &question.title);
        let tags: Vec<String> = question.tags.iter().map(|t| scalar(t)).collect();
        out.push_str(&format!("    tags: [{}]\n", tags.join(", ")));
        field(&mut out, 4, "question", &question.question);
        if let Some(image) = &question.image {
            field(&mut out, 4, "image", image);
        }
        if let Some(quiz) = &question.quiz {
            out.push_str("    choices:\n");
            for choice in &quiz.choices {
                out.push_str(&format!("      - {}\n", scalar(choice)));
            }
            out.push_str(&format!("    correct: {}\n", quiz.correct + 1));
            if let Some(explanation) = &quiz.explanation {
                field(&mut out, 4, "explanation", explanation);
            }
        }
        field(&mut out, 4, "answer", &question.answer);
        if let Some(analysis) = &question.analysis {
            field(&mut out, 4, "analysis", analysis);
        }
    }
    out
}

/// Appends `key: value` at `indent` spaces, the value in the most readable
/// style that keeps it exactly.
fn field(out: &mut String, indent: usize, key: &str, value: &str) {
    let pad = " ".repeat(indent);
    match block_literal(value, indent + 2) {
        Some(block) => out.push_str(&format!("{pad}{key}: {block}")),
        None => out.push_str(&format!("{pad}{key}: {}\n", scalar(value))),
    }
}

/// `|` block scalar text (header line and indented body) when `value` can
/// be written that way without changing it.
fn block_literal(value: &str, indent: usize) -> Option<String> {
    let fits = value.contains('\n')
        && !value.starts_with([' ', '\t', '\n'])
        && value
            .chars()
            .all(|c| c == '\n' || c == '\t' || (is_safe_char(c) && c != '\r'))
        && value
            .split('\n')
            .all(|line| line.is_empty() || !line.trim().is_empty())
        && !value.split('\n').any(|line| line.starts_with('\t'));
    if !fits {
        return None;
    }
    let body = value.trim_end_matches('\n');
    let chomp = match value.len() - body.len() {
        0 => "-",
        1 => "",
        _ => "+",
    };
    let pad = " ".repeat(indent);
    let mut out = format!("|{chomp}\n");
    for line in value.strip_suffix('\n').unwrap_or(value).split('\n') {
        if !line.is_empty() {
            out.push_str(&pad);
        }
        out.push_str(line);
        out.push('\n');
    }
    Some(out)
}

/// A single-line scalar: plain when that reads back as the same string,
/// else double-quoted with escapes.
fn scalar(value: &str) -> String {
    if is_safe_plain(value) {
        value.to_owned()
    } else {
        double_quoted(value)
    }
}

/// Conservative: plain text that YAML cannot read as anything but this
/// exact string (no indicators, no `: ` or ` #`, not a number or keyword).
fn is_safe_plain(value: &str) -> bool {
    let Some(first) = value.chars().next() else {
        return false;
    };
    let starts_ok = !"-?:,[]{}#&*!|>'\"%@`".contains(first) && !first.is_whitespace();
    let chars_ok = value
        .chars()
        .all(|c| is_safe_char(c) && c != '\t' && !c.is_control());
    let no_indicators =
        !value.contains(": ") && !value.contains(" #") && !value.ends_with([':', ' ']);
    starts_ok && chars_ok && no_indicators && reads_as_text(value)
}

/// Not null, a boolean or a number in YAML 1.1 or 1.2 spelling.
fn reads_as_text(value: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n", ".inf", "-.inf", "+.inf",
        ".nan",
    ];
    let lower = value.to_ascii_lowercase();
    let numeric_start = value.starts_with(|c: char| c.is_ascii_digit() || "+-.".contains(c));
    !KEYWORDS.contains(&lower.as_str()) && !numeric_start
}

/// A YAML double-quoted scalar.
fn double_quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_safe_char(c) && !c.is_control() => out.push(c),
            c if (c as u32) <= 0xFFFF => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push_str(&format!("\\U{:08X}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Characters that stand for themselves in YAML text: the printable set,
/// minus the byte-order mark and the Unicode line breaks (NEL, LS, PS)
/// that YAML 1.1 readers fold into newlines.
fn is_safe_char(c: char) -> bool {
    matches!(c as u32,
        0x09 | 0x0A | 0x0D | 0x20..=0x7E | 0xA0..=0x2027 | 0x202A..=0xD7FF
        | 0xE000..=0xFEFE | 0xFF00..=0xFFFD | 0x10000..=0x10FFFF)
}
