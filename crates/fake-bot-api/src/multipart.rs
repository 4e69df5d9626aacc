//! Request bodies sent as `multipart/form-data` (teloxide sends `setWebhook` that way, since it
//! may carry a certificate file): each part becomes a string field of a JSON object, which the
//! methods read as Telegram does (numbers and booleans as strings, lists as JSON text).

use serde_json::{Map, Value};

/// The form's fields as a JSON object, or `None` if `content_type` is not multipart with a
/// boundary or the body is not such a form.
pub(crate) fn form_fields(content_type: &str, body: &[u8]) -> Option<Value> {
    let (kind, params) = content_type.split_once(';')?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    let boundary = params.split(';').find_map(|param| {
        let (name, value) = param.split_once('=')?;
        (name.trim() == "boundary").then(|| value.trim().trim_matches('"').to_string())
    })?;
    let text = String::from_utf8_lossy(body);
    let delimiter = format!("--{boundary}");
    let mut fields = Map::new();
    for part in text.split(delimiter.as_str()).skip(1) {
        if part.starts_with("--") {
            break;
        }
        let part = part.strip_prefix("\r\n")?;
        let (headers, content) = part.split_once("\r\n\r\n")?;
        let name = field_name(headers)?;
        let content = content.strip_suffix("\r\n").unwrap_or(content);
        fields.insert(name, Value::String(content.to_string()));
    }
    Some(Value::Object(fields))
}

/// `name="…"` of the part's `Content-Disposition`.
fn field_name(headers: &str) -> Option<String> {
    let disposition = headers.lines().find(|line| {
        line.to_ascii_lowercase()
            .starts_with("content-disposition:")
    })?;
    let start = disposition.find("name=\"")? + "name=\"".len();
    let end = disposition[start..].find('"')? + start;
    Some(disposition[start..end].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parts_become_string_fields() {
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"url\"\r\n\r\nhttps://a.example/h\r\n\
                    --XyZ\r\nContent-Disposition: form-data; name=\"allowed_updates\"\r\n\r\n[\"message\"]\r\n\
                    --XyZ--\r\n";
        let fields = form_fields("multipart/form-data; boundary=XyZ", body.as_bytes()).unwrap();
        assert_eq!(
            fields,
            json!({ "url": "https://a.example/h", "allowed_updates": "[\"message\"]" })
        );
        assert_eq!(form_fields("application/json", b"{}"), None);
    }
}
