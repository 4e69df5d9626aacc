//! Telegram's HTML parse mode, strictly: the fake server's parser.
//!
//! A real bot only learns that its HTML is wrong when Telegram answers
//! "Bad Request: can't parse entities: …" in a real chat. This module rejects
//! the same mistakes (and a few more that Telegram merely tolerates, such as
//! a bare `&`), so tests catch them first, and it measures text the way
//! Telegram does: Unicode code points after entity parsing.

use std::fmt;

mod entities;
mod tag;

pub use entities::{Entity, text_and_entities};
use tag::{StartTag, check_attributes, read_start_tag};

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
    let mut parser = Parser::new(html);
    parser.run()?;
    Ok(parser.text)
}

/// A start tag that has not been closed yet.
struct OpenTag {
    name: String,
    offset: usize,
    /// The entity it makes (if any) and where it starts in the text, in UTF-16 units.
    entity: Option<entities::Kind>,
    start16: usize,
}

struct Parser<'a> {
    html: &'a str,
    pos: usize,
    text: String,
    /// Length of `text` in UTF-16 code units (entity offsets are counted so).
    len16: usize,
    open: Vec<OpenTag>,
    entities: Vec<Entity>,
}

impl<'a> Parser<'a> {
    fn new(html: &'a str) -> Parser<'a> {
        Parser {
            html,
            pos: 0,
            text: String::new(),
            len16: 0,
            open: Vec::new(),
            entities: Vec::new(),
        }
    }

    fn push_char(&mut self, c: char) {
        self.text.push(c);
        self.len16 += c.len_utf16();
    }

    fn run(&mut self) -> Result<(), HtmlError> {
        while let Some(c) = self.peek() {
            match c {
                '<' if self.html[self.pos + 1..].starts_with('/') => self.end_tag()?,
                '<' => self.start_tag()?,
                '&' => {
                    let (decoded, len) = entity(&self.html[self.pos..]).map_err(|detail| {
                        HtmlError::parse(self.pos, format!("{detail} at byte offset {}", self.pos))
                    })?;
                    self.push_char(decoded);
                    self.pos += len;
                }
                _ => {
                    self.push_char(c);
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
        if let Some(kind) = top.entity {
            let length = self.len16 - top.start16;
            if length > 0 {
                self.entities.push(Entity {
                    kind,
                    offset: top.start16,
                    length,
                });
            }
        }
        Ok(())
    }

    fn start_tag(&mut self) -> Result<(), HtmlError> {
        let start = self.pos;
        let tag = read_start_tag(self.html, start)?;
        check_attributes(&tag, start)?;
        self.check_nesting(&tag, start)?;
        let in_pre = self.open.last().is_some_and(|open| open.name == "pre");
        self.open.push(OpenTag {
            entity: entities::kind(&tag, in_pre),
            name: tag.name,
            offset: start,
            start16: self.len16,
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
