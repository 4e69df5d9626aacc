//! `/stats [hide|show]`: my figures (private) or the group's week
//! (group); `hide` and `show` leave or rejoin leaderboards.

use crate::domain::ChatKind;
use crate::post::Post;
use crate::study::review::person_of;
use crate::study::{Command, Engine, Incoming, Lang, Result, i18n};

/// The words as typed (the handler tells `hide` from a misuse).
pub(super) fn parse(args: Vec<String>) -> Command {
    Command::Stats { args }
}

impl Engine {
    pub(super) async fn stats_command(
        &self,
        incoming: &Incoming,
        lang: Lang,
        args: &[String],
    ) -> Result<Vec<Post>> {
        let Some(person) = person_of(incoming) else {
            return Ok(vec![Post::text(i18n::learn::anonymous(lang))]);
        };
        match args {
            [] if incoming.place.kind == ChatKind::Private => {
                self.my_stats(person, lang, incoming.now).await
            }
            [] => self.group_stats(incoming, lang).await,
            [word] if matches!(word.to_lowercase().as_str(), "hide" | "show") => {
                let hidden = word.eq_ignore_ascii_case("hide");
                let name = incoming.person.name.as_deref();
                let now = incoming.now.as_second();
                self.store.set_hidden(person, name, hidden, now).await?;
                Ok(vec![Post::text(i18n::learn::hidden(lang, hidden))])
            }
            _ => Ok(vec![Post::text(i18n::learn::stats_usage(lang))]),
        }
    }
}
