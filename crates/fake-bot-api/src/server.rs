//! The HTTP side: an accept loop on 127.0.0.1 serving each connection with hyper and an axum
//! router. The loop is ours (not `axum::serve`) so that a scripted fault can close a connection
//! without answering: a handler marks its response with [`DropConnection`] and the connection
//! service turns it into an error, on which hyper closes the socket unanswered.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State as Shared};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tower::ServiceExt;

use crate::dispatch::bot_request;
use crate::reply::{Answer, Failure};
use crate::state::State;

/// The largest request body read: Telegram's 50 MB upload limit and some room for the form.
const MAX_BODY_BYTES: usize = 52 * 1024 * 1024;

/// Response extension asking the connection to close without sending the response.
#[derive(Debug, Clone, Copy)]
struct DropConnection;

/// The error that makes hyper close a connection unanswered.
#[derive(Debug)]
struct ConnectionDropped;

impl std::fmt::Display for ConnectionDropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by a scripted fault")
    }
}

impl std::error::Error for ConnectionDropped {}

/// Binds 127.0.0.1:`port` and serves until `stop` changes or its sender is dropped.
pub(crate) async fn start(
    state: Arc<State>,
    port: u16,
    stop: watch::Receiver<bool>,
) -> std::io::Result<SocketAddr> {
    let listener = TcpListener::bind(("127.0.0.1", port)).await?;
    let addr = listener.local_addr()?;
    let router = crate::control::routes()
        .merge(bot_routes())
        .with_state(state);
    tokio::spawn(accept_loop(listener, router, stop));
    Ok(addr)
}

fn bot_routes() -> Router<Arc<State>> {
    Router::new()
        .route("/{token}/{method}", any(bot_method))
        // Room for a photo over Telegram's 10 MB (answered as Telegram does) and for the 50 MB
        // of other uploads; axum's default of 2 MB would cut uploads off first.
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .fallback(|| async { answer_response(Answer::Err(Failure::not_found())) })
}

async fn bot_method(
    Shared(state): Shared<Arc<State>>,
    Path((token, method)): Path<(String, String)>,
    Query(query): Query<Vec<(String, String)>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let request = crate::dispatch::Incoming {
        token_segment: &token,
        method: &method,
        query: &query,
        content_type,
        body: &body,
    };
    answer_response(bot_request(&state, request).await)
}

/// An answer as an HTTP response with Telegram's status code.
fn answer_response(answer: Answer) -> Response {
    let Some(body) = answer.body() else {
        let mut response = StatusCode::OK.into_response();
        response.extensions_mut().insert(DropConnection);
        return response;
    };
    let status = StatusCode::from_u16(answer.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, axum::Json(body)).into_response()
}

async fn accept_loop(listener: TcpListener, router: Router, mut stop: watch::Receiver<bool>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            accepted = listener.accept() => {
                if let Ok((stream, _)) = accepted {
                    connections.spawn(serve_connection(stream, router.clone()));
                }
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    // Dropping the set aborts every open connection, including waiting long polls.
}

async fn serve_connection(stream: TcpStream, router: Router) {
    let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
        let router = router.clone();
        async move {
            let response = match router.oneshot(request).await {
                Ok(response) => response,
                Err(never) => match never {},
            };
            if response.extensions().get::<DropConnection>().is_some() {
                Err(ConnectionDropped)
            } else {
                Ok(response)
            }
        }
    });
    // A client that goes away mid-request is its own business; nothing to report.
    let _ = http1::Builder::new()
        .serve_connection(TokioIo::new(stream), service)
        .await;
}
