//! How a fake Discord is set up: the bot's identity and token, the ports, the interaction
//! deadlines and the rate limits. Defaults match Discord's documented numbers.

use std::time::Duration;

pub use crate::gateway::budget::SessionStartLimit;

/// A rate limit of `limit` requests per fixed `window` (Discord's buckets reset as a whole).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteLimit {
    pub limit: u32,
    pub window: Duration,
}

impl RouteLimit {
    pub const fn new(limit: u32, window: Duration) -> RouteLimit {
        RouteLimit { limit, window }
    }
}

/// Discord's limits as the fake enforces them.
#[derive(Debug, Clone)]
pub struct Limits {
    /// `POST /channels/{id}/messages`, one bucket per channel: 5 per 5 s.
    pub channel_messages: RouteLimit,
    /// Interaction follow-ups and edits, one bucket per interaction token: 5 per 2 s.
    pub webhooks: RouteLimit,
    /// Command bulk overwrites, one bucket per scope (global or one guild): 5 per 20 s (bots
    /// report command writes refused for about 20 s; the exact count is not published).
    pub commands: RouteLimit,
    /// Every authenticated request but interaction callbacks and webhooks: 50 per second.
    pub global_per_second: u32,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            channel_messages: RouteLimit::new(5, Duration::from_secs(5)),
            webhooks: RouteLimit::new(5, Duration::from_secs(2)),
            commands: RouteLimit::new(5, Duration::from_secs(20)),
            global_per_second: 50,
        }
    }
}

/// Everything a fake Discord needs to start.
#[derive(Debug, Clone)]
pub struct Config {
    /// REST port on 127.0.0.1 (0 = any free port).
    pub rest_port: u16,
    /// Gateway WebSocket port on 127.0.0.1 (0 = any free port).
    pub gateway_port: u16,
    /// The bot token the fake accepts (without the `Bot ` prefix).
    pub token: String,
    /// The application's id, which is also the bot user's id (as for every modern application).
    pub application_id: u64,
    pub bot_username: String,
    /// Privileged intents the application is allowed (GUILD_MEMBERS, GUILD_PRESENCES,
    /// MESSAGE_CONTENT bits); asking for others closes the gateway with 4014.
    pub privileged_intents: u64,
    /// Sent in HELLO. Discord uses 41 250 ms.
    pub heartbeat_interval: Duration,
    /// An interaction must be answered within this time (Discord: 3 s) or it is unknown (10062).
    pub interaction_deadline: Duration,
    /// How long an interaction token accepts follow-ups and edits (Discord: 15 minutes).
    pub webhook_lifetime: Duration,
    /// Whether rate limits are enforced (answers 429 like Discord). Headers are sent either way.
    pub rate_limits: bool,
    pub limits: Limits,
    /// Pinned messages a channel holds at most; one more answers 400 30003 (Discord: 250,
    /// raised from 50 in 2025).
    pub max_pins: usize,
    /// The IDENTIFY budget `GET /gateway/bot` reports and IDENTIFY spends (Discord: 1,000 a
    /// day); an IDENTIFY beyond it closes with 4004, as Discord resets the token.
    pub session_start_limit: SessionStartLimit,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            rest_port: 0,
            gateway_port: 0,
            token: "MTAwMDAwMDAwMDAwMDAwMDAx.fake.not-a-real-discord-token".to_string(),
            application_id: 1_000_000_000_000_000_001,
            bot_username: "studybot".to_string(),
            privileged_intents: 0,
            heartbeat_interval: Duration::from_millis(41_250),
            interaction_deadline: Duration::from_secs(3),
            webhook_lifetime: Duration::from_secs(15 * 60),
            rate_limits: true,
            limits: Limits::default(),
            max_pins: 250,
            session_start_limit: SessionStartLimit::default(),
        }
    }
}
