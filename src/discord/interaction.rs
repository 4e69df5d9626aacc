//! Interactions: a slash command, a button press or a submitted modal
//! becomes one engine turn, and the reply goes back within Discord's 3
//! seconds.
//!
//! The engine gets two seconds. If it answers in time, the first message
//! is the interaction's reply and further parts (a long reveal) follow as
//! follow-ups. Otherwise the interaction is deferred, the way that keeps a
//! note for the person alone (already revealed, a stale button) private:
//! a button press (or a modal opened from one) with type 6, a deferred
//! update that makes no message, so every part and the note are new
//! follow-ups and the note is ephemeral; a slash command with type 5
//! ("thinking…"), whose first public part then fills that loading message
//! (`PATCH …/messages/@original`; Discord would make the first follow-up
//! fill it and ignore its ephemeral flag) and whose note follows as an
//! ephemeral follow-up. A command with only a note fills the loading
//! message with it, in public. Interactions run as tasks of their own, at
//! most `MAX_TURNS` at once; past that the person is told the bot is busy
//! (`admission`). Questions and
//! reveals are reported back to the engine with their message ids, so the
//! button on a question finds its question again. For `/remind` the
//! person's DM channel is opened first: reminders are sent there. A turn
//! that asks for a report opens a modal instead (`modal`). Each message
//! goes out through `reply`, a post's picture with its first message.

use std::sync::Arc;
use std::time::Instant;

use twilight_model::application::command::{CommandOptionChoice, CommandOptionChoiceValue};
use twilight_model::application::interaction::{Interaction, InteractionData, InteractionType};
use twilight_model::channel::ChannelType;
use twilight_model::channel::message::Message;
use twilight_model::guild::Permissions;
use twilight_model::http::interaction::{
    InteractionResponse, InteractionResponseData, InteractionResponseType,
};

use super::App;
pub(super) use super::deferral::{Opening, QUICK, defer};
use super::parts::{self, Part};
use super::reply::send;
use super::{commands, modal};
use crate::domain::{ChatId, ChatKind, MessageId, Platform};
use crate::ops::telemetry;
use crate::post::button;
use crate::post::{Post, PostKind};
use crate::study::{Command, Engine, Incoming, Person, Place, PrivateChat, Reply, i18n};

/// Handles one INTERACTION_CREATE.
pub(super) async fn handle(app: Arc<App>, interaction: Interaction) {
    let received = Instant::now();
    if interaction.kind == InteractionType::ApplicationCommandAutocomplete {
        return suggest(&app, &interaction).await;
    }
    if !matches!(
        interaction.kind,
        InteractionType::ApplicationCommand
            | InteractionType::MessageComponent
            | InteractionType::ModalSubmit
    ) {
        return;
    }
    let Some(place) = place_of(&interaction) else {
        log::warn!("an interaction without a usable channel; ignored");
        return;
    };
    app.see_channel(interaction.guild_id, place.chat_id);
    if super::suggest::handle(&app, &interaction, &place).await {
        telemetry::replied(Platform::Discord, received);
        return;
    }
    let now = app.clock.now();
    // A task of its own, so a slow turn finishes after the deferral.
    let mut turn = {
        let (app, interaction, place) = (app.clone(), interaction.clone(), place.clone());
        tokio::spawn(async move { turn(&app, &interaction, place, now).await })
    };
    let reply = match tokio::time::timeout(QUICK, &mut turn).await {
        Ok(done) => done.ok(),
        Err(_) => {
            let opening = defer(&app, &interaction).await;
            let reply = turn.await.ok();
            if let Some(reply) = reply {
                answer(&app, &interaction, &place, modal::too_late(reply), opening).await;
                telemetry::replied(Platform::Discord, received);
            }
            return;
        }
    };
    match reply {
        Some(reply) if modal::prompt_of(&reply).is_some() => {
            open_modal(&app, &interaction, &place, reply).await
        }
        Some(reply) => {
            answer(&app, &interaction, &place, reply, Opening::Respond).await;
            telemetry::replied(Platform::Discord, received);
        }
        None => log::error!("chat {}: the engine's turn failed", place.chat_id),
    }
}

/// The engine's turn for this interaction (a command or a press).
async fn turn(app: &App, interaction: &Interaction, place: Place, now: jiff::Timestamp) -> Reply {
    let mut incoming = Incoming {
        place,
        person: person_of(interaction),
        now,
    };
    match (&interaction.kind, &interaction.data) {
        (InteractionType::MessageComponent, Some(InteractionData::MessageComponent(data))) => {
            let action = button::decode(&data.custom_id);
            let message = interaction
                .message
                .as_ref()
                .and_then(|m| MessageId::discord(m.id.get()));
            app.engine.press(&incoming, message, action.as_ref()).await
        }
        (InteractionType::ApplicationCommand, Some(InteractionData::ApplicationCommand(data))) => {
            let parsed = commands::parse(data);
            if let crate::study::Parsed::Command { command, .. } = &parsed
                && command.needs_admin(incoming.place.kind)
            {
                incoming.person.is_admin = may_manage(interaction);
            }
            log::debug!("chat {}: /{}", incoming.place.chat_id, data.name);
            let private = match &parsed {
                crate::study::Parsed::Command {
                    command: Command::Remind { .. },
                    ..
                } => Some(private_chat(app, interaction, &incoming.place).await),
                _ => None,
            };
            let settings = matches!(
                &parsed,
                crate::study::Parsed::Command {
                    command: Command::Settings,
                    ..
                }
            );
            let reply = app.engine.handle_reaching(&incoming, parsed, private).await;
            match settings {
                true => super::suggest::with_desk_line(app, interaction, reply).await,
                false => reply,
            }
        }
        (InteractionType::ModalSubmit, Some(InteractionData::ModalSubmit(data))) => {
            modal::submit(app, &incoming, data).await
        }
        // A component or command without its data: treated as a stale button.
        _ => app.engine.press(&incoming, None, None).await,
    }
}

/// The person's DM with the bot, where a reminder is sent: the channel of
/// the interaction when it is one, else the DM Discord opens for the bot.
async fn private_chat(app: &App, interaction: &Interaction, place: &Place) -> PrivateChat {
    if place.kind == ChatKind::Private {
        return PrivateChat::Opened(place.chat_id);
    }
    let Some(user) = interaction.author_id() else {
        return PrivateChat::Unavailable;
    };
    match app.outbox.open_dm(user).await {
        Ok(chat) => PrivateChat::Opened(chat),
        Err(_) => PrivateChat::Unavailable,
    }
}

/// Answers with the report modal, once the prompt it stands for is
/// recorded under this interaction's id (a quick submit then finds it).
async fn open_modal(app: &App, interaction: &Interaction, place: &Place, reply: Reply) {
    let chat = place.chat_id;
    let (Some(post), Some(prompt)) = (
        modal::prompt_of(&reply),
        MessageId::discord(interaction.id.get()),
    ) else {
        return;
    };
    if let Err(e) = app.engine.sent(place, post, prompt, app.clock.now()).await {
        log::error!("chat {chat}: could not record a report prompt: {e}");
        let failed = Reply {
            posts: vec![Engine::error_post(reply.lang)],
            toast: None,
            lang: reply.lang,
        };
        return answer(app, interaction, place, failed, Opening::Respond).await;
    }
    let form = modal::form(&app.engine, post, prompt, reply.lang);
    let client = app.replies();
    if let Err(e) = client
        .create_response(interaction.id, &interaction.token, &form)
        .await
    {
        log::warn!("chat {chat}: could not open the report form: {e}");
    }
}

/// Sends the reply: the first part as `opening` says, the rest as
/// follow-ups, the note ephemeral where Discord honours it; then tells the
/// engine what went out.
pub(super) async fn answer(
    app: &App,
    interaction: &Interaction,
    place: &Place,
    reply: Reply,
    mut opening: Opening,
) {
    let chat = place.chat_id;
    for post in &reply.posts {
        let parts = parts::parts_read(post).await;
        let mut anchor = None;
        for part in &parts {
            let sent = send(app, (interaction, chat), part, false, opening.next()).await;
            match sent {
                Ok(message) if anchor.is_none() || !part.components.is_empty() => {
                    anchor = message;
                }
                Ok(_) => {}
                Err(e) => {
                    log::warn!("chat {chat}: could not answer an interaction: {e}");
                    telemetry::post_failed(Platform::Discord, post, "refused");
                    return;
                }
            }
        }
        telemetry::reached(Platform::Discord);
        telemetry::post_sent(Platform::Discord, post);
        record(app, place, post, anchor).await;
    }
    let note = reply.toast.clone().or_else(|| {
        // Every interaction gets an answer, even an empty turn.
        reply
            .posts
            .is_empty()
            .then(|| i18n::help(reply.lang, app.engine.bank_size().0, Platform::Discord))
    });
    if let Some(note) = note {
        let part = Part::text(crate::render::escape_discord(&note));
        let sent = send(app, (interaction, chat), &part, true, opening.next()).await;
        if let Err(e) = sent {
            log::warn!("chat {chat}: could not send a note: {e}");
        }
    }
}

/// Reports a question or reveal that went out as `anchor`.
async fn record(app: &App, place: &Place, post: &Post, anchor: Option<Message>) {
    if post.kind == PostKind::Notice {
        return;
    }
    let Some(id) = anchor.and_then(|m| MessageId::discord(m.id.get())) else {
        log::warn!("chat {}: a post went out without a known id", place.chat_id);
        return;
    };
    if let Err(e) = app.engine.sent(place, post, id, app.clock.now()).await {
        log::error!("chat {}: sent, but could not record it: {e}", place.chat_id);
    }
}

/// Autocomplete: up to 25 values for the option being typed.
async fn suggest(app: &App, interaction: &Interaction) {
    let Some(InteractionData::ApplicationCommand(data)) = &interaction.data else {
        return;
    };
    let values = commands::focused(data)
        .map(|(what, typed)| app.engine.suggest(what, &typed, 25))
        .unwrap_or_default();
    let choices = values
        .into_iter()
        .map(|value| CommandOptionChoice {
            name: value.clone(),
            name_localizations: None,
            value: CommandOptionChoiceValue::String(value),
        })
        .collect();
    let response = InteractionResponse {
        kind: InteractionResponseType::ApplicationCommandAutocompleteResult,
        data: Some(InteractionResponseData {
            choices: Some(choices),
            ..Default::default()
        }),
    };
    let client = app.replies();
    if let Err(e) = client
        .create_response(interaction.id, &interaction.token, &response)
        .await
    {
        log::warn!("could not answer an autocomplete: {e}");
    }
}

/// The channel (or thread, or DM) the interaction happened in.
fn place_of(interaction: &Interaction) -> Option<Place> {
    let channel = interaction.channel.as_ref()?;
    let chat_id = ChatId::discord(channel.id.get())?;
    let kind = match channel.kind {
        ChannelType::Private | ChannelType::Group => ChatKind::Private,
        _ => ChatKind::Group,
    };
    Some(Place {
        chat_id,
        kind,
        title: channel.name.clone(),
        thread_id: None,
    })
}

pub(super) fn person_of(interaction: &Interaction) -> Person {
    Person {
        user_id: interaction
            .author_id()
            .and_then(|id| i64::try_from(id.get()).ok()),
        language_code: interaction.locale.clone(),
        is_admin: false,
        name: display_name(interaction),
    }
}

/// The name leaderboards show: the server nickname, else the display
/// name, else the username (never a mention or an id).
fn display_name(interaction: &Interaction) -> Option<String> {
    let member = interaction.member.as_ref();
    let user = interaction.author()?;
    member
        .and_then(|m| m.nick.clone())
        .or_else(|| user.global_name.clone())
        .or_else(|| Some(user.name.clone()))
        .filter(|name| !name.trim().is_empty())
}

/// Whether the member may change the server's settings: Manage Server or
/// Administrator, as the interaction carries them.
pub(super) fn may_manage(interaction: &Interaction) -> bool {
    interaction
        .member
        .as_ref()
        .and_then(|m| m.permissions)
        .is_some_and(|p| p.intersects(Permissions::MANAGE_GUILD | Permissions::ADMINISTRATOR))
}
