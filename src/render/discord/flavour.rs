//! The Discord flavour of the Markdown walk (`render::walk`).
//!
//! Discord renders bold, italic, strike, code, fences, quotes, lists and masked links itself,
//! so those map one to one; headings become bold lines (as on Telegram), raw HTML and images
//! show as text, links go out only for http(s) (Discord masks no other scheme), wrapped in
//! `<…>` so Discord shows no preview card under a question.

use super::super::walk::{self, Context, Flavour, Gap, Style};
use super::out::Out;
use super::units::Mark;

/// A link whose markup is longer than this is shown as text and URL, so that every unit fits
/// well inside one message.
const MAX_LINK: usize = 400;
/// Fence languages longer than this are dropped (the fence line is repeated at each cut).
const MAX_LANGUAGE: usize = 20;

pub(super) fn render(markdown: &str, out: &mut Out) {
    let mut discord = Discord {
        out,
        link: None,
        styles: 0,
    };
    walk::walk(markdown, &mut discord);
}

/// A link being collected: its URL and its text so far.
struct Link {
    url: String,
    text: String,
}

struct Discord<'a> {
    out: &'a mut Out,
    link: Option<Link>,
    /// Style marks written and not yet closed.
    styles: usize,
}

impl Flavour for Discord<'_> {
    const BULLET: &'static str = "- ";

    fn request_gap(&mut self, gap: Gap) {
        self.out.request_gap(gap);
    }

    fn mark_block_start(&mut self) {
        self.out.mark_block_start();
    }

    fn set_indent(&mut self, levels: usize) {
        self.out.indent_levels = levels;
    }

    /// Text of a link is collected, to be written with the link.
    fn text(&mut self, text: &str) {
        match &mut self.link {
            Some(link) => link.text.push_str(text),
            None => self.out.text(text),
        }
    }

    fn line_break(&mut self) {
        match &mut self.link {
            Some(link) => link.text.push(' '),
            None => self.out.newline(),
        }
    }

    fn inline_code(&mut self, code: &str, _: &Context) {
        match &mut self.link {
            Some(link) => link.text.push_str(code),
            None => self.out.inline_code(code),
        }
    }

    /// Styles inside a link or image are not written (a link is one piece of text).
    fn open_style(&mut self, style: Style, context: &Context) {
        if self.link.is_none() && context.images == 0 {
            self.out.open_mark(match style {
                Style::Bold => Mark::Bold,
                Style::Italic => Mark::Italic,
                Style::Strike => Mark::Strike,
            });
            self.styles += 1;
        }
    }

    fn close_style(&mut self, _: Style, context: &Context) {
        if self.link.is_none() && context.images == 0 && self.styles > 0 {
            self.out.close_mark();
            self.styles -= 1;
        }
    }

    /// Discord does not nest quotes: one is as good as many.
    fn start_quote(&mut self, _: &Context) {
        self.out.set_quote(true);
    }

    fn end_quote(&mut self, context: &Context) {
        self.out.set_quote(context.quotes > 0);
        self.out.request_gap(context.block_gap());
    }

    fn code_block(&mut self, language: Option<&str>, code: &str) {
        let language = language.filter(|language| language.len() <= MAX_LANGUAGE);
        self.out.fence(language, code);
    }

    fn html_block(&mut self, html: &str) {
        self.text(html);
    }

    fn item_marker(&mut self, levels: usize, marker: &str) {
        self.out.marker(levels, marker);
    }

    fn start_link(&mut self, url: String, _: &Context) {
        if self.link.is_none() {
            let text = String::new();
            self.link = Some(Link { url, text });
        }
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
