//! The form in private: one prompt a step (question, answer, analysis,
//! tags), each answered by replying to it, `/skip` for the optional steps,
//! `/cancel` anywhere, then a summary with Send / Cancel. The draft is
//! stored at each step, so a restart loses nothing typed.

use jiff::Timestamp;

use super::{PER_DAY, check};
use crate::domain::{ChatId, PersonId};
use crate::post::{Block, Button, Post, PostKind, SuggestAction};
use crate::store::{DraftRow, SuggestionText};
use crate::study::i18n::suggest::{self as words, Part};
use crate::study::review::person_of;
use crate::study::{Engine, Incoming, Lang, Result};

/// Where a draft stands: awaiting one part, or complete (the summary).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Awaiting(Part),
    Review,
}

impl Step {
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Awaiting(Part::Question) => "question",
            Step::Awaiting(Part::Answer) => "answer",
            Step::Awaiting(Part::Analysis) => "analysis",
            Step::Awaiting(Part::Tags) => "tags",
            Step::Review => "review",
        }
    }

    pub fn parse(text: &str) -> Option<Step> {
        Some(match text {
            "question" => Step::Awaiting(Part::Question),
            "answer" => Step::Awaiting(Part::Answer),
            "analysis" => Step::Awaiting(Part::Analysis),
            "tags" => Step::Awaiting(Part::Tags),
            "review" => Step::Review,
            _ => return None,
        })
    }

    fn after(part: Part) -> Step {
        match part {
            Part::Question => Step::Awaiting(Part::Answer),
            Part::Answer => Step::Awaiting(Part::Analysis),
            Part::Analysis => Step::Awaiting(Part::Tags),
            Part::Tags => Step::Review,
        }
    }
}

/// The prompt for `part`, aimed at `person_id` (a ForceReply on Telegram).
pub(super) fn prompt(person_id: i64, step: &str, suggestion: Option<i64>, text: String) -> Post {
    Post {
        kind: PostKind::SuggestPrompt {
            person_id,
            step: step.to_string(),
            suggestion_id: suggestion,
        },
        ..Post::text(text)
    }
}

fn step_prompt(person: PersonId, part: Part, lang: Lang) -> Post {
    let text = words::step_prompt(lang, part).to_string();
    prompt(person.id, Step::Awaiting(part).as_str(), None, text)
}

/// The start of the UTC day of `now`, for the daily cap.
pub(super) fn day_start(now: Timestamp) -> i64 {
    now.as_second().div_euclid(86_400) * 86_400
}

impl Engine {
    /// `/start suggest-…` in private: a new draft for `chat`'s deck.
    pub(super) async fn begin_draft(
        &self,
        incoming: &Incoming,
        lang: Lang,
        chat: ChatId,
    ) -> Result<Vec<Post>> {
        let Some(person) = person_of(incoming) else {
            return Ok(Vec::new());
        };
        let known = self.chat_facts(chat).await?.filter(|c| c.active);
        let Some(known) = known.filter(|c| c.kind.is_group()) else {
            return Ok(vec![Post::text(words::unknown_chat(lang))]);
        };
        if !self.takes_suggestions(chat) {
            return Ok(vec![Post::text(words::closed(lang))]);
        }
        if self.suggestions_capped(person, incoming.now).await? {
            return Ok(vec![Post::text(words::capped(lang, PER_DAY))]);
        }
        let title = known.title.unwrap_or_else(|| chat.to_string());
        let draft = DraftRow {
            person,
            chat_id: chat,
            chat_title: Some(title.clone()),
            step: Step::Awaiting(Part::Question).as_str().to_string(),
            question: None,
            answer: None,
            analysis: None,
            tags: None,
            updated_at: incoming.now.as_second(),
        };
        self.store.save_draft(&draft).await?;
        Ok(vec![
            Post::text(words::intro(lang, &title)),
            step_prompt(person, Part::Question, lang),
        ])
    }

    /// Whether `person` has sent as many suggestions today as a day allows.
    pub(super) async fn suggestions_capped(
        &self,
        person: PersonId,
        now: Timestamp,
    ) -> Result<bool> {
        let today = self.store.suggestions_since(person, day_start(now)).await?;
        Ok(today >= i64::from(PER_DAY))
    }

    /// A reply to the prompt of `step` of the person's draft.
    pub(super) async fn draft_reply(
        &self,
        incoming: &Incoming,
        lang: Lang,
        step: Step,
        text: &str,
    ) -> Result<Option<Vec<Post>>> {
        let Some(person) = person_of(incoming) else {
            return Ok(None);
        };
        let Some(mut draft) = self.store.draft(person).await? else {
            return Ok(Some(vec![Post::text(words::no_draft(lang))]));
        };
        let Step::Awaiting(part) = step else {
            return Ok(None);
        };
        if Step::parse(&draft.step) != Some(step) {
            // An older prompt: the current one is what counts.
            return Ok(Some(self.current_step(&draft, lang)));
        }
        let value = match check::part(lang, part, text) {
            Ok(value) => value,
            Err(problem) => {
                let platform = incoming.place.chat_id.platform;
                let refusal = words::with_retry(lang, platform, &problem);
                return Ok(Some(vec![Post::text(refusal)]));
            }
        };
        match part {
            Part::Question => draft.question = Some(value),
            Part::Answer => draft.answer = Some(value),
            Part::Analysis => draft.analysis = Some(value),
            Part::Tags => draft.tags = Some(value),
        }
        Ok(Some(self.advance(draft, part, incoming.now, lang).await?))
    }

    /// Stores `draft` past `part` and asks for what comes next.
    async fn advance(
        &self,
        mut draft: DraftRow,
        part: Part,
        now: Timestamp,
        lang: Lang,
    ) -> Result<Vec<Post>> {
        draft.step = Step::after(part).as_str().to_string();
        draft.updated_at = now.as_second();
        self.store.save_draft(&draft).await?;
        Ok(self.current_step(&draft, lang))
    }

    fn current_step(&self, draft: &DraftRow, lang: Lang) -> Vec<Post> {
        match Step::parse(&draft.step) {
            Some(Step::Awaiting(part)) => vec![step_prompt(draft.person, part, lang)],
            _ => vec![summary(draft, lang)],
        }
    }

    /// `/skip`: passes an optional step (analysis, tags).
    pub(super) async fn skip_step(&self, incoming: &Incoming, lang: Lang) -> Result<Vec<Post>> {
        let Some(person) = person_of(incoming) else {
            return Ok(Vec::new());
        };
        let Some(draft) = self.store.draft(person).await? else {
            return Ok(vec![Post::text(words::no_draft(lang))]);
        };
        match Step::parse(&draft.step) {
            Some(Step::Awaiting(part @ (Part::Analysis | Part::Tags))) => {
                self.advance(draft, part, incoming.now, lang).await
            }
            Some(Step::Review) => Ok(vec![summary(&draft, lang)]),
            _ => Ok(vec![Post::text(words::cannot_skip(lang))]),
        }
    }

    /// `/cancel` or the Cancel button: the draft is dropped.
    pub(super) async fn cancel_draft(&self, incoming: &Incoming, lang: Lang) -> Result<Vec<Post>> {
        let Some(person) = person_of(incoming) else {
            return Ok(Vec::new());
        };
        let text = match self.store.delete_draft(person).await? {
            true => words::cancelled(lang),
            false => words::no_draft(lang),
        };
        Ok(vec![Post::text(text)])
    }
}

/// A complete draft's words, or `None` while a required part is missing.
pub(super) fn draft_text(draft: &DraftRow) -> Option<SuggestionText> {
    Some(SuggestionText {
        question: draft.question.clone()?,
        answer: draft.answer.clone()?,
        analysis: draft.analysis.clone(),
        tags: check::split_tags(draft.tags.as_deref().unwrap_or("")),
    })
}

/// The draft shown whole, with Send and Cancel.
fn summary(draft: &DraftRow, lang: Lang) -> Post {
    let chat = draft.chat_title.as_deref().unwrap_or("-");
    let mut blocks = vec![Block::Heading(words::summary_heading(lang, chat))];
    if let Some(text) = draft_text(draft) {
        blocks.extend(super::text_blocks(&text, lang));
    }
    let mut post = Post::notice(blocks);
    post.buttons = vec![
        Button {
            label: words::send_label(lang).to_string(),
            action: crate::post::Action::Suggestion(SuggestAction::Send),
        },
        Button {
            label: words::cancel_label(lang).to_string(),
            action: crate::post::Action::Suggestion(SuggestAction::Cancel),
        },
    ];
    post
}
