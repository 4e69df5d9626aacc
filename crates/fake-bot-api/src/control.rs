//! A small HTTP control API under `/_fake/` for trying a bot by hand (see the README): play a
//! user (messages, button presses), register chats and administrators, name the webhook's
//! backends, and read back what the bot sent. Tests use the Rust API of [`crate::FakeBotApi`] instead.

use std::sync::Arc;

use axum::extract::State as Shared;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::config::{ChatSpec, User};
use crate::state::State;

/// A user as the control API accepts it: only `id` is required.
#[derive(Debug, Deserialize)]
struct UserIn {
    id: i64,
    first_name: Option<String>,
    username: Option<String>,
    language_code: Option<String>,
}

impl UserIn {
    fn into_user(self) -> User {
        let name = self
            .first_name
            .unwrap_or_else(|| format!("User {}", self.id));
        let mut user = User::new(self.id, &name);
        user.username = self.username;
        user.language_code = self.language_code;
        user
    }
}

#[derive(Debug, Deserialize)]
struct MessageIn {
    chat_id: i64,
    text: String,
    from: Option<UserIn>,
    thread_id: Option<i32>,
    /// Reply to this message of the chat.
    reply_to: Option<i32>,
}

#[derive(Debug, Deserialize)]
struct CallbackIn {
    chat_id: i64,
    message_id: i32,
    data: String,
    from: UserIn,
}

#[derive(Debug, Deserialize)]
struct PollAnswerIn {
    poll_id: String,
    from: UserIn,
    option_ids: Vec<u8>,
}

#[derive(Debug, Deserialize)]
struct ChatIn {
    id: i64,
    #[serde(rename = "type")]
    kind: String,
    title: Option<String>,
    #[serde(default)]
    forum: bool,
    language: Option<String>,
}

#[derive(Debug, Deserialize)]
struct PinRightIn {
    chat_id: i64,
    granted: bool,
}

#[derive(Debug, Deserialize)]
struct BackendsIn {
    backends: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct AdminsIn {
    chat_id: i64,
    user_ids: Vec<i64>,
}

pub(crate) fn routes() -> Router<Arc<State>> {
    Router::new()
        .route("/_fake/message", post(push_message))
        .route("/_fake/callback", post(push_callback))
        .route("/_fake/poll_answer", post(push_poll_answer))
        .route("/_fake/polls", get(polls))
        .route("/_fake/chat", post(add_chat))
        .route("/_fake/admins", post(set_admins))
        .route("/_fake/pin_right", post(set_pin_right))
        .route("/_fake/sent", get(sent))
        .route("/_fake/requests", get(requests))
        .route("/_fake/webhook_backends", post(set_webhook_backends))
        .route("/_fake/webhook_deliveries", get(webhook_deliveries))
}

async fn push_message(
    Shared(state): Shared<Arc<State>>,
    Json(input): Json<MessageIn>,
) -> Json<Value> {
    let from = input.from.map(UserIn::into_user);
    let message_id = state.push_message(
        input.chat_id,
        from,
        &input.text,
        input.thread_id,
        input.reply_to,
    );
    Json(json!({ "message_id": message_id }))
}

async fn push_callback(
    Shared(state): Shared<Arc<State>>,
    Json(input): Json<CallbackIn>,
) -> Json<Value> {
    let id = state.push_callback(
        input.chat_id,
        input.from.into_user(),
        input.message_id,
        &input.data,
    );
    Json(json!({ "callback_query_id": id }))
}

async fn push_poll_answer(
    Shared(state): Shared<Arc<State>>,
    Json(input): Json<PollAnswerIn>,
) -> (StatusCode, Json<Value>) {
    let from = input.from.into_user();
    let answered =
        crate::polls::answer(&mut state.lock(), &input.poll_id, &from, &input.option_ids);
    match answered {
        Ok(()) => {
            state.wake_polls();
            (StatusCode::OK, Json(json!({ "ok": true })))
        }
        Err(error) => (StatusCode::BAD_REQUEST, Json(json!({ "error": error }))),
    }
}

async fn polls(Shared(state): Shared<Arc<State>>) -> Json<Value> {
    Json(json!(crate::polls::all(&mut state.lock())))
}

async fn add_chat(
    Shared(state): Shared<Arc<State>>,
    Json(input): Json<ChatIn>,
) -> (StatusCode, Json<Value>) {
    let title = input.title.unwrap_or_else(|| format!("Chat {}", input.id));
    let spec = match input.kind.as_str() {
        "private" => ChatSpec::private(input.id, input.language.as_deref()),
        "group" => ChatSpec::group(input.id, &title),
        "supergroup" => ChatSpec::supergroup(input.id, &title, input.forum),
        "channel" => ChatSpec::channel(input.id, &title),
        other => {
            let error =
                format!("unknown chat type {other:?}: use private, group, supergroup or channel");
            return (StatusCode::BAD_REQUEST, Json(json!({ "error": error })));
        }
    };
    state.lock().chats.add(spec);
    (StatusCode::OK, Json(json!({ "ok": true })))
}

async fn set_admins(Shared(state): Shared<Arc<State>>, Json(input): Json<AdminsIn>) -> Json<Value> {
    state
        .lock()
        .chats
        .set_admins(input.chat_id, &input.user_ids);
    Json(json!({ "ok": true }))
}

async fn set_pin_right(
    Shared(state): Shared<Arc<State>>,
    Json(input): Json<PinRightIn>,
) -> Json<Value> {
    state.lock().chats.get(input.chat_id).bot_may_pin = input.granted;
    Json(json!({ "ok": true }))
}

async fn sent(Shared(state): Shared<Arc<State>>) -> Json<Value> {
    Json(json!(state.lock().journal.sent))
}

async fn requests(Shared(state): Shared<Arc<State>>) -> Json<Value> {
    Json(json!(state.lock().journal.requests))
}

async fn set_webhook_backends(
    Shared(state): Shared<Arc<State>>,
    Json(input): Json<BackendsIn>,
) -> (StatusCode, Json<Value>) {
    let set = state.lock().hook.set_backends(input.backends);
    state.wake_polls();
    match set {
        Ok(()) => (StatusCode::OK, Json(json!({ "ok": true }))),
        Err(error) => (StatusCode::BAD_REQUEST, Json(json!({ "error": error }))),
    }
}

async fn webhook_deliveries(Shared(state): Shared<Arc<State>>) -> Json<Value> {
    Json(json!(state.lock().hook.deliveries))
}
