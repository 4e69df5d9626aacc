//! The `MessageEntity` list Telegram answers with (`entities`, `caption_entities`): one entity
//! per closed tag that marks some text, offsets and lengths in UTF-16 code units of the text
//! after parsing, in the order their tags open.

use serde_json::{Value, json};

use super::tag::StartTag;
use super::{HtmlError, Parser};

/// What a tag makes of its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Bold,
    Italic,
    Underline,
    Strikethrough,
    Spoiler,
    TextLink(String),
    CustomEmoji(String),
    Code,
    Pre,
    Blockquote,
    ExpandableBlockquote,
}

/// One formatted stretch of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    pub kind: Kind,
    /// UTF-16 code units before it in the text.
    pub offset: usize,
    /// Its length in UTF-16 code units.
    pub length: usize,
}

impl Entity {
    /// The Bot API `MessageEntity` object.
    pub fn json(&self) -> Value {
        let mut object = json!({ "offset": self.offset, "length": self.length });
        let kind = match &self.kind {
            Kind::Bold => "bold",
            Kind::Italic => "italic",
            Kind::Underline => "underline",
            Kind::Strikethrough => "strikethrough",
            Kind::Spoiler => "spoiler",
            Kind::TextLink(url) => {
                object["url"] = json!(url);
                "text_link"
            }
            Kind::CustomEmoji(id) => {
                object["custom_emoji_id"] = json!(id);
                "custom_emoji"
            }
            Kind::Code => "code",
            Kind::Pre => "pre",
            Kind::Blockquote => "blockquote",
            Kind::ExpandableBlockquote => "expandable_blockquote",
        };
        object["type"] = json!(kind);
        object
    }
}

/// The text a reader sees and its entities, sorted by offset. Errors as [`super::validate`].
pub fn text_and_entities(html: &str) -> Result<(String, Vec<Entity>), HtmlError> {
    let mut parser = Parser::new(html);
    parser.run()?;
    let mut entities = parser.entities;
    entities.sort_by_key(|entity| entity.offset);
    Ok((parser.text, entities))
}

/// The entity a (valid) start tag makes; a `code` directly in a `pre` only names the block's
/// language, so it makes none of its own.
pub(super) fn kind(tag: &StartTag, in_pre: bool) -> Option<Kind> {
    let value = |name: &str| tag.attribute(name).cloned().flatten().unwrap_or_default();
    Some(match tag.name.as_str() {
        "b" | "strong" => Kind::Bold,
        "i" | "em" => Kind::Italic,
        "u" | "ins" => Kind::Underline,
        "s" | "strike" | "del" => Kind::Strikethrough,
        "span" | "tg-spoiler" => Kind::Spoiler,
        "a" => Kind::TextLink(value("href")),
        "tg-emoji" => Kind::CustomEmoji(value("emoji-id")),
        "code" if in_pre => return None,
        "code" => Kind::Code,
        "pre" => Kind::Pre,
        "blockquote" if tag.attribute("expandable").is_some() => Kind::ExpandableBlockquote,
        "blockquote" => Kind::Blockquote,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_count_utf16_units_of_the_parsed_text() {
        let (text, entities) =
            text_and_entities("<b>统计</b> 😀 <i>a &lt; b</i><a href=\"https://x.example\">x</a>")
                .unwrap();
        assert_eq!(text, "统计 😀 a < bx");
        let kinds: Vec<_> = entities
            .iter()
            .map(|e| (e.kind.clone(), e.offset, e.length))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (Kind::Bold, 0, 2),
                (Kind::Italic, 6, 5),
                (Kind::TextLink("https://x.example".into()), 11, 1),
            ]
        );
        assert_eq!(entities[2].json()["type"], "text_link");
    }

    #[test]
    fn empty_tags_make_no_entity() {
        let (_, entities) = text_and_entities("a<b></b>").unwrap();
        assert!(entities.is_empty());
    }
}
