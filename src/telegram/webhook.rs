//! Webhook mode (`STUDYBOT_WEBHOOK_URL`): Telegram posts each update to the
//! operator's HTTP side instead of being polled; only the update listener
//! changes, the dispatcher and its per-chat order stay as they are.
//!
//! `webhook_route` gives the route (which refuses a request without the
//! secret header, and bounds what it holds) and the listener; the route is merged into
//! `http.rs`'s server before it starts, the listener handed to `serve`. At
//! start the bot calls `setWebhook` with the same `allowed_updates` polling
//! would ask for. Stopping leaves the webhook set: other replicas behind the
//! same URL may still serve it. Polling mode deletes it, so a bot switched
//! back from webhook mode receives its updates again.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use futures::StreamExt;
use futures::stream::BoxStream;
use teloxide::RequestError;
use teloxide::dispatching::{Dispatcher, UpdateHandler};
use teloxide::dptree::di::DependencyMap;
use teloxide::error_handlers::IgnoringErrorHandler;
use teloxide::prelude::*;
use teloxide::stop::StopToken;
use teloxide::types::{AllowedUpdate, Update};
use teloxide::update_listeners::{AsUpdateStream, UpdateListener};

use super::handlers::HandlerError;
pub use super::webhook_route::Listener;
use crate::config::WebhookSettings;

/// How many deliveries Telegram may have open at once to this replica
/// (Telegram's default; the dispatcher queues per chat anyway).
const MAX_CONNECTIONS: u8 = 40;

/// Webhook mode, ready: the listener `serve` dispatches from.
pub struct Webhook {
    settings: WebhookSettings,
    listener: Listener,
}

impl Webhook {
    /// The route to merge into the HTTP side, and the webhook whose
    /// listener it feeds. Sets nothing up at Telegram yet. `settings` come
    /// from `config`, which checked the secret (teloxide panics on one
    /// Telegram would refuse).
    pub(super) fn listen(settings: &WebhookSettings) -> (Webhook, axum::Router) {
        let (listener, routes) =
            super::webhook_route::route(&settings.path, &settings.secret, settings.queue);
        let webhook = Webhook {
            settings: settings.clone(),
            listener,
        };
        (webhook, routes)
    }

    /// Tells Telegram to post updates to the URL (`setWebhook`), asking for
    /// the `allowed` update kinds; then the listener can be used.
    pub async fn register(
        self,
        bot: &Bot,
        allowed: Vec<AllowedUpdate>,
    ) -> Result<Listener, RequestError> {
        bot.set_webhook(self.settings.url.clone())
            .secret_token(self.settings.secret.clone())
            .allowed_updates(allowed)
            .max_connections(MAX_CONNECTIONS)
            .drop_pending_updates(false)
            .await?;
        log::info!(
            "webhook set: Telegram posts updates to {}",
            self.settings.url
        );
        Ok(self.listener)
    }
}

/// Polling mode: no webhook may stay set, or `getUpdates` answers 409.
/// Pending updates are kept for the poll.
pub async fn forget(bot: &Bot) {
    if let Err(e) = bot.delete_webhook().drop_pending_updates(false).await {
        log::warn!("could not delete a webhook before polling: {e}");
    }
}

/// The update kinds the dispatcher would hint to a listener for `schema`
/// (teloxide keeps that list to itself): read by a dispatcher that stops at
/// once, from a listener that only records the hint.
pub(super) async fn allowed_updates(
    bot: &Bot,
    schema: UpdateHandler<HandlerError>,
    deps: DependencyMap,
) -> Result<Vec<AllowedUpdate>, RequestError> {
    let hint = Arc::new(Mutex::new(Vec::new()));
    let recorder = HintRecorder(hint.clone());
    Dispatcher::builder(bot.clone(), schema)
        .dependencies(deps)
        .build()
        .try_dispatch_with_listener(recorder, Arc::new(IgnoringErrorHandler))
        .await?;
    let allowed = hint.lock().unwrap_or_else(|e| e.into_inner()).clone();
    Ok(allowed)
}

/// A listener without updates that keeps the dispatcher's hint.
struct HintRecorder(Arc<Mutex<Vec<AllowedUpdate>>>);

impl<'a> AsUpdateStream<'a> for HintRecorder {
    type StreamErr = Infallible;
    type Stream = BoxStream<'a, Result<Update, Infallible>>;

    fn as_stream(&'a mut self) -> Self::Stream {
        futures::stream::empty().boxed()
    }
}

impl UpdateListener for HintRecorder {
    type Err = Infallible;

    fn stop_token(&mut self) -> StopToken {
        teloxide::stop::mk_stop_token().0
    }

    fn hint_allowed_updates(&mut self, hint: &mut dyn Iterator<Item = AllowedUpdate>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = hint.collect();
    }
}
