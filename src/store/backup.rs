//! `studybot backup`: an online, consistent copy of the SQLite database
//! while the bot keeps writing.
//!
//! `VACUUM INTO` reads one snapshot (a read transaction, which WAL lets
//! run beside the bot's writes) and writes it as a compact database file.
//! The copy is made under a temporary name beside the target and then put
//! in place, so a half-written backup never carries the target's name.
//! The copy holds everything the bot knows about people (ratings, reports):
//! it is created readable by its owner alone (0600 on Unix).

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};

/// Why no backup was made, in words that say what to do.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// `url` is already redacted: the suggested command reads the URL from
    /// the environment, so no password is ever printed.
    #[error(
        "{url} is a PostgreSQL database: back it up with pg_dump (e.g. `pg_dump -Fc -f studybot.dump \"$STUDYBOT_DATABASE\"`)"
    )]
    Postgres { url: String },
    #[error("{url} is an in-memory database: there is nothing to back up")]
    InMemory { url: String },
    #[error("`{url}` is not an SQLite database URL (expected sqlite://PATH)")]
    BadUrl { url: String },
    #[error(
        "there is no database at {path}: check STUDYBOT_DATABASE (the bot creates it on its first run)"
    )]
    Missing { path: PathBuf },
    #[error("{path} exists: pass --force to replace it")]
    Exists { path: PathBuf },
    #[error("cannot copy {url} to {path}: {source}")]
    Copy {
        url: String,
        path: PathBuf,
        source: sqlx::Error,
    },
    #[error("cannot put the copy at {path}: {source}")]
    Place {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// How far a backup is, for a progress display (nothing here prints).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupStep {
    /// The copy begins; `estimate`: the database's size on disk (its file
    /// and its write-ahead log), which the compact copy rarely exceeds.
    Started { estimate: u64 },
    /// The copy holds `bytes` so far (read from its file as SQLite writes it).
    Copied { bytes: u64 },
}

/// How often the growing copy's size is read while SQLite writes it.
const WATCH_EVERY: Duration = Duration::from_millis(100);

/// Copies the database at `url` to `target`; an existing `target` is
/// replaced only with `force`. Returns the copy's size in bytes.
pub async fn backup(url: &str, target: &Path, force: bool) -> Result<u64, BackupError> {
    backup_observed(url, target, force, &mut |_| {}).await
}

/// `backup`, telling `step` how far the copy is as it is written.
pub async fn backup_observed(
    url: &str,
    target: &Path,
    force: bool,
    step: &mut (dyn FnMut(BackupStep) + Send),
) -> Result<u64, BackupError> {
    let source = sqlite_file(url)?;
    if !force && target.exists() {
        return Err(BackupError::Exists {
            path: target.to_path_buf(),
        });
    }
    let partial = partial_name(target);
    let _ = std::fs::remove_file(&partial);
    step(BackupStep::Started {
        estimate: size_on_disk(&source),
    });
    let copied = match create_private(&partial) {
        Ok(()) => watched(vacuum_into(url, &source, &partial), &partial, step).await,
        Err(source) => Err(BackupError::Place {
            path: partial.clone(),
            source,
        }),
    };
    let placed = copied.and_then(|()| place(&partial, target, force));
    if placed.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    placed?;
    let size = std::fs::metadata(target).map_or(0, |m| m.len());
    Ok(size)
}

/// The database file and its write-ahead log, in bytes.
fn size_on_disk(database: &Path) -> u64 {
    let mut wal = database.as_os_str().to_os_string();
    wal.push("-wal");
    [database, Path::new(&wal)]
        .iter()
        .filter_map(|file| std::fs::metadata(file).ok())
        .map(|m| m.len())
        .sum()
}

/// Runs `copy`, reading the size of the file it writes every `WATCH_EVERY`.
async fn watched(
    copy: impl Future<Output = Result<(), BackupError>>,
    file: &Path,
    step: &mut (dyn FnMut(BackupStep) + Send),
) -> Result<(), BackupError> {
    let mut copy = std::pin::pin!(copy);
    let mut watch = tokio::time::interval(WATCH_EVERY);
    let copied = loop {
        tokio::select! {
            copied = &mut copy => break copied,
            _ = watch.tick() => {
                let bytes = std::fs::metadata(file).map_or(0, |m| m.len());
                step(BackupStep::Copied { bytes });
            }
        }
    };
    if copied.is_ok() {
        let bytes = std::fs::metadata(file).map_or(0, |m| m.len());
        step(BackupStep::Copied { bytes });
    }
    copied
}

/// The database file `url` names; errors for what is no SQLite file.
fn sqlite_file(url: &str) -> Result<PathBuf, BackupError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Err(BackupError::Postgres {
            url: super::redacted(url),
        });
    }
    if url.contains(":memory:") || url.contains("mode=memory") {
        return Err(BackupError::InMemory {
            url: url.to_string(),
        });
    }
    let options = SqliteConnectOptions::from_str(url).map_err(|_| BackupError::BadUrl {
        url: url.to_string(),
    })?;
    let path = options.get_filename().to_path_buf();
    if !path.is_file() {
        return Err(BackupError::Missing { path });
    }
    Ok(path)
}

async fn vacuum_into(url: &str, source: &Path, partial: &Path) -> Result<(), BackupError> {
    let failed = |source: sqlx::Error| BackupError::Copy {
        url: url.to_string(),
        path: partial.to_path_buf(),
        source,
    };
    // The bot's own settings for a second connection: never create, wait
    // out a writer's lock rather than fail.
    let mut connection = SqliteConnectOptions::new()
        .filename(source)
        .create_if_missing(false)
        .busy_timeout(std::time::Duration::from_secs(10))
        .connect()
        .await
        .map_err(failed)?;
    sqlx::query("VACUUM INTO ?")
        .bind(partial.to_string_lossy().into_owned())
        .execute(&mut connection)
        .await
        .map_err(failed)?;
    connection.close().await.map_err(failed)
}

/// Creates `path` empty and readable by its owner alone, before SQLite
/// writes into it (`VACUUM INTO` accepts an empty file and keeps its mode),
/// so the copy is never readable by others, not even for a moment.
fn create_private(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map(drop)
}

/// Puts the finished copy at `target`: without `force` as a new link, which
/// fails if `target` appeared meanwhile (never clobbered); with it, a rename.
fn place(partial: &Path, target: &Path, force: bool) -> Result<(), BackupError> {
    let failed = |source: std::io::Error| match source.kind() {
        std::io::ErrorKind::AlreadyExists => BackupError::Exists {
            path: target.to_path_buf(),
        },
        _ => BackupError::Place {
            path: target.to_path_buf(),
            source,
        },
    };
    if force {
        return std::fs::rename(partial, target).map_err(failed);
    }
    std::fs::hard_link(partial, target).map_err(failed)?;
    std::fs::remove_file(partial).map_err(failed)
}

/// `FILE.partial` beside `FILE`, so the final step is a rename or link on
/// one file system.
fn partial_name(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    target.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_no_sqlite_file_is_named() {
        let err = sqlite_file("postgres://bot@db/studybot").unwrap_err();
        assert!(err.to_string().contains("pg_dump"), "{err}");
        let err = sqlite_file("postgres://bot:hunter2@db/studybot").unwrap_err();
        assert!(!err.to_string().contains("hunter2"), "{err}");
        let err = sqlite_file("sqlite::memory:").unwrap_err();
        assert!(matches!(err, BackupError::InMemory { .. }), "{err}");
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nothing.db");
        let err = sqlite_file(&format!("sqlite://{}", missing.display())).unwrap_err();
        assert!(matches!(err, BackupError::Missing { .. }), "{err}");
        assert!(!missing.exists(), "a backup never creates the database");
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn a_backup_is_readable_by_its_owner_alone() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("bot.db").display());
        crate::store::Store::open(&url).await.unwrap().close().await;
        for force in [false, true] {
            let target = dir.path().join("copy.db");
            backup(&url, &target, force).await.unwrap();
            let mode = std::fs::metadata(&target).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "force {force}: mode {mode:o}");
        }
    }
}
