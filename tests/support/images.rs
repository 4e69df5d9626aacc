//! Banks with pictures: a real PNG, and a content folder whose one deck
//! gives each question an `image:` (a file in `img/` or a URL).

use std::path::PathBuf;

/// A real `width`×`height` grey PNG.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Grayscale);
    let mut writer = encoder.write_header().expect("a PNG header");
    let pixels = vec![200; (width * height) as usize];
    writer.write_image_data(&pixels).expect("PNG pixels");
    writer.finish().expect("a whole PNG");
    out
}

/// A deck `pics` whose question `p<n>` shows `images[n]`.
pub fn deck(images: &[&str]) -> String {
    let mut text = "deck: pics\ntitle: Pictures\nlanguage: en\nquestions:\n".to_string();
    for (n, image) in images.iter().enumerate() {
        text.push_str(&format!(
            "  - id: p{n}\n    title: Picture {n}\n    question: What is shown?\n    image: {image}\n    answer: A cell.\n"
        ));
    }
    text
}

/// A folder holding `content/` with that deck, `content/img/cell.png`
/// (30×20) and `content/notes.txt` (not a picture).
pub struct ImageBank {
    pub dir: tempfile::TempDir,
}

impl ImageBank {
    pub fn new(images: &[&str]) -> ImageBank {
        let dir = tempfile::tempdir().expect("a temp dir");
        let content = dir.path().join("content");
        std::fs::create_dir_all(content.join("img")).expect("content/img");
        std::fs::write(content.join("img/cell.png"), png(30, 20)).expect("the PNG");
        std::fs::write(content.join("notes.txt"), "not a picture").expect("notes");
        std::fs::write(content.join("pics.yaml"), deck(images)).expect("the deck");
        ImageBank { dir }
    }

    pub fn content(&self) -> PathBuf {
        self.dir.path().join("content")
    }
}
