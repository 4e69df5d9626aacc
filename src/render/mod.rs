//! Turns a platform-neutral `Post` into what a platform shows.
//!
//! For Telegram that is HTML parse mode, which is strict: a stray `<`, an
//! unknown tag or a message over 4096 characters makes Telegram refuse the
//! whole message. So the bank's Markdown is rendered to the tag subset
//! Telegram accepts, every piece of text is escaped, and long posts are
//! split into chunks that each stand alone. For terminals the same structure
//! comes out as plain text, optionally with ANSI bold. For Discord it is
//! Discord Markdown in messages of at most 2,000 characters (see `discord`).
//!
//! The bank's Markdown is walked once, by `walk`, for every format; a format
//! is a `walk::Flavour` (`markdown` for Telegram HTML and terminal text,
//! `discord/flavour.rs` for Discord), so a new platform's format is one file.

mod discord;
mod markdown;
pub mod picture;
mod split;
mod walk;
mod writer;

pub use discord::{
    DISCORD_LIMIT, discord_markdown, discord_messages, escape_discord, markdown_to_discord,
    split_discord_markdown,
};
pub use split::{split_html, split_html_after_first};

use crate::post::{Block, Post};
use writer::Flavor;

/// The most characters Telegram accepts in one message text (code points of
/// the text after entity parsing).
pub const TELEGRAM_LIMIT: usize = 4096;

/// The most characters Telegram accepts in a photo's caption (counted as a
/// message text is).
pub const TELEGRAM_CAPTION_LIMIT: usize = 1024;

/// What a post with no visible text is sent as: Telegram refuses empty
/// messages, and an adapter must always have something to send.
const NOTHING_TO_SHOW: &str = "—";

/// A post as Telegram HTML messages: in order, each within
/// [`TELEGRAM_LIMIT`], never empty, at least one.
pub fn telegram_html(post: &Post) -> Vec<String> {
    let html = join_blocks(post.blocks.iter().map(block_html));
    at_least_one(split_html(&html, TELEGRAM_LIMIT))
}

/// A post as a photo's caption and the messages that follow it: the same
/// HTML as [`telegram_html`], the first chunk within
/// [`TELEGRAM_CAPTION_LIMIT`], the rest within [`TELEGRAM_LIMIT`], cut only
/// where a message may be cut. Never empty, at least one.
pub fn telegram_captioned_html(post: &Post) -> Vec<String> {
    let html = join_blocks(post.blocks.iter().map(block_html));
    at_least_one(split_html_after_first(
        &html,
        TELEGRAM_CAPTION_LIMIT,
        TELEGRAM_LIMIT,
    ))
}

fn at_least_one(chunks: Vec<String>) -> Vec<String> {
    if chunks.is_empty() {
        vec![NOTHING_TO_SHOW.to_string()]
    } else {
        chunks
    }
}

/// The bank's Markdown as Telegram HTML (one string, not yet split).
pub fn markdown_to_html(markdown: &str) -> String {
    markdown::render(markdown, Flavor::Html)
}

/// Escapes text for Telegram HTML: `&`, `<` and `>`.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

/// Escapes an attribute value: as [`escape`], and `"` too.
fn escape_attribute(value: &str) -> String {
    escape(value).replace('"', "&quot;")
}

/// A post as terminal text: the same blocks and lists without tags. With
/// `ansi`, headings and `**bold**` are shown bold (ESC[1m … ESC[0m).
pub fn plain_text(post: &Post, ansi: bool) -> String {
    let flavor = Flavor::Plain { ansi };
    join_blocks(post.blocks.iter().map(|block| block_plain(block, flavor)))
}

fn block_html(block: &Block) -> String {
    match block {
        Block::Heading(text) => format!("<b>{}</b>", escape(text_lines(text))),
        Block::Markdown(markdown) => markdown_to_html(markdown),
        Block::Text(text) => escape(&text_lines(text).replace("\r\n", "\n")),
    }
}

fn block_plain(block: &Block, flavor: Flavor) -> String {
    match block {
        Block::Heading(text) => {
            let text = writer::terminal_safe(text_lines(text));
            match flavor {
                Flavor::Plain { ansi: true } => format!("\x1b[1m{text}\x1b[0m"),
                _ => text,
            }
        }
        Block::Markdown(markdown) => markdown::render(markdown, flavor),
        Block::Text(text) => writer::terminal_safe(&text_lines(text).replace("\r\n", "\n")),
    }
}

/// A text block without the blank lines around it (blocks are separated by
/// exactly one blank line).
fn text_lines(text: &str) -> &str {
    text.trim_matches(['\n', '\r'])
}

/// Blocks separated by a blank line, blocks with nothing to show left out.
fn join_blocks(blocks: impl Iterator<Item = String>) -> String {
    blocks
        .filter(|block| !block.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod tests;
