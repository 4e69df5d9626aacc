//! `/suggest` where the form arrives whole (Discord's modal) and a server's
//! own channel moderates: an admin names that channel (the server's "desk"),
//! a submitted form goes through the same checks as the private form (the
//! daily cap, lengths, tags, duplicates; a near-duplicate is shown to the
//! moderators), and members who may manage the server decide it there.
//! Approving and rejecting are `moderate`'s; this adds who decided, as the
//! channel sees it.

use super::check;
use super::moderate::{Found, moderation_post};
use super::{Elsewhere, PER_DAY, SuggestOutcome};
use crate::domain::Platform;
use crate::post::Post;
use crate::store::{NewSuggestion, SuggestionRow, SuggestionText};
use crate::study::i18n::suggest::{self as words, Part};
use crate::study::i18n::suggest_desk as desk_words;
use crate::study::review::person_of;
use crate::study::{Engine, Incoming, Lang, Reply, Result};

/// A whole suggestion as a form carries it (optional parts may be empty).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SuggestionForm {
    pub question: String,
    pub answer: String,
    pub analysis: String,
    pub tags: String,
}

/// What `/suggest` does where a server's channel moderates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeskCommand {
    /// Show the form, in this language.
    OpenForm(Lang),
    /// Answer with this instead.
    Answer(Reply),
}

fn note(text: impl Into<String>, lang: Lang) -> Reply {
    Reply {
        posts: Vec::new(),
        toast: Some(text.into()),
        lang,
    }
}

impl Engine {
    /// `/suggest [status | here | off]` in server `space` (`None`: not in
    /// a server).
    pub async fn suggest_at_desk(
        &self,
        incoming: &Incoming,
        space: Option<i64>,
        args: &[String],
    ) -> Result<DeskCommand> {
        let chat = self.see_chat(incoming).await?;
        let lang = self.lang_in(chat.as_ref(), incoming);
        let word = args.first().map(|w| w.to_lowercase());
        let answer = match word.as_deref() {
            None => return self.form_gate(incoming, space, lang).await,
            Some("status") => {
                let posts = self.suggestion_status(incoming, lang).await?;
                note(notice_text(&posts), lang)
            }
            Some("here") => self.name_desk(incoming, space, lang).await?,
            Some("off") => self.close_desk(incoming, space, lang).await?,
            Some(other) => note(desk_words::unknown_word(lang, other), lang),
        };
        Ok(DeskCommand::Answer(answer))
    }

    async fn form_gate(
        &self,
        incoming: &Incoming,
        space: Option<i64>,
        lang: Lang,
    ) -> Result<DeskCommand> {
        if let Some(refusal) = self.form_refusal(incoming, space, lang).await? {
            return Ok(DeskCommand::Answer(note(refusal, lang)));
        }
        Ok(DeskCommand::OpenForm(lang))
    }

    /// Why this person may not suggest here now, if they may not.
    async fn form_refusal(
        &self,
        incoming: &Incoming,
        space: Option<i64>,
        lang: Lang,
    ) -> Result<Option<String>> {
        let platform = incoming.place.chat_id.platform;
        let (Some(space), Some(person)) = (space, person_of(incoming)) else {
            return Ok(Some(desk_words::server_only(lang).to_string()));
        };
        if self.store.suggestion_desk(platform, space).await?.is_none() {
            return Ok(Some(desk_words::not_open(lang).to_string()));
        }
        if self.suggestions_capped(person, incoming.now).await? {
            return Ok(Some(words::capped(lang, PER_DAY)));
        }
        Ok(None)
    }

    async fn name_desk(
        &self,
        incoming: &Incoming,
        space: Option<i64>,
        lang: Lang,
    ) -> Result<Reply> {
        let Some(space) = space else {
            return Ok(note(desk_words::server_only(lang), lang));
        };
        if !incoming.person.is_admin {
            return Ok(note(desk_words::admins_only(lang), lang));
        }
        let by = incoming.person.user_id.unwrap_or_default();
        let channel = incoming.place.chat_id;
        let at = incoming.now.as_second();
        self.store
            .set_suggestion_desk(space, channel, by, at)
            .await?;
        log::info!("server {space}: suggestions are moderated in {channel}");
        Ok(Reply {
            posts: vec![Post::text(desk_words::desk_named(lang))],
            toast: None,
            lang,
        })
    }

    async fn close_desk(
        &self,
        incoming: &Incoming,
        space: Option<i64>,
        lang: Lang,
    ) -> Result<Reply> {
        let Some(space) = space else {
            return Ok(note(desk_words::server_only(lang), lang));
        };
        if !incoming.person.is_admin {
            return Ok(note(desk_words::admins_only(lang), lang));
        }
        let platform = incoming.place.chat_id.platform;
        let was_open = self.store.clear_suggestion_desk(platform, space).await?;
        Ok(note(desk_words::desk_closed(lang, was_open), lang))
    }

    /// The `/settings` line of server `space`: where its suggestions are
    /// moderated, or how to open them.
    pub async fn suggestion_desk_line(
        &self,
        platform: Platform,
        space: i64,
        lang: Lang,
    ) -> Result<String> {
        let Some(desk) = self.store.suggestion_desk(platform, space).await? else {
            return Ok(desk_words::settings_closed(lang).to_string());
        };
        let known = self.chat_facts(desk).await?;
        let name = known
            .and_then(|c| c.title)
            .map_or_else(|| desk.id.to_string(), |title| format!("#{title}"));
        Ok(desk_words::settings_open(lang, &name))
    }

    /// A submitted form: checked, queued, posted to the server's desk. The
    /// sender's answer is a note for them alone.
    pub async fn submit_suggestion(
        &self,
        incoming: &Incoming,
        space: Option<i64>,
        form: &SuggestionForm,
    ) -> Result<SuggestOutcome> {
        let lang = self.lang_of(incoming).await?;
        let refuse = |text: String| Ok(SuggestOutcome::toast(text, lang));
        if let Some(refusal) = self.form_refusal(incoming, space, lang).await? {
            return refuse(refusal);
        }
        let (Some(space), Some(person)) = (space, person_of(incoming)) else {
            return refuse(desk_words::server_only(lang).to_string());
        };
        let text = match read_form(lang, form) {
            Ok(text) => text,
            Err(problem) => return refuse(words::with_retry(lang, Platform::Discord, &problem)),
        };
        let chat = incoming.place.chat_id;
        let near = match self.look_alike(chat, &text.question).await? {
            Found::Same(existing) => return refuse(desk_words::duplicate(lang, &existing)),
            Found::Near(near) => Some(near),
            Found::Nothing => None,
        };
        let name = incoming.person.name.clone().unwrap_or_default();
        let new = NewSuggestion {
            chat_id: chat,
            chat_title: incoming.place.title.as_deref(),
            person_id: person.id,
            person_name: &name,
            text: &text,
            near: near.as_deref(),
            at: incoming.now.as_second(),
        };
        let id = self.store.add_suggestion(&new).await?;
        self.store
            .set_suggestion_space(chat.platform, id, space)
            .await?;
        log::info!("chat {chat}: suggestion {id} queued for server {space}'s moderators");
        let mut outcome = SuggestOutcome::toast(desk_words::queued(lang, id), lang);
        let desk = self.store.suggestion_desk(chat.platform, space).await?;
        let row = self.store.suggestion(chat.platform, id).await?;
        if let (Some(desk), Some(row)) = (desk, row) {
            let lang = self.chat_lang(desk).await?;
            outcome.elsewhere.push(Elsewhere {
                chat: desk,
                post: moderation_post(&row, lang),
                tells: None,
            });
        }
        Ok(outcome)
    }

    /// Whether the presser may decide `row` here: a member who may manage
    /// the server, in the desk of the server the suggestion came from.
    pub(super) async fn decides_at_desk(
        &self,
        incoming: &Incoming,
        row: &SuggestionRow,
    ) -> Result<bool> {
        let platform = incoming.place.chat_id.platform;
        if !incoming.person.is_admin || platform == Platform::Telegram {
            return Ok(false);
        }
        let Some(space) = self.store.suggestion_space(platform, row.id).await? else {
            return Ok(false);
        };
        let desk = self.store.suggestion_desk(platform, space).await?;
        Ok(desk == Some(incoming.place.chat_id))
    }

    /// The words of pending suggestion `id` for a moderator about to edit
    /// or reject it, or the note saying why they cannot.
    pub async fn suggestion_to_decide(
        &self,
        incoming: &Incoming,
        id: i64,
    ) -> Result<std::result::Result<(SuggestionText, Lang), Reply>> {
        let lang = self.lang_of(incoming).await?;
        Ok(match self.decidable(incoming, lang, id).await? {
            Ok(row) => Ok((row.text, lang)),
            Err(refusal) => Err(note(refusal, lang)),
        })
    }

    /// Approves `id` as sent (`form`: `None`) or as a moderator corrected
    /// it; the desk hears who approved.
    pub async fn approve_at_desk(
        &self,
        incoming: &Incoming,
        id: i64,
        form: Option<&SuggestionForm>,
    ) -> Result<SuggestOutcome> {
        let lang = self.lang_of(incoming).await?;
        let row = match self.decidable(incoming, lang, id).await? {
            Ok(row) => row,
            Err(refusal) => return Ok(SuggestOutcome::toast(refusal, lang)),
        };
        let text = match form.map(|f| read_form(lang, f)).transpose() {
            Ok(text) => text.unwrap_or_else(|| row.text.clone()),
            Err(refusal) => return Ok(SuggestOutcome::toast(refusal, lang)),
        };
        let question_id = super::deck_file::question_id(row.chat_id, id);
        let mut outcome = self.approve(incoming, lang, text, row).await?;
        let by = incoming.person.name.clone().unwrap_or_default();
        let said = desk_words::approved_by(lang, id, &by, &question_id);
        for_the_desk(&mut outcome, id, said);
        Ok(outcome)
    }

    /// Rejects `id` with `reason`; the desk hears who rejected it and why.
    pub async fn reject_at_desk(
        &self,
        incoming: &Incoming,
        id: i64,
        reason: &str,
    ) -> Result<SuggestOutcome> {
        let lang = self.lang_of(incoming).await?;
        let mut outcome = self.reject_with(incoming, lang, id, reason).await?;
        let by = incoming.person.name.clone().unwrap_or_default();
        let said = desk_words::rejected_by(lang, id, &by, reason.trim());
        for_the_desk(&mut outcome, id, said);
        Ok(outcome)
    }
}

/// A decision on `id` (the suggester is to be told) is said in the desk
/// for every moderator to see; anything else (not a moderator, decided
/// already, not saved) is a note for the presser alone.
fn for_the_desk(outcome: &mut SuggestOutcome, id: i64, said: String) {
    let lang = outcome.reply.lang;
    if outcome.elsewhere.iter().any(|e| e.tells == Some(id)) {
        outcome.reply.posts = vec![Post::text(said)];
    } else if !outcome.reply.posts.is_empty() {
        outcome.reply = note(notice_text(&outcome.reply.posts), lang);
    }
}

/// A form's parts checked like the private form's steps.
fn read_form(lang: Lang, form: &SuggestionForm) -> std::result::Result<SuggestionText, String> {
    let analysis = optional(&form.analysis)
        .map(|a| check::part(lang, Part::Analysis, a))
        .transpose()?;
    let tags = match optional(&form.tags) {
        Some(tags) => check::tags(lang, tags)?,
        None => Vec::new(),
    };
    Ok(SuggestionText {
        question: check::part(lang, Part::Question, &form.question)?,
        answer: check::part(lang, Part::Answer, &form.answer)?,
        analysis,
        tags,
    })
}

/// `text` trimmed, unless that leaves nothing.
fn optional(text: &str) -> Option<&str> {
    Some(text.trim()).filter(|t| !t.is_empty())
}

/// The plain text of notices, joined.
fn notice_text(posts: &[Post]) -> String {
    let texts = posts
        .iter()
        .flat_map(|p| &p.blocks)
        .filter_map(|b| match b {
            crate::post::Block::Text(text) => Some(text.as_str()),
            _ => None,
        });
    texts.collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(question: &str, tags: &str) -> SuggestionForm {
        SuggestionForm {
            question: question.into(),
            answer: " Because. ".into(),
            analysis: "  ".into(),
            tags: tags.into(),
        }
    }

    #[test]
    fn a_form_is_checked_like_the_steps() {
        let text = read_form(Lang::En, &form("Why?", "ML, #训练")).unwrap();
        assert_eq!(text.question, "Why?");
        assert_eq!(text.answer, "Because.");
        assert_eq!(text.analysis, None, "a blank analysis is left out");
        assert_eq!(text.tags, vec!["ml", "训练"]);
        assert!(read_form(Lang::En, &form("  ", "")).is_err());
        assert!(read_form(Lang::En, &form("Why?", "a_b")).is_err());
        let long = "x".repeat(crate::bank::rules::MAX_SUGGESTED_QUESTION_CHARS + 1);
        assert!(read_form(Lang::En, &form(&long, "")).is_err());
    }
}
