//! Methods about the bot itself: its command lists per scope and language, validated like Telegram (1–32 characters of
//! `[a-z0-9_]`, descriptions of 1–256 characters, at most 100 commands).

use serde_json::{Value, json};

use super::Ctx;
use crate::records::CommandSet;
use crate::reply::Failure;

const MAX_COMMANDS: usize = 100;
const SCOPES_WITH_CHAT: &[&str] = &["chat", "chat_administrators", "chat_member"];
const SCOPES: &[&str] = &[
    "default",
    "all_private_chats",
    "all_group_chats",
    "all_chat_administrators",
    "chat",
    "chat_administrators",
    "chat_member",
];

pub(super) fn set_my_commands(ctx: &mut Ctx) -> Result<Value, Failure> {
    let commands = ctx
        .body
        .get("commands")
        .ok_or_else(|| Failure::bad_request("commands is empty"))?;
    let commands = parse_commands(commands)?;
    let (scope, language_code) = scope_and_language(ctx)?;
    let key = (scope.to_string(), language_code.clone());
    ctx.inner.commands.insert(
        key,
        CommandSet {
            scope,
            language_code,
            commands,
        },
    );
    Ok(json!(true))
}

pub(super) fn get_my_commands(ctx: &mut Ctx) -> Result<Value, Failure> {
    let (scope, language_code) = scope_and_language(ctx)?;
    let commands = ctx
        .inner
        .commands
        .get(&(scope.to_string(), language_code))
        .map(|set| &set.commands[..])
        .unwrap_or_default();
    let listed: Vec<Value> = commands
        .iter()
        .map(|(command, description)| json!({ "command": command, "description": description }))
        .collect();
    Ok(Value::Array(listed))
}

pub(super) fn delete_my_commands(ctx: &mut Ctx) -> Result<Value, Failure> {
    let (scope, language_code) = scope_and_language(ctx)?;
    ctx.inner
        .commands
        .remove(&(scope.to_string(), language_code));
    Ok(json!(true))
}

fn parse_commands(commands: &Value) -> Result<Vec<(String, String)>, Failure> {
    let commands = match commands {
        Value::String(s) => serde_json::from_str(s)
            .map_err(|_| Failure::bad_request("can't parse commands JSON object"))?,
        other => other.clone(),
    };
    let list = commands
        .as_array()
        .ok_or_else(|| Failure::bad_request("field \"commands\" must be an Array"))?;
    if list.len() > MAX_COMMANDS {
        return Err(Failure::bad_request("BOT_COMMANDS_TOO_MUCH"));
    }
    list.iter().map(parse_command).collect()
}

fn parse_command(entry: &Value) -> Result<(String, String), Failure> {
    let command = entry.get("command").and_then(Value::as_str).unwrap_or("");
    let description = entry
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or("");
    let valid_name = (1..=32).contains(&command.len())
        && command
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !valid_name {
        return Err(Failure::bad_request("BOT_COMMAND_INVALID"));
    }
    if !(1..=256).contains(&description.chars().count()) || description.trim().is_empty() {
        return Err(Failure::bad_request("BOT_COMMAND_DESCRIPTION_INVALID"));
    }
    Ok((command.to_string(), description.to_string()))
}

/// The request's `scope` (default `{"type":"default"}`) and `language_code` (default "").
fn scope_and_language(ctx: &Ctx) -> Result<(Value, String), Failure> {
    let scope = ctx
        .optional_object("scope")?
        .unwrap_or_else(|| json!({ "type": "default" }));
    let kind = scope.get("type").and_then(Value::as_str).unwrap_or("");
    let needs_chat = SCOPES_WITH_CHAT.contains(&kind);
    let complete = SCOPES.contains(&kind)
        && (!needs_chat || scope.get("chat_id").is_some())
        && (kind != "chat_member" || scope.get("user_id").is_some());
    if !complete {
        return Err(Failure::bad_request(
            "can't parse BotCommandScope JSON object",
        ));
    }
    let language_code = ctx.optional_str("language_code")?.unwrap_or("").to_string();
    let valid_language = language_code.is_empty()
        || (language_code.len() == 2 && language_code.bytes().all(|b| b.is_ascii_lowercase()));
    if !valid_language {
        return Err(Failure::bad_request("LANG_CODE_INVALID"));
    }
    Ok((scope, language_code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_names_and_descriptions() {
        let ok = json!([{ "command": "ask", "description": "Ask a question" }]);
        assert_eq!(
            parse_commands(&ok).unwrap(),
            [("ask".to_string(), "Ask a question".to_string())]
        );
        for bad in ["Ask", "", "a-b", "/ask", &"a".repeat(33)] {
            let list = json!([{ "command": bad, "description": "d" }]);
            assert_eq!(
                parse_commands(&list).unwrap_err().description,
                "Bad Request: BOT_COMMAND_INVALID"
            );
        }
        let long = "d".repeat(257);
        for bad in ["", " ", &long] {
            let list = json!([{ "command": "ask", "description": bad }]);
            assert_eq!(
                parse_commands(&list).unwrap_err().description,
                "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID"
            );
        }
        let many: Vec<Value> = (0..101)
            .map(|i| json!({ "command": format!("c{i}"), "description": "d" }))
            .collect();
        assert_eq!(
            parse_commands(&Value::Array(many)).unwrap_err().description,
            "Bad Request: BOT_COMMANDS_TOO_MUCH"
        );
    }
}
