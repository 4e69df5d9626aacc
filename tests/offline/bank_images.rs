//! A question's `image:`: checked by `studybot check` (a file beside the
//! deck that every platform can show, or an https address), and shown at
//! the terminal as its path.

use std::path::Path;

use crate::support::images::ImageBank;
use crate::support::{outcome, studybot};

fn content_with(images: &[&str]) -> ImageBank {
    ImageBank::new(images)
}

#[test]
fn good_images_check_clean() {
    let dir = content_with(&["img/cell.png", "https://example.org/cell.jpg"]);
    let (code, stdout, stderr) = outcome(&mut studybot(["check", "content"], dir.dir.path()));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("2 questions in all"), "{stdout}");
}

#[test]
fn each_bad_image_is_reported_at_its_line() {
    let dir = content_with(&[
        "img/missing.png",
        "notes.txt",
        "http://example.org/cell.png",
        "../outside.png",
    ]);
    let (code, _, stderr) = outcome(&mut studybot(["check", "content"], dir.dir.path()));
    assert_eq!(code, Some(1), "{stderr}");
    let deck = Path::new("content").join("pics.yaml");
    for (line, problem) in [
        (8, "image `img/missing.png`: cannot be read"),
        (13, "image `notes.txt`: is not a PNG or JPEG picture"),
        (18, "only https:// addresses"),
        (23, "inside the deck's folder"),
    ] {
        let at = format!("{}:{line}:12: ", deck.display());
        assert!(
            stderr
                .lines()
                .any(|l| l.contains(&at) && l.contains(problem)),
            "no `{at}…{problem}` in:\n{stderr}"
        );
    }
}

#[test]
fn the_terminal_shows_the_pictures_path() {
    let dir = content_with(&["img/cell.png"]);
    let mut command = studybot(["chat", "--memory"], dir.dir.path());
    command
        .env("STUDYBOT_CONTENT", dir.content())
        .env("STUDYBOT_LANG", "en")
        .stdin(std::process::Stdio::piped());
    let mut child = command
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"/ask\n").unwrap();
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let shown = dir.content().join("img/cell.png");
    assert!(
        stdout.contains(&format!("🖼 {}", shown.display())),
        "{stdout}"
    );
}
