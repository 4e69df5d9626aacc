//! What a suggestion's parts must be before they are kept: not empty,
//! within the length limits (`bank::rules`), tags as the bank takes them;
//! and the moderators' labelled form (`Q:` / `问题:` …) read back.

use crate::bank::rules::{
    self, IdKind, MAX_SUGGESTED_ANALYSIS_CHARS, MAX_SUGGESTED_ANSWER_CHARS,
    MAX_SUGGESTED_QUESTION_CHARS, MAX_SUGGESTED_TAGS,
};
use crate::store::SuggestionText;
use crate::study::Lang;
use crate::study::i18n::suggest::{self as words, Part};

fn max_chars(part: Part) -> usize {
    match part {
        Part::Question => MAX_SUGGESTED_QUESTION_CHARS,
        Part::Answer => MAX_SUGGESTED_ANSWER_CHARS,
        Part::Analysis => MAX_SUGGESTED_ANALYSIS_CHARS,
        Part::Tags => usize::MAX,
    }
}

/// `text` as the value of `part` (tags: comma-joined), or the refusal to
/// show the person.
pub fn part(lang: Lang, part: Part, text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(words::empty(lang).to_string());
    }
    if part == Part::Tags {
        return tags(lang, text).map(|tags| tags.join(","));
    }
    let max = max_chars(part);
    if text.chars().count() > max {
        return Err(words::too_long(lang, part, max));
    }
    Ok(text.to_string())
}

/// Tags separated by commas (either width), `、` or spaces, lower-cased,
/// each a tag the bank takes, at most [`MAX_SUGGESTED_TAGS`], no repeats.
pub fn tags(lang: Lang, text: &str) -> Result<Vec<String>, String> {
    let mut tags: Vec<String> = Vec::new();
    let words = text.split(|c: char| c == ',' || c == '，' || c == '、' || c.is_whitespace());
    for tag in words.filter(|w| !w.is_empty()) {
        let tag = tag.trim_start_matches('#').to_lowercase();
        if rules::check_id(&tag, IdKind::Tag).is_err() {
            return Err(words::bad_tag(lang, &tag));
        }
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    if tags.len() > MAX_SUGGESTED_TAGS {
        return Err(words::too_many_tags(lang, MAX_SUGGESTED_TAGS));
    }
    Ok(tags)
}

pub fn split_tags(joined: &str) -> Vec<String> {
    joined
        .split(',')
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// The labels of the moderators' form, in both languages, with the part
/// each names.
const LABELS: &[(&str, Part)] = &[
    ("q", Part::Question),
    ("question", Part::Question),
    ("问题", Part::Question),
    ("a", Part::Answer),
    ("answer", Part::Answer),
    ("答案", Part::Answer),
    ("analysis", Part::Analysis),
    ("解析", Part::Analysis),
    ("tags", Part::Tags),
    ("标签", Part::Tags),
];

/// The form a moderator corrects: one labelled line a part (continued on
/// the lines below it).
pub fn form(text: &SuggestionText, lang: Lang) -> String {
    let (q, a, analysis, tags) = match lang {
        Lang::Zh => ("问题", "答案", "解析", "标签"),
        Lang::En => ("Q", "A", "Analysis", "Tags"),
    };
    let mut form = format!("{q}: {}\n{a}: {}", text.question, text.answer);
    if let Some(more) = &text.analysis {
        form.push_str(&format!("\n{analysis}: {more}"));
    }
    form.push_str(&format!("\n{tags}: {}", text.tags.join(", ")));
    form
}

/// The label a line starts with (`Q:`, `答案：`, any case), and the rest.
fn labelled(line: &str) -> Option<(Part, &str)> {
    let (label, rest) = line.split_once([':', '：'])?;
    let label = label.trim().to_lowercase();
    let part = LABELS.iter().find(|(name, _)| *name == label)?.1;
    Some((part, rest))
}

/// A moderator's corrected form, checked like the person's steps; an
/// absent or empty analysis or tags line leaves them out.
pub fn read_form(lang: Lang, text: &str) -> Result<SuggestionText, String> {
    let mut parts: Vec<(Part, String)> = Vec::new();
    for line in text.lines() {
        match (labelled(line), parts.last_mut()) {
            (Some((part, rest)), _) => parts.push((part, rest.trim_start().to_string())),
            (None, Some((_, value))) => {
                value.push('\n');
                value.push_str(line);
            }
            (None, None) if line.trim().is_empty() => {}
            (None, None) => return Err(words::edit_unreadable(lang).to_string()),
        }
    }
    let find = |want: Part| {
        parts
            .iter()
            .rev()
            .find(|(p, _)| *p == want)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let (Some(question), Some(answer)) = (find(Part::Question), find(Part::Answer)) else {
        return Err(words::edit_unreadable(lang).to_string());
    };
    let analysis = find(Part::Analysis)
        .map(|a| part(lang, Part::Analysis, &a))
        .transpose()?;
    let tags = match find(Part::Tags) {
        Some(t) => tags(lang, &t)?,
        None => Vec::new(),
    };
    Ok(SuggestionText {
        question: part(lang, Part::Question, &question)?,
        answer: part(lang, Part::Answer, &answer)?,
        analysis,
        tags,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_trimmed_and_limited() {
        assert_eq!(
            part(Lang::En, Part::Question, "  Why?\n"),
            Ok("Why?".into())
        );
        assert!(part(Lang::En, Part::Answer, "   ").is_err());
        let long = "x".repeat(MAX_SUGGESTED_QUESTION_CHARS + 1);
        let refusal = part(Lang::En, Part::Question, &long).unwrap_err();
        assert!(refusal.contains("1000"), "{refusal}");
        assert!(part(Lang::Zh, Part::Question, &"字".repeat(1000)).is_ok());
    }

    #[test]
    fn tags_any_separator_lower_case_and_bounded() {
        assert_eq!(
            tags(Lang::En, "ML, #Training，训练 ml").unwrap(),
            vec!["ml", "training", "训练"]
        );
        assert!(tags(Lang::En, "a_b").unwrap_err().contains("a_b"));
        assert!(tags(Lang::En, "a b c d e f").is_err());
    }

    #[test]
    fn a_form_reads_back_in_either_language() {
        let text = SuggestionText {
            question: "Why?\nReally?".into(),
            answer: "Because.".into(),
            analysis: None,
            tags: vec!["ml".into()],
        };
        for lang in [Lang::En, Lang::Zh] {
            assert_eq!(read_form(lang, &form(&text, lang)), Ok(text.clone()));
        }
        let edited = read_form(Lang::En, "问题： Fixed?\nA: Yes\n解析: more\nTAGS:").unwrap();
        assert_eq!(edited.question, "Fixed?");
        assert_eq!(edited.analysis.as_deref(), Some("more"));
        assert!(edited.tags.is_empty());
        assert!(read_form(Lang::En, "just some text").is_err());
        assert!(read_form(Lang::En, "Q: only a question").is_err());
    }
}
