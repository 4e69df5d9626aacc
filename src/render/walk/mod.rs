//! The one walk over the bank's Markdown, for every output format.
//!
//! pulldown-cmark's events hold more structure than a chat shows: no platform has
//! paragraphs, and lists, headings and quotes each need handling. What every format shares
//! (block separators, list numbering and looseness, collecting code and HTML blocks, which
//! styles, links, images and quotes are open) is kept here, once; what a format writes is
//! its [`Flavour`]. Telegram HTML and terminal text (`markdown`) and Discord Markdown
//! (`discord`) are flavours, so a new platform's format is one flavour file.

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};

/// A thematic break, drawn as a short line.
const RULE: &str = "——";

/// The separator owed before the next content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Gap {
    None,
    Line,
    Blank,
}

/// An inline style; headings are bold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Style {
    Bold,
    Italic,
    Strike,
}

/// What is open around the current event.
#[derive(Debug, Default)]
pub(super) struct Context {
    bold: usize,
    italic: usize,
    strike: usize,
    /// Links open (0 or 1: CommonMark links do not nest).
    pub links: usize,
    pub images: usize,
    pub quotes: usize,
    lists: usize,
}

impl Context {
    /// How many of `style` are open (counting the one being opened or closed).
    pub fn depth(&self, style: Style) -> usize {
        match style {
            Style::Bold => self.bold,
            Style::Italic => self.italic,
            Style::Strike => self.strike,
        }
    }

    /// Whether any style, link or image is open.
    pub fn styled(&self) -> bool {
        self.bold + self.italic + self.strike + self.links + self.images > 0
    }

    /// The separator between blocks: a blank line, or a line break inside lists.
    pub fn block_gap(&self) -> Gap {
        if self.lists == 0 {
            Gap::Blank
        } else {
            Gap::Line
        }
    }

    fn depth_mut(&mut self, style: Style) -> &mut usize {
        match style {
            Style::Bold => &mut self.bold,
            Style::Italic => &mut self.italic,
            Style::Strike => &mut self.strike,
        }
    }
}

/// What one output format writes for the walk's events.
pub(super) trait Flavour {
    /// The marker of a bullet list item.
    const BULLET: &'static str;

    /// Asks for a separator before the next content.
    fn request_gap(&mut self, gap: Gap);
    /// A block (item, quote) just opened: its content follows without a gap.
    fn mark_block_start(&mut self);
    /// How many list levels continuation lines are indented by.
    fn set_indent(&mut self, levels: usize);
    /// Text as the reader should see it.
    fn text(&mut self, text: &str);
    /// A soft or hard line break.
    fn line_break(&mut self);
    fn inline_code(&mut self, code: &str, context: &Context);
    /// `context` counts the style being opened.
    fn open_style(&mut self, style: Style, context: &Context);
    /// `context` still counts the style being closed.
    fn close_style(&mut self, style: Style, context: &Context);
    /// `context.quotes` counts the quote being opened.
    fn start_quote(&mut self, context: &Context);
    /// `context.quotes` no longer counts the quote being closed.
    fn end_quote(&mut self, context: &Context);
    /// A code block: its fence's language (a plain name, lowercase) and its code.
    fn code_block(&mut self, language: Option<&str>, code: &str);
    /// Raw HTML from the bank, shown as text.
    fn html_block(&mut self, html: &str);
    /// A list item's marker ("• ", "3. "), for `levels` list levels of indentation.
    fn item_marker(&mut self, levels: usize, marker: &str);
    /// `url` has `mailto:` in front for an email autolink.
    fn start_link(&mut self, url: String, context: &Context);
    fn end_link(&mut self);
}

/// Walks `markdown` once, handing what it finds to `flavour`.
pub(super) fn walk(markdown: &str, flavour: &mut impl Flavour) {
    let events: Vec<Event> = Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH).collect();
    let mut walk = Walk {
        flavour,
        context: Context::default(),
        lists: Vec::new(),
        verbatim: None,
    };
    for (index, event) in events.iter().enumerate() {
        walk.event(event, &events[index + 1..]);
    }
}

struct List {
    /// The next number of an ordered list; `None` for bullets.
    next_number: Option<u64>,
    /// Items separated by a blank line (the source had blank lines).
    loose: bool,
    items_seen: usize,
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

struct Walk<'a, F> {
    flavour: &'a mut F,
    context: Context,
    lists: Vec<List>,
    verbatim: Option<Verbatim>,
}

impl<F: Flavour> Walk<'_, F> {
    fn event(&mut self, event: &Event, rest: &[Event]) {
        match event {
            Event::Start(tag) => self.start(tag, rest),
            Event::End(tag) => self.end(*tag),
            Event::Text(text) | Event::InlineMath(text) | Event::DisplayMath(text) => {
                self.text(text)
            }
            Event::Html(html) | Event::InlineHtml(html) => self.text(html),
            Event::Code(code) => self.flavour.inline_code(code, &self.context),
            Event::SoftBreak | Event::HardBreak => self.flavour.line_break(),
            Event::Rule => {
                self.block();
                self.flavour.text(RULE);
            }
            Event::FootnoteReference(_) | Event::TaskListMarker(_) => {}
        }
    }

    /// A block begins: it is separated from what came before.
    fn block(&mut self) {
        self.flavour.request_gap(self.context.block_gap());
    }

    fn text(&mut self, text: &str) {
        match &mut self.verbatim {
            Some(Verbatim::Code { text: buffer, .. } | Verbatim::Html { text: buffer }) => {
                buffer.push_str(text)
            }
            None => self.flavour.text(text),
        }
    }

    fn start(&mut self, tag: &Tag, rest: &[Event]) {
        match tag {
            Tag::Paragraph => self.block(),
            Tag::Heading { .. } => {
                self.block();
                self.open_style(Style::Bold);
            }
            Tag::BlockQuote(_) => {
                self.block();
                self.context.quotes += 1;
                self.flavour.start_quote(&self.context);
                self.flavour.mark_block_start();
            }
            Tag::CodeBlock(kind) => {
                self.block();
                let language = match kind {
                    CodeBlockKind::Fenced(info) => language_of(info),
                    CodeBlockKind::Indented => None,
                };
                let text = String::new();
                self.verbatim = Some(Verbatim::Code { language, text });
            }
            Tag::HtmlBlock => {
                self.block();
                self.verbatim = Some(Verbatim::Html {
                    text: String::new(),
                });
            }
            Tag::List(first_number) => self.start_list(*first_number, rest),
            Tag::Item => self.start_item(),
            Tag::Strong => self.open_style(Style::Bold),
            Tag::Emphasis => self.open_style(Style::Italic),
            Tag::Strikethrough => self.open_style(Style::Strike),
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => {
                let url = match link_type {
                    LinkType::Email => format!("mailto:{dest_url}"),
                    _ => dest_url.to_string(),
                };
                self.context.links += 1;
                self.flavour.start_link(url, &self.context);
            }
            Tag::Image { .. } => self.context.images += 1,
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) | TagEnd::Strong => self.close_style(Style::Bold),
            TagEnd::Emphasis => self.close_style(Style::Italic),
            TagEnd::Strikethrough => self.close_style(Style::Strike),
            TagEnd::BlockQuote(_) => {
                self.context.quotes = self.context.quotes.saturating_sub(1);
                self.flavour.end_quote(&self.context);
            }
            TagEnd::CodeBlock | TagEnd::HtmlBlock => self.end_verbatim(),
            TagEnd::List(_) => {
                self.lists.pop();
                self.context.lists = self.lists.len();
                self.flavour.set_indent(self.lists.len());
            }
            TagEnd::Link => {
                self.flavour.end_link();
                self.context.links = self.context.links.saturating_sub(1);
            }
            TagEnd::Image => self.context.images = self.context.images.saturating_sub(1),
            _ => {}
        }
    }

    fn open_style(&mut self, style: Style) {
        *self.context.depth_mut(style) += 1;
        self.flavour.open_style(style, &self.context);
    }

    fn close_style(&mut self, style: Style) {
        self.flavour.close_style(style, &self.context);
        let depth = self.context.depth_mut(style);
        *depth = depth.saturating_sub(1);
    }

    fn end_verbatim(&mut self) {
        match self.verbatim.take() {
            Some(Verbatim::Code { language, text }) => {
                self.flavour.code_block(language.as_deref(), &text)
            }
            Some(Verbatim::Html { text }) => self.flavour.html_block(&text),
            None => {}
        }
    }

    fn start_list(&mut self, first_number: Option<u64>, rest: &[Event]) {
        self.block();
        let loose = matches!(
            rest,
            [Event::Start(Tag::Item), Event::Start(Tag::Paragraph), ..]
        );
        self.lists.push(List {
            next_number: first_number,
            loose,
            items_seen: 0,
        });
        self.context.lists = self.lists.len();
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
            None => F::BULLET.to_string(),
        };
        self.flavour.request_gap(gap);
        self.flavour.item_marker(depth - 1, &marker);
        self.flavour.set_indent(depth);
        self.flavour.mark_block_start();
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

#[cfg(test)]
mod tests;
