//! Start tags: their names and attributes, as Telegram allows them.
//!
//! Telegram accepts a short list of tags, each with at most one or two
//! attributes of a fixed form (`a href`, `span class="tg-spoiler"`,
//! `tg-emoji emoji-id`, `code class="language-…"`, `blockquote expandable`);
//! anything else is an error here.

use super::{HtmlError, entity, is_name_byte, unclosed};

/// The tags Telegram knows, by the name written in the HTML.
const TAGS: &[&str] = &[
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "tg-emoji",
    "code",
    "pre",
    "blockquote",
];

/// A start tag as written: its name (lower-cased), attributes (values
/// decoded) and the byte offset just past its `>`.
pub(super) struct StartTag {
    pub(super) name: String,
    attributes: Vec<(String, Option<String>)>,
    pub(super) end: usize,
}

impl StartTag {
    pub(super) fn attribute(&self, name: &str) -> Option<&Option<String>> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value)
    }
}

pub(super) fn read_start_tag(html: &str, start: usize) -> Result<StartTag, HtmlError> {
    let bytes = html.as_bytes();
    let mut pos = start + 1;
    while pos < bytes.len() && is_name_byte(bytes[pos]) {
        pos += 1;
    }
    let name = html[start + 1..pos].to_ascii_lowercase();
    if name.is_empty() || !name.as_bytes()[0].is_ascii_alphabetic() {
        return Err(HtmlError::parse(
            start,
            format!("Unexpected \"<\" at byte offset {start}: it starts no tag (write &lt;)"),
        ));
    }
    if !TAGS.contains(&name.as_str()) {
        return Err(HtmlError::parse(
            start,
            format!("Unsupported start tag \"{name}\" at byte offset {start}"),
        ));
    }
    let mut attributes = Vec::new();
    loop {
        let after_space = skip_spaces(bytes, pos);
        match bytes.get(after_space) {
            None => return Err(unclosed("start", start)),
            Some(b'>') => {
                return Ok(StartTag {
                    name,
                    attributes,
                    end: after_space + 1,
                });
            }
            Some(_) if after_space == pos => {
                return Err(HtmlError::parse(
                    pos,
                    format!("Unexpected character in the tag \"{name}\" at byte offset {pos}"),
                ));
            }
            Some(_) => {
                let (attribute, next) = read_attribute(html, after_space, &name)?;
                attributes.push(attribute);
                pos = next;
            }
        }
    }
}

fn skip_spaces(bytes: &[u8], mut pos: usize) -> usize {
    while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
        pos += 1;
    }
    pos
}

/// Reads `name`, `name=value`, `name="value"` or `name='value'` at `pos`.
fn read_attribute(
    html: &str,
    pos: usize,
    tag: &str,
) -> Result<((String, Option<String>), usize), HtmlError> {
    let bytes = html.as_bytes();
    let mut end = pos;
    while end < bytes.len() && is_name_byte(bytes[end]) {
        end += 1;
    }
    if end == pos {
        return Err(HtmlError::parse(
            pos,
            format!("Empty attribute name in the tag \"{tag}\" at byte offset {pos}"),
        ));
    }
    let name = html[pos..end].to_ascii_lowercase();
    let after_name = skip_spaces(bytes, end);
    if bytes.get(after_name) != Some(&b'=') {
        return Ok(((name, None), end));
    }
    let value_start = skip_spaces(bytes, after_name + 1);
    let (raw, next) = match bytes.get(value_start) {
        Some(&quote) if quote == b'"' || quote == b'\'' => {
            let close = html[value_start + 1..]
                .find(quote as char)
                .ok_or_else(|| unclosed("start", value_start))?;
            let raw_end = value_start + 1 + close;
            (&html[value_start + 1..raw_end], raw_end + 1)
        }
        _ => {
            let mut raw_end = value_start;
            while raw_end < bytes.len()
                && !bytes[raw_end].is_ascii_whitespace()
                && bytes[raw_end] != b'>'
            {
                raw_end += 1;
            }
            (&html[value_start..raw_end], raw_end)
        }
    };
    let value = decode_attribute(raw, value_start)?;
    Ok(((name, Some(value)), next))
}

fn decode_attribute(raw: &str, offset: usize) -> Result<String, HtmlError> {
    let mut value = String::new();
    let mut pos = 0;
    while let Some(c) = raw[pos..].chars().next() {
        match c {
            '&' => {
                let (decoded, len) = entity(&raw[pos..]).map_err(|detail| {
                    HtmlError::parse(
                        offset + pos,
                        format!("{detail} at byte offset {}", offset + pos),
                    )
                })?;
                value.push(decoded);
                pos += len;
            }
            '<' => {
                return Err(HtmlError::parse(
                    offset + pos,
                    format!(
                        "Unexpected \"<\" in an attribute value at byte offset {}",
                        offset + pos
                    ),
                ));
            }
            _ => {
                value.push(c);
                pos += c.len_utf8();
            }
        }
    }
    Ok(value)
}

/// The attributes each tag must, may, or must not have.
pub(super) fn check_attributes(tag: &StartTag, offset: usize) -> Result<(), HtmlError> {
    let allowed: &[&str] = match tag.name.as_str() {
        "a" => &["href"],
        "span" | "code" => &["class"],
        "tg-emoji" => &["emoji-id"],
        "blockquote" => &["expandable"],
        _ => &[],
    };
    for (index, (name, _)) in tag.attributes.iter().enumerate() {
        let bad = if !allowed.contains(&name.as_str()) {
            "Unsupported attribute"
        } else if tag.attributes[..index].iter().any(|(seen, _)| seen == name) {
            "Repeated attribute"
        } else {
            continue;
        };
        return Err(HtmlError::parse(
            offset,
            format!(
                "{bad} \"{name}\" in the tag \"{}\" at byte offset {offset}",
                tag.name
            ),
        ));
    }
    check_attribute_values(tag)
        .map_err(|detail| HtmlError::parse(offset, format!("{detail} at byte offset {offset}")))
}

fn check_attribute_values(tag: &StartTag) -> Result<(), String> {
    let value = |name: &str| tag.attribute(name).cloned().flatten();
    match tag.name.as_str() {
        "a" if value("href").is_none_or(|href| href.trim().is_empty()) => {
            Err("Tag \"a\" needs a non-empty href".to_string())
        }
        "span" if value("class").as_deref() != Some("tg-spoiler") => {
            Err("Tag \"span\" must have class \"tg-spoiler\"".to_string())
        }
        "tg-emoji"
            if !value("emoji-id")
                .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())) =>
        {
            Err("Tag \"tg-emoji\" needs a numeric emoji-id".to_string())
        }
        "code" if tag.attribute("class").is_some() => match value("class") {
            Some(class) if class.len() > "language-".len() && class.starts_with("language-") => {
                Ok(())
            }
            _ => Err("Tag \"code\" class must be \"language-…\"".to_string()),
        },
        "blockquote" if matches!(tag.attribute("expandable"), Some(Some(_))) => {
            Err("Attribute \"expandable\" takes no value".to_string())
        }
        _ => Ok(()),
    }
}
