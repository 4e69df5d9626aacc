//! The real `studybot` binary, for the tests that run it as a person or a
//! service manager would: its path, and the one way to start it.

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The `studybot` binary Cargo built for these tests.
pub fn bin() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_studybot"))
}

/// `studybot ARGS` run from `dir` with a clean environment (`PATH` only)
/// and no standard input, so only what the test sets counts: no
/// `STUDYBOT_*`, `RUST_LOG` or token of the shell running the tests. `dir`
/// should hold no `.env` the test does not mean it to read.
pub fn studybot<I, S>(args: I, dir: &Path) -> Command
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut command = Command::new(bin());
    command
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .stdin(Stdio::null());
    command
}

/// Runs `command` to its end: its exit code, standard output and error.
pub fn outcome(command: &mut Command) -> (Option<i32>, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = command.output().expect("runs studybot");
    (
        status.code(),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}
