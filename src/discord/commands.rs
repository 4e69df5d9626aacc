//! The slash commands: what is registered with Discord (names and
//! descriptions in English and Chinese, settings hidden from members),
//! all read from the engine's command registry, and how an invocation
//! becomes the same `study::Command` a Telegram message becomes.

use twilight_model::application::command::{Command, CommandType};
use twilight_model::application::interaction::InteractionContextType;
use twilight_model::application::interaction::application_command::{
    CommandData, CommandOptionValue,
};
use twilight_model::guild::Permissions;
use twilight_util::builder::command::{CommandBuilder, StringBuilder};

use crate::domain::Platform;
use crate::study::commands::{self, Arg, Spec};
use crate::study::{self, Suggest};

/// Every command, ready for one bulk overwrite.
pub fn all() -> Vec<Command> {
    commands::on(Platform::Discord)
        .map(|spec| builder(spec).build())
        .collect()
}

fn builder(spec: &Spec) -> CommandBuilder {
    let mut command = CommandBuilder::new(spec.name, spec.about.en, CommandType::ChatInput)
        .name_localizations([("zh-CN", spec.zh_name), ("en-US", spec.name)])
        .description_localizations([("zh-CN", spec.about.zh), ("en-US", spec.about.en)])
        .contexts([InteractionContextType::Guild, InteractionContextType::BotDm]);
    if spec.settings {
        // Hidden from members by default; server admins may change that,
        // so the engine still checks the member's permissions.
        command = command.default_member_permissions(Permissions::MANAGE_GUILD);
    }
    for arg in spec.args {
        command = command.option(
            StringBuilder::new(arg.name, arg.about.en)
                .description_localizations([("zh-CN", arg.about.zh), ("en-US", arg.about.en)])
                .autocomplete(arg.suggest.is_some())
                .required(false),
        );
    }
    command
}

/// The registered slash command `name`.
fn spec_of(name: &str) -> Option<&'static Spec> {
    commands::on(Platform::Discord).find(|s| s.name == name)
}

/// The option being typed in an autocomplete interaction: what to suggest
/// and what was typed so far.
pub fn focused(data: &CommandData) -> Option<(Suggest, String)> {
    let spec = spec_of(&data.name)?;
    data.options.iter().find_map(|o| match &o.value {
        CommandOptionValue::Focused(typed, _) => {
            let suggest = spec.args.iter().find(|arg| arg.name == o.name)?.suggest?;
            Some((suggest, typed.clone()))
        }
        _ => None,
    })
}

/// An option's value as a word of the text command: as given, or with
/// its key (`tag:` + the value without spaces) for keyed options.
fn word(arg: &Arg, value: &str) -> String {
    match arg.key {
        Some(key) if !value.starts_with(key) => {
            format!("{key}{}", value.split_whitespace().collect::<String>())
        }
        _ => value.to_string(),
    }
}

/// The options given, as the words of the text command: in the
/// registry's order, keyed ones (`deck:`, `tag:`) last.
fn words(spec: &Spec, data: &CommandData) -> Vec<String> {
    let given = |arg: &Arg| -> Option<String> {
        data.options
            .iter()
            .find(|o| o.name == arg.name)
            .and_then(|o| match &o.value {
                CommandOptionValue::String(s) => {
                    let s = s.trim();
                    (!s.is_empty()).then(|| word(arg, s))
                }
                _ => None,
            })
    };
    let plain = spec.args.iter().filter(|a| a.key.is_none());
    let keyed = spec.args.iter().filter(|a| a.key.is_some());
    plain.chain(keyed).filter_map(given).collect()
}

/// The command an invocation means, as the engine parses text commands.
pub fn parse(data: &CommandData) -> study::Parsed {
    let command = match spec_of(&data.name) {
        Some(spec) => commands::with_words(spec, words(spec, data)),
        None => study::Command::Unknown {
            name: data.name.clone(),
        },
    };
    study::Parsed::Command {
        command,
        addressed: true,
    }
}

#[cfg(test)]
mod tests;
