//! Loading a bank: read the deck files, parse each one, then the checks that
//! span files (duplicate deck ids, duplicate question ids), and build the
//! indexes only when nothing at all is wrong.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::error::{BankError, BankErrors};
use super::locate::Pos;
use super::parse::{ParsedDeck, parse_deck};
use super::{Bank, Deck};

impl Bank {
    /// Loads every `*.yaml` / `*.yml` file directly in `dir`, sorted by
    /// file name, then those in `dir/community/` (the decks members grew
    /// with `/suggest`), if that folder exists. Other folders are not read:
    /// drafts and archives may live beside the decks.
    pub fn load(dir: &Path) -> Result<Bank, BankErrors> {
        let mut files = deck_files(dir).map_err(|error| BankErrors(vec![error]))?;
        let community = dir.join(COMMUNITY_DIR);
        if community.is_dir() {
            files.extend(yaml_files(&community).map_err(|error| BankErrors(vec![error]))?);
        }
        let mut sources = Vec::with_capacity(files.len());
        let mut errors = Vec::new();
        for path in files {
            match read_text(&path) {
                Ok(text) => sources.push((path, text)),
                Err(error) => errors.push(error),
            }
        }
        if !errors.is_empty() {
            return Err(BankErrors(errors));
        }
        Bank::from_sources(sources)
    }

    /// Builds a bank from (file name, YAML text) pairs, one deck each, in
    /// the order given. Never panics, whatever the text.
    pub fn from_sources(sources: Vec<(PathBuf, String)>) -> Result<Bank, BankErrors> {
        if sources.is_empty() {
            let error = BankError::new("", "no deck files: a bank needs at least one *.yaml file");
            return Err(BankErrors(vec![error]));
        }
        let parsed: Vec<(PathBuf, ParsedDeck)> = sources
            .iter()
            .map(|(path, _)| path.clone())
            .zip(parse_all(&sources))
            .collect();
        let mut errors: Vec<(usize, BankError)> = Vec::new();
        for (file, (_, deck)) in parsed.iter().enumerate() {
            errors.extend(deck.errors.iter().cloned().map(|e| (file, e)));
        }
        errors.extend(duplicates(&parsed));
        if errors.is_empty() {
            return Ok(assemble(parsed));
        }
        errors.sort_by_key(|(file, e)| (*file, e.line.unwrap_or(0), e.column.unwrap_or(0)));
        Err(BankErrors(errors.into_iter().map(|(_, e)| e).collect()))
    }
}

/// Parses every file, on as many threads as there are cores (YAML parsing
/// is most of a load's time), keeping the sources' order.
fn parse_all(sources: &[(PathBuf, String)]) -> Vec<ParsedDeck> {
    let parse_part = |part: &[(PathBuf, String)]| -> Vec<ParsedDeck> {
        part.iter()
            .map(|(path, text)| parse_deck(path, text))
            .collect()
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let workers = cores.min(sources.len());
    if workers <= 1 {
        return parse_part(sources);
    }
    let chunk = sources.len().div_ceil(workers);
    std::thread::scope(|scope| {
        let handles: Vec<_> = sources
            .chunks(chunk)
            .map(|part| scope.spawn(move || parse_part(part)))
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// The folder under the content directory that holds community decks.
pub const COMMUNITY_DIR: &str = "community";

/// The deck files in `dir`, sorted by name; at least one.
fn deck_files(dir: &Path) -> Result<Vec<PathBuf>, BankError> {
    let files = yaml_files(dir)?;
    if files.is_empty() {
        let message = format!("no *.yaml files in {}", dir.display());
        return Err(BankError::new(dir, message));
    }
    Ok(files)
}

/// The `*.yaml` / `*.yml` files directly in `dir`, sorted by name.
fn yaml_files(dir: &Path) -> Result<Vec<PathBuf>, BankError> {
    let entries = fs::read_dir(dir).map_err(|error| {
        let message = match error.kind() {
            io::ErrorKind::NotFound => "no such directory".to_owned(),
            _ => format!("cannot read the directory: {error}"),
        };
        BankError::new(dir, message)
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| is_deck_file(path))
        .collect();
    files.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    Ok(files)
}

fn is_deck_file(path: &Path) -> bool {
    let yaml = path
        .extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml"));
    yaml && path.is_file()
}

fn read_text(path: &Path) -> Result<String, BankError> {
    let bytes =
        fs::read(path).map_err(|error| BankError::new(path, format!("cannot read: {error}")))?;
    String::from_utf8(bytes).map_err(|error| {
        let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let mut bank_error = BankError::new(path, "not valid UTF-8 text");
        bank_error.line = Some(line);
        bank_error
    })
}

/// Duplicate deck ids and question ids, each reported at the second
/// occurrence and naming the first.
fn duplicates(parsed: &[(PathBuf, ParsedDeck)]) -> Vec<(usize, BankError)> {
    let mut errors = Vec::new();
    let mut decks: HashMap<&str, (&Path, Pos)> = HashMap::new();
    let mut questions: HashMap<&str, (&Path, Option<Pos>)> = HashMap::new();
    for (file, (path, deck)) in parsed.iter().enumerate() {
        if let Some((id, pos)) = &deck.id {
            if let Some((first_path, first_pos)) = decks.get(id.as_str()) {
                let message = format!(
                    "duplicate deck id `{id}` (first defined at {})",
                    place(first_path, Some(*first_pos))
                );
                errors.push((file, BankError::new(path, message).at(Some(*pos))));
            } else {
                decks.insert(id, (path, *pos));
            }
        }
        for (question, pos) in &deck.questions {
            if let Some((first_path, first_pos)) = questions.get(question.id.as_str()) {
                let message = format!(
                    "duplicate question id `{}` (first defined at {})",
                    question.id,
                    place(first_path, *first_pos)
                );
                errors.push((file, BankError::new(path, message).at(*pos)));
            } else {
                questions.insert(&question.id, (path, *pos));
            }
        }
    }
    errors
}

fn place(path: &Path, pos: Option<Pos>) -> String {
    let mut error = BankError::new(path, "");
    error = error.at(pos);
    error.location()
}

/// The bank from decks that passed every check.
fn assemble(parsed: Vec<(PathBuf, ParsedDeck)>) -> Bank {
    let mut decks = Vec::with_capacity(parsed.len());
    let mut questions = Vec::new();
    for (path, deck) in parsed {
        let id = deck.id.map(|(id, _)| id).unwrap_or_default();
        let mut question_ids = Vec::with_capacity(deck.questions.len());
        for (mut question, _) in deck.questions {
            question.deck.clone_from(&id);
            question_ids.push(question.id.clone());
            questions.push(question);
        }
        decks.push(Deck {
            id,
            title: deck.title,
            language: deck.language,
            scope: deck.scope,
            path,
            question_ids,
        });
    }
    Bank::new(decks, questions)
}
