//! The HTTP side's accept loop, with the limits `axum::serve` lacks: at
//! most [`MAX_CONNECTIONS`] served at once (more wait in the kernel's
//! backlog), and a request's head must arrive within [`HEADER_TIMEOUT`]
//! (idle keep-alive connections included), so idle or slow connections
//! cannot hold the webhook's deliveries out for long.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

/// Connections served at once: Telegram's 40 webhook connections per
/// replica, scrapes and probes, with room for idle clients.
pub const MAX_CONNECTIONS: usize = 512;

/// A request's headers must arrive within this.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// After `stop`, requests in progress get this long to finish.
const DRAIN: Duration = Duration::from_secs(3);

/// Serves `app` on `listener` until `stop` turns true.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    mut stop: watch::Receiver<bool>,
) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let mut connections = JoinSet::new();
    loop {
        let accepted = tokio::select! {
            accepted = accept(&listener, &slots) => accepted,
            () = stopped(&mut stop) => break,
        };
        let Some((stream, slot)) = accepted else {
            continue;
        };
        let service = TowerToHyperService::new(app.clone());
        let stop = stop.clone();
        connections.spawn(async move {
            let _slot = slot;
            serve_one(stream, service, stop).await;
        });
        while connections.try_join_next().is_some() {}
    }
    let drained = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(DRAIN, drained).await.is_err() {
        connections.abort_all();
    }
    Ok(())
}

/// The next connection, once a slot is free; `None` if accepting failed
/// (out of file descriptors, say: a moment's pause, then on).
async fn accept(
    listener: &TcpListener,
    slots: &Arc<Semaphore>,
) -> Option<(tokio::net::TcpStream, tokio::sync::OwnedSemaphorePermit)> {
    let slot = slots.clone().acquire_owned().await.ok()?;
    match listener.accept().await {
        Ok((stream, _)) => Some((stream, slot)),
        Err(e) => {
            log::warn!("HTTP side: could not accept a connection: {e}");
            tokio::time::sleep(Duration::from_millis(100)).await;
            None
        }
    }
}

async fn serve_one(
    stream: tokio::net::TcpStream,
    service: TowerToHyperService<Router>,
    mut stop: watch::Receiver<bool>,
) {
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT);
    let connection = builder.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(connection);
    tokio::select! {
        _ = connection.as_mut() => {}
        () = stopped(&mut stop) => {
            connection.as_mut().graceful_shutdown();
            let _ = connection.await;
        }
    }
}

/// Resolves once `stop` is (or was) true, or its sender is gone.
async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|stop| *stop).await;
}
