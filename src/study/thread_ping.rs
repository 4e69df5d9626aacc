//! Discord's two extras of a daily plan: a thread opened on each day's
//! question (the day's reveal then goes into it) and one role the post
//! mentions, and so pings. The words `thread:on` and `ping:@role` of
//! `/daily` and the operator's file are read here; the adapter acts on the
//! `PostExtras` a daily post carries. Telegram has neither (its `/daily`
//! refuses the words).

use crate::domain::discord_role;
use crate::store::PlanRow;

/// Discord's limit on a thread's name, in characters.
pub const MAX_THREAD_NAME: usize = 100;

/// What the adapter does around a daily question besides posting it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PostExtras {
    /// Open a thread with this name (1–100 characters) on the question.
    pub thread_name: Option<String>,
    /// The role (id) the post mentions and pings.
    pub ping_role: Option<u64>,
}

impl PostExtras {
    /// The extras `plan` asks for, for a question titled `title`.
    pub fn of(plan: &PlanRow, title: &str) -> PostExtras {
        PostExtras {
            thread_name: plan.open_thread.then(|| thread_name(title)),
            ping_role: plan.ping_role.and_then(|id| u64::try_from(id).ok()),
        }
    }
}

/// The question's title as a thread name: trimmed, one line, at most 100
/// characters (cut on a character, never inside one); `?` if nothing is left.
pub fn thread_name(title: &str) -> String {
    let line = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let name: String = line.chars().take(MAX_THREAD_NAME).collect();
    if name.is_empty() {
        "?".to_string()
    } else {
        name
    }
}

/// One of the words: `thread:on|off`, `ping:<@&ID>|ID|off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Word {
    Thread(bool),
    /// `None`: no ping.
    Ping(Option<i64>),
}

/// `Some(Ok(word))` for a good word, `Some(Err(()))` for one of these keys
/// with a bad value, `None` for any other word. `word` is lower-cased.
pub(super) fn read_word(word: &str) -> Option<Result<Word, ()>> {
    if let Some(value) = word.strip_prefix("thread:") {
        return Some(match value {
            "on" => Ok(Word::Thread(true)),
            "off" => Ok(Word::Thread(false)),
            _ => Err(()),
        });
    }
    let value = word.strip_prefix("ping:")?;
    if value == "off" {
        return Some(Ok(Word::Ping(None)));
    }
    Some(discord_role(value).map(|id| Word::Ping(Some(id))).ok_or(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_title_is_cut_at_100_characters_on_a_character() {
        let title = "大".repeat(120);
        let name = thread_name(&title);
        assert_eq!(name.chars().count(), 100);
        assert!(title.starts_with(&name));
        assert_eq!(
            thread_name("  What is\n overfitting? "),
            "What is overfitting?"
        );
        assert_eq!(thread_name(" \n"), "?");
    }

    #[test]
    fn the_words_are_read_and_bad_values_named() {
        assert_eq!(read_word("thread:on"), Some(Ok(Word::Thread(true))));
        assert_eq!(read_word("thread:off"), Some(Ok(Word::Thread(false))));
        assert_eq!(read_word("thread:maybe"), Some(Err(())));
        assert_eq!(read_word("ping:<@&123>"), Some(Ok(Word::Ping(Some(123)))));
        assert_eq!(read_word("ping:123"), Some(Ok(Word::Ping(Some(123)))));
        assert_eq!(read_word("ping:off"), Some(Ok(Word::Ping(None))));
        assert_eq!(
            read_word("ping:<@123>"),
            Some(Err(())),
            "a person is no role"
        );
        assert_eq!(read_word("ping:@everyone"), Some(Err(())));
        assert_eq!(read_word("weekdays"), None);
    }
}
