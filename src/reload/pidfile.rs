//! The running bot's process id in a file, so that `studybot reload` can
//! find the bot and send it SIGHUP. `studybot run` writes it once SIGHUP
//! reloads (before that, SIGHUP would end the process) and removes it at
//! a clean stop.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum PidFileError {
    #[error(
        "no pid file at {0}: is `studybot run` running? (it writes one there; STUDYBOT_PID_FILE sets where)"
    )]
    Missing(PathBuf),
    #[error("cannot read the pid file {path}: {error}")]
    Unreadable { path: PathBuf, error: io::Error },
    #[error("cannot write the pid file {path}: {error} (STUDYBOT_PID_FILE sets where)")]
    Unwritable { path: PathBuf, error: io::Error },
    #[error("the pid file {path} holds `{text}`, not a process id")]
    Garbled { path: PathBuf, text: String },
    #[error(
        "the pid file {path} names process {pid}, which is not running: the bot is not running (the file is stale; remove it)"
    )]
    Stale { path: PathBuf, pid: i32 },
    #[error(
        "the pid file {path} names process {pid}, which is `{name}`, not studybot: the file is stale (remove it)"
    )]
    NotStudybot {
        path: PathBuf,
        pid: i32,
        name: String,
    },
    #[error("cannot signal process {pid} (from {path}): {error}")]
    Signal {
        path: PathBuf,
        pid: i32,
        error: io::Error,
    },
    #[error("`studybot reload` needs Unix signals; restart the bot instead")]
    Unsupported,
}

/// Where the pid file goes unless `STUDYBOT_PID_FILE` says: beside an
/// SQLite database file (`data/studybot.db` → `data/studybot.pid`), else
/// `studybot.pid` in the working directory.
pub fn default_pid_file(database: &str) -> PathBuf {
    let file = database
        .strip_prefix("sqlite://")
        .or_else(|| database.strip_prefix("sqlite:"))
        .map(|rest| rest.split('?').next().unwrap_or_default())
        .filter(|path| !path.is_empty() && !path.starts_with(":memory:"));
    match file {
        Some(path) => Path::new(path).with_extension("pid"),
        None => PathBuf::from("studybot.pid"),
    }
}

/// This process's id in a file, removed when dropped.
#[derive(Debug)]
pub struct PidFile {
    path: PathBuf,
}

impl PidFile {
    /// Writes this process's id to `path`, replacing a file left by a bot
    /// that did not stop cleanly.
    pub fn create(path: &Path) -> Result<PidFile, PidFileError> {
        fs::write(path, format!("{}\n", std::process::id())).map_err(|error| {
            PidFileError::Unwritable {
                path: path.to_owned(),
                error,
            }
        })?;
        Ok(PidFile {
            path: path.to_owned(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for PidFile {
    fn drop(&mut self) {
        // Only while it is still ours: another bot may have written it since.
        let ours = fs::read_to_string(&self.path)
            .is_ok_and(|text| text.trim() == std::process::id().to_string());
        if ours && let Err(e) = fs::remove_file(&self.path) {
            log::warn!("cannot remove the pid file {}: {e}", self.path.display());
        }
    }
}

/// Sends SIGHUP to the bot named in the pid file at `path`; returns its id.
pub fn signal_reload(path: &Path) -> Result<i32, PidFileError> {
    let text = fs::read_to_string(path).map_err(|error| match error.kind() {
        io::ErrorKind::NotFound => PidFileError::Missing(path.to_owned()),
        _ => PidFileError::Unreadable {
            path: path.to_owned(),
            error,
        },
    })?;
    let pid = match text.trim().parse::<i32>() {
        Ok(pid) if pid > 0 => pid,
        _ => {
            return Err(PidFileError::Garbled {
                path: path.to_owned(),
                text: text.trim().chars().take(40).collect(),
            });
        }
    };
    hang_up(path, pid)?;
    Ok(pid)
}

#[cfg(unix)]
fn hang_up(path: &Path, pid: i32) -> Result<(), PidFileError> {
    let signal = |sig: libc::c_int| {
        // SAFETY: kill(2) takes any pid and signal number and only reports
        // an error for ones it cannot use; no memory is shared.
        match unsafe { libc::kill(pid, sig) } {
            0 => Ok(()),
            _ => Err(io::Error::last_os_error()),
        }
    };
    // Signal 0 only asks whether the process exists.
    if let Err(error) = signal(0) {
        return Err(match error.raw_os_error() {
            Some(libc::ESRCH) => PidFileError::Stale {
                path: path.to_owned(),
                pid,
            },
            _ => PidFileError::Signal {
                path: path.to_owned(),
                pid,
                error,
            },
        });
    }
    // A reused id must not get a SIGHUP meant for the bot (it would end
    // most programs): where /proc tells, the process must be studybot.
    if let Some(name) = other_program(pid) {
        return Err(PidFileError::NotStudybot {
            path: path.to_owned(),
            pid,
            name,
        });
    }
    signal(libc::SIGHUP).map_err(|error| PidFileError::Signal {
        path: path.to_owned(),
        pid,
        error,
    })
}

#[cfg(not(unix))]
fn hang_up(_path: &Path, _pid: i32) -> Result<(), PidFileError> {
    Err(PidFileError::Unsupported)
}

/// The program `pid` runs, if /proc shows it is not this one's (studybot).
#[cfg(unix)]
fn other_program(pid: i32) -> Option<String> {
    let name_of = |path: &Path| {
        let name = path.file_name()?.to_string_lossy().into_owned();
        // A binary replaced since it started: `studybot (deleted)`.
        Some(name.trim_end_matches(" (deleted)").to_owned())
    };
    let theirs = name_of(&fs::read_link(format!("/proc/{pid}/exe")).ok()?)?;
    let ours = name_of(&std::env::current_exe().ok()?)?;
    (theirs != ours).then_some(theirs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pid_file_sits_beside_an_sqlite_file_else_in_the_working_directory() {
        let cases = [
            ("sqlite://studybot.db", "studybot.pid"),
            (
                "sqlite:///var/lib/bot/data.db?mode=rwc",
                "/var/lib/bot/data.pid",
            ),
            ("sqlite:data/bot.sqlite", "data/bot.pid"),
            ("sqlite::memory:", "studybot.pid"),
            ("postgres://db/studybot", "studybot.pid"),
        ];
        for (database, pid_file) in cases {
            assert_eq!(
                default_pid_file(database),
                PathBuf::from(pid_file),
                "{database}"
            );
        }
    }

    #[test]
    fn a_missing_garbled_or_stale_file_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bot.pid");
        assert!(matches!(
            signal_reload(&path),
            Err(PidFileError::Missing(_))
        ));
        fs::write(&path, "twelve\n").unwrap();
        assert!(matches!(
            signal_reload(&path),
            Err(PidFileError::Garbled { .. })
        ));
        // The highest pid Linux hands out is below i32::MAX.
        fs::write(&path, format!("{}\n", i32::MAX)).unwrap();
        assert!(matches!(
            signal_reload(&path),
            Err(PidFileError::Stale { .. })
        ));
    }

    #[test]
    fn the_file_is_removed_when_dropped_unless_another_bot_took_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bot.pid");
        let pid_file = PidFile::create(&path).unwrap();
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            format!("{}\n", std::process::id())
        );
        drop(pid_file);
        assert!(!path.exists());
        let pid_file = PidFile::create(&path).unwrap();
        fs::write(&path, "1\n").unwrap();
        drop(pid_file);
        assert!(path.exists(), "another bot's file stays");
    }
}
