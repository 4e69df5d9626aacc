//! The bank's Markdown, walked with pulldown-cmark and written as Discord Markdown.
//!
//! Discord renders bold, italic, strike, code, fences, quotes, lists and masked links itself,
//! so those map one to one; headings become bold lines (as on Telegram), raw HTML and images
//! show as text, links go out only for http(s) (Discord masks no other scheme), wrapped in
//! `<…>` so Discord shows no preview card under a question.

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};

use super::out::{Gap, Out};
use super::units::Mark;

/// A link whose markup is longer than this is shown as text and URL, so that every unit fits
/// well inside one message.
const MAX_LINK: usize = 400;
const RULE: &str = "——";
/// Fence languages longer than this are dropped (the fence line is repeated at each cut).
const MAX_LANGUAGE: usize = 20;

pub(super) fn render(markdown: &str, out: &mut Out) {
    let events: Vec<Event> = Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH).collect();
    let mut walk = Walk {
        out,
        lists: Vec::new(),
        link: None,
        code: None,
        styles: 0,
        images: 0,
        quotes: 0,
    };
    for (index, event) in events.iter().enumerate() {
        walk.event(event, &events[index + 1..]);
    }
}

struct List {
    next_number: Option<u64>,
    loose: bool,
    items_seen: usize,
}

/// A link being collected: its URL and its text so far.
struct Link {
    url: String,
    text: String,
}

struct Walk<'a> {
    out: &'a mut Out,
    lists: Vec<List>,
    link: Option<Link>,
    /// A code block being collected: (language, code).
    code: Option<(Option<String>, String)>,
    /// Open styles (bold, italic, strike, headings) to close in order.
    styles: usize,
    images: usize,
    /// Quotes the content is in (Discord does not nest them: one is as good as many).
    quotes: usize,
}

impl Walk<'_> {
    fn event(&mut self, event: &Event, rest: &[Event]) {
        match event {
            Event::Start(tag) => self.start(tag, rest),
            Event::End(tag) => self.end(*tag),
            Event::Text(text) | Event::InlineMath(text) | Event::DisplayMath(text) => {
                self.text(text)
            }
            Event::Html(html) | Event::InlineHtml(html) => self.text(html),
            Event::Code(code) => match &mut self.link {
                Some(link) => link.text.push_str(code),
                None => self.out.inline_code(code),
            },
            Event::SoftBreak | Event::HardBreak => match &mut self.link {
                Some(link) => link.text.push(' '),
                None => self.out.newline(),
            },
            Event::Rule => {
                self.out.request_gap(self.block_gap());
                self.out.text(RULE);
            }
            Event::FootnoteReference(_) | Event::TaskListMarker(_) => {}
        }
    }

    fn block_gap(&self) -> Gap {
        if self.lists.is_empty() {
            Gap::Blank
        } else {
            Gap::Line
        }
    }

    fn text(&mut self, text: &str) {
        if let Some((_, code)) = &mut self.code {
            code.push_str(text);
        } else if let Some(link) = &mut self.link {
            link.text.push_str(text);
        } else {
            self.out.text(text);
        }
    }

    fn start(&mut self, tag: &Tag, rest: &[Event]) {
        match tag {
            Tag::Paragraph | Tag::HtmlBlock => self.out.request_gap(self.block_gap()),
            Tag::Heading { .. } => {
                self.out.request_gap(self.block_gap());
                self.open(Mark::Bold);
            }
            Tag::BlockQuote(_) => {
                self.out.request_gap(self.block_gap());
                self.quotes += 1;
                self.out.set_quote(true);
                self.out.mark_block_start();
            }
            Tag::CodeBlock(kind) => {
                self.out.request_gap(self.block_gap());
                let language = match kind {
                    CodeBlockKind::Fenced(info) => language_of(info),
                    CodeBlockKind::Indented => None,
                };
                self.code = Some((language, String::new()));
            }
            Tag::List(first_number) => {
                self.out.request_gap(self.block_gap());
                let loose = matches!(
                    rest,
                    [Event::Start(Tag::Item), Event::Start(Tag::Paragraph), ..]
                );
                self.lists.push(List {
                    next_number: *first_number,
                    loose,
                    items_seen: 0,
                });
            }
            Tag::Item => self.start_item(),
            Tag::Strong => self.open(Mark::Bold),
            Tag::Emphasis => self.open(Mark::Italic),
            Tag::Strikethrough => self.open(Mark::Strike),
            Tag::Link {
                link_type,
                dest_url,
                ..
            } if self.link.is_none() => {
                let url = match link_type {
                    LinkType::Email => format!("mailto:{dest_url}"),
                    _ => dest_url.to_string(),
                };
                self.link = Some(Link {
                    url,
                    text: String::new(),
                });
            }
            Tag::Image { .. } => self.images += 1,
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) | TagEnd::Strong | TagEnd::Emphasis | TagEnd::Strikethrough => {
                self.close()
            }
            TagEnd::BlockQuote(_) => {
                self.quotes = self.quotes.saturating_sub(1);
                self.out.set_quote(self.quotes > 0);
                self.out.request_gap(self.block_gap());
            }
            TagEnd::CodeBlock => {
                if let Some((language, code)) = self.code.take() {
                    self.out.fence(language.as_deref(), &code);
                }
            }
            TagEnd::List(_) => {
                self.lists.pop();
                self.out.indent_levels = self.lists.len();
            }
            TagEnd::Link => self.end_link(),
            TagEnd::Image => self.images = self.images.saturating_sub(1),
            _ => {}
        }
    }

    /// Styles inside a link or image are not written (a link is one piece of text).
    fn open(&mut self, mark: Mark) {
        if self.link.is_none() && self.images == 0 {
            self.out.open_mark(mark);
            self.styles += 1;
        }
    }

    fn close(&mut self) {
        if self.link.is_none() && self.images == 0 && self.styles > 0 {
            self.out.close_mark();
            self.styles -= 1;
        }
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
            None => "- ".to_string(),
        };
        self.out.request_gap(gap);
        self.out.marker(depth - 1, &marker);
        self.out.indent_levels = depth;
        self.out.mark_block_start();
    }

    fn end_link(&mut self) {
        let Some(link) = self.link.take() else {
            return;
        };
        let text = link.text.split_whitespace().collect::<Vec<_>>().join(" ");
        let url = link.url.trim();
        let shown_url = url.strip_prefix("mailto:").unwrap_or(url);
        if !is_web_url(url) {
            let shown = if text.is_empty() {
                shown_url
            } else {
                text.as_str()
            };
            return self.out.text(shown);
        }
        let target = safe_url(url);
        let markup = if text.is_empty() || text == url {
            format!("<{target}>")
        } else {
            format!("[{}](<{target}>)", super::out::escape(&text))
        };
        if markup.chars().count() <= MAX_LINK {
            self.out.atom(markup);
        } else if text.is_empty() {
            self.out.text(url);
        } else {
            self.out.text(&format!("{text} ({url})"));
        }
    }
}

fn is_web_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")) && url.len() > 8
}

/// A URL that cannot end its `<…>` or `(…)` early: spaces and brackets percent-encoded.
fn safe_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn language_of(info: &str) -> Option<String> {
    let word = info.split_whitespace().next()?;
    let plain = word.len() <= MAX_LANGUAGE
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-_.#".contains(c));
    plain.then(|| word.to_ascii_lowercase())
}
