//! `studybot run`: settings, the bank and the database, the replica set on
//! PostgreSQL, the HTTP side, then every platform whose token is set, until
//! a signal.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use studybot::bank::Bank;
use studybot::config::operator::ConfigFileError;
use studybot::config::{ConfigError, Settings};
use studybot::ops::{http, logging};
use studybot::reload::{PidFile, Reloader};
use studybot::replica::{self, Replica};
use studybot::store::Store;
use studybot::study::{Engine, EngineConfig};
use tokio::sync::watch;

use super::adapters::{self, Adapter};
use super::bank::report_bank_errors;

/// The bot's async runtime: one thread. The bot waits on the network and
/// the database nearly all the time, and SQLite's statements run on
/// threads of their own; what costs CPU (a `/stats` picture, a reload of
/// the bank) goes to blocking threads. A second worker only added thread
/// hand-overs: on the same 300-chat fan-out and 50-chat `/ask` burst, CPU a
/// post 0.500 → 0.267–0.300 ms and the burst's median reply 25.3 → 13.4–14.2
/// ms (BENCHMARKS.md, issue 19).
fn bot_runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// Loads settings, the bank and the database, then serves every platform
/// whose token is set.
pub fn run() -> anyhow::Result<ExitCode> {
    super::memory::limit_malloc_arenas();
    let settings = match Settings::from_env() {
        Err(ConfigError::File(errors)) => return Ok(refuse_config(&errors)),
        settings => settings?,
    };
    logging::init(settings.secrets());
    settings.require_a_platform()?;
    let telegram_token = match settings.token {
        Some(_) => Some(settings.require_token()?.to_owned()),
        None => None,
    };
    let bank = match Bank::load(&settings.content) {
        Ok(bank) => bank,
        Err(errors) => {
            report_bank_errors(&errors);
            eprintln!("studybot: the bank has errors; the bot does not start until they are fixed");
            return Ok(ExitCode::FAILURE);
        }
    };
    if let Some(Err(errors)) = settings.operator.as_ref().map(|o| o.check_bank(&bank)) {
        return Ok(refuse_config(&errors));
    }
    // Before the engine exists, so the bank's size is recorded from the start.
    let metrics = settings.http.map(|_| http::recorder()).transpose()?;
    let runtime = bot_runtime()?;
    runtime.block_on(async {
        let store = Store::open(&settings.database).await?;
        log::info!(
            "bank: {} questions in {} decks; database: {}",
            bank.len(),
            bank.decks().len(),
            studybot::store::redacted(&settings.database)
        );
        let config = EngineConfig {
            default_lang: settings.lang,
            default_zone: settings.timezone.clone(),
            grace: settings.grace,
        };
        if settings.admins.is_empty() {
            log::info!("STUDYBOT_ADMINS is not set: reports are stored only (`studybot reports`)");
        }
        let replica = join_replicas(&settings.database).await?;
        let mut engine = Engine::new(Arc::new(bank), store, config)
            .with_report_admins(settings.admins.clone())
            .with_content(settings.content.clone());
        if let Some(replica) = &replica {
            engine = engine.with_replica(replica.clone());
        }
        if let Some(operator) = &settings.operator {
            let applied = engine
                .apply_operator_chats(operator, jiff::Timestamp::now())
                .await?;
            log::info!(
                "{}: {} chat plans set, {} unchanged, {} handed back to their chats",
                operator.path.display(),
                applied.set,
                applied.unchanged,
                applied.released
            );
        }
        // SIGHUP reloads from here on; only then may `studybot reload` find the bot.
        let reloader = Reloader::start(
            engine.clone(),
            settings.content.clone(),
            settings.operator.as_ref().map(|o| o.path.clone()),
        );
        let pid_file = PidFile::create(&settings.pid_file)
            .inspect_err(|e| {
                log::warn!("{e}; `studybot reload` will not find the bot, SIGHUP still reloads")
            })
            .ok();
        let (adapters, routes) = adapters::configured(&settings, telegram_token);
        let server = match (settings.http, metrics) {
            (Some(addr), Some(metrics)) => {
                let platforms = settings.platforms();
                let server = http::Server::bind(addr, engine.clone(), platforms, metrics).await?;
                Some(match routes {
                    Some(routes) => server.with_routes(routes),
                    None => server,
                })
            }
            _ => None,
        };
        let served = serve_platforms(&engine, adapters, server).await;
        drop((pid_file, reloader));
        // The engine's handles hold the replica too: close them first.
        engine.close().await;
        drop(engine);
        if let Some(replica) = replica.and_then(Arc::into_inner) {
            replica.leave().await;
        }
        served?;
        anyhow::Ok(ExitCode::SUCCESS)
    })
}

/// On PostgreSQL, joins the other bots on the database as one replica.
async fn join_replicas(database: &str) -> anyhow::Result<Option<Arc<Replica>>> {
    if !replica::is_postgres_url(database) {
        return Ok(None);
    }
    let replica = Replica::join(database).await?;
    let live = *replica.live_count().borrow();
    log::info!("replica {} joined ({live} live)", replica.id());
    Ok(Some(Arc::new(replica)))
}

/// Reports each located mistake of the config file and refuses to start.
fn refuse_config(errors: &ConfigFileError) -> ExitCode {
    for line in &errors.0 {
        eprintln!("studybot: {line}");
    }
    eprintln!("studybot: the config file has errors; the bot does not start until they are fixed");
    ExitCode::FAILURE
}

/// Serves every adapter, and the HTTP side, until a signal; if one platform
/// cannot start or stops, the others stop too and the error is reported.
async fn serve_platforms(
    engine: &Engine,
    adapters: Vec<Adapter>,
    server: Option<http::Server>,
) -> anyhow::Result<()> {
    let stop = studybot::runtime::shutdown::on_signal();
    let (stop_all, _) = watch::channel(false);
    let either = |mut outer: watch::Receiver<bool>| {
        let mut inner = stop_all.subscribe();
        let (tx, rx) = watch::channel(false);
        tokio::spawn(async move {
            tokio::select! {
                _ = outer.wait_for(|s| *s) => {}
                _ = inner.wait_for(|s| *s) => {}
            }
            let _ = tx.send(true);
        });
        rx
    };
    let platforms = adapters.into_iter().map(|adapter| {
        let (engine, stop) = (engine.clone(), either(stop.clone()));
        let stop_all = &stop_all;
        async move {
            let done = adapter.serve(engine, stop).await;
            let _ = stop_all.send(true);
            done
        }
    });
    let http = async {
        let Some(server) = server else {
            return Ok(());
        };
        let done = server.serve(either(stop.clone())).await;
        done.context("the health and metrics server failed")
    };
    let (platforms, http) = tokio::join!(futures::future::join_all(platforms), http);
    platforms.into_iter().chain([http]).collect()
}
