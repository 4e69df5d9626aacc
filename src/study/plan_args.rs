//! Reading what follows the time in `/daily` (a zone, a day rule, a deck
//! or tag filter) and checking the filter against the bank.
//!
//! Kept apart from the commands so the operator's config file checks its
//! day rules, decks and tags with the same words and the same rules.

use super::Lang;
use super::i18n::plan as words;
use super::thread_ping::{self, Word};
use crate::bank::{Bank, Question};
use crate::domain::ChatId;
use crate::schedule::{self, PlanFilter};

/// What `/daily` was given after the time.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Extras {
    pub zone: Option<String>,
    /// The day rule as typed (read once the anchor is known).
    pub days: Option<String>,
    pub filter: PlanFilter,
    /// `thread:on|off` (Discord only).
    pub open_thread: Option<bool>,
    /// `ping:@role|off` (Discord only): `Some(None)` turns the ping off.
    pub ping_role: Option<Option<i64>>,
}

impl Extras {
    /// Whether a Discord-only word was given.
    pub fn has_discord_words(&self) -> bool {
        self.open_thread.is_some() || self.ping_role.is_some()
    }
}

/// Sorts the words after the time into a zone, a day rule and a filter.
/// `every 2 days` may come as three words or one. A bare known tag is
/// read as `tag:` (the form from before filters). Errors are the reply.
pub(super) fn daily_extras(bank: &Bank, lang: Lang, given: &[String]) -> Result<Extras, String> {
    let tokens: Vec<&str> = given.iter().flat_map(|w| w.split_whitespace()).collect();
    let mut extras = Extras::default();
    let mut i = 0;
    while i < tokens.len() {
        let word = tokens[i];
        let lower = word.to_lowercase();
        i += 1;
        if let Some(read) = thread_ping::read_word(&lower) {
            match read {
                Ok(Word::Thread(on)) => extras.open_thread = Some(on),
                Ok(Word::Ping(role)) => extras.ping_role = Some(role),
                Err(()) => return Err(words::bad_thread_or_ping(lang, word)),
            }
        } else if lower == "every" {
            let end = (i + 2).min(tokens.len());
            let rule = std::iter::once(word)
                .chain(tokens[i..end].iter().copied())
                .collect::<Vec<_>>()
                .join(" ");
            i = end;
            set_days(&mut extras, lang, &rule)?;
        } else if let Some(deck) = strip_key(&lower, &["deck:", "题库:", "题库："]) {
            extras.filter.deck = Some(check_deck(bank, lang, deck)?);
        } else if let Some(tags) = strip_key(&lower, &["tag:", "tags:", "标签:", "标签："]) {
            extras.filter.tags = check_tags(bank, lang, tags)?;
        } else if extras.filter.tags.is_empty() && !bank.tagged(&lower).is_empty() {
            extras.filter.tags = vec![lower];
        } else if schedule::looks_like_days(word) {
            set_days(&mut extras, lang, word)?;
        } else {
            match schedule::parse_zone(word) {
                Ok((name, _)) if extras.zone.is_none() => extras.zone = Some(name),
                Err(e) if word.contains('/') || word.chars().any(|c| c.is_ascii_digit()) => {
                    return Err(words::error(lang, &e));
                }
                _ => return Err(words::unknown_word(lang, word)),
            }
        }
    }
    Ok(extras)
}

fn set_days(extras: &mut Extras, lang: Lang, rule: &str) -> Result<(), String> {
    // Checked now (with any anchor) so a bad rule is reported at once.
    schedule::parse_days(rule, jiff::civil::Date::MIN).map_err(|e| words::error(lang, &e))?;
    extras.days = Some(rule.to_string());
    Ok(())
}

fn strip_key<'a>(word: &'a str, keys: &[&str]) -> Option<&'a str> {
    keys.iter().find_map(|k| word.strip_prefix(k))
}

/// The deck id if the bank has it; else the reply listing the decks.
pub(crate) fn check_deck(bank: &Bank, lang: Lang, deck: &str) -> Result<String, String> {
    let deck = deck.trim();
    if bank.deck(deck).is_some() {
        return Ok(deck.to_string());
    }
    let known: Vec<&str> = bank.decks().iter().map(|d| d.id.as_str()).collect();
    Err(words::unknown_deck(lang, deck, &known.join(", ")))
}

/// The tags (comma-separated) if the bank knows each; else the reply
/// listing the tags.
pub(crate) fn check_tags(bank: &Bank, lang: Lang, tags: &str) -> Result<Vec<String>, String> {
    let mut checked: Vec<String> = Vec::new();
    for tag in tags.split([',', '，']).map(str::trim) {
        if bank.tagged(tag).is_empty() {
            let known: Vec<String> = bank.tags().into_iter().map(|(t, _)| t).collect();
            return Err(words::unknown_tag(lang, tag, &known.join(", ")));
        }
        if !checked.iter().any(|t| t == tag) {
            checked.push(tag.to_string());
        }
    }
    Ok(checked)
}

/// The questions a filter lets a daily post in `chat` pick from, in bank
/// order: those served there (a community deck only in its own chat) of
/// its deck (if set) carrying any of its tags (if any).
pub(super) fn pool<'a>(bank: &'a Bank, filter: &PlanFilter, chat: ChatId) -> Vec<&'a Question> {
    let scope = chat.to_string();
    bank.questions()
        .iter()
        .filter(|q| bank.serves_in(q, &scope))
        .filter(|q| filter.deck.as_ref().is_none_or(|d| &q.deck == d))
        .filter(|q| filter.tags.is_empty() || q.tags.iter().any(|t| filter.tags.contains(t)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bank() -> Bank {
        let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        Bank::load(&content).unwrap()
    }

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn every_form_is_sorted() {
        let bank = bank();
        let deck = bank.decks()[0].id.clone();
        let (tag, _) = bank.tags()[0].clone();
        let e = daily_extras(&bank, Lang::En, &args("Asia/Shanghai every 2 days")).unwrap();
        assert_eq!(e.zone.as_deref(), Some("Asia/Shanghai"));
        assert_eq!(e.days.as_deref(), Some("every 2 days"));
        let text = format!("weekdays deck:{deck} tag:{tag}");
        let e = daily_extras(&bank, Lang::En, &args(&text)).unwrap();
        assert_eq!(e.days.as_deref(), Some("weekdays"));
        assert_eq!(e.filter.deck.as_deref(), Some(deck.as_str()));
        assert_eq!(e.filter.tags, vec![tag.clone()]);
        let e = daily_extras(&bank, Lang::En, &["mon,wed,fri".to_string(), tag.clone()]).unwrap();
        assert_eq!(
            (e.days.as_deref(), e.filter.tags),
            (Some("mon,wed,fri"), vec![tag])
        );
        let e = daily_extras(&bank, Lang::Zh, &args("工作日")).unwrap();
        assert_eq!(e.days.as_deref(), Some("工作日"));
        let e = daily_extras(&bank, Lang::En, &args("thread:on ping:<@&42> weekdays")).unwrap();
        assert_eq!(e.open_thread, Some(true));
        assert_eq!(e.ping_role, Some(Some(42)));
        assert_eq!(e.days.as_deref(), Some("weekdays"));
        let err = daily_extras(&bank, Lang::En, &args("ping:@everyone")).unwrap_err();
        assert!(err.contains("ping:@everyone"), "{err}");
    }

    #[test]
    fn unknown_decks_and_tags_are_refused_with_the_known_ones() {
        let bank = bank();
        let deck = bank.decks()[0].id.clone();
        let err = daily_extras(&bank, Lang::En, &args("deck:nope")).unwrap_err();
        assert!(err.contains("nope") && err.contains(&deck), "{err}");
        let (tag, _) = bank.tags()[0].clone();
        let err = daily_extras(&bank, Lang::Zh, &args("tag:nope")).unwrap_err();
        assert!(err.contains("nope") && err.contains(&tag), "{err}");
        let err = daily_extras(&bank, Lang::En, &args("every 99 days")).unwrap_err();
        assert!(err.contains("every 99 days"), "{err}");
    }

    #[test]
    fn a_filter_restricts_the_pool() {
        let bank = bank();
        let (tag, count) = bank.tags()[0].clone();
        let filter = PlanFilter {
            deck: None,
            tags: vec![tag.clone()],
        };
        let picked = pool(&bank, &filter, ChatId::telegram(1));
        assert_eq!(picked.len(), count);
        assert!(picked.iter().all(|q| q.tags.contains(&tag)));
        let deck = bank.decks()[0].id.clone();
        let filter = PlanFilter {
            deck: Some(deck.clone()),
            tags: vec![],
        };
        assert!(
            pool(&bank, &filter, ChatId::telegram(1))
                .iter()
                .all(|q| q.deck == deck)
        );
        assert_eq!(
            pool(&bank, &PlanFilter::default(), ChatId::telegram(1)).len(),
            bank.len()
        );
    }
}
