//! The gateway: a WebSocket server on its own port (as Discord's gateway has its own host)
//! speaking JSON without compression. It sends HELLO, takes IDENTIFY (token, intents) or
//! RESUME, answers heartbeats, and dispatches READY, GUILD_CREATE/GUILD_DELETE and
//! INTERACTION_CREATE with increasing sequence numbers. Wrong input closes the connection with
//! Discord's close codes (4001 unknown opcode, 4002 decode error, 4003 not authenticated, 4004
//! authentication failed, 4005 already authenticated, 4007 invalid seq, 4012 invalid API
//! version, 4013 invalid intents, 4014 disallowed intents).

pub(crate) mod budget;
pub(crate) mod sessions;

use std::net::SocketAddr;
use std::sync::Arc;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use tokio_websockets::{CloseCode, Message, ServerBuilder};

use crate::state::State;
use sessions::Outbound;

/// Intents Discord defines today (bits 0–25, some unused).
const KNOWN_INTENTS: u64 = (1 << 26) - 1;
/// GUILD_MEMBERS, GUILD_PRESENCES and MESSAGE_CONTENT need the application's approval.
const PRIVILEGED_INTENTS: u64 = (1 << 1) | (1 << 8) | (1 << 15);

pub(crate) async fn start(
    state: Arc<State>,
    port: u16,
    mut stop: watch::Receiver<bool>,
) -> std::io::Result<SocketAddr> {
    let listener = TcpListener::bind(("127.0.0.1", port)).await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        let mut tasks = tokio::task::JoinSet::new();
        loop {
            tokio::select! {
                _ = stop.changed() => break,
                accepted = listener.accept() => {
                    if let Ok((stream, _)) = accepted {
                        tasks.spawn(serve(stream, Arc::clone(&state)));
                    }
                }
                Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
            }
        }
    });
    Ok(addr)
}

/// Per-connection state of the protocol.
struct Connection {
    id: u64,
    session: Option<String>,
}

async fn serve(stream: TcpStream, state: Arc<State>) {
    let Ok((request, mut ws)) = ServerBuilder::new().accept(stream).await else {
        return;
    };
    let query = request.uri().query().unwrap_or("").to_string();
    if let Some((code, reason)) = query_problem(&query) {
        let _ = ws.send(close(code, reason)).await;
        return;
    }
    let (sender, mut outbound) = mpsc::unbounded_channel();
    let id = state.lock().gateway.open_connection(sender);
    let mut connection = Connection { id, session: None };
    let hello = json!({ "op": 10, "s": null, "t": null,
        "d": { "heartbeat_interval": state.config.heartbeat_interval.as_millis() as u64 } });
    let mut open = ws.send(Message::text(hello.to_string())).await.is_ok();
    state.wake();
    while open {
        tokio::select! {
            incoming = ws.next() => {
                let text = match incoming {
                    Some(Ok(message)) if message.is_text() => message.as_text().unwrap_or("").to_string(),
                    Some(Ok(message)) if message.is_close() || message.is_binary() => {
                        if message.is_binary() {
                            let _ = ws.send(close(4002, "Decode error")).await;
                        }
                        break;
                    }
                    Some(Ok(_)) => continue,
                    _ => break,
                };
                for reply in handle_frame(&state, &mut connection, &text) {
                    open &= send(&mut ws, reply).await;
                }
                state.wake();
            }
            next = outbound.recv() => match next {
                Some(frame) => open = send(&mut ws, frame).await,
                None => break,
            },
        }
    }
    state.lock().gateway.close_connection(connection.id);
    state.wake();
}

/// Sends one outbound item; false when the connection must end.
async fn send(ws: &mut tokio_websockets::WebSocketStream<TcpStream>, frame: Outbound) -> bool {
    match frame {
        Outbound::Text(text) => ws.send(Message::text(text)).await.is_ok(),
        Outbound::Close(code, reason) => {
            let _ = ws.send(close(code, &reason)).await;
            false
        }
        Outbound::Drop => false,
    }
}

fn close(code: u16, reason: &str) -> Message {
    Message::close(CloseCode::try_from(code).ok(), reason)
}

fn query_problem(query: &str) -> Option<(u16, &'static str)> {
    let param = |name: &str| {
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value)
    };
    if param("v") != Some("10") {
        return Some((4012, "Invalid API version"));
    }
    if param("encoding").is_some_and(|e| e != "json") || param("compress").is_some() {
        return Some((4002, "Decode error"));
    }
    None
}

/// Handles one text frame and returns what to send back at once.
fn handle_frame(state: &State, connection: &mut Connection, text: &str) -> Vec<Outbound> {
    let Ok(frame) = serde_json::from_str::<Value>(text) else {
        return vec![Outbound::Close(4002, "Decode error".into())];
    };
    let data = frame.get("d").cloned().unwrap_or(Value::Null);
    match frame.get("op").and_then(Value::as_u64) {
        Some(1) => {
            state.lock().gateway.stats.heartbeats += 1;
            vec![Outbound::Text(json!({ "op": 11 }).to_string())]
        }
        Some(2) => identify(state, connection, &data),
        Some(6) => resume(state, connection, &data),
        // Presence, voice state and member requests: accepted once identified, not modelled.
        Some(3 | 4 | 8) if connection.session.is_some() => Vec::new(),
        Some(3 | 4 | 8) => vec![Outbound::Close(4003, "Not authenticated.".into())],
        _ => vec![Outbound::Close(4001, "Unknown opcode.".into())],
    }
}

fn token_matches(state: &State, data: &Value) -> bool {
    let token = data.get("token").and_then(Value::as_str).unwrap_or("");
    token.strip_prefix("Bot ").unwrap_or(token) == state.config.token
}

fn identify(state: &State, connection: &mut Connection, data: &Value) -> Vec<Outbound> {
    if connection.session.is_some() {
        return vec![Outbound::Close(4005, "Already authenticated.".into())];
    }
    let properties_ok = ["os", "browser", "device"].iter().all(|key| {
        data.pointer(&format!("/properties/{key}"))
            .is_some_and(Value::is_string)
    });
    if !properties_ok {
        return vec![Outbound::Close(4002, "Decode error".into())];
    }
    if !token_matches(state, data) {
        return vec![Outbound::Close(4004, "Authentication failed.".into())];
    }
    let Some(intents) = data.get("intents").and_then(Value::as_u64) else {
        return vec![Outbound::Close(4013, "Invalid intent(s).".into())];
    };
    if intents & !KNOWN_INTENTS != 0 {
        return vec![Outbound::Close(4013, "Invalid intent(s).".into())];
    }
    if intents & PRIVILEGED_INTENTS & !state.config.privileged_intents != 0 {
        return vec![Outbound::Close(4014, "Disallowed intent(s).".into())];
    }
    if let Some(code) = state.lock().gateway.refuse_with {
        return vec![Outbound::Close(code, close_reason(code).into())];
    }
    if !state.lock().gateway.budget.spend(std::time::Instant::now()) {
        // Discord resets the token of a bot that runs out of sessions.
        return vec![Outbound::Close(4004, "Authentication failed.".into())];
    }
    let shard = data.get("shard").cloned().unwrap_or(json!([0, 1]));
    let shard_ok = shard
        .as_array()
        .and_then(|s| Some((s.first()?.as_u64()?, s.get(1)?.as_u64()?)))
        .is_some_and(|(id, total)| id < total);
    if !shard_ok {
        return vec![Outbound::Close(4010, "Invalid shard.".into())];
    }
    let mut inner = state.lock();
    let inner = &mut *inner;
    let session_id = inner.gateway.new_session(intents, connection.id);
    inner.gateway.stats.identifies += 1;
    connection.session = Some(session_id.clone());
    let guilds: Vec<u64> = inner
        .world
        .guilds
        .values()
        .filter(|g| g.bot_member)
        .map(|g| g.id)
        .collect();
    let ready = json!({
        "v": 10, "user": crate::payloads::bot_user(&state.config),
        "guilds": guilds.iter().map(|g| json!({ "id": g.to_string(), "unavailable": true })).collect::<Vec<_>>(),
        "session_id": session_id, "resume_gateway_url": inner.gateway_url,
        "shard": shard, "application": { "id": state.config.application_id.to_string(), "flags": 0 },
        "private_channels": [], "presences": [], "relationships": [], "user_settings": {},
        "guild_join_requests": [], "geo_ordered_rtc_regions": [], "auth": {},
    });
    inner.gateway.dispatch_to(&session_id, "READY", &ready);
    if intents & sessions::GUILDS != 0 {
        for guild in guilds {
            let data = crate::payloads::guild_create(&inner.world, &state.config, guild);
            inner
                .gateway
                .dispatch_to(&session_id, "GUILD_CREATE", &data);
        }
    }
    Vec::new()
}

fn resume(state: &State, connection: &mut Connection, data: &Value) -> Vec<Outbound> {
    if connection.session.is_some() {
        return vec![Outbound::Close(4005, "Already authenticated.".into())];
    }
    if !token_matches(state, data) {
        return vec![Outbound::Close(4004, "Authentication failed.".into())];
    }
    if let Some(code) = state.lock().gateway.refuse_with {
        return vec![Outbound::Close(code, close_reason(code).into())];
    }
    let session_id = data.get("session_id").and_then(Value::as_str).unwrap_or("");
    let seq = data.get("seq").and_then(Value::as_u64).unwrap_or(0);
    match state.lock().gateway.resume(session_id, seq, connection.id) {
        Some(Ok(())) => {
            connection.session = Some(session_id.to_string());
            Vec::new()
        }
        Some(Err(())) => vec![Outbound::Close(4007, "Invalid seq.".into())],
        None => vec![Outbound::Text(
            json!({ "op": 9, "d": false, "s": null, "t": null }).to_string(),
        )],
    }
}

/// Discord's reason text for a close code a test asks for.
pub(crate) fn close_reason(code: u16) -> &'static str {
    match code {
        4004 => "Authentication failed.",
        4010 => "Invalid shard.",
        4011 => "Sharding required.",
        4012 => "Invalid API version.",
        4013 => "Invalid intent(s).",
        4014 => "Disallowed intent(s).",
        _ => "Unknown error.",
    }
}
