//! Spreadsheets and flashcard exports as decks: CSV or TSV (Anki's and
//! Quizlet's text exports among them), one question per row. Columns come
//! from a header row (question/front/题目, answer/back/答案, analysis/解析,
//! tags/标签, title, choices or A–J, correct), from `--columns`, or are
//! question then answer; Anki's `#separator:`, `#html:`, `#tags column:`
//! and `#columns:` lines are obeyed; the separator is otherwise guessed
//! (tab, comma or semicolon); HTML in fields becomes Markdown.

use super::choices::{self, Options, Resolved};
use super::columns::{AnkiHeader, Column, anki_header, column_named, guess_separator};
use super::deck::tag_of;
use super::{Import, ImportOptions, ImportedQuestion, Note, Shapes, finish_deck, html};
use crate::bank::Quiz;

/// Whether a file is a table: `.csv`/`.tsv`, or a `.txt` (or extensionless)
/// file with Anki's header lines or tab-separated lines only.
pub fn is_table(text: &str, extension: &str) -> bool {
    if ["csv", "tsv"]
        .iter()
        .any(|e| extension.eq_ignore_ascii_case(e))
    {
        return true;
    }
    if !["txt", ""]
        .iter()
        .any(|e| extension.eq_ignore_ascii_case(e))
    {
        return false;
    }
    // Anki's header lines, or (Quizlet) every line a tab-separated pair.
    let mut lines = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(20)
        .peekable();
    anki_header(text).lines > 0
        || (lines.peek().is_some() && lines.all(|l| l.contains('\t') && !l.starts_with('#')))
}

/// A table's questions; `Err` with the line when the file cannot be read
/// as a table at all.
pub fn import_table(
    text: &str,
    extension: &str,
    columns: Option<&[Column]>,
    opts: &ImportOptions,
) -> Result<Import, Note> {
    let header = anki_header(text);
    let rows_text: String = text.split_inclusive('\n').skip(header.lines).collect();
    let separator = header
        .separator
        .unwrap_or_else(|| guess_separator(&rows_text, extension));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(true)
        .from_reader(rows_text.as_bytes());
    let mut records = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_note(&e, header.lines))?;
        let line = record.position().map_or(0, |p| p.line() as usize) + header.lines;
        records.push((line, record));
    }
    let (layout, skip_first) = layout(&header, columns, records.first().map(|(_, r)| r));
    let mut rows = Rows::default();
    for (line, record) in records.iter().skip(usize::from(skip_first)) {
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let cell = |i: usize| field(record.get(i).unwrap_or_default(), header.html);
        rows.add(*line, &layout, cell);
    }
    let title = opts
        .title
        .clone()
        .unwrap_or_else(|| opts.fallback_title.clone());
    let read = format!(
        "a {} table of {} ({})",
        separator_name(separator),
        plural(records.len() - usize::from(skip_first), "row"),
        if skip_first {
            "columns from its header row"
        } else {
            "columns by position"
        },
    );
    let imported = finish_deck(
        rows.questions,
        &rows.lines,
        opts,
        Some(title),
        rows.skipped,
        rows.warnings,
        Shapes::default(),
    );
    Ok(Import {
        read: Some(read),
        ..imported
    })
}

fn separator_name(separator: u8) -> String {
    match separator {
        b'\t' => "tab-separated".into(),
        b',' => "comma-separated".into(),
        b';' => "semicolon-separated".into(),
        other => format!("`{}`-separated", char::from(other)),
    }
}

fn plural(n: usize, one: &str) -> String {
    format!("{n} {one}{}", if n == 1 { "" } else { "s" })
}

fn csv_note(error: &csv::Error, offset: usize) -> Note {
    let line = error.position().map_or(0, |p| p.line() as usize) + offset;
    Note {
        line: line.max(1),
        why: format!("cannot read it as a table: {error}"),
    }
}

/// The columns, and whether the first row is a header to skip.
fn layout(
    header: &AnkiHeader,
    given: Option<&[Column]>,
    first: Option<&csv::StringRecord>,
) -> (Vec<Column>, bool) {
    let named: Option<Vec<Column>> = first.map(|r| {
        r.iter()
            .map(|c| column_named(c).unwrap_or(Column::Skip))
            .collect()
    });
    let is_header = named.as_ref().is_some_and(|cols| {
        cols.contains(&Column::Question)
            && (cols.contains(&Column::Answer) || cols.contains(&Column::Correct))
    });
    let mut columns = match (given, &header.columns) {
        (Some(given), _) => given.to_vec(),
        (None, Some(names)) => names
            .split(['\t', ',', ';', '|'])
            .map(|n| column_named(n).unwrap_or(Column::Skip))
            .collect(),
        (None, None) if is_header => named.clone().unwrap_or_default(),
        (None, None) => vec![Column::Question, Column::Answer],
    };
    if let Some(n) = header.tags_column.filter(|&n| n >= 1) {
        if columns.len() < n {
            columns.resize(n, Column::Skip);
        }
        columns[n - 1] = Column::Tags;
    }
    (columns, is_header)
}

/// A cell as Markdown: HTML converted when the file says its fields are
/// HTML, or (when it says nothing) when the cell has tags or entities.
fn field(cell: &str, html_flag: Option<bool>) -> String {
    let convert = html_flag.unwrap_or_else(|| html::has_html(cell));
    let text = if convert {
        html::to_markdown(cell)
    } else {
        cell.to_owned()
    };
    text.replace("\r\n", "\n").trim().to_owned()
}

#[derive(Default)]
struct Rows {
    questions: Vec<ImportedQuestion>,
    lines: Vec<usize>,
    skipped: Vec<Note>,
    warnings: Vec<Note>,
}

impl Rows {
    fn add(&mut self, line: usize, layout: &[Column], cell: impl Fn(usize) -> String) {
        let get = |kind: Column| -> String {
            let found: Vec<String> = (0..layout.len())
                .filter(|&i| layout[i] == kind)
                .map(&cell)
                .filter(|t| !t.is_empty())
                .collect();
            found.join("\n\n")
        };
        let question = get(Column::Question);
        let mut answer = get(Column::Answer);
        let analysis = Some(get(Column::Analysis)).filter(|a| !a.is_empty());
        let correct = get(Column::Correct);
        let title_cell = get(Column::Title);
        let tags = tags_of(&get(Column::Tags));
        let options = row_choices(layout, &cell, &get(Column::Choices));
        let skip = |why: &str| Note {
            line,
            why: why.to_owned(),
        };
        if question.is_empty() {
            self.skipped.push(skip("the row has no question"));
            return;
        }
        let mut question = question;
        let mut quiz = None;
        if !options.is_empty() {
            match quiz_of(&options, &correct, analysis.as_deref()) {
                Ok((text, q)) => {
                    quiz = Some(q);
                    if answer.is_empty() {
                        answer = text;
                    }
                }
                Err(why) => {
                    self.warnings.push(Note { line, why });
                    question = with_options(&question, &options);
                    if answer.is_empty() {
                        answer = correct.clone();
                    }
                }
            }
        } else if answer.is_empty() {
            answer = correct;
        }
        if answer.is_empty() {
            self.skipped.push(skip("the row has no answer"));
            return;
        }
        let title = if title_cell.is_empty() {
            title_from(&question, self.questions.len() + 1)
        } else {
            title_cell.lines().next().unwrap_or_default().to_owned()
        };
        self.lines.push(line);
        self.questions.push(ImportedQuestion {
            id: String::new(),
            title,
            tags,
            question,
            answer,
            analysis,
            quiz,
            image: None,
        });
    }
}

fn row_choices(layout: &[Column], cell: &impl Fn(usize) -> String, joined: &str) -> Vec<String> {
    let mut lettered: Vec<(usize, String)> = (0..layout.len())
        .filter_map(|i| match layout[i] {
            Column::Choice(letter) => Some((letter, cell(i))),
            _ => None,
        })
        .filter(|(_, text)| !text.is_empty())
        .collect();
    lettered.sort_by_key(|&(letter, _)| letter);
    let mut choices: Vec<String> = lettered.into_iter().map(|(_, text)| text).collect();
    if !joined.is_empty() {
        let split: Vec<&str> = if joined.contains('\n') {
            joined.lines().collect()
        } else {
            joined.split('|').collect()
        };
        choices.extend(
            split
                .into_iter()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned),
        );
    }
    choices
}

/// The quiz a row's options and `correct` cell make, or why not.
fn quiz_of(
    options: &[String],
    correct: &str,
    analysis: Option<&str>,
) -> Result<(String, Quiz), String> {
    if correct.is_empty() {
        return Err(
            "the row has options but no `correct`, so it is imported as a plain question".into(),
        );
    }
    // `2` is the second option.
    let by_number = correct
        .parse::<usize>()
        .ok()
        .filter(|&n| (1..=options.len().min(10)).contains(&n))
        .map(|n| char::from(b'A' + n as u8 - 1).to_string());
    let named = by_number.as_deref().unwrap_or(correct);
    let options = Options {
        choices: options.to_vec(),
        checked: Vec::new(),
    };
    match choices::resolve(&options, named, analysis) {
        Resolved::Quiz { answer, quiz } => Ok((answer, quiz)),
        Resolved::Plain(Some(why)) => Err(why),
        Resolved::Plain(None) => Err(format!(
            "`correct` is `{correct}`, which names none of the options, so it is imported as a plain question"
        )),
    }
}

fn with_options(question: &str, options: &[String]) -> String {
    let list: Vec<String> = options
        .iter()
        .enumerate()
        .map(|(i, text)| format!("- {}. {text}", char::from(b'A' + (i as u8).min(25))))
        .collect();
    format!("{question}\n\n{}", list.join("\n"))
}

/// Anki's space-separated tags (`Biology::Cells exam`) or a comma list.
fn tags_of(cell: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in cell
        .split([' ', ',', '，', '\n'])
        .map(tag_of)
        .filter(|t| !t.is_empty())
    {
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    tags
}

/// The question's first line without Markdown marks, at most 80
/// characters; `Card N` when that leaves nothing (an image alone).
fn title_from(question: &str, n: usize) -> String {
    let line = question
        .lines()
        .map(|l| l.replace("**", "").replace(['*', '`'], ""))
        .map(|l| l.trim().trim_start_matches(['#', '-', '>', ' ']).to_owned())
        .find(|l| l.chars().any(char::is_alphanumeric) && !l.starts_with("!["))
        .unwrap_or_default();
    if line.is_empty() {
        return format!("Card {n}");
    }
    match line.char_indices().nth(80) {
        Some((cut, _)) => format!("{}…", line[..cut].trim_end()),
        None => line,
    }
}

#[cfg(test)]
mod tests {
    use super::super::columns::parse_columns;
    use super::*;

    fn import(text: &str, extension: &str, columns: Option<&[Column]>) -> Import {
        import_table(text, extension, columns, &ImportOptions::default()).expect("a table")
    }

    #[test]
    fn separators_are_guessed_or_declared() {
        assert_eq!(guess_separator("a\tb,c\n", "txt"), b'\t');
        assert_eq!(guess_separator("a;b;c,d\n", "csv"), b';');
        assert_eq!(guess_separator("a,b\n", "csv"), b',');
        assert_eq!(guess_separator("a,b\n", "tsv"), b'\t');
        let deck = import("#separator:Pipe\n#html:false\nQ1|<b>A1</b>\n", "txt", None).deck;
        assert_eq!(deck.questions[0].question, "Q1");
        assert_eq!(
            deck.questions[0].answer, "<b>A1</b>",
            "#html:false keeps tags as text"
        );
    }

    #[test]
    fn columns_by_name_flag_or_position() {
        assert_eq!(
            parse_columns("question, answer,analysis,tags,B"),
            Ok(vec![
                Column::Question,
                Column::Answer,
                Column::Analysis,
                Column::Tags,
                Column::Choice(1)
            ])
        );
        assert!(
            parse_columns("question,nonsense")
                .unwrap_err()
                .contains("`nonsense`")
        );
        let deck = import(
            "题目,答案,标签\n什么是 TCP？,传输层协议,网络 基础\n",
            "csv",
            None,
        )
        .deck;
        assert_eq!(deck.questions[0].answer, "传输层协议");
        assert_eq!(deck.questions[0].tags, ["网络", "基础"]);
    }
}
