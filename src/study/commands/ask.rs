//! `/ask [tag]`: a random question for the chat, from one tag if given,
//! none repeated until the round (over that pool) is done.

use crate::bank::Question;
use crate::post::{Block, Post};
use crate::study::questions::{question_post, tag_list};
use crate::study::{Command, Engine, Incoming, Lang, Result, i18n};

/// The tag, if one was given (already in lower case).
pub(super) fn parse(mut args: Vec<String>) -> Command {
    Command::Ask { tag: args.pop() }
}

impl Engine {
    pub(super) async fn ask_command(
        &self,
        incoming: &Incoming,
        lang: Lang,
        tag: Option<&str>,
    ) -> Result<Vec<Post>> {
        let chat_id = incoming.place.chat_id;
        let bank = self.bank();
        let scope = chat_id.to_string();
        let pool: Vec<&Question> = match tag {
            Some(tag) => bank.tagged(tag),
            None => bank.questions().iter().collect(),
        };
        // A community deck's questions are its own chat's.
        let pool: Vec<&Question> = pool
            .into_iter()
            .filter(|q| bank.serves_in(q, &scope))
            .collect();
        if pool.is_empty() {
            let tag = tag.unwrap_or_default();
            return Ok(vec![Post::text(i18n::unknown_tag(
                lang,
                tag,
                &tag_list(&bank),
            ))]);
        }
        let Some(picked) = self.pick_from(chat_id, &pool).await? else {
            return Ok(Vec::new());
        };
        let mut post = question_post(&bank, picked.question, lang, None);
        if picked.new_round {
            // Said in the same message: one message per /ask, even at a
            // round's end (busy groups have 20 messages a minute).
            post.blocks
                .insert(0, Block::Text(i18n::new_round(lang).to_string()));
        }
        Ok(vec![post])
    }
}
