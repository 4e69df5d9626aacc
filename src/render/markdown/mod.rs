//! The Telegram HTML and terminal flavours of the Markdown walk (`walk`).
//!
//! Telegram knows inline styles, links, code, pre and blockquote, but no
//! paragraphs, lists or headings, so those become newlines, "• " / "1. "
//! markers with two spaces of indentation per level, and bold lines. Raw
//! HTML in the bank is shown as text, never passed through, and links go
//! out only for schemes a reader can safely open. A terminal gets the same
//! layout without tags (bold as ANSI when asked), links as "text (url)".

use super::escape_attribute;
use super::walk::{self, Context, Flavour, Gap, Style};
use super::writer::{Flavor, Writer};

/// Link schemes rendered as links; any other link shows as its text.
const LINK_SCHEMES: &[&str] = &["http:", "https:", "tg:", "mailto:"];

pub(super) fn render(markdown: &str, flavor: Flavor) -> String {
    let mut tagged = Tagged {
        writer: Writer::new(flavor),
        links: Vec::new(),
    };
    walk::walk(markdown, &mut tagged);
    tagged.writer.finish()
}

struct Link {
    /// Whether an `<a>` was written (and must be closed).
    tagged: bool,
    url: String,
    /// Output length where the link's text begins.
    text_start: usize,
}

/// Telegram HTML or terminal text: one layout written by [`Writer`], with or
/// without tags.
struct Tagged {
    writer: Writer,
    links: Vec<Link>,
}

impl Tagged {
    fn html(&self) -> bool {
        self.writer.flavor == Flavor::Html
    }

    fn write_code_block(&mut self, language: Option<&str>, code: &str) {
        let code = code.strip_suffix('\n').unwrap_or(code);
        if !self.html() {
            self.writer.begin(self.writer.indent_levels);
            self.writer.verbatim(code);
            return;
        }
        let (open, close) = match language {
            Some(language) => (
                format!("<pre><code class=\"language-{language}\">"),
                "</code></pre>",
            ),
            None => ("<pre>".to_string(), "</pre>"),
        };
        self.writer.open(&open);
        self.writer.verbatim(code);
        self.writer.close_block(close);
    }

    /// The markup of `style` (opening or closing) in this flavour, if any.
    fn style_markup(&self, style: Style, open: bool) -> Option<&'static str> {
        let markup = match (self.writer.flavor, style, open) {
            (Flavor::Html, Style::Bold, true) => "<b>",
            (Flavor::Html, Style::Bold, false) => "</b>",
            (Flavor::Html, Style::Italic, true) => "<i>",
            (Flavor::Html, Style::Italic, false) => "</i>",
            (Flavor::Html, Style::Strike, true) => "<s>",
            (Flavor::Html, Style::Strike, false) => "</s>",
            (Flavor::Plain { ansi: true }, Style::Bold, true) => "\x1b[1m",
            (Flavor::Plain { ansi: true }, Style::Bold, false) => "\x1b[0m",
            _ => return None,
        };
        Some(markup)
    }
}

impl Flavour for Tagged {
    const BULLET: &'static str = "• ";

    fn request_gap(&mut self, gap: Gap) {
        self.writer.request_gap(gap);
    }

    fn mark_block_start(&mut self) {
        self.writer.mark_block_start();
    }

    fn set_indent(&mut self, levels: usize) {
        self.writer.indent_levels = levels;
    }

    fn text(&mut self, text: &str) {
        self.writer.text(text);
    }

    fn line_break(&mut self) {
        self.writer.newline();
    }

    /// Telegram drops code that is part of bold, italic, strike or a link,
    /// so code there is written as plain text and keeps the outer style.
    fn inline_code(&mut self, code: &str, context: &Context) {
        let tagged = self.html() && !context.styled();
        if tagged {
            self.writer.open("<code>");
        }
        self.writer.text(code);
        if tagged {
            self.writer.close("</code>");
        }
    }

    /// Only the outermost of nested equal styles is written.
    fn open_style(&mut self, style: Style, context: &Context) {
        if context.depth(style) == 1 && context.images == 0 {
            if let Some(markup) = self.style_markup(style, true) {
                self.writer.open(markup);
            }
        }
    }

    fn close_style(&mut self, style: Style, context: &Context) {
        if context.depth(style) == 1 && context.images == 0 {
            if let Some(markup) = self.style_markup(style, false) {
                self.writer.close(markup);
            }
        }
    }

    /// Quotes nested in quotes are one quote: Telegram does not nest them.
    fn start_quote(&mut self, context: &Context) {
        if self.html() && context.quotes == 1 {
            self.writer.open("<blockquote>");
        }
        self.writer.quote_depth = context.quotes;
    }

    fn end_quote(&mut self, context: &Context) {
        self.writer.quote_depth = context.quotes;
        if self.html() && context.quotes == 0 {
            self.writer.close_block("</blockquote>");
        }
    }

    fn code_block(&mut self, language: Option<&str>, code: &str) {
        self.write_code_block(language, code);
    }

    fn html_block(&mut self, html: &str) {
        self.writer.text(html.trim_end_matches('\n'));
    }

    fn item_marker(&mut self, levels: usize, marker: &str) {
        self.writer.open_at(levels, marker);
    }

    fn start_link(&mut self, url: String, context: &Context) {
        let tagged = self.html() && context.images == 0 && has_link_scheme(&url);
        if tagged {
            self.writer
                .open(&format!("<a href=\"{}\">", escape_attribute(&url)));
        }
        self.links.push(Link {
            tagged,
            url,
            text_start: self.writer.len(),
        });
    }

    /// An empty link shows its URL; in plain text a link is "text (url)".
    fn end_link(&mut self) {
        let Some(link) = self.links.pop() else {
            return;
        };
        let shown = self
            .writer
            .written_since(link.text_start)
            .trim()
            .to_string();
        let url = link.url.strip_prefix("mailto:").unwrap_or(&link.url);
        if link.tagged {
            if shown.is_empty() {
                self.writer.text(url);
            }
            self.writer.close("</a>");
        } else if !self.html() && !link.url.is_empty() && shown != url {
            let suffix = if shown.is_empty() {
                url.to_string()
            } else {
                format!(" ({url})")
            };
            self.writer.text(&suffix);
        }
    }
}

fn has_link_scheme(url: &str) -> bool {
    let url = url.trim_start().to_ascii_lowercase();
    LINK_SCHEMES.iter().any(|scheme| url.starts_with(scheme))
}

#[cfg(test)]
mod tests;
