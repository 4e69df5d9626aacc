//! Splitting Telegram HTML into messages Telegram accepts.
//!
//! A message may hold 4096 characters of text (tags do not count, `&lt;`
//! counts as one), and each message is parsed on its own, so a cut must never
//! fall inside a tag or an entity, and a tag open at the cut is closed at the
//! end of one chunk and opened again, with the same attributes, at the start
//! of the next. Cuts go at a paragraph break if one is near the limit, else a
//! line break, else a space, else between two characters.

/// How far a hard cut moves back to keep a combined character whole.
const MAX_CLUSTER: usize = 8;

/// One piece of the HTML: a tag or one character of text.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Open,
    Close,
    Char(char),
}

#[derive(Debug, Clone)]
struct Token {
    kind: Kind,
    /// Byte range in the HTML.
    start: usize,
    end: usize,
    /// The tag name's byte range (tags only).
    name: (usize, usize),
}

impl Token {
    fn is_space(&self) -> bool {
        matches!(self.kind, Kind::Char(c) if c.is_whitespace())
    }
}

/// Splits HTML into chunks of at most `limit` characters of text each (a
/// `limit` of 0 counts as 1), every chunk balanced on its own, in order.
/// Whitespace at the cuts is dropped, and so are whitespace-only chunks: HTML
/// with no visible text gives no chunks.
pub fn split_html(html: &str, limit: usize) -> Vec<String> {
    split_html_after_first(html, limit, limit)
}

/// As [`split_html`], with the first chunk held to `first_limit` characters
/// instead (a photo's caption before the messages that carry the rest).
pub fn split_html_after_first(html: &str, first_limit: usize, limit: usize) -> Vec<String> {
    let tokens = tokenize(html);
    let splitter = |limit: usize| Splitter {
        html,
        tokens: &tokens,
        limit: limit.max(1),
    };
    chunks(&splitter(first_limit), &splitter(limit))
}

struct Splitter<'a> {
    html: &'a str,
    tokens: &'a [Token],
    limit: usize,
}

/// A run of whitespace inside a chunk: a place to cut.
struct Run {
    /// Token index of its first whitespace character.
    at: usize,
    /// Characters before it in the chunk.
    chars_before: usize,
    /// Non-whitespace characters before it in the chunk.
    visible_before: usize,
    newlines: usize,
}

/// The chunks in order: the first cut by `first`, every later one by `rest`
/// (two splitters over the same tokens, differing only in their limit).
fn chunks(first: &Splitter, rest: &Splitter) -> Vec<String> {
    let mut chunks = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut position = 0;
    loop {
        let splitter = if chunks.is_empty() { first } else { rest };
        let Some(start) = splitter.skip_space(position, &mut open) else {
            return chunks;
        };
        let end = splitter.chunk_end(start);
        let opened_before = open.clone();
        for index in start..end {
            apply(splitter.html, splitter.tokens, index, &mut open);
        }
        chunks.push(splitter.chunk_text(&opened_before, start, end, &open));
        position = end;
    }
}

impl Splitter<'_> {
    /// The HTML of tokens `start..end`, with the tags open before it reopened
    /// and those open after it closed.
    fn chunk_text(
        &self,
        opened_before: &[usize],
        start: usize,
        end: usize,
        open: &[usize],
    ) -> String {
        let mut chunk: String = opened_before.iter().map(|&tag| self.raw(tag)).collect();
        let body_end = self
            .tokens
            .get(end)
            .map_or(self.html.len(), |token| token.start);
        chunk.push_str(&self.html[self.tokens[start].start..body_end]);
        for &tag in open.iter().rev() {
            chunk.push_str("</");
            chunk.push_str(self.name(tag));
            chunk.push('>');
        }
        chunk
    }

    fn raw(&self, index: usize) -> &str {
        let token = &self.tokens[index];
        &self.html[token.start..token.end]
    }

    fn name(&self, index: usize) -> &str {
        let (start, end) = self.tokens[index].name;
        &self.html[start..end]
    }

    /// Skips the whitespace (and tags among it) at `position`, updating
    /// `open`; `None` when nothing visible is left. Indentation at the start
    /// of a line inside `pre`/`code` is kept when it is short.
    fn skip_space(&self, position: usize, open: &mut Vec<usize>) -> Option<usize> {
        let (everything, all_open) = self.skip_space_keeping(position, open, false)?;
        let (kept, kept_open) = self.skip_space_keeping(position, open, true)?;
        let indentation = everything - kept;
        let in_code = kept_open
            .iter()
            .any(|&tag| matches!(self.name(tag), "pre" | "code"));
        if in_code && indentation < self.limit / 2 {
            *open = kept_open;
            Some(kept)
        } else {
            *open = all_open;
            Some(everything)
        }
    }

    fn skip_space_keeping(
        &self,
        position: usize,
        open: &[usize],
        keep_indentation: bool,
    ) -> Option<(usize, Vec<usize>)> {
        let mut scanning = open.to_vec();
        let mut skipped = (position, open.to_vec());
        for (index, token) in self.tokens.iter().enumerate().skip(position) {
            match token.kind {
                Kind::Char(c) if !c.is_whitespace() => return Some(skipped),
                Kind::Char(c) => {
                    if !keep_indentation || c == '\n' {
                        skipped = (index + 1, scanning.clone());
                    }
                }
                Kind::Open | Kind::Close => apply(self.html, self.tokens, index, &mut scanning),
            }
        }
        None
    }

    /// Where the chunk starting at `start` (a visible character or a tag)
    /// ends: a token index, exclusive.
    fn chunk_end(&self, start: usize) -> usize {
        let mut runs: Vec<Run> = Vec::new();
        let mut in_run = false;
        let (mut chars, mut visible) = (0, 0);
        for (index, token) in self.tokens.iter().enumerate().skip(start) {
            let Kind::Char(c) = token.kind else {
                continue;
            };
            if c.is_whitespace() {
                if !in_run {
                    runs.push(Run {
                        at: index,
                        chars_before: chars,
                        visible_before: visible,
                        newlines: 0,
                    });
                    in_run = true;
                }
                if let Some(run) = runs.last_mut() {
                    run.newlines += usize::from(c == '\n');
                }
            } else if chars >= self.limit {
                return self
                    .best_cut(&runs)
                    .unwrap_or_else(|| self.hard_cut(start, index));
            } else {
                in_run = false;
                visible += 1;
            }
            chars += 1;
        }
        match runs.last() {
            Some(run) if in_run => run.at,
            _ => self.tokens.len(),
        }
    }

    /// The cut nearest the limit of the best kind found in the chunk's second
    /// half: paragraph break, line break, space; failing those, the last
    /// whitespace anywhere.
    fn best_cut(&self, runs: &[Run]) -> Option<usize> {
        let usable = |run: &&Run| run.visible_before > 0 && run.chars_before <= self.limit;
        let late = |run: &&Run| run.chars_before >= self.limit / 2;
        [2, 1, 0]
            .iter()
            .find_map(|&newlines| {
                runs.iter()
                    .filter(usable)
                    .filter(late)
                    .rfind(|run| run.newlines >= newlines)
            })
            .or_else(|| runs.iter().rfind(usable))
            .map(|run| run.at)
    }

    /// A cut between two characters, the last `limit` of them fitting, before
    /// `overflow` (the first that does not fit). Tags closing right after the
    /// last character stay in this chunk; a character that joins the one
    /// before it (a combining mark, a zero-width joiner) is not cut from it.
    fn hard_cut(&self, start: usize, overflow: usize) -> usize {
        let chars: Vec<usize> = (start..overflow)
            .filter(|&index| matches!(self.tokens[index].kind, Kind::Char(_)))
            .take(self.limit)
            .collect();
        let first_visible = chars
            .iter()
            .position(|&index| !self.tokens[index].is_space())
            .unwrap_or(0);
        let mut keep = chars.len();
        let next_char = |keep: usize| chars.get(keep).copied().unwrap_or(overflow);
        while keep > first_visible + 1
            && chars.len() - keep < MAX_CLUSTER
            && self.joins(chars[keep - 1], next_char(keep))
        {
            keep -= 1;
        }
        let mut end = chars[keep - 1] + 1;
        while end < overflow && matches!(self.tokens[end].kind, Kind::Close) {
            end += 1;
        }
        end
    }

    /// Whether the characters at token indexes `before` and `after` belong to
    /// one visible character.
    fn joins(&self, before: usize, after: usize) -> bool {
        let char_at = |index: usize| match self.tokens.get(index).map(|token| token.kind) {
            Some(Kind::Char(c)) => Some(c),
            _ => None,
        };
        char_at(before) == Some('\u{200D}') || char_at(after).is_some_and(is_joining)
    }
}

/// Characters drawn as part of the character before them.
fn is_joining(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{FE20}'..='\u{FE2F}'
        | '\u{200D}'
        | '\u{1F3FB}'..='\u{1F3FF}'
        | '\u{E0020}'..='\u{E007F}')
}

/// Tracks which tags are open after the token at `index`. A stray end tag
/// closes nothing.
fn apply(html: &str, tokens: &[Token], index: usize, open: &mut Vec<usize>) {
    let token = &tokens[index];
    match token.kind {
        Kind::Open => open.push(index),
        Kind::Close => {
            let name = |token: &Token| &html[token.name.0..token.name.1];
            let closing = name(token);
            if let Some(position) = open
                .iter()
                .rposition(|&tag| name(&tokens[tag]).eq_ignore_ascii_case(closing))
            {
                open.truncate(position);
            }
        }
        Kind::Char(_) => {}
    }
}

/// The HTML as tags and characters; an entity is one character. Anything
/// that is not a well-formed tag or entity (a bare `<` or `&`) is text.
fn tokenize(html: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut position = 0;
    while let Some(c) = html[position..].chars().next() {
        let token = match c {
            '<' => tag_at(html, position),
            '&' => entity_at(html, position),
            _ => None,
        }
        .unwrap_or(Token {
            kind: Kind::Char(c),
            start: position,
            end: position + c.len_utf8(),
            name: (position, position),
        });
        position = token.end;
        tokens.push(token);
    }
    tokens
}

fn tag_at(html: &str, start: usize) -> Option<Token> {
    let bytes = html.as_bytes();
    let closing = bytes.get(start + 1) == Some(&b'/');
    let name_start = start + 1 + usize::from(closing);
    let mut name_end = name_start;
    while name_end < bytes.len()
        && (bytes[name_end].is_ascii_alphanumeric() || bytes[name_end] == b'-')
    {
        name_end += 1;
    }
    if name_end == name_start || !bytes[name_start].is_ascii_alphabetic() {
        return None;
    }
    let end = tag_end(bytes, name_end)?;
    Some(Token {
        kind: if closing { Kind::Close } else { Kind::Open },
        start,
        end,
        name: (name_start, name_end),
    })
}

/// The byte after the `>` closing a tag, skipping quoted attribute values.
fn tag_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut quote = None;
    for (index, &byte) in bytes.iter().enumerate().skip(from) {
        match (quote, byte) {
            (None, b'>') => return Some(index + 1),
            (None, b'"' | b'\'') => quote = Some(byte),
            (Some(open), _) if open == byte => quote = None,
            (None, b'<') => return None,
            _ => {}
        }
    }
    None
}

fn entity_at(html: &str, start: usize) -> Option<Token> {
    let rest = &html[start..];
    let semicolon = rest.bytes().take(12).position(|b| b == b';')?;
    let body = &rest[1..semicolon];
    let c = match body {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        _ => {
            let number = body.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some(Token {
        kind: Kind::Char(c),
        start,
        end: start + semicolon + 1,
        name: (start, start),
    })
}

#[cfg(test)]
mod tests;
