//! `/suggest` on Discord: the form is a modal (question, answer, optional
//! analysis and tags) sent whole to the engine, the server's moderators
//! decide in the channel an admin named (`/suggest moderation:here`) with
//! Approve / Edit / Reject buttons, Edit and Reject open modals of their
//! own (the suggestion prefilled; the reason), and the suggester hears the
//! outcome in a DM. Who may decide, the caps, limits and duplicates are the
//! engine's; this module turns them into Discord's interactions.

use std::future::Future;
use std::sync::Arc;

use twilight_model::application::interaction::modal::ModalInteractionData;
use twilight_model::application::interaction::{Interaction, InteractionData, InteractionType};
use twilight_model::http::interaction::InteractionResponse;
use twilight_model::id::Id;

use super::App;
use super::interaction::{self, Opening};
use crate::domain::{ChatId, ChatKind, Platform};
use crate::post::{Action, Block, SuggestAction, button};
use crate::runtime::driver::Delivered;
use crate::study::i18n::suggest_desk as desk_words;
use crate::study::{
    Command, DeskCommand, Elsewhere, Engine, Incoming, Lang, Parsed, Place, Reply, SuggestOutcome,
    SuggestionForm,
};

mod forms;

use forms::{ANALYSIS, ANSWER, EDIT, NEW, QUESTION, REASON, REJECT, TAGS};
use forms::{edit_form, new_form, reason_form};

/// Handles the interaction if it is `/suggest`'s (the command, a
/// moderator's button, or one of its modals); false if it is not.
pub(super) async fn handle(app: &Arc<App>, interaction: &Interaction, place: &Place) -> bool {
    let incoming = incoming(app, interaction, place);
    match (&interaction.kind, &interaction.data) {
        (InteractionType::ApplicationCommand, Some(InteractionData::ApplicationCommand(data)))
            if data.name == "suggest" =>
        {
            let args = match super::commands::parse(data) {
                Parsed::Command {
                    command: Command::Suggest { args },
                    ..
                } => args,
                _ => Vec::new(),
            };
            command(app, interaction, &incoming, &args).await;
        }
        (InteractionType::MessageComponent, Some(InteractionData::MessageComponent(data))) => {
            match button::decode(&data.custom_id) {
                Some(Action::Suggestion(action)) => {
                    press(app, interaction, &incoming, action).await
                }
                _ => return false,
            }
        }
        (InteractionType::ModalSubmit, Some(InteractionData::ModalSubmit(data)))
            if data.custom_id.starts_with("suggest:") =>
        {
            submit(app, interaction, &incoming, data).await;
        }
        _ => return false,
    }
    true
}

/// The turn's who and where; `is_admin` is whether the member may manage
/// the server (the engine asks it of moderators and of naming the desk).
fn incoming(app: &App, interaction: &Interaction, place: &Place) -> Incoming {
    let mut person = interaction::person_of(interaction);
    person.is_admin = interaction::may_manage(interaction);
    Incoming {
        place: place.clone(),
        person,
        now: app.clock.now(),
    }
}

fn space_of(interaction: &Interaction) -> Option<i64> {
    interaction
        .guild_id
        .and_then(|g| i64::try_from(g.get()).ok())
}

/// `/settings` in a server with the line saying where suggestions are
/// moderated (or how to open them).
pub(super) async fn with_desk_line(
    app: &App,
    interaction: &Interaction,
    mut reply: Reply,
) -> Reply {
    let Some(space) = space_of(interaction) else {
        return reply;
    };
    let line = app
        .engine
        .suggestion_desk_line(Platform::Discord, space, reply.lang);
    match (line.await, reply.posts.first_mut()) {
        (Ok(line), Some(post)) => post.blocks.push(Block::Text(line)),
        (Ok(_), None) => {}
        (Err(e), _) => log::error!("server {space}: could not read its moderation channel: {e}"),
    }
    reply
}

/// Runs `work` and, if it takes longer than the engine's share of the 3
/// seconds, defers the interaction first. Returns how the answer opens.
async fn within<T>(
    app: &App,
    interaction: &Interaction,
    work: impl Future<Output = T>,
) -> (T, Opening) {
    let mut work = std::pin::pin!(work);
    match tokio::time::timeout(interaction::QUICK, &mut work).await {
        Ok(done) => (done, Opening::Respond),
        Err(_) => {
            let opening = interaction::defer(app, interaction).await;
            (work.await, opening)
        }
    }
}

/// `/suggest`: the form, or what the engine says instead.
async fn command(app: &Arc<App>, interaction: &Interaction, incoming: &Incoming, args: &[String]) {
    let space = space_of(interaction);
    let work = app.engine.suggest_at_desk(incoming, space, args);
    let (done, opening) = within(app, interaction, work).await;
    let reply = match done {
        Ok(DeskCommand::OpenForm(lang)) if opening == Opening::Respond => {
            return open(app, interaction, new_form(lang)).await;
        }
        Ok(DeskCommand::OpenForm(lang)) => note(desk_words::form_late(lang), lang),
        Ok(DeskCommand::Answer(reply)) => reply,
        Err(e) => failed(app, incoming, &e),
    };
    interaction::answer(app, interaction, &incoming.place, reply, opening).await;
}

/// Approve, Edit or Reject under a suggestion in the desk.
async fn press(
    app: &Arc<App>,
    interaction: &Interaction,
    incoming: &Incoming,
    action: SuggestAction,
) {
    let (id, editing) = match action {
        SuggestAction::Approve { id } => {
            let work = app.engine.approve_at_desk(incoming, id, None);
            let (done, opening) = within(app, interaction, work).await;
            return decided(app, interaction, incoming, done, opening).await;
        }
        SuggestAction::Edit { id } => (id, true),
        SuggestAction::Reject { id } => (id, false),
        // The private form's buttons are Telegram's.
        _ => {
            let lang = app.engine.config().default_lang;
            let reply = note(crate::study::i18n::stale_button(lang), lang);
            return interaction::answer(app, interaction, &incoming.place, reply, Opening::Respond)
                .await;
        }
    };
    let work = app.engine.suggestion_to_decide(incoming, id);
    let (done, opening) = within(app, interaction, work).await;
    let reply = match done {
        Ok(Ok((text, lang))) if opening == Opening::Respond => {
            let form = match editing {
                true => edit_form(id, &text, lang),
                false => reason_form(id, lang),
            };
            return open(app, interaction, form).await;
        }
        Ok(Ok((_, lang))) => note(desk_words::form_late(lang), lang),
        Ok(Err(refusal)) => refusal,
        Err(e) => failed(app, incoming, &e),
    };
    interaction::answer(app, interaction, &incoming.place, reply, opening).await;
}

/// A submitted form: a new suggestion, a moderator's edit or reason.
async fn submit(
    app: &Arc<App>,
    interaction: &Interaction,
    incoming: &Incoming,
    data: &ModalInteractionData,
) {
    let value = |field: &str| field_value(data, field);
    let form = SuggestionForm {
        question: value(QUESTION),
        answer: value(ANSWER),
        analysis: value(ANALYSIS),
        tags: value(TAGS),
    };
    let id_after = |prefix: &str| data.custom_id.strip_prefix(prefix)?.parse::<i64>().ok();
    let engine = &app.engine;
    let work = async {
        if data.custom_id == NEW {
            let space = space_of(interaction);
            Some(engine.submit_suggestion(incoming, space, &form).await)
        } else if let Some(id) = id_after(EDIT) {
            Some(engine.approve_at_desk(incoming, id, Some(&form)).await)
        } else if let Some(id) = id_after(REJECT) {
            Some(engine.reject_at_desk(incoming, id, &value(REASON)).await)
        } else {
            None
        }
    };
    let (done, opening) = within(app, interaction, work).await;
    let done = done.unwrap_or_else(|| {
        let lang = engine.config().default_lang;
        let stale = crate::study::i18n::stale_button(lang);
        Ok(SuggestOutcome {
            reply: note(stale, lang),
            elsewhere: Vec::new(),
        })
    });
    decided(app, interaction, incoming, done, opening).await;
}

/// Answers the presser (the desk sees a decision; notes are theirs alone)
/// and delivers what goes elsewhere: the suggestion to the desk, the
/// outcome to the suggester.
async fn decided(
    app: &Arc<App>,
    interaction: &Interaction,
    incoming: &Incoming,
    done: crate::study::Result<SuggestOutcome>,
    opening: Opening,
) {
    let outcome = match done {
        Ok(outcome) => outcome,
        Err(e) => {
            let reply = failed(app, incoming, &e);
            return interaction::answer(app, interaction, &incoming.place, reply, opening).await;
        }
    };
    interaction::answer(app, interaction, &incoming.place, outcome.reply, opening).await;
    for item in outcome.elsewhere {
        deliver(app, item).await;
    }
}

/// Sends one post elsewhere: to a channel, or to the suggester's DM (an
/// outcome), which is then marked told.
async fn deliver(app: &App, item: Elsewhere) {
    let chat = match item.tells {
        None => item.chat,
        Some(_) => match dm_of(app, item.chat).await {
            Some(dm) => dm,
            None => return,
        },
    };
    let place = Place {
        chat_id: chat,
        kind: item.tells.map_or(ChatKind::Group, |_| ChatKind::Private),
        title: None,
        thread_id: None,
    };
    match app.outbox.deliver(&place, &item.post).await {
        Delivered::Sent { .. } => {
            if let Some(id) = item.tells
                && let Err(e) = app.engine.suggestion_told(Platform::Discord, id).await
            {
                log::error!("suggestion {id}: told, but could not record it: {e}");
            }
        }
        other => log::warn!("chat {chat}: a suggestion's post did not go out: {other:?}"),
    }
}

/// The DM channel of the person `user` (a suggester's id as a chat id).
async fn dm_of(app: &App, user: ChatId) -> Option<ChatId> {
    let user = u64::try_from(user.id).ok().and_then(Id::new_checked)?;
    match app.outbox.open_dm(user).await {
        Ok(dm) => Some(dm),
        Err(_) => {
            log::warn!("user {user}: no DM for a suggestion's outcome; /suggest status shows it");
            None
        }
    }
}

/// Answers with `form` (callback type 9).
async fn open(app: &App, interaction: &Interaction, form: InteractionResponse) {
    let client = app.replies();
    if let Err(e) = client
        .create_response(interaction.id, &interaction.token, &form)
        .await
    {
        log::warn!("could not open a /suggest form: {e}");
    }
}

fn field_value(data: &ModalInteractionData, field: &str) -> String {
    data.components
        .iter()
        .flat_map(|row| &row.components)
        .find(|c| c.custom_id == field)
        .and_then(|c| c.value.clone())
        .unwrap_or_default()
}

fn note(text: impl Into<String>, lang: Lang) -> Reply {
    Reply {
        posts: Vec::new(),
        toast: Some(text.into()),
        lang,
    }
}

fn failed(app: &App, incoming: &Incoming, error: &crate::study::StudyError) -> Reply {
    log::error!("chat {}: /suggest failed: {error}", incoming.place.chat_id);
    let lang = app.engine.config().default_lang;
    Reply {
        posts: vec![Engine::error_post(lang)],
        toast: None,
        lang,
    }
}
