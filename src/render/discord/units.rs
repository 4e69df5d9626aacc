//! The Discord output as a sequence of units: escaped characters, markup, line breaks and
//! atoms (a whole link), each knowing whether a message may be cut before it and which
//! styles, fence and quote are open after it. Splitting then only chooses cut points; it never
//! has to parse Markdown back.

/// What a unit is, for trimming and counting at cuts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Something a reader sees (a character, an escape pair, a link).
    Visible,
    /// A space or tab.
    Space,
    /// A line break (with the next line's prefix), or a blank line.
    Break,
    /// Markup: style markers, fences, list markers, a quote's first prefix.
    Markup,
}

/// How good a place to cut a message is (before a unit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Cut {
    Never,
    Char,
    Space,
    Line,
    Blank,
}

/// An inline style, written as a pair of markers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mark {
    Bold,
    Italic,
    Strike,
    /// Inline code; `double` when the code holds a backtick.
    Code {
        double: bool,
    },
}

impl Mark {
    pub(super) fn open(self) -> &'static str {
        match self {
            Mark::Bold => "**",
            Mark::Italic => "*",
            Mark::Strike => "~~",
            Mark::Code { double: false } => "`",
            Mark::Code { double: true } => "`` ",
        }
    }

    pub(super) fn close(self) -> &'static str {
        match self {
            Mark::Code { double: true } => " ``",
            other => other.open(),
        }
    }
}

/// Nothing open: before the first unit.
static NOTHING_OPEN: Open = Open {
    marks: Vec::new(),
    fence: None,
    quote: false,
};

/// What ends a code fence left open at a cut.
pub(super) const FENCE_CLOSE: &str = "\n```";

/// What is open after a unit: what a message cut there must close, and the next reopen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Open {
    pub marks: Vec<Mark>,
    /// The fence line of the code block the unit is in (e.g. "```rust").
    pub fence: Option<String>,
    pub quote: bool,
}

impl Open {
    /// What a message starting here begins with.
    pub(super) fn reopen(&self) -> String {
        let mut text = String::new();
        if let Some(fence) = &self.fence {
            text.push_str(fence);
            text.push('\n');
        } else if self.quote {
            text.push_str("> ");
        }
        for mark in &self.marks {
            text.push_str(mark.open());
        }
        text
    }

    /// How many characters [`Open::close`] has (without building it).
    pub(super) fn close_chars(&self) -> usize {
        let marks: usize = self.marks.iter().map(|m| m.close().chars().count()).sum();
        marks
            + if self.fence.is_some() {
                FENCE_CLOSE.chars().count()
            } else {
                0
            }
    }

    /// What a message ending here ends with.
    pub(super) fn close(&self) -> String {
        let mut text: String = self.marks.iter().rev().map(|m| m.close()).collect();
        if self.fence.is_some() {
            text.push_str(FENCE_CLOSE);
        }
        text
    }
}

#[derive(Debug, Clone)]
pub(super) struct Unit {
    /// Byte range of the unit's text in [`Units::text`].
    pub start: usize,
    pub end: usize,
    pub chars: usize,
    pub kind: Kind,
    /// Whether (and how well) a message may end just before this unit.
    pub cut_before: Cut,
    /// Index into [`Units::states`]: what is open after this unit.
    pub state: usize,
}

/// Units and the distinct states they refer to.
#[derive(Debug, Clone, Default)]
pub(super) struct Units {
    pub units: Vec<Unit>,
    pub states: Vec<Open>,
    /// The units' texts, one after another.
    text: String,
}

impl Units {
    /// What is open before unit `index`.
    pub(super) fn open_before(&self, index: usize) -> &Open {
        match index.checked_sub(1).and_then(|i| self.units.get(i)) {
            Some(unit) => &self.states[unit.state],
            None => &NOTHING_OPEN,
        }
    }

    pub(super) fn open_after(&self, index: usize) -> &Open {
        &self.states[self.units[index].state]
    }

    /// The whole output, unsplit.
    pub(super) fn text(&self) -> String {
        self.text.clone()
    }

    /// The text of units `first..end` (`first < end`).
    pub(super) fn text_of(&self, first: usize, end: usize) -> &str {
        &self.text[self.units[first].start..self.units[end - 1].end]
    }

    /// Takes back every unit from `len` on.
    pub(super) fn truncate(&mut self, len: usize) {
        if let Some(unit) = self.units.get(len) {
            self.text.truncate(unit.start);
        }
        self.units.truncate(len);
    }

    /// A unit whose text `write` appends.
    pub(super) fn push(
        &mut self,
        write: impl FnOnce(&mut String),
        kind: Kind,
        cut_before: Cut,
        open: &Open,
    ) {
        if self.states.last() != Some(open) {
            self.states.push(open.clone());
        }
        let start = self.text.len();
        write(&mut self.text);
        let end = self.text.len();
        let chars = self.text[start..].chars().count();
        let state = self.states.len() - 1;
        self.units.push(Unit {
            start,
            end,
            chars,
            kind,
            cut_before,
            state,
        });
    }
}
