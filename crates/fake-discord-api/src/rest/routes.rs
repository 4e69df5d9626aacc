//! The REST routes the fake serves under `/api/v10`, matched from the method and path, with
//! what each needs: the bot token or not, and which rate-limit bucket it spends.

use axum::http::Method;

use crate::config::Limits;
use crate::config::RouteLimit;
use crate::limits::Bucket;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Route {
    GatewayBot,
    CurrentUser,
    CurrentApplication,
    /// `PUT`/`GET /applications/{app}/commands` or `…/guilds/{guild}/commands`.
    Commands {
        app: u64,
        guild: Option<u64>,
    },
    /// `POST /interactions/{id}/{token}/callback`.
    Callback {
        id: u64,
        token: String,
    },
    /// `POST /webhooks/{app}/{token}`: a follow-up.
    Followup {
        app: u64,
        token: String,
    },
    /// `GET`/`PATCH`/`DELETE /webhooks/{app}/{token}/messages/{@original|id}`.
    WebhookMessage {
        app: u64,
        token: String,
        message: Option<u64>,
    },
    /// `POST /channels/{id}/messages`.
    ChannelMessages {
        channel: u64,
    },
    /// `POST /channels/{id}/messages/{message}/threads`: Start Thread from Message.
    MessageThread {
        channel: u64,
        message: u64,
    },
    /// `POST /users/@me/channels`: open (or get) the DM with a user.
    CreateDm,
    /// `PUT`/`DELETE /channels/{id}/messages/pins/{message}`, or the deprecated
    /// `/channels/{id}/pins/{message}` (still served, as by Discord).
    Pin {
        channel: u64,
        message: u64,
        deprecated: bool,
    },
}

/// A path the fake knows, with the methods it answers on it.
pub(crate) fn match_route(path: &str) -> Option<(Route, &'static [Method])> {
    let rest = path.strip_prefix("/api/v10/")?;
    let parts: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
    let n = |s: &str| s.parse::<u64>().ok();
    let route = match parts.as_slice() {
        ["gateway", "bot"] => (Route::GatewayBot, &[Method::GET][..]),
        ["users", "@me"] => (Route::CurrentUser, &[Method::GET][..]),
        ["users", "@me", "channels"] => (Route::CreateDm, &[Method::POST][..]),
        ["oauth2", "applications", "@me"] | ["applications", "@me"] => {
            (Route::CurrentApplication, &[Method::GET][..])
        }
        ["applications", app, "commands"] => (
            Route::Commands {
                app: n(app)?,
                guild: None,
            },
            &[Method::GET, Method::PUT][..],
        ),
        ["applications", app, "guilds", guild, "commands"] => (
            Route::Commands {
                app: n(app)?,
                guild: Some(n(guild)?),
            },
            &[Method::GET, Method::PUT][..],
        ),
        ["interactions", id, token, "callback"] => (
            Route::Callback {
                id: n(id)?,
                token: token.to_string(),
            },
            &[Method::POST][..],
        ),
        ["webhooks", app, token] => (
            Route::Followup {
                app: n(app)?,
                token: token.to_string(),
            },
            &[Method::POST][..],
        ),
        ["webhooks", app, token, "messages", message] => {
            let message = match *message {
                "@original" => None,
                id => Some(n(id)?),
            };
            (
                Route::WebhookMessage {
                    app: n(app)?,
                    token: token.to_string(),
                    message,
                },
                &[Method::GET, Method::PATCH, Method::DELETE][..],
            )
        }
        ["channels", channel, "messages"] => (
            Route::ChannelMessages {
                channel: n(channel)?,
            },
            &[Method::POST][..],
        ),
        ["channels", channel, "messages", message, "threads"] => (
            Route::MessageThread {
                channel: n(channel)?,
                message: n(message)?,
            },
            &[Method::POST][..],
        ),
        ["channels", channel, "messages", "pins", message] => (
            Route::Pin {
                channel: n(channel)?,
                message: n(message)?,
                deprecated: false,
            },
            &[Method::PUT, Method::DELETE][..],
        ),
        ["channels", channel, "pins", message] => (
            Route::Pin {
                channel: n(channel)?,
                message: n(message)?,
                deprecated: true,
            },
            &[Method::PUT, Method::DELETE][..],
        ),
        _ => return None,
    };
    Some(route)
}

impl Route {
    /// Interaction endpoints use the interaction token, not the bot's.
    pub fn needs_bot_token(&self) -> bool {
        !matches!(
            self,
            Route::Callback { .. } | Route::Followup { .. } | Route::WebhookMessage { .. }
        )
    }

    /// Routes that make or edit a message, and so take `multipart/form-data` files.
    pub fn takes_files(&self) -> bool {
        matches!(
            self,
            Route::ChannelMessages { .. }
                | Route::Callback { .. }
                | Route::Followup { .. }
                | Route::WebhookMessage { .. }
        )
    }

    /// Interaction endpoints are exempt from the global limit.
    pub fn counts_globally(&self) -> bool {
        self.needs_bot_token()
    }

    /// The bucket a request spends, given the interaction id of a webhook token.
    pub fn bucket(
        &self,
        limits: &Limits,
        interaction: Option<u64>,
    ) -> Option<(Bucket, RouteLimit)> {
        match self {
            Route::ChannelMessages { channel } => {
                Some((Bucket::ChannelMessages(*channel), limits.channel_messages))
            }
            Route::Commands { guild, .. } => Some((Bucket::Commands(*guild), limits.commands)),
            Route::Followup { .. } | Route::WebhookMessage { .. } => {
                interaction.map(|id| (Bucket::Webhook(id), limits.webhooks))
            }
            _ => None,
        }
    }
}
