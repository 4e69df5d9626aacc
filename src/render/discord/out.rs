//! Writing Discord Markdown as units: separators requested lazily (nothing ends in stray
//! blank lines), line prefixes for quotes and list continuations, escaping of plain text,
//! style markers that vanish when they would enclose nothing, fences and atoms.

use super::super::walk::Gap;
use super::units::{Cut, FENCE_CLOSE, Kind, Mark, Open, Units};

/// Characters escaped wherever they appear: Discord's inline syntax (emphasis, underline,
/// strike, spoilers, code, masked links, headings, quotes, and `<…>` mentions, emoji,
/// timestamps). `@` is left alone: pings are stopped by `allowed_mentions`, not by mangling.
const ALWAYS_ESCAPED: &[char] = &['\\', '*', '_', '~', '`', '|', '<', '>', '[', ']', '#'];

/// Zero-width space: keeps three backticks inside code from closing its fence.
pub(super) const ZWSP: char = '\u{200B}';

pub(super) struct Out {
    pub units: Units,
    open: Open,
    gap: Gap,
    /// Nothing written yet on the current line (escape list and number markers).
    line_start: bool,
    /// A block (item, quote) just opened: a requested gap would push content off its marker.
    block_start: bool,
    /// The next unit may not be cut before (it belongs to what precedes it).
    glue: bool,
    /// List levels continuation lines are indented by.
    pub indent_levels: usize,
    /// List item markers (with their levels) written when their item shows something: an
    /// empty item shows nothing, an item holding only a nested list shows its marker alone.
    markers: Vec<(usize, String)>,
    /// For each open mark: where the output stood before it (units, owed gap, line start),
    /// to take it back if the mark encloses nothing.
    mark_starts: Vec<(usize, Gap, bool, bool)>,
}

impl Out {
    pub fn new() -> Out {
        Out {
            units: Units::default(),
            open: Open::default(),
            gap: Gap::None,
            line_start: true,
            block_start: false,
            glue: false,
            indent_levels: 0,
            markers: Vec::new(),
            mark_starts: Vec::new(),
        }
    }

    pub fn request_gap(&mut self, gap: Gap) {
        if !self.block_start {
            self.gap = self.gap.max(gap);
        }
    }

    pub fn mark_block_start(&mut self) {
        self.block_start = true;
        self.line_start = true;
    }

    pub fn set_quote(&mut self, quote: bool) {
        self.open.quote = quote;
    }

    fn push(&mut self, text: &str, kind: Kind, cut: Cut) {
        self.push_with(|out| out.push_str(text), kind, cut);
    }

    /// One character, after a backslash when `escaped`.
    fn push_char(&mut self, c: char, escaped: bool, kind: Kind, cut: Cut) {
        let write = |out: &mut String| {
            if escaped {
                out.push('\\');
            }
            out.push(c);
        };
        self.push_with(write, kind, cut);
    }

    fn push_with(&mut self, write: impl FnOnce(&mut String), kind: Kind, cut: Cut) {
        let cut = if std::mem::take(&mut self.glue) {
            Cut::Never
        } else {
            cut
        };
        self.units.push(write, kind, cut, &self.open);
    }

    fn prefix(&self, levels: usize) -> String {
        let quote = if self.open.quote { "> " } else { "" };
        format!("{quote}{}", "  ".repeat(levels))
    }

    /// Writes the owed separator (with the next line's prefix) before content indented for
    /// `levels` list levels.
    fn begin(&mut self, levels: usize) {
        let markers = std::mem::take(&mut self.markers);
        if !markers.is_empty() {
            for (index, (marker_levels, marker)) in markers.into_iter().enumerate() {
                if index > 0 {
                    self.gap = Gap::Line;
                }
                self.begin(marker_levels);
                self.push(&marker, Kind::Markup, Cut::Char);
            }
            self.glue = true;
            self.line_start = true;
            return;
        }
        let gap = std::mem::replace(&mut self.gap, Gap::None);
        if self.units.units.is_empty() {
            let prefix = self.prefix(levels);
            if !prefix.is_empty() {
                self.push(&prefix, Kind::Markup, Cut::Never);
                self.glue = true;
            }
        } else if gap != Gap::None {
            let (breaks, cut) = match gap {
                Gap::Blank => ("\n\n", Cut::Blank),
                _ => ("\n", Cut::Line),
            };
            let text = format!("{breaks}{}", self.prefix(levels));
            self.push(&text, Kind::Break, cut);
            self.line_start = true;
        }
        self.block_start = false;
    }

    /// A line break; a second one in a row makes a blank line.
    pub fn newline(&mut self) {
        self.gap = match self.gap {
            Gap::None => Gap::Line,
            _ => Gap::Blank,
        };
        self.block_start = false;
    }

    /// Plain text, escaped, line breaks kept.
    pub fn text(&mut self, text: &str) {
        for (index, line) in text.split('\n').enumerate() {
            if index > 0 {
                self.newline();
            }
            if !line.is_empty() {
                self.begin(self.indent_levels);
                self.escaped_line(line);
            }
        }
    }

    fn escaped_line(&mut self, line: &str) {
        // At a line start "- ", "+ " and "12. " (indented or not) would become lists.
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        let escape_at = if self.line_start {
            list_marker_char(&line[indent..]).map(|at| at + indent)
        } else {
            None
        };
        for (index, c) in line.chars().enumerate() {
            let escape = ALWAYS_ESCAPED.contains(&c) || Some(index) == escape_at;
            let (kind, cut) = if c == ' ' || c == '\t' {
                (Kind::Space, Cut::Space)
            } else if c.is_control() {
                continue;
            } else {
                (Kind::Visible, Cut::Char)
            };
            self.push_char(c, escape && kind == Kind::Visible, kind, cut);
            if kind == Kind::Visible {
                self.line_start = false;
            }
        }
    }

    /// Something seen that must stay whole (a link).
    pub fn atom(&mut self, text: String) {
        self.begin(self.indent_levels);
        self.push(&text, Kind::Visible, Cut::Char);
        self.line_start = false;
    }

    /// A list marker ("- ", "3. ") one level left of its item's text.
    pub fn marker(&mut self, levels: usize, marker: &str) {
        // An item at this level or deeper still waiting is empty: it shows nothing.
        self.markers.retain(|(pending, _)| *pending < levels);
        self.markers.push((levels, marker.to_string()));
        self.line_start = true;
    }

    pub fn open_mark(&mut self, mark: Mark) {
        let before = (self.units.units.len(), self.gap, self.line_start, self.glue);
        self.begin(self.indent_levels);
        self.mark_starts.push(before);
        self.open.marks.push(mark);
        self.push(mark.open(), Kind::Markup, Cut::Char);
        self.glue = true;
    }

    /// Closes the innermost mark; a mark around nothing visible is removed instead.
    pub fn close_mark(&mut self) {
        let Some((start, gap, line_start, glue)) = self.mark_starts.pop() else {
            return;
        };
        let mark = self.open.marks.pop();
        let visible = self.units.units[start..]
            .iter()
            .any(|u| u.kind == Kind::Visible);
        if !visible {
            self.units.truncate(start);
            self.gap = self.gap.max(gap);
            self.line_start = line_start;
            self.glue = glue;
            return;
        }
        if let Some(mark) = mark {
            self.glue = true;
            self.push(mark.close(), Kind::Markup, Cut::Never);
        }
    }

    /// Inline code: raw characters between backticks (doubled when the code has one).
    pub fn inline_code(&mut self, code: &str) {
        if code.trim().is_empty() {
            return self.text(code);
        }
        let double = code.contains('`');
        self.open_mark(Mark::Code { double });
        self.raw(&break_backtick_runs(code, 2), false);
        self.close_mark();
    }

    /// Raw characters (code), `in_fence` keeping line breaks as code lines.
    fn raw(&mut self, code: &str, in_fence: bool) {
        for c in code.chars() {
            let (kind, cut) = match c {
                '\n' if in_fence => {
                    self.push("\n", Kind::Break, Cut::Line);
                    continue;
                }
                ' ' | '\t' | '\n' => (Kind::Space, Cut::Space),
                c if c.is_control() => continue,
                _ => (Kind::Visible, Cut::Char),
            };
            let shown = if c == '\n' { ' ' } else { c };
            self.push_char(shown, false, kind, cut);
        }
    }

    /// A fenced code block. Quotes cannot hold fences on Discord, so it stands outside them.
    pub fn fence(&mut self, language: Option<&str>, code: &str) {
        let code = code.strip_suffix('\n').unwrap_or(code);
        if code.trim().is_empty() {
            return;
        }
        if !self.markers.is_empty() {
            // A list item opening with code: its marker on a line of its own, the fence below.
            self.begin(0);
            self.gap = Gap::Line;
        }
        let quote = self.open.quote;
        self.open.quote = false;
        self.begin(0);
        let opener = format!("```{}", language.unwrap_or(""));
        self.push(&format!("{opener}\n"), Kind::Markup, Cut::Char);
        self.open.fence = Some(opener);
        self.glue = true;
        self.raw(&break_backtick_runs(code, 3), true);
        self.open.fence = None;
        self.glue = true;
        self.push(FENCE_CLOSE, Kind::Markup, Cut::Never);
        self.open.quote = quote;
        self.line_start = true;
        self.request_gap(Gap::Line);
    }
}

/// Which character of a line start must be escaped so Discord shows no list: the marker of
/// "- x" or "+ x", the dot of "12. x".
fn list_marker_char(line: &str) -> Option<usize> {
    if line.starts_with("- ") || line.starts_with("+ ") || line == "-" || line == "+" {
        return Some(0);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let rest = &line[digits..];
    (digits > 0 && (rest.starts_with(". ") || rest == ".")).then_some(digits)
}

/// Puts a zero-width space into every run of `run` backticks so code cannot end its span or
/// fence early.
fn break_backtick_runs(code: &str, run: usize) -> String {
    let mut out = String::with_capacity(code.len());
    let mut streak = 0;
    for c in code.chars() {
        if c == '`' {
            streak += 1;
            if streak == run {
                out.push(ZWSP);
                streak = 1;
            }
        } else {
            streak = 0;
        }
        out.push(c);
    }
    out
}

/// Plain text escaped for Discord Markdown (as a message starting with it would show it).
pub(super) fn escape(text: &str) -> String {
    let mut out = Out::new();
    out.text(text);
    out.units.text()
}
