//! `/lang [zh|en]` (or `/language`): shows or sets the chat's language;
//! the reply speaks the language just chosen.

use crate::post::Post;
use crate::study::{Command, Engine, Incoming, Lang, Reply, Result, i18n};

/// The language code, if one was given (already in lower case).
pub(super) fn parse(mut args: Vec<String>) -> Command {
    Command::Lang { code: args.pop() }
}

impl Engine {
    pub(super) async fn lang_command(
        &self,
        incoming: &Incoming,
        lang: Lang,
        code: Option<String>,
    ) -> Result<Reply> {
        let say = |text: String, lang: Lang| Reply {
            posts: vec![Post::text(text)],
            toast: None,
            lang,
        };
        let Some(code) = code else {
            return Ok(say(i18n::lang_current(lang).to_string(), lang));
        };
        let Some(chosen) = Lang::parse(&code) else {
            return Ok(say(i18n::lang_unknown(lang, &code), lang));
        };
        let now = incoming.now.as_second();
        self.write_language(incoming.place.chat_id, chosen, now)
            .await?;
        Ok(say(i18n::lang_set(chosen).to_string(), chosen))
    }
}
