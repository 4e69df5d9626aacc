//! The tests that serve no chat platform for long, in one process: the bank
//! and its files, import and export, rendering, the engine and learning at
//! the engine, the console, and the CLI's commands (`check`, `preview`,
//! `import`, `backup`, `reload`, `run` refusing or stopping).

#[path = "../support/mod.rs"]
mod support;

mod backup;
mod bank_api;
mod bank_fuzz;
mod bank_images;
mod bank_preview;
mod bank_quiz;
mod bank_seed;
mod bank_validation;
mod cli_check;
mod cli_run;
mod config_file;
mod console;
mod engine;
mod import;
mod import_answer_only;
mod import_apkg;
mod import_cli;
#[cfg(unix)]
mod import_closed_pipe;
mod import_export;
mod import_quiz;
mod import_shapes;
mod import_table;
mod learn;
mod learn_console;
mod learn_nudges;
mod progress_plain;
#[cfg(target_os = "linux")]
mod progress_terminal;
mod quiz_console;
mod reload;
mod reload_cli;
mod render_discord_props;
mod render_props;
mod suggestions_cli;
