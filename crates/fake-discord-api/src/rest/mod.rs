//! The REST side: one axum fallback handler matches `/api/v10/…` itself (so unknown routes and
//! wrong methods answer Discord's 404/405 bodies), checks the token, spends the rate-limit
//! buckets, runs the route's handler under the state lock, and records the request.

mod app;
mod channels;
mod dms;
mod interactions;
mod pins;
mod routes;
mod threads;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::State as Shared;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::error::ApiError;
use crate::limits::{BucketState, Limited};
use crate::multipart::{self, Upload};
use crate::records::{File, Outcome, Request};
use crate::state::{Inner, State};
use routes::{Route, match_route};

/// What a route handler answers: a status and an optional JSON body.
pub(crate) type Handled = Result<(u16, Option<Value>), ApiError>;

pub(crate) async fn start(
    state: Arc<State>,
    port: u16,
    mut stop: watch::Receiver<bool>,
) -> std::io::Result<SocketAddr> {
    let listener = TcpListener::bind(("127.0.0.1", port)).await?;
    let addr = listener.local_addr()?;
    // Discord takes bodies past its 10 MiB upload limit and answers them 413 40005 itself.
    let router = crate::control::routes()
        .fallback(handle)
        .layer(axum::extract::DefaultBodyLimit::max(64 << 20))
        .with_state(state);
    tokio::spawn(async move {
        let shutdown = async move {
            let _ = stop.changed().await;
        };
        let _ = axum::serve(listener, router)
            .with_graceful_shutdown(shutdown)
            .await;
    });
    Ok(addr)
}

async fn handle(
    Shared(state): Shared<Arc<State>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let now = Instant::now();
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let incoming = Incoming::read(&body, content_type);
    let outage = state.lock().faults.outage(now);
    if let Some(status) = outage {
        record(&state, &method, &uri, &body, status, None);
        state.wake();
        return outage_response(status);
    }
    let (status, body_out, bucket, limited) = {
        let mut inner = state.lock();
        let request = (&method, &uri, &headers);
        let answer = answer(&state, &mut inner, request, &incoming, now);
        let (status, body_out, bucket, limited) = answer;
        let code = body_out
            .as_ref()
            .and_then(|b| b.get("code"))
            .and_then(Value::as_u64);
        let outcome = outcome(status, code);
        inner.requests.push(Request {
            method: method.to_string(),
            path: uri.path().to_string(),
            body: incoming.recorded(&body),
            status,
            code: if status >= 400 { code } else { None },
            outcome,
            files: incoming.files_recorded(),
            at: now,
        });
        (status, body_out, bucket, limited)
    };
    state.wake();
    respond(status, body_out, bucket, limited)
}

/// A request body: JSON, or a `multipart/form-data` form of `payload_json` and files.
struct Incoming {
    json: Result<Value, ApiError>,
    files: Vec<Upload>,
    form: bool,
}

impl Incoming {
    fn read(body: &[u8], content_type: &str) -> Incoming {
        let json = |bytes: &[u8]| match bytes.is_empty() {
            true => Ok(json!({})),
            false => serde_json::from_slice(bytes).map_err(|_| ApiError::invalid_json()),
        };
        let Some(boundary) = multipart::boundary(content_type) else {
            return Incoming {
                json: json(body),
                files: Vec::new(),
                form: false,
            };
        };
        match multipart::parse(body, &boundary) {
            Ok(form) => Incoming {
                json: json(form.payload.as_deref().unwrap_or_default()),
                files: form.files,
                form: true,
            },
            Err(why) => Incoming {
                json: Err(ApiError::invalid_field("_root", "MULTIPART_INVALID", &why)),
                files: Vec::new(),
                form: true,
            },
        }
    }

    /// The body as recorded: the JSON (a form's `payload_json`), else the text received.
    fn recorded(&self, body: &[u8]) -> Value {
        match (&self.json, self.form) {
            (Ok(value), _) => value.clone(),
            (Err(error), true) => error.body(),
            (Err(_), false) => Value::String(String::from_utf8_lossy(body).into_owned()),
        }
    }

    fn files_recorded(&self) -> Vec<File> {
        self.files
            .iter()
            .map(|u| File {
                id: u.index,
                filename: u.filename.clone(),
                size: u.bytes.len(),
                bytes: u.bytes.clone(),
            })
            .collect()
    }
}

fn outcome(status: u16, code: Option<u64>) -> Outcome {
    match (status, code) {
        (200..=299, _) => Outcome::Ok,
        (429, _) => Outcome::RateLimited,
        (403, Some(50001 | 50007 | 50013 | 160002)) | (404, Some(10003)) => Outcome::Refused,
        _ => Outcome::Rejected,
    }
}

/// Records a request answered by an outage (the body kept as text).
fn record(
    state: &State,
    method: &Method,
    uri: &Uri,
    body: &Bytes,
    status: u16,
    at: Option<Instant>,
) {
    let body = String::from_utf8_lossy(body).into_owned();
    state.lock().requests.push(Request {
        method: method.to_string(),
        path: uri.path().to_string(),
        body: serde_json::from_str(&body).unwrap_or(Value::String(body)),
        status,
        code: None,
        outcome: Outcome::Outage,
        files: Vec::new(),
        at: at.unwrap_or_else(Instant::now),
    });
}

/// Cloudflare's HTML page with the outage's status.
fn outage_response(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    let page = crate::faults::outage_page(status.as_u16());
    let mut response = (status, page).into_response();
    response.headers_mut().insert(
        "content-type",
        HeaderValue::from_static("text/html; charset=UTF-8"),
    );
    response
}

type Answer = (u16, Option<Value>, Option<BucketState>, Option<Limited>);

fn answer(
    state: &State,
    inner: &mut Inner,
    (method, uri, headers): (&Method, &Uri, &HeaderMap),
    incoming: &Incoming,
    now: Instant,
) -> Answer {
    let fail = |e: ApiError| (e.status, Some(e.body()), None, None);
    let Some((route, methods)) = match_route(uri.path()) else {
        return fail(ApiError::not_found());
    };
    if !methods.contains(method) {
        return fail(ApiError::method_not_allowed());
    }
    let expected = format!("Bot {}", state.config.token);
    let authorized =
        headers.get("authorization").and_then(|v| v.to_str().ok()) == Some(expected.as_str());
    if route.needs_bot_token() && !authorized {
        return fail(ApiError::unauthorized());
    }
    let interaction = match &route {
        Route::Followup { token, .. } | Route::WebhookMessage { token, .. } => {
            inner.interactions.by_token.get(token).copied()
        }
        _ => None,
    };
    let spends = !(matches!(route, Route::Commands { .. }) && *method == Method::GET);
    let bucket = route
        .bucket(&state.config.limits, interaction)
        .filter(|_| spends);
    let global = route
        .counts_globally()
        .then_some(state.config.limits.global_per_second);
    let (shown, verdict) = inner.limiter.admit(bucket, global, inner.rate_limits, now);
    if let Err(limited) = verdict {
        let body = json!({
            "message": "You are being rate limited.",
            "retry_after": seconds(limited.retry_after),
            "global": limited.global,
        });
        return (429, Some(body), shown, Some(limited));
    }
    if let Route::ChannelMessages { channel } = &route
        && let Some((body, limited)) = inner.faults.write_limited(*channel, now)
    {
        return (429, Some(body), None, Some(limited));
    }
    if let Route::MessageThread { channel, .. } = &route
        && let Some((body, limited)) = inner.faults.thread_limited(*channel, now)
    {
        return (429, Some(body), None, Some(limited));
    }
    let body = match &incoming.json {
        Ok(body) => body,
        Err(error) => return (error.status, Some(error.body()), shown, None),
    };
    let files = incoming.files.as_slice();
    if !files.is_empty() && !route.takes_files() {
        let error =
            ApiError::invalid_field("files", "FILES_NOT_ALLOWED", "This route takes no files");
        return (error.status, Some(error.body()), shown, None);
    }
    let handled = match &route {
        Route::GatewayBot => app::gateway_bot(inner, now),
        Route::CurrentUser => Ok((200, Some(crate::payloads::bot_user(&state.config)))),
        Route::CurrentApplication => Ok((200, Some(crate::payloads::application(&state.config)))),
        Route::Commands { app, guild } => app::commands(state, inner, method, *app, *guild, body),
        Route::Callback { id, token } => {
            interactions::callback(state, inner, (*id, token), (body, files), now)
        }
        Route::Followup { app, token } => {
            interactions::followup(state, inner, (*app, token), (body, files), now)
        }
        Route::WebhookMessage {
            app,
            token,
            message,
        } => {
            let target = (*app, token.as_str(), *message);
            interactions::original(state, inner, method, target, (body, files), now)
        }
        Route::ChannelMessages { channel } => {
            channels::create_message(state, inner, *channel, (body, files))
        }
        Route::CreateDm => dms::create_dm(inner, body),
        Route::MessageThread { channel, message } => {
            threads::start_from_message(inner, *channel, *message, body)
        }
        Route::Pin {
            channel, message, ..
        } => pins::pin(state, inner, method, *channel, *message),
    };
    match handled {
        Ok((status, body)) => (status, body, shown, None),
        Err(error) => (error.status, Some(error.body()), shown, None),
    }
}

fn seconds(duration: std::time::Duration) -> f64 {
    (duration.as_secs_f64() * 1000.0).ceil() / 1000.0
}

fn respond(
    status: u16,
    body: Option<Value>,
    bucket: Option<BucketState>,
    limited: Option<Limited>,
) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = match body {
        Some(body) => (status, axum::Json(body)).into_response(),
        None => status.into_response(),
    };
    let headers = response.headers_mut();
    let mut put = |name: &'static str, value: String| {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    };
    if let Some(bucket) = bucket {
        let reset_after = seconds(bucket.reset_after);
        put("x-ratelimit-limit", bucket.limit.to_string());
        put("x-ratelimit-remaining", bucket.remaining.to_string());
        put("x-ratelimit-reset-after", format!("{reset_after:.3}"));
        put(
            "x-ratelimit-reset",
            format!("{:.3}", crate::ids::unix_seconds_f64() + reset_after),
        );
        put("x-ratelimit-bucket", bucket.hash.to_string());
    }
    if let Some(limited) = limited {
        put(
            "retry-after",
            limited
                .retry_after
                .as_secs_f64()
                .ceil()
                .max(1.0)
                .to_string(),
        );
        let scope = match (limited.global, limited.shared) {
            (true, _) => "global",
            (false, true) => "shared",
            (false, false) => "user",
        };
        put("x-ratelimit-scope", scope.to_string());
        if limited.global {
            put("x-ratelimit-global", "true".to_string());
        }
    }
    response
}
