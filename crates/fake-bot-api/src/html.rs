//! Telegram's HTML parse mode, strictly: the fake server's parser.
//!
//! A real bot only learns that its HTML is wrong when Telegram answers
//! "Bad Request: can't parse entities: …" in a real chat. This module rejects
//! the same mistakes (and a few more that Telegram merely tolerates, such as
//! a bare `&`), so tests catch them first, and it measures text the way
//! Telegram does: Unicode code points after entity parsing.

use std::fmt;

/// The most characters a message text may have.
pub const MESSAGE_TEXT_LIMIT: usize = 4096;

/// Why Telegram would refuse a text.
///
/// `message` is worded as Telegram's `description` after its `Bad Request: `
/// prefix (e.g. `can't parse entities: Unsupported start tag "br" at byte
/// offset 5`, or `message is too long`); `Display` adds the prefix, so
/// `err.to_string()` is the description a fake server answers with.
/// `offset` is the byte offset in the HTML where the problem was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlError {
    pub offset: usize,
    pub message: String,
}

impl fmt::Display for HtmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Bad Request: {}", self.message)
    }
}

impl std::error::Error for HtmlError {}

impl HtmlError {
    fn parse(offset: usize, detail: String) -> HtmlError {
        HtmlError {
            offset,
            message: format!("can't parse entities: {detail}"),
        }
    }
}

/// Parses text as Telegram's HTML parse mode does. Ok(n) = the message length
/// Telegram counts: Unicode code points of the text after entity parsing
/// (tags removed; `&lt;` counts as 1).
pub fn validate(html: &str) -> Result<usize, HtmlError> {
    text_content(html).map(|text| text.chars().count())
}

/// Validates a message text: well-formed HTML whose text is not blank and at
/// most [`MESSAGE_TEXT_LIMIT`] characters. Returns the length as [`validate`].
pub fn check_message_text(html: &str) -> Result<usize, HtmlError> {
    let text = text_content(html)?;
    let length = text.chars().count();
    if text.trim().is_empty() {
        return Err(HtmlError {
            offset: 0,
            message: "message text is empty".to_string(),
        });
    }
    if length > MESSAGE_TEXT_LIMIT {
        return Err(HtmlError {
            offset: html.len(),
            message: "message is too long".to_string(),
        });
    }
    Ok(length)
}

/// The text a reader sees: tags removed, entities decoded. Errors as
/// [`validate`].
pub fn text_content(html: &str) -> Result<String, HtmlError> {
    let mut parser = Parser {
        html,
        pos: 0,
        text: String::new(),
        open: Vec::new(),
    };
    parser.run()?;
    Ok(parser.text)
}

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

/// A start tag that has not been closed yet.
struct OpenTag {
    name: String,
    offset: usize,
}

struct Parser<'a> {
    html: &'a str,
    pos: usize,
    text: String,
    open: Vec<OpenTag>,
}

impl Parser<'_> {
    fn run(&mut self) -> Result<(), HtmlError> {
        while let Some(c) = self.peek() {
            match c {
                '<' if self.html[self.pos + 1..].starts_with('/') => self.end_tag()?,
                '<' => self.start_tag()?,
                '&' => {
                    let (decoded, len) = entity(&self.html[self.pos..]).map_err(|detail| {
                        HtmlError::parse(self.pos, format!("{detail} at byte offset {}", self.pos))
                    })?;
                    self.text.push(decoded);
                    self.pos += len;
                }
                _ => {
                    self.text.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
        match self.open.last() {
            Some(tag) => Err(HtmlError::parse(
                tag.offset,
                format!(
                    "Can't find end tag corresponding to start tag \"{}\"",
                    tag.name
                ),
            )),
            None => Ok(()),
        }
    }

    fn peek(&self) -> Option<char> {
        self.html[self.pos..].chars().next()
    }

    fn end_tag(&mut self) -> Result<(), HtmlError> {
        let start = self.pos;
        let rest = &self.html[start + 2..];
        let close = rest.find('>').ok_or_else(|| unclosed("end", start))?;
        let name = rest[..close].trim_end().to_ascii_lowercase();
        if name.is_empty() || !name.bytes().all(is_name_byte) {
            return Err(unclosed("end", start));
        }
        let Some(top) = self.open.pop() else {
            return Err(HtmlError::parse(
                start,
                format!("Unexpected end tag at byte offset {start}"),
            ));
        };
        if top.name != name {
            return Err(HtmlError::parse(
                start,
                format!(
                    "Unmatched end tag at byte offset {start}, expected \"</{}>\", found \"</{name}>\"",
                    top.name
                ),
            ));
        }
        self.pos = start + 2 + close + 1;
        Ok(())
    }

    fn start_tag(&mut self) -> Result<(), HtmlError> {
        let start = self.pos;
        let tag = read_start_tag(self.html, start)?;
        check_attributes(&tag, start)?;
        self.check_nesting(&tag, start)?;
        self.open.push(OpenTag {
            name: tag.name,
            offset: start,
        });
        self.pos = tag.end;
        Ok(())
    }

    /// Nothing nests inside `code` or `pre`, except one `code` directly in a
    /// `pre` (that is how a code block names its language).
    fn check_nesting(&self, tag: &StartTag, start: usize) -> Result<(), HtmlError> {
        let parent = self.open.last().map(|open| open.name.as_str());
        let in_verbatim = self
            .open
            .iter()
            .any(|open| open.name == "code" || open.name == "pre");
        let code_in_pre = tag.name == "code" && parent == Some("pre");
        if in_verbatim && !code_in_pre {
            return Err(HtmlError::parse(
                start,
                format!(
                    "Tag \"{}\" can't be nested inside \"{}\" at byte offset {start}",
                    tag.name,
                    parent.unwrap_or_default()
                ),
            ));
        }
        if tag.name == "code" && !code_in_pre && tag.attribute("class").is_some() {
            return Err(HtmlError::parse(
                start,
                format!("Tag \"code\" may have a class only inside \"pre\" at byte offset {start}"),
            ));
        }
        Ok(())
    }
}

fn unclosed(kind: &str, offset: usize) -> HtmlError {
    HtmlError::parse(
        offset,
        format!("Unclosed {kind} tag at byte offset {offset}"),
    )
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// A start tag as written: its name (lower-cased), attributes (values
/// decoded) and the byte offset just past its `>`.
struct StartTag {
    name: String,
    attributes: Vec<(String, Option<String>)>,
    end: usize,
}

impl StartTag {
    fn attribute(&self, name: &str) -> Option<&Option<String>> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value)
    }
}

fn read_start_tag(html: &str, start: usize) -> Result<StartTag, HtmlError> {
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
fn check_attributes(tag: &StartTag, offset: usize) -> Result<(), HtmlError> {
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

/// Decodes the character entity at the start of `text` (which starts with
/// `&`): the character and the entity's length in bytes.
fn entity(text: &str) -> Result<(char, usize), &'static str> {
    let semicolon = text
        .char_indices()
        .take(12)
        .find(|&(_, c)| c == ';')
        .map(|(index, _)| index)
        .ok_or("Bare \"&\" (write &amp;)")?;
    let body = &text[1..semicolon];
    let decoded = match body {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        _ => match body.strip_prefix('#') {
            Some(number) => numeric_entity(number),
            None => return Err("Unsupported character entity (only &lt; &gt; &amp; &quot;)"),
        },
    };
    match decoded {
        Some(c) => Ok((c, semicolon + 1)),
        None => Err("Invalid numeric character entity"),
    }
}

fn numeric_entity(number: &str) -> Option<char> {
    let code = match number.strip_prefix(['x', 'X']) {
        Some(hex) if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
            u32::from_str_radix(hex, 16).ok()?
        }
        _ if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) => {
            number.parse().ok()?
        }
        _ => return None,
    };
    char::from_u32(code).filter(|&c| c != '\0')
}

#[cfg(test)]
mod tests;
