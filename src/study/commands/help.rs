//! `/help` and `/start`: what the bot is and every command's line, from
//! the registry. `/start review` (Telegram's deep link from a group's
//! review button) opens a review instead, and `/start suggest-…` (from a
//! group's `/suggest`) the suggestion form.

use crate::post::Post;
use crate::study::{Command, Engine, Incoming, Lang, i18n};

/// `/start review` is the review deep link, `/start suggest-…` the
/// suggestion form's; any other `/start` is help.
pub(super) fn parse_start(args: Vec<String>) -> Command {
    match args.first() {
        Some(word) if word.eq_ignore_ascii_case("review") => Command::Review,
        Some(word) if word.starts_with("suggest-") => Command::Suggest { args },
        _ => Command::Start,
    }
}

impl Engine {
    pub(super) fn help_command(&self, incoming: &Incoming, lang: Lang) -> Vec<Post> {
        let platform = incoming.place.chat_id.platform;
        vec![Post::text(i18n::help(lang, self.bank().len(), platform))]
    }
}
