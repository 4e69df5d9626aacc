//! Anki deck packages (`.apkg`, the legacy collection format) as decks.
//! An `.apkg` is a zip holding `collection.anki2` (or `.anki21`), a SQLite
//! database whose `col.models` JSON names each note type's fields and whose
//! `notes` rows hold the fields joined by `\x1f`, and a `media` JSON that
//! maps the zip's numbered entries to file names. Per note: the fields
//! named as question/answer (else the first two) in Markdown, `Extra`-like
//! fields as the analysis, the note's tags; images the fields show are
//! copied beside the deck. Cloze notes are one question each: every
//! `{{c1::…}}` hidden as `[…]` (or its hint), the answer the text with them
//! filled in bold. Packages in the newer zstd format (`collection.anki21b`)
//! are refused with how to export the legacy one.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use serde_json::Value;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, Row, SqliteConnection};

use super::deck::tag_of;
use super::{Import, ImportOptions, ImportedQuestion, Note, Shapes, finish_deck, html};

/// What Anki's newer packages need before they can be read here.
pub const NEWER_FORMAT: &str = "this package is in Anki's newer format (collection.anki21b), which I cannot read: in Anki, Export → Anki Deck Package, tick 'Support older Anki versions', and import that file";

/// A media file a question shows, to write beside the deck.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A package's questions (images referenced as `media_dir/name`) and the
/// media files they show; `Err` is one line saying why it cannot be read.
pub fn import_apkg(
    bytes: &[u8],
    opts: &ImportOptions,
    media_dir: &str,
) -> Result<(Import, Vec<MediaFile>), String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("not a zip archive, as an .apkg is: {e}"))?;
    let names: Vec<String> = zip.file_names().map(str::to_owned).collect();
    if names.iter().any(|n| n == "collection.anki21b") {
        return Err(NEWER_FORMAT.into());
    }
    let collection = ["collection.anki21", "collection.anki2"]
        .into_iter()
        .find(|c| names.iter().any(|n| n == c))
        .ok_or("no collection.anki2 in it: is it an Anki deck package?")?;
    let database = entry(&mut zip, collection)?;
    let media_map: HashMap<String, String> = match entry(&mut zip, "media") {
        Ok(json) => serde_json::from_slice(&json)
            .map_err(|e| format!("its media list is not the JSON Anki writes: {e}"))?,
        Err(_) => HashMap::new(),
    };
    let (models, notes) = read_collection(&database)?;
    let mut reader = Notes {
        media_dir,
        referenced: Vec::new(),
        rows: Vec::new(),
        skipped: Vec::new(),
    };
    for (n, note) in notes.iter().enumerate() {
        reader.add(n + 1, note, &models);
    }
    let mut warnings = Vec::new();
    let media = media_files(&mut zip, &media_map, &reader.referenced, &mut warnings);
    let lines: Vec<usize> = reader.rows.iter().map(|(line, _)| *line).collect();
    let questions = reader.rows.into_iter().map(|(_, q)| q).collect();
    let title = opts
        .title
        .clone()
        .unwrap_or_else(|| opts.fallback_title.clone());
    let imported = finish_deck(
        questions,
        &lines,
        opts,
        Some(title),
        reader.skipped,
        warnings,
        Shapes::default(),
    );
    let read = format!(
        "an Anki package of {} note{} and {} image{}",
        notes.len(),
        if notes.len() == 1 { "" } else { "s" },
        media.len(),
        if media.len() == 1 { "" } else { "s" },
    );
    Ok((
        Import {
            read: Some(read),
            ..imported
        },
        media,
    ))
}

fn entry<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
) -> Result<Vec<u8>, String> {
    let mut file = zip
        .by_name(name)
        .map_err(|e| format!("cannot read {name} in it: {e}"))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {name} in it: {e}"))?;
    Ok(bytes)
}

/// A note type: its kind and field names in order.
struct Model {
    cloze: bool,
    fields: Vec<String>,
}

/// One `notes` row: its type, tags and fields.
struct NoteRow {
    mid: String,
    tags: String,
    fields: String,
}

/// The note types and notes of a collection database (bytes of a SQLite
/// file), read through a private temporary copy.
fn read_collection(database: &[u8]) -> Result<(HashMap<String, Model>, Vec<NoteRow>), String> {
    let path = std::env::temp_dir().join(format!(
        "studybot-apkg-{}-{}.sqlite",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    std::fs::write(&path, database).map_err(|e| format!("cannot copy its collection: {e}"))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| format!("cannot start reading it: {e}"))?;
    let read = runtime.block_on(query(&path));
    let _ = std::fs::remove_file(&path);
    read.map_err(|e| format!("its collection is not an Anki collection: {e}"))
}

async fn query(
    path: &std::path::Path,
) -> Result<(HashMap<String, Model>, Vec<NoteRow>), sqlx::Error> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .immutable(true);
    let mut db = SqliteConnection::connect_with(&options).await?;
    let models_json: String = sqlx::query("SELECT models FROM col")
        .fetch_one(&mut db)
        .await?
        .try_get(0)?;
    let rows = sqlx::query("SELECT CAST(mid AS TEXT), tags, flds FROM notes ORDER BY id")
        .fetch_all(&mut db)
        .await?;
    let notes = rows
        .iter()
        .map(|row| {
            Ok(NoteRow {
                mid: row.try_get(0)?,
                tags: row.try_get(1)?,
                fields: row.try_get(2)?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    db.close().await?;
    Ok((models(&models_json), notes))
}

/// `{"<id>": {"type": 0|1, "flds": [{"name": "Front", "ord": 0}, …]}}`.
fn models(json: &str) -> HashMap<String, Model> {
    let Ok(Value::Object(map)) = serde_json::from_str::<Value>(json) else {
        return HashMap::new();
    };
    map.into_iter()
        .map(|(id, model)| {
            let mut fields: Vec<(u64, String)> = model["flds"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
                .map(|(i, f)| {
                    let ord = f["ord"].as_u64().unwrap_or(i as u64);
                    (ord, f["name"].as_str().unwrap_or_default().to_owned())
                })
                .collect();
            fields.sort_by_key(|(ord, _)| *ord);
            let model = Model {
                cloze: model["type"].as_u64() == Some(1),
                fields: fields.into_iter().map(|(_, name)| name).collect(),
            };
            (id, model)
        })
        .collect()
}

struct Notes<'a> {
    media_dir: &'a str,
    /// Image file names the imported fields show.
    referenced: Vec<String>,
    rows: Vec<(usize, ImportedQuestion)>,
    skipped: Vec<Note>,
}

impl Notes<'_> {
    /// Note number `n` (from 1, in creation order), reported as its line.
    fn add(&mut self, n: usize, note: &NoteRow, models: &HashMap<String, Model>) {
        let fields: Vec<&str> = note.fields.split('\x1f').collect();
        let model = models.get(&note.mid);
        let names = model.map(|m| m.fields.as_slice()).unwrap_or_default();
        let pick = |wanted: &[&str], fallback: Option<usize>| {
            let named = names.iter().position(|name| {
                let name = name.trim().to_lowercase();
                wanted.iter().any(|w| name == *w)
            });
            named.or(fallback).and_then(|i| fields.get(i).copied())
        };
        let question = pick(&QUESTION_NAMES, Some(0)).unwrap_or_default();
        let answer = pick(
            &ANSWER_NAMES,
            (!model.is_some_and(|m| m.cloze)).then_some(1),
        );
        let analysis = pick(&ANALYSIS_NAMES, None).map(|a| self.markdown(a));
        let image = self.front_image(question);
        let (question, answer) = if model.is_some_and(|m| m.cloze) {
            let (front, back) = cloze(question);
            (self.markdown(&front), self.markdown(&back))
        } else {
            (
                self.markdown(question),
                self.markdown(answer.unwrap_or_default()),
            )
        };
        let why = match (question.is_empty(), answer.is_empty()) {
            (true, _) => Some("the note's question field is empty"),
            (_, true) => Some("the note's answer field is empty"),
            _ => None,
        };
        if let Some(why) = why {
            self.skipped.push(Note {
                line: n,
                why: format!("note {n}: {why}"),
            });
            return;
        }
        let tags = note
            .tags
            .split_whitespace()
            .map(tag_of)
            .filter(|t| !t.is_empty())
            .fold(Vec::new(), |mut tags: Vec<String>, t| {
                if !tags.contains(&t) {
                    tags.push(t);
                }
                tags
            });
        self.rows.push((
            n,
            ImportedQuestion {
                id: String::new(),
                title: title_of(&question, n),
                tags,
                question,
                answer,
                analysis: analysis.filter(|a| !a.is_empty()),
                quiz: None,
                image,
            },
        ));
    }

    /// The first PNG or JPEG the question field shows, as the question's
    /// `image:` (platforms show a Markdown image as its alt text only).
    fn front_image(&self, field: &str) -> Option<String> {
        let (_, images) = html::to_markdown_with_images(field, self.media_dir);
        let shown = images.into_iter().find(|name| {
            let name = name.to_lowercase();
            [".png", ".jpg", ".jpeg"]
                .iter()
                .any(|ext| name.ends_with(ext))
        })?;
        Some(match self.media_dir {
            "" => shown,
            dir => format!("{dir}/{shown}"),
        })
    }

    /// A field as Markdown, its images pointing into the media directory.
    fn markdown(&mut self, field: &str) -> String {
        let (text, images) = html::to_markdown_with_images(field, self.media_dir);
        for image in images {
            if !self.referenced.contains(&image) {
                self.referenced.push(image);
            }
        }
        text
    }
}

const QUESTION_NAMES: [&str; 7] = ["front", "question", "text", "题目", "问题", "正面", "term"];
const ANSWER_NAMES: [&str; 6] = ["back", "answer", "答案", "背面", "definition", "回答"];
const ANALYSIS_NAMES: [&str; 7] = [
    "extra",
    "back extra",
    "explanation",
    "notes",
    "解析",
    "备注",
    "analysis",
];

/// A cloze text as question and answer: `{{c1::Paris::city}}` is `[city]`
/// (or `[…]`) in the question and `**Paris**` in the answer.
fn cloze(text: &str) -> (String, String) {
    let mut front = String::with_capacity(text.len());
    let mut back = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{{c") {
        let after = &rest[open + 3..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let body = after[digits..].strip_prefix("::").filter(|_| digits > 0);
        let Some((body, close)) = body.and_then(|b| b.find("}}").map(|c| (b, c))) else {
            front.push_str(&rest[..open + 3]);
            back.push_str(&rest[..open + 3]);
            rest = after;
            continue;
        };
        front.push_str(&rest[..open]);
        back.push_str(&rest[..open]);
        let inner = &body[..close];
        let (answer, hint) = inner.split_once("::").unwrap_or((inner, "…"));
        front.push_str(&format!("[{hint}]"));
        back.push_str(&format!("<b>{answer}</b>"));
        rest = &body[close + 2..];
    }
    front.push_str(rest);
    back.push_str(rest);
    (front, back)
}

fn title_of(question: &str, n: usize) -> String {
    let line = question
        .lines()
        .map(|l| l.replace("**", "").replace(['*', '`'], ""))
        .map(|l| l.trim().to_owned())
        .find(|l| l.chars().any(char::is_alphanumeric) && !l.starts_with("!["))
        .unwrap_or_default();
    match line.char_indices().nth(80) {
        _ if line.is_empty() => format!("Note {n}"),
        Some((cut, _)) => format!("{}…", line[..cut].trim_end()),
        None => line,
    }
}

/// The referenced images the package holds; names that could leave the
/// media directory, or that it lacks, are warnings.
fn media_files<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    map: &HashMap<String, String>,
    referenced: &[String],
    warnings: &mut Vec<Note>,
) -> Vec<MediaFile> {
    let by_name: HashMap<&str, &str> = map.iter().map(|(k, v)| (v.as_str(), k.as_str())).collect();
    let mut files = Vec::new();
    for name in referenced {
        let safe =
            !name.is_empty() && !name.starts_with('.') && !name.contains(['/', '\\', '\0', ':']);
        let bytes = by_name
            .get(name.as_str())
            .filter(|_| safe)
            .and_then(|number| entry(zip, number).ok());
        match bytes {
            Some(bytes) => files.push(MediaFile {
                name: name.clone(),
                bytes,
            }),
            None => warnings.push(Note {
                line: 1,
                why: format!(
                    "the image `{name}` is not in the package's media, so it is not copied"
                ),
            }),
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cloze_deletions() {
        let (front, back) = cloze("{{c1::Paris::city}} is in {{c2::France}}.");
        assert_eq!(front, "[city] is in […].");
        assert_eq!(back, "<b>Paris</b> is in <b>France</b>.");
        assert_eq!(
            cloze("{{c::x}} {{c1::open"),
            ("{{c::x}} {{c1::open".into(), "{{c::x}} {{c1::open".into())
        );
    }

    #[test]
    fn not_a_package() {
        let err = import_apkg(b"not a zip", &ImportOptions::default(), "m").unwrap_err();
        assert!(err.starts_with("not a zip archive"), "{err}");
    }
}
