//! What sets a reload off while the bot runs: SIGHUP (by hand, or sent by
//! `studybot reload`) and a change to the deck files in the content
//! directory, debounced so that a burst of saves is one reload.
//!
//! Events come straight from `notify` (inotify on Linux, which blocks until
//! something happens) and are debounced here, in the async task: notify's
//! debouncer crates tick on a thread of their own several times a second,
//! which would wake an idle bot for nothing. Each event keeps its kind, and
//! a reload reads the deck files, so the opens and reads it causes must not
//! count as changes (they would reload again, for ever).

use std::path::{Path, PathBuf};
use std::time::Duration;

use notify::event::{AccessKind, AccessMode};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::{reapply_operator_file, reload_now};
use crate::study::Engine;

/// How long the content directory must be quiet before a change reloads.
pub const DEBOUNCE: Duration = Duration::from_millis(500);

/// Why a reload happens, for the log.
#[derive(Debug, Clone, Copy)]
enum Cause {
    Hangup,
    Files,
}

impl Cause {
    fn describe(self) -> &'static str {
        match self {
            Cause::Hangup => "SIGHUP received",
            Cause::Files => "the deck files changed",
        }
    }
}

/// Reloads the bank on every trigger until dropped.
pub struct Reloader {
    task: JoinHandle<()>,
}

impl Reloader {
    /// Starts listening; call inside the runtime. When it returns, SIGHUP
    /// is handled (it no longer ends the process) and the directory is
    /// watched, so a signal or an edit from then on is heard. A directory
    /// that cannot be watched is logged, and SIGHUP still works.
    /// `operator` is the `STUDYBOT_CONFIG` file, read again on SIGHUP.
    pub fn start(engine: Engine, content: PathBuf, operator: Option<PathBuf>) -> Reloader {
        let (tx, rx) = mpsc::unbounded_channel();
        let hangups = Hangups::listen();
        let files = watch_files(&content, tx);
        let sources = Sources { content, operator };
        let task = tokio::spawn(serve(engine, sources, rx, hangups, files));
        Reloader { task }
    }
}

impl Drop for Reloader {
    fn drop(&mut self) {
        // Drops the directory watch with the task; a load under way ends
        // on its own thread and replaces nothing it should not.
        self.task.abort();
    }
}

/// What a reload reads again.
struct Sources {
    content: PathBuf,
    operator: Option<PathBuf>,
}

async fn serve(
    engine: Engine,
    sources: Sources,
    mut changes: mpsc::UnboundedReceiver<Cause>,
    mut hangups: Hangups,
    _files: Option<Watch>,
) {
    loop {
        let cause = tokio::select! {
            Some(cause) = changes.recv() => cause,
            () = hangups.next() => Cause::Hangup,
        };
        if let Cause::Files = cause {
            settle(&mut changes).await;
        }
        // Changes heard meanwhile are in the load that follows.
        while changes.try_recv().is_ok() {}
        log::info!("reload: {}", cause.describe());
        let (handle, content) = (engine.clone(), sources.content.clone());
        // Reading files blocks: off the runtime's worker threads.
        let _ = tokio::task::spawn_blocking(move || reload_now(&handle, &content)).await;
        if let (Cause::Hangup, Some(operator)) = (cause, &sources.operator) {
            reapply_operator_file(&engine, operator).await;
        }
    }
}

/// Waits until the deck files have been quiet for `DEBOUNCE`, so that a
/// burst of saves is one reload.
async fn settle(changes: &mut mpsc::UnboundedReceiver<Cause>) {
    while let Ok(Some(_)) = tokio::time::timeout(DEBOUNCE, changes.recv()).await {}
}

type Watch = RecommendedWatcher;

/// Watches `content` and the folders under it (the bank reads its top
/// level and `community/`, which `/suggest` may create while the bot runs)
/// for changes to `.yaml`/`.yml` files. A change in another folder costs a
/// reload that changes nothing.
fn watch_files(content: &Path, tx: mpsc::UnboundedSender<Cause>) -> Option<Watch> {
    let handler = move |result: notify::Result<Event>| match result {
        Ok(event) if is_deck_change(&event) => {
            let _ = tx.send(Cause::Files);
        }
        Ok(_) => {}
        Err(error) => log::warn!("reload: watching the content directory: {error}"),
    };
    let watched = notify::recommended_watcher(handler).and_then(|mut watcher| {
        watcher.watch(content, RecursiveMode::Recursive)?;
        Ok(watcher)
    });
    match watched {
        Ok(watcher) => Some(watcher),
        Err(error) => {
            log::warn!(
                "reload: cannot watch {} ({error}); reload with SIGHUP or `studybot reload`",
                content.display()
            );
            None
        }
    }
}

/// A deck file written, created, renamed or removed; not one only opened
/// or read (as a reload does).
fn is_deck_change(event: &Event) -> bool {
    let changes = match event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    };
    changes && event.paths.iter().any(|path| is_deck_file(path))
}

/// A deck file by its name, as the bank picks them (an editor's swap and
/// backup files are not).
fn is_deck_file(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml"))
}

/// SIGHUP, where there is such a thing.
struct Hangups {
    #[cfg(unix)]
    signal: Option<tokio::signal::unix::Signal>,
}

impl Hangups {
    fn listen() -> Hangups {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let signal = signal(SignalKind::hangup())
                .inspect_err(|e| log::warn!("reload: cannot listen for SIGHUP: {e}"))
                .ok();
            Hangups { signal }
        }
        #[cfg(not(unix))]
        Hangups {}
    }

    /// The next SIGHUP; never, where none can come.
    async fn next(&mut self) {
        #[cfg(unix)]
        if let Some(signal) = &mut self.signal
            && signal.recv().await.is_some()
        {
            return;
        }
        std::future::pending::<()>().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_deck_files_set_a_reload_off() {
        assert!(is_deck_file(Path::new("content/a.yaml")));
        assert!(is_deck_file(Path::new("content/B.YML")));
        assert!(!is_deck_file(Path::new("content/.a.yaml.swp")));
        assert!(!is_deck_file(Path::new("content/a.yaml~")));
        assert!(!is_deck_file(Path::new("content")));
    }

    #[test]
    fn reading_a_deck_file_is_no_change() {
        use notify::event::{CreateKind, ModifyKind};
        let event = |kind| Event::new(kind).add_path("content/a.yaml".into());
        let read = AccessKind::Close(AccessMode::Read);
        assert!(!is_deck_change(&event(EventKind::Access(read))));
        assert!(!is_deck_change(&event(EventKind::Access(
            AccessKind::Open(AccessMode::Any)
        ))));
        let written = AccessKind::Close(AccessMode::Write);
        assert!(is_deck_change(&event(EventKind::Access(written))));
        assert!(is_deck_change(&event(EventKind::Modify(ModifyKind::Any))));
        assert!(is_deck_change(&event(EventKind::Create(CreateKind::File))));
        let swap = Event::new(EventKind::Modify(ModifyKind::Any)).add_path("content/.a.swp".into());
        assert!(!is_deck_change(&swap));
    }
}
