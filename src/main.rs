//! The `studybot` command line: parses arguments and hands each subcommand to
//! the library. No logic lives here beyond turning results into exit codes
//! and messages a person can act on.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use studybot::console::{Database, Seat};
use studybot::import;
use studybot::study::Lang;

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
    /// Turn documents into deck YAML (Markdown, multiple-choice quizzes,
    /// CSV/TSV, Anki .apkg): the questions it can read are written, the rest
    /// reported as file:line.
    #[command(after_help = import_shapes_help())]
    Import {
        /// The files: Markdown (UTF-8, UTF-16 with a BOM, or GBK/GB18030),
        /// .csv/.tsv (or Anki's/Quizlet's .txt exports), or Anki .apkg.
        #[arg(required = true, value_name = "FILE")]
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
        /// The columns of CSV/TSV files without a header row, in order:
        /// question, answer, analysis, tags, title, choices, correct, A–J, skip.
        #[arg(long, value_name = "LIST", value_parser = parse_columns)]
        columns: Option<Columns>,
    },
    /// List the problems people reported with questions (newest first), from
    /// $STUDYBOT_DATABASE.
    Reports {
        /// Show at most this many.
        #[arg(long, value_name = "N", default_value_t = 50)]
        limit: u32,
    },
    /// List the questions people suggested with /suggest, from
    /// $STUDYBOT_DATABASE: pending first (oldest first), then the latest
    /// decided, each with its chat, author and any near-duplicate.
    Suggestions {
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

/// `--columns question,answer,…` (a newtype: clap reads a `Vec` as many values).
#[derive(Debug, Clone)]
struct Columns(Vec<import::Column>);

fn parse_columns(list: &str) -> Result<Columns, String> {
    import::parse_columns(list).map(Columns)
}

fn import_shapes_help() -> String {
    format!("Shapes read:\n{}", import::SHAPES_READ)
}

mod cli;

use cli::bank::{PreviewFormat, check, export, import, preview};
use cli::parse_lang;
use cli::run::run;
use cli::suggestions::suggestions;
use cli::tools::{backup, chat, migrate_store, reload, reports};

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
            columns,
        }) => import(import::Request {
            files,
            deck,
            title,
            output,
            strict,
            force,
            columns: columns.map(|c| c.0),
        }),
        Some(Command::Export {
            deck,
            output,
            force,
            content,
        }) => export(content, &deck, output.as_deref(), force),
        Some(Command::Reports { limit }) => reports(limit),
        Some(Command::Suggestions { limit }) => suggestions(limit),
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
