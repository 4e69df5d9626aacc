//! A small HTTP control API under `/_fake/` for trying a bot by hand (see the README): run a
//! slash command, press a button, make a user refuse DMs, and read back messages, interaction
//! replies and requests.
//! Tests use the Rust API of [`crate::FakeDiscord`] instead.

use std::sync::Arc;

use axum::extract::{Path, State as Shared};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::api::act;
use crate::interactions::Action;
use crate::state::State;

#[derive(Debug, Deserialize)]
struct CommandIn {
    channel_id: u64,
    user_id: u64,
    name: String,
    #[serde(default)]
    options: Option<Value>,
}

#[derive(Debug, Deserialize)]
struct RefuseDmsIn {
    user_id: u64,
    refuse: bool,
}

#[derive(Debug, Deserialize)]
struct PressIn {
    channel_id: u64,
    user_id: u64,
    message_id: u64,
    custom_id: String,
}

#[derive(Debug, Deserialize)]
struct ModalIn {
    /// The interaction whose callback opened the modal.
    interaction_id: u64,
    user_id: u64,
    /// Text input `custom_id` → text.
    values: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
struct PinRightIn {
    guild_id: u64,
    may_pin: bool,
}

pub(crate) fn routes() -> Router<Arc<State>> {
    Router::new()
        .route("/_fake/command", post(command))
        .route("/_fake/press", post(press))
        .route("/_fake/modal", post(modal))
        .route("/_fake/pin_right", post(pin_right))
        .route("/_fake/messages", get(messages))
        .route("/_fake/interactions/{id}", get(interaction))
        .route("/_fake/requests", get(requests))
        .route("/_fake/refuse_dms", post(refuse_dms))
}

fn acted(result: Result<crate::Invocation, crate::InjectError>) -> (StatusCode, Json<Value>) {
    match result {
        Ok(invocation) => (
            StatusCode::OK,
            Json(json!({ "interaction_id": invocation.id.to_string(), "token": invocation.token })),
        ),
        Err(error) => (
            StatusCode::BAD_REQUEST,
            Json(json!({ "error": error.to_string() })),
        ),
    }
}

async fn command(
    Shared(state): Shared<Arc<State>>,
    Json(input): Json<CommandIn>,
) -> (StatusCode, Json<Value>) {
    let options = input.options.unwrap_or_else(|| json!([]));
    let action = Action::Command {
        name: input.name,
        options,
    };
    acted(act(&state, input.channel_id, input.user_id, action))
}

async fn press(
    Shared(state): Shared<Arc<State>>,
    Json(input): Json<PressIn>,
) -> (StatusCode, Json<Value>) {
    let action = Action::Press {
        message_id: input.message_id,
        custom_id: input.custom_id,
    };
    acted(act(&state, input.channel_id, input.user_id, action))
}

/// A user refuses DMs from the bot (or accepts them again): see `FakeDiscord::refuse_dms`.
async fn refuse_dms(
    Shared(state): Shared<Arc<State>>,
    Json(input): Json<RefuseDmsIn>,
) -> (StatusCode, Json<Value>) {
    let mut inner = state.lock();
    match inner.world.users.get_mut(&input.user_id) {
        Some(user) => {
            user.refuses_dms = input.refuse;
            (
                StatusCode::OK,
                Json(json!({ "user_id": input.user_id.to_string() })),
            )
        }
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({ "error": "no such user" })),
        ),
    }
}

async fn modal(
    Shared(state): Shared<Arc<State>>,
    Json(input): Json<ModalIn>,
) -> (StatusCode, Json<Value>) {
    let opener = state
        .lock()
        .interactions
        .by_id
        .get(&input.interaction_id)
        .map(|p| p.channel_id);
    let action = Action::SubmitModal {
        opened_by: input.interaction_id,
        values: input.values.into_iter().collect(),
    };
    let channel = opener.unwrap_or(0);
    let result = match opener {
        Some(_) => act(&state, channel, input.user_id, action),
        None => Err(crate::InjectError::NoOpenModal(input.interaction_id)),
    };
    acted(result)
}

async fn pin_right(Shared(state): Shared<Arc<State>>, Json(input): Json<PinRightIn>) -> StatusCode {
    match state
        .lock()
        .world
        .set_pin_right(input.guild_id, input.may_pin)
    {
        true => StatusCode::NO_CONTENT,
        false => StatusCode::NOT_FOUND,
    }
}

async fn messages(Shared(state): Shared<Arc<State>>) -> Json<Value> {
    let inner = state.lock();
    Json(json!(inner.world.messages.values().collect::<Vec<_>>()))
}

async fn interaction(
    Shared(state): Shared<Arc<State>>,
    Path(id): Path<u64>,
) -> (StatusCode, Json<Value>) {
    match state.lock().interactions.by_id.get(&id) {
        Some(pending) => (StatusCode::OK, Json(json!(pending.reply))),
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({ "error": "no such interaction" })),
        ),
    }
}

async fn requests(Shared(state): Shared<Arc<State>>) -> Json<Value> {
    Json(json!(state.lock().requests))
}
