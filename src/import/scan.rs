//! Finding where questions may start: one pulldown-cmark pass with offsets
//! gives the top-level headings, bold question lines, list items that are
//! headings, question tables and code blocks (whose contents are only
//! text); a search outside code finds `<details>` blocks. Everything else
//! (which marks are questions, where each ends) is `sections`' job.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::Note;
use super::details;
use super::labels::{self, Label};

/// The document as read, with the places a question may start.
pub struct Scanned {
    pub text: String,
    line_starts: Vec<usize>,
    /// In document order.
    pub marks: Vec<Mark>,
    /// Code blocks, in order: their lines are text, never structure.
    pub code: Vec<Range<usize>>,
    pub warnings: Vec<Note>,
    pub shapes: Shapes,
}

/// A place where a question (or a group of them) may start.
#[derive(Debug, Clone)]
pub struct Mark {
    pub head: Head,
    /// Where the mark starts in `Scanned::text`.
    pub start: usize,
    /// Where the text after its head line starts.
    pub body_start: usize,
}

#[derive(Debug, Clone)]
pub enum Head {
    /// A top-level heading (`level` 1–6) with its text as written.
    Heading { level: usize, text: String },
    /// A top-level paragraph whose first line is a bold question;
    /// `labelled` when it is a question label (`**题目：** …`) rather than a
    /// question line bold as a whole (`**Q: …**`).
    Bold { question: String, labelled: bool },
    /// A list item whose first block is a heading.
    ListHeading { text: String },
    /// A `<details>` block: its summary, and its answer's text range.
    Details {
        question: String,
        body: Range<usize>,
    },
    /// One row of a table with question and answer columns.
    Row {
        question: String,
        answer: String,
        analysis: Option<String>,
    },
}

/// How many of each shape the document has, for the message when no
/// question was found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shapes {
    pub headings: usize,
    pub question_headings: usize,
    pub bold_questions: usize,
    pub list_headings: usize,
    pub details: usize,
    pub tables: usize,
    pub question_tables: usize,
}

impl fmt::Display for Shapes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        match (self.headings, self.question_headings) {
            (0, _) => parts.push("no headings".to_owned()),
            (n, 0) => parts.push(format!(
                "{n} heading{} (none numbered or ending in ?)",
                plural(n)
            )),
            (n, q) => parts.push(format!("{n} headings ({q} numbered or ending in ?)")),
        }
        let counts = [
            (self.bold_questions, "bold question line"),
            (self.list_headings, "list item heading"),
            (self.details, "<details> block"),
        ];
        for (n, what) in counts {
            if n > 0 {
                parts.push(format!("{n} {what}{}", plural(n)));
            }
        }
        if self.tables > 0 {
            parts.push(format!(
                "{} table{} ({} with question and answer columns)",
                self.tables,
                plural(self.tables),
                self.question_tables
            ));
        }
        f.write_str(&parts.join(", "))
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

impl Scanned {
    /// The 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= offset)
    }
}

/// Scans a document (`text` as decoded, line ends `\n`).
pub fn scan(text: &str) -> Scanned {
    let (text, warnings) = add_missing_heading_spaces(text);
    let text = text.into_owned();
    let line_starts = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let mut walk = Walk::new(&text);
    for (event, range) in Parser::new_ext(&text, Options::ENABLE_TABLES).into_offset_iter() {
        walk.event(event, range);
    }
    let Walk {
        mut marks,
        code,
        mut shapes,
        ..
    } = walk;
    let details = details::find(&text, &code);
    shapes.details = details.len();
    let blocks: Vec<Range<usize>> = details.iter().map(|d| d.start + 1..d.end).collect();
    marks.retain(|m| !in_ranges(&blocks, m.start));
    marks.extend(details.into_iter().map(|d| d.mark));
    marks.sort_by_key(|m| m.start);
    Scanned {
        text,
        line_starts,
        marks,
        code,
        warnings,
        shapes,
    }
}

/// State of the pulldown-cmark walk.
struct Walk<'t> {
    text: &'t str,
    marks: Vec<Mark>,
    code: Vec<Range<usize>>,
    shapes: Shapes,
    /// Open container blocks (lists, items, quotes, tables…).
    depth: usize,
    lists: usize,
    /// The start of a top-level list item whose first block is not seen yet.
    item_start: Option<usize>,
    table: Option<TableRows>,
}

#[derive(Default)]
struct TableRows {
    rows: Vec<(usize, Vec<String>)>,
}

impl<'t> Walk<'t> {
    fn new(text: &'t str) -> Self {
        Walk {
            text,
            marks: Vec::new(),
            code: Vec::new(),
            shapes: Shapes::default(),
            depth: 0,
            lists: 0,
            item_start: None,
            table: None,
        }
    }

    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        let item_start = self.item_start.take();
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                self.heading(level as usize, range, item_start)
            }
            Event::Start(Tag::Paragraph) if self.depth == 0 => self.paragraph(range),
            Event::Start(Tag::CodeBlock(_)) => self.code.push(range),
            Event::Start(Tag::List(_)) => {
                self.depth += 1;
                self.lists += 1;
            }
            Event::Start(Tag::Item) => {
                self.depth += 1;
                if self.lists == 1 {
                    self.item_start = Some(range.start);
                }
            }
            Event::Start(Tag::Table(_)) => {
                self.depth += 1;
                self.shapes.tables += 1;
                self.table = Some(TableRows::default());
            }
            Event::Start(Tag::TableHead | Tag::TableRow) => {
                if let Some(table) = &mut self.table {
                    table.rows.push((range.start, Vec::new()));
                }
            }
            Event::Start(Tag::TableCell) => {
                let cell = self.text[range].trim().trim_matches('|').trim().to_owned();
                if let Some((_, cells)) = self.table.as_mut().and_then(|t| t.rows.last_mut()) {
                    cells.push(cell);
                }
            }
            Event::Start(Tag::BlockQuote(_) | Tag::FootnoteDefinition(_) | Tag::DefinitionList) => {
                self.depth += 1
            }
            Event::End(TagEnd::List(_)) => {
                self.depth -= 1;
                self.lists -= 1;
            }
            Event::End(
                TagEnd::Item
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition
                | TagEnd::DefinitionList,
            ) => self.depth -= 1,
            Event::End(TagEnd::Table) => {
                self.depth -= 1;
                if let Some(table) = self.table.take() {
                    self.table_rows(table);
                }
            }
            _ => {}
        }
    }

    fn heading(&mut self, level: usize, range: Range<usize>, item_start: Option<usize>) {
        let text = heading_text(&self.text[range.clone()]).to_owned();
        let counts = labels::strip_number(&text).is_some() || labels::ends_in_question_mark(&text);
        let head = match item_start {
            Some(_) => {
                self.shapes.list_headings += 1;
                Head::ListHeading { text }
            }
            None if self.depth == 0 => {
                self.shapes.headings += 1;
                self.shapes.question_headings += usize::from(counts && level > 1);
                Head::Heading { level, text }
            }
            None => return,
        };
        self.marks.push(Mark {
            head,
            start: item_start.unwrap_or(range.start),
            body_start: range.end,
        });
    }

    fn paragraph(&mut self, range: Range<usize>) {
        let paragraph = &self.text[range.clone()];
        let first_line = paragraph.lines().next().unwrap_or_default();
        // `**题目1：**` alone on its line: the question follows it.
        let label_alone = matches!(labels::parse_label(first_line), Some((Label::Question, "")));
        let question = labels::bold_question(first_line).or(label_alone.then_some(""));
        if let Some(question) = question {
            self.shapes.bold_questions += 1;
            // A label (`**题目：** text`, `**题目1：**`), not a question line
            // that is bold as a whole (`**Q: text**`).
            let whole_line_bold =
                !question.is_empty() && first_line.trim_end().ends_with(['*', '_']);
            let labelled = labels::parse_label(first_line).is_some() && !whole_line_bold;
            self.marks.push(Mark {
                head: Head::Bold {
                    question: question.to_owned(),
                    labelled,
                },
                start: range.start,
                body_start: (range.start + first_line.len() + 1).min(range.end),
            });
        }
    }

    fn table_rows(&mut self, table: TableRows) {
        let mut rows = table.rows.into_iter();
        let Some((_, header)) = rows.next() else {
            return;
        };
        let column = |label| {
            header
                .iter()
                .position(|c| labels::column_label(c) == Some(label))
        };
        let (Some(q), Some(a)) = (column(Label::Question), column(Label::Answer)) else {
            return;
        };
        let analysis = column(Label::Analysis);
        self.shapes.question_tables += 1;
        for (start, cells) in rows {
            let cell = |i: usize| cells.get(i).cloned().unwrap_or_default();
            self.marks.push(Mark {
                head: Head::Row {
                    question: cell(q),
                    answer: cell(a),
                    analysis: analysis.map(cell).filter(|t| !t.is_empty()),
                },
                start,
                body_start: start,
            });
        }
    }
}

/// The text of a heading block: `### Title ##` → `Title`; a setext
/// heading's first line.
fn heading_text(block: &str) -> &str {
    let line = block.lines().next().unwrap_or_default().trim();
    let Some(rest) = line.strip_prefix('#') else {
        return line;
    };
    let rest = rest.trim_start_matches('#').trim();
    let without_closing = rest.trim_end_matches('#');
    if without_closing.len() < rest.len()
        && (without_closing.is_empty() || without_closing.ends_with(' '))
    {
        without_closing.trim_end()
    } else {
        rest
    }
}

/// `####3. Title` is read as `#### 3. Title` (outside code blocks), with a
/// warning: a numbered question written without the space Markdown needs.
fn add_missing_heading_spaces(text: &str) -> (Cow<'_, str>, Vec<Note>) {
    let candidate = |line: &str| -> Option<usize> {
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        let hashes = trimmed.bytes().take_while(|&b| b == b'#').count();
        let rest = &trimmed[hashes..];
        let numbered = rest.starts_with(|c: char| c.is_ascii_digit() || c == '第')
            || (rest.starts_with(['Q', 'q'])
                && rest[1..].starts_with(|c: char| c.is_ascii_digit()));
        (indent <= 3 && (2..=6).contains(&hashes) && numbered).then_some(indent + hashes)
    };
    if !text.lines().any(|line| candidate(line).is_some()) {
        return (Cow::Borrowed(text), Vec::new());
    }
    let code: Vec<Range<usize>> = Parser::new(text)
        .into_offset_iter()
        .filter_map(|(event, range)| {
            matches!(event, Event::Start(Tag::CodeBlock(_))).then_some(range)
        })
        .collect();
    let mut fixed = String::with_capacity(text.len() + 16);
    let mut warnings = Vec::new();
    let mut offset = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        match candidate(line) {
            Some(at) if !in_ranges(&code, offset) => {
                fixed.push_str(&line[..at]);
                fixed.push(' ');
                fixed.push_str(&line[at..]);
                warnings.push(Note {
                    line: index + 1,
                    why: format!(
                        "read `{}` as a heading: Markdown needs a space after the #",
                        line.trim_end()
                    ),
                });
            }
            _ => fixed.push_str(line),
        }
        offset += line.len();
    }
    (Cow::Owned(fixed), warnings)
}

/// Whether `at` falls in one of `ranges` (sorted by start, not overlapping).
pub fn in_ranges(ranges: &[Range<usize>], at: usize) -> bool {
    let after = ranges.partition_point(|r| r.start <= at);
    after > 0 && ranges[after - 1].contains(&at)
}
