//! The webhook's route, written here rather than taken from teloxide: its
//! route read the whole body (up to 2 MB) before checking the secret and
//! acknowledged every update into an unbounded channel.
//!
//! Here the secret header is compared (in constant time) before a byte of
//! the body is read; a body may be at most [`BODY_LIMIT`] and must arrive
//! within [`BODY_TIMEOUT`]; and an update is answered 200 only once it holds
//! one of the queue's slots (`WebhookSettings::queue`), which it keeps
//! until the dispatcher has handled or skipped it. With every slot taken
//! the answer is 503, and Telegram delivers the update again later.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::routing::post;
use futures::StreamExt;
use futures::stream::BoxStream;
use subtle::ConstantTimeEq;
use teloxide::stop::{StopFlag, StopToken, mk_stop_token};
use teloxide::types::{Update, UpdateId};
use teloxide::update_listeners::{AsUpdateStream, UpdateListener};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};

/// The header Telegram proves itself with.
const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// The largest body read. Telegram's updates are at most a few hundred KB
/// (a 4096-character message with entities and a replied-to message is
/// ~50 KB; a poll or a long caption less): 1 MB leaves room and bounds
/// what 40 concurrent deliveries can hold to 40 MB.
pub const BODY_LIMIT: usize = 1 << 20;

/// A body must arrive within this once its headers did.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(10);

/// Updates accepted (200) and not yet handled, each holding a slot.
#[derive(Default)]
pub struct Receipts(Mutex<HashMap<UpdateId, OwnedSemaphorePermit>>);

impl Receipts {
    fn hold(&self, update: UpdateId, slot: OwnedSemaphorePermit) {
        self.lock().insert(update, slot);
    }

    /// The slot of `update`, to drop when it has been handled.
    pub fn take(&self, update: UpdateId) -> Option<OwnedSemaphorePermit> {
        self.lock().remove(&update)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<UpdateId, OwnedSemaphorePermit>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[derive(Clone)]
struct Intake {
    secret: Arc<[u8]>,
    slots: Arc<Semaphore>,
    receipts: Arc<Receipts>,
    tx: mpsc::UnboundedSender<Update>,
    stopped: StopFlag,
}

/// The route at `path` and the listener it feeds; `queue` slots.
pub fn route(path: &str, secret: &str, queue: usize) -> (Listener, Router) {
    let (tx, rx) = mpsc::unbounded_channel();
    let (token, stopped) = mk_stop_token();
    let receipts = Arc::new(Receipts::default());
    let intake = Intake {
        secret: secret.as_bytes().into(),
        slots: Arc::new(Semaphore::new(queue)),
        receipts: receipts.clone(),
        tx,
        stopped: stopped.clone(),
    };
    let router = Router::new().route(path, post(deliver)).with_state(intake);
    let listener = Listener {
        rx,
        token,
        stopped,
        receipts,
    };
    (listener, router)
}

/// One delivery from Telegram.
async fn deliver(State(intake): State<Intake>, request: Request) -> StatusCode {
    let given = request
        .headers()
        .get(SECRET_HEADER)
        .map_or(&b""[..], |v| v.as_bytes());
    if !bool::from(given.ct_eq(&intake.secret)) {
        return StatusCode::UNAUTHORIZED;
    }
    if too_long(&request) {
        return StatusCode::PAYLOAD_TOO_LARGE;
    }
    let Ok(slot) = intake.slots.clone().try_acquire_owned() else {
        log::debug!("webhook: every queue slot is taken; Telegram will deliver again");
        return StatusCode::SERVICE_UNAVAILABLE;
    };
    let body = match read(request.into_body()).await {
        Ok(body) => body,
        Err(status) => return status,
    };
    let update = match serde_json::from_slice::<Update>(&body) {
        Ok(update) => update,
        Err(e) => {
            // It will not read better the next time: acknowledged.
            log::error!("webhook: an update that is not one: {e}");
            return StatusCode::OK;
        }
    };
    if intake.stopped.is_stopped() {
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    let id = update.id;
    intake.receipts.hold(id, slot);
    if intake.tx.send(update).is_err() {
        intake.receipts.take(id);
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    StatusCode::OK
}

fn too_long(request: &Request) -> bool {
    request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok())
        .is_some_and(|n| n > BODY_LIMIT as u64)
}

/// The body, at most [`BODY_LIMIT`] within [`BODY_TIMEOUT`].
async fn read(body: Body) -> Result<axum::body::Bytes, StatusCode> {
    match tokio::time::timeout(BODY_TIMEOUT, axum::body::to_bytes(body, BODY_LIMIT)).await {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(_)) => Err(StatusCode::PAYLOAD_TOO_LARGE),
        Err(_) => Err(StatusCode::REQUEST_TIMEOUT),
    }
}

/// The updates the route accepted, for the dispatcher.
pub struct Listener {
    rx: mpsc::UnboundedReceiver<Update>,
    token: StopToken,
    stopped: StopFlag,
    receipts: Arc<Receipts>,
}

impl Listener {
    /// Where the dispatcher gives back each update's slot.
    pub fn receipts(&self) -> Arc<Receipts> {
        self.receipts.clone()
    }
}

impl<'a> AsUpdateStream<'a> for Listener {
    type StreamErr = Infallible;
    type Stream = BoxStream<'a, Result<Update, Infallible>>;

    fn as_stream(&'a mut self) -> Self::Stream {
        let stopped = self.stopped.clone();
        let rx = &mut self.rx;
        futures::stream::poll_fn(move |cx| rx.poll_recv(cx))
            .map(Ok)
            .take_until(stopped)
            .boxed()
    }
}

impl UpdateListener for Listener {
    type Err = Infallible;

    fn stop_token(&mut self) -> StopToken {
        self.token.clone()
    }
}
