//! The update handlers: one dptree schema, thin glue between Telegram's
//! updates and the engine.
//!
//! Messages and channel posts go through the same path; button presses are
//! answered at once (so the button stops spinning) and then posted; a group
//! that became a supergroup moves its state. Updates the bot has no use for
//! (edits, stickers, joins) fall through quietly.

use std::sync::Arc;
use std::time::Instant;

use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;
use teloxide::types::{
    ChatMigration, MaybeAnonymousUser, MaybeInaccessibleMessage, Me, PollAnswer,
};

use super::App;
use super::send::{Delivery, Patience};
use crate::domain::{self, ChatKind};
use crate::ops::telemetry;
use crate::post::button;
use crate::post::{Action, Post, PostKind};
use crate::study::{self, Incoming, Parsed, Person, Place, i18n};

pub type HandlerError = Box<dyn std::error::Error + Send + Sync>;

pub fn schema() -> UpdateHandler<HandlerError> {
    dptree::entry()
        // An update arrived: a poll of Telegram succeeded (for `/readyz`).
        .inspect(|_: Update| telemetry::reached(domain::Platform::Telegram))
        .branch(Update::filter_message().endpoint(on_message))
        .branch(Update::filter_channel_post().endpoint(on_message))
        .branch(Update::filter_callback_query().endpoint(on_callback))
        .branch(Update::filter_my_chat_member().endpoint(on_membership))
        .branch(Update::filter_poll_answer().endpoint(on_poll_answer))
}

/// Someone answered (or took back their answer to) one of the bot's quiz
/// polls; Telegram names only the poll, the engine finds its question.
async fn on_poll_answer(app: Arc<App>, answer: PollAnswer) -> Result<(), HandlerError> {
    let MaybeAnonymousUser::User(user) = &answer.voter else {
        return Ok(());
    };
    let choices: Vec<usize> = answer.option_ids.iter().map(|&o| usize::from(o)).collect();
    if let Err(e) = app
        .engine
        .poll_answer(
            domain::Platform::Telegram,
            &answer.poll_id.0,
            user.id.0 as i64,
            &choices,
            app.clock.now(),
        )
        .await
    {
        log::error!("poll {}: could not record an answer: {e}", answer.poll_id.0);
    }
    Ok(())
}

/// The bot itself joined or left a chat: greet a group, or stop posting
/// to a chat that removed it (before a send finds out).
async fn on_membership(app: Arc<App>, update: ChatMemberUpdated) -> Result<(), HandlerError> {
    let now = app.clock.now();
    let chat_id = domain::ChatId::telegram(update.chat.id.0);
    let was_in = update.old_chat_member.kind.is_present();
    let is_in = update.new_chat_member.kind.is_present();
    if was_in && !is_in {
        log::info!("chat {chat_id}: the bot was removed; its plan is paused");
        if let Err(e) = app.engine.chat_gone(chat_id, now).await {
            log::error!("chat {chat_id}: could not mark it inactive: {e}");
        }
    } else if !was_in && is_in {
        log::info!("chat {chat_id}: the bot was added");
        let incoming = Incoming {
            place: place_of(&update.chat, None),
            person: Person {
                user_id: Some(update.from.id.0 as i64),
                language_code: update.from.language_code.clone(),
                is_admin: false,
                name: Some(display_name(&update.from)),
            },
            now,
        };
        let posts = match app.engine.joined(&incoming).await {
            Ok(posts) => posts,
            Err(e) => {
                log::error!("chat {chat_id}: {e}");
                Vec::new()
            }
        };
        post_all(&app, &incoming.place, &posts).await;
    }
    Ok(())
}

async fn on_message(app: Arc<App>, me: Me, msg: Message) -> Result<(), HandlerError> {
    let received = Instant::now();
    if let Some(migration) = msg.chat_migration() {
        let (from, to) = match migration {
            ChatMigration::To { chat_id } => (msg.chat.id.0, chat_id.0),
            ChatMigration::From { chat_id } => (chat_id.0, msg.chat.id.0),
        };
        let (from, to) = (domain::ChatId::telegram(from), domain::ChatId::telegram(to));
        match app.engine.chat_moved(from, to, app.clock.now()).await {
            Ok(true) => log::info!("chat {from} became supergroup {to}; its state moved"),
            Ok(false) => {}
            Err(e) => log::error!("chat {from}: could not move its state to {to}: {e}"),
        }
        return Ok(());
    }
    let Some(text) = msg.text() else {
        return Ok(());
    };
    let parsed = study::parse(text, me.username.as_deref());
    let Parsed::Command { command, .. } = &parsed else {
        // Replies to the bot's own messages reach it even with privacy mode
        // on: a reply to a report prompt is a report.
        if let Some(prompt) = msg
            .reply_to_message()
            .filter(|r| r.from.as_ref().is_some_and(|u| u.id == me.id))
        {
            on_report(&app, &msg, prompt.id.0, text).await;
        }
        return Ok(());
    };
    let place = place_of(&msg.chat, topic_of(&msg));
    let needs_admin = command.needs_admin(place.kind);
    let person = Person {
        user_id: msg.from.as_ref().map(|u| u.id.0 as i64),
        language_code: msg.from.as_ref().and_then(|u| u.language_code.clone()),
        is_admin: !needs_admin || sender_is_admin(&app, &msg).await,
        name: msg.from.as_ref().map(display_name),
    };
    log::debug!("chat {}: {command:?}", place.chat_id);
    let incoming = Incoming {
        place,
        person,
        now: app.clock.now(),
    };
    let reply = app.engine.handle(&incoming, parsed).await;
    post_all(&app, &incoming.place, &reply.posts).await;
    telemetry::replied(domain::Platform::Telegram, received);
    Ok(())
}

/// A reply to message `prompt` of the bot: a report if it answers a
/// prompt for this person (the operators get it in private), else perhaps
/// a step of a suggestion (`suggest`).
async fn on_report(app: &App, msg: &Message, prompt: i32, text: &str) {
    let incoming = incoming_of(app, msg);
    let chat_id = incoming.place.chat_id;
    app.prompts.settled(chat_id.id).await;
    let answer = match app
        .engine
        .report_reply(&incoming, domain::MessageId::from(prompt), text)
        .await
    {
        Ok(Some(answer)) => answer,
        // Not a report prompt: perhaps a step of a suggestion.
        Ok(None) => return super::suggest::on_reply(app, &incoming, prompt, text).await,
        Err(e) => {
            log::error!("chat {chat_id}: a report could not be stored: {e}");
            let lang = app.engine.config().default_lang;
            return post_all(app, &incoming.place, &[study::Engine::error_post(lang)]).await;
        }
    };
    let person = incoming.person.user_id.unwrap_or(0);
    let now = incoming.now.as_second();
    if !answer.to_admins.is_empty() && !app.relays.allow(person, now) {
        log::info!("chat {chat_id}: user {person} reached today's report cap; stored only");
        let capped = i18n::flood::reports_capped(answer.reply.lang, super::relay::PER_DAY);
        return post_all(app, &incoming.place, &[Post::text(capped)]).await;
    }
    post_all(app, &incoming.place, &answer.reply.posts).await;
    for (admin, post) in &answer.to_admins {
        let place = Place {
            chat_id: *admin,
            kind: ChatKind::Private,
            title: None,
            thread_id: None,
        };
        match app.outbox.deliver(&place, post, Patience::Reply).await {
            Delivery::Sent { .. } => log::info!("chat {chat_id}: report sent to operator {admin}"),
            Delivery::Gone => log::warn!(
                "operator {admin} has not started the bot (or blocked it): the report is stored, see `studybot reports`"
            ),
            Delivery::Failed | Delivery::Unsent => log::warn!(
                "the report could not reach operator {admin}; it is stored, see `studybot reports`"
            ),
        }
    }
}

async fn on_callback(
    app: Arc<App>,
    bot: Bot,
    me: Me,
    query: CallbackQuery,
) -> Result<(), HandlerError> {
    let received = Instant::now();
    let Some(message) = &query.message else {
        // Buttons on inline messages are not ours.
        bot.answer_callback_query(query.id.clone()).await?;
        return Ok(());
    };
    let action = query.data.as_deref().and_then(button::decode);
    if action == Some(Action::OpenReview) && me.user.username.is_some() {
        // `t.me/<bot>?start=review`: Telegram opens the bot's private chat,
        // which sends `/start review`.
        let mut link = me.tme_url();
        link.set_query(Some("start=review"));
        bot.answer_callback_query(query.id.clone())
            .url(link)
            .await?;
        return Ok(());
    }
    let thread = match message {
        MaybeInaccessibleMessage::Regular(m) => topic_of(m),
        MaybeInaccessibleMessage::Inaccessible(_) => None,
    };
    let incoming = Incoming {
        place: place_of(message.chat(), thread),
        person: Person {
            user_id: Some(query.from.id.0 as i64),
            language_code: query.from.language_code.clone(),
            is_admin: false,
            name: Some(display_name(&query.from)),
        },
        now: app.clock.now(),
    };
    if let Some(Action::Suggestion(step)) = action {
        let outcome = super::suggest::on_press(&app, &bot, &me, &query, &incoming, step).await?;
        if let Some(outcome) = outcome {
            post_all(&app, &incoming.place, &outcome.reply.posts).await;
            super::suggest::deliver_elsewhere(&app, &outcome.elsewhere).await;
        }
        telemetry::replied(domain::Platform::Telegram, received);
        return Ok(());
    }
    let message_id = domain::MessageId::from(message.id().0);
    let pressed = app
        .engine
        .press(&incoming, Some(message_id), action.as_ref())
        .await;
    let mut answer = bot.answer_callback_query(query.id.clone());
    if let Some(toast) = pressed.toast {
        answer.text = Some(toast.chars().take(200).collect());
    }
    if let Err(e) = answer.await {
        log::warn!(
            "chat {}: could not answer a button press: {e}",
            incoming.place.chat_id
        );
    }
    post_all(&app, &incoming.place, &pressed.posts).await;
    telemetry::replied(domain::Platform::Telegram, received);
    Ok(())
}

/// Sends posts in order and records each one; stops if the chat is gone.
pub(super) async fn post_all(app: &App, place: &Place, posts: &[Post]) {
    let mut place = place.clone();
    for post in posts {
        let _recording = is_prompt(post).then(|| app.prompts.sending(place.chat_id.id));
        match app.outbox.deliver(&place, post, Patience::Reply).await {
            Delivery::Sent { chat_id, anchor } => {
                place.chat_id = chat_id;
                if let Err(e) = app.engine.sent(&place, post, anchor, app.clock.now()).await {
                    log::error!("chat {chat_id}: sent, but could not record it: {e}");
                }
            }
            Delivery::Gone => return,
            Delivery::Failed | Delivery::Unsent => {}
        }
    }
}

/// A post a reply answers: its record must come before the reply.
pub(super) fn is_prompt(post: &Post) -> bool {
    matches!(
        post.kind,
        PostKind::ReportPrompt { .. } | PostKind::SuggestPrompt { .. }
    )
}

/// Where `msg` was said and by whom, as the engine sees it (no admin
/// check).
pub(super) fn incoming_of(app: &App, msg: &Message) -> Incoming {
    Incoming {
        place: place_of(&msg.chat, topic_of(msg)),
        person: Person {
            user_id: msg.from.as_ref().map(|u| u.id.0 as i64),
            language_code: msg.from.as_ref().and_then(|u| u.language_code.clone()),
            is_admin: false,
            name: msg.from.as_ref().map(display_name),
        },
        now: app.clock.now(),
    }
}

/// What leaderboards call a person: the first name, else the username.
fn display_name(user: &teloxide::types::User) -> String {
    if user.first_name.trim().is_empty() {
        user.username.clone().unwrap_or_default()
    } else {
        user.first_name.clone()
    }
}

/// Whether the sender of `msg` may change settings in its group.
async fn sender_is_admin(app: &App, msg: &Message) -> bool {
    // Anonymous administrators post as the group itself.
    if msg
        .sender_chat
        .as_ref()
        .is_some_and(|c| c.id == msg.chat.id)
    {
        return true;
    }
    match &msg.from {
        Some(user) => app.admins.is_admin(&app.bot, msg.chat.id, user.id).await,
        None => false,
    }
}

/// The forum topic a message is in (only real topics; reply threads in
/// ordinary supergroups are not topics and must not be addressed as such).
fn topic_of(msg: &Message) -> Option<i64> {
    if msg.is_topic_message {
        msg.thread_id.map(|t| i64::from(t.0.0))
    } else {
        None
    }
}

fn place_of(chat: &teloxide::types::Chat, thread_id: Option<i64>) -> Place {
    let kind = if chat.is_private() {
        ChatKind::Private
    } else if chat.is_channel() {
        ChatKind::Channel
    } else if chat.is_supergroup() {
        ChatKind::Supergroup
    } else {
        ChatKind::Group
    };
    Place {
        chat_id: domain::ChatId::telegram(chat.id.0),
        kind,
        title: chat.title().map(str::to_string),
        thread_id,
    }
}
