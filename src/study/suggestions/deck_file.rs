//! Where an approved suggestion goes: the chat's own deck file,
//! `content/community/<platform>-<chat>.yaml`, a deck like any other (the
//! operator's Git history holds it, `studybot check` checks it) whose
//! `scope` keeps its questions in that chat. The file is read, the question
//! appended, the whole checked as a deck, then written to a temporary file
//! and renamed over the old one, so a crash never leaves half a deck.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde_yaml::{Mapping, Value};

use crate::bank::{Bank, COMMUNITY_DIR};
use crate::domain::ChatId;
use crate::store::SuggestionText;

/// The longest question title, in characters (a title is the question's
/// first line, cut).
const TITLE_CHARS: usize = 60;
/// The tag every community question carries, so `/ask community` picks one.
pub const COMMUNITY_TAG: &str = "community";

#[derive(Debug, thiserror::Error)]
pub enum DeckFileError {
    #[error("{path}: {source}")]
    Io { path: String, source: io::Error },
    #[error("{path} is not a deck this bot can add to: {reason}")]
    Unreadable { path: String, reason: String },
}

/// The chat's id as file names and deck ids allow: `m` for a minus sign.
pub fn chat_slug(chat: ChatId) -> String {
    match chat.id {
        id if id < 0 => format!("{}-m{}", chat.platform, id.unsigned_abs()),
        id => format!("{}-{id}", chat.platform),
    }
}

/// The chat's deck id: `community-telegram-m1001234567890` (at most 38
/// bytes, so question ids with a suggestion number fit in 48).
pub fn deck_id(chat: ChatId) -> String {
    format!("community-{}", chat_slug(chat))
}

/// The id an approved suggestion gets: stable, unique (the suggestion's
/// own number), e.g. `community-telegram-m1001234567890-7`.
pub fn question_id(chat: ChatId, suggestion: i64) -> String {
    format!("{}-{suggestion}", deck_id(chat))
}

pub fn deck_path(content: &Path, chat: ChatId) -> PathBuf {
    content
        .join(COMMUNITY_DIR)
        .join(format!("{}.yaml", chat_slug(chat)))
}

/// What the deck file held before a question was added, to put back if
/// the bank will not load with it.
#[derive(Debug)]
pub struct Previous {
    pub path: PathBuf,
    pub text: Option<String>,
}

impl Previous {
    /// Puts the file back as it was (removes it if it was new).
    pub fn restore(&self) -> Result<(), DeckFileError> {
        let io = |source| DeckFileError::Io {
            path: self.path.display().to_string(),
            source,
        };
        match &self.text {
            Some(text) => write_atomically(&self.path, text).map_err(io),
            None => fs::remove_file(&self.path).map_err(io),
        }
    }
}

/// The chat a deck is for: its scope, title and language.
pub struct DeckHeader<'a> {
    pub chat: ChatId,
    pub title: &'a str,
    pub language: &'a str,
}

/// Appends question `id` to the chat's deck file (made if missing).
pub fn add_question(
    content: &Path,
    header: &DeckHeader<'_>,
    id: &str,
    text: &SuggestionText,
) -> Result<Previous, DeckFileError> {
    let path = deck_path(content, header.chat);
    let shown = path.display().to_string();
    let io = |source| DeckFileError::Io {
        path: shown.clone(),
        source,
    };
    let before = match fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(io(e)),
    };
    let mut deck = match &before {
        Some(text) => serde_yaml::from_str::<Value>(text).map_err(|e| unreadable(&shown, e))?,
        None => new_deck(header),
    };
    push_question(&mut deck, id, text).ok_or_else(|| DeckFileError::Unreadable {
        path: shown.clone(),
        reason: "it has no `questions` list".into(),
    })?;
    let body = serde_yaml::to_string(&deck).map_err(|e| unreadable(&shown, e))?;
    let yaml = format!("{}{body}", file_comment(header));
    if let Err(errors) = Bank::from_sources(vec![(path.clone(), yaml.clone())]) {
        return Err(DeckFileError::Unreadable {
            path: shown,
            reason: errors.to_string(),
        });
    }
    fs::create_dir_all(content.join(COMMUNITY_DIR)).map_err(io)?;
    write_atomically(&path, &yaml).map_err(io)?;
    Ok(Previous { path, text: before })
}

fn unreadable(path: &str, error: serde_yaml::Error) -> DeckFileError {
    DeckFileError::Unreadable {
        path: path.to_string(),
        reason: error.to_string(),
    }
}

fn file_comment(header: &DeckHeader<'_>) -> String {
    format!(
        "# Questions the members of \"{}\" suggested with /suggest and a moderator approved.\n\
         # Edit freely: the bot appends here and keeps every id (progress is keyed by it).\n",
        one_line(header.title)
    )
}

fn new_deck(header: &DeckHeader<'_>) -> Value {
    let mut deck = Mapping::new();
    deck.insert("deck".into(), deck_id(header.chat).into());
    let title = format!("Community: {}", one_line(header.title));
    deck.insert("title".into(), title.into());
    deck.insert("language".into(), header.language.into());
    deck.insert("scope".into(), header.chat.to_string().into());
    deck.insert("questions".into(), Value::Sequence(Vec::new()));
    Value::Mapping(deck)
}

fn push_question(deck: &mut Value, id: &str, text: &SuggestionText) -> Option<()> {
    let Value::Sequence(questions) = deck.get_mut("questions")? else {
        return None;
    };
    let mut tags: Vec<Value> = text.tags.iter().map(|t| t.as_str().into()).collect();
    if !text.tags.iter().any(|t| t == COMMUNITY_TAG) {
        tags.push(COMMUNITY_TAG.into());
    }
    let mut question = Mapping::new();
    question.insert("id".into(), id.into());
    question.insert("title".into(), title_of(&text.question).into());
    question.insert("tags".into(), Value::Sequence(tags));
    question.insert("question".into(), text.question.as_str().into());
    question.insert("answer".into(), text.answer.as_str().into());
    if let Some(analysis) = &text.analysis {
        question.insert("analysis".into(), analysis.as_str().into());
    }
    questions.push(Value::Mapping(question));
    Some(())
}

/// The question's first line, cut to [`TITLE_CHARS`].
pub fn title_of(question: &str) -> String {
    let line = question
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    let line = line.trim();
    if line.chars().count() <= TITLE_CHARS {
        return line.to_string();
    }
    let cut: String = line.chars().take(TITLE_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

fn one_line(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('"', "'")
}

fn write_atomically(path: &Path, text: &str) -> io::Result<()> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("deck");
    // Not `*.yaml`: neither the bank nor the watcher takes it for a deck.
    let temp = path.with_file_name(format!(".{name}.tmp"));
    fs::write(&temp, text)?;
    fs::rename(&temp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(question: &str) -> SuggestionText {
        SuggestionText {
            question: question.to_string(),
            answer: "Line one\n\n- a *list*\n- `code`: yes".to_string(),
            analysis: Some("Why: \"quotes\" and # hashes".to_string()),
            tags: vec!["训练".to_string()],
        }
    }

    #[test]
    fn questions_append_to_a_deck_the_bank_loads_in_its_chat_only() {
        let content = tempfile::tempdir().unwrap();
        fs::write(
            content.path().join("base.yaml"),
            "deck: base\ntitle: Base\nlanguage: en\nquestions:\n  - id: q\n    title: Q\n    question: Q?\n    answer: A\n",
        )
        .unwrap();
        let chat = ChatId::telegram(-1_001_234_567_890);
        let header = DeckHeader {
            chat,
            title: "Study\ngroup \"one\"",
            language: "en",
        };
        let first = question_id(chat, 1);
        let previous = add_question(content.path(), &header, &first, &text("First: why?")).unwrap();
        assert_eq!(previous.text, None);
        let second = question_id(chat, 12);
        add_question(content.path(), &header, &second, &text("Second?\nmore")).unwrap();
        let bank = Bank::load(content.path()).unwrap();
        let q = bank.get(&second).unwrap();
        assert_eq!(q.title, "Second?");
        assert_eq!(q.question, "Second?\nmore");
        assert_eq!(q.tags, vec!["训练", COMMUNITY_TAG]);
        assert!(bank.get(&first).unwrap().answer.contains("- `code`: yes"));
        assert!(bank.serves_in(q, "telegram:-1001234567890"));
        assert!(!bank.serves_in(q, "telegram:-5"));
        assert!(bank.serves_in(bank.get("q").unwrap(), "telegram:-5"));
        assert!(first.len() <= crate::bank::rules::MAX_QUESTION_ID_BYTES);
    }

    #[test]
    fn a_failed_reload_puts_the_file_back() {
        let content = tempfile::tempdir().unwrap();
        let chat = ChatId::telegram(5);
        let header = DeckHeader {
            chat,
            title: "x",
            language: "zh",
        };
        let previous = add_question(
            content.path(),
            &header,
            "community-telegram-5-1",
            &text("Q?"),
        );
        let previous = previous.unwrap();
        assert!(deck_path(content.path(), chat).exists());
        previous.restore().unwrap();
        assert!(!deck_path(content.path(), chat).exists());
    }

    #[test]
    fn a_broken_deck_file_is_left_alone() {
        let content = tempfile::tempdir().unwrap();
        let chat = ChatId::telegram(5);
        fs::create_dir_all(content.path().join(COMMUNITY_DIR)).unwrap();
        fs::write(deck_path(content.path(), chat), "deck: [unclosed").unwrap();
        let header = DeckHeader {
            chat,
            title: "x",
            language: "zh",
        };
        let error = add_question(
            content.path(),
            &header,
            "community-telegram-5-1",
            &text("Q?"),
        );
        assert!(matches!(error, Err(DeckFileError::Unreadable { .. })));
        let kept = fs::read_to_string(deck_path(content.path(), chat)).unwrap();
        assert_eq!(kept, "deck: [unclosed");
    }

    #[test]
    fn titles_are_the_first_line_cut() {
        assert_eq!(title_of("\n  Why?  \nmore"), "Why?");
        let long = title_of(&"字".repeat(100));
        assert_eq!(long.chars().count(), TITLE_CHARS);
        assert!(long.ends_with('…'));
    }
}
