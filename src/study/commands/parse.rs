//! Turning what a person typed into a command, the same way on every
//! platform: the name is looked up in the registry, the words are split
//! per the command's arity.
//!
//! Telegram's own parser (teloxide `filter_command`) is case-sensitive and
//! splits arguments on single spaces, so `/ASK` or `/ask` followed by a
//! newline would be ignored. People type both; this parser accepts any
//! case and any whitespace, understands `/cmd@BotName`, and tells commands
//! meant for another bot apart so the bot stays quiet in busy groups.

use super::{Arity, Spec};
use crate::domain::ChatKind;

/// A chat command with its arguments: what [`parse`] makes of a line and
/// what [`crate::study::Engine::run`] runs. Each variant is a row of the
/// registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Start,
    Help,
    Ask {
        tag: Option<String>,
    },
    Answer {
        id: Option<String>,
    },
    Topics,
    Lang {
        code: Option<String>,
    },
    Daily {
        args: Vec<String>,
    },
    Reveal {
        args: Vec<String>,
    },
    Settings,
    /// My due cards, one at a time (`/review`, or `/start review` from a
    /// deep link).
    Review,
    /// My figures (private) or the group's week (group); `hide`/`show`
    /// leaves or rejoins leaderboards.
    Stats {
        args: Vec<String>,
    },
    /// Delete everything kept about me (after a confirmation button).
    Forget,
    /// Pin each day's question (`on`), stop (`off`), or say which.
    Pin {
        args: Vec<String>,
    },
    /// My private review reminder: `HH:MM [zone]`, `zone <zone>`, `off`.
    Remind {
        args: Vec<String>,
    },
    /// The group's weekly digest: `<day> HH:MM` or `off` (admins).
    Digest {
        args: Vec<String>,
    },
    /// Suggest a question for the group's own deck: in a group, the way
    /// into the form; in private `status`, or a `/start` payload naming
    /// the group.
    Suggest {
        args: Vec<String>,
    },
    /// Pass an optional step of the `/suggest` form.
    Skip,
    /// Drop the `/suggest` draft.
    Cancel,
    /// Too many arguments for a command that takes at most one.
    Misused {
        name: &'static str,
    },
    /// A `/word` the bot does not know.
    Unknown {
        name: String,
    },
}

impl Command {
    /// The command's name, for counting (`unknown` and `misused` for
    /// words the bot does not take).
    pub fn name(&self) -> &'static str {
        match self {
            Command::Start => "start",
            Command::Help => "help",
            Command::Ask { .. } => "ask",
            Command::Answer { .. } => "answer",
            Command::Topics => "topics",
            Command::Lang { .. } => "lang",
            Command::Daily { .. } => "daily",
            Command::Reveal { .. } => "reveal",
            Command::Settings => "settings",
            Command::Review => "review",
            Command::Stats { .. } => "stats",
            Command::Forget => "forget",
            Command::Pin { .. } => "pin",
            Command::Remind { .. } => "remind",
            Command::Digest { .. } => "digest",
            Command::Suggest { .. } => "suggest",
            Command::Skip => "skip",
            Command::Cancel => "cancel",
            Command::Misused { .. } => "misused",
            Command::Unknown { .. } => "unknown",
        }
    }

    /// Its entry in the registry (`None` for `misused` and `unknown`).
    pub fn spec(&self) -> Option<&'static Spec> {
        super::find(self.name())
    }

    /// Whether it was given arguments.
    pub fn has_args(&self) -> bool {
        match self {
            Command::Ask { tag: word }
            | Command::Answer { id: word }
            | Command::Lang { code: word } => word.is_some(),
            Command::Daily { args }
            | Command::Reveal { args }
            | Command::Stats { args }
            | Command::Pin { args }
            | Command::Remind { args }
            | Command::Digest { args }
            | Command::Suggest { args } => !args.is_empty(),
            Command::Start
            | Command::Help
            | Command::Topics
            | Command::Settings
            | Command::Review
            | Command::Forget
            | Command::Skip
            | Command::Cancel
            | Command::Misused { .. }
            | Command::Unknown { .. } => false,
        }
    }

    /// Whether this command changes the chat's settings: a settings
    /// command of the registry, given arguments.
    pub fn changes_settings(&self) -> bool {
        self.spec().is_some_and(|s| s.settings) && self.has_args()
    }

    /// The one rule for who may run this command in a chat of `kind`:
    /// settings changes in groups need an administrator (a Telegram group
    /// admin, a Discord member with Manage Server). In private chats the
    /// person owns the chat, and in Telegram channels whoever can post is
    /// an administrator already. Adapters ask the platform only when this
    /// says so; the engine refuses when it says so and the person is not.
    pub fn needs_admin(&self, kind: ChatKind) -> bool {
        self.changes_settings() && kind.is_group()
    }
}

/// What a line of text is, from the bot's point of view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    /// A command for this bot. `addressed` is true for `/cmd@ThisBot`.
    Command { command: Command, addressed: bool },
    /// `/cmd@OtherBot`: not ours, stay quiet.
    ForAnotherBot,
    /// Not a command at all.
    Text,
}

/// Parses `text`. `bot_username` is the bot's own @name (without `@`), if
/// known; it is compared case-insensitively, as Telegram does.
pub fn parse(text: &str, bot_username: Option<&str>) -> Parsed {
    let text = text.trim_start();
    let Some(rest) = text.strip_prefix('/') else {
        return Parsed::Text;
    };
    let (head, tail) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let (name, mention) = match head.split_once('@') {
        Some((name, mention)) => (name, Some(mention)),
        None => (head, None),
    };
    if name.is_empty() {
        return Parsed::Text;
    }
    let addressed = match (mention, bot_username) {
        (Some(m), Some(me)) if m.eq_ignore_ascii_case(me) => true,
        (Some(_), _) => return Parsed::ForAnotherBot,
        (None, _) => false,
    };
    let args: Vec<String> = tail.split_whitespace().map(str::to_string).collect();
    Parsed::Command {
        command: command(&name.to_lowercase(), args),
        addressed,
    }
}

/// The registered command `name` with its words.
fn command(name: &str, args: Vec<String>) -> Command {
    match super::find(name) {
        Some(spec) => with_words(spec, args),
        None => Command::Unknown {
            name: name.to_string(),
        },
    }
}

/// The command `spec` given `args`, per its arity: more than one word for
/// a one-word command is a misuse; one word is read in lower case.
pub fn with_words(spec: &'static Spec, mut args: Vec<String>) -> Command {
    if spec.arity == Arity::One {
        if args.len() > 1 {
            return Command::Misused { name: spec.name };
        }
        args = args.into_iter().map(|a| a.to_lowercase()).collect();
    }
    (spec.parse)(args)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(text: &str) -> Command {
        match parse(text, Some("StudyBot")) {
            Parsed::Command { command, .. } => command,
            other => panic!("{text:?} parsed as {other:?}"),
        }
    }

    #[test]
    fn any_case_and_any_whitespace() {
        assert_eq!(cmd("/ASK"), Command::Ask { tag: None });
        assert_eq!(
            cmd("/ask\ntraining"),
            Command::Ask {
                tag: Some("training".into())
            }
        );
        assert_eq!(
            cmd("  /Ask   Training  "),
            Command::Ask {
                tag: Some("training".into())
            }
        );
        assert_eq!(
            cmd("/answer\u{3000}overfitting"),
            Command::Answer {
                id: Some("overfitting".into())
            }
        );
    }

    #[test]
    fn mentions_of_this_bot_and_of_others() {
        assert_eq!(
            parse("/ask@studybot", Some("StudyBot")),
            Parsed::Command {
                command: Command::Ask { tag: None },
                addressed: true
            }
        );
        assert_eq!(
            parse("/ask@OtherBot x", Some("StudyBot")),
            Parsed::ForAnotherBot
        );
        assert_eq!(
            parse("/help", Some("StudyBot")),
            Parsed::Command {
                command: Command::Help,
                addressed: false
            }
        );
    }

    #[test]
    fn text_and_odd_input_are_not_commands() {
        for text in ["hello", "", "/", " / ask", "/@StudyBot", "//"] {
            assert!(
                matches!(
                    parse(text, Some("b")),
                    Parsed::Text
                        | Parsed::Command {
                            command: Command::Unknown { .. },
                            ..
                        }
                ),
                "{text:?}"
            );
        }
        assert_eq!(
            cmd("/frobnicate now"),
            Command::Unknown {
                name: "frobnicate".into()
            }
        );
    }

    #[test]
    fn arguments_are_kept_or_refused() {
        assert_eq!(
            cmd("/daily 09:00 Asia/Shanghai"),
            Command::Daily {
                args: vec!["09:00".into(), "Asia/Shanghai".into()]
            }
        );
        assert_eq!(cmd("/ask a b"), Command::Misused { name: "ask" });
        assert!(cmd("/daily 09:00").changes_settings());
        assert!(!cmd("/daily").changes_settings());
        assert!(cmd("/lang en").changes_settings());
        assert!(!cmd("/lang").changes_settings());
    }

    #[test]
    fn review_and_its_deep_link() {
        assert_eq!(cmd("/review"), Command::Review);
        assert_eq!(cmd("/start review"), Command::Review);
        assert_eq!(cmd("/start"), Command::Start);
        assert_eq!(cmd("/start other"), Command::Start);
        assert_eq!(
            cmd("/stats HIDE"),
            Command::Stats {
                args: vec!["HIDE".into()]
            }
        );
        assert_eq!(cmd("/forget"), Command::Forget);
        assert_eq!(
            cmd("/start suggest-m100"),
            Command::Suggest {
                args: vec!["suggest-m100".into()]
            }
        );
        assert_eq!(cmd("/skip"), Command::Skip);
        assert_eq!(cmd("/CANCEL"), Command::Cancel);
    }

    #[test]
    fn only_settings_changes_in_groups_need_an_admin() {
        for (text, kind, needs) in [
            ("/daily 09:00", ChatKind::Supergroup, true),
            ("/reveal 6h", ChatKind::Group, true),
            ("/lang en", ChatKind::Group, true),
            ("/lang", ChatKind::Group, false),
            ("/daily", ChatKind::Group, false),
            ("/ask", ChatKind::Group, false),
            ("/daily 09:00", ChatKind::Private, false),
            ("/daily 09:00", ChatKind::Channel, false),
            ("/digest mon 09:00", ChatKind::Group, true),
            ("/digest off", ChatKind::Supergroup, true),
            ("/digest", ChatKind::Group, false),
            ("/remind 20:00", ChatKind::Group, false),
        ] {
            assert_eq!(cmd(text).needs_admin(kind), needs, "{text} in {kind:?}");
        }
    }
}
