//! One turn of a conversation: a command or a button press in, one
//! `Reply` out (posts, a note for the person alone, the chat's language).
//! A command is checked here (who may run it, whether it is ours) and
//! run by its handler in `commands`.
//!
//! Every adapter makes exactly this one call per turn. A failure on the
//! bot's side is logged here and answered with a short apology in the
//! chat's language, so no adapter has to ask for the language again.

use super::{
    Command, Engine, Incoming, Lang, Parsed, PrivateChat, Reply, Result, StudyError, i18n,
};
use crate::domain::{ChatKind, MessageId};
use crate::ops::telemetry;
use crate::post::{Action, Post};

impl Engine {
    /// Answers a line of text. Text that is no command for this bot gets
    /// no posts.
    pub async fn handle(&self, incoming: &Incoming, parsed: Parsed) -> Reply {
        self.handle_reaching(incoming, parsed, None).await
    }

    /// Answers a line of text from a person the adapter can write to in
    /// `private` (see [`PrivateChat`]): a reminder set anywhere is sent
    /// there. `None` where the platform lets the bot open no private chat.
    pub async fn handle_reaching(
        &self,
        incoming: &Incoming,
        parsed: Parsed,
        private: Option<PrivateChat>,
    ) -> Reply {
        if let Parsed::Command { command, .. } = &parsed {
            telemetry::update(incoming.place.chat_id.platform, command.name());
        }
        match self.try_handle(incoming, parsed, private).await {
            Ok(reply) => reply,
            Err(e) => self.failed(incoming, e).await,
        }
    }

    /// Answers a press of a button on message `message_id`. `action` is
    /// `None` when the adapter could not read the button (forged, or from
    /// an older version): the person gets a polite note.
    pub async fn press(
        &self,
        incoming: &Incoming,
        message_id: Option<MessageId>,
        action: Option<&Action>,
    ) -> Reply {
        let kind = action.map_or("button_unreadable", Action::name);
        telemetry::update(incoming.place.chat_id.platform, kind);
        match self.try_press(incoming, message_id, action).await {
            Ok(reply) => reply,
            Err(e) => {
                let mut reply = self.failed(incoming, e).await;
                // A press is answered privately: the apology is the note.
                reply.toast = Some(i18n::internal_error(reply.lang).to_string());
                reply.posts.clear();
                reply
            }
        }
    }

    async fn try_handle(
        &self,
        incoming: &Incoming,
        parsed: Parsed,
        private: Option<PrivateChat>,
    ) -> Result<Reply> {
        let Parsed::Command { command, addressed } = parsed else {
            let lang = self.lang_of(incoming).await?;
            return Ok(posts(Vec::new(), lang));
        };
        let chat = self.see_chat(incoming).await?;
        let lang = self.lang_in(chat.as_ref(), incoming);
        let place = &incoming.place;
        if command.needs_admin(place.kind) && !incoming.person.is_admin {
            return Ok(posts(vec![Post::text(i18n::admins_only(lang))], lang));
        }
        // In groups, `/word` may be meant for another bot: answer only
        // when addressed to us by name.
        if matches!(command, Command::Unknown { .. })
            && place.kind != ChatKind::Private
            && !addressed
        {
            return Ok(posts(Vec::new(), lang));
        }
        self.run(incoming, lang, command, private).await
    }

    async fn try_press(
        &self,
        incoming: &Incoming,
        message_id: Option<MessageId>,
        action: Option<&Action>,
    ) -> Result<Reply> {
        let chat = self.see_chat(incoming).await?;
        let lang = self.lang_in(chat.as_ref(), incoming);
        match action {
            Some(Action::Reveal { question_id }) => {
                self.press_reveal(incoming, lang, message_id, question_id)
                    .await
            }
            Some(Action::Rate {
                question_id,
                rating,
                in_review,
            }) => {
                self.press_rate(incoming, lang, message_id, question_id, *rating, *in_review)
                    .await
            }
            Some(Action::ShowCard { question_id }) => {
                Ok(self.show_card(lang, message_id, question_id))
            }
            // Platforms that open links answer this button themselves.
            Some(Action::OpenReview) => Ok(Reply {
                posts: Vec::new(),
                toast: Some(i18n::learn::open_review_hint(lang).to_string()),
                lang,
            }),
            Some(Action::StartReview) => Ok(Reply {
                posts: self.review_command(incoming, lang).await?,
                toast: None,
                lang,
            }),
            Some(Action::Forget) => self.forget(incoming, lang).await,
            Some(Action::Report { question_id }) => {
                self.press_report(incoming, lang, message_id, question_id)
            }
            Some(Action::Choose {
                question_id,
                choice,
            }) => {
                self.press_choose(incoming, lang, message_id, question_id, *choice)
                    .await
            }
            // Adapters that offer `/suggest` send its presses to
            // `press_suggestion`, which can reach other chats.
            Some(Action::Suggestion(_)) | None => Ok(Reply {
                posts: Vec::new(),
                toast: Some(i18n::stale_button(lang).to_string()),
                lang,
            }),
        }
    }

    /// Logs `error` and apologises in the chat's language (the default
    /// when even that cannot be read).
    async fn failed(&self, incoming: &Incoming, error: StudyError) -> Reply {
        log::error!("chat {}: {error}", incoming.place.chat_id);
        let lang = self
            .lang_of(incoming)
            .await
            .unwrap_or(self.config.default_lang);
        posts(vec![Engine::error_post(lang)], lang)
    }
}

fn posts(posts: Vec<Post>, lang: Lang) -> Reply {
    Reply {
        posts,
        toast: None,
        lang,
    }
}
