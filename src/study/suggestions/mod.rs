//! `/suggest`: the group grows its own bank. A member asks in the group,
//! fills a short form in private (`draft`), the suggestion is checked
//! (`check`: lengths, tags; `similar`: duplicates against the bank and the
//! queue; a daily cap) and queued for the moderators, who approve it as it
//! is, correct it, or reject it with a reason (`moderate`). An approved
//! question is written to the chat's own deck file (`deck_file`) and the
//! bank reloaded, so `/ask` serves it at once, in that chat only. The
//! suggester hears the outcome in private, or sees it in `/suggest status`
//! when the bot cannot reach them.
//!
//! Moderators are the operators (`STUDYBOT_ADMINS`) on Telegram. Presses
//! and replies that must reach other chats (the moderators, the suggester)
//! come back as [`SuggestOutcome`]s for the adapter to deliver.

mod check;
mod deck_file;
mod desk;
mod draft;
mod moderate;
pub mod similar;

use crate::domain::{ChatId, ChatKind, MessageId, Platform};
use crate::post::{Action, Block, Button, Post, SuggestAction};
use crate::store::SuggestionText;
use crate::study::i18n::suggest::{self as words};
use crate::study::review::person_of;
use crate::study::{Engine, Incoming, Lang, Reply, Result};

pub use deck_file::{COMMUNITY_TAG, DeckFileError, chat_slug};
pub use desk::{DeskCommand, SuggestionForm};
use draft::Step;

/// Suggestions a person may send a UTC day (counted in the store, so a
/// restart does not reset it).
pub const PER_DAY: u32 = 5;

/// A post for a chat other than the one of the turn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Elsewhere {
    pub chat: ChatId,
    pub post: Post,
    /// The suggestion whose outcome this tells its suggester: once it is
    /// delivered, call [`Engine::suggestion_told`].
    pub tells: Option<i64>,
}

/// The answer to a suggestion press or reply: the turn's reply, and posts
/// for the moderators or the suggester.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuggestOutcome {
    pub reply: Reply,
    pub elsewhere: Vec<Elsewhere>,
}

impl SuggestOutcome {
    fn posts(posts: Vec<Post>, lang: Lang) -> SuggestOutcome {
        SuggestOutcome {
            reply: Reply {
                posts,
                toast: None,
                lang,
            },
            elsewhere: Vec::new(),
        }
    }

    fn toast(text: impl Into<String>, lang: Lang) -> SuggestOutcome {
        SuggestOutcome {
            reply: Reply {
                posts: Vec::new(),
                toast: Some(text.into()),
                lang,
            },
            elsewhere: Vec::new(),
        }
    }
}

/// The `/start` payload that opens the form for `chat` (Telegram allows
/// `A-Za-z0-9_-`, up to 64 characters): `suggest-m1001234567890`.
pub fn start_payload(chat_id: i64) -> String {
    match chat_id {
        id if id < 0 => format!("suggest-m{}", id.unsigned_abs()),
        id => format!("suggest-{id}"),
    }
}

/// The chat id a [`start_payload`] names.
pub fn read_payload(payload: &str) -> Option<i64> {
    let digits = payload.strip_prefix("suggest-")?;
    let (negative, digits) = match digits.strip_prefix('m') {
        Some(rest) => (true, rest),
        None => (false, digits),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let magnitude: u64 = digits.parse().ok()?;
    match negative {
        true => 0i64.checked_sub_unsigned(magnitude),
        false => i64::try_from(magnitude).ok(),
    }
}

/// A suggestion's words as blocks: question, answer, analysis, tags.
pub(super) fn text_blocks(text: &SuggestionText, lang: Lang) -> Vec<Block> {
    use words::Part;
    let label = |part| format!("{}:", words::part_name(lang, part));
    let mut blocks = vec![
        Block::Heading(label(Part::Question)),
        Block::Text(text.question.clone()),
        Block::Heading(label(Part::Answer)),
        Block::Text(text.answer.clone()),
    ];
    if let Some(analysis) = &text.analysis {
        blocks.push(Block::Heading(label(Part::Analysis)));
        blocks.push(Block::Text(analysis.clone()));
    }
    if !text.tags.is_empty() {
        let tags = format!("{} {}", label(Part::Tags), text.tags.join(", "));
        blocks.push(Block::Text(tags));
    }
    blocks
}

impl Engine {
    /// Whether suggestions for `chat` have anyone to moderate them.
    pub(super) fn takes_suggestions(&self, chat: ChatId) -> bool {
        chat.platform == Platform::Telegram && !self.report_to.is_empty()
    }

    /// `/suggest` (and `/start suggest-…`): in a group, the way into the
    /// form; in private, the form for the chat a payload names, or
    /// `status`.
    pub(in crate::study) async fn suggest_command(
        &self,
        incoming: &Incoming,
        lang: Lang,
        args: &[String],
    ) -> Result<Vec<Post>> {
        let place = &incoming.place;
        if place.kind != ChatKind::Private {
            return Ok(vec![self.open_post(place.chat_id, lang)]);
        }
        let first = args.first().map(String::as_str);
        if first.is_some_and(|w| w.eq_ignore_ascii_case("status")) {
            return self.suggestion_status(incoming, lang).await;
        }
        match first.and_then(read_payload) {
            Some(id) => {
                let chat = ChatId::new(place.chat_id.platform, id);
                self.begin_draft(incoming, lang, chat).await
            }
            None => Ok(vec![Post::text(words::private_hint(lang))]),
        }
    }

    fn open_post(&self, chat: ChatId, lang: Lang) -> Post {
        if !self.takes_suggestions(chat) {
            return Post::text(words::closed(lang));
        }
        let mut post = Post::text(words::open_in_private(lang));
        post.buttons = vec![Button {
            label: words::open_label(lang).to_string(),
            action: Action::Suggestion(SuggestAction::Open { chat_id: chat.id }),
        }];
        post
    }

    /// `/skip` and `/cancel`: steps of the form, in private only (in groups
    /// they may be another bot's).
    pub(in crate::study) async fn form_command(
        &self,
        incoming: &Incoming,
        lang: Lang,
        cancel: bool,
    ) -> Result<Vec<Post>> {
        if incoming.place.kind != ChatKind::Private {
            return Ok(Vec::new());
        }
        match cancel {
            true => self.cancel_draft(incoming, lang).await,
            false => self.skip_step(incoming, lang).await,
        }
    }

    /// `/suggest status`: my latest suggestions and their outcomes; an
    /// outcome shown here counts as told.
    async fn suggestion_status(&self, incoming: &Incoming, lang: Lang) -> Result<Vec<Post>> {
        let Some(person) = person_of(incoming) else {
            return Ok(Vec::new());
        };
        let rows = self.store.suggestions_of(person, 10).await?;
        if rows.is_empty() {
            return Ok(vec![Post::text(words::status_empty(lang))]);
        }
        let mut lines = Vec::new();
        for row in &rows {
            let title = deck_file::title_of(&row.text.question);
            lines.push(words::status_line(lang, row.id, row.state.as_str(), &title));
            if let Some(reason) = &row.reason {
                lines.push(words::status_reason(lang, reason));
            }
            if !row.told && row.decided_at.is_some() {
                self.store.suggestion_told(person.platform, row.id).await?;
            }
        }
        Ok(vec![Post::text(lines.join("\n"))])
    }

    /// A press of a `/suggest` button (not `Open`, which the adapter turns
    /// into a link to its private chat).
    pub async fn press_suggestion(
        &self,
        incoming: &Incoming,
        action: SuggestAction,
    ) -> Result<SuggestOutcome> {
        crate::ops::telemetry::update(incoming.place.chat_id.platform, "button_suggestion");
        let lang = self.lang_of(incoming).await?;
        match action {
            SuggestAction::Open { .. } => Ok(SuggestOutcome::toast(words::open_hint(lang), lang)),
            SuggestAction::Send => self.send_draft(incoming, lang).await,
            SuggestAction::Cancel => {
                let posts = self.cancel_draft(incoming, lang).await?;
                Ok(SuggestOutcome::posts(posts, lang))
            }
            SuggestAction::Approve { id }
            | SuggestAction::Edit { id }
            | SuggestAction::Reject { id } => self.moderate(incoming, lang, action, id).await,
        }
    }

    /// `text`, sent in reply to the bot's message `prompt`: a part of a
    /// suggestion if `prompt` asked this person for one, else `None`.
    pub async fn suggestion_reply(
        &self,
        incoming: &Incoming,
        prompt: MessageId,
        text: &str,
    ) -> Result<Option<SuggestOutcome>> {
        let chat = incoming.place.chat_id;
        let Some(asked) = self.store.suggestion_prompt(chat, prompt).await? else {
            return Ok(None);
        };
        if person_of(incoming) != Some(asked.person) {
            return Ok(None);
        }
        crate::ops::telemetry::update(chat.platform, "suggestion_reply");
        let lang = self.lang_of(incoming).await?;
        let outcome = match (Step::parse(&asked.step), asked.suggestion_id) {
            (Some(step), _) => self
                .draft_reply(incoming, lang, step, text)
                .await?
                .map(|posts| SuggestOutcome::posts(posts, lang)),
            (None, Some(id)) if asked.step == "reason" => {
                Some(self.reject_with(incoming, lang, id, text).await?)
            }
            (None, Some(id)) if asked.step == "edit" => {
                Some(self.approve_edited(incoming, lang, id, text).await?)
            }
            _ => None,
        };
        Ok(outcome)
    }

    /// The suggester of `id` has been told its outcome.
    pub async fn suggestion_told(&self, platform: Platform, id: i64) -> Result<()> {
        Ok(self.store.suggestion_told(platform, id).await?)
    }
}

#[cfg(test)]
mod desk_tests;
#[cfg(test)]
mod tests;
