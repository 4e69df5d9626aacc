//! Discord's error answers: a status and a JSON body `{code, message}`, plus, for invalid form
//! bodies (50035), an `errors` tree naming each bad field the way Discord does:
//! `{"content": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": "…"}]}}`.

use serde_json::{Map, Value, json};

/// One refused request, ready to be sent.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ApiError {
    pub status: u16,
    pub code: u64,
    pub message: String,
    pub errors: Option<Value>,
}

impl ApiError {
    pub fn new(status: u16, code: u64, message: &str) -> ApiError {
        ApiError {
            status,
            code,
            message: message.to_string(),
            errors: None,
        }
    }

    pub fn body(&self) -> Value {
        let mut body = json!({ "code": self.code, "message": self.message });
        if let Some(errors) = &self.errors {
            body["errors"] = errors.clone();
        }
        body
    }

    pub fn unauthorized() -> ApiError {
        ApiError::new(401, 0, "401: Unauthorized")
    }

    pub fn not_found() -> ApiError {
        ApiError::new(404, 0, "404: Not Found")
    }

    pub fn method_not_allowed() -> ApiError {
        ApiError::new(405, 0, "405: Method Not Allowed")
    }

    pub fn invalid_json() -> ApiError {
        ApiError::new(400, 50109, "The request body contains invalid JSON.")
    }

    pub fn unknown_channel() -> ApiError {
        ApiError::new(404, 10003, "Unknown Channel")
    }

    pub fn unknown_message() -> ApiError {
        ApiError::new(404, 10008, "Unknown Message")
    }

    pub fn unknown_webhook() -> ApiError {
        ApiError::new(404, 10015, "Unknown Webhook")
    }

    pub fn unknown_interaction() -> ApiError {
        ApiError::new(404, 10062, "Unknown interaction")
    }

    pub fn already_acknowledged() -> ApiError {
        ApiError::new(400, 40060, "Interaction has already been acknowledged.")
    }

    pub fn invalid_webhook_token() -> ApiError {
        ApiError::new(401, 50027, "Invalid Webhook Token")
    }

    pub fn empty_message() -> ApiError {
        ApiError::new(400, 50006, "Cannot send an empty message")
    }

    /// 413: the files of a message exceed the upload limit.
    pub fn entity_too_large() -> ApiError {
        ApiError::new(
            413,
            40005,
            "Request entity too large. Try sending something smaller in size",
        )
    }

    pub fn missing_access() -> ApiError {
        ApiError::new(403, 50001, "Missing Access")
    }

    pub fn max_pins(max: usize) -> ApiError {
        let message = format!("Maximum number of pins reached for the channel ({max})");
        ApiError::new(400, 30003, &message)
    }

    pub fn missing_permissions() -> ApiError {
        ApiError::new(403, 50013, "Missing Permissions")
    }

    /// A reply (`message_reference`) where the bot may not read the message history.
    pub fn cannot_reply() -> ApiError {
        ApiError::new(
            403,
            160002,
            "Cannot reply without permission to read message history",
        )
    }

    /// Start Thread from Message on a message that already has a thread.
    pub fn thread_exists() -> ApiError {
        ApiError::new(
            400,
            160004,
            "A thread has already been created for this message",
        )
    }

    /// A message into an archived thread the bot may not reopen (locked).
    pub fn thread_archived() -> ApiError {
        ApiError::new(400, 50083, "Thread is archived")
    }

    /// A thread asked of a channel that cannot hold one (a thread, a DM).
    pub fn wrong_channel_type() -> ApiError {
        ApiError::new(400, 50024, "Cannot execute action on this channel type")
    }

    pub fn cannot_message_user() -> ApiError {
        ApiError::new(403, 50007, "Cannot send messages to this user")
    }

    pub fn invalid_recipients() -> ApiError {
        ApiError::new(400, 50033, "Invalid Recipient(s)")
    }

    /// 400 50035 with one field error at `path`.
    pub fn invalid_field(path: &str, code: &str, message: &str) -> ApiError {
        let mut errors = FormErrors::default();
        errors.add(path, code, message);
        let mut error = ApiError::new(400, 50035, "Invalid Form Body");
        error.errors = Some(Value::Object(errors.tree));
        error
    }
}

/// Collects field errors of one request body; empty means valid.
#[derive(Debug, Default)]
pub(crate) struct FormErrors {
    tree: Map<String, Value>,
}

impl FormErrors {
    /// Records an error at a dotted path such as `embeds.0.title`.
    pub fn add(&mut self, path: &str, code: &str, message: impl Into<String>) {
        let mut node = &mut self.tree;
        for part in path.split('.') {
            let entry = node
                .entry(part.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if !entry.is_object() {
                *entry = Value::Object(Map::new());
            }
            let Value::Object(map) = entry else { return };
            node = map;
        }
        let list = node
            .entry("_errors".to_string())
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(list) = list {
            list.push(json!({ "code": code, "message": message.into() }));
        }
    }

    /// A length error with Discord's wording.
    pub fn too_long(&mut self, path: &str, max: usize) {
        self.add(
            path,
            "BASE_TYPE_MAX_LENGTH",
            format!("Must be {max} or fewer in length."),
        );
    }

    /// A length error for values that must have between `min` and `max` characters.
    pub fn bad_length(&mut self, path: &str, min: usize, max: usize) {
        self.add(
            path,
            "BASE_TYPE_BAD_LENGTH",
            format!("Must be between {min} and {max} in length."),
        );
    }

    pub fn required(&mut self, path: &str) {
        self.add(path, "BASE_TYPE_REQUIRED", "This field is required");
    }

    pub fn is_empty(&self) -> bool {
        self.tree.is_empty()
    }

    /// `Ok` when nothing was recorded, else 400 50035 "Invalid Form Body" with the tree.
    pub fn into_result(self) -> Result<(), ApiError> {
        if self.tree.is_empty() {
            return Ok(());
        }
        let mut error = ApiError::new(400, 50035, "Invalid Form Body");
        error.errors = Some(Value::Object(self.tree));
        Err(error)
    }
}

/// Length in characters (code points), as Discord counts its limits.
pub(crate) fn chars(text: &str) -> usize {
    text.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_paths_build_discords_error_tree() {
        let mut errors = FormErrors::default();
        errors.too_long("content", 2000);
        errors.required("embeds.0.title");
        let error = errors.into_result().unwrap_err();
        assert_eq!((error.status, error.code), (400, 50035));
        let body = error.body();
        assert_eq!(
            body["errors"]["content"]["_errors"][0]["code"],
            "BASE_TYPE_MAX_LENGTH"
        );
        assert_eq!(
            body["errors"]["embeds"]["0"]["title"]["_errors"][0]["code"],
            "BASE_TYPE_REQUIRED"
        );
        assert!(FormErrors::default().into_result().is_ok());
    }
}
