//! `/suggest` on Telegram: the group's button becomes a deep link into the
//! bot's private chat (`t.me/<bot>?start=suggest-…`, which sends `/start
//! suggest-…` there), and what the engine answers for other chats (the
//! moderators' queue, the suggester's outcome) is sent to those private
//! chats, whose ids on Telegram are the people's user ids.

use teloxide::prelude::*;
use teloxide::types::{CallbackQuery, Me};

use super::App;
use super::handlers::HandlerError;
use super::send::{Delivery, Patience};
use crate::domain::ChatKind;
use crate::post::SuggestAction;
use crate::study::suggestions::start_payload;
use crate::study::{Elsewhere, Incoming, Place, SuggestOutcome};

/// A press of a `/suggest` button. `Open` answers with the deep link;
/// the others go to the engine.
pub(super) async fn on_press(
    app: &App,
    bot: &Bot,
    me: &Me,
    query: &CallbackQuery,
    incoming: &Incoming,
    action: SuggestAction,
) -> Result<Option<SuggestOutcome>, HandlerError> {
    if let (SuggestAction::Open { chat_id }, Some(_)) = (action, &me.user.username) {
        let mut link = me.tme_url();
        link.set_query(Some(&format!("start={}", start_payload(chat_id))));
        bot.answer_callback_query(query.id.clone())
            .url(link)
            .await?;
        return Ok(None);
    }
    let outcome = match app.engine.press_suggestion(incoming, action).await {
        Ok(outcome) => outcome,
        Err(e) => {
            log::error!(
                "chat {}: a suggestion press failed: {e}",
                incoming.place.chat_id
            );
            let lang = app.engine.config().default_lang;
            let mut answer = bot.answer_callback_query(query.id.clone());
            answer.text = Some(crate::study::i18n::internal_error(lang).to_string());
            answer.await?;
            return Ok(None);
        }
    };
    log::debug!("chat {}: {action:?} -> {outcome:?}", incoming.place.chat_id);
    let mut answer = bot.answer_callback_query(query.id.clone());
    if let Some(toast) = &outcome.reply.toast {
        answer.text = Some(toast.chars().take(200).collect());
    }
    answer.await?;
    Ok(Some(outcome))
}

/// Sends each post meant for another private chat. The suggester told of
/// an outcome is recorded; one the bot cannot reach (never started it, or
/// blocked it: 403) keeps the outcome for `/suggest status`.
pub(super) async fn deliver_elsewhere(app: &App, posts: &[Elsewhere]) {
    for item in posts {
        let place = Place {
            chat_id: item.chat,
            kind: ChatKind::Private,
            title: None,
            thread_id: None,
        };
        let _recording =
            super::handlers::is_prompt(&item.post).then(|| app.prompts.sending(item.chat.id));
        match app
            .outbox
            .deliver(&place, &item.post, Patience::Reply)
            .await
        {
            Delivery::Sent { anchor, .. } => {
                let now = app.clock.now();
                if let Err(e) = app.engine.sent(&place, &item.post, anchor, now).await {
                    log::error!("chat {}: sent, but could not record it: {e}", item.chat);
                }
                if let Some(id) = item.tells
                    && let Err(e) = app.engine.suggestion_told(item.chat.platform, id).await
                {
                    log::error!("suggestion {id}: told, but could not record it: {e}");
                }
            }
            Delivery::Gone => log::warn!(
                "chat {}: the bot cannot write there (not started, or blocked); the suggestion is kept (`studybot suggestions`, `/suggest status`)",
                item.chat
            ),
            Delivery::Failed | Delivery::Unsent => log::warn!(
                "chat {}: a suggestion message could not be sent; the suggestion is kept",
                item.chat
            ),
        }
    }
}

/// A reply to the bot's message `prompt` that no report prompt claimed: a
/// part of a suggestion, if `prompt` asked this person for one.
pub(super) async fn on_reply(app: &App, incoming: &Incoming, prompt: i32, text: &str) {
    let prompt = crate::domain::MessageId::from(prompt);
    match app.engine.suggestion_reply(incoming, prompt, text).await {
        Ok(Some(outcome)) => {
            super::handlers::post_all(app, &incoming.place, &outcome.reply.posts).await;
            deliver_elsewhere(app, &outcome.elsewhere).await;
        }
        Ok(None) => {}
        Err(e) => {
            log::error!(
                "chat {}: a suggestion reply failed: {e}",
                incoming.place.chat_id
            );
            let lang = app.engine.config().default_lang;
            let sorry = [crate::study::Engine::error_post(lang)];
            super::handlers::post_all(app, &incoming.place, &sorry).await;
        }
    }
}
