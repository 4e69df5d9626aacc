//! The bank's Markdown, walked with pulldown-cmark and written as Telegram
//! HTML or terminal text.
//!
//! Telegram knows inline styles, links, code, pre and blockquote, but no
//! paragraphs, lists or headings, so those become newlines, "• " / "1. "
//! markers with two spaces of indentation per level, and bold lines. Raw
//! HTML in the bank is shown as text, never passed through, and links go
//! out only for schemes a reader can safely open.

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};

use super::escape_attribute;
use super::writer::{Flavor, Gap, Writer};

/// Link schemes rendered as links; any other link shows as its text.
const LINK_SCHEMES: &[&str] = &["http:", "https:", "tg:", "mailto:"];

/// A thematic break, drawn as a short line.
const RULE: &str = "——";

pub(super) fn render(markdown: &str, flavor: Flavor) -> String {
    let events: Vec<Event> = Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH).collect();
    let mut walk = Walk::new(flavor);
    for (index, event) in events.iter().enumerate() {
        walk.event(event, &events[index + 1..]);
    }
    walk.writer.finish()
}

struct List {
    /// The next number of an ordered list; `None` for bullets.
    next_number: Option<u64>,
    /// Items separated by a blank line (the source had blank lines).
    loose: bool,
    items_seen: usize,
}

struct Link {
    /// Whether an `<a>` was written (and must be closed).
    tagged: bool,
    url: String,
    /// Output length where the link's text begins.
    text_start: usize,
}

/// Text collected for a block written in one piece at its end.
enum Verbatim {
    Code {
        language: Option<String>,
        text: String,
    },
    Html {
        text: String,
    },
}

struct Walk {
    writer: Writer,
    lists: Vec<List>,
    links: Vec<Link>,
    verbatim: Option<Verbatim>,
    bold: usize,
    italic: usize,
    strike: usize,
    images: usize,
}

impl Walk {
    fn new(flavor: Flavor) -> Walk {
        Walk {
            writer: Writer::new(flavor),
            lists: Vec::new(),
            links: Vec::new(),
            verbatim: None,
            bold: 0,
            italic: 0,
            strike: 0,
            images: 0,
        }
    }

    fn html(&self) -> bool {
        self.writer.flavor == Flavor::Html
    }

    fn event(&mut self, event: &Event, rest: &[Event]) {
        match event {
            Event::Start(tag) => self.start(tag, rest),
            Event::End(tag) => self.end(*tag),
            Event::Text(text) | Event::InlineMath(text) | Event::DisplayMath(text) => {
                self.text(text)
            }
            Event::Html(html) | Event::InlineHtml(html) => self.text(html),
            Event::Code(code) => self.inline_code(code),
            Event::SoftBreak | Event::HardBreak => self.writer.newline(),
            Event::Rule => {
                self.writer.request_gap(self.block_gap());
                self.writer.text(RULE);
            }
            Event::FootnoteReference(_) | Event::TaskListMarker(_) => {}
        }
    }

    /// The separator between blocks: a blank line, or a line break inside
    /// lists.
    fn block_gap(&self) -> Gap {
        if self.lists.is_empty() {
            Gap::Blank
        } else {
            Gap::Line
        }
    }

    fn start(&mut self, tag: &Tag, rest: &[Event]) {
        match tag {
            Tag::Paragraph => self.writer.request_gap(self.block_gap()),
            Tag::Heading { .. } => {
                self.writer.request_gap(self.block_gap());
                self.open_bold();
            }
            Tag::BlockQuote(_) => self.start_quote(),
            Tag::CodeBlock(kind) => {
                self.writer.request_gap(self.block_gap());
                let language = match kind {
                    CodeBlockKind::Fenced(info) => language_of(info),
                    CodeBlockKind::Indented => None,
                };
                self.verbatim = Some(Verbatim::Code {
                    language,
                    text: String::new(),
                });
            }
            Tag::HtmlBlock => {
                self.writer.request_gap(self.block_gap());
                self.verbatim = Some(Verbatim::Html {
                    text: String::new(),
                });
            }
            Tag::List(first_number) => self.start_list(*first_number, rest),
            Tag::Item => self.start_item(),
            Tag::Strong => self.open_bold(),
            Tag::Emphasis => self.open_style(Style::Italic),
            Tag::Strikethrough => self.open_style(Style::Strike),
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => self.start_link(*link_type, dest_url),
            Tag::Image { .. } => self.images += 1,
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) | TagEnd::Strong => self.close_bold(),
            TagEnd::BlockQuote(_) => self.end_quote(),
            TagEnd::CodeBlock | TagEnd::HtmlBlock => self.end_verbatim(),
            TagEnd::List(_) => {
                self.lists.pop();
                self.writer.indent_levels = self.lists.len();
            }
            TagEnd::Emphasis => self.close_style(Style::Italic),
            TagEnd::Strikethrough => self.close_style(Style::Strike),
            TagEnd::Link => self.end_link(),
            TagEnd::Image => self.images = self.images.saturating_sub(1),
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        match &mut self.verbatim {
            Some(Verbatim::Code { text: buffer, .. } | Verbatim::Html { text: buffer }) => {
                buffer.push_str(text)
            }
            None => self.writer.text(text),
        }
    }

    /// Telegram drops code that is part of bold, italic, strike or a link,
    /// so code there is written as plain text and keeps the outer style.
    fn inline_code(&mut self, code: &str) {
        let styled = self.bold + self.italic + self.strike + self.links.len() + self.images > 0;
        let tagged = self.html() && !styled;
        if tagged {
            self.writer.open("<code>");
        }
        self.writer.text(code);
        if tagged {
            self.writer.close("</code>");
        }
    }

    /// Quotes nested in quotes are one quote: Telegram does not nest them.
    fn start_quote(&mut self) {
        self.writer.request_gap(self.block_gap());
        if self.html() && self.writer.quote_depth == 0 {
            self.writer.open("<blockquote>");
        }
        self.writer.quote_depth += 1;
        self.writer.mark_block_start();
    }

    fn end_quote(&mut self) {
        self.writer.quote_depth = self.writer.quote_depth.saturating_sub(1);
        if self.html() && self.writer.quote_depth == 0 {
            self.writer.close_block("</blockquote>");
        }
    }

    fn end_verbatim(&mut self) {
        match self.verbatim.take() {
            Some(Verbatim::Code { language, text }) => self.write_code_block(language, &text),
            Some(Verbatim::Html { text }) => self.writer.text(text.trim_end_matches('\n')),
            None => {}
        }
    }

    fn write_code_block(&mut self, language: Option<String>, code: &str) {
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

    fn start_list(&mut self, first_number: Option<u64>, rest: &[Event]) {
        self.writer.request_gap(self.block_gap());
        let loose = matches!(
            rest,
            [Event::Start(Tag::Item), Event::Start(Tag::Paragraph), ..]
        );
        self.lists.push(List {
            next_number: first_number,
            loose,
            items_seen: 0,
        });
    }

    fn start_item(&mut self) {
        let depth = self.lists.len();
        let Some(list) = self.lists.last_mut() else {
            return;
        };
        let gap = if list.loose && list.items_seen > 0 {
            Gap::Blank
        } else {
            Gap::Line
        };
        list.items_seen += 1;
        let marker = match &mut list.next_number {
            Some(number) => {
                let marker = format!("{number}. ");
                *number = number.saturating_add(1);
                marker
            }
            None => "• ".to_string(),
        };
        self.writer.request_gap(gap);
        self.writer.open_at(depth - 1, &marker);
        self.writer.indent_levels = depth;
        self.writer.mark_block_start();
    }

    fn start_link(&mut self, link_type: LinkType, url: &str) {
        let url = match link_type {
            LinkType::Email => format!("mailto:{url}"),
            _ => url.to_string(),
        };
        let tagged = self.html() && self.images == 0 && has_link_scheme(&url);
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

    fn open_bold(&mut self) {
        self.bold += 1;
        if self.bold == 1 && self.images == 0 {
            match self.writer.flavor {
                Flavor::Html => self.writer.open("<b>"),
                Flavor::Plain { ansi: true } => self.writer.open("\x1b[1m"),
                Flavor::Plain { ansi: false } => {}
            }
        }
    }

    fn close_bold(&mut self) {
        if self.bold == 1 && self.images == 0 {
            match self.writer.flavor {
                Flavor::Html => self.writer.close("</b>"),
                Flavor::Plain { ansi: true } => self.writer.close("\x1b[0m"),
                Flavor::Plain { ansi: false } => {}
            }
        }
        self.bold = self.bold.saturating_sub(1);
    }

    fn open_style(&mut self, style: Style) {
        *self.style_depth(style) += 1;
        if *self.style_depth(style) == 1 && self.html() && self.images == 0 {
            self.writer.open(style.open_tag());
        }
    }

    fn close_style(&mut self, style: Style) {
        if *self.style_depth(style) == 1 && self.html() && self.images == 0 {
            self.writer.close(style.close_tag());
        }
        let depth = self.style_depth(style);
        *depth = depth.saturating_sub(1);
    }

    fn style_depth(&mut self, style: Style) -> &mut usize {
        match style {
            Style::Italic => &mut self.italic,
            Style::Strike => &mut self.strike,
        }
    }
}

#[derive(Clone, Copy)]
enum Style {
    Italic,
    Strike,
}

impl Style {
    fn open_tag(self) -> &'static str {
        match self {
            Style::Italic => "<i>",
            Style::Strike => "<s>",
        }
    }

    fn close_tag(self) -> &'static str {
        match self {
            Style::Italic => "</i>",
            Style::Strike => "</s>",
        }
    }
}

/// The language of a fenced block's info string, if it is a plain name.
fn language_of(info: &str) -> Option<String> {
    let word = info.split_whitespace().next()?;
    let plain = word
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "+-_.#".contains(c));
    plain.then(|| word.to_ascii_lowercase())
}

fn has_link_scheme(url: &str) -> bool {
    let url = url.trim_start().to_ascii_lowercase();
    LINK_SCHEMES.iter().any(|scheme| url.starts_with(scheme))
}

#[cfg(test)]
mod tests;
