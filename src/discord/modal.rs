//! "Report a problem" on Discord: the button under a reveal opens a modal
//! (callback type 9) with one paragraph field, and its MODAL_SUBMIT carries
//! the text to the engine's report path. The engine's prompt (a Telegram
//! ForceReply elsewhere) is recorded under the id of the interaction that
//! opened the modal, and the modal's `custom_id` names it, so a submit
//! finds its prompt, its question and the one person it was shown to.
//! Reports are stored (`studybot reports`); the operators in
//! `STUDYBOT_ADMINS` are Telegram users, not reachable from here.

use twilight_model::application::interaction::modal::ModalInteractionData;
use twilight_model::channel::message::Component;
use twilight_model::channel::message::component::{ActionRow, TextInput, TextInputStyle};
use twilight_model::http::interaction::{
    InteractionResponse, InteractionResponseData, InteractionResponseType,
};

use super::App;
use crate::domain::MessageId;
use crate::post::{Block, Post, PostKind};
use crate::study::{Engine, Incoming, Lang, MAX_REPORT_CHARS, Reply, i18n};

/// The modal's `custom_id` is this prefix and the prompt's id.
const PREFIX: &str = "report:";
/// The `custom_id` of its one text input.
const FIELD: &str = "text";
/// Discord's limit on a text input's placeholder.
const PLACEHOLDER_MAX: usize = 100;

/// The report prompt in a reply, if the turn asked for one.
pub fn prompt_of(reply: &Reply) -> Option<&Post> {
    reply
        .posts
        .iter()
        .find(|p| matches!(p.kind, PostKind::ReportPrompt { .. }))
}

/// The reply when the interaction had to be deferred: a modal can only be
/// the first answer, so the person is asked to press again.
pub fn too_late(reply: Reply) -> Reply {
    if prompt_of(&reply).is_none() {
        return reply;
    }
    Reply {
        posts: Vec::new(),
        toast: Some(i18n::feedback::report_form_late(reply.lang).to_string()),
        lang: reply.lang,
    }
}

/// The modal asking for the report on `post`'s question; `prompt` is the
/// id the prompt was recorded under.
pub fn form(engine: &Engine, post: &Post, prompt: MessageId, lang: Lang) -> InteractionResponse {
    let title = match &post.kind {
        PostKind::ReportPrompt { question_id, .. } => engine.question_title(question_id),
        _ => None,
    };
    let field = TextInput {
        custom_id: FIELD.to_string(),
        label: i18n::feedback::report_form_label(lang).to_string(),
        max_length: u16::try_from(MAX_REPORT_CHARS).ok(),
        min_length: Some(1),
        placeholder: title.map(|t| shorten(&t, PLACEHOLDER_MAX)),
        required: Some(true),
        style: TextInputStyle::Paragraph,
        value: None,
    };
    let row = Component::ActionRow(ActionRow {
        components: vec![Component::TextInput(field)],
    });
    InteractionResponse {
        kind: InteractionResponseType::Modal,
        data: Some(InteractionResponseData {
            custom_id: Some(format!("{PREFIX}{}", prompt.0)),
            title: Some(i18n::feedback::report_form_title(lang).to_string()),
            components: Some(vec![row]),
            ..Default::default()
        }),
    }
}

/// A submitted modal: the report, if it answers this person's prompt. The
/// thanks (or why not) is for the reporter alone.
pub async fn submit(app: &App, incoming: &Incoming, data: &ModalInteractionData) -> Reply {
    let prompt = data
        .custom_id
        .strip_prefix(PREFIX)
        .and_then(|id| id.parse::<i64>().ok())
        .map(MessageId);
    let text = data
        .components
        .iter()
        .flat_map(|row| &row.components)
        .find(|c| c.custom_id == FIELD)
        .and_then(|c| c.value.clone())
        .unwrap_or_default();
    let chat = incoming.place.chat_id;
    let answered = match prompt {
        Some(prompt) => app.engine.report_reply(incoming, prompt, &text).await,
        None => Ok(None),
    };
    let lang = app
        .engine
        .lang_of(incoming)
        .await
        .unwrap_or(app.engine.config().default_lang);
    match answered {
        Ok(Some(answer)) => {
            if !answer.to_admins.is_empty() {
                log::info!(
                    "chat {chat}: report stored; STUDYBOT_ADMINS are Telegram users, not told from Discord (see `studybot reports`)"
                );
            }
            privately(answer.reply)
        }
        Ok(None) => Reply {
            posts: Vec::new(),
            toast: Some(i18n::stale_button(lang).to_string()),
            lang,
        },
        Err(e) => {
            log::error!("chat {chat}: a report could not be stored: {e}");
            Reply {
                posts: vec![Engine::error_post(lang)],
                toast: None,
                lang,
            }
        }
    }
}

/// Plain notices become a note only the reporter sees.
fn privately(reply: Reply) -> Reply {
    let texts: Option<Vec<&str>> = reply
        .posts
        .iter()
        .map(|post| match (&post.kind, post.blocks.as_slice()) {
            (PostKind::Notice, [Block::Text(text)]) => Some(text.as_str()),
            _ => None,
        })
        .collect();
    match texts {
        Some(texts) if !texts.is_empty() => Reply {
            toast: Some(texts.join("\n")),
            posts: Vec::new(),
            lang: reply.lang,
        },
        _ => reply,
    }
}

/// `text` in at most `max` characters, an ellipsis marking a cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::shorten;

    #[test]
    fn placeholders_are_cut_to_discords_limit() {
        assert_eq!(shorten("short", 100), "short");
        let long = "题".repeat(150);
        let cut = shorten(&long, 100);
        assert_eq!(cut.chars().count(), 100);
        assert!(cut.ends_with('…'));
    }
}
