//! "Report a problem" with a question: the button on each reveal asks the
//! presser for one line (a prompt the platform aims at them, such as a
//! Telegram ForceReply), their reply to that prompt becomes a stored
//! report, and the operators (`STUDYBOT_ADMINS`) each get it in private.
//! Prompts are stored, so a restart loses none; a reply to an unknown
//! prompt, or to someone else's, is not a report.

use jiff::Timestamp;

use super::review::person_of;
use super::{Engine, Incoming, Lang, Reply, Result, i18n};
use crate::domain::{ChatId, MessageId};
use crate::post::{Block, Post, PostKind};
use crate::store::{NewReport, PromptRow};

/// The longest report accepted, in characters.
pub const MAX_REPORT_CHARS: usize = 1000;

/// The answer to a reply to a prompt: what the reporter is told, and the
/// private messages for the operators (to the chat of each, which on
/// Telegram is the operator's user id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportReply {
    pub reply: Reply,
    pub to_admins: Vec<(ChatId, Post)>,
}

impl Engine {
    /// The report button: a prompt for the presser, replying to the reveal.
    pub(super) fn press_report(
        &self,
        incoming: &Incoming,
        lang: Lang,
        message_id: Option<MessageId>,
        question_id: &str,
    ) -> Result<Reply> {
        let toast = |text: &str| Reply {
            posts: Vec::new(),
            toast: Some(text.to_string()),
            lang,
        };
        let bank = self.bank();
        let Some(question) = bank.get(question_id) else {
            return Ok(toast(i18n::stale_button(lang)));
        };
        let Some(person_id) = incoming.person.user_id else {
            return Ok(toast(i18n::stale_button(lang)));
        };
        if !self
            .report_prompts
            .allow(person_id, incoming.now.as_second())
        {
            let per_day = self.report_prompts.per_day();
            return Ok(toast(&i18n::feedback::prompts_capped(lang, per_day)));
        }
        let name = incoming.person.name.clone().unwrap_or_default();
        let text = i18n::feedback::report_prompt(lang, &name, &question.title);
        Ok(Reply {
            posts: vec![Post {
                kind: PostKind::ReportPrompt {
                    question_id: question.id.clone(),
                    person_id,
                    name,
                },
                blocks: vec![Block::Text(text)],
                buttons: Vec::new(),
                reply_to: message_id,
                quiz: None,
                picture: None,
            }],
            toast: None,
            lang,
        })
    }

    /// Records that the prompt went out as `message_id`.
    pub(super) async fn prompt_sent(
        &self,
        chat: ChatId,
        message_id: MessageId,
        question_id: &str,
        person_id: i64,
        now: Timestamp,
    ) -> Result<()> {
        let prompt = PromptRow {
            person: crate::domain::PersonId::new(chat.platform, person_id),
            question_id: question_id.to_string(),
            at: now.as_second(),
        };
        Ok(self.store.save_prompt(chat, message_id, &prompt).await?)
    }

    /// `text`, sent in reply to message `prompt`: a report if `prompt`
    /// asked this person for one, else `None` (the bot stays quiet).
    pub async fn report_reply(
        &self,
        incoming: &Incoming,
        prompt: MessageId,
        text: &str,
    ) -> Result<Option<ReportReply>> {
        let chat = incoming.place.chat_id;
        let Some(pending) = self.store.prompt(chat, prompt).await? else {
            return Ok(None);
        };
        if person_of(incoming) != Some(pending.person) {
            return Ok(None);
        }
        crate::ops::telemetry::update(chat.platform, "report");
        let lang = self.lang_of(incoming).await?;
        let text = text.trim();
        let say = |text: String| ReportReply {
            reply: Reply {
                posts: vec![Post::text(text)],
                toast: None,
                lang,
            },
            to_admins: Vec::new(),
        };
        if text.is_empty() {
            return Ok(Some(say(i18n::feedback::report_empty(lang).to_string())));
        }
        if text.chars().count() > MAX_REPORT_CHARS {
            let refusal = i18n::feedback::report_too_long(lang, MAX_REPORT_CHARS);
            return Ok(Some(say(refusal)));
        }
        let report = NewReport {
            chat_id: chat,
            chat_title: incoming.place.title.as_deref(),
            person_id: pending.person.id,
            question_id: &pending.question_id,
            text,
            at: incoming.now.as_second(),
        };
        let id = self.store.save_report(Some(prompt), &report).await?;
        match self.report_to.len() {
            0 => log::info!(
                "chat {chat}: report {id} on {} stored; no STUDYBOT_ADMINS to tell (see `studybot reports`)",
                pending.question_id
            ),
            n => log::info!(
                "chat {chat}: report {id} on {} stored; telling {n} operator(s)",
                pending.question_id
            ),
        }
        let mut answer = say(i18n::feedback::report_thanks(lang).to_string());
        answer.to_admins = self.admin_posts(incoming, &pending.question_id, text);
        Ok(Some(answer))
    }

    fn admin_posts(
        &self,
        incoming: &Incoming,
        question_id: &str,
        text: &str,
    ) -> Vec<(ChatId, Post)> {
        let place = &incoming.place;
        let who = match (&incoming.person.name, incoming.person.user_id) {
            (Some(name), Some(id)) => format!("{name} ({id})"),
            (None, Some(id)) => id.to_string(),
            (name, None) => name.clone().unwrap_or_default(),
        };
        let title = place.title.as_deref().unwrap_or("-");
        let body = i18n::feedback::report_for_admins(
            question_id,
            title,
            &place.chat_id.to_string(),
            &who,
            text,
        );
        self.report_to
            .iter()
            .map(|&admin| (ChatId::telegram(admin), Post::text(body.clone())))
            .collect()
    }
}
