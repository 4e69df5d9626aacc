//! The command registry: every chat command once, in [`registry::COMMANDS`],
//! and each command's handler in a file of its own beside it (tokio's
//! mini-redis `cmd/` is the model).
//!
//! Everything that lists commands reads the table: the text parser
//! ([`parse`]), `/help`, Telegram's menus (`telegram::menu`), Discord's
//! slash commands (`discord::commands`) and the admin rule. A command is
//! therefore named, described and classed in one place.
//!
//! # How to add a command
//!
//! Say `/quiz [tag]`:
//!
//! 1. Add a row to [`registry::COMMANDS`]: its name (and aliases), its
//!    arguments ([`Arg`]: how many words the text form takes, the Discord
//!    option, what to autocomplete), the Telegram menu line, the Discord
//!    description and Chinese name, the `/help` line, whether giving
//!    arguments changes the chat's settings (then groups need an admin and
//!    Discord hides it from members), and its platforms.
//! 2. Add a variant to [`Command`] (in `parse.rs`) and its arms in
//!    `Command::name`, `Command::has_args` and `Engine::run` below (the
//!    compiler points at each one).
//! 3. Write `commands/quiz.rs`: `parse` (the words to the variant) and the
//!    handler, an `async fn` on [`Engine`] returning the reply.
//! 4. Put what the handler says in `study::i18n`.
//!
//! The `registry_*` tests then check that the command parses, shows in
//! `/help`, and appears in the menus of its platforms.

mod answer;
mod ask;
mod forget;
mod help;
mod lang;
mod parse;
pub mod registry;
mod review;
mod scheduled;
mod stats;
mod topics;

pub use parse::{Command, Parsed, parse, with_words};
pub use registry::COMMANDS;

use super::{Engine, Incoming, Lang, PrivateChat, Reply, Result, Suggest, i18n};
use crate::domain::Platform;
use crate::post::Post;

/// A sentence in both languages.
#[derive(Debug, Clone, Copy)]
pub struct Words {
    pub zh: &'static str,
    pub en: &'static str,
}

impl Words {
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }
}

/// How many words the text form of a command takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arity {
    /// At most one word, read in lower case; more is answered with the
    /// command's usage.
    One,
    /// Any number of words, kept as typed for the handler to read.
    Many,
}

/// One argument: a Discord option, and a word of the text form.
#[derive(Debug, Clone, Copy)]
pub struct Arg {
    /// The Discord option's name.
    pub name: &'static str,
    /// How the text form shows it in a usage line (`[tag]`, `zh|en`).
    pub form: &'static str,
    /// The Discord option's description.
    pub about: Words,
    /// What to suggest while it is typed (Discord's autocomplete).
    pub suggest: Option<Suggest>,
    /// The key its value becomes a word with (`tag:` + value), if any.
    pub key: Option<&'static str>,
}

/// The platforms a command is offered on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Platforms {
    pub telegram: bool,
    pub discord: bool,
    pub console: bool,
}

impl Platforms {
    pub const ALL: Platforms = Platforms {
        telegram: true,
        discord: true,
        console: true,
    };

    pub fn has(&self, platform: Platform) -> bool {
        match platform {
            Platform::Telegram => self.telegram,
            Platform::Discord => self.discord,
            Platform::Console => self.console,
        }
    }
}

// The registry's shorthands.

const fn w(zh: &'static str, en: &'static str) -> Words {
    Words { zh, en }
}

const fn arg(name: &'static str, form: &'static str, en: &'static str, zh: &'static str) -> Arg {
    Arg {
        name,
        form,
        about: w(zh, en),
        suggest: None,
        key: None,
    }
}

const fn suggesting(arg: Arg, suggest: Suggest) -> Arg {
    Arg {
        suggest: Some(suggest),
        ..arg
    }
}

const fn keyed(arg: Arg, key: &'static str) -> Arg {
    Arg {
        key: Some(key),
        ..arg
    }
}

/// The text platforms only (Telegram, the console): not a slash command.
const TEXT: Platforms = Platforms {
    telegram: true,
    discord: false,
    console: true,
};

/// One command, as every platform and `/help` know it.
pub struct Spec {
    pub name: &'static str,
    /// Other names the text form answers to (`/tags`, `/language`).
    pub aliases: &'static [&'static str],
    /// The Chinese name Discord shows (`zh-CN` name localization).
    pub zh_name: &'static str,
    pub arity: Arity,
    pub args: &'static [Arg],
    /// The line in Telegram's command menu.
    pub menu: Words,
    /// The Discord description (at most 100 characters).
    pub about: Words,
    /// The line in `/help`; `None` leaves it out.
    pub help: Option<Words>,
    /// Given arguments, it changes the chat's settings: groups need an
    /// administrator, Telegram lists it to admins, Discord hides it from
    /// members.
    pub settings: bool,
    /// Shown in menus (`/start` is the chat's opening, not a menu item).
    pub listed: bool,
    pub platforms: Platforms,
    /// The words of the text form (lower-cased for [`Arity::One`]) to
    /// the command.
    pub parse: fn(Vec<String>) -> Command,
}

impl Spec {
    /// The text form with its arguments, e.g. `/ask [tag]`.
    pub fn usage(&self) -> String {
        let forms = self.args.iter().map(|a| format!(" {}", a.form));
        format!("/{}{}", self.name, forms.collect::<String>())
    }

    /// Whether Telegram lists it in menus of this kind (admins' or all).
    pub fn in_menu(&self, platform: Platform, admins: bool) -> bool {
        self.listed && self.platforms.has(platform) && (admins || !self.settings)
    }
}

/// The command named `name` (or one of its aliases), in lower case.
pub fn find(name: &str) -> Option<&'static Spec> {
    COMMANDS
        .iter()
        .find(|s| s.name == name || s.aliases.contains(&name))
}

/// The commands offered on `platform`, in the registry's order.
pub fn on(platform: Platform) -> impl Iterator<Item = &'static Spec> {
    COMMANDS.iter().filter(move |s| s.platforms.has(platform))
}

/// The command menu Telegram shows: (command, description), for admins
/// (private chats, group administrators) or for everyone.
pub fn menu(lang: Lang, admins: bool) -> Vec<(&'static str, &'static str)> {
    COMMANDS
        .iter()
        .filter(|s| s.in_menu(Platform::Telegram, admins))
        .map(|s| (s.name, s.menu.get(lang)))
        .collect()
}

fn say(posts: Vec<Post>, lang: Lang) -> Reply {
    Reply {
        posts,
        toast: None,
        lang,
    }
}

impl Engine {
    /// Runs one command from its handler (the admin check is done).
    pub(super) async fn run(
        &self,
        incoming: &Incoming,
        lang: Lang,
        command: Command,
        private: Option<PrivateChat>,
    ) -> Result<Reply> {
        let posts = match command {
            Command::Start | Command::Help => self.help_command(incoming, lang),
            Command::Ask { tag } => self.ask_command(incoming, lang, tag.as_deref()).await?,
            Command::Answer { id } => self.answer_command(incoming, lang, id.as_deref()).await?,
            Command::Topics => self.topics_command(lang),
            Command::Lang { code } => return self.lang_command(incoming, lang, code).await,
            Command::Daily { args } => self.daily(incoming, lang, &args).await?,
            Command::Reveal { args } => self.reveal_rule(incoming, lang, &args).await?,
            Command::Settings => self.settings(incoming, lang).await?,
            Command::Review => self.review_command(incoming, lang).await?,
            Command::Stats { args } => self.stats_command(incoming, lang, &args).await?,
            Command::Forget => self.forget_command(incoming, lang),
            Command::Pin { args } => self.pin_command(incoming, lang, &args).await?,
            Command::Remind { args } => return self.remind(incoming, lang, &args, private).await,
            Command::Digest { args } => self.digest(incoming, lang, &args).await?,
            Command::Suggest { args } => self.suggest_command(incoming, lang, &args).await?,
            Command::Skip => self.form_command(incoming, lang, false).await?,
            Command::Cancel => self.form_command(incoming, lang, true).await?,
            Command::Misused { name } => vec![Post::text(i18n::usage(lang, &usage_of(name)))],
            Command::Unknown { name } => vec![Post::text(i18n::unknown_command(lang, &name))],
        };
        Ok(say(posts, lang))
    }
}

fn usage_of(name: &str) -> String {
    find(name).map_or_else(|| format!("/{name}"), Spec::usage)
}

#[cfg(test)]
mod tests;
