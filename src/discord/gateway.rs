//! The gateway session: one shard (GUILDS intent), started only when
//! Discord's IDENTIFY budget allows it, read until told to stop or until
//! Discord closes it for good.
//!
//! - `GET /gateway/bot` says how many IDENTIFY are left today
//!   (`session_start_limit`); running out makes Discord reset the token. The
//!   count is logged; when only a few remain the shard waits until
//!   `reset_after` instead of identifying, and says so. twilight's identify
//!   queue is built from the same numbers and `max_concurrency`, so the
//!   reconnects of this process keep to them too.
//! - Close codes 4004 and 4010–4014 are fatal: twilight stops reconnecting,
//!   the close is logged by name, and the error ends `serve` (so `studybot
//!   run` exits non-zero and systemd's `Restart=on-failure` applies).

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use twilight_gateway::queue::InMemoryQueue;
use twilight_gateway::{
    CloseFrame, ConfigBuilder, Event, EventTypeFlags, Intents, Shard, ShardId, StreamExt,
};
use twilight_model::gateway::CloseCode;
use twilight_model::gateway::SessionStartLimit;

use super::{App, Connection, DiscordError, admission};

/// IDENTIFY kept in reserve: with this many or fewer left, wait for the
/// daily reset rather than identify (a crash loop would use up the rest).
pub const RESERVE: u32 = 2;

/// Opens the session when the budget allows, then reads events until
/// `stop`; an error only for a fatal close.
pub(super) async fn run(
    app: &Arc<App>,
    connection: &Connection,
    stop: watch::Receiver<bool>,
) -> Result<(), DiscordError> {
    let Some((url, queue)) = budget(app, connection, stop.clone()).await? else {
        return Ok(());
    };
    let config = ConfigBuilder::new(connection.token.clone(), Intents::GUILDS)
        .proxy_url(url)
        .queue(queue)
        .build();
    read(app, Shard::with_config(ShardId::ONE, config), stop).await
}

/// The gateway URL and an identify queue keeping to today's budget, once
/// enough IDENTIFY are left (waiting for the reset if not); `None` when
/// told to stop meanwhile.
async fn budget(
    app: &App,
    connection: &Connection,
    mut stop: watch::Receiver<bool>,
) -> Result<Option<(String, InMemoryQueue)>, DiscordError> {
    let info = super::gateway_info(&app.http, connection).await?;
    let url = connection.gateway_url.clone().unwrap_or(info.url);
    let limit = info.session_start_limit;
    log::info!(
        "Discord gateway: {} of {} sessions left today (reset in {}), {} at a time",
        limit.remaining,
        limit.total,
        hours(limit.reset_after),
        limit.max_concurrency
    );
    let remaining = match limit.remaining {
        left if left > RESERVE => left,
        left => {
            log::warn!(
                "Discord gateway: only {left} sessions left today; waiting {} for Discord's reset before identifying (running out resets the token)",
                hours(limit.reset_after)
            );
            let reset = tokio::time::sleep(Duration::from_millis(limit.reset_after));
            tokio::select! {
                () = reset => {}
                _ = stop.wait_for(|s| *s) => return Ok(None),
            }
            limit.total
        }
    };
    Ok(Some((url, queue(&limit, remaining))))
}

fn queue(limit: &SessionStartLimit, remaining: u32) -> InMemoryQueue {
    let total = limit.total.max(1);
    InMemoryQueue::new(
        limit.max_concurrency,
        remaining.min(total),
        Duration::from_millis(limit.reset_after),
        total,
    )
}

fn hours(ms: u64) -> String {
    let minutes = ms.div_ceil(60_000);
    format!("{}h{:02}m", minutes / 60, minutes % 60)
}

/// Reads gateway events until `stop`; twilight heartbeats and resumes.
async fn read(
    app: &Arc<App>,
    mut shard: Shard,
    mut stop: watch::Receiver<bool>,
) -> Result<(), DiscordError> {
    let wanted = EventTypeFlags::READY
        | EventTypeFlags::RESUMED
        | EventTypeFlags::GUILD_CREATE
        | EventTypeFlags::GUILD_DELETE
        | EventTypeFlags::INTERACTION_CREATE
        // Every ~40 s even when idle: the gateway answers, for `/readyz`.
        | EventTypeFlags::GATEWAY_HEARTBEAT_ACK;
    // A close frame always comes through, whatever `wanted` says.
    let mut last_close = None;
    loop {
        let item = tokio::select! {
            item = shard.next_event(wanted) => item,
            _ = stop.wait_for(|stop| *stop) => return Ok(()),
        };
        let event = match item {
            Some(Ok(event)) => {
                crate::ops::telemetry::reached(crate::domain::Platform::Discord);
                event
            }
            Some(Err(e)) => {
                log::warn!("Discord gateway: {e}");
                continue;
            }
            None => return Err(closed_for_good(last_close.as_ref())),
        };
        match event {
            Event::GatewayClose(frame) => {
                if let Some(frame) = &frame {
                    log::warn!("Discord gateway: closed with {}", describe(frame.code));
                }
                last_close = frame;
            }
            event => dispatch(app, event).await,
        }
    }
}

async fn dispatch(app: &Arc<App>, event: Event) {
    match event {
        Event::Ready(ready) => {
            log::info!("Discord gateway: ready in {} servers", ready.guilds.len())
        }
        Event::Resumed => log::info!("Discord gateway: resumed"),
        Event::GuildCreate(guild) => app.see_guild(&guild),
        // `unavailable: true` is an outage, not a removal: plans stay.
        Event::GuildDelete(deleted) if deleted.unavailable != Some(true) => {
            app.guild_gone(deleted.id).await;
        }
        Event::InteractionCreate(created) => admission::admit(app, created.0),
        _ => {}
    }
}

/// The error for a shard that stopped: a fatal close, by code and name.
fn closed_for_good(close: Option<&CloseFrame<'static>>) -> DiscordError {
    let code = close.map_or(0, |frame| frame.code);
    let error = DiscordError::GatewayClosed {
        close: describe(code),
        hint: hint(code),
    };
    log::error!("Discord gateway: {error}");
    error
}

/// "4014 Disallowed Intents", or the bare number of an unknown code.
fn describe(code: u16) -> String {
    match CloseCode::try_from(code) {
        Ok(known) => format!("{code} {known}"),
        Err(_) => code.to_string(),
    }
}

fn hint(code: u16) -> &'static str {
    match code {
        4004 => "check DISCORD_TOKEN: Discord no longer accepts it (was it reset?)",
        4010 | 4011 => "the bot runs one shard; Discord asks for sharding",
        4012 => "this build speaks an API version Discord no longer serves",
        4013 | 4014 => "the bot asks only for the GUILDS intent; check the application's settings",
        _ => "Discord closed the gateway and twilight does not reconnect",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fatal_closes_are_named() {
        assert_eq!(describe(4004), "4004 Authentication Failed");
        assert_eq!(describe(4014), "4014 Disallowed Intents");
        assert_eq!(describe(4999), "4999");
        assert_eq!(hours(14_400_000), "4h00m");
        assert_eq!(hours(1), "0h01m");
    }
}
