//! Multiple-choice questions in documents: an options list under the
//! question (`A. …`, `A、…`, `A) …`, `(A) …`, `A: …`, `- [ ] A. …`, after
//! `选项：`/`Options:` or not) and the right letter in the answer (`答案：B`,
//! `Correct answer: B`, `### ✅ 正确答案：B`) or a checked `- [x]` become the
//! deck's `choices`, `correct` and `explanation`. What a quiz cannot take
//! (two right letters, a choice too long for a poll) stays a plain question,
//! with a note saying why.

use super::labels::{Label, parse_label, strip_symbols};
use crate::bank::Quiz;
use crate::bank::rules::{
    MAX_CHOICE_CHARS, MAX_CHOICES, MAX_EXPLANATION_CHARS, MAX_EXPLANATION_LINE_FEEDS, MIN_CHOICES,
};

/// An options list found in a question's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub choices: Vec<String>,
    /// The items ticked `- [x]`.
    pub checked: Vec<usize>,
}

/// One line of an options list.
struct Item<'a> {
    /// 0 for A, 1 for B…; `None` for a checkbox without a letter.
    letter: Option<usize>,
    checked: bool,
    text: &'a str,
}

/// The body without its options list (and the `选项：` line over it), and
/// the list; `None` when the part before the answer has no list of two or
/// more options lettered from A (or checkboxes, one of them ticked).
/// `in_code(offset)` tells the lines of code blocks, which are text.
pub fn take_options(body: &str, in_code: impl Fn(usize) -> bool) -> Option<(String, Options)> {
    let lines = lines_with_offsets(body);
    // `A: one` is an answer label, unless a `B: two` follows it.
    let before_answer = (0..lines.len())
        .find(|&i| {
            let (at, line) = lines[i];
            !in_code(at) && answer_or_analysis(line) && block_at(&lines, i).is_none()
        })
        .unwrap_or(lines.len());
    let mut i = 0;
    while i < before_answer {
        if !in_code(lines[i].0)
            && let Some((end, options)) = block_at(&lines[..before_answer], i)
        {
            let from = options_label_above(&lines, i).unwrap_or(i);
            let mut rest = String::with_capacity(body.len());
            for (_, line) in lines[..from].iter().chain(&lines[end..]) {
                rest.push_str(line);
                rest.push('\n');
            }
            return Some((rest, options));
        }
        i += 1;
    }
    None
}

fn lines_with_offsets(body: &str) -> Vec<(usize, &str)> {
    let mut offset = 0;
    body.split_inclusive('\n')
        .map(|line| {
            let at = offset;
            offset += line.len();
            (at, line.strip_suffix('\n').unwrap_or(line))
        })
        .collect()
}

fn answer_or_analysis(line: &str) -> bool {
    matches!(
        parse_label(line),
        Some((Label::Answer | Label::Analysis, _))
    )
}

/// Whether line `i` starts an options list (so `A: one` is no label).
pub fn starts_options(lines: &[(usize, &str)], i: usize) -> bool {
    block_at(lines, i).is_some()
}

/// The list starting at line `i`, and the line after it: items lettered
/// A, B, C… in order (blank lines between them allowed), or checkboxes.
fn block_at(lines: &[(usize, &str)], i: usize) -> Option<(usize, Options)> {
    let first = item(lines[i].1)?;
    if first.letter.is_some_and(|l| l != 0) {
        return None;
    }
    let lettered = first.letter.is_some();
    let mut items = vec![first];
    let mut end = i + 1;
    let mut j = i + 1;
    while j < lines.len() {
        let line = lines[j].1;
        j += 1;
        if line.trim().is_empty() {
            continue;
        }
        match item(line) {
            Some(next) if lettered && next.letter == Some(items.len()) => items.push(next),
            Some(next) if !lettered && next.letter.is_none() => items.push(next),
            _ => break,
        }
        end = j;
    }
    let checked: Vec<usize> = (0..items.len()).filter(|&k| items[k].checked).collect();
    if items.len() < 2 || (!lettered && checked.is_empty()) {
        return None;
    }
    let choices = items.iter().map(|it| it.text.to_owned()).collect();
    Some((end, Options { choices, checked }))
}

/// The line index of a `**选项：**` / `Options:` line right over line `i`
/// (blank lines between allowed).
fn options_label_above(lines: &[(usize, &str)], i: usize) -> Option<usize> {
    let above = lines[..i].iter().rposition(|(_, l)| !l.trim().is_empty())?;
    is_options_label(lines[above].1).then_some(above)
}

fn is_options_label(line: &str) -> bool {
    let s = line.trim().trim_start_matches('#').trim();
    let s = strip_symbols(s.trim_matches(['*', '_']).trim());
    let s = s.trim_end_matches(['*', '_']).trim_end();
    let s = s
        .trim_end_matches([':', '：'])
        .trim_end_matches(['*', '_'])
        .trim();
    ["选项", "Options", "Choices"]
        .iter()
        .any(|name| s.eq_ignore_ascii_case(name))
}

/// One options line: `- A. text`, `A、text`, `(A) text`, `**A.** text`,
/// `- [ ] A) text`, `- [x] text`.
fn item(line: &str) -> Option<Item<'_>> {
    let mut s = line.trim();
    for marker in ["- ", "* ", "+ "] {
        if let Some(rest) = s.strip_prefix(marker) {
            s = rest.trim_start();
            break;
        }
    }
    let mut checked = None;
    if let Some(rest) = s.strip_prefix("[ ]") {
        checked = Some(false);
        s = rest.trim_start();
    } else if let Some(rest) = s.strip_prefix("[x]").or_else(|| s.strip_prefix("[X]")) {
        checked = Some(true);
        s = rest.trim_start();
    }
    let (letter, text) = match lettered(s) {
        Some((letter, text)) => (Some(letter), text),
        None if checked.is_some() => (None, s),
        None => return None,
    };
    let text = text.trim();
    (!text.is_empty()).then_some(Item {
        letter,
        checked: checked == Some(true),
        text,
    })
}

/// `A. text` (also `A、` `A)` `A）` `A:` `A：` `A．`), `(A) text`,
/// `（A）text`, bold or not: the letter's index and the text.
fn lettered(s: &str) -> Option<(usize, &str)> {
    let (bold, s) = match s.strip_prefix("**") {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let mut chars = s.char_indices();
    let (letter, rest) = match chars.next()? {
        (_, '(' | '（') => {
            let (_, c) = chars.next()?;
            let (at, close) = chars.next()?;
            if !matches!(close, ')' | '）') {
                return None;
            }
            (c, &s[at + close.len_utf8()..])
        }
        (_, c) => {
            let (at, mark) = chars.next()?;
            let rest = &s[at + mark.len_utf8()..];
            // `A. 1.5` is an option; `A.B testing` and `A:B` are not.
            let glued =
                matches!(mark, '.' | ':') && rest.starts_with(|c: char| c.is_ascii_alphanumeric());
            if glued || !matches!(mark, '.' | '、' | ')' | '）' | ':' | '：' | '．') {
                return None;
            }
            (c, rest)
        }
    };
    let index = letter_index(letter)?;
    let mut text = rest;
    if bold {
        text = match text.trim_start().strip_prefix("**") {
            Some(after) => after,
            None => text.trim_end().strip_suffix("**")?,
        };
    }
    Some((index, text))
}

fn letter_index(c: char) -> Option<usize> {
    let lower = c.to_ascii_lowercase();
    ('a'..='j')
        .contains(&lower)
        .then(|| usize::from(lower as u8 - b'a'))
}

/// What a question with an options list becomes.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A quiz, with its answer text (`B. <option>` and what followed).
    Quiz { answer: String, quiz: Quiz },
    /// A plain question (the document as written); why, when the options
    /// looked like a quiz that cannot be used.
    Plain(Option<String>),
}

/// The quiz `options` and the answer field make, if any.
pub fn resolve(options: &Options, answer: &str, analysis: Option<&str>) -> Resolved {
    let (right, rest) = if options.checked.is_empty() {
        match right_letters(answer, &options.choices) {
            Some(found) => found,
            None => return Resolved::Plain(None),
        }
    } else {
        (options.checked.clone(), answer.trim().to_owned())
    };
    if right.len() > 1 {
        let letters: String = right.iter().map(|&i| letter(i)).collect();
        return Resolved::Plain(Some(format!(
            "{} right choices ({letters}): a quiz takes one, so it is imported as a plain question",
            right.len()
        )));
    }
    if let Err(why) = check_choices(&options.choices) {
        return Resolved::Plain(Some(format!(
            "{why}, so it is imported as a plain question"
        )));
    }
    let correct = right[0];
    let mut text = format!("{}. {}", letter(correct), options.choices[correct]);
    if !rest.is_empty() {
        text.push_str("\n\n");
        text.push_str(&rest);
    }
    let explanation = analysis
        .filter(|a| !a.trim().is_empty())
        .or((!rest.is_empty()).then_some(rest.as_str()))
        .and_then(explanation);
    Resolved::Quiz {
        answer: text,
        quiz: Quiz {
            choices: options.choices.clone(),
            correct,
            explanation,
        },
    }
}

fn letter(i: usize) -> char {
    char::from(b'A' + u8::try_from(i).unwrap_or(25).min(25))
}

/// The right choices an answer names in its first line (`B`, `**B**`,
/// `B. text`, `AC`, `A、C`, or an option's exact text), and the answer's
/// other text (after the letter, and the option's text when repeated).
fn right_letters(answer: &str, choices: &[String]) -> Option<(Vec<usize>, String)> {
    let answer = answer.trim();
    let (first, more) = answer.split_once('\n').unwrap_or((answer, ""));
    let line = strip_symbols(first.trim()).trim_matches(['*', '_']).trim();
    if let Some(index) = choices.iter().position(|c| c == line) {
        return Some((vec![index], more.trim().to_owned()));
    }
    // A lone lowercase letter (`b`) names a choice too.
    let upper = line.to_ascii_uppercase();
    let line = if line.len() == 1 {
        upper.as_str()
    } else {
        line
    };
    let (letters, after) = leading_letters(line, choices.len())?;
    let mut after = after.trim_start_matches(['*', '_', ' ']);
    if letters.len() == 1 {
        let punct = after.trim_start_matches(['.', '、', ')', '）', ':', '：', '．', ' ']);
        if let Some(tail) = punct.strip_prefix(choices[letters[0]].as_str()) {
            after = tail;
        }
    }
    let after = after
        .trim_start_matches([
            '.', '、', ')', '）', ':', '：', '．', ',', '，', '。', ' ', '*',
        ])
        .trim();
    let rest = [after, more.trim()]
        .into_iter()
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    Some((letters, rest))
}

/// `B`, `AC`, `A, C`, `A、C`: distinct letters within the options, in
/// order, ending at a non-letter; and the text after them.
fn leading_letters(line: &str, count: usize) -> Option<(Vec<usize>, &str)> {
    let mut letters: Vec<usize> = Vec::new();
    let mut rest = line;
    while let Some(c) = rest.chars().next().filter(char::is_ascii_uppercase) {
        let index = letter_index(c).filter(|&i| i < count)?;
        if letters.last().is_some_and(|&last| last >= index) {
            return None;
        }
        letters.push(index);
        rest = &rest[1..];
        // `A, C`, `A、C`: a separator, then another single letter.
        let joined = rest.trim_start_matches([',', '，', '、', ' ']);
        let single = joined.starts_with(|c: char| c.is_ascii_uppercase())
            && !joined[1..].starts_with(char::is_alphanumeric);
        if joined.len() < rest.len() && single {
            rest = joined;
        }
    }
    if letters.is_empty() || rest.starts_with(char::is_alphanumeric) {
        return None;
    }
    Some((letters, rest))
}

/// Why `choices` cannot be a quiz poll, if they cannot.
fn check_choices(choices: &[String]) -> Result<(), String> {
    if !(MIN_CHOICES..=MAX_CHOICES).contains(&choices.len()) {
        return Err(format!(
            "{} options: a quiz takes {MIN_CHOICES} to {MAX_CHOICES}",
            choices.len()
        ));
    }
    for (i, choice) in choices.iter().enumerate() {
        let chars = choice.chars().count();
        if chars > MAX_CHOICE_CHARS {
            return Err(format!(
                "option {} is {chars} characters long: a quiz allows {MAX_CHOICE_CHARS}",
                letter(i)
            ));
        }
        if choices[..i].contains(choice) {
            return Err(format!("option {} repeats an earlier one", letter(i)));
        }
    }
    Ok(())
}

/// The quiz's explanation: as many whole sentences from the start of
/// `text`'s first paragraph as fit a poll (200 characters, 2 line feeds),
/// `**` and backticks removed; `None` when not even one fits.
fn explanation(text: &str) -> Option<String> {
    let paragraph = text.trim().split("\n\n").next().unwrap_or_default();
    // `__init__` keeps its underscores: only `**` and backticks go.
    let plain: String = paragraph.replace("**", "").replace('`', "");
    let plain = plain.trim();
    let fits = |t: &str| {
        t.chars().count() <= MAX_EXPLANATION_CHARS
            && t.matches('\n').count() <= MAX_EXPLANATION_LINE_FEEDS
    };
    if fits(plain) {
        return (!plain.is_empty()).then(|| plain.to_owned());
    }
    let mut best = None;
    for (i, c) in plain.char_indices() {
        let end = i + c.len_utf8();
        let next_is_space = plain[end..].chars().next().is_none_or(char::is_whitespace);
        let sentence_end = matches!(c, '。' | '？' | '！' | '；')
            || (matches!(c, '.' | '?' | '!') && next_is_space);
        if sentence_end {
            if !fits(&plain[..end]) {
                break;
            }
            best = Some(plain[..end].trim().to_owned());
        }
    }
    best
}

#[cfg(test)]
#[path = "choices_tests.rs"]
mod tests;
