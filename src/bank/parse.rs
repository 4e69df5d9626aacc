//! One deck file: YAML text in, a checked deck (or every problem in it) out.
//!
//! The text is parsed into a `serde_yaml::Value` and walked by hand rather
//! than deserialised with `#[derive(Deserialize)]`: derive stops at the first
//! unknown key or missing field, and the bank must report all of them, each
//! at its own line and column (found with `locate`).

use std::path::Path;

use serde_yaml::{Mapping, Value};

use super::Question;
use super::error::BankError;
use super::locate::{Pos, Positions, child};
use super::rules::{self, IdKind};

const DECK_KEYS: &[&str] = &["deck", "title", "language", "scope", "questions"];
const QUESTION_KEYS: &[&str] = &[
    "id",
    "title",
    "tags",
    "question",
    "answer",
    "analysis",
    "choices",
    "correct",
    "explanation",
    "image",
];

/// What one file holds, even when parts of it are wrong: the bank needs the
/// ids that were readable to report duplicates across files.
#[derive(Debug, Default)]
pub(crate) struct ParsedDeck {
    pub id: Option<(String, Pos)>,
    pub title: String,
    pub language: String,
    /// The one chat the deck's questions are served in (`telegram:-100…`),
    /// for a community deck; `None` serves them everywhere.
    pub scope: Option<String>,
    /// Each question with the position of its id.
    pub questions: Vec<(Question, Option<Pos>)>,
    pub errors: Vec<BankError>,
}

/// Parses and checks one deck file. Never panics, whatever the text.
pub(crate) fn parse_deck(path: &Path, text: &str) -> ParsedDeck {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut walker = Walker {
        path,
        text,
        positions: Positions::scan(text),
        deck: ParsedDeck::default(),
    };
    match serde_yaml::from_str::<Value>(text) {
        Ok(value) => walker.deck_root(&value),
        Err(error) => walker.deck.errors.push(syntax_error(path, &error)),
    }
    walker.deck
}

fn syntax_error(path: &Path, error: &serde_yaml::Error) -> BankError {
    let mut message = error.to_string();
    let mut bank_error = BankError::new(path, "");
    if let Some(location) = error.location() {
        let suffix = format!(" at line {} column {}", location.line(), location.column());
        message = message.replacen(&suffix, "", 1);
        bank_error = bank_error.at(Some(Pos {
            line: location.line(),
            column: location.column(),
        }));
    }
    bank_error.message = format!("YAML syntax error: {message}");
    bank_error
}

pub(super) struct Walker<'a> {
    pub(super) path: &'a Path,
    text: &'a str,
    pub(super) positions: Positions,
    deck: ParsedDeck,
}

impl Walker<'_> {
    pub(super) fn error(&mut self, pos: Option<Pos>, message: String) {
        self.deck
            .errors
            .push(BankError::new(self.path, message).at(pos));
    }

    fn deck_root(&mut self, root: &Value) {
        let Some(map) = self.mapping(root, "", "the deck") else {
            return;
        };
        let fields = self.known_fields(map, "", DECK_KEYS);
        let deck_id = self.required_text(&fields, "", "deck");
        if let Some(id) = deck_id {
            let pos = self.positions.value("deck");
            if self.valid_id(&id, IdKind::Deck, pos) {
                self.deck.id = Some((id, pos.unwrap_or(Pos { line: 1, column: 1 })));
            }
        }
        let title = self.required_text(&fields, "", "title");
        self.deck.title = self.one_line(title, "title");
        let language = self.required_text(&fields, "", "language");
        self.deck.language = language.unwrap_or_default();
        if !self.deck.language.is_empty() && !rules::is_language_tag(&self.deck.language) {
            let message = format!(
                "invalid language `{}`: use a language code such as `zh` or `en`",
                self.deck.language
            );
            self.error(self.positions.value("language"), message);
        }
        self.scope(&fields);
        self.questions(field(&fields, "questions"));
    }

    fn scope(&mut self, fields: &[(&str, &Value)]) {
        let scope = self.optional_text(fields, "", "scope");
        if let Some(scope) = &scope
            && !rules::is_scope(scope)
        {
            let message = format!(
                "invalid scope `{scope}`: use a platform and a chat id, such as `telegram:-1001234567890`"
            );
            self.error(self.positions.value("scope"), message);
        }
        self.deck.scope = scope;
    }

    fn questions(&mut self, value: Option<&Value>) {
        let pos = self.positions.key("questions");
        let items = match value {
            None => return self.error(None, "missing required key `questions`".into()),
            Some(Value::Sequence(items)) if !items.is_empty() => items,
            Some(Value::Sequence(_) | Value::Null) => {
                let message = "`questions` is empty: a deck needs at least one question";
                return self.error(pos, message.into());
            }
            Some(other) => {
                let message = format!("`questions` must be a list, found {}", kind(other));
                return self.error(self.positions.value("questions"), message);
            }
        };
        for (index, item) in items.iter().enumerate() {
            self.question(item, &child("questions", index));
        }
    }

    fn question(&mut self, item: &Value, path: &str) {
        let Some(map) = self.mapping(item, path, "a question") else {
            return;
        };
        let fields = self.known_fields(map, path, QUESTION_KEYS);
        let id_pos = self.positions.value(&child(path, "id"));
        let id = self
            .required_text(&fields, path, "id")
            .filter(|id| self.valid_id(id, IdKind::Question, id_pos));
        let title = self.required_text(&fields, path, "title");
        let title = self.one_line(title, &child(path, "title"));
        let tags = self.tags(field(&fields, "tags"), &child(path, "tags"));
        let question = self.required_text(&fields, path, "question");
        let answer = self.required_text(&fields, path, "answer");
        let analysis = self.optional_text(&fields, path, "analysis");
        let quiz = self.quiz(&fields, path);
        let image = self.image(&fields, path);
        let Some(id) = id else { return };
        let question = Question {
            id,
            deck: String::new(),
            title,
            tags,
            question: question.unwrap_or_default(),
            answer: answer.unwrap_or_default(),
            analysis,
            quiz,
            image,
        };
        self.deck.questions.push((question, id_pos));
    }

    fn tags(&mut self, value: Option<&Value>, path: &str) -> Vec<String> {
        let items = match value {
            None | Some(Value::Null) => return Vec::new(),
            Some(Value::Sequence(items)) => items,
            Some(other) => {
                let message = format!(
                    "`tags` must be a list such as [training], found {}",
                    kind(other)
                );
                self.error(self.positions.value(path), message);
                return Vec::new();
            }
        };
        let mut tags: Vec<String> = Vec::new();
        for (index, item) in items.iter().enumerate() {
            let problem = match item {
                Value::String(tag) => match rules::check_id(tag, IdKind::Tag) {
                    Err(message) => Some(message),
                    Ok(()) if tags.contains(tag) => Some(format!("duplicate tag `{tag}`")),
                    Ok(()) => {
                        tags.push(tag.clone());
                        None
                    }
                },
                other => Some(format!("a tag must be text, found {}", kind(other))),
            };
            // Only a problem needs a position: finding one in a flow list
            // searches the text.
            if let Some(message) = problem {
                let pos = self.tag_pos(path, index, item);
                self.error(pos, message);
            }
        }
        tags
    }

    /// A block-list tag has its own position; in a flow list `[a, b]` the
    /// tag is found by searching its text after the list's start.
    pub(super) fn tag_pos(&self, path: &str, index: usize, item: &Value) -> Option<Pos> {
        if let Some(pos) = self.positions.exact_value(&child(path, index)) {
            return Some(pos);
        }
        let list = self.positions.value(path)?;
        match item {
            Value::String(tag) => Some(find_after(self.text, list, tag).unwrap_or(list)),
            _ => Some(list),
        }
    }

    fn mapping<'v>(&mut self, value: &'v Value, path: &str, what: &str) -> Option<&'v Mapping> {
        if let Value::Mapping(map) = value {
            return Some(map);
        }
        let message = if path.is_empty() {
            format!(
                "{what} must be a mapping with keys {}, found {}",
                DECK_KEYS.join(", "),
                kind(value)
            )
        } else {
            format!(
                "{what} must be a mapping with keys {}, found {}",
                QUESTION_KEYS.join(", "),
                kind(value)
            )
        };
        let pos = self
            .positions
            .value(path)
            .or(Some(Pos { line: 1, column: 1 }));
        self.error(pos, message);
        None
    }

    /// The mapping's entries whose keys are in `allowed`; every other key is
    /// reported where it stands.
    fn known_fields<'v>(
        &mut self,
        map: &'v Mapping,
        path: &str,
        allowed: &[&str],
    ) -> Vec<(&'v str, &'v Value)> {
        let mut fields = Vec::new();
        for (key, value) in map {
            match key {
                Value::String(name) if allowed.contains(&name.as_str()) => {
                    fields.push((name.as_str(), value));
                }
                Value::String(name) => {
                    let pos = self.positions.key(&child(path, name));
                    let message = match closest(name, allowed) {
                        Some(near) => format!("unknown key `{name}` (did you mean `{near}`?)"),
                        None => format!(
                            "unknown key `{name}` (expected one of: {})",
                            allowed.join(", ")
                        ),
                    };
                    self.error(pos, message);
                }
                other => {
                    let message = format!(
                        "unexpected key {}: keys are names such as `id`",
                        kind(other)
                    );
                    self.error(self.positions.value(path), message);
                }
            }
        }
        fields
    }

    /// A required text field, with trailing whitespace removed; `None` (and
    /// an error) when it is missing, empty or not text.
    pub(super) fn required_text(
        &mut self,
        fields: &[(&str, &Value)],
        path: &str,
        name: &str,
    ) -> Option<String> {
        let field_path = child(path, name);
        match field(fields, name) {
            None => {
                let pos = if path.is_empty() {
                    None
                } else {
                    self.positions.value(path)
                };
                self.error(pos, format!("missing required key `{name}`"));
                None
            }
            Some(Value::String(text)) if !text.trim().is_empty() => {
                Some(text.trim_end().to_owned())
            }
            Some(Value::String(_) | Value::Null) => {
                self.error(
                    self.positions.key(&field_path),
                    format!("`{name}` is empty"),
                );
                None
            }
            Some(other) => {
                let hint = if matches!(other, Value::Number(_) | Value::Bool(_)) {
                    " (put it in quotes)"
                } else {
                    ""
                };
                let message = format!("`{name}` must be text, found {}{hint}", kind(other));
                self.error(self.positions.value(&field_path), message);
                None
            }
        }
    }

    /// An optional text field: `None` when absent; when present it must be
    /// non-empty text, like a required one.
    pub(super) fn optional_text(
        &mut self,
        fields: &[(&str, &Value)],
        path: &str,
        name: &str,
    ) -> Option<String> {
        field(fields, name)?;
        self.required_text(fields, path, name)
    }

    fn one_line(&mut self, title: Option<String>, path: &str) -> String {
        let title = title.unwrap_or_default();
        if title.contains('\n') {
            let message = "a title must fit on one line".to_owned();
            self.error(self.positions.value(path), message);
        }
        title
    }

    fn valid_id(&mut self, id: &str, kind: IdKind, pos: Option<Pos>) -> bool {
        match rules::check_id(id, kind) {
            Ok(()) => true,
            Err(message) => {
                self.error(pos, message);
                false
            }
        }
    }
}

pub(super) fn field<'v>(fields: &[(&str, &'v Value)], name: &str) -> Option<&'v Value> {
    fields
        .iter()
        .find(|(key, _)| *key == name)
        .map(|(_, value)| *value)
}

/// How a YAML value is described in messages.
pub(super) fn kind(value: &Value) -> String {
    match value {
        Value::Null => "nothing".into(),
        Value::Bool(b) => format!("`{b}` (true/false)"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(_) => "text".into(),
        Value::Sequence(_) => "a list".into(),
        Value::Mapping(_) => "a mapping".into(),
        Value::Tagged(tagged) => format!("a value tagged {}", tagged.tag),
    }
}

/// The position of `needle` on `start`'s line, at or after `start`.
fn find_after(text: &str, start: Pos, needle: &str) -> Option<Pos> {
    let line = text.lines().nth(start.line.checked_sub(1)?)?;
    let skip = line.char_indices().nth(start.column.checked_sub(1)?)?.0;
    let found = skip + line[skip..].find(needle)?;
    Some(Pos {
        line: start.line,
        column: line[..found].chars().count() + 1,
    })
}

/// The allowed key within two edits of a misspelt one, if any.
fn closest<'k>(name: &str, allowed: &[&'k str]) -> Option<&'k str> {
    allowed
        .iter()
        .map(|key| (edit_distance(name, key), *key))
        .filter(|(distance, _)| *distance <= 2)
        .min()
        .map(|(_, key)| key)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}
