//! Where things are in a deck's YAML text.
//!
//! serde_yaml 0.9 reports positions only for syntax errors, so validation
//! finds the line and column of a key or a value here, by scanning the
//! text's block structure (indentation, `- ` items, `key:` lines, block
//! scalars). Paths look like `questions/3/id`. Anything the scanner does not
//! follow (flow collections, exotic keys) simply has no recorded position,
//! and callers fall back to the nearest enclosing node that has one.

use std::collections::HashMap;

/// A 1-based line and column (counted in characters, like serde_yaml's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Pos {
    pub line: usize,
    pub column: usize,
}

/// Where a key (or a `- ` item marker) and its value start.
#[derive(Debug, Clone, Copy)]
struct Spot {
    key: Pos,
    value: Pos,
}

/// Positions of every key and sequence item the scanner recognised.
#[derive(Debug, Default)]
pub(crate) struct Positions {
    spots: HashMap<String, Spot>,
}

impl Positions {
    pub fn scan(text: &str) -> Positions {
        let mut scanner = Scanner::default();
        for (index, line) in text.lines().enumerate() {
            scanner.line(index + 1, line.strip_suffix('\r').unwrap_or(line));
        }
        Positions {
            spots: scanner.spots,
        }
    }

    /// The key of `path`, or of its nearest located ancestor.
    pub fn key(&self, path: &str) -> Option<Pos> {
        self.nearest(path).map(|spot| spot.key)
    }

    /// The value of `path`, or of its nearest located ancestor.
    pub fn value(&self, path: &str) -> Option<Pos> {
        self.nearest(path).map(|spot| spot.value)
    }

    /// The value of exactly `path`, if the scanner saw it.
    pub fn exact_value(&self, path: &str) -> Option<Pos> {
        self.spots.get(path).map(|spot| spot.value)
    }

    fn nearest(&self, mut path: &str) -> Option<&Spot> {
        loop {
            if let Some(spot) = self.spots.get(path) {
                return Some(spot);
            }
            path = &path[..path.rfind('/')?];
        }
    }
}

/// Joins a path and one more segment.
pub(crate) fn child(path: &str, segment: impl std::fmt::Display) -> String {
    if path.is_empty() {
        segment.to_string()
    } else {
        format!("{path}/{segment}")
    }
}

#[derive(Debug)]
enum Kind {
    Map,
    Seq { next: usize },
}

#[derive(Debug)]
struct Frame {
    indent: usize,
    kind: Kind,
    path: String,
}

#[derive(Default)]
struct Scanner {
    spots: HashMap<String, Spot>,
    frames: Vec<Frame>,
    /// The path of the node a key with no inline value opened.
    pending: Option<String>,
    /// Skip blank lines and lines indented deeper than this (the body of a
    /// block scalar, or the continuation of a multi-line inline value).
    skip_deeper_than: Option<usize>,
}

impl Scanner {
    fn line(&mut self, number: usize, line: &str) {
        let indent = line.chars().take_while(|&c| c == ' ').count();
        let rest = &line[indent..];
        let blank = rest.trim().is_empty();
        if let Some(limit) = self.skip_deeper_than {
            if blank || indent > limit {
                return;
            }
            self.skip_deeper_than = None;
        }
        if blank || rest.starts_with('#') || is_document_marker(line) {
            return;
        }
        self.content(number, indent, rest);
    }

    /// Reads the nodes that start on one line: any `- ` markers, then a key
    /// or a scalar.
    fn content(&mut self, number: usize, mut column: usize, mut rest: &str) {
        loop {
            if let Some(after) = strip_item_marker(rest) {
                self.item(number, column);
                let spaces = after.chars().take_while(|&c| c == ' ').count();
                column += 1 + spaces;
                rest = &after[spaces..];
                if rest.is_empty() || rest.starts_with('#') {
                    return;
                }
                continue;
            }
            match split_key(rest) {
                Some((key, value_offset)) => self.key(number, column, rest, key, value_offset),
                None => {
                    let limit = self.frames.last().map_or(0, |frame| frame.indent);
                    self.skip_deeper_than = Some(limit);
                }
            }
            return;
        }
    }

    fn item(&mut self, number: usize, column: usize) {
        self.pop_deeper_than(column);
        let continues = matches!(self.frames.last(),
            Some(Frame { indent, kind: Kind::Seq { .. }, .. }) if *indent == column);
        if !continues {
            let path = self.take_pending();
            self.frames.push(Frame {
                indent: column,
                kind: Kind::Seq { next: 0 },
                path,
            });
        }
        let Some(frame) = self.frames.last_mut() else {
            return;
        };
        let Kind::Seq { next } = &mut frame.kind else {
            return;
        };
        let path = child(&frame.path, *next);
        *next += 1;
        let pos = Pos {
            line: number,
            column: column + 1,
        };
        let value = Pos {
            column: pos.column + 2,
            ..pos
        };
        self.spots.insert(path.clone(), Spot { key: pos, value });
        self.pending = Some(path);
    }

    fn key(&mut self, number: usize, column: usize, rest: &str, key: &str, value_offset: usize) {
        self.pop_deeper_than(column);
        if matches!(self.frames.last(),
            Some(Frame { indent, kind: Kind::Seq { .. }, .. }) if *indent == column)
        {
            self.frames.pop();
        }
        let in_map = matches!(self.frames.last(),
            Some(Frame { indent, kind: Kind::Map, .. }) if *indent == column);
        if !in_map {
            let path = self.take_pending();
            self.frames.push(Frame {
                indent: column,
                kind: Kind::Map,
                path,
            });
        }
        let parent = self.frames.last().map_or("", |frame| frame.path.as_str());
        let path = child(parent, key);
        let key_pos = Pos {
            line: number,
            column: column + 1,
        };
        let value = skip_properties(rest[value_offset..].trim_start_matches(' '));
        let has_value = !value.is_empty() && !value.starts_with('#');
        let value_pos = if has_value {
            let before_value = &rest[..rest.len() - value.len()];
            Pos {
                line: number,
                column: key_pos.column + before_value.chars().count(),
            }
        } else {
            key_pos
        };
        self.spots.insert(
            path.clone(),
            Spot {
                key: key_pos,
                value: value_pos,
            },
        );
        if has_value {
            self.pending = None;
            self.skip_deeper_than = Some(column);
        } else {
            self.pending = Some(path);
        }
    }

    fn pop_deeper_than(&mut self, column: usize) {
        while self
            .frames
            .last()
            .is_some_and(|frame| frame.indent > column)
        {
            self.frames.pop();
        }
    }

    fn take_pending(&mut self) -> String {
        self.pending
            .take()
            .or_else(|| self.frames.last().map(|frame| frame.path.clone()))
            .unwrap_or_default()
    }
}

/// `---` and `...` lines separate documents; serde_yaml rejects a second
/// document, so the scanner only needs to step over the markers.
fn is_document_marker(line: &str) -> bool {
    ["---", "..."].iter().any(|marker| {
        line.strip_prefix(marker)
            .is_some_and(|after| after.is_empty() || after.starts_with([' ', '\t']))
    })
}

/// The text after a `- ` (or a lone `-`) sequence item marker.
fn strip_item_marker(rest: &str) -> Option<&str> {
    let after = rest.strip_prefix('-')?;
    (after.is_empty() || after.starts_with(' ')).then_some(after)
}

/// A block mapping key at the start of `rest`: the key's text and the byte
/// offset just after its `:`. Plain, 'single' and "double" quoted keys.
fn split_key(rest: &str) -> Option<(&str, usize)> {
    let (key, after_key) = match rest.chars().next()? {
        quote @ ('"' | '\'') => {
            let close = closing_quote(&rest[1..], quote)? + 1;
            (&rest[1..close], close + 1)
        }
        '[' | '{' | '#' | '&' | '*' | '!' | '|' | '>' | '%' | '@' | '`' | '?' => return None,
        _ => {
            let colon = find_mapping_colon(rest)?;
            (rest[..colon].trim_end(), colon)
        }
    };
    let gap = rest[after_key..].len() - rest[after_key..].trim_start_matches(' ').len();
    let colon = after_key + gap;
    let after_colon = rest.get(colon..)?.strip_prefix(':')?;
    let ends_key = after_colon.is_empty() || after_colon.starts_with([' ', '\t']);
    ends_key.then_some((key, colon + 1))
}

/// The byte index of the first `:` followed by a space or the line's end,
/// unless a ` #` comment starts before it.
fn find_mapping_colon(rest: &str) -> Option<usize> {
    let bytes = rest.as_bytes();
    for (i, &byte) in bytes.iter().enumerate() {
        let next = bytes.get(i + 1).copied();
        if byte == b'#' && i > 0 && bytes[i - 1] == b' ' {
            return None;
        }
        if byte == b':' && matches!(next, None | Some(b' ') | Some(b'\t')) {
            return Some(i);
        }
    }
    None
}

/// The byte index (in `text`, after the opening quote) of the closing quote.
fn closing_quote(text: &str, quote: char) -> Option<usize> {
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if quote == '"' && c == '\\' {
            chars.next();
        } else if c == quote {
            if quote == '\'' && chars.peek().is_some_and(|&(_, next)| next == '\'') {
                chars.next();
            } else {
                return Some(i);
            }
        }
    }
    None
}

/// Skips a value's `&anchor` and `!tag` properties, if any.
fn skip_properties(mut value: &str) -> &str {
    while value.starts_with(['&', '!']) {
        let end = value.find(' ').unwrap_or(value.len());
        value = value[end..].trim_start_matches(' ');
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    type LineColumn = Option<(usize, usize)>;

    fn at(positions: &Positions, path: &str) -> (LineColumn, LineColumn) {
        let pair = |pos: Option<Pos>| pos.map(|p| (p.line, p.column));
        (pair(positions.key(path)), pair(positions.value(path)))
    }

    #[test]
    fn finds_keys_items_and_values() {
        let text = "deck: d\ntitle: T\nquestions:\n  - id: a\n    answer: |\n      x: y\n      - z\n    tags: [p]\n  -   id: b\n";
        let positions = Positions::scan(text);
        assert_eq!(at(&positions, "deck"), (Some((1, 1)), Some((1, 7))));
        assert_eq!(at(&positions, "questions/0"), (Some((4, 3)), Some((4, 5))));
        assert_eq!(
            at(&positions, "questions/0/id"),
            (Some((4, 5)), Some((4, 9)))
        );
        assert_eq!(
            at(&positions, "questions/0/answer"),
            (Some((5, 5)), Some((5, 13)))
        );
        assert_eq!(
            at(&positions, "questions/0/tags"),
            (Some((8, 5)), Some((8, 11)))
        );
        assert_eq!(at(&positions, "questions/1/id").1, Some((9, 11)));
        // Lines inside the block scalar are not keys or items.
        assert!(!positions.spots.contains_key("questions/0/x"));
        assert_eq!(positions.spots.len(), 9);
    }

    #[test]
    fn sequences_may_sit_at_their_key_indent() {
        let text = "questions:\n- id: a\n- id: b\n  title: t\nlanguage: zh\n";
        let positions = Positions::scan(text);
        assert_eq!(at(&positions, "questions/1/title").0, Some((4, 3)));
        assert_eq!(at(&positions, "language").0, Some((5, 1)));
    }

    #[test]
    fn columns_count_characters_and_fall_back_to_ancestors() {
        let text = "title: \"题目\"\nquestions:\n  - {id: a}\n  - \"k\": 大\n    id: x\n";
        let positions = Positions::scan(text);
        assert_eq!(at(&positions, "questions/0/id").0, Some((3, 3)));
        assert_eq!(at(&positions, "questions/1/k").1, Some((4, 10)));
        assert_eq!(at(&positions, "questions/1/id").1, Some((5, 9)));
        assert_eq!(at(&positions, "missing/0"), (None, None));
    }
}
