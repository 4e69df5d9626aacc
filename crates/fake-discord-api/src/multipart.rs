//! `multipart/form-data` request bodies, as Discord takes them when a message carries files
//! ("Uploading Files"): a `payload_json` part holding the JSON body and file parts named
//! `files[n]`, each with a filename. Parsed on bytes, never through UTF-8, so a PNG arrives
//! exactly as sent. Only those two kinds of part are accepted: Discord also reads form
//! fields named like the JSON keys, which no client the bot uses sends.

/// One file part of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Upload {
    /// The `n` of `files[n]`: what an `attachments[]` entry's `id` names.
    pub index: u64,
    pub filename: String,
    pub bytes: Vec<u8>,
}

/// A parsed form: the JSON body (absent if no `payload_json` part came) and the files.
#[derive(Debug, Default)]
pub(crate) struct Form {
    pub payload: Option<Vec<u8>>,
    pub files: Vec<Upload>,
}

/// The boundary of a `multipart/form-data` content type, if it is one.
pub(crate) fn boundary(content_type: &str) -> Option<String> {
    let mut params = content_type.split(';').map(str::trim);
    let kind = params.next()?;
    if !kind.eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params
        .filter_map(|p| p.split_once('='))
        .find(|(key, _)| key.trim().eq_ignore_ascii_case("boundary"))
        .map(|(_, value)| value.trim().trim_matches('"').to_string())
        .filter(|b| !b.is_empty())
}

/// Parses a form body delimited by `boundary`; the error says what is malformed.
pub(crate) fn parse(body: &[u8], boundary: &str) -> Result<Form, String> {
    let delimiter = format!("--{boundary}").into_bytes();
    let start = find(body, &delimiter, 0).ok_or("no opening boundary")?;
    let mut at = start + delimiter.len();
    let mut form = Form::default();
    let closing: Vec<u8> = [b"\r\n".as_slice(), &delimiter].concat();
    loop {
        if body[at..].starts_with(b"--") {
            return Ok(form);
        }
        at += skip_newline(&body[at..]).ok_or("a boundary not followed by a line break")?;
        let headers_end = find(body, b"\r\n\r\n", at).ok_or("a part without a blank line")?;
        let headers = std::str::from_utf8(&body[at..headers_end])
            .map_err(|_| "part headers that are not UTF-8")?;
        let content_start = headers_end + 4;
        let content_end = find(body, &closing, content_start).ok_or("an unterminated part")?;
        let content = &body[content_start..content_end];
        add_part(&mut form, headers, content)?;
        at = content_end + closing.len();
    }
}

fn add_part(form: &mut Form, headers: &str, content: &[u8]) -> Result<(), String> {
    let disposition = headers
        .split("\r\n")
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-disposition"))
        .map(|(_, value)| value.trim())
        .ok_or("a part without Content-Disposition")?;
    let name = parameter(disposition, "name").ok_or("a part without a name")?;
    let filename = parameter(disposition, "filename");
    if name == "payload_json" {
        form.payload = Some(content.to_vec());
        return Ok(());
    }
    let index = name
        .strip_prefix("files[")
        .and_then(|rest| rest.strip_suffix(']'))
        .and_then(|n| n.parse::<u64>().ok())
        .ok_or_else(|| format!("an unexpected part {name:?} (only payload_json and files[n])"))?;
    let filename = filename.ok_or_else(|| format!("{name} without a filename"))?;
    if form.files.iter().any(|f| f.index == index) {
        return Err(format!("{name} sent twice"));
    }
    form.files.push(Upload {
        index,
        filename,
        bytes: content.to_vec(),
    });
    Ok(())
}

/// A quoted (or bare) parameter of a Content-Disposition value, e.g. `name="files[0]"`.
fn parameter(disposition: &str, key: &str) -> Option<String> {
    disposition.split(';').map(str::trim).find_map(|param| {
        let (k, v) = param.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case(key)
            .then(|| v.trim().trim_matches('"').to_string())
    })
}

fn skip_newline(rest: &[u8]) -> Option<usize> {
    match rest {
        [b'\r', b'\n', ..] => Some(2),
        [b'\n', ..] => Some(1),
        _ => None,
    }
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
        let mut body = Vec::new();
        for (name, filename, content) in parts {
            body.extend(b"--XyZ\r\nContent-Disposition: form-data; name=\"");
            body.extend(name.as_bytes());
            body.extend(b"\"");
            if let Some(filename) = filename {
                body.extend(format!("; filename=\"{filename}\"").as_bytes());
            }
            body.extend(b"\r\n\r\n");
            body.extend(*content);
            body.extend(b"\r\n");
        }
        body.extend(b"--XyZ--\r\n");
        body
    }

    #[test]
    fn the_boundary_comes_from_the_content_type() {
        let b = boundary("multipart/form-data; boundary=\"abc\"");
        assert_eq!(b.as_deref(), Some("abc"));
        assert_eq!(boundary("application/json"), None);
        assert_eq!(boundary("multipart/form-data"), None);
    }

    #[test]
    fn file_parts_keep_every_byte() {
        // Not UTF-8, with CR LF and dashes inside.
        let png: &[u8] = &[
            0x89, b'P', b'N', b'G', b'\r', b'\n', 0xff, b'-', b'-', 0, 0xfe,
        ];
        let body = form(&[
            ("payload_json", None, br#"{"content":"hi"}"#),
            ("files[0]", Some("stats.png"), png),
        ]);
        let parsed = parse(&body, "XyZ").unwrap();
        assert_eq!(parsed.payload.as_deref(), Some(&br#"{"content":"hi"}"#[..]));
        assert_eq!(parsed.files.len(), 1);
        assert_eq!(parsed.files[0].index, 0);
        assert_eq!(parsed.files[0].filename, "stats.png");
        assert_eq!(parsed.files[0].bytes, png);
    }

    #[test]
    fn malformed_forms_are_refused() {
        let unnamed = form(&[("files[0]", None, b"x")]);
        assert!(
            parse(&unnamed, "XyZ").is_err(),
            "a file part needs a filename"
        );
        let other = form(&[("content", None, b"x")]);
        assert!(parse(&other, "XyZ").is_err());
        let twice = form(&[("files[1]", Some("a"), b"x"), ("files[1]", Some("b"), b"y")]);
        assert!(parse(&twice, "XyZ").is_err());
        let cut = b"--XyZ\r\nContent-Disposition: form-data; name=\"payload_json\"\r\n\r\n{}";
        assert!(parse(cut, "XyZ").is_err());
        assert!(parse(b"no boundary here", "XyZ").is_err());
    }
}
