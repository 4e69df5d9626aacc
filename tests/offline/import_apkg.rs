//! Anki `.apkg` packages (legacy collection format) built here, in the
//! test: a SQLite collection with a basic, a reversed-names and a cloze note
//! type, a media list and an image, zipped; then `studybot import` on it.
//! The newer zstd format is refused with how to export the legacy one.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};
use studybot::bank::Bank;
use studybot::import::{ImportOptions, NEWER_FORMAT, import_apkg};

/// A real 2×1 grey PNG: an image the bank's `image:` check accepts.
const PNG: &[u8] = b"\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x02\x00\x00\x00\x01\x08\x00\x00\x00\x00\xd1\x49\x20\x56\x00\x00\x00\x0b\x49\x44\x41\x54\x78\x9c\x63\x68\x68\x00\x00\x01\x83\x01\x01\x18\x35\x22\x15\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82";

fn models_json() -> String {
    serde_json::json!({
        "1001": {"name": "Basic", "type": 0, "flds": [
            {"name": "Front", "ord": 0}, {"name": "Back", "ord": 1}, {"name": "Extra", "ord": 2}
        ]},
        "1002": {"name": "Reversed names", "type": 0, "flds": [
            {"name": "答案", "ord": 1}, {"name": "题目", "ord": 0}
        ]},
        "1003": {"name": "Cloze", "type": 1, "flds": [
            {"name": "Text", "ord": 0}, {"name": "Back Extra", "ord": 1}
        ]}
    })
    .to_string()
}

/// A legacy collection database as bytes, with `notes` (mid, tags, fields).
fn collection(notes: &[(i64, &str, &str)]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("collection.anki2");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    runtime.block_on(async {
        let options = SqliteConnectOptions::new().filename(&path).create_if_missing(true);
        let mut db = SqliteConnection::connect_with(&options).await.unwrap();
        sqlx::query(
            "CREATE TABLE col (id integer primary key, crt integer not null, mod integer not null,
             scm integer not null, ver integer not null, dty integer not null, usn integer not null,
             ls integer not null, conf text not null, models text not null, decks text not null,
             dconf text not null, tags text not null)",
        )
        .execute(&mut db)
        .await
        .unwrap();
        sqlx::query(
            "CREATE TABLE notes (id integer primary key, guid text not null, mid integer not null,
             mod integer not null, usn integer not null, tags text not null, flds text not null,
             sfld integer not null, csum integer not null, flags integer not null, data text not null)",
        )
        .execute(&mut db)
        .await
        .unwrap();
        sqlx::query("INSERT INTO col VALUES (1, 0, 0, 0, 11, 0, 0, 0, '{}', ?, '{}', '{}', '{}')")
            .bind(models_json())
            .execute(&mut db)
            .await
            .unwrap();
        for (n, (mid, tags, fields)) in notes.iter().enumerate() {
            sqlx::query("INSERT INTO notes VALUES (?, ?, ?, 0, 0, ?, ?, '', 0, 0, '')")
                .bind(1_600_000_000_000 + n as i64)
                .bind(format!("guid{n}"))
                .bind(mid)
                .bind(tags)
                .bind(fields)
                .execute(&mut db)
                .await
                .unwrap();
        }
        db.close().await.unwrap();
    });
    std::fs::read(&path).unwrap()
}

/// A zip of `entries` (name, bytes).
fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        writer.start_file(*name, options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

fn package() -> Vec<u8> {
    let database = collection(&[
        (
            1001,
            " Biology::Cells exam ",
            "What is <b>mitosis</b>?\x1fDivision into two cells.<br><img src=\"mitosis 1.png\">\x1fSee also meiosis.",
        ),
        (1002, "", "TCP 是哪一层的协议？\x1f传输层"),
        (
            1003,
            "geo",
            "{{c1::Paris::city}} is the capital of {{c2::France}}.\x1fSince 987.",
        ),
        (1001, "", "Front without a back\x1f"),
    ]);
    let media = br#"{"0": "mitosis 1.png", "1": "unused.png"}"#;
    zip(&[
        ("collection.anki2", &database),
        ("media", media),
        ("0", PNG),
        ("1", b"unused"),
    ])
}

fn studybot(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_studybot"))
        .args(args)
        .current_dir(dir)
        .env_remove("STUDYBOT_CONTENT")
        .output()
        .expect("runs studybot")
}

#[test]
fn notes_become_questions_by_field_names() {
    let (imported, media) =
        import_apkg(&package(), &ImportOptions::default(), "bio-media").expect("reads");
    let q = &imported.deck.questions;
    assert_eq!(q.len(), 3, "{:?}", imported.skipped);
    assert_eq!(q[0].question, "What is **mitosis**?");
    assert_eq!(q[0].title, "What is mitosis?");
    assert_eq!(
        q[0].answer,
        "Division into two cells.\n![](bio-media/mitosis%201.png)"
    );
    assert_eq!(q[0].analysis.as_deref(), Some("See also meiosis."));
    assert_eq!(q[0].tags, ["biology-cells", "exam"]);
    // Field names, not positions, say which is the question.
    assert_eq!(q[1].question, "TCP 是哪一层的协议？");
    assert_eq!(q[1].answer, "传输层");
    // A cloze note: hidden in the question, filled in bold in the answer.
    assert_eq!(q[2].question, "[city] is the capital of […].");
    assert_eq!(q[2].answer, "**Paris** is the capital of **France**.");
    assert_eq!(q[2].analysis.as_deref(), Some("Since 987."));
    let skipped: Vec<(usize, &str)> = imported
        .skipped
        .iter()
        .map(|n| (n.line, n.why.as_str()))
        .collect();
    assert_eq!(skipped, [(4, "note 4: the note's answer field is empty")]);
    assert_eq!(media.len(), 1, "only the images the notes show");
    assert_eq!(media[0].name, "mitosis 1.png");
    assert_eq!(media[0].bytes, PNG);
}

#[test]
fn the_cli_writes_the_deck_and_its_images_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Bio Deck.apkg"), package()).unwrap();
    std::fs::create_dir(dir.path().join("content")).unwrap();
    let out = studybot(&["import", "Bio Deck.apkg", "-o", "content"], dir.path());
    let report = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{report}");
    assert!(
        report.contains("Bio Deck.apkg:4: note 4: the note's answer field is empty"),
        "{report}"
    );
    assert!(
        report.contains("Bio Deck.apkg: 3 questions imported, 1 section skipped, 3 tags (biology-cells, exam, geo), read as an Anki package of 4 notes and 1 image → content/bio-deck.yaml"),
        "{report}"
    );
    let image = dir.path().join("content/bio-deck-media/mitosis 1.png");
    assert_eq!(std::fs::read(image).unwrap(), PNG);
    let bank = Bank::load(&dir.path().join("content")).expect("the deck checks");
    assert_eq!(bank.questions().len(), 3);
}

#[test]
fn a_picture_on_the_front_becomes_the_questions_image() {
    let database = collection(&[(
        1001,
        "",
        "Which phase is this? <img src=\"phase.png\">\x1fAnaphase",
    )]);
    let package = zip(&[
        ("collection.anki2", &database),
        ("media", br#"{"0": "phase.png"}"#),
        ("0", PNG),
    ]);
    let (imported, _) = import_apkg(&package, &ImportOptions::default(), "m").expect("reads");
    assert_eq!(
        imported.deck.questions[0].image.as_deref(),
        Some("m/phase.png")
    );
    // Front pictures in a bank's deck on disk: written, checked, posted.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("cells.apkg"), package).unwrap();
    std::fs::create_dir(dir.path().join("content")).unwrap();
    let out = studybot(&["import", "cells.apkg", "-o", "content"], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bank = Bank::load(&dir.path().join("content")).expect("the deck checks");
    let image = bank.questions()[0].image.as_ref().expect("an image");
    assert_eq!(image.as_written(), "cells-media/phase.png");
}

#[test]
fn the_newer_format_and_other_files_are_refused_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let newer = zip(&[
        ("collection.anki2", b"dummy"),
        ("collection.anki21b", b"zstd"),
    ]);
    std::fs::write(dir.path().join("new.apkg"), newer).unwrap();
    std::fs::write(dir.path().join("broken.apkg"), b"PK not really").unwrap();
    std::fs::write(dir.path().join("nocol.apkg"), zip(&[("media", b"{}")])).unwrap();
    for (file, message) in [
        ("new.apkg", NEWER_FORMAT),
        ("broken.apkg", "not a zip archive, as an .apkg is"),
        (
            "nocol.apkg",
            "no collection.anki2 in it: is it an Anki deck package?",
        ),
    ] {
        let out = studybot(&["import", file], dir.path());
        assert!(!out.status.success());
        let report = String::from_utf8_lossy(&out.stderr);
        assert!(
            report.starts_with(&format!("{file}: {message}")),
            "{report}"
        );
        assert_eq!(report.trim_end().lines().count(), 1, "{report}");
    }
    assert!(NEWER_FORMAT.contains("tick 'Support older Anki versions'"));
}
