//! Posts as Discord messages: the bank's Markdown and the UI's plain text written as Discord
//! Markdown, split into messages of at most 2,000 characters.
//!
//! **Content, not embeds.** A post goes out as message `content`, not as an embed, although
//! an embed description would hold 4,096 characters: people can turn embeds off ("Show
//! embeds and preview website links"), a channel can deny the bot Embed Links (and the post
//! arrives empty), embeds show as "[embed]" in notifications, search and reply previews, and
//! screen readers handle them worse. A long reveal costs an extra message, which is cheap.
//!
//! **Escaping.** Plain text (and the text of Markdown) is escaped so that Discord shows it as
//! written: `* _ ~ \` | < > [ ] # \` get a backslash, as do list markers at a line start.
//! `@everyone`, `@here` and `<@id>` are *not* neutralised here: the text stays as the author
//! wrote it, and the adapter sends every message with `allowed_mentions: {"parse": []}` so
//! that nobody is pinged.
//!
//! **Splitting** never cuts inside a link or a code fence's opening; a fence, quote or style
//! open at a cut is closed and reopened, so each message renders on its own.

mod chunks;
mod flavour;
mod out;
mod units;

use super::walk::Gap;
use crate::post::{Block, Post};
use out::Out;
use units::Mark;

/// The most characters Discord accepts in a message's `content`.
pub const DISCORD_LIMIT: usize = 2000;

/// A post as Discord message contents: in order, each within [`DISCORD_LIMIT`], never
/// empty, at least one.
pub fn discord_messages(post: &Post) -> Vec<String> {
    let messages = chunks::split(&post_units(post).units, DISCORD_LIMIT);
    if messages.is_empty() {
        vec![super::NOTHING_TO_SHOW.to_string()]
    } else {
        messages
    }
}

/// A post as one piece of Discord Markdown, before splitting.
pub fn discord_markdown(post: &Post) -> String {
    post_units(post).units.text()
}

/// The bank's Markdown as Discord Markdown (one string, not yet split).
pub fn markdown_to_discord(markdown: &str) -> String {
    let mut out = Out::new();
    flavour::render(markdown, &mut out);
    out.units.text()
}

/// The bank's Markdown split into messages of at most `limit` characters (`limit` ≥ 500:
/// a link may take 400).
pub fn split_discord_markdown(markdown: &str, limit: usize) -> Vec<String> {
    let mut out = Out::new();
    flavour::render(markdown, &mut out);
    chunks::split(&out.units, limit)
}

/// Plain text escaped so that Discord shows it as written.
pub fn escape_discord(text: &str) -> String {
    out::escape(text)
}

fn post_units(post: &Post) -> Out {
    let mut out = Out::new();
    for block in &post.blocks {
        out.request_gap(Gap::Blank);
        match block {
            Block::Heading(text) => {
                let text = super::text_lines(text);
                if !text.trim().is_empty() {
                    out.open_mark(Mark::Bold);
                    out.text(text);
                    out.close_mark();
                }
            }
            Block::Markdown(markdown) => flavour::render(markdown, &mut out),
            Block::Text(text) => out.text(&super::text_lines(text).replace("\r\n", "\n")),
        }
    }
    out
}

#[cfg(test)]
mod tests;
