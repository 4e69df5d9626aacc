//! The operator's window on a running bot: `/healthz`, `/readyz` and
//! `/metrics` on one small axum server, off unless `STUDYBOT_HTTP` names an
//! address.
//!
//! It only reads: the Prometheus recorder that `telemetry` feeds, the
//! database (one trivial query), and when each platform last answered.
//! Every route is a GET that changes nothing. It stops with the bot. In
//! Telegram's webhook mode it also serves the webhook's route (see
//! `telegram::webhook`), which is the only one that takes a POST.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::domain::Platform;
use crate::ops::connections;
use crate::ops::telemetry;
use crate::study::Engine;

/// A platform not heard from for this long makes the bot not ready. The
/// Discord gateway answers a heartbeat every ~40 s, and a quiet Telegram
/// bot asks `getMe` every minute, so only a bot cut off goes this long.
pub const STALE: Duration = Duration::from_secs(180);

/// How long `/readyz` waits for the database.
const DATABASE_PATIENCE: Duration = Duration::from_secs(1);

/// Reply latency buckets, in seconds.
const REPLY_BUCKETS: [f64; 10] = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    #[error("STUDYBOT_HTTP={addr}: cannot listen there: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot set up the metrics recorder: {0}")]
    Recorder(String),
}

/// The process's Prometheus recorder, installed on first call. `metrics`
/// allows one recorder per process, so later calls share it.
pub fn recorder() -> Result<PrometheusHandle, HttpError> {
    static HANDLE: Mutex<Option<PrometheusHandle>> = Mutex::new(None);
    let mut handle = HANDLE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(handle) = handle.as_ref() {
        return Ok(handle.clone());
    }
    let installed = PrometheusBuilder::new()
        .set_buckets_for_metric(
            Matcher::Full(telemetry::REPLY_SECONDS.into()),
            &REPLY_BUCKETS,
        )
        .and_then(PrometheusBuilder::install_recorder)
        .map_err(|e| HttpError::Recorder(e.to_string()))?;
    telemetry::watched();
    Ok(handle.insert(installed).clone())
}

/// What the routes read.
#[derive(Clone)]
struct Probe {
    engine: Engine,
    platforms: Arc<[Platform]>,
    metrics: PrometheusHandle,
}

/// The server, bound and not yet serving.
pub struct Server {
    listener: TcpListener,
    probe: Probe,
    /// Routes of others served here too (the Telegram webhook).
    more: Router,
}

impl Server {
    /// Listens on `addr`; `platforms` are those `/readyz` requires.
    pub async fn bind(
        addr: SocketAddr,
        engine: Engine,
        platforms: Vec<Platform>,
        metrics: PrometheusHandle,
    ) -> Result<Server, HttpError> {
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| HttpError::Bind { addr, source })?;
        let probe = Probe {
            engine,
            platforms: platforms.into(),
            metrics,
        };
        let more = Router::new();
        Ok(Server {
            listener,
            probe,
            more,
        })
    }

    /// Serves `routes` too; their paths must differ from this server's.
    pub fn with_routes(mut self, routes: Router) -> Server {
        self.more = self.more.merge(routes);
        self
    }

    /// The address it listens on (the port chosen, for `:0`).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `stop` turns true; requests in progress finish.
    pub async fn serve(self, stop: watch::Receiver<bool>) -> std::io::Result<()> {
        let upkeep = tokio::spawn(upkeep(self.probe.metrics.clone(), stop.clone()));
        let app = Router::new()
            .route("/healthz", get(healthz))
            .route("/readyz", get(readyz))
            .route("/metrics", get(render))
            .with_state(self.probe)
            .merge(self.more);
        log::info!(
            "health and metrics on http://{}",
            self.listener.local_addr()?
        );
        let served = connections::serve(self.listener, app, stop).await;
        upkeep.abort();
        served
    }
}

/// Histograms are drained into the exporter's buckets here, not at each
/// scrape; without a listener of its own the recorder leaves it to us.
async fn upkeep(metrics: PrometheusHandle, mut stop: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(5)) => metrics.run_upkeep(),
            _ = stop.wait_for(|stop| *stop) => return,
        }
    }
}

async fn healthz() -> &'static str {
    "ok\n"
}

/// 200 when the database answers and every platform answered recently;
/// else 503 with one line per reason.
async fn readyz(State(probe): State<Probe>) -> impl IntoResponse {
    let mut reasons = Vec::new();
    match tokio::time::timeout(DATABASE_PATIENCE, probe.engine.database_answers()).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => reasons.push(format!("database: {e}")),
        Err(_) => reasons.push(format!(
            "database: no answer within {} s",
            DATABASE_PATIENCE.as_secs()
        )),
    }
    for &platform in probe.platforms.iter() {
        match telemetry::since_reached(platform) {
            Some(quiet) if quiet <= STALE => {}
            Some(quiet) => reasons.push(format!(
                "{}: not reached for {} s",
                platform.as_str(),
                quiet.as_secs()
            )),
            None => reasons.push(format!("{}: not reached yet", platform.as_str())),
        }
    }
    if reasons.is_empty() {
        (StatusCode::OK, "ready\n".to_string())
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("{}\n", reasons.join("\n")),
        )
    }
}

async fn render(State(probe): State<Probe>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        probe.metrics.render(),
    )
}
