//! The shape rules for ids, tags and language codes, in one place so the
//! bank, the importer and their tests agree on them.

/// What an id names; each kind has its own length limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    Deck,
    Question,
    Tag,
}

/// Question ids travel in Telegram callback data (64 bytes in all).
pub const MAX_QUESTION_ID_BYTES: usize = 48;
pub const MAX_DECK_ID_BYTES: usize = 48;
pub const MAX_TAG_BYTES: usize = 32;

/// Quiz limits: Telegram's `sendPoll` (Bot API 9.1), the strictest of the
/// platforms, so a choice question that checks can be posted anywhere.
pub const MIN_CHOICES: usize = 2;
pub const MAX_CHOICES: usize = 10;
/// Characters (Unicode code points) per option.
pub const MAX_CHOICE_CHARS: usize = 100;
pub const MAX_EXPLANATION_CHARS: usize = 200;
pub const MAX_EXPLANATION_LINE_FEEDS: usize = 2;
/// A poll's question; the bot's prompt is cut to fit.
pub const MAX_POLL_QUESTION_CHARS: usize = 300;

impl IdKind {
    fn noun(self) -> &'static str {
        match self {
            IdKind::Deck => "deck id",
            IdKind::Question => "question id",
            IdKind::Tag => "tag",
        }
    }

    pub fn max_bytes(self) -> usize {
        match self {
            IdKind::Deck => MAX_DECK_ID_BYTES,
            IdKind::Question => MAX_QUESTION_ID_BYTES,
            IdKind::Tag => MAX_TAG_BYTES,
        }
    }
}

/// Checks an id or tag: `[a-z0-9-]+` (tags: lowercase letters of any
/// script too), at most `kind.max_bytes()` bytes.
/// The error is a complete message.
pub fn check_id(id: &str, kind: IdKind) -> Result<(), String> {
    let noun = kind.noun();
    if id.is_empty() {
        return Err(format!("empty {noun}"));
    }
    if kind == IdKind::Tag && !id.chars().all(is_tag_char) {
        return Err(format!(
            "invalid {noun} `{id}`: use only lowercase letters (any script), digits and `-`"
        ));
    }
    if kind != IdKind::Tag && !id.bytes().all(is_id_byte) {
        return Err(format!(
            "invalid {noun} `{id}`: use only lowercase a-z, digits 0-9 and `-`"
        ));
    }
    if id.len() > kind.max_bytes() {
        return Err(format!(
            "{noun} `{id}` is {} bytes long; the limit is {}",
            id.len(),
            kind.max_bytes()
        ));
    }
    Ok(())
}

/// Tags may be in any script (`概述`, from a heading that groups questions),
/// but never uppercase, spaces or punctuation other than `-`.
fn is_tag_char(c: char) -> bool {
    if c.is_ascii() {
        is_id_byte(c as u8)
    } else {
        c.is_alphanumeric() && !c.is_uppercase()
    }
}

fn is_id_byte(byte: u8) -> bool {
    byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-'
}

/// A language code such as `zh`, `en` or `pt-br`.
pub fn is_language_tag(code: &str) -> bool {
    (2..=16).contains(&code.len())
        && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && code.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
}

/// A deck's scope: `<platform>:<chat id>`, e.g. `telegram:-1001234567890`
/// (the chat of a community deck).
pub fn is_scope(scope: &str) -> bool {
    let Some((platform, id)) = scope.split_once(':') else {
        return false;
    };
    let digits = id.strip_prefix('-').unwrap_or(id);
    ["telegram", "discord", "console"].contains(&platform)
        && !digits.is_empty()
        && digits.len() <= 19
        && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Limits on what a person suggests (`/suggest`), in characters: a
/// question is read in one glance and fits one message with room to spare
/// (Telegram allows 4096, Discord 2000); an answer or an analysis fits one
/// Discord message; tags as many as a person can sensibly give.
pub const MAX_SUGGESTED_QUESTION_CHARS: usize = 1000;
pub const MAX_SUGGESTED_ANSWER_CHARS: usize = 2000;
pub const MAX_SUGGESTED_ANALYSIS_CHARS: usize = 2000;
pub const MAX_SUGGESTED_TAGS: usize = 5;

/// An ASCII slug of `text`: lowercase letters and digits kept, every other
/// run of characters becomes one `-`, trimmed, and cut to `max_bytes`
/// (without leaving a trailing `-`). Empty when `text` has no ASCII
/// letters or digits.
pub fn slugify(text: &str, max_bytes: usize) -> String {
    let mut slug = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.truncate(max_bytes);
    slug.trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_lowercase_ascii_with_dashes() {
        assert_eq!(check_id("training-2", IdKind::Question), Ok(()));
        assert!(
            check_id("Training", IdKind::Question)
                .unwrap_err()
                .contains("invalid")
        );
        assert!(check_id("a_b", IdKind::Tag).is_err());
        assert_eq!(check_id("训练", IdKind::Tag), Ok(()), "tags in any script");
        assert!(check_id("训练", IdKind::Question).is_err());
        assert!(check_id("Ärger", IdKind::Tag).is_err());
        assert_eq!(check_id("", IdKind::Deck), Err("empty deck id".into()));
        assert!(check_id(&"a".repeat(48), IdKind::Question).is_ok());
        assert!(
            check_id(&"a".repeat(49), IdKind::Question)
                .unwrap_err()
                .contains("limit is 48")
        );
        assert!(
            check_id(&"a".repeat(33), IdKind::Tag)
                .unwrap_err()
                .contains("limit is 32")
        );
    }

    #[test]
    fn slugs() {
        assert_eq!(
            slugify("  Why is the Sky blue?! ", 48),
            "why-is-the-sky-blue"
        );
        assert_eq!(slugify("大模型训练中的挑战", 48), "");
        assert_eq!(slugify("Dropout 的作用 (v2)", 48), "dropout-v2");
        assert_eq!(slugify("abc def", 4), "abc");
        assert_eq!(slugify("000_c8ff", 48), "000-c8ff");
    }

    #[test]
    fn scopes_name_one_chat() {
        assert!(is_scope("telegram:-1001234567890"));
        assert!(is_scope("discord:123456789012345678"));
        assert!(!is_scope("telegram:"));
        assert!(!is_scope("telegram:-"));
        assert!(!is_scope("irc:5"));
        assert!(!is_scope("telegram:12a"));
        assert!(!is_scope("telegram"));
    }

    #[test]
    fn language_codes() {
        assert!(is_language_tag("zh"));
        assert!(is_language_tag("pt-BR"));
        assert!(!is_language_tag("z"));
        assert!(!is_language_tag("中文"));
    }
}
