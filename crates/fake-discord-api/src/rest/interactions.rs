//! Answering interactions: the callback (`POST /interactions/{id}/{token}/callback`, once and
//! within the deadline, with a type that fits the interaction), then follow-ups
//! (`POST /webhooks/{app}/{token}`) and edits of the reply (`…/messages/@original` or a
//! follow-up's id) while the token lives. The first follow-up after a deferral (type 5) fills
//! the deferred "thinking" message, as on Discord, and ignores its ephemeral flag (the
//! message is public unless the type 5 itself asked for ephemeral); after type 6 (deferred
//! update) every follow-up is a new message and honours the flag. Replies, follow-ups and
//! edits may carry files (`multipart/form-data`), which need Attach Files in the channel, as
//! the app's permissions decide for interaction messages too.

use std::time::Instant;

use axum::http::Method;
use serde_json::Value;

use super::Handled;
use super::channels::check_may_attach;
use crate::error::{ApiError, FormErrors, chars};
use crate::interactions::{Kind, OpenModal, Pending, TextInput};
use crate::message::{Draft, EPHEMERAL, LOADING, Usage, check_message, check_upload};
use crate::multipart::Upload;
use crate::posting::{Origin, edit, post};
use crate::state::{Inner, State};

fn invalid_type(kind: u64) -> ApiError {
    let mut errors = FormErrors::default();
    errors.add(
        "type",
        "INTERACTION_RESPONSE_TYPE_INVALID",
        format!("Interaction response type {kind} is not valid for this interaction"),
    );
    errors.into_result().unwrap_err()
}

fn message_json(state: &State, inner: &Inner, id: u64) -> Option<Value> {
    let message = inner.world.messages.get(&id)?;
    Some(crate::payloads::message(
        &inner.world,
        &state.config,
        message,
    ))
}

fn reply_origin(state: &State, id: u64, pending: &Pending) -> Origin {
    Origin {
        author_id: state.config.application_id,
        interaction_id: Some(id),
        invoker_id: Some(pending.user_id),
    }
}

pub(super) fn callback(
    state: &State,
    inner: &mut Inner,
    (id, token): (u64, &str),
    (body, files): (&Value, &[Upload]),
    now: Instant,
) -> Handled {
    let Some(pending) = inner
        .interactions
        .by_id
        .get(&id)
        .filter(|p| p.token == token)
        .cloned()
    else {
        return Err(ApiError::unknown_interaction());
    };
    if pending.reply.callback_type.is_some() {
        return Err(ApiError::already_acknowledged());
    }
    if now.duration_since(pending.dispatched) > state.config.interaction_deadline {
        return Err(ApiError::unknown_interaction());
    }
    let kind = body.get("type").and_then(Value::as_u64).unwrap_or(0);
    let data = body.get("data").cloned().unwrap_or(Value::Null);
    let allowed = match pending.kind {
        Kind::Command => [4, 5, 9].contains(&kind),
        Kind::Component => [4, 5, 6, 7, 9].contains(&kind),
        Kind::Autocomplete => kind == 8,
        // No modal in answer to a modal; updates only when the modal came from a component.
        Kind::ModalSubmit => {
            [4, 5].contains(&kind) || (pending.message_id.is_some() && [6, 7].contains(&kind))
        }
    };
    if !allowed {
        return Err(invalid_type(kind));
    }
    if !files.is_empty() && ![4, 7].contains(&kind) {
        let why = format!("A response of type {kind} takes no files");
        return Err(ApiError::invalid_field("files", "FILES_NOT_ALLOWED", &why));
    }
    let origin = reply_origin(state, id, &pending);
    let mut original = None;
    let mut loading = false;
    let mut modal = None;
    match kind {
        4 => {
            let draft = check_upload(&data, files, Usage::Interaction)?;
            check_may_attach(&inner.world, pending.channel_id, &draft)?;
            original = Some(post(
                &mut inner.world,
                pending.channel_id,
                origin,
                draft,
                0,
            )?);
        }
        5 => {
            let flags = data.get("flags").and_then(Value::as_u64).unwrap_or(0);
            if flags & !EPHEMERAL != 0 {
                return Err(check_message(&data, Usage::Interaction)
                    .err()
                    .unwrap_or_else(|| invalid_type(kind)));
            }
            original = Some(post(
                &mut inner.world,
                pending.channel_id,
                origin,
                Draft::default(),
                flags | LOADING,
            )?);
            loading = true;
        }
        7 => {
            let draft = check_upload(&data, files, Usage::Edit)?;
            check_may_attach(&inner.world, pending.channel_id, &draft)?;
            let message_id = pending.message_id.ok_or_else(|| invalid_type(kind))?;
            edit(&mut inner.world, message_id, draft)?;
        }
        8 => check_choices(&data)?,
        9 => modal = Some(check_modal(&data)?),
        _ => {}
    }
    let Some(pending) = inner.interactions.by_id.get_mut(&id) else {
        return Err(ApiError::unknown_interaction());
    };
    pending.reply.callback_type = u8::try_from(kind).ok();
    pending.reply.callback_data = Some(data);
    pending.reply.callback_after = Some(now.duration_since(pending.dispatched));
    pending.reply.original = original;
    pending.reply.thinking = loading;
    if let Some(modal) = modal {
        inner.interactions.modals.insert(id, modal);
    }
    Ok((204, None))
}

fn check_choices(data: &Value) -> Result<(), ApiError> {
    let mut errors = FormErrors::default();
    let choices = data.get("choices").and_then(Value::as_array);
    match choices {
        None => errors.required("data.choices"),
        Some(list) if list.len() > 25 => errors.too_long("data.choices", 25),
        Some(list) => {
            for (i, choice) in list.iter().enumerate() {
                let name = choice.get("name").and_then(Value::as_str).unwrap_or("");
                if !(1..=100).contains(&chars(name)) {
                    errors.bad_length(&format!("data.choices.{i}.name"), 1, 100);
                }
                match choice.get("value") {
                    Some(Value::String(v)) if chars(v) > 100 => {
                        errors.too_long(&format!("data.choices.{i}.value"), 100)
                    }
                    Some(Value::String(_) | Value::Number(_)) => {}
                    _ => errors.required(&format!("data.choices.{i}.value")),
                }
            }
        }
    }
    errors.into_result()
}

/// A modal as Discord checks it: `custom_id` 1–100, `title` 1–45, 1–5 action rows of exactly
/// one text input each (`custom_id` 1–100 and unique, style 1 or 2, `label` 1–45,
/// `min_length` 0–4000, `max_length` 1–4000 and not below it, `value` ≤ 4000, `placeholder` ≤
/// 100). Label components (type 18), the newer wrapper, are not modelled and are refused.
fn check_modal(data: &Value) -> Result<OpenModal, ApiError> {
    let mut errors = FormErrors::default();
    let text_len = |key: &str| data.get(key).and_then(Value::as_str).map_or(0, chars);
    if !(1..=100).contains(&text_len("custom_id")) {
        errors.bad_length("data.custom_id", 1, 100);
    }
    if !(1..=45).contains(&text_len("title")) {
        errors.bad_length("data.title", 1, 45);
    }
    let rows = data.get("components").and_then(Value::as_array);
    let rows = rows.map(Vec::as_slice).unwrap_or_default();
    if !(1..=5).contains(&rows.len()) {
        errors.bad_length("data.components", 1, 5);
    }
    let mut inputs: Vec<TextInput> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let path = format!("data.components.{i}");
        let children = row.get("components").and_then(Value::as_array);
        match children.map(Vec::as_slice) {
            Some([input]) if row.get("type").and_then(Value::as_u64) == Some(1) => {
                let checked = check_text_input(input, &format!("{path}.components.0"), &mut errors);
                if let Some(checked) = checked {
                    if inputs.iter().any(|i| i.custom_id == checked.custom_id) {
                        errors.add(
                            &format!("{path}.components.0.custom_id"),
                            "COMPONENT_CUSTOM_ID_DUPLICATED",
                            "Component custom id cannot be duplicated",
                        );
                    }
                    inputs.push(checked);
                }
            }
            _ => errors.add(
                &path,
                "MODAL_COMPONENT_INVALID",
                "A modal row must be an action row (type 1) holding one text input",
            ),
        }
    }
    errors.into_result()?;
    Ok(OpenModal {
        custom_id: data["custom_id"].as_str().unwrap_or_default().to_string(),
        inputs,
    })
}

fn check_text_input(input: &Value, path: &str, errors: &mut FormErrors) -> Option<TextInput> {
    let text = |key: &str| input.get(key).and_then(Value::as_str);
    let number = |key: &str| input.get(key).and_then(Value::as_u64);
    let before = errors.is_empty();
    if number("type") != Some(4) {
        errors.add(
            &format!("{path}.type"),
            "COMPONENT_TYPE_INVALID",
            "A modal holds text inputs (type 4)",
        );
    }
    let custom_id = text("custom_id").unwrap_or("");
    if !(1..=100).contains(&chars(custom_id)) {
        errors.bad_length(&format!("{path}.custom_id"), 1, 100);
    }
    if !matches!(number("style"), Some(1 | 2)) {
        errors.add(
            &format!("{path}.style"),
            "BASE_TYPE_CHOICES",
            "Value must be one of (1, 2).",
        );
    }
    if !(1..=45).contains(&text("label").map_or(0, chars)) {
        errors.bad_length(&format!("{path}.label"), 1, 45);
    }
    let min_length = number("min_length").unwrap_or(0);
    let max_length = number("max_length").unwrap_or(4000);
    if min_length > 4000 {
        errors.add(
            &format!("{path}.min_length"),
            "NUMBER_TYPE_MAX",
            "int value should be less than or equal to 4000.",
        );
    }
    if !(1..=4000).contains(&max_length) || max_length < min_length {
        errors.add(
            &format!("{path}.max_length"),
            "NUMBER_TYPE_MAX",
            "max_length must be 1–4000 and at least min_length.",
        );
    }
    if text("value").is_some_and(|v| chars(v) > 4000) {
        errors.too_long(&format!("{path}.value"), 4000);
    }
    if text("placeholder").is_some_and(|p| chars(p) > 100) {
        errors.too_long(&format!("{path}.placeholder"), 100);
    }
    let required = input
        .get("required")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    (before && errors.is_empty()).then(|| TextInput {
        custom_id: custom_id.to_string(),
        required,
        min_length: usize::try_from(min_length).unwrap_or(0),
        max_length: usize::try_from(max_length).unwrap_or(4000),
    })
}

/// The interaction behind a webhook token, if the token is usable now.
fn webhook(
    state: &State,
    inner: &Inner,
    app: u64,
    token: &str,
    now: Instant,
) -> Result<(u64, Pending), ApiError> {
    let found = inner
        .interactions
        .by_token
        .get(token)
        .and_then(|id| Some((*id, inner.interactions.by_id.get(id)?.clone())));
    let Some((id, pending)) = found.filter(|_| app == state.config.application_id) else {
        return Err(ApiError::unknown_webhook());
    };
    if pending.reply.callback_type.is_none() {
        return Err(ApiError::unknown_webhook());
    }
    if now.duration_since(pending.dispatched) > state.config.webhook_lifetime {
        return Err(ApiError::invalid_webhook_token());
    }
    Ok((id, pending))
}

pub(super) fn followup(
    state: &State,
    inner: &mut Inner,
    (app, token): (u64, &str),
    (body, files): (&Value, &[Upload]),
    now: Instant,
) -> Handled {
    let (id, pending) = webhook(state, inner, app, token, now)?;
    let draft = check_upload(body, files, Usage::Interaction)?;
    check_may_attach(&inner.world, pending.channel_id, &draft)?;
    let message_id = match pending.reply.original.filter(|_| pending.reply.thinking) {
        Some(original) => {
            edit(&mut inner.world, original, draft)?;
            if let Some(p) = inner.interactions.by_id.get_mut(&id) {
                p.reply.thinking = false;
            }
            original
        }
        None => {
            let origin = reply_origin(state, id, &pending);
            let message_id = post(&mut inner.world, pending.channel_id, origin, draft, 0)?;
            if let Some(p) = inner.interactions.by_id.get_mut(&id) {
                p.reply.followups.push(message_id);
            }
            message_id
        }
    };
    Ok((200, message_json(state, inner, message_id)))
}

pub(super) fn original(
    state: &State,
    inner: &mut Inner,
    method: &Method,
    (app, token, message): (u64, &str, Option<u64>),
    (body, files): (&Value, &[Upload]),
    now: Instant,
) -> Handled {
    let (id, pending) = webhook(state, inner, app, token, now)?;
    let original = pending.reply.original.or(pending.message_id);
    let target = match message {
        None => original,
        Some(m) if pending.reply.followups.contains(&m) || Some(m) == original => Some(m),
        Some(_) => None,
    };
    let target = target
        .filter(|m| inner.world.messages.contains_key(m))
        .ok_or_else(ApiError::unknown_message)?;
    if *method == Method::DELETE {
        inner.world.messages.remove(&target);
        return Ok((204, None));
    }
    if *method == Method::PATCH {
        let draft = check_upload(body, files, Usage::Edit)?;
        check_may_attach(&inner.world, pending.channel_id, &draft)?;
        edit(&mut inner.world, target, draft)?;
        if Some(target) == pending.reply.original
            && let Some(p) = inner.interactions.by_id.get_mut(&id)
        {
            p.reply.thinking = false;
        }
    }
    Ok((200, message_json(state, inner, target)))
}
