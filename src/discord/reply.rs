//! One message of an interaction's answer, sent the way Discord takes it
//! at that point (`interaction` decides which): the callback itself (type
//! 4), the fill of a deferred reply's loading message (`PATCH
//! …/messages/@original`), or a follow-up. A message with a picture
//! uploads it and shows it in an embed (`picture`); if Discord refuses
//! that with 403 50013 (the bot may not attach files in the channel), the
//! same message goes again as text alone.

use twilight_model::application::interaction::Interaction;
use twilight_model::channel::message::{Message, MessageFlags};
use twilight_model::http::interaction::{
    InteractionResponse, InteractionResponseData, InteractionResponseType,
};

use super::App;
use super::parts::Part;
use super::picture::{picture_of, refuses_picture};
use super::send;
use crate::domain::ChatId;

/// Why a reply did not go out (logged).
#[derive(Debug, thiserror::Error)]
pub(super) enum AnswerError {
    #[error(transparent)]
    Http(#[from] twilight_http::Error),
    #[error("Discord's answer was unreadable: {0}")]
    Body(#[from] twilight_http::response::DeserializeBodyError),
}

/// How one message of the answer goes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Via {
    Respond,
    EditOriginal,
    FollowUp,
}

/// Sends one message of the answer to the interaction (in `chat`) the way
/// `via` says; a picture the channel refuses is left out.
pub(super) async fn send(
    app: &App,
    (interaction, chat): (&Interaction, ChatId),
    part: &Part,
    ephemeral: bool,
    via: Via,
) -> Result<Option<Message>, AnswerError> {
    match send_once(app, interaction, part, ephemeral, via).await {
        Err(AnswerError::Http(error)) if refuses_picture(part, &error) => {
            app.outbox.text_only().note(chat);
            send_once(app, interaction, &part.without_image(), ephemeral, via).await
        }
        sent => sent,
    }
}

async fn send_once(
    app: &App,
    interaction: &Interaction,
    part: &Part,
    ephemeral: bool,
    via: Via,
) -> Result<Option<Message>, AnswerError> {
    match via {
        Via::Respond => respond(app, interaction, part, ephemeral).await,
        Via::EditOriginal => edit_original(app, interaction, part).await,
        Via::FollowUp => follow_up(app, interaction, part, ephemeral).await,
    }
}

/// The interaction's own reply (type 4). Returns the message when the post
/// must be recorded (fetched as `@original`).
async fn respond(
    app: &App,
    interaction: &Interaction,
    part: &Part,
    ephemeral: bool,
) -> Result<Option<Message>, AnswerError> {
    let (attachments, embeds) = picture_of(part);
    let data = InteractionResponseData {
        allowed_mentions: Some(send::no_mentions()),
        content: Some(part.content.clone()),
        components: (!part.components.is_empty()).then(|| part.components.clone()),
        flags: ephemeral.then_some(MessageFlags::EPHEMERAL),
        attachments: (!attachments.is_empty()).then_some(attachments),
        embeds: (!embeds.is_empty()).then_some(embeds),
        ..Default::default()
    };
    let response = InteractionResponse {
        kind: InteractionResponseType::ChannelMessageWithSource,
        data: Some(data),
    };
    let client = app.replies();
    client
        .create_response(interaction.id, &interaction.token, &response)
        .await?;
    if ephemeral {
        return Ok(None);
    }
    let original = client.response(&interaction.token).await?.model().await?;
    Ok(Some(original))
}

/// Fills the loading message of a type 5 deferral (always public).
async fn edit_original(
    app: &App,
    interaction: &Interaction,
    part: &Part,
) -> Result<Option<Message>, AnswerError> {
    let mentions = send::no_mentions();
    let (attachments, embeds) = picture_of(part);
    let client = app.replies();
    let mut request = client
        .update_response(&interaction.token)
        .content(Some(&part.content))
        .allowed_mentions(Some(&mentions))
        .components(Some(&part.components));
    if !embeds.is_empty() {
        request = request.attachments(&attachments).embeds(Some(&embeds));
    }
    Ok(Some(request.await?.model().await?))
}

async fn follow_up(
    app: &App,
    interaction: &Interaction,
    part: &Part,
    ephemeral: bool,
) -> Result<Option<Message>, AnswerError> {
    let mentions = send::no_mentions();
    let (attachments, embeds) = picture_of(part);
    let client = app.replies();
    let mut request = client
        .create_followup(&interaction.token)
        .content(&part.content)
        .allowed_mentions(Some(&mentions))
        .components(&part.components);
    if !embeds.is_empty() {
        request = request.attachments(&attachments).embeds(&embeds);
    }
    if ephemeral {
        request = request.flags(MessageFlags::EPHEMERAL);
    }
    Ok(Some(request.await?.model().await?))
}

#[cfg(test)]
mod tests;
