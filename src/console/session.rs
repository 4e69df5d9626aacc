//! One console conversation: lines in, posts out, through the engine.
//!
//! The session plays the platform's part: it hands out message ids (past
//! any the database already knows, so replies never point at an older
//! session's message), remembers what each id showed so a reply can say
//! what it answers, numbers the buttons it printed, and reports every post
//! back to the engine with `sent`, as the Telegram adapter does.

use std::collections::HashMap;
use std::io::{self, Write};

use jiff::Timestamp;

use super::{Seat, words};
use crate::domain::{ChatId, MessageId};
use crate::post::{Action, Image, Picture, Post, PostKind};
use crate::render;
use crate::study::{self, Command, DueWork, Engine, Incoming, Lang, Parsed, Place, StudyError};

/// Whether the session goes on after a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Quit,
}

/// A button printed in this session; its number is its index + 1.
#[derive(Debug, Clone)]
struct ShownButton {
    message_id: MessageId,
    action: Action,
}

/// The longest label a reply marker shows of the post it answers.
const LABEL_CHARS: usize = 30;

pub struct Session {
    engine: Engine,
    seat: Seat,
    place: Place,
    ansi: bool,
    next_message_id: i64,
    /// The first line of each post shown, by message id.
    labels: HashMap<MessageId, String>,
    buttons: Vec<ShownButton>,
    /// The prompt is on screen and the cursor sits after it.
    at_prompt: bool,
    /// The database holds other chats' plans: daily posts are left alone.
    dailies_off: bool,
    /// The report prompt last shown: the next line of text answers it.
    report_prompt: Option<MessageId>,
}

impl Session {
    /// A session for `seat`; message ids continue after the last one the
    /// database recorded for this chat.
    pub async fn start(engine: Engine, seat: Seat, ansi: bool) -> Result<Session, StudyError> {
        let place = seat.place();
        let last = engine
            .last_message_id(place.chat_id)
            .await?
            .map_or(0, |m| m.0);
        Ok(Session {
            engine,
            seat,
            place,
            ansi,
            next_message_id: last.max(0).saturating_add(1),
            labels: HashMap::new(),
            buttons: Vec::new(),
            at_prompt: false,
            dailies_off: false,
            report_prompt: None,
        })
    }

    /// The chat's language now (the default if the database cannot say).
    pub async fn lang(&self, now: Timestamp) -> Lang {
        self.engine
            .lang_of(&self.incoming(now))
            .await
            .unwrap_or(self.engine.config().default_lang)
    }

    /// Answers one line: a command, a button number, `/quit` or `/exit`.
    pub async fn line(
        &mut self,
        text: &str,
        now: Timestamp,
        out: &mut dyn Write,
    ) -> io::Result<Flow> {
        // The person pressed Enter: the cursor is on a fresh line.
        self.at_prompt = false;
        let text = text.trim();
        if text.is_empty() {
            return Ok(Flow::Continue);
        }
        if text.bytes().all(|b| b.is_ascii_digit()) {
            self.press(text, now, out).await?;
            return Ok(Flow::Continue);
        }
        let parsed = study::parse(text, Some(super::BOT_USERNAME));
        if is_quit(&parsed) {
            return Ok(Flow::Quit);
        }
        let incoming = self.incoming(now);
        if parsed == Parsed::Text
            && let Some(prompt) = self.report_prompt
            && self.report(prompt, text, now, out).await?
        {
            return Ok(Flow::Continue);
        }
        let reply = self.engine.handle(&incoming, parsed).await;
        if reply.posts.is_empty() {
            let hint = words::not_a_command(reply.lang);
            return self.remark(hint, out).map(|()| Flow::Continue);
        }
        self.show_all(&reply.posts, reply.lang, now, out).await?;
        Ok(Flow::Continue)
    }

    /// A line of text after a report prompt: the report (false if the
    /// prompt no longer waits, so the line is read as usual).
    async fn report(
        &mut self,
        prompt: MessageId,
        text: &str,
        now: Timestamp,
        out: &mut dyn Write,
    ) -> io::Result<bool> {
        let incoming = self.incoming(now);
        let answer = match self.engine.report_reply(&incoming, prompt, text).await {
            Ok(Some(answer)) => answer,
            Ok(None) => {
                self.report_prompt = None;
                return Ok(false);
            }
            Err(e) => {
                eprintln!("studybot: the report could not be stored: {e}");
                return Ok(true);
            }
        };
        if !answer.to_admins.is_empty() {
            // The operators are reached on Telegram; here it is stored only.
            log::info!("console report stored; see `studybot reports`");
        }
        let lang = answer.reply.lang;
        self.show_all(&answer.reply.posts, lang, now, out).await?;
        Ok(true)
    }

    /// Presses button `number` (as typed) and shows the toast and posts.
    async fn press(&mut self, number: &str, now: Timestamp, out: &mut dyn Write) -> io::Result<()> {
        let button = number
            .parse::<usize>()
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| self.buttons.get(i))
            .cloned();
        let Some(button) = button else {
            let lang = self.lang(now).await;
            let hint = words::no_such_button(lang, number, self.buttons.len());
            return self.remark(&hint, out);
        };
        let incoming = self.incoming(now);
        let pressed = self
            .engine
            .press(&incoming, Some(button.message_id), Some(&button.action))
            .await;
        if let Some(toast) = &pressed.toast {
            self.remark(toast, out)?;
        }
        self.show_all(&pressed.posts, pressed.lang, now, out).await
    }

    /// Prints a daily post; returns its message id (the caller records it).
    pub async fn show_daily(
        &mut self,
        work: &DueWork,
        now: Timestamp,
        out: &mut dyn Write,
    ) -> io::Result<MessageId> {
        let lang = self.lang(now).await;
        self.show(&work.post, lang, out)
    }

    /// The engine this session talks to.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The chat this session talks in.
    pub fn chat_id(&self) -> ChatId {
        self.place.chat_id
    }

    /// Whether every running plan in the database is the console's: the
    /// engine claims due work for all chats, and a session pointed at the
    /// bot's database must not take the bot's posts.
    pub async fn dailies_are_ours(&mut self) -> bool {
        if self.dailies_off {
            return false;
        }
        let plans = match self.engine.planned_chats().await {
            Ok(plans) => plans,
            Err(e) => {
                eprintln!("studybot: {e}");
                return false;
            }
        };
        if plans.iter().all(|&chat| Seat::is_console_chat(chat)) {
            return true;
        }
        self.dailies_off = true;
        eprintln!("{}", words::foreign_plans());
        false
    }

    /// Shows the prompt unless it is already on screen.
    pub fn prompt(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if !self.at_prompt {
            write!(out, "> ")?;
            self.at_prompt = true;
        }
        Ok(())
    }

    /// Leaves the prompt's line (at end of input) so the shell's prompt
    /// starts on a fresh one.
    pub fn end_line(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.at_prompt {
            writeln!(out)?;
            self.at_prompt = false;
        }
        Ok(())
    }

    async fn show_all(
        &mut self,
        posts: &[Post],
        lang: Lang,
        now: Timestamp,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        for post in posts {
            let message_id = self.show(post, lang, out)?;
            if matches!(post.kind, PostKind::ReportPrompt { .. }) {
                self.report_prompt = Some(message_id);
            }
            if let Err(e) = self.engine.sent(&self.place, post, message_id, now).await {
                eprintln!("studybot: shown, but not recorded: {e}");
            }
        }
        Ok(())
    }

    /// Prints a post under its new message id, with its buttons numbered.
    fn show(&mut self, post: &Post, lang: Lang, out: &mut dyn Write) -> io::Result<MessageId> {
        self.end_line(out)?;
        let message_id = MessageId(self.next_message_id);
        self.next_message_id = self.next_message_id.saturating_add(1);
        let header = self.header(message_id, post, lang);
        writeln!(out, "{}", self.dim(&header))?;
        let body = render::plain_text(post, self.ansi);
        writeln!(out, "{}", body.trim_end())?;
        if let Some(picture) = &post.picture {
            writeln!(out, "{}", self.picture_line(picture, message_id))?;
        }
        for button in &post.buttons {
            self.buttons.push(ShownButton {
                message_id,
                action: button.action.clone(),
            });
            let line = format!("[{}] {}", self.buttons.len(), button.label);
            writeln!(out, "{}", self.dim(&line))?;
        }
        writeln!(out)?;
        self.labels.insert(message_id, self.label_of(post));
        Ok(message_id)
    }

    /// A post's picture at a terminal: a chart's figures as a sparkline and
    /// its PNG written to a file whose path is shown (or why it could not
    /// be); a question's picture as its file's path or its address.
    fn picture_line(&self, picture: &Picture, message_id: MessageId) -> String {
        let bytes = match &picture.image {
            Image::Png { bytes, .. } => bytes,
            Image::File(path) => return format!("🖼 {}", path.display()),
            Image::Url(url) => return format!("🖼 {url}"),
        };
        let file = std::env::temp_dir().join(format!(
            "studybot-chat-{}-{message_id}.png",
            std::process::id()
        ));
        let spark = render::picture::sparkline(&picture.trend);
        match std::fs::write(&file, bytes) {
            Ok(()) => format!("{spark}  {}", file.display()),
            Err(e) => format!(
                "{spark}  (the picture could not be written to {}: {e})",
                file.display()
            ),
        }
    }

    /// `#4`, or `#4 ↪ reply to #3 大模型训练中的挑战` for a reply.
    fn header(&self, message_id: MessageId, post: &Post, lang: Lang) -> String {
        let Some(reply_to) = post.reply_to else {
            return format!("#{message_id}");
        };
        let mut header = format!("#{message_id} {}", words::reply_to(lang, reply_to));
        if let Some(label) = self.labels.get(&reply_to).filter(|l| !l.is_empty()) {
            header.push(' ');
            header.push_str(label);
        }
        header
    }

    /// A line of the console's own (a hint, a toast): not a chat message.
    fn remark(&mut self, text: &str, out: &mut dyn Write) -> io::Result<()> {
        self.end_line(out)?;
        writeln!(out, "» {text}")?;
        writeln!(out)
    }

    /// What a reply marker shows of `post`: a question's title, else the
    /// first line of its text, shortened.
    fn label_of(&self, post: &Post) -> String {
        let text = match &post.kind {
            PostKind::Question { question_id } => match self.engine.question_title(question_id) {
                // Through the renderer, which makes text terminal-safe.
                Some(title) => render::plain_text(&Post::text(title), false),
                None => render::plain_text(post, false),
            },
            _ => render::plain_text(post, false),
        };
        let first = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("");
        let mut label: String = first.chars().take(LABEL_CHARS).collect();
        if first.chars().count() > LABEL_CHARS {
            label.push('…');
        }
        label
    }

    fn dim(&self, text: &str) -> String {
        if self.ansi {
            format!("\x1b[2m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn incoming(&self, now: Timestamp) -> Incoming {
        Incoming {
            place: self.place.clone(),
            person: self.seat.person(),
            now,
        }
    }
}

/// `/quit` and `/exit` (any case, `@studybot` too) end the session.
fn is_quit(parsed: &Parsed) -> bool {
    matches!(
        parsed,
        Parsed::Command { command: Command::Unknown { name }, .. } if name == "quit" || name == "exit"
    )
}
