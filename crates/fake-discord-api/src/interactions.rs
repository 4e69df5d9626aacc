//! Interactions: what a user does (a slash command, a button press, typing into an
//! autocompleted option) becomes an INTERACTION_CREATE payload with an id and a token, and
//! the fake tracks the bot's answer: one callback within the deadline, then follow-ups and
//! edits while the token lives. Injection is strict too: a command must be registered (and
//! allowed in DMs to be used there), a button must exist on the pressed message.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::time::Instant;

use serde_json::{Value, json};

use crate::commands_store::Commands;
use crate::config::Config;
use crate::json::id;
use crate::payloads;
use crate::records::InteractionReply;
use crate::world::{ChannelKind, World};

/// An interaction sent to the bot: its id and its token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    pub id: u64,
    pub token: String,
}

/// Why an interaction could not be injected (Discord's client would not have sent it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InjectError {
    UnknownChannel(u64),
    UnknownUser(u64),
    /// No registered chat-input command of that name (global or in the channel's guild).
    UnknownCommand(String),
    /// An option name the command does not declare.
    UnknownOption(String),
    /// The command's `contexts`/`dm_permission` exclude DMs.
    NotInDms(String),
    /// Autocomplete needs exactly one option with `"focused": true`.
    NoFocusedOption,
    UnknownMessage(u64),
    /// The message has no button or select with this `custom_id`.
    NoSuchComponent(String),
    /// The bot is not in the channel's guild.
    BotNotInGuild,
    /// The bot opened no modal in answer to this interaction, or it was submitted already.
    NoOpenModal(u64),
    /// Only the user the modal was shown to can submit it.
    NotYourModal,
    /// A value Discord's client would not let the user submit (an unknown input, a required
    /// one left empty, a length outside `min_length`–`max_length`).
    BadModalValue(String),
}

impl fmt::Display for InjectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Discord would not send this interaction: {self:?}")
    }
}

impl std::error::Error for InjectError {}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Command,
    Component,
    Autocomplete,
    ModalSubmit,
}

impl Kind {
    fn type_code(self) -> u8 {
        match self {
            Kind::Command => 2,
            Kind::Component => 3,
            Kind::Autocomplete => 4,
            Kind::ModalSubmit => 5,
        }
    }
}

/// One text input of a modal the bot opened.
#[derive(Debug, Clone)]
pub(crate) struct TextInput {
    pub custom_id: String,
    pub required: bool,
    pub min_length: usize,
    pub max_length: usize,
}

/// A modal on a user's screen, opened by the callback to interaction `opened_by`.
#[derive(Debug, Clone)]
pub(crate) struct OpenModal {
    pub custom_id: String,
    pub inputs: Vec<TextInput>,
}

#[derive(Debug, Clone)]
pub(crate) struct Pending {
    pub token: String,
    pub kind: Kind,
    pub channel_id: u64,
    pub user_id: u64,
    /// The message whose component was used.
    pub message_id: Option<u64>,
    pub dispatched: Instant,
    pub reply: InteractionReply,
}

#[derive(Debug, Default)]
pub(crate) struct Interactions {
    pub by_id: BTreeMap<u64, Pending>,
    pub by_token: HashMap<String, u64>,
    /// Modals open now, by the interaction whose callback opened them; submitting closes one.
    pub modals: HashMap<u64, OpenModal>,
}

/// What the user does.
#[derive(Debug, Clone)]
pub(crate) enum Action {
    Command {
        name: String,
        options: Value,
    },
    Autocomplete {
        name: String,
        options: Value,
    },
    Press {
        message_id: u64,
        custom_id: String,
    },
    /// Submits the modal the bot opened in answer to interaction `opened_by`.
    SubmitModal {
        opened_by: u64,
        values: Vec<(String, String)>,
    },
}

/// Builds the INTERACTION_CREATE payload for `action` and starts tracking it.
pub(crate) fn inject(
    world: &mut World,
    commands: &Commands,
    interactions: &mut Interactions,
    config: &Config,
    channel_id: u64,
    user_id: u64,
    action: Action,
) -> Result<(Invocation, Value), InjectError> {
    let channel = world
        .channels
        .get(&channel_id)
        .ok_or(InjectError::UnknownChannel(channel_id))?;
    if !world.users.contains_key(&user_id) {
        return Err(InjectError::UnknownUser(user_id));
    }
    let guild_id = channel.guild_id;
    if guild_id.is_some_and(|g| !world.guilds.get(&g).is_some_and(|g| g.bot_member)) {
        return Err(InjectError::BotNotInGuild);
    }
    let in_dm = matches!(channel.kind, ChannelKind::Dm { .. });
    let (kind, data, message_id) = match action {
        Action::Command { name, options } => {
            let data = command_data(commands, guild_id, in_dm, &name, options)?;
            (Kind::Command, data, None)
        }
        Action::Autocomplete { name, options } => {
            let focused = options.as_array().map_or(0, |o| {
                o.iter()
                    .filter(|o| o.get("focused") == Some(&json!(true)))
                    .count()
            });
            if focused != 1 {
                return Err(InjectError::NoFocusedOption);
            }
            let data = command_data(commands, guild_id, in_dm, &name, options)?;
            (Kind::Autocomplete, data, None)
        }
        Action::Press {
            message_id,
            custom_id,
        } => {
            let message = world
                .messages
                .get(&message_id)
                .filter(|m| m.channel_id == channel_id)
                .ok_or(InjectError::UnknownMessage(message_id))?;
            if !crate::components::pressable_ids(&message.components).contains(&custom_id) {
                return Err(InjectError::NoSuchComponent(custom_id));
            }
            (
                Kind::Component,
                json!({ "custom_id": custom_id, "component_type": 2 }),
                Some(message_id),
            )
        }
        Action::SubmitModal { opened_by, values } => {
            let data = modal_data(interactions, opened_by, channel_id, user_id, &values)?;
            let message_id = interactions
                .by_id
                .get(&opened_by)
                .and_then(|p| p.message_id);
            interactions.modals.remove(&opened_by);
            (Kind::ModalSubmit, data, message_id)
        }
    };
    let interaction_id = world.ids.next();
    let token = format!(
        "aW50ZXJhY3Rpb24.{interaction_id}.{:x}",
        interaction_id.rotate_left(17)
    );
    let payload = payload(
        world,
        config,
        interaction_id,
        &token,
        kind,
        channel_id,
        user_id,
        data,
        message_id,
    );
    let pending = Pending {
        token: token.clone(),
        kind,
        channel_id,
        user_id,
        message_id,
        dispatched: Instant::now(),
        reply: InteractionReply {
            interaction_id,
            callback_type: None,
            callback_data: None,
            callback_after: None,
            original: None,
            followups: Vec::new(),
            thinking: false,
        },
    };
    interactions.by_token.insert(token.clone(), interaction_id);
    interactions.by_id.insert(interaction_id, pending);
    Ok((
        Invocation {
            id: interaction_id,
            token,
        },
        payload,
    ))
}

/// The MODAL_SUBMIT data for `values` typed into the modal opened by `opened_by`: every input
/// of the modal in its action row, in order, an empty string for an optional one left empty.
fn modal_data(
    interactions: &Interactions,
    opened_by: u64,
    channel_id: u64,
    user_id: u64,
    values: &[(String, String)],
) -> Result<Value, InjectError> {
    let opener = interactions.by_id.get(&opened_by);
    let modal = interactions.modals.get(&opened_by);
    let (Some(opener), Some(modal)) = (opener, modal) else {
        return Err(InjectError::NoOpenModal(opened_by));
    };
    if opener.user_id != user_id || opener.channel_id != channel_id {
        return Err(InjectError::NotYourModal);
    }
    let bad = |why: String| Err(InjectError::BadModalValue(why));
    if let Some((unknown, _)) = values
        .iter()
        .find(|(id, _)| !modal.inputs.iter().any(|i| &i.custom_id == id))
    {
        return bad(format!("no text input `{unknown}` in the modal"));
    }
    let mut rows = Vec::new();
    for input in &modal.inputs {
        let value = values
            .iter()
            .find(|(id, _)| *id == input.custom_id)
            .map_or("", |(_, v)| v.as_str());
        let length = value.chars().count();
        if length == 0 && input.required {
            return bad(format!("`{}` is required", input.custom_id));
        }
        if length > 0 && !(input.min_length..=input.max_length).contains(&length) {
            return bad(format!(
                "`{}` takes {}–{} characters, not {length}",
                input.custom_id, input.min_length, input.max_length
            ));
        }
        rows.push(json!({ "type": 1, "components": [
            { "type": 4, "custom_id": input.custom_id, "value": value }
        ]}));
    }
    Ok(json!({ "custom_id": modal.custom_id, "components": rows }))
}

fn command_data(
    commands: &Commands,
    guild_id: Option<u64>,
    in_dm: bool,
    name: &str,
    options: Value,
) -> Result<Value, InjectError> {
    let command = commands
        .find(guild_id, name)
        .ok_or_else(|| InjectError::UnknownCommand(name.to_string()))?;
    if in_dm && !commands_allow_dms(command) {
        return Err(InjectError::NotInDms(name.to_string()));
    }
    let declared = declared_names(command);
    for option in options.as_array().into_iter().flatten() {
        let given = option.get("name").and_then(Value::as_str).unwrap_or("");
        if !declared.iter().any(|d| d == given) {
            return Err(InjectError::UnknownOption(given.to_string()));
        }
    }
    let mut data = json!({ "id": command["id"], "name": name, "type": 1, "options": options });
    if let Some(guild) = command.get("guild_id") {
        data["guild_id"] = guild.clone();
    }
    Ok(data)
}

fn commands_allow_dms(command: &Value) -> bool {
    if command.get("dm_permission") == Some(&json!(false)) {
        return false;
    }
    match command.get("contexts").and_then(Value::as_array) {
        Some(contexts) => contexts.contains(&json!(1)),
        None => command.get("guild_id").is_none(),
    }
}

/// Option names at the first two levels (sub-commands and their options).
fn declared_names(command: &Value) -> Vec<String> {
    let mut names = Vec::new();
    let mut stack: Vec<&Value> = command
        .get("options")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .collect();
    while let Some(option) = stack.pop() {
        names.extend(
            option
                .get("name")
                .and_then(Value::as_str)
                .map(str::to_string),
        );
        stack.extend(
            option
                .get("options")
                .and_then(Value::as_array)
                .into_iter()
                .flatten(),
        );
    }
    names
}

#[allow(clippy::too_many_arguments)]
fn payload(
    world: &World,
    config: &Config,
    interaction_id: u64,
    token: &str,
    kind: Kind,
    channel_id: u64,
    user_id: u64,
    data: Value,
    message_id: Option<u64>,
) -> Value {
    let channel = payloads::channel(world, channel_id);
    let locale = world
        .users
        .get(&user_id)
        .map_or("en-US", |u| u.locale.as_str());
    let mut value = json!({
        "id": id(interaction_id), "application_id": id(config.application_id),
        "type": kind.type_code(), "data": data, "channel_id": id(channel_id),
        "channel": channel, "token": token, "version": 1, "locale": locale,
        "entitlements": [], "attachment_size_limit": 10_485_760,
    });
    match world.channels.get(&channel_id).and_then(|c| c.guild_id) {
        Some(guild_id) => {
            let guild = &world.guilds[&guild_id];
            value["guild_id"] = id(guild_id);
            value["guild"] = json!({ "id": id(guild_id), "locale": guild.locale, "features": [] });
            value["guild_locale"] = json!(guild.locale);
            value["member"] = payloads::member(world, guild_id, user_id);
            value["app_permissions"] = json!(world.bot_permissions(channel_id).to_string());
            value["authorizing_integration_owners"] = json!({ "0": id(guild_id) });
            value["context"] = json!(0);
        }
        None => {
            value["user"] = payloads::user(world, user_id);
            value["app_permissions"] = json!(world.bot_permissions(channel_id).to_string());
            value["authorizing_integration_owners"] = json!({ "0": "0" });
            value["context"] = json!(1);
        }
    }
    if let Some(message) = message_id.and_then(|m| world.messages.get(&m)) {
        value["message"] = payloads::message(world, config, message);
    }
    value
}
