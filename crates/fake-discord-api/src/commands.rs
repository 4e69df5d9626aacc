//! Application commands: a bulk overwrite (`PUT …/commands`) checked with Discord's rules —
//! names match `^[-_\p{L}\p{N}]{1,32}$` in lowercase, descriptions have 1–100 characters, at
//! most 25 options (required before optional) and 25 choices, unique names, localization keys
//! among Discord's locales, at most 4,000 characters of names, descriptions and choice values
//! per command — then stored with ids and versions as Discord returns them.

use std::collections::HashSet;

use serde_json::{Value, json};

use crate::error::{ApiError, FormErrors, chars};
use crate::json::id;

/// Locales Discord accepts as localization keys.
const LOCALES: [&str; 32] = [
    "id", "da", "de", "en-GB", "en-US", "es-ES", "es-419", "fr", "hr", "it", "lt", "hu", "nl",
    "no", "pl", "pt-BR", "ro", "fi", "sv-SE", "vi", "tr", "cs", "el", "bg", "ru", "uk", "hi", "th",
    "zh-CN", "ja", "zh-TW", "ko",
];

/// Whether `name` is a valid chat-input command or option name: 1–32 letters, digits, `-`, `_`,
/// each letter in lowercase when it has a lowercase form.
pub(crate) fn valid_name(name: &str) -> bool {
    let n = chars(name);
    (1..=32).contains(&n)
        && name.chars().all(|c| {
            (c.is_alphabetic() || c.is_numeric() || c == '-' || c == '_')
                && c.to_lowercase().eq(std::iter::once(c))
        })
}

/// Checks a bulk overwrite body and returns the commands as stored (with ids).
pub(crate) fn check_overwrite(
    body: &Value,
    application_id: u64,
    guild_id: Option<u64>,
    mut next_id: impl FnMut() -> u64,
) -> Result<Vec<Value>, ApiError> {
    let mut errors = FormErrors::default();
    let Some(commands) = body.as_array() else {
        errors.add(
            "_root",
            "LIST_TYPE_CONVERT",
            "Only iterables may be used in a ListType",
        );
        return errors.into_result().map(|()| Vec::new());
    };
    if commands.len() > 100 {
        errors.too_long("_root", 100);
        return errors.into_result().map(|()| Vec::new());
    }
    let mut names = HashSet::new();
    for (i, command) in commands.iter().enumerate() {
        let kind = command.get("type").and_then(Value::as_u64).unwrap_or(1);
        check_named(command, &i.to_string(), kind == 1, &mut errors);
        let name = command.get("name").and_then(Value::as_str).unwrap_or("");
        if !names.insert((kind, name.to_string())) {
            errors.add(
                &format!("{i}.name"),
                "APPLICATION_COMMANDS_DUPLICATE_NAME",
                "Application command names must be unique",
            );
        }
        if command_size(command) > 4000 {
            errors.add(
                &i.to_string(),
                "APPLICATION_COMMAND_TOO_LARGE",
                "Command exceeds maximum size (4000)",
            );
        }
        let options = command.get("options").and_then(Value::as_array);
        check_options(
            options.map(Vec::as_slice).unwrap_or_default(),
            &format!("{i}.options"),
            0,
            &mut errors,
        );
        if let Some(perms) = command
            .get("default_member_permissions")
            .filter(|p| !p.is_null())
            && perms.as_str().and_then(|p| p.parse::<u64>().ok()).is_none()
        {
            errors.add(
                &format!("{i}.default_member_permissions"),
                "BASE_TYPE_STRING",
                "Must be a permission integer as a string.",
            );
        }
    }
    errors.into_result()?;
    Ok(commands
        .iter()
        .map(|c| stored(c, application_id, guild_id, next_id()))
        .collect())
}

/// Characters of a command's names, descriptions and choice names and values, with its
/// options' (localizations not counted).
fn command_size(item: &Value) -> usize {
    let text = |key: &str| item.get(key).and_then(Value::as_str).map_or(0, chars);
    let value = match item.get("value") {
        Some(Value::String(v)) => chars(v),
        _ => 0,
    };
    let children: usize = ["options", "choices"]
        .iter()
        .filter_map(|key| item.get(*key).and_then(Value::as_array))
        .flatten()
        .map(command_size)
        .sum();
    text("name") + text("description") + value + children
}

fn stored(command: &Value, application_id: u64, guild_id: Option<u64>, command_id: u64) -> Value {
    let mut command = command.clone();
    command["id"] = id(command_id);
    command["version"] = id(command_id);
    command["application_id"] = id(application_id);
    if command.get("type").is_none() {
        command["type"] = json!(1);
    }
    for key in [
        "default_member_permissions",
        "name_localizations",
        "description_localizations",
    ] {
        if command.get(key).is_none() {
            command[key] = Value::Null;
        }
    }
    if command.get("options").is_none() {
        command["options"] = json!([]);
    }
    match guild_id {
        Some(guild) => command["guild_id"] = id(guild),
        None => {
            if command.get("contexts").is_none() {
                command["contexts"] = Value::Null;
            }
        }
    }
    command
}

/// Name, description and their localizations. `chat_input`: names in lowercase, a description.
fn check_named(item: &Value, path: &str, chat_input: bool, errors: &mut FormErrors) {
    match item.get("name").and_then(Value::as_str) {
        None => errors.required(&format!("{path}.name")),
        Some(name) if chat_input && !valid_name(name) => errors.add(
            &format!("{path}.name"),
            "APPLICATION_COMMAND_INVALID_NAME",
            "Command name is invalid",
        ),
        Some(name) if !(1..=32).contains(&chars(name)) => {
            errors.bad_length(&format!("{path}.name"), 1, 32)
        }
        Some(_) => {}
    }
    let description = item
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or("");
    if chat_input && !(1..=100).contains(&chars(description)) {
        errors.bad_length(&format!("{path}.description"), 1, 100);
    }
    if !chat_input && !description.is_empty() {
        errors.add(
            &format!("{path}.description"),
            "APPLICATION_COMMAND_DESCRIPTION_NOT_ALLOWED",
            "Only chat input commands have a description",
        );
    }
    check_localizations(item, "name_localizations", path, chat_input, errors);
    check_localizations(item, "description_localizations", path, chat_input, errors);
}

fn check_localizations(
    item: &Value,
    key: &str,
    path: &str,
    chat_input: bool,
    errors: &mut FormErrors,
) {
    let Some(map) = item.get(key).filter(|v| !v.is_null()) else {
        return;
    };
    let Some(map) = map.as_object() else {
        errors.add(
            &format!("{path}.{key}"),
            "DICT_TYPE_CONVERT",
            "Only dictionaries may be used in a DictType",
        );
        return;
    };
    for (locale, text) in map {
        let at = format!("{path}.{key}.{locale}");
        if !LOCALES.contains(&locale.as_str()) {
            errors.add(&at, "LOCALE_INVALID", format!("Invalid locale {locale:?}"));
            continue;
        }
        let text = text.as_str().unwrap_or("");
        if key == "name_localizations" && chat_input && !valid_name(text) {
            errors.add(
                &at,
                "APPLICATION_COMMAND_INVALID_NAME",
                "Command name is invalid",
            );
        }
        if key == "description_localizations" && !(1..=100).contains(&chars(text)) {
            errors.bad_length(&at, 1, 100);
        }
    }
}

/// Options: ≤ 25, unique names, required before optional, choices ≤ 25 (names 1–100), no
/// choices with autocomplete, sub-commands nested at most two levels.
fn check_options(options: &[Value], path: &str, depth: u8, errors: &mut FormErrors) {
    if options.len() > 25 {
        errors.too_long(path, 25);
        return;
    }
    let (mut names, mut optional_seen) = (HashSet::new(), false);
    for (j, option) in options.iter().enumerate() {
        let at = format!("{path}.{j}");
        let kind = option.get("type").and_then(Value::as_u64).unwrap_or(0);
        if !(1..=11).contains(&kind) || (kind <= 2 && depth >= 2) || (kind == 2 && depth >= 1) {
            errors.add(
                &format!("{at}.type"),
                "BASE_TYPE_CHOICES",
                "Value must be one of {1, …, 11}.",
            );
            continue;
        }
        check_named(option, &at, true, errors);
        let name = option.get("name").and_then(Value::as_str).unwrap_or("");
        if !names.insert(name.to_string()) {
            errors.add(
                &format!("{at}.name"),
                "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
                "Option names must be unique",
            );
        }
        let required = option
            .get("required")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if required && optional_seen {
            errors.add(
                &format!("{at}.required"),
                "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                "Required options must be placed before non-required options",
            );
        }
        optional_seen |= !required;
        if kind <= 2 {
            let nested = option.get("options").and_then(Value::as_array);
            check_options(
                nested.map(Vec::as_slice).unwrap_or_default(),
                &format!("{at}.options"),
                depth + 1,
                errors,
            );
            continue;
        }
        check_choices(option, &at, errors);
    }
}

fn check_choices(option: &Value, at: &str, errors: &mut FormErrors) {
    let Some(choices) = option.get("choices").and_then(Value::as_array) else {
        return;
    };
    if option.get("autocomplete").and_then(Value::as_bool) == Some(true) && !choices.is_empty() {
        errors.add(
            &format!("{at}.autocomplete"),
            "APPLICATION_COMMAND_OPTION_CHOICES_AUTOCOMPLETE",
            "Autocomplete cannot be set with choices",
        );
    }
    if choices.len() > 25 {
        errors.too_long(&format!("{at}.choices"), 25);
    }
    for (k, choice) in choices.iter().enumerate() {
        let name = choice.get("name").and_then(Value::as_str).unwrap_or("");
        if !(1..=100).contains(&chars(name)) {
            errors.bad_length(&format!("{at}.choices.{k}.name"), 1, 100);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_discords_pattern() {
        for good in [
            "ask",
            "daily-off",
            "q_1",
            "问题",
            "ответ",
            "x".repeat(32).as_str(),
        ] {
            assert!(valid_name(good), "{good}");
        }
        for bad in [
            "",
            "Ask",
            "with space",
            "a.b",
            "ÄSK",
            "x".repeat(33).as_str(),
            "é!",
        ] {
            assert!(!valid_name(bad), "{bad}");
        }
    }
}
