//! Validation of what a message carries: its text under its `parse_mode` (HTML goes through
//! the strict validator in [`crate::html`]) and its `reply_markup` (inline buttons need exactly
//! one action, `callback_data` of 1..=64 bytes, non-empty text, a valid URL scheme).

use serde_json::Value;

use crate::html;
use crate::json::plain_text;
use crate::reply::Failure;

/// Telegram's limit on a message text, in code points after entity parsing.
pub(crate) const MAX_TEXT_CHARS: usize = 4096;
const MAX_CALLBACK_DATA_BYTES: usize = 64;

/// Fields of `InlineKeyboardButton` that give it an action; exactly one must be present.
const BUTTON_ACTIONS: &[&str] = &[
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
];

/// Checks a message text under `parse_mode` ("HTML" is validated strictly; "MarkdownV2" and
/// "Markdown" are only measured).
pub(crate) fn check_text(text: &str, parse_mode: Option<&str>) -> Result<(), Failure> {
    let length = match parse_mode {
        None => text.chars().count(),
        Some(mode) if mode.eq_ignore_ascii_case("html") => {
            html::validate(text).map_err(|err| Failure::bad_request(err.message))?
        }
        Some(mode)
            if mode.eq_ignore_ascii_case("markdownv2") || mode.eq_ignore_ascii_case("markdown") =>
        {
            text.chars().count()
        }
        Some(_) => return Err(Failure::bad_request("unsupported parse_mode")),
    };
    if length == 0 || plain_text(text, parse_mode).trim().is_empty() {
        return Err(Failure::bad_request("message text is empty"));
    }
    if length > MAX_TEXT_CHARS {
        return Err(Failure::bad_request("message is too long"));
    }
    Ok(())
}

/// Checks a `reply_markup`; edits (`inline_only`) accept only an inline keyboard.
pub(crate) fn check_reply_markup(markup: &Value, inline_only: bool) -> Result<(), Failure> {
    if let Some(rows) = markup.get("inline_keyboard") {
        return check_rows(rows, check_inline_button);
    }
    if inline_only {
        return Err(Failure::bad_request("inline keyboard expected"));
    }
    if let Some(rows) = markup.get("keyboard") {
        return check_rows(rows, check_keyboard_button);
    }
    if markup.get("remove_keyboard").is_some() || markup.get("force_reply").is_some() {
        return Ok(());
    }
    Err(Failure::bad_request(
        "can't parse reply keyboard markup JSON object",
    ))
}

fn check_rows(rows: &Value, check: fn(&Value) -> Result<(), Failure>) -> Result<(), Failure> {
    let rows = rows.as_array().ok_or_else(|| {
        Failure::bad_request(
            "field \"inline_keyboard\" of the InlineKeyboardMarkup should be an Array of Arrays",
        )
    })?;
    for row in rows {
        let buttons = row
            .as_array()
            .ok_or_else(|| Failure::bad_request("can't parse reply keyboard markup JSON object"))?;
        buttons.iter().try_for_each(check)?;
    }
    Ok(())
}

fn check_inline_button(button: &Value) -> Result<(), Failure> {
    check_button_text(button)?;
    let actions: Vec<&str> = BUTTON_ACTIONS
        .iter()
        .copied()
        .filter(|action| button.get(*action).is_some())
        .collect();
    match actions.as_slice() {
        [] => Err(Failure::bad_request(
            "text buttons are unallowed in the inline keyboard",
        )),
        ["callback_data"] => check_callback_data(&button["callback_data"]),
        ["url"] => check_url(&button["url"]),
        [_] => Ok(()),
        _ => Err(Failure::bad_request(
            "can't parse inline keyboard button: exactly one of the optional fields must be used",
        )),
    }
}

fn check_keyboard_button(button: &Value) -> Result<(), Failure> {
    if button.is_string() {
        return if button.as_str().is_some_and(|s| !s.is_empty()) {
            Ok(())
        } else {
            Err(Failure::bad_request("BUTTON_TEXT_INVALID"))
        };
    }
    check_button_text(button)
}

fn check_button_text(button: &Value) -> Result<(), Failure> {
    match button.get("text").and_then(Value::as_str) {
        Some(text) if !text.trim().is_empty() => Ok(()),
        Some(_) => Err(Failure::bad_request("BUTTON_TEXT_INVALID")),
        None => Err(Failure::bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
        )),
    }
}

fn check_callback_data(data: &Value) -> Result<(), Failure> {
    match data.as_str() {
        Some(data) if (1..=MAX_CALLBACK_DATA_BYTES).contains(&data.len()) => Ok(()),
        _ => Err(Failure::bad_request("BUTTON_DATA_INVALID")),
    }
}

fn check_url(url: &Value) -> Result<(), Failure> {
    let valid = url.as_str().is_some_and(|url| {
        ["http://", "https://", "tg://"].iter().any(|scheme| {
            url.get(..scheme.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(scheme))
                && url.len() > scheme.len()
        })
    });
    if valid {
        Ok(())
    } else {
        Err(Failure::bad_request("BUTTON_URL_INVALID"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn description(result: Result<(), Failure>) -> String {
        result.unwrap_err().description
    }

    #[test]
    fn text_length_and_emptiness() {
        assert!(check_text("hi", None).is_ok());
        assert!(check_text(&"й".repeat(4096), None).is_ok());
        assert_eq!(
            description(check_text(&"й".repeat(4097), None)),
            "Bad Request: message is too long"
        );
        assert_eq!(
            description(check_text("  \n", None)),
            "Bad Request: message text is empty"
        );
        assert_eq!(
            description(check_text("<b> </b>", Some("HTML"))),
            "Bad Request: message text is empty"
        );
        assert_eq!(
            description(check_text("x", Some("html5"))),
            "Bad Request: unsupported parse_mode"
        );
    }

    #[test]
    fn html_errors_are_reported_as_entity_parse_errors() {
        let err = description(check_text("a<br>b", Some("HTML")));
        assert!(
            err.starts_with("Bad Request: can't parse entities: "),
            "{err}"
        );
        assert_eq!(err.matches("Bad Request").count(), 1, "{err}");
        assert!(check_text("<b>bold</b> &lt;", Some("HTML")).is_ok());
    }

    #[test]
    fn inline_buttons() {
        let markup = |button: Value| json!({ "inline_keyboard": [[button]] });
        assert!(
            check_reply_markup(&markup(json!({"text": "ok", "callback_data": "a"})), true).is_ok()
        );
        let long = "x".repeat(65);
        assert_eq!(
            description(check_reply_markup(
                &markup(json!({"text": "t", "callback_data": long})),
                true
            )),
            "Bad Request: BUTTON_DATA_INVALID"
        );
        assert_eq!(
            description(check_reply_markup(
                &markup(json!({"text": "t", "callback_data": ""})),
                true
            )),
            "Bad Request: BUTTON_DATA_INVALID"
        );
        assert_eq!(
            description(check_reply_markup(
                &markup(json!({"text": "", "callback_data": "a"})),
                true
            )),
            "Bad Request: BUTTON_TEXT_INVALID"
        );
        assert_eq!(
            description(check_reply_markup(&markup(json!({"text": "t"})), true)),
            "Bad Request: text buttons are unallowed in the inline keyboard"
        );
        assert_eq!(
            description(check_reply_markup(
                &markup(json!({"text": "t", "url": "ftp://x"})),
                true
            )),
            "Bad Request: BUTTON_URL_INVALID"
        );
        // 64 bytes of multi-byte text is the limit, not 64 characters.
        assert!(
            check_reply_markup(
                &markup(json!({"text": "t", "callback_data": "é".repeat(32)})),
                true
            )
            .is_ok()
        );
        assert!(
            check_reply_markup(
                &markup(json!({"text": "t", "callback_data": "é".repeat(33)})),
                true
            )
            .is_err()
        );
    }

    #[test]
    fn edits_only_take_inline_keyboards() {
        let keyboard = json!({ "keyboard": [["a"]] });
        assert!(check_reply_markup(&keyboard, false).is_ok());
        assert!(check_reply_markup(&keyboard, true).is_err());
    }
}
