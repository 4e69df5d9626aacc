//! The queue's two ends: sending a draft (the cap, duplicates, then a post
//! to each moderator with Approve / Edit / Reject) and a moderator's
//! decision. The first decision wins (the store decides only a pending
//! suggestion), so a second moderator is told who decided. An approval
//! writes the question to the chat's deck file and reloads the bank; if
//! either fails, the file is put back and the suggestion stays pending.

use std::sync::Arc;

use super::deck_file::{self, DeckHeader};
use super::draft::{draft_text, prompt};
use super::similar::{Likeness, likeness, normalise};
use super::{Elsewhere, PER_DAY, SuggestOutcome, check, text_blocks};
use crate::bank::Bank;
use crate::domain::{ChatId, Platform};
use crate::post::{Action, Block, Button, Post, SuggestAction};
use crate::store::{Decision, NewSuggestion, SuggestionRow, SuggestionState, SuggestionText};
use crate::study::i18n::suggest as words;
use crate::study::review::person_of;
use crate::study::{Engine, Incoming, Lang, Result};

/// What the bank and the queue hold like a new suggestion.
pub(super) enum Found {
    Same(String),
    Near(String),
    Nothing,
}

impl Engine {
    /// The Send button: the draft joins the queue, the moderators hear.
    pub(super) async fn send_draft(
        &self,
        incoming: &Incoming,
        lang: Lang,
    ) -> Result<SuggestOutcome> {
        let Some(person) = person_of(incoming) else {
            return Ok(SuggestOutcome::toast(words::no_draft(lang), lang));
        };
        let draft = self.store.draft(person).await?;
        let Some((draft, text)) = draft.and_then(|d| draft_text(&d).map(|t| (d, t))) else {
            return Ok(SuggestOutcome::toast(words::no_draft(lang), lang));
        };
        if self.suggestions_capped(person, incoming.now).await? {
            return Ok(SuggestOutcome::posts(
                vec![Post::text(words::capped(lang, PER_DAY))],
                lang,
            ));
        }
        if !self.takes_suggestions(draft.chat_id) {
            return Ok(SuggestOutcome::posts(
                vec![Post::text(words::closed(lang))],
                lang,
            ));
        }
        let near = match self.look_alike(draft.chat_id, &text.question).await? {
            Found::Same(existing) => {
                let refusal = Post::text(words::duplicate(lang, &existing));
                return Ok(SuggestOutcome::posts(vec![refusal], lang));
            }
            Found::Near(near) => Some(near),
            Found::Nothing => None,
        };
        let name = incoming.person.name.clone().unwrap_or_default();
        let new = NewSuggestion {
            chat_id: draft.chat_id,
            chat_title: draft.chat_title.as_deref(),
            person_id: person.id,
            person_name: &name,
            text: &text,
            near: near.as_deref(),
            at: incoming.now.as_second(),
        };
        let id = self.store.add_suggestion(&new).await?;
        log::info!("chat {}: suggestion {id} queued", draft.chat_id);
        let mut outcome = SuggestOutcome::posts(vec![Post::text(words::sent(lang, id))], lang);
        if let Some(row) = self.store.suggestion(draft.chat_id.platform, id).await? {
            outcome.elsewhere = self.moderation_posts(&row).await?;
        }
        Ok(outcome)
    }

    /// The closest question in the bank (as served in `chat`) or in the
    /// chat's queue.
    pub(super) async fn look_alike(&self, chat: ChatId, question: &str) -> Result<Found> {
        let candidate = normalise(question);
        let scope = chat.to_string();
        let bank = self.bank();
        let mut best: Option<(f64, String)> = None;
        let bank_side = bank
            .questions()
            .iter()
            .filter(|q| bank.serves_in(q, &scope))
            .map(|q| {
                (
                    likeness(&candidate, &q.question),
                    format!("{}: {}", q.id, q.title),
                )
            });
        let pending = self.store.pending_suggestions(chat).await?;
        let queue_side = pending.iter().map(|s| {
            let title = deck_file::title_of(&s.text.question);
            (
                likeness(&candidate, &s.text.question),
                format!("#{}: {title}", s.id),
            )
        });
        for (found, what) in bank_side.chain(queue_side) {
            match found {
                Likeness::Same => return Ok(Found::Same(what)),
                Likeness::Near(s) if best.as_ref().is_none_or(|(b, _)| s > *b) => {
                    best = Some((s, what));
                }
                _ => {}
            }
        }
        Ok(match best {
            Some((s, what)) => Found::Near(format!("{what} ({:.0}%)", s * 100.0)),
            None => Found::Nothing,
        })
    }

    /// The suggestion for each moderator, in their chat's language.
    async fn moderation_posts(&self, row: &SuggestionRow) -> Result<Vec<Elsewhere>> {
        let mut posts = Vec::new();
        for &moderator in self.report_to.iter() {
            let chat = ChatId::new(Platform::Telegram, moderator);
            let lang = self.chat_lang(chat).await?;
            posts.push(Elsewhere {
                chat,
                post: moderation_post(row, lang),
                tells: None,
            });
        }
        Ok(posts)
    }

    /// On Telegram the operators; elsewhere (Discord) a member who may
    /// manage the server, in its moderation channel (`desk`).
    async fn is_moderator(&self, incoming: &Incoming, row: &SuggestionRow) -> Result<bool> {
        let platform = incoming.place.chat_id.platform;
        if platform != Platform::Telegram {
            return self.decides_at_desk(incoming, row).await;
        }
        let id = incoming.person.user_id;
        Ok(id.is_some_and(|id| self.report_to.contains(&id)))
    }

    /// A pending suggestion the presser may decide, or the toast saying
    /// why not.
    pub(super) async fn decidable(
        &self,
        incoming: &Incoming,
        lang: Lang,
        id: i64,
    ) -> Result<std::result::Result<SuggestionRow, String>> {
        let platform = incoming.place.chat_id.platform;
        let Some(row) = self.store.suggestion(platform, id).await? else {
            return Ok(Err(words::gone(lang).to_string()));
        };
        if !self.is_moderator(incoming, &row).await? {
            return Ok(Err(words::not_moderator(lang).to_string()));
        }
        if row.state != SuggestionState::Pending {
            let by = row.moderator_name.clone().unwrap_or_default();
            let approved = row.state == SuggestionState::Approved;
            return Ok(Err(words::already_decided(lang, id, approved, &by)));
        }
        Ok(Ok(row))
    }

    /// Approve / Edit / Reject on a suggestion.
    pub(super) async fn moderate(
        &self,
        incoming: &Incoming,
        lang: Lang,
        action: SuggestAction,
        id: i64,
    ) -> Result<SuggestOutcome> {
        let row = match self.decidable(incoming, lang, id).await? {
            Ok(row) => row,
            Err(refusal) => return Ok(SuggestOutcome::toast(refusal, lang)),
        };
        let moderator = incoming.person.user_id.unwrap_or_default();
        let asked = match action {
            SuggestAction::Approve { .. } => {
                return self.approve(incoming, lang, row.text.clone(), row).await;
            }
            SuggestAction::Edit { .. } => {
                let form = check::form(&row.text, lang);
                prompt(
                    moderator,
                    "edit",
                    Some(id),
                    words::edit_prompt(lang, id, &form),
                )
            }
            _ => prompt(
                moderator,
                "reason",
                Some(id),
                words::reason_prompt(lang, id),
            ),
        };
        Ok(SuggestOutcome::posts(vec![asked], lang))
    }

    /// A moderator's corrected form for suggestion `id`: approved as sent.
    pub(super) async fn approve_edited(
        &self,
        incoming: &Incoming,
        lang: Lang,
        id: i64,
        form: &str,
    ) -> Result<SuggestOutcome> {
        let row = match self.decidable(incoming, lang, id).await? {
            Ok(row) => row,
            Err(refusal) => return Ok(SuggestOutcome::posts(vec![Post::text(refusal)], lang)),
        };
        match check::read_form(lang, form) {
            Ok(text) => self.approve(incoming, lang, text, row).await,
            Err(problem) => {
                let platform = incoming.place.chat_id.platform;
                let refusal = words::with_retry(lang, platform, &problem);
                Ok(SuggestOutcome::posts(vec![Post::text(refusal)], lang))
            }
        }
    }

    /// A moderator's reason for rejecting suggestion `id`.
    pub(super) async fn reject_with(
        &self,
        incoming: &Incoming,
        lang: Lang,
        id: i64,
        reason: &str,
    ) -> Result<SuggestOutcome> {
        let say = |text: String| Ok(SuggestOutcome::posts(vec![Post::text(text)], lang));
        let row = match self.decidable(incoming, lang, id).await? {
            Ok(row) => row,
            Err(refusal) => return say(refusal),
        };
        let reason = reason.trim();
        if reason.is_empty() {
            let platform = incoming.place.chat_id.platform;
            return say(words::with_retry(lang, platform, words::empty(lang)));
        }
        let name = incoming.person.name.clone().unwrap_or_default();
        let decision = Decision {
            state: SuggestionState::Rejected,
            text: &row.text,
            reason: Some(reason),
            moderator_id: incoming.person.user_id.unwrap_or_default(),
            moderator_name: &name,
            question_id: None,
            at: incoming.now.as_second(),
        };
        if !self
            .store
            .decide_suggestion(row.chat_id.platform, id, &decision)
            .await?
        {
            return self.lost_race(lang, &row).await;
        }
        log::info!("chat {}: suggestion {id} rejected by {name}", row.chat_id);
        let mut outcome = SuggestOutcome::posts(
            vec![Post::text(words::rejected_for_moderator(lang, id))],
            lang,
        );
        let told = words::rejected_for_suggester;
        let title = deck_file::title_of(&row.text.question);
        let chat = self.suggester_chat(&row);
        let them = self.chat_lang(chat).await?;
        outcome.elsewhere.push(Elsewhere {
            chat,
            post: Post::text(told(them, &title, reason)),
            tells: Some(id),
        });
        Ok(outcome)
    }

    /// Another moderator decided first, between the check and the write.
    async fn lost_race(&self, lang: Lang, row: &SuggestionRow) -> Result<SuggestOutcome> {
        let now = self.store.suggestion(row.chat_id.platform, row.id).await?;
        let now = now.unwrap_or_else(|| row.clone());
        let by = now.moderator_name.unwrap_or_default();
        let approved = now.state == SuggestionState::Approved;
        let text = words::already_decided(lang, row.id, approved, &by);
        Ok(SuggestOutcome::posts(vec![Post::text(text)], lang))
    }

    /// The suggester's private chat (on Telegram, their user id).
    fn suggester_chat(&self, row: &SuggestionRow) -> ChatId {
        ChatId::new(row.person.platform, row.person.id)
    }

    /// Approves `row` with `text`: decided in the store, written to the
    /// deck file, the bank reloaded; the suggester told.
    pub(super) async fn approve(
        &self,
        incoming: &Incoming,
        lang: Lang,
        text: SuggestionText,
        row: SuggestionRow,
    ) -> Result<SuggestOutcome> {
        let question_id = deck_file::question_id(row.chat_id, row.id);
        let name = incoming.person.name.clone().unwrap_or_default();
        let decision = Decision {
            state: SuggestionState::Approved,
            text: &text,
            reason: None,
            moderator_id: incoming.person.user_id.unwrap_or_default(),
            moderator_name: &name,
            question_id: Some(&question_id),
            at: incoming.now.as_second(),
        };
        let platform = row.chat_id.platform;
        if !self
            .store
            .decide_suggestion(platform, row.id, &decision)
            .await?
        {
            return self.lost_race(lang, &row).await;
        }
        if let Err(error) = self.write_to_deck(&row, &text, &question_id).await {
            log::error!("chat {}: suggestion {}: {error}", row.chat_id, row.id);
            self.store.reopen_suggestion(platform, row.id).await?;
            let refusal = Post::text(words::not_saved(lang, row.id));
            return Ok(SuggestOutcome::posts(vec![refusal], lang));
        }
        log::info!(
            "chat {}: suggestion {} approved as {question_id}",
            row.chat_id,
            row.id
        );
        let done = words::approved_for_moderator(lang, row.id, &question_id);
        let mut outcome = SuggestOutcome::posts(vec![Post::text(done)], lang);
        let chat = self.suggester_chat(&row);
        let them = self.chat_lang(chat).await?;
        let title = deck_file::title_of(&text.question);
        let deck = row
            .chat_title
            .clone()
            .unwrap_or_else(|| row.chat_id.to_string());
        outcome.elsewhere.push(Elsewhere {
            chat,
            post: Post::text(words::approved_for_suggester(them, &title, &deck)),
            tells: Some(row.id),
        });
        Ok(outcome)
    }

    /// Appends the question to the chat's deck file and reloads the bank;
    /// a bank that will not load puts the file back.
    async fn write_to_deck(
        &self,
        row: &SuggestionRow,
        text: &SuggestionText,
        question_id: &str,
    ) -> std::result::Result<(), String> {
        let Some(content) = self.content.clone() else {
            return Err("no content folder to write to".into());
        };
        let language = self
            .chat_lang(row.chat_id)
            .await
            .map_err(|e| e.to_string())?;
        let _one_writer = self.deck_writes.lock().await;
        let (chat, title) = (row.chat_id, row.chat_title.clone().unwrap_or_default());
        let (text, id) = (text.clone(), question_id.to_string());
        let loaded = tokio::task::spawn_blocking(move || {
            let header = DeckHeader {
                chat,
                title: &title,
                language: language.code(),
            };
            let previous = deck_file::add_question(&content, &header, &id, &text)
                .map_err(|e| e.to_string())?;
            Bank::load(&content).map_err(|errors| {
                let restored = previous.restore();
                format!("the bank would not load ({errors}); restored: {restored:?}")
            })
        })
        .await
        .map_err(|e| e.to_string())??;
        let size = loaded.len();
        self.replace_bank(Arc::new(loaded));
        log::info!("bank reloaded after a suggestion: {size} questions");
        Ok(())
    }
}

/// What a moderator sees: who, for which chat, the words, a near-duplicate
/// if one was found, and the three buttons.
pub(super) fn moderation_post(row: &SuggestionRow, lang: Lang) -> Post {
    let chat = match &row.chat_title {
        Some(title) => format!("{title} ({})", row.chat_id),
        None => row.chat_id.to_string(),
    };
    let who = format!("{} ({})", row.person_name, row.person.id);
    let mut blocks = vec![Block::Heading(words::for_moderators(
        lang, row.id, &chat, &who,
    ))];
    blocks.extend(text_blocks(&row.text, lang));
    if let Some(near) = &row.near {
        blocks.push(Block::Text(words::near_duplicate(lang, near)));
    }
    let button = |label: &str, action| Button {
        label: label.to_string(),
        action: Action::Suggestion(action),
    };
    let id = row.id;
    let mut post = Post::notice(blocks);
    post.buttons = vec![
        button(words::approve_label(lang), SuggestAction::Approve { id }),
        button(words::edit_label(lang), SuggestAction::Edit { id }),
        button(words::reject_label(lang), SuggestAction::Reject { id }),
    ];
    post
}
