//! `studybot chat`: the bot at a terminal, over the very same engine.
//!
//! A newcomer (or a test, or a script) can talk to the bot without a token
//! or a network: each line typed goes through the engine exactly as a
//! Telegram message does, and each post comes back rendered as plain text.
//! Buttons are numbered and pressed by typing their number, and daily posts
//! arrive at their time while the session waits for input (the shared
//! `driver` claims them; the session prints them between lines). The console
//! holds no study rules: it only reads lines, prints posts, hands out
//! message ids and tells the engine what was shown.

mod session;
mod words;

use std::io::{self, IsTerminal, Write};
use std::sync::Arc;

use jiff::Timestamp;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::sync::{mpsc, oneshot, watch};

pub use session::{Flow, Session};

use crate::domain::{ChatId, ChatKind, MessageId, Platform};
use crate::runtime::clock::Clock;
use crate::runtime::driver::{self, Deliver, Delivered};
use crate::store::{self, Store};
use crate::study::{DueWork, Engine, Lang, Person, Place, StudyError};

/// The console's own database, so a session never touches the bot's.
pub const DEFAULT_DATABASE: &str = "sqlite://studybot-chat.db";
/// The bot's @name as the console parses commands (`/ask@studybot` works).
pub const BOT_USERNAME: &str = "studybot";
/// The one person at the keyboard.
pub const USER_ID: i64 = 1;
/// The console's private chat.
pub const PRIVATE_CHAT_ID: ChatId = ChatId::console(1);
/// The console's group chat (`--group`).
pub const GROUP_CHAT_ID: ChatId = ChatId::console(-1);

/// Who sits at the console and where: a private chat, or a group in which
/// the person may or may not be an administrator.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Seat {
    pub group: bool,
    pub as_admin: bool,
    /// The person's language (`--lang`), used until the chat picks one.
    pub lang: Option<Lang>,
}

impl Seat {
    pub fn place(&self) -> Place {
        let (chat_id, kind, title) = if self.group {
            (GROUP_CHAT_ID, ChatKind::Group, Some("console".to_string()))
        } else {
            (PRIVATE_CHAT_ID, ChatKind::Private, None)
        };
        Place {
            chat_id,
            kind,
            title,
            thread_id: None,
        }
    }

    pub fn person(&self) -> Person {
        Person {
            user_id: Some(USER_ID),
            language_code: self.lang.map(|l| l.code().to_string()),
            is_admin: self.as_admin,
            name: None,
        }
    }

    /// Whether `chat_id` is one of the console's chats.
    fn is_console_chat(chat_id: ChatId) -> bool {
        chat_id.platform == Platform::Console
    }
}

/// Where the session keeps its state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    /// A fresh database that is gone when the session ends.
    Memory,
    /// A SQLite URL (`sqlite://file.db`) or path, created if missing.
    Url(String),
}

impl Database {
    /// `--memory` wins; else `--database`, else [`DEFAULT_DATABASE`].
    pub fn from_args(url: Option<String>, memory: bool) -> Database {
        match (memory, url) {
            (true, _) => Database::Memory,
            (false, Some(url)) => Database::Url(url),
            (false, None) => Database::Url(DEFAULT_DATABASE.to_string()),
        }
    }

    pub async fn open(&self) -> store::Result<Store> {
        match self {
            Database::Memory => Store::in_memory().await,
            Database::Url(url) => Store::open(url).await,
        }
    }

    fn describe(&self, lang: Lang) -> String {
        match (self, lang) {
            (Database::Memory, Lang::Zh) => "内存，退出即清空".to_string(),
            (Database::Memory, Lang::En) => "in memory, gone on exit".to_string(),
            (Database::Url(url), _) => url.clone(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConsoleError {
    #[error("cannot read standard input: {0}")]
    Input(io::Error),
    #[error("cannot write to standard output: {0}")]
    Output(io::Error),
    #[error(transparent)]
    Study(#[from] StudyError),
}

/// Bold headings only on a terminal, and never when `NO_COLOR` is set
/// (to anything but the empty string, as no-color.org asks).
pub fn color_wanted() -> bool {
    io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Runs a session on standard input and output until end of input or
/// `/quit`. On a terminal it greets and prompts; on a pipe it prints only
/// the bot's posts.
pub async fn run(engine: Engine, seat: Seat, database: &Database) -> Result<(), ConsoleError> {
    let mut out = io::stdout();
    match converse(engine, seat, database, &mut out).await {
        Err(ConsoleError::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

async fn converse(
    engine: Engine,
    seat: Seat,
    database: &Database,
    out: &mut io::Stdout,
) -> Result<(), ConsoleError> {
    let interactive = io::stdin().is_terminal();
    let mut session = Session::start(engine.clone(), seat, color_wanted()).await?;
    if interactive {
        let lang = session.lang(Timestamp::now()).await;
        let chat = words::chat_name(lang, seat.group, seat.as_admin);
        writeln!(
            out,
            "{}",
            words::welcome(lang, chat, &database.describe(lang))
        )
        .map_err(ConsoleError::Output)?;
    }
    let mut dailies = Dailies::start(&mut session, Clock::system()).await;
    let mut input = BufReader::new(tokio::io::stdin());
    let mut line = Vec::new();
    loop {
        if interactive {
            session.prompt(out).map_err(ConsoleError::Output)?;
        }
        out.flush().map_err(ConsoleError::Output)?;
        // `read_until` keeps what it read in `line` when another branch
        // wins, so a line is never lost to a daily post.
        tokio::select! {
            read = input.read_until(b'\n', &mut line) => {
                let read = read.map_err(ConsoleError::Input)?;
                if !line.is_empty() {
                    let text = String::from_utf8_lossy(&line).into_owned();
                    line.clear();
                    let flow = session.line(&text, Timestamp::now(), out).await;
                    if flow.map_err(ConsoleError::Output)? == Flow::Quit {
                        break;
                    }
                }
                if read == 0 {
                    session.end_line(out).map_err(ConsoleError::Output)?;
                    break;
                }
            }
            Some(job) = dailies.next() => {
                let shown = session.show_daily(&job.work, Timestamp::now(), out).await;
                let delivered = match &shown {
                    Ok(message_id) => Delivered::Sent { chat_id: job.work.place.chat_id, message_id: *message_id, thread: None },
                    Err(_) => Delivered::Unsent,
                };
                let _ = job.done.send(delivered);
                shown.map_err(ConsoleError::Output)?;
            }
        }
    }
    dailies.stop();
    out.flush().map_err(ConsoleError::Output)
}

/// A daily post the driver wants shown, and where to say what became of it.
pub struct DailyJob {
    work: DueWork,
    done: oneshot::Sender<Delivered>,
}

impl DailyJob {
    /// Prints the post in `session` and tells the driver its message id
    /// (the driver records it, as every adapter's does).
    pub async fn show(
        self,
        session: &mut Session,
        now: Timestamp,
        out: &mut dyn Write,
    ) -> io::Result<MessageId> {
        let shown = session.show_daily(&self.work, now, out).await;
        let delivered = match &shown {
            Ok(message_id) => Delivered::Sent {
                chat_id: self.work.place.chat_id,
                message_id: *message_id,
                thread: None,
            },
            Err(_) => Delivered::Unsent,
        };
        let _ = self.done.send(delivered);
        shown
    }
}

/// The console's part in daily work: the shared driver runs as a task and
/// hands each post to the session's loop, which prints it between lines.
struct ConsoleDaily {
    chat_id: ChatId,
    jobs: mpsc::Sender<DailyJob>,
}

impl Deliver for ConsoleDaily {
    fn platform(&self) -> Platform {
        Platform::Console
    }

    async fn deliver(&self, work: &DueWork) -> Delivered {
        // Work for the console's other chat (group or private) stays
        // claimed; that chat's next session resumes it.
        if work.place.chat_id != self.chat_id {
            return Delivered::Unsent;
        }
        let (done, shown) = oneshot::channel();
        let job = DailyJob {
            work: work.clone(),
            done,
        };
        if self.jobs.send(job).await.is_err() {
            return Delivered::Unsent;
        }
        shown.await.unwrap_or(Delivered::Unsent)
    }
}

/// A session's daily posts: the one driver every adapter runs, as a task
/// reading time from a clock (the system's, or a test's it moves), handing
/// each of this chat's posts to whoever shows them (`next`, then
/// [`DailyJob::show`]).
pub struct Dailies {
    jobs: Option<mpsc::Receiver<DailyJob>>,
    stop: watch::Sender<bool>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Dailies {
    /// Starts the driver for `session`'s chat, unless the database holds
    /// other chats' plans (then daily posts are off in this session).
    pub async fn start(session: &mut Session, clock: Clock) -> Dailies {
        let (stop, stopped) = watch::channel(false);
        if !session.dailies_are_ours().await {
            return Dailies {
                jobs: None,
                stop,
                task: None,
            };
        }
        let (send, jobs) = mpsc::channel(1);
        let adapter = ConsoleDaily {
            chat_id: session.chat_id(),
            jobs: send,
        };
        let task = tokio::spawn(driver::run(
            session.engine().clone().with_clock(clock),
            Arc::new(adapter),
            stopped,
        ));
        Dailies {
            jobs: Some(jobs),
            stop,
            task: Some(task),
        }
    }

    /// The next post to show (never, when daily posts are off).
    pub async fn next(&mut self) -> Option<DailyJob> {
        match &mut self.jobs {
            Some(jobs) => jobs.recv().await,
            None => std::future::pending().await,
        }
    }

    /// Ends the driver; unshown claims resume in the next session.
    pub fn stop(self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task {
            task.abort();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_wins_over_a_database_url() {
        assert_eq!(
            Database::from_args(Some("sqlite://x.db".into()), true),
            Database::Memory
        );
        assert_eq!(
            Database::from_args(None, false),
            Database::Url(DEFAULT_DATABASE.into())
        );
    }

    #[test]
    fn the_seat_decides_the_chat_and_the_rights() {
        let group = Seat {
            group: true,
            as_admin: false,
            lang: Some(Lang::En),
        };
        assert_eq!(group.place().chat_id, GROUP_CHAT_ID);
        assert!(group.place().kind.is_group());
        assert!(!group.person().is_admin);
        assert_eq!(group.person().language_code.as_deref(), Some("en"));
        assert_eq!(Seat::default().place().kind, ChatKind::Private);
    }
}
