//! The words documents use to mark a question, its answer and its analysis
//! (题目：, **Answer:**, > A: …), and the ways they number questions
//! (`3.`, `3、`, `Q3:`, `第 3 题`). Pure functions on one line of text.

/// Which field a label starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Question,
    Answer,
    Analysis,
}

/// Label names, longest first so `答案解析` wins over `答案` and `Ans`
/// over `A`. The flag marks short names, which need a colon right after.
const NAMES: &[(&str, Label, bool)] = &[
    ("Correct answer", Label::Answer, false),
    ("答案解析", Label::Analysis, false),
    ("正确答案", Label::Answer, false),
    ("参考答案", Label::Answer, false),
    ("Key insights", Label::Analysis, false),
    ("Explanation", Label::Analysis, false),
    ("Analysis", Label::Analysis, false),
    ("Question", Label::Question, false),
    ("Answer", Label::Answer, false),
    ("题目", Label::Question, false),
    ("问题", Label::Question, false),
    ("答案", Label::Answer, false),
    ("回答", Label::Answer, false),
    ("解析", Label::Analysis, false),
    ("分析", Label::Analysis, false),
    ("Ans", Label::Answer, true),
    ("问", Label::Question, true),
    ("答", Label::Answer, true),
    ("Q", Label::Question, true),
    ("A", Label::Answer, true),
];

/// The label a line starts with and the text after it: `**题目：** text`,
/// `**答案**：`, `答：text`, `> **A:** text`, `- Answer: text`, `**Q: text**`,
/// `#### 答案`, `### ✅ 正确答案：B` (emoji before a label are ignored).
/// `None` when the line is not a label line.
pub fn parse_label(line: &str) -> Option<(Label, &str)> {
    let mut s = line.trim_start();
    let mut alone_ok = false;
    if s.starts_with('#') {
        s = s.trim_start_matches('#').trim_start();
        alone_ok = true;
    }
    s = strip_symbols(strip_quote_and_list(s));
    let (bold, s) = match s.strip_prefix("**").or_else(|| s.strip_prefix("__")) {
        Some(rest) => (true, strip_symbols(rest)),
        None => (false, s),
    };
    let (label, short, mut rest) = NAMES
        .iter()
        .find_map(|&(name, label, short)| strip_name(s, name).map(|rest| (label, short, rest)))?;
    // `题目1：`, `Question 2:`: a number between the name and the colon.
    let numbered = rest
        .trim_start()
        .trim_start_matches(|c: char| c.is_ascii_digit());
    if numbered.len() < rest.trim_start().len() {
        rest = numbered;
    }
    let mut closed = false;
    if bold && let Some(r) = rest.strip_prefix("**").or_else(|| rest.strip_prefix("__")) {
        rest = r;
        closed = true;
    }
    match rest.strip_prefix([':', '：']) {
        Some(after) => rest = after,
        None if (closed || alone_ok) && !short && rest.trim().is_empty() => {
            return Some((label, ""));
        }
        None => return None,
    }
    if bold && !closed {
        let trimmed = rest.trim_start();
        match trimmed
            .strip_prefix("**")
            .or_else(|| trimmed.strip_prefix("__"))
        {
            Some(after) => rest = after,
            // `**Q: the question**`: the bold runs to the end of the line.
            None => rest = strip_closing_bold(rest),
        }
    }
    Some((label, rest.trim()))
}

/// `name` at the start of `s` (ASCII case-insensitive), not followed by a
/// letter (so `A` does not match `Also:`).
fn strip_name<'a>(s: &'a str, name: &str) -> Option<&'a str> {
    let head = s.get(..name.len())?;
    if !head.eq_ignore_ascii_case(name) {
        return None;
    }
    let rest = &s[name.len()..];
    let next_is_letter = rest.chars().next().is_some_and(char::is_alphanumeric);
    (!next_is_letter || !name.is_ascii()).then_some(rest)
}

/// Drops emoji and other pictographs (and the spaces after them) that
/// decorate a label: `✅ 正确答案`, `📖 解析`.
pub fn strip_symbols(s: &str) -> &str {
    s.trim_start_matches(|c: char| is_decoration(c) || c.is_whitespace())
}

/// A symbol that is neither a letter, a digit nor ASCII punctuation:
/// emoji, their variation selectors and joiners, dingbats.
pub fn is_decoration(c: char) -> bool {
    !c.is_ascii()
        && !c.is_alphanumeric()
        && (matches!(c as u32, 0x2190..=0x2BFF | 0x1F000..=0x1FAFF | 0xFE0F | 0x200D | 0x20E3))
}

fn strip_closing_bold(text: &str) -> &str {
    let trimmed = text.trim_end();
    trimmed
        .strip_suffix("**")
        .or_else(|| trimmed.strip_suffix("__"))
        .unwrap_or(trimmed)
}

/// Drops `> ` quote markers and one list marker (`- `, `* `, `+ `, `1. `).
fn strip_quote_and_list(mut s: &str) -> &str {
    while let Some(rest) = s.strip_prefix('>') {
        s = rest.trim_start();
    }
    for marker in ["- ", "* ", "+ "] {
        if let Some(rest) = s.strip_prefix(marker) {
            return rest.trim_start();
        }
    }
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0
        && let Some(rest) = s[digits..]
            .strip_prefix(". ")
            .or_else(|| s[digits..].strip_prefix(") "))
    {
        return rest.trim_start();
    }
    s
}

/// The text after a question number (`3.`, `3、`, `1.2)`, `Q3:`,
/// `Question 3:`, `第 3 题`), or `None` when `text` is not numbered.
/// `Question 4` and `第 4 题` name a question with nothing after them
/// (its text under a `Question`/`题目` subheading): the rest is then empty.
pub fn strip_number(text: &str) -> Option<&str> {
    let text = text.trim();
    if let Some(rest) = strip_q_number(text).or_else(|| strip_chinese_ordinal(text)) {
        return Some(rest.trim());
    }
    let rest = strip_arabic_number(text)?.trim();
    (!rest.is_empty()).then_some(rest)
}

fn strip_q_number(text: &str) -> Option<&str> {
    let word = text
        .get(..9)
        .filter(|head| head.eq_ignore_ascii_case("question "))
        .map(|_| &text[9..]);
    let rest = word.or_else(|| text.strip_prefix(['Q', 'q']))?.trim_start();
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let rest = &rest[digits..];
    let after = rest
        .strip_prefix(['.', ':', '：', '、', ')', '）'])
        .unwrap_or(rest);
    (after.len() < rest.len() || after.is_empty() || after.starts_with(' ')).then_some(after)
}

fn strip_arabic_number(text: &str) -> Option<&str> {
    let mut rest = text;
    let mut dotted = false;
    loop {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        rest = &rest[digits..];
        // `1.2 Title` and `1.2. Title`: a dot followed by more digits.
        match rest.strip_prefix('.') {
            Some(more) if more.starts_with(|c: char| c.is_ascii_digit()) => {
                rest = more;
                dotted = true;
            }
            _ => break,
        }
    }
    let punctuated = rest.strip_prefix(['.', '、', ')', '）', ':', '：', '．']);
    match punctuated {
        Some(after) => Some(after),
        // `1.2 Title`: a dotted number needs no punctuation after it.
        None if dotted && rest.starts_with(' ') => Some(rest),
        None => None,
    }
}

fn strip_chinese_ordinal(text: &str) -> Option<&str> {
    let rest = text.strip_prefix('第')?.trim_start();
    let number_end = rest
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_digit() || "一二三四五六七八九十百零〇两".contains(c)))
        .map_or(rest.len(), |(i, _)| i);
    if number_end == 0 {
        return None;
    }
    let rest = rest[number_end..].trim_start();
    let rest = rest.strip_prefix(['题', '问'])?;
    Some(
        rest.trim_start()
            .strip_prefix(['.', ':', '：', '、'])
            .unwrap_or(rest),
    )
}

/// A heading or bold line ending in `?` or `？` (emphasis aside).
pub fn ends_in_question_mark(text: &str) -> bool {
    text.trim_end_matches(['*', '_', ' ', '\t'])
        .ends_with(['?', '？'])
}

/// Words that open a question phrased without a question mark
/// ("Describe the difference…", "请简述…").
const QUESTION_OPENINGS: &[&str] = &[
    "what",
    "why",
    "how",
    "when",
    "where",
    "which",
    "who",
    "whom",
    "whose",
    "is",
    "are",
    "do",
    "does",
    "did",
    "can",
    "could",
    "should",
    "would",
    "will",
    "explain",
    "describe",
    "compare",
    "contrast",
    "discuss",
    "define",
    "differentiate",
    "distinguish",
    "list",
    "name",
    "give",
    "tell",
    "write",
    "implement",
    "outline",
    "elaborate",
    "summarize",
    "summarise",
    "state",
    "illustrate",
    "identify",
];

const CHINESE_QUESTION_OPENINGS: &[&str] = &[
    "什么",
    "为什么",
    "如何",
    "怎么",
    "怎样",
    "请",
    "简述",
    "解释",
    "描述",
    "比较",
    "谈谈",
    "说说",
    "说明",
    "介绍",
    "列举",
    "哪些",
    "是否",
];

/// A heading or line that reads as a question although it has no number
/// and no question mark: its first word asks or instructs.
pub fn opens_like_a_question(text: &str) -> bool {
    let text = text.trim_start_matches(['*', '_', ' ']);
    let first_word: String = text
        .chars()
        .take_while(|c| c.is_ascii_alphabetic() || *c == '\'')
        .collect::<String>()
        .to_ascii_lowercase();
    let first_word = first_word.split('\'').next().unwrap_or_default();
    QUESTION_OPENINGS.contains(&first_word)
        || CHINESE_QUESTION_OPENINGS
            .iter()
            .any(|opening| text.starts_with(opening))
}

/// The question a bold line asks: `**12. What is X?**`, `**Q: What?**`,
/// `**问：…**`, `**题目：** text` or `**What is X?**`; `None` for any other
/// line (such as `**Note:** …` or a bold phrase inside a sentence).
pub fn bold_question(line: &str) -> Option<&str> {
    let line = line.trim();
    if !(line.starts_with("**") || line.starts_with("__")) {
        return None;
    }
    if let Some((label, rest)) = parse_label(line) {
        return (label == Label::Question && !rest.is_empty()).then_some(rest);
    }
    let inner = line[2..].strip_suffix(&line[..2])?;
    if inner.contains("**") || inner.contains("__") {
        return None;
    }
    let inner = inner.trim();
    strip_number(inner)
        .filter(|rest| !rest.is_empty())
        .or_else(|| ends_in_question_mark(inner).then_some(inner))
}

/// The field a table header cell names (`Question`, `问题`, `**Answer**`).
pub fn column_label(cell: &str) -> Option<Label> {
    let cell = cell.trim().trim_matches(['*', '_']).trim();
    NAMES
        .iter()
        .find(|(name, _, _)| cell.eq_ignore_ascii_case(name))
        .map(|&(_, label, _)| label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_in_their_usual_spellings() {
        let q = Label::Question;
        let a = Label::Answer;
        assert_eq!(parse_label("**题目：** 为什么？"), Some((q, "为什么？")));
        assert_eq!(parse_label("**答案**：好"), Some((a, "好")));
        assert_eq!(parse_label("**答案：**"), Some((a, "")));
        assert_eq!(parse_label("> **A:** yes"), Some((a, "yes")));
        assert_eq!(parse_label("- Answer: yes"), Some((a, "yes")));
        assert_eq!(parse_label("答：对"), Some((a, "对")));
        assert_eq!(parse_label("**Q: What?**"), Some((q, "What?")));
        assert_eq!(parse_label("**参考答案**"), Some((a, "")));
        assert_eq!(
            parse_label("**Key insights:** x"),
            Some((Label::Analysis, "x"))
        );
        assert_eq!(parse_label("#### 答案解析"), Some((Label::Analysis, "")));
        assert_eq!(parse_label("Also: no"), None);
        assert_eq!(parse_label("A good answer"), None);
        assert_eq!(parse_label("**A**"), None, "a short label needs a colon");
        assert_eq!(parse_label("Answering: no"), None);
        assert_eq!(parse_label("**题目1：**"), Some((q, "")));
        assert_eq!(parse_label("Question 2: Why?"), Some((q, "Why?")));
        assert_eq!(parse_label("### ✅ 正确答案：B"), Some((a, "B")));
        assert_eq!(parse_label("**✅ Correct answer:** B"), Some((a, "B")));
        assert_eq!(parse_label("✔️ **Answer:** C"), Some((a, "C")));
        assert_eq!(parse_label("### 📖 解析"), Some((Label::Analysis, "")));
    }

    #[test]
    fn numbers_in_their_usual_spellings() {
        assert_eq!(strip_number("3. Title"), Some("Title"));
        assert_eq!(strip_number("3、标题"), Some("标题"));
        assert_eq!(strip_number("Q3: Why?"), Some("Why?"));
        assert_eq!(strip_number("第 3 题：为什么"), Some("为什么"));
        assert_eq!(strip_number("第十二题 为什么"), Some("为什么"));
        assert_eq!(strip_number("1.2 Title"), Some("Title"));
        assert_eq!(strip_number("2024 roadmap"), None);
        assert_eq!(strip_number("2026 Note: RoPE vs. ALiBi"), None);
        assert_eq!(strip_number("Quality"), None);
        assert_eq!(strip_number("3."), None);
        assert_eq!(strip_number("Question 4"), Some(""));
        assert_eq!(strip_number("第 1 题 🟢"), Some("🟢"));
        assert_eq!(strip_number("Q4"), Some(""));
    }

    #[test]
    fn questions_without_a_question_mark() {
        assert!(opens_like_a_question(
            "Describe the difference between a and b."
        ));
        assert!(opens_like_a_question("What's a closure"));
        assert!(opens_like_a_question("请简述 TCP 三次握手。"));
        assert!(!opens_like_a_question("References"));
        assert!(!opens_like_a_question("Isolation levels"));
        assert!(!opens_like_a_question("总结"));
    }

    #[test]
    fn bold_questions() {
        assert_eq!(bold_question("**12. What is X?**"), Some("What is X?"));
        assert_eq!(bold_question("**问：什么是X？**"), Some("什么是X？"));
        assert_eq!(bold_question("**Why is it?**"), Some("Why is it?"));
        assert_eq!(bold_question("**Note:** not a question"), None);
        assert_eq!(bold_question("**bold** then text?"), None);
    }
}
