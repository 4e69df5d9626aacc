//! Request bodies sent as `multipart/form-data`: file uploads (`sendPhoto`) and anything
//! teloxide sends that way (`setWebhook`, which may carry a certificate). The body is read as
//! bytes, never as text, so an uploaded PNG arrives intact: a part with a `filename` in its
//! `Content-Disposition` is a file (bytes, file name, content type); any other part is a
//! string field of a JSON object, which the methods read as Telegram does (numbers and
//! booleans as strings, lists and objects as JSON text).

use serde_json::{Map, Value};

use crate::reply::Failure;

/// One uploaded file of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilePart {
    /// The part's `name` (teloxide uses a random id and points at it with `attach://<name>`).
    pub name: String,
    /// The part's `filename` ("" when the client sent an empty one).
    pub filename: String,
    /// The part's `Content-Type`, if it sent one (teloxide does not; Telegram sniffs).
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

/// A parsed form: string fields as a JSON object, and the files.
#[derive(Debug, Default)]
pub(crate) struct Form {
    pub fields: Map<String, Value>,
    pub files: Vec<FilePart>,
}

/// `None` if `content_type` is not `multipart/form-data`; otherwise the form, or a 400 when
/// the boundary is missing or the body is not such a form.
pub(crate) fn parse_form(content_type: &str, body: &[u8]) -> Option<Result<Form, Failure>> {
    let (kind, params) = content_type.split_once(';').unwrap_or((content_type, ""));
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    let boundary = params.split(';').find_map(|param| {
        let (name, value) = param.split_once('=')?;
        (name.trim().eq_ignore_ascii_case("boundary"))
            .then(|| value.trim().trim_matches('"').to_string())
    });
    let form = boundary
        .filter(|b| !b.is_empty())
        .and_then(|boundary| parts(body, boundary.as_bytes()));
    Some(form.ok_or_else(|| Failure::bad_request("can't parse multipart/form-data body")))
}

/// Splits the body at `--boundary` lines and reads each part.
fn parts(body: &[u8], boundary: &[u8]) -> Option<Form> {
    let delimiter = [b"--".as_slice(), boundary].concat();
    let next_delimiter = [b"\r\n".as_slice(), &delimiter].concat();
    let mut at = find(body, &delimiter, 0)? + delimiter.len();
    let mut form = Form::default();
    loop {
        if body[at..].starts_with(b"--") {
            return Some(form);
        }
        at += strip_crlf(&body[at..])?;
        let end = find(body, &next_delimiter, at)?;
        read_part(&body[at..end], &mut form)?;
        at = end + next_delimiter.len();
    }
}

fn strip_crlf(rest: &[u8]) -> Option<usize> {
    // Transport padding (spaces or tabs) may precede the line break.
    let padding = rest
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    rest[padding..].starts_with(b"\r\n").then_some(padding + 2)
}

fn read_part(part: &[u8], form: &mut Form) -> Option<()> {
    let split = find(part, b"\r\n\r\n", 0);
    let (head, content) = match split {
        Some(at) => (&part[..at], &part[at + 4..]),
        // A part with no headers at all has no name: not a form field.
        None => return None,
    };
    let head = std::str::from_utf8(head).ok()?;
    let disposition = header(head, "content-disposition")?;
    let name = parameter(disposition, "name")?;
    match parameter(disposition, "filename") {
        Some(filename) => form.files.push(FilePart {
            name,
            filename,
            content_type: header(head, "content-type").map(str::to_string),
            bytes: content.to_vec(),
        }),
        None => {
            let text = String::from_utf8_lossy(content).into_owned();
            form.fields.insert(name, Value::String(text));
        }
    }
    Some(())
}

/// The value of header `name` (lowercase) in a part's head.
fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.split("\r\n").find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim().eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

/// `key="value"` (or unquoted) among a header's `;`-separated parameters.
fn parameter(header: &str, key: &str) -> Option<String> {
    header.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case(key)
            .then(|| value.trim().trim_matches('"').to_string())
    })
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|window| window == needle)
        .map(|position| position + from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn form(body: &[u8]) -> Form {
        parse_form("multipart/form-data; boundary=XyZ", body)
            .unwrap()
            .unwrap()
    }

    #[test]
    fn text_parts_become_string_fields() {
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"url\"\r\n\r\nhttps://a.example/h\r\n\
                    --XyZ\r\nContent-Disposition: form-data; name=\"allowed_updates\"\r\n\r\n[\"message\"]\r\n\
                    --XyZ--\r\n";
        let form = form(body.as_bytes());
        assert_eq!(
            Value::Object(form.fields),
            json!({ "url": "https://a.example/h", "allowed_updates": "[\"message\"]" })
        );
        assert!(form.files.is_empty());
        assert!(parse_form("application/json", b"{}").is_none());
    }

    #[test]
    fn file_parts_keep_every_byte() {
        // Not UTF-8, with a CR LF and a would-be delimiter prefix inside the file.
        let png: &[u8] = b"\x89PNG\r\n\x1a\n\xff\x00\r\n--Xy\xfe";
        let mut body = b"--XyZ\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n42\r\n\
                         --XyZ\r\nContent-Disposition: form-data; name=\"f1\"; filename=\"stats.png\"\r\n\
                         Content-Type: image/png\r\n\r\n"
            .to_vec();
        body.extend_from_slice(png);
        body.extend_from_slice(b"\r\n--XyZ--\r\n");
        let form = form(&body);
        assert_eq!(form.fields["chat_id"], json!("42"));
        assert_eq!(
            form.files,
            vec![FilePart {
                name: "f1".into(),
                filename: "stats.png".into(),
                content_type: Some("image/png".into()),
                bytes: png.to_vec(),
            }]
        );
    }

    #[test]
    fn a_broken_form_is_a_bad_request() {
        let unterminated = b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1";
        assert!(
            parse_form("multipart/form-data; boundary=XyZ", unterminated)
                .unwrap()
                .is_err()
        );
        assert!(parse_form("multipart/form-data", b"").unwrap().is_err());
    }
}
