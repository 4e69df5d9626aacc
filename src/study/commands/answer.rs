//! `/answer [id]`: the answer and analysis of the chat's current question
//! (once; later a pointer to it), or of any question by its id.

use crate::post::Post;
use crate::study::questions::reveal_post;
use crate::study::{Command, Engine, Incoming, Lang, Result, i18n};

/// The question id, if one was given (already in lower case).
pub(super) fn parse(mut args: Vec<String>) -> Command {
    Command::Answer { id: args.pop() }
}

impl Engine {
    pub(super) async fn answer_command(
        &self,
        incoming: &Incoming,
        lang: Lang,
        id: Option<&str>,
    ) -> Result<Vec<Post>> {
        let chat_id = incoming.place.chat_id;
        let current = self.store.current_ask(chat_id).await?;
        let Some(id) = id else {
            let Some(ask) = current else {
                return Ok(vec![Post::text(i18n::no_current_question(lang))]);
            };
            return Ok(vec![self.reveal_or_point(&ask, lang, incoming).await?]);
        };
        let bank = self.bank();
        let scope = chat_id.to_string();
        let Some(question) = bank.get(id).filter(|q| bank.serves_in(q, &scope)) else {
            // The chat's own question, taken out of the bank by a reload.
            if current.as_ref().is_some_and(|ask| ask.question_id == id) {
                return Ok(vec![Post::text(i18n::question_removed(lang))]);
            }
            return Ok(vec![Post::text(i18n::unknown_question(lang, id))]);
        };
        match current {
            Some(ask) if ask.question_id == question.id => {
                Ok(vec![self.reveal_or_point(&ask, lang, incoming).await?])
            }
            _ => {
                let post = reveal_post(question, lang, None);
                Ok(vec![
                    self.with_quiz_results(post, question, None, lang).await?,
                ])
            }
        }
    }
}
