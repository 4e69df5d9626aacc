//! What a bot may send as a message, checked as Discord checks it: content ≤ 2000 characters,
//! no empty message, embeds (≤ 10; title 256, description 4096, fields 25 × 256/1024, footer
//! 2048, author 256; 6000 in total), components (see [`crate::components`]), `allowed_mentions`
//! and flags, files (see [`crate::attachments`]). The same checks serve channel messages,
//! interaction replies, follow-ups and edits.

use serde_json::Value;

use crate::attachments::{Files, check_files, check_image_urls};
use crate::components::check_components;
use crate::error::{ApiError, FormErrors, chars};
use crate::multipart::Upload;

pub(crate) const EPHEMERAL: u64 = 1 << 6;
pub(crate) const SUPPRESS_EMBEDS: u64 = 1 << 2;
pub(crate) const SUPPRESS_NOTIFICATIONS: u64 = 1 << 12;
/// Set on a deferred reply until it is edited ("Bot is thinking…").
pub(crate) const LOADING: u64 = 1 << 7;

/// Where a message body is used: decides the allowed flags and whether it may be empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Usage {
    /// `POST /channels/{id}/messages`.
    Channel,
    /// An interaction callback (type 4 or 7) or a follow-up.
    Interaction,
    /// A `PATCH` of an existing message: absent fields are kept.
    Edit,
}

/// A reply target: `message_reference`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reference {
    pub message_id: u64,
    pub channel_id: Option<u64>,
    pub fail_if_not_exists: bool,
}

/// A checked message body. `None` fields were absent (kept as they are by an edit).
#[derive(Debug, Clone, Default)]
pub(crate) struct Draft {
    pub content: Option<String>,
    pub embeds: Option<Vec<Value>>,
    pub components: Option<Vec<Value>>,
    pub flags: Option<u64>,
    pub allowed_mentions: Option<Value>,
    pub reference: Option<Reference>,
    pub files: Files,
}

impl Draft {
    /// Whether the message would show nothing (Discord trims whitespace).
    pub fn is_empty(&self) -> bool {
        self.files.new.is_empty()
            && self.content.as_deref().is_none_or(|c| c.trim().is_empty())
            && self.embeds.as_ref().is_none_or(Vec::is_empty)
            && self.components.as_ref().is_none_or(Vec::is_empty)
    }
}

/// Checks a message body for `usage` and returns it, or Discord's error.
pub(crate) fn check_message(body: &Value, usage: Usage) -> Result<Draft, ApiError> {
    check_upload(body, &[], usage)
}

/// Checks a message body and the files uploaded with it (a `multipart/form-data` request).
pub(crate) fn check_upload(
    body: &Value,
    uploads: &[Upload],
    usage: Usage,
) -> Result<Draft, ApiError> {
    let Some(object) = body.as_object() else {
        let mut errors = FormErrors::default();
        errors.add(
            "_root",
            "DICT_TYPE_CONVERT",
            "Only dictionaries may be used in a DictType",
        );
        return Err(errors.into_result().unwrap_err());
    };
    let mut errors = FormErrors::default();
    let mut draft = Draft::default();
    match object.get("content") {
        None | Some(Value::Null) => {}
        Some(Value::String(text)) if chars(text) > 2000 => errors.too_long("content", 2000),
        Some(Value::String(text)) => draft.content = Some(text.clone()),
        Some(other) => not_a_string(&mut errors, "content", other),
    }
    draft.embeds = list_field(object.get("embeds"), "embeds", &mut errors);
    if let Some(embeds) = &draft.embeds {
        check_embeds(embeds, &mut errors);
    }
    draft.components = list_field(object.get("components"), "components", &mut errors);
    if let Some(components) = &draft.components {
        check_components(components, &mut errors);
    }
    draft.flags = check_flags(object.get("flags"), usage, &mut errors);
    draft.allowed_mentions = object
        .get("allowed_mentions")
        .filter(|v| !v.is_null())
        .cloned();
    if let Some(mentions) = &draft.allowed_mentions {
        check_allowed_mentions(mentions, &mut errors);
    }
    draft.reference = check_reference(object.get("message_reference"), usage, &mut errors);
    if let Some(Value::String(nonce)) = object.get("nonce")
        && chars(nonce) > 25
    {
        errors.too_long("nonce", 25);
    }
    errors.into_result()?;
    draft.files = check_files(object, uploads, usage == Usage::Edit)?;
    if usage != Usage::Edit && draft.is_empty() {
        return Err(ApiError::empty_message());
    }
    Ok(draft)
}

fn not_a_string(errors: &mut FormErrors, path: &str, value: &Value) {
    errors.add(
        path,
        "BASE_TYPE_STRING",
        format!("Could not interpret \"{value}\" as string."),
    );
}

fn list_field(value: Option<&Value>, path: &str, errors: &mut FormErrors) -> Option<Vec<Value>> {
    match value {
        None | Some(Value::Null) => None,
        Some(Value::Array(items)) => Some(items.clone()),
        Some(_) => {
            errors.add(
                path,
                "LIST_TYPE_CONVERT",
                "Only iterables may be used in a ListType",
            );
            None
        }
    }
}

fn check_flags(value: Option<&Value>, usage: Usage, errors: &mut FormErrors) -> Option<u64> {
    let flags = match value {
        None | Some(Value::Null) => return None,
        Some(v) => v.as_u64(),
    };
    let mut allowed = SUPPRESS_EMBEDS | SUPPRESS_NOTIFICATIONS;
    if usage != Usage::Channel {
        allowed |= EPHEMERAL;
    }
    match flags {
        Some(bits) if bits & !allowed == 0 => Some(bits),
        _ => {
            errors.add("flags", "MESSAGE_FLAGS_INVALID", "Invalid flags");
            None
        }
    }
}

fn text_limit(embed: &Value, key: &str, max: usize, path: &str, errors: &mut FormErrors) -> usize {
    match embed.pointer(key) {
        None | Some(Value::Null) => 0,
        Some(Value::String(text)) => {
            let n = chars(text);
            if n > max {
                errors.too_long(path, max);
            }
            n
        }
        Some(other) => {
            not_a_string(errors, path, other);
            0
        }
    }
}

fn check_embeds(embeds: &[Value], errors: &mut FormErrors) {
    if embeds.len() > 10 {
        errors.too_long("embeds", 10);
        return;
    }
    let mut total = 0;
    for (i, embed) in embeds.iter().enumerate() {
        if !embed.is_object() {
            errors.add(
                &format!("embeds.{i}"),
                "DICT_TYPE_CONVERT",
                "Only dictionaries may be used in a DictType",
            );
            continue;
        }
        let at = |field: &str| format!("embeds.{i}.{field}");
        check_image_urls(embed, &format!("embeds.{i}"), errors);
        total += text_limit(embed, "/title", 256, &at("title"), errors);
        total += text_limit(embed, "/description", 4096, &at("description"), errors);
        total += text_limit(embed, "/footer/text", 2048, &at("footer.text"), errors);
        total += text_limit(embed, "/author/name", 256, &at("author.name"), errors);
        let fields = embed.get("fields").and_then(Value::as_array);
        if fields.is_some_and(|f| f.len() > 25) {
            errors.too_long(&at("fields"), 25);
        }
        for (j, field) in fields.into_iter().flatten().enumerate() {
            let name = text_limit(
                field,
                "/name",
                256,
                &at(&format!("fields.{j}.name")),
                errors,
            );
            let value = text_limit(
                field,
                "/value",
                1024,
                &at(&format!("fields.{j}.value")),
                errors,
            );
            if name == 0 || value == 0 {
                errors.required(&at(&format!("fields.{j}")));
            }
            total += name + value;
        }
    }
    if total > 6000 {
        errors.add(
            "embeds",
            "MAX_EMBED_SIZE_EXCEEDED",
            "Embed size exceeds maximum size of 6000",
        );
    }
}

fn check_allowed_mentions(mentions: &Value, errors: &mut FormErrors) {
    let Some(object) = mentions.as_object() else {
        errors.add(
            "allowed_mentions",
            "DICT_TYPE_CONVERT",
            "Only dictionaries may be used in a DictType",
        );
        return;
    };
    let parse: Vec<&str> = object
        .get("parse")
        .and_then(Value::as_array)
        .map(|list| list.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    for (i, kind) in parse.iter().enumerate() {
        if !matches!(*kind, "roles" | "users" | "everyone") {
            errors.add(
                &format!("allowed_mentions.parse.{i}"),
                "BASE_TYPE_CHOICES",
                "Value must be one of {'roles', 'users', 'everyone'}.",
            );
        }
    }
    for (list, kind) in [("users", "users"), ("roles", "roles")] {
        let ids = object.get(list).and_then(Value::as_array);
        if ids.is_some_and(|ids| !ids.is_empty()) && parse.contains(&kind) {
            errors.add(
                "allowed_mentions",
                "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                format!("parse:[\"{kind}\"] and {list}: [ids...] are mutually exclusive."),
            );
        }
        if ids.is_some_and(|ids| ids.len() > 100) {
            errors.too_long(&format!("allowed_mentions.{list}"), 100);
        }
    }
}

fn check_reference(
    value: Option<&Value>,
    usage: Usage,
    errors: &mut FormErrors,
) -> Option<Reference> {
    let reference = value.filter(|v| !v.is_null())?;
    if usage == Usage::Edit {
        return None;
    }
    let message_id = reference.get("message_id").and_then(crate::json::snowflake);
    let Some(message_id) = message_id else {
        errors.required("message_reference.message_id");
        return None;
    };
    Some(Reference {
        message_id,
        channel_id: reference.get("channel_id").and_then(crate::json::snowflake),
        fail_if_not_exists: reference
            .get("fail_if_not_exists")
            .and_then(Value::as_bool)
            .unwrap_or(true),
    })
}

#[cfg(test)]
mod tests;
