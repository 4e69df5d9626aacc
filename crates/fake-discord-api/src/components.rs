//! Message components as Discord checks them: at most 5 action rows; a row holds 1–5 buttons
//! or exactly one select menu; a button has a style 1–6, a label of at most 80 characters (or
//! an emoji), and either a `custom_id` of 1–100 characters (styles 1–4) or a URL (style 5);
//! `custom_id`s are unique within a message. Components V2 layouts are not modelled.

use std::collections::HashSet;

use serde_json::Value;

use crate::error::{FormErrors, chars};

const ACTION_ROW: u64 = 1;
const BUTTON: u64 = 2;
/// String, user, role, mentionable and channel selects.
const SELECTS: [u64; 5] = [3, 5, 6, 7, 8];

pub(crate) fn check_components(rows: &[Value], errors: &mut FormErrors) {
    if rows.len() > 5 {
        errors.too_long("components", 5);
        return;
    }
    let mut custom_ids = HashSet::new();
    for (i, row) in rows.iter().enumerate() {
        let path = format!("components.{i}");
        if row.get("type").and_then(Value::as_u64) != Some(ACTION_ROW) {
            errors.add(
                &format!("{path}.type"),
                "UNION_TYPE_CHOICES",
                "Value of field \"type\" must be one of (1,).",
            );
            continue;
        }
        let children = row.get("components").and_then(Value::as_array);
        let children = children.map(Vec::as_slice).unwrap_or_default();
        if children.is_empty() || children.len() > 5 {
            errors.bad_length(&format!("{path}.components"), 1, 5);
            continue;
        }
        let selects = children
            .iter()
            .filter(|c| {
                c.get("type")
                    .and_then(Value::as_u64)
                    .is_some_and(|t| SELECTS.contains(&t))
            })
            .count();
        if selects > 0 && children.len() > 1 {
            errors.add(
                &format!("{path}.components"),
                "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                "The specified component exceeds the maximum width",
            );
        }
        for (j, child) in children.iter().enumerate() {
            let at = format!("{path}.components.{j}");
            check_child(child, &at, errors, &mut custom_ids);
        }
    }
}

fn check_child(child: &Value, at: &str, errors: &mut FormErrors, ids: &mut HashSet<String>) {
    let kind = child.get("type").and_then(Value::as_u64);
    match kind {
        Some(BUTTON) => check_button(child, at, errors, ids),
        Some(t) if SELECTS.contains(&t) => {
            check_custom_id(child, at, errors, ids);
            if t == 3 {
                let options = child.get("options").and_then(Value::as_array);
                if options.is_none_or(|o| o.is_empty() || o.len() > 25) {
                    errors.bad_length(&format!("{at}.options"), 1, 25);
                }
            }
        }
        _ => errors.add(
            &format!("{at}.type"),
            "UNION_TYPE_CHOICES",
            "Value of field \"type\" must be one of (2, 3, 5, 6, 7, 8).",
        ),
    }
}

fn check_button(button: &Value, at: &str, errors: &mut FormErrors, ids: &mut HashSet<String>) {
    let style = button.get("style").and_then(Value::as_u64);
    let label = button.get("label").and_then(Value::as_str);
    if label.is_some_and(|l| chars(l) > 80) {
        errors.too_long(&format!("{at}.label"), 80);
    }
    let has_emoji = button.get("emoji").is_some_and(|e| !e.is_null());
    if label.is_none_or(str::is_empty) && !has_emoji && style != Some(6) {
        errors.add(
            at,
            "BUTTON_COMPONENT_INVALID",
            "A button must have a label or an emoji",
        );
    }
    let url = button.get("url").and_then(Value::as_str);
    match style {
        Some(1..=4) => {
            if url.is_some() {
                errors.add(
                    &format!("{at}.url"),
                    "BUTTON_COMPONENT_URL_NOT_ALLOWED",
                    "A custom button cannot have a URL",
                );
            }
            check_custom_id(button, at, errors, ids);
        }
        Some(5) => {
            if !url.is_some_and(|u| {
                u.starts_with("https://") || u.starts_with("http://") || u.starts_with("discord://")
            }) {
                errors.add(
                    &format!("{at}.url"),
                    "BUTTON_COMPONENT_URL_REQUIRED",
                    "A link button requires a valid URL",
                );
            }
            if button.get("custom_id").is_some_and(|id| !id.is_null()) {
                errors.add(
                    &format!("{at}.custom_id"),
                    "BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED",
                    "A link button cannot have a custom id",
                );
            }
        }
        Some(6) => {
            if button.get("sku_id").is_none_or(Value::is_null) {
                errors.required(&format!("{at}.sku_id"));
            }
        }
        _ => errors.add(
            &format!("{at}.style"),
            "BASE_TYPE_CHOICES",
            "Value must be one of {1, 2, 3, 4, 5, 6}.",
        ),
    }
}

fn check_custom_id(
    component: &Value,
    at: &str,
    errors: &mut FormErrors,
    ids: &mut HashSet<String>,
) {
    let path = format!("{at}.custom_id");
    match component.get("custom_id").and_then(Value::as_str) {
        None => errors.required(&path),
        Some(id) if id.is_empty() || chars(id) > 100 => errors.bad_length(&path, 1, 100),
        Some(id) => {
            if !ids.insert(id.to_string()) {
                errors.add(
                    &path,
                    "COMPONENT_CUSTOM_ID_DUPLICATED",
                    "Component custom id cannot be duplicated",
                );
            }
        }
    }
}

/// Every `custom_id` of a message's buttons and selects that a user can press.
pub(crate) fn pressable_ids(rows: &[Value]) -> Vec<String> {
    rows.iter()
        .filter_map(|row| row.get("components").and_then(Value::as_array))
        .flatten()
        .filter_map(|c| c.get("custom_id").and_then(Value::as_str))
        .map(str::to_string)
        .collect()
}
