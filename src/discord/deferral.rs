//! Discord's 3 seconds: how long the engine may take before an
//! interaction is deferred (`QUICK`), how it is deferred (type 6 for a
//! press or a modal opened from one, no message; type 5, "thinking…", for
//! a slash command), and so how the answer's first message goes out
//! (`Opening`). Interactions and `/suggest`'s modals defer the same way.

use std::time::Duration;

use twilight_model::application::interaction::{Interaction, InteractionType};
use twilight_model::http::interaction::{InteractionResponse, InteractionResponseType};

use super::App;
use super::reply::Via;

/// How long the engine may take before the interaction is deferred.
pub(super) const QUICK: Duration = Duration::from_secs(2);

/// How the interaction's first message goes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Opening {
    /// The callback itself (type 4), not sent yet.
    Respond,
    /// Deferred with type 5: the next message fills the loading message.
    Thinking,
    /// Deferred with type 6, or the opening message already went out:
    /// everything else is a follow-up.
    FollowUps,
}

impl Opening {
    /// The way for the next message; the opening is used up by it.
    pub(super) fn next(&mut self) -> Via {
        let via = match self {
            Opening::Respond => Via::Respond,
            Opening::Thinking => Via::EditOriginal,
            Opening::FollowUps => Via::FollowUp,
        };
        *self = Opening::FollowUps;
        via
    }
}

/// Defers a slow turn: a press (or a modal opened from a message) with
/// type 6, which makes no message; a slash command with type 5
/// ("thinking…"). Returns how the answer then opens.
pub(super) async fn defer(app: &App, interaction: &Interaction) -> Opening {
    let (kind, opening) = deferral(interaction.kind, interaction.message.is_some());
    let response = InteractionResponse { kind, data: None };
    let client = app.replies();
    if let Err(e) = client
        .create_response(interaction.id, &interaction.token, &response)
        .await
    {
        log::warn!("could not defer an interaction: {e}");
    }
    opening
}

/// The deferral for an interaction of `kind` (`on_message`: it came from a
/// message's component, as a press or a modal opened by one).
fn deferral(kind: InteractionType, on_message: bool) -> (InteractionResponseType, Opening) {
    match kind {
        InteractionType::MessageComponent => (
            InteractionResponseType::DeferredUpdateMessage,
            Opening::FollowUps,
        ),
        InteractionType::ModalSubmit if on_message => (
            InteractionResponseType::DeferredUpdateMessage,
            Opening::FollowUps,
        ),
        _ => (
            InteractionResponseType::DeferredChannelMessageWithSource,
            Opening::Thinking,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ways an answer of `posts` messages and a note goes out.
    fn plan(mut opening: Opening, posts: usize) -> Vec<(Via, bool)> {
        let mut ways: Vec<(Via, bool)> = (0..posts).map(|_| (opening.next(), false)).collect();
        ways.push((opening.next(), true));
        ways
    }

    #[test]
    fn a_slow_press_defers_without_a_message_so_its_note_stays_private() {
        let (kind, opening) = deferral(InteractionType::MessageComponent, true);
        assert_eq!(kind, InteractionResponseType::DeferredUpdateMessage);
        // "Already revealed": the note alone, an ephemeral follow-up.
        assert_eq!(plan(opening, 0), [(Via::FollowUp, true)]);
        let (kind, opening) = deferral(InteractionType::ModalSubmit, true);
        assert_eq!(kind, InteractionResponseType::DeferredUpdateMessage);
        assert_eq!(plan(opening, 0), [(Via::FollowUp, true)]);
    }

    #[test]
    fn a_slow_command_fills_the_loading_message_then_sends_its_note_privately() {
        let (kind, opening) = deferral(InteractionType::ApplicationCommand, false);
        assert_eq!(
            kind,
            InteractionResponseType::DeferredChannelMessageWithSource
        );
        assert_eq!(
            plan(opening, 2),
            [
                (Via::EditOriginal, false),
                (Via::FollowUp, false),
                (Via::FollowUp, true)
            ]
        );
        assert_eq!(plan(Opening::Respond, 0), [(Via::Respond, true)]);
    }
}
