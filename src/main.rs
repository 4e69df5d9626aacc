//! The `studybot` command line: parses arguments and hands each subcommand to
//! the library. No logic lives here beyond turning results into exit codes
//! and messages a person can act on.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use rand::seq::IndexedRandom;
use std::sync::Arc;
use studybot::bank::{Bank, BankErrors};
use studybot::clock::Clock;
use studybot::config::{ConfigError, Settings};
use studybot::console::{self, Database, Seat};
use studybot::discord;
use studybot::import;
use studybot::operator_config::ConfigFileError;
use studybot::post::{Post, PostQuiz, QuizPoll};
use studybot::reload::{PidFile, Reloader};
use studybot::replica::{self, Replica};
use studybot::store::Store;
use studybot::study::{Engine, EngineConfig, Lang};
use studybot::telegram::{self, Connection, LimitConfig};
use studybot::{http, logging, render, study};

#[derive(Parser)]
#[command(name = "studybot", version, about = "A study bot for chat groups")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the bot (the default): Telegram when TELOXIDE_TOKEN is set, Discord when
    /// DISCORD_TOKEN is set, both at once on one database, until SIGINT/SIGTERM.
    Run,
    /// Make the running bot load its question bank again (SIGHUP, through the pid file
    /// `studybot run` writes: $STUDYBOT_PID_FILE, default beside the database). The bot
    /// keeps the bank it has if the new one has errors; they are printed here too.
    Reload,
    /// Validate a question bank and print a summary (exit 1 on errors).
    Check {
        /// The content directory (default: $STUDYBOT_CONTENT or `content`);
        /// `-` reads one deck from standard input.
        dir: Option<PathBuf>,
    },
    /// Print a question as the bot would post it (a random one without ID).
    Preview {
        /// The question id (see `studybot check` for the decks, or the
        /// `id:` lines in content/*.yaml).
        id: Option<String>,
        /// Also print the answer and analysis post.
        #[arg(long)]
        answer: bool,
        /// Print Telegram HTML instead of plain text.
        #[arg(long, conflicts_with = "discord")]
        html: bool,
        /// Print the Discord messages' content (Discord Markdown, split at 2,000 characters)
        /// instead of plain text.
        #[arg(long)]
        discord: bool,
        /// The content directory (default: $STUDYBOT_CONTENT or `content`).
        #[arg(long, value_name = "DIR")]
        content: Option<PathBuf>,
    },
    /// Talk to the bot at this terminal: no token, no network. Lines are
    /// commands (/ask, /answer, /help…); a number presses that button;
    /// Ctrl-D or /quit ends.
    Chat {
        /// The session's database (default: sqlite://studybot-chat.db, not
        /// the bot's).
        #[arg(long, value_name = "URL", conflicts_with = "memory")]
        database: Option<String>,
        /// Keep nothing: an in-memory database, gone on exit.
        #[arg(long)]
        memory: bool,
        /// Be an administrator of the group (with --group): settings such as
        /// /daily and /lang need it.
        #[arg(long)]
        as_admin: bool,
        /// Talk in a group chat instead of a private one.
        #[arg(long)]
        group: bool,
        /// Your language until the chat picks one with /lang (default:
        /// $STUDYBOT_LANG or zh).
        #[arg(long, value_name = "zh|en", value_parser = parse_lang)]
        lang: Option<Lang>,
    },
    /// Turn Markdown interview-question documents into deck YAML: the
    /// questions it can read are written, the rest reported as file:line.
    #[command(after_help = import_shapes_help())]
    Import {
        /// The Markdown documents (UTF-8, UTF-16 with a BOM, or GBK/GB18030).
        #[arg(required = true, value_name = "FILE.md")]
        files: Vec<PathBuf>,
        /// The deck id (default: from the file name).
        #[arg(long, value_name = "ID")]
        deck: Option<String>,
        /// The deck title (default: the document's title heading).
        #[arg(long, value_name = "T")]
        title: Option<String>,
        /// Write the YAML to this file, or into this directory as DECK.yaml
        /// (several documents need a directory); default: stdout.
        #[arg(short, long, value_name = "FILE.yaml|DIR")]
        output: Option<PathBuf>,
        /// All or nothing: write nothing when any section is skipped.
        #[arg(long)]
        strict: bool,
        /// Replace an output file that exists.
        #[arg(long)]
        force: bool,
    },
    /// List the problems people reported with questions (newest first), from
    /// $STUDYBOT_DATABASE.
    Reports {
        /// Show at most this many.
        #[arg(long, value_name = "N", default_value_t = 50)]
        limit: u32,
    },
    /// Copy the SQLite database ($STUDYBOT_DATABASE) to FILE while the bot
    /// runs: one consistent snapshot (VACUUM INTO). For PostgreSQL use pg_dump.
    Backup {
        /// Where to write the copy.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
        /// Replace FILE if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Copy every row of one database into another, empty one: SQLite to
    /// PostgreSQL or back (stop the bot first). Prints the rows per table.
    MigrateStore {
        /// The database to read, e.g. sqlite://studybot.db.
        #[arg(long, value_name = "URL")]
        from: String,
        /// The empty database to fill, e.g. postgres://bot@db/studybot.
        #[arg(long, value_name = "URL")]
        to: String,
    },
    /// Write a deck back as Markdown (the seed's shape), to edit and import again.
    Export {
        /// The deck id (`studybot check` lists them).
        deck: String,
        /// Write to this file instead of stdout.
        #[arg(short, long, value_name = "FILE.md")]
        output: Option<PathBuf>,
        /// Replace an output file that exists.
        #[arg(long)]
        force: bool,
        /// The content directory (default: $STUDYBOT_CONTENT or `content`).
        #[arg(long, value_name = "DIR")]
        content: Option<PathBuf>,
    },
}

fn import_shapes_help() -> String {
    format!("Shapes read:\n{}", import::SHAPES_READ)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, None | Some(Command::Run)) {
        end_quietly_on_closed_pipe();
    }
    let result = match cli.command {
        Some(Command::Check { dir }) => check(dir),
        Some(Command::Reload) => reload(),
        Some(Command::Preview {
            id,
            answer,
            html,
            discord,
            content,
        }) => {
            let format = match (html, discord) {
                (true, _) => PreviewFormat::TelegramHtml,
                (_, true) => PreviewFormat::Discord,
                _ => PreviewFormat::Plain,
            };
            preview(content, id.as_deref(), answer, format)
        }
        Some(Command::Chat {
            database,
            memory,
            as_admin,
            group,
            lang,
        }) => chat(
            Database::from_args(database, memory),
            Seat {
                group,
                as_admin,
                lang,
            },
        ),
        Some(Command::Import {
            files,
            deck,
            title,
            output,
            strict,
            force,
        }) => import(import::Request {
            files,
            deck,
            title,
            output,
            strict,
            force,
        }),
        Some(Command::Export {
            deck,
            output,
            force,
            content,
        }) => export(content, &deck, output.as_deref(), force),
        Some(Command::Reports { limit }) => reports(limit),
        Some(Command::Backup { output, force }) => backup(&output, force),
        Some(Command::MigrateStore { from, to }) => migrate_store(&from, &to),
        None | Some(Command::Run) => run(),
    };
    result.unwrap_or_else(|error| {
        eprintln!("studybot: {error:#}");
        ExitCode::FAILURE
    })
}

/// A closed pipe (`studybot preview | head`) ends the process quietly, as it
/// does any Unix tool, instead of a panic in `println!`. The bot (`run`)
/// keeps Rust's default (SIGPIPE ignored): it prints only logs, and its
/// sockets must report a closed peer as an error, not end the process.
fn end_quietly_on_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: called at the start of `main`, before any other thread
    // exists; SIG_DFL is a valid disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// Loads settings, the bank and the database, then serves every platform
/// whose token is set.
fn run() -> anyhow::Result<ExitCode> {
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
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
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
        let mut engine =
            Engine::new(Arc::new(bank), store, config).with_report_admins(settings.admins.clone());
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
        let (server, webhook) = match (settings.http, metrics) {
            (Some(addr), Some(metrics)) => {
                let platforms = settings.platforms();
                let server = http::Server::bind(addr, engine.clone(), platforms, metrics).await?;
                match &settings.webhook {
                    Some(hook) => {
                        let (webhook, routes) = telegram::Webhook::listen(hook, addr);
                        (Some(server.with_routes(routes)), Some(webhook))
                    }
                    None => (Some(server), None),
                }
            }
            _ => (None, None),
        };
        let telegram = telegram_token.map(|token| (token, webhook));
        let served = serve_platforms(&engine, &settings, telegram, server, replica.clone()).await;
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

/// Serves Telegram and/or Discord until a signal; if one cannot start, the
/// other stops too and the error is reported.
async fn serve_platforms(
    engine: &Engine,
    settings: &Settings,
    telegram: Option<(String, Option<telegram::Webhook>)>,
    server: Option<http::Server>,
    replica: Option<Arc<Replica>>,
) -> anyhow::Result<()> {
    let stop = studybot::shutdown::on_signal();
    let (stop_all, _) = tokio::sync::watch::channel(false);
    let stop_all = Arc::new(stop_all);
    let either = |mut outer: tokio::sync::watch::Receiver<bool>| {
        let mut inner = stop_all.subscribe();
        let (tx, rx) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            tokio::select! {
                _ = outer.wait_for(|s| *s) => {}
                _ = inner.wait_for(|s| *s) => {}
            }
            let _ = tx.send(true);
        });
        rx
    };
    let clock = Clock::system();
    let telegram = async {
        let Some((token, webhook)) = telegram else {
            return Ok(());
        };
        let connection = Connection {
            token,
            api_url: settings.api_url.clone(),
            limits: LimitConfig::default(),
            webhook,
        };
        let (engine, clock, stop) = (engine.clone(), clock.clone(), either(stop.clone()));
        let done = match replica.clone() {
            None => telegram::serve(engine, connection, clock, stop).await,
            Some(r) => telegram::serve_replica(engine, connection, clock, stop, r).await,
        };
        let _ = stop_all.send(true);
        done.map_err(anyhow::Error::from)
    };
    let discord = async {
        let Some(d) = &settings.discord else {
            return Ok(());
        };
        let connection = discord::Connection {
            token: d.token.clone(),
            api_url: d.api_url.clone(),
            gateway_url: d.gateway_url.clone(),
            guild_id: d.guild_id,
        };
        let (engine, clock, stop) = (engine.clone(), clock.clone(), either(stop.clone()));
        let done = match replica.clone() {
            None => discord::serve(engine, connection, clock, stop).await,
            Some(r) => discord::serve_replica(engine, connection, clock, stop, r).await,
        };
        let _ = stop_all.send(true);
        done.map_err(anyhow::Error::from)
    };
    let http = async {
        let Some(server) = server else {
            return Ok(());
        };
        let done = server.serve(either(stop.clone())).await;
        done.context("the health and metrics server failed")
    };
    let (telegram, discord, http) = tokio::join!(telegram, discord, http);
    telegram.and(discord).and(http)
}

/// `studybot backup -o FILE`: a consistent copy of the running bot's database.
fn backup(output: &Path, force: bool) -> anyhow::Result<ExitCode> {
    let settings = Settings::from_env()?;
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    let size = runtime.block_on(studybot::store::backup(&settings.database, output, force))?;
    println!(
        "studybot: copied {} to {} ({} KiB)",
        settings.database,
        output.display(),
        size.div_ceil(1024)
    );
    Ok(ExitCode::SUCCESS)
}

/// `studybot migrate-store --from URL --to URL`: copies one store into another.
fn migrate_store(from: &str, to: &str) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    let counts = runtime.block_on(studybot::store::copy_store(from, to))?;
    for count in &counts {
        println!("{:<16} {:>9} rows", count.table, count.rows);
    }
    println!(
        "studybot: copied {} to {}",
        studybot::store::redacted(from),
        studybot::store::redacted(to)
    );
    Ok(ExitCode::SUCCESS)
}

/// `studybot reports`: the stored reports, newest first.
fn reports(limit: u32) -> anyhow::Result<ExitCode> {
    let settings = Settings::from_env()?;
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    let rows = runtime.block_on(async {
        let store = Store::open(&settings.database).await?;
        let rows = store.reports(limit).await;
        store.close().await;
        rows
    })?;
    if rows.is_empty() {
        println!(
            "no reports in {}",
            studybot::store::redacted(&settings.database)
        );
    }
    for r in rows {
        let at = jiff::Timestamp::from_second(r.at).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        let chat = r.chat_title.as_deref().unwrap_or("-");
        println!(
            "#{} {} question: {}",
            r.id,
            at.strftime("%Y-%m-%d %H:%M UTC"),
            r.question_id
        );
        println!(
            "  chat: {chat} ({}), from: {}:{}",
            r.chat_id, r.person.platform, r.person.id
        );
        println!("  {}\n", r.text.replace('\n', "\n  "));
    }
    Ok(ExitCode::SUCCESS)
}

/// A console session over the engine, on its own database.
fn chat(database: Database, seat: Seat) -> anyhow::Result<ExitCode> {
    let settings = Settings::from_env()?;
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let bank = match Bank::load(&settings.content) {
        Ok(bank) => bank,
        Err(errors) => {
            report_bank_errors(&errors);
            return Ok(ExitCode::FAILURE);
        }
    };
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    let result = runtime.block_on(async {
        let store = database.open().await?;
        let config = EngineConfig {
            default_lang: seat.lang.unwrap_or(settings.lang),
            default_zone: settings.timezone.clone(),
            grace: settings.grace,
        };
        let engine = Engine::new(Arc::new(bank), store, config);
        console::run(engine, seat, &database).await?;
        anyhow::Ok(ExitCode::SUCCESS)
    });
    // A read of standard input may still be blocked in its thread: do not
    // wait for a line that will never come.
    runtime.shutdown_background();
    result
}

fn parse_lang(code: &str) -> Result<Lang, String> {
    Lang::parse(code).ok_or_else(|| format!("`{code}` is not a language I speak: use zh or en"))
}

/// The content directory: the argument, else $STUDYBOT_CONTENT, else `content`.
fn content_dir(arg: Option<PathBuf>) -> PathBuf {
    arg.or_else(|| std::env::var_os("STUDYBOT_CONTENT").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("content"))
}

/// Signals the running bot to reload, then checks the same bank here, so
/// that the errors that keep the old bank in use are shown at once.
fn reload() -> anyhow::Result<ExitCode> {
    let settings = Settings::from_env()?;
    let pid = studybot::reload::signal_reload(&settings.pid_file)?;
    println!("studybot: asked the bot (pid {pid}) to reload its bank");
    match Bank::load(&settings.content) {
        Ok(bank) => {
            let decks = bank.decks().len();
            println!(
                "{}: {} questions in {decks} deck{}",
                settings.content.display(),
                bank.len(),
                if decks == 1 { "" } else { "s" }
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(errors) => {
            report_bank_errors(&errors);
            eprintln!("studybot: the bot keeps the bank it had until these are fixed");
            Ok(ExitCode::FAILURE)
        }
    }
}

fn check(dir: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let dir = content_dir(dir);
    let loaded = if dir.as_os_str() == "-" {
        let mut text = String::new();
        io::stdin()
            .read_to_string(&mut text)
            .context("cannot read standard input")?;
        Bank::from_sources(vec![(PathBuf::from("<stdin>"), text)])
    } else {
        Bank::load(&dir)
    };
    match loaded {
        Ok(bank) => {
            print!("{}", bank.summary());
            Ok(ExitCode::SUCCESS)
        }
        Err(errors) => {
            report_bank_errors(&errors);
            Ok(ExitCode::FAILURE)
        }
    }
}

fn report_bank_errors(errors: &BankErrors) {
    for error in errors.iter() {
        eprintln!("{error}");
    }
    let count = errors.len();
    eprintln!(
        "{count} error{} in the bank",
        if count == 1 { "" } else { "s" }
    );
}

/// How `preview` prints a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PreviewFormat {
    Plain,
    TelegramHtml,
    Discord,
}

fn preview(
    dir: Option<PathBuf>,
    id: Option<&str>,
    answer: bool,
    format: PreviewFormat,
) -> anyhow::Result<ExitCode> {
    let bank = match Bank::load(&content_dir(dir)) {
        Ok(bank) => bank,
        Err(errors) => {
            report_bank_errors(&errors);
            return Ok(ExitCode::FAILURE);
        }
    };
    let question = match id {
        Some(id) => bank.get(id),
        None => bank.questions().choose(&mut rand::rng()),
    };
    let Some(question) = question else {
        eprintln!(
            "studybot: no question with id `{}`; the ids are the `id:` lines in the deck files (run `studybot check` to list the decks)",
            id.unwrap_or_default()
        );
        return Ok(ExitCode::FAILURE);
    };
    let lang = preview_lang();
    let mut posts = vec![study::question_post(&bank, question, lang, None)];
    if answer {
        posts.push(study::reveal_post(question, lang, None));
    }
    for (i, post) in posts.iter().enumerate() {
        if i > 0 {
            println!("\n----------------------------------------\n");
        }
        print_post(post, format);
        if let Some(PostQuiz::Open(poll)) = &post.quiz {
            print_poll(poll);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The quiz poll Telegram gets after a question with choices.
fn print_poll(poll: &QuizPoll) {
    println!("\n[quiz poll] {}", poll.prompt);
    for (i, option) in poll.options.iter().enumerate() {
        let mark = if i == poll.correct { '✓' } else { ' ' };
        println!("  {mark} {}. {option}", char::from(b'A' + i as u8));
    }
    if let Some(explanation) = &poll.explanation {
        println!(
            "  explanation: {}",
            explanation.replace('\n', "\n               ")
        );
    }
}

/// `STUDYBOT_LANG` when it names a language, else Chinese, as the bot does.
fn preview_lang() -> Lang {
    std::env::var("STUDYBOT_LANG")
        .ok()
        .and_then(|code| Lang::parse(&code))
        .unwrap_or(Lang::Zh)
}

fn print_post(post: &Post, format: PreviewFormat) {
    match format {
        PreviewFormat::TelegramHtml => {
            for (i, chunk) in render::telegram_html(post).iter().enumerate() {
                if i > 0 {
                    println!();
                }
                println!("{chunk}");
            }
        }
        PreviewFormat::Discord => print_discord(post),
        PreviewFormat::Plain => println!("{}", render::plain_text(post, false).trim_end()),
    }
}

/// Each message's `content` exactly as sent (sent with `allowed_mentions: {"parse": []}`),
/// under a line naming it, then the buttons under the last one.
fn print_discord(post: &Post) {
    let messages = render::discord_messages(post);
    let count = messages.len();
    for (i, content) in messages.iter().enumerate() {
        if i > 0 {
            println!();
        }
        println!(
            "[Discord message {} of {count}: {} characters]",
            i + 1,
            content.chars().count()
        );
        println!("{content}");
    }
    for button in &post.buttons {
        println!("[button: {}]", button.label);
    }
}

fn import(request: import::Request) -> anyhow::Result<ExitCode> {
    let mut stdout = io::stdout().lock();
    let mut stderr = io::stderr().lock();
    let all_written = import::import_files(&request, &mut stdout, &mut stderr)?;
    Ok(if all_written {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn export(
    dir: Option<PathBuf>,
    deck: &str,
    output: Option<&Path>,
    force: bool,
) -> anyhow::Result<ExitCode> {
    let bank = match Bank::load(&content_dir(dir)) {
        Ok(bank) => bank,
        Err(errors) => {
            report_bank_errors(&errors);
            return Ok(ExitCode::FAILURE);
        }
    };
    let Some(imported) = import::deck_from_bank(&bank, deck) else {
        let decks: Vec<&str> = bank.decks().iter().map(|d| d.id.as_str()).collect();
        eprintln!(
            "studybot: no deck `{deck}`; the decks are: {}",
            decks.join(", ")
        );
        return Ok(ExitCode::FAILURE);
    };
    let markdown = import::to_markdown(&imported);
    match output {
        Some(path) if path.exists() && !force => {
            eprintln!(
                "studybot: {} exists; pass --force to replace it",
                path.display()
            );
            return Ok(ExitCode::FAILURE);
        }
        Some(path) => import::write_atomically(path, &markdown)?,
        None => io::stdout().write_all(markdown.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}
