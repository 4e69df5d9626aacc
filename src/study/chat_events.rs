//! What happens to a chat, as the engine hears it: a post went out as a
//! message (`sent`), the bot joined, lost the chat or followed it to a new
//! id; each message seen (`see_chat`: the chat's kind, title, active flag
//! and, in private, its person's language); and the language to speak
//! there (`lang_of`). Adapters call the public ones; every turn (`turn`)
//! and nudge sees its chat first.

use jiff::Timestamp;

use super::hot::ChatFacts;
use super::{Engine, Incoming, Lang, Place, Result, i18n};
use crate::domain::{ChatId, ChatKind, MessageId};
use crate::post::{Post, PostKind};

impl Engine {
    /// Records that `post` went out as `message_id` (its first message).
    pub async fn sent(
        &self,
        place: &Place,
        post: &Post,
        message_id: MessageId,
        now: Timestamp,
    ) -> Result<()> {
        match &post.kind {
            PostKind::Question { question_id } => {
                self.record_question(place, question_id, message_id, now, None)
                    .await?;
            }
            PostKind::Reveal { question_id } => {
                self.record_reveal(place.chat_id, question_id, post.reply_to, message_id, now)
                    .await?;
            }
            PostKind::ReportPrompt {
                question_id,
                person_id,
                ..
            } => {
                self.prompt_sent(place.chat_id, message_id, question_id, *person_id, now)
                    .await?;
            }
            PostKind::SuggestPrompt {
                person_id,
                step,
                suggestion_id,
            } => {
                let prompt = crate::store::SuggestionPrompt {
                    person: crate::domain::PersonId::new(place.chat_id.platform, *person_id),
                    step: step.clone(),
                    suggestion_id: *suggestion_id,
                    at: now.as_second(),
                };
                self.store
                    .save_suggestion_prompt(place.chat_id, message_id, &prompt)
                    .await?;
            }
            PostKind::Notice => {}
        }
        Ok(())
    }

    /// The bot was added to (or came back into) a chat. A group hears what
    /// the bot does; channels and private chats are not spoken to unasked.
    pub async fn joined(&self, incoming: &Incoming) -> Result<Vec<Post>> {
        let chat = self.see_chat(incoming).await?;
        if !incoming.place.kind.is_group() {
            return Ok(Vec::new());
        }
        let lang = self.lang_in(chat.as_ref(), incoming);
        let platform = incoming.place.chat_id.platform;
        Ok(vec![Post::text(i18n::help(
            lang,
            self.bank().len(),
            platform,
        ))])
    }

    /// The platform says the bot may no longer post here.
    pub async fn chat_gone(&self, chat_id: ChatId, now: Timestamp) -> Result<()> {
        self.write_active(chat_id, false, now.as_second()).await?;
        self.plans_changed.announce();
        Ok(())
    }

    /// A group became a supergroup with a new id: its state moves along.
    pub async fn chat_moved(&self, from: ChatId, to: ChatId, now: Timestamp) -> Result<bool> {
        let moved = self.write_move(from, to, now.as_second()).await?;
        if moved {
            self.plans_changed.announce();
        }
        Ok(moved)
    }

    /// The language to speak in this chat: its choice, else (in private
    /// chats) the person's, else the operator's default.
    pub async fn lang_of(&self, incoming: &Incoming) -> Result<Lang> {
        let chosen = self.chat_facts(incoming.place.chat_id).await?;
        Ok(self.lang_in(chosen.as_ref(), incoming))
    }

    /// [`Engine::lang_of`], given the chat's facts (`see_chat`'s answer).
    pub(super) fn lang_in(&self, chat: Option<&ChatFacts>, incoming: &Incoming) -> Lang {
        if let Some(lang) = chat.and_then(|c| c.language) {
            return lang;
        }
        if incoming.place.kind == ChatKind::Private
            && let Some(code) = &incoming.person.language_code
        {
            return Lang::from_user(code);
        }
        self.config.default_lang
    }

    /// Records what `incoming` says of its chat (writing only what
    /// changed) and returns the chat's facts as they now are.
    pub(super) async fn see_chat(&self, incoming: &Incoming) -> Result<Option<ChatFacts>> {
        let place = &incoming.place;
        let now = incoming.now.as_second();
        let before = self.chat_facts(place.chat_id).await?;
        // A private chat speaks its person's language until told otherwise;
        // remembered, so daily posts (which have no person) use it too.
        let chosen = before.as_ref().and_then(|c| c.language);
        let remember = match (&incoming.person.language_code, chosen) {
            (Some(code), None) if place.kind == ChatKind::Private => Some(Lang::from_user(code)),
            _ => None,
        };
        let title = place.title.as_deref();
        let Some(mut after) = before else {
            let seen = self.write_chat_first_seen(place.chat_id, place.kind, title, remember, now);
            return Ok(Some(seen.await?));
        };
        // Write only what changed: most messages come from known chats, and
        // a write before the reply is a commit the person waits for.
        if after.kind != place.kind || (title.is_some() && after.title.as_deref() != title) {
            // With the row, in the same statement.
            let seen = self.write_chat_seen(place.chat_id, place.kind, title, remember, now);
            after = seen.await?;
        } else if let Some(lang) = remember {
            self.write_language(place.chat_id, lang, now).await?;
            after.language = Some(lang);
        }
        if !after.active {
            self.write_active(place.chat_id, true, now).await?;
            self.plans_changed.announce();
            after.active = true;
        }
        Ok(Some(after))
    }
}
