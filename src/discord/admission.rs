//! The bound on interaction tasks: each INTERACTION_CREATE runs as a task
//! of its own (a slow turn finishes after its deferral), at most
//! `MAX_TURNS` at once. Past that the person gets a short ephemeral "busy,
//! try again" instead of silence, and past `MAX_BUSY` of those too the
//! interaction is dropped with a log line: a flood cannot grow tasks
//! without end.

use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use twilight_model::application::interaction::{Interaction, InteractionType};
use twilight_model::channel::message::MessageFlags;
use twilight_model::http::interaction::{
    InteractionResponse, InteractionResponseData, InteractionResponseType,
};

use super::{App, interaction, send};
use crate::study::{Lang, i18n};

/// Interaction turns running at once; more wait for none of them: the
/// person is told the bot is busy.
pub const MAX_TURNS: usize = 64;
/// "Busy" answers in flight at once; past that an interaction is dropped
/// (and logged).
const MAX_BUSY: usize = 64;

/// The bound on interaction tasks.
pub struct Admission {
    turns: Arc<Semaphore>,
    busy: Arc<Semaphore>,
}

/// What an arriving interaction may do.
enum Admitted {
    Turn(OwnedSemaphorePermit),
    Busy(OwnedSemaphorePermit),
    Dropped,
}

impl Admission {
    pub fn new(turns: usize, busy: usize) -> Admission {
        Admission {
            turns: Arc::new(Semaphore::new(turns)),
            busy: Arc::new(Semaphore::new(busy)),
        }
    }

    fn admit(&self) -> Admitted {
        if let Ok(permit) = self.turns.clone().try_acquire_owned() {
            return Admitted::Turn(permit);
        }
        match self.busy.clone().try_acquire_owned() {
            Ok(permit) => Admitted::Busy(permit),
            Err(_) => Admitted::Dropped,
        }
    }
}

impl Default for Admission {
    fn default() -> Admission {
        Admission::new(MAX_TURNS, MAX_BUSY)
    }
}

/// Takes up one INTERACTION_CREATE as a task of its own, or, with
/// `MAX_TURNS` already running, answers it with a short "busy".
pub fn admit(app: &Arc<App>, interaction: Interaction) {
    let app = app.clone();
    match app.admission.admit() {
        Admitted::Turn(permit) => {
            tokio::spawn(async move {
                interaction::handle(app, interaction).await;
                drop(permit);
            });
        }
        Admitted::Busy(permit) => {
            log::warn!("{MAX_TURNS} interactions in flight: one is answered \"busy\"");
            tokio::spawn(async move {
                busy(&app, &interaction).await;
                drop(permit);
            });
        }
        Admitted::Dropped => {
            log::warn!("{MAX_TURNS} interactions in flight and {MAX_BUSY} told busy: one dropped")
        }
    }
}

/// The answer when too many turns run: "busy, try again", for the person
/// alone (no choices for an autocomplete).
async fn busy(app: &App, interaction: &Interaction) {
    let lang = Lang::from_user(interaction.locale.as_deref().unwrap_or(""));
    let response = match interaction.kind {
        InteractionType::ApplicationCommandAutocomplete => InteractionResponse {
            kind: InteractionResponseType::ApplicationCommandAutocompleteResult,
            data: Some(InteractionResponseData {
                choices: Some(Vec::new()),
                ..Default::default()
            }),
        },
        _ => InteractionResponse {
            kind: InteractionResponseType::ChannelMessageWithSource,
            data: Some(InteractionResponseData {
                content: Some(i18n::busy(lang).to_string()),
                flags: Some(MessageFlags::EPHEMERAL),
                allowed_mentions: Some(send::no_mentions()),
                ..Default::default()
            }),
        },
    };
    let client = app.replies();
    if let Err(e) = client
        .create_response(interaction.id, &interaction.token, &response)
        .await
    {
        log::warn!("could not answer an interaction \"busy\": {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interactions_past_the_bound_are_told_busy_then_dropped() {
        let admission = Admission::new(2, 1);
        let held: Vec<Admitted> = (0..4).map(|_| admission.admit()).collect();
        let kinds: Vec<&str> = held
            .iter()
            .map(|a| match a {
                Admitted::Turn(_) => "turn",
                Admitted::Busy(_) => "busy",
                Admitted::Dropped => "dropped",
            })
            .collect();
        assert_eq!(kinds, ["turn", "turn", "busy", "dropped"]);
        drop(held);
        assert!(matches!(admission.admit(), Admitted::Turn(_)));
    }
}
