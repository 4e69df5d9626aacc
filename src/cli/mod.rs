//! The subcommands' code, one file per family; `main.rs` only parses the
//! command line and turns results into exit codes.

pub mod adapters;
pub mod bank;
pub mod memory;
pub mod progress;
pub mod run;
pub mod suggestions;
pub mod tools;

use std::path::PathBuf;

use studybot::study::Lang;

pub fn parse_lang(code: &str) -> Result<Lang, String> {
    Lang::parse(code).ok_or_else(|| format!("`{code}` is not a language I speak: use zh or en"))
}

/// The content directory: the argument, else $STUDYBOT_CONTENT, else `content`.
pub fn content_dir(arg: Option<PathBuf>) -> PathBuf {
    arg.or_else(|| std::env::var_os("STUDYBOT_CONTENT").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("content"))
}
