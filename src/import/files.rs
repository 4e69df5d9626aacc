//! The `import` and `export` commands over files: reading and decoding
//! documents, naming decks, choosing (and refusing) output paths, writing
//! atomically, and the report a person reads: each skipped section as
//! `file:line: why` (at most 20), then one summary line per file (`report`).

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use thiserror::Error;

use super::report::{count, print_notes, summary};
use super::{
    Column, Import, ImportOptions, ImportStep, ImportedDeck, MediaFile, SHAPES_READ, decode,
    import_apkg, import_markdown, import_table, is_table, to_yaml,
};
use crate::bank::{Bank, rules};

/// What the person asked `studybot import` for.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub files: Vec<PathBuf>,
    pub deck: Option<String>,
    pub title: Option<String>,
    /// A file (one document) or a directory (one deck per document).
    pub output: Option<PathBuf>,
    pub strict: bool,
    pub force: bool,
    /// The columns of CSV/TSV files, when they have no header row.
    pub columns: Option<Vec<Column>>,
}

/// A problem that stops one file (or the whole command) before writing.
#[derive(Debug, Error)]
pub enum FileError {
    #[error("{0}")]
    Usage(String),
    #[error("{path}: {message}")]
    File { path: PathBuf, message: String },
    #[error("{path}:{line}: {message}")]
    Line {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

fn file_error(path: &Path, message: impl Into<String>) -> FileError {
    FileError::File {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// Runs an import; the report goes to `report`, YAML without `-o` to
/// `stdout`, and each document's start and end to `step` (for a progress
/// display: nothing here prints). True when every document gave a deck
/// that was written.
pub fn import_files(
    request: &Request,
    stdout: &mut dyn Write,
    report: &mut dyn Write,
    step: &mut dyn FnMut(ImportStep<'_>),
) -> Result<bool, FileError> {
    let several = request.files.len() > 1;
    if several && request.deck.is_some() {
        return Err(FileError::Usage(
            "--deck names one deck; with several documents each deck id comes from its file name"
                .into(),
        ));
    }
    if several && request.output.as_deref().is_none_or(|o| !o.is_dir()) {
        return Err(FileError::Usage(
            "several documents make several decks: pass -o DIR, an existing directory".into(),
        ));
    }
    let mut all_ok = true;
    let mut taken = ids_in_output_dir(request.output.as_deref());
    for file in &request.files {
        let bytes = fs::metadata(file).map_or(0, |m| m.len());
        step(ImportStep::Reading { file, bytes });
        let questions = match import_file(request, file, &mut taken, stdout, report) {
            Ok(questions) => Some(questions),
            Err(error) => {
                writeln!(report, "{error}").map_err(|e| io_error(file, &e))?;
                all_ok = false;
                None
            }
        };
        step(ImportStep::Done {
            file,
            bytes,
            questions,
        });
    }
    Ok(all_ok)
}

fn io_error(path: &Path, error: &io::Error) -> FileError {
    file_error(path, error.to_string())
}

/// One document: read, import, report, write. The number of questions
/// written; an error when nothing was.
fn import_file(
    request: &Request,
    file: &Path,
    taken: &mut Vec<(String, String)>,
    stdout: &mut dyn Write,
    report: &mut dyn Write,
) -> Result<usize, FileError> {
    let bytes = fs::read(file).map_err(|e| file_error(file, format!("cannot read it: {e}")))?;
    let deck = match &request.deck {
        Some(deck) => deck.clone(),
        None => deck_id_from_file_name(file)?,
    };
    rules::check_id(&deck, rules::IdKind::Deck).map_err(|e| file_error(file, e))?;
    let reserved_ids = taken
        .iter()
        .filter(|(other, _)| *other != deck)
        .map(|(_, id)| id.clone())
        .collect();
    let options = ImportOptions {
        deck,
        title: request.title.clone(),
        fallback_title: file_stem(file),
        reserved_ids,
    };
    let is_apkg = extension(file).eq_ignore_ascii_case("apkg");
    let media_dir = format!("{}-media", options.deck);
    let (imported, media, dropped, encoding) = if is_apkg {
        let (imported, media) =
            import_apkg(&bytes, &options, &media_dir).map_err(|e| file_error(file, e))?;
        (imported, media, 0, "UTF-8")
    } else {
        let decoded = decode(&bytes).map_err(|e| file_error(file, e.to_string()))?;
        let imported = read_document(request, file, &decoded.text, &options)?;
        (
            imported,
            Vec::new(),
            decoded.dropped_controls,
            decoded.encoding,
        )
    };
    let shown = file.display();
    let write_err = |e: io::Error| io_error(file, &e);
    print_notes(report, &shown.to_string(), "", &imported.skipped).map_err(write_err)?;
    print_notes(report, &shown.to_string(), "warning: ", &imported.warnings).map_err(write_err)?;
    if imported.deck.questions.is_empty() {
        let message = match &imported.read {
            Some(read) => format!(
                "no questions found in {read}: each row needs a question and an answer (name the columns in a header row or with --columns question,answer)"
            ),
            None => format!(
                "no questions found: it has {}. I read these shapes:\n{SHAPES_READ}",
                imported.shapes
            ),
        };
        return Err(file_error(file, message));
    }
    if request.strict && !imported.skipped.is_empty() {
        return Err(file_error(
            file,
            format!(
                "{} skipped; with --strict nothing is written",
                count(imported.skipped.len(), "section", "sections")
            ),
        ));
    }
    let target = target_path(request, file, &imported.deck.deck)?;
    if let Some(path) = &target {
        // Before the check: a question's `image:` is checked on disk.
        write_media(path, &media_dir, &media)?;
    }
    let folder = target
        .as_deref()
        .and_then(Path::parent)
        .unwrap_or(Path::new(""));
    if let Err(errors) = check_in_chunks(&imported.deck, folder) {
        return Err(file_error(
            file,
            format!("the imported deck does not pass `check` (a bug in import):\n{errors}"),
        ));
    }
    let yaml = to_yaml(&imported.deck);
    match &target {
        Some(path) => write_atomically(path, &yaml)?,
        None if !media.is_empty() => {
            return Err(file_error(
                file,
                "its images go in a directory beside the deck: pass -o FILE.yaml or -o DIR",
            ));
        }
        None => stdout.write_all(yaml.as_bytes()).map_err(write_err)?,
    }
    let deck_id = &imported.deck.deck;
    taken.extend(
        imported
            .deck
            .questions
            .iter()
            .map(|q| (deck_id.clone(), q.id.clone())),
    );
    writeln!(
        report,
        "{}",
        summary(file, &imported, dropped, encoding, target.as_deref())
    )
    .map_err(write_err)?;
    Ok(imported.deck.questions.len())
}

/// A document as a deck, by its kind: a table (`.csv`, `.tsv`, Anki's
/// `.txt`, or any file with `--columns`) or Markdown.
fn read_document(
    request: &Request,
    file: &Path,
    text: &str,
    options: &ImportOptions,
) -> Result<Import, FileError> {
    let extension = extension(file);
    if request.columns.is_none() && !is_table(text, &extension) {
        return Ok(import_markdown(text, options));
    }
    import_table(text, &extension, request.columns.as_deref(), options).map_err(|note| {
        FileError::Line {
            path: file.to_path_buf(),
            line: note.line,
            message: note.why,
        }
    })
}

fn extension(file: &Path) -> String {
    file.extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The images of a package, into `DIR/<deck>-media/` beside the deck file.
fn write_media(deck_file: &Path, media_dir: &str, media: &[MediaFile]) -> Result<(), FileError> {
    if media.is_empty() {
        return Ok(());
    }
    let dir = deck_file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join(media_dir);
    fs::create_dir_all(&dir).map_err(|e| file_error(&dir, format!("cannot create it: {e}")))?;
    for file in media {
        fs::write(dir.join(&file.name), &file.bytes)
            .map_err(|e| file_error(&dir.join(&file.name), format!("cannot write it: {e}")))?;
    }
    Ok(())
}

/// How many questions are checked at once: one bank of a whole 5 MB
/// document would hold its YAML tree in memory at once.
const CHECK_CHUNK: usize = 256;

/// Runs the bank's own checks on the deck as it will be written, a chunk
/// of questions at a time (ids are unique by construction), as a file in
/// `folder`, where its images are.
fn check_in_chunks(deck: &ImportedDeck, folder: &Path) -> Result<(), crate::bank::BankErrors> {
    for chunk in deck.questions.chunks(CHECK_CHUNK) {
        let part = ImportedDeck {
            questions: chunk.to_vec(),
            ..deck.clone_header()
        };
        Bank::from_sources(vec![(
            folder.join(format!("{}.yaml", deck.deck)),
            to_yaml(&part),
        )])?;
    }
    Ok(())
}

/// (deck, question id) for every question of the bank already in the
/// output directory, so new decks there do not reuse their ids.
fn ids_in_output_dir(output: Option<&Path>) -> Vec<(String, String)> {
    let Some(dir) = output.filter(|o| o.is_dir()) else {
        return Vec::new();
    };
    match Bank::load(dir) {
        Ok(bank) => bank
            .questions()
            .iter()
            .map(|q| (q.deck.clone(), q.id.clone()))
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// Where the deck goes: `None` for stdout, else a file (refused when it is
/// the document itself, or exists without `--force`).
fn target_path(request: &Request, file: &Path, deck: &str) -> Result<Option<PathBuf>, FileError> {
    let Some(output) = &request.output else {
        return Ok(None);
    };
    let target = if output.is_dir() {
        output.join(format!("{deck}.yaml"))
    } else {
        output.clone()
    };
    if same_file(&target, file) {
        return Err(file_error(
            file,
            format!(
                "refusing to write over the document itself ({})",
                target.display()
            ),
        ));
    }
    if target.exists() && !request.force {
        return Err(file_error(
            file,
            format!("{} exists; pass --force to replace it", target.display()),
        ));
    }
    Ok(Some(target))
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn file_stem(file: &Path) -> String {
    file.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `docs/LLM Startup.md` → `llm-startup`; an error asking for `--deck`
/// when the name has no ASCII letters or digits.
pub fn deck_id_from_file_name(file: &Path) -> Result<String, FileError> {
    let slug = rules::slugify(&file_stem(file), rules::MAX_DECK_ID_BYTES);
    if slug.is_empty() {
        return Err(file_error(
            file,
            "cannot make a deck id from this file name (ids are a-z, 0-9 and -): pass --deck ID",
        ));
    }
    Ok(slug)
}

/// Writes beside the target then renames, so a reader never sees half a file.
pub fn write_atomically(path: &Path, text: &str) -> Result<(), FileError> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| file_error(path, "the output path has no file name"))?;
    let temp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = (|| -> io::Result<()> {
        let mut file = fs::File::create(&temp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        fs::rename(&temp, path)
    })();
    written.map_err(|error| {
        let _ = fs::remove_file(&temp);
        file_error(path, format!("cannot write it: {error}"))
    })
}
