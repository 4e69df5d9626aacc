//! The output side of Markdown rendering: separators, indentation, escaping.
//!
//! Telegram has no paragraphs or list elements, so structure is made of
//! newlines and leading spaces. The writer keeps that bookkeeping in one
//! place: separators are requested lazily (so nothing ever ends in stray
//! blank lines), continuation lines of list items are indented, and text is
//! escaped for the flavor being written.

use super::escape;
use super::walk::Gap;

/// What the output is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Flavor {
    /// Telegram HTML parse mode.
    Html,
    /// A terminal; `ansi` allows bold via escape sequences.
    Plain { ansi: bool },
}

pub(super) struct Writer {
    pub(super) flavor: Flavor,
    out: String,
    gap: Gap,
    /// The next content starts a line, so the line prefix is owed first.
    line_start: bool,
    /// Nothing has been written since a block (item, quote) opened, so a
    /// separator requested now would only push content off its marker.
    block_start: bool,
    /// How many list levels continuation lines are indented by.
    pub(super) indent_levels: usize,
    /// How many quotes the content is in (shown as `> ` in plain text).
    pub(super) quote_depth: usize,
}

impl Writer {
    pub(super) fn new(flavor: Flavor) -> Writer {
        Writer {
            flavor,
            out: String::new(),
            gap: Gap::None,
            line_start: true,
            block_start: false,
            indent_levels: 0,
            quote_depth: 0,
        }
    }

    /// Asks for a separator before the next content.
    pub(super) fn request_gap(&mut self, gap: Gap) {
        if !self.block_start {
            self.gap = self.gap.max(gap);
        }
    }

    /// Marks that a block just opened: its content follows without a gap.
    pub(super) fn mark_block_start(&mut self) {
        self.block_start = true;
    }

    /// Writes the owed separator and line prefix before content, with list
    /// indentation for `levels` levels.
    pub(super) fn begin(&mut self, levels: usize) {
        self.flush_gap();
        if self.line_start {
            if self.flavor != Flavor::Html {
                self.out.push_str(&"> ".repeat(self.quote_depth));
            }
            self.out.push_str(&"  ".repeat(levels));
            self.line_start = false;
        }
        self.block_start = false;
    }

    fn flush_gap(&mut self) {
        let separator = match self.gap {
            Gap::None => "",
            Gap::Line => "\n",
            Gap::Blank => "\n\n",
        };
        if !separator.is_empty() && !self.out.is_empty() {
            self.out.push_str(separator);
            self.line_start = true;
        }
        self.gap = Gap::None;
    }

    /// Text as the reader should see it: escaped, newlines kept, continuation
    /// lines indented.
    pub(super) fn text(&mut self, text: &str) {
        for (index, line) in text.split('\n').enumerate() {
            if index > 0 {
                self.newline();
            }
            if !line.is_empty() {
                self.begin(self.indent_levels);
                let line = self.escaped(line);
                self.out.push_str(&line);
            }
        }
    }

    /// Verbatim text (a code block): escaped, but no indentation added.
    pub(super) fn verbatim(&mut self, text: &str) {
        let text = self.escaped(text);
        self.out.push_str(&text);
    }

    pub(super) fn newline(&mut self) {
        self.flush_gap();
        self.out.push('\n');
        self.line_start = true;
    }

    /// Markup that opens something at the current position (a tag, a list
    /// marker, an ANSI sequence): written after the owed separator.
    pub(super) fn open(&mut self, markup: &str) {
        self.open_at(self.indent_levels, markup);
    }

    /// As [`Writer::open`], a line indented for `levels` list levels (a list
    /// marker sits one level left of its item's text).
    pub(super) fn open_at(&mut self, levels: usize, markup: &str) {
        self.begin(levels);
        self.out.push_str(markup);
    }

    /// Markup that closes something: written right where the content ended.
    pub(super) fn close(&mut self, markup: &str) {
        self.out.push_str(markup);
    }

    /// Markup that closes a block: the next block gets its separator.
    pub(super) fn close_block(&mut self, markup: &str) {
        self.out.push_str(markup);
        self.block_start = false;
    }

    /// Where the output ends now (to look back at what a link wrote).
    pub(super) fn len(&self) -> usize {
        self.out.len()
    }

    pub(super) fn written_since(&self, start: usize) -> &str {
        self.out.get(start..).unwrap_or_default()
    }

    pub(super) fn finish(self) -> String {
        self.out.trim_end().to_string()
    }

    fn escaped(&self, text: &str) -> String {
        match self.flavor {
            Flavor::Html => escape(text),
            Flavor::Plain { .. } => terminal_safe(text),
        }
    }
}

/// Text safe to print on a terminal: control characters other than newline
/// and tab (escape sequences someone typed into a question) are dropped.
pub(super) fn terminal_safe(text: &str) -> String {
    text.chars()
        .filter(|&c| !c.is_control() || c == '\n' || c == '\t')
        .collect()
}
