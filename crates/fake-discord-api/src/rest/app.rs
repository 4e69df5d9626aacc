//! Application-level routes: `GET /gateway/bot` (where to connect) and the command bulk
//! overwrite (`PUT /applications/{app}[/guilds/{guild}]/commands`) with its listing.

use axum::http::Method;
use serde_json::{Value, json};

use super::Handled;
use crate::commands::check_overwrite;
use crate::error::ApiError;
use crate::state::{Inner, State};

pub(super) fn gateway_bot(inner: &mut Inner, now: std::time::Instant) -> Handled {
    let limit = inner.gateway.budget.json(now);
    Ok((
        200,
        Some(json!({ "url": inner.gateway_url, "shards": 1, "session_start_limit": limit })),
    ))
}

pub(super) fn commands(
    state: &State,
    inner: &mut Inner,
    method: &Method,
    app: u64,
    guild: Option<u64>,
    body: &Value,
) -> Handled {
    if app != state.config.application_id {
        return Err(ApiError::new(403, 50001, "Missing Access"));
    }
    if let Some(guild_id) = guild
        && !inner
            .world
            .guilds
            .get(&guild_id)
            .is_some_and(|g| g.bot_member)
    {
        return Err(ApiError::new(403, 50001, "Missing Access"));
    }
    if *method == Method::GET {
        let list = match guild {
            Some(g) => inner.commands.guilds.get(&g).cloned().unwrap_or_default(),
            None => inner.commands.global.clone(),
        };
        return Ok((200, Some(Value::Array(list))));
    }
    let world = &mut inner.world;
    let stored = check_overwrite(body, app, guild, || world.ids.next())?;
    match guild {
        Some(g) => {
            inner.commands.guilds.insert(g, stored.clone());
        }
        None => inner.commands.global = stored.clone(),
    }
    Ok((200, Some(Value::Array(stored))))
}
