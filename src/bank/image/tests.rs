use super::*;

/// A real PNG of `width`×`height` grey pixels.
pub(crate) fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Grayscale);
    let mut writer = encoder.write_header().unwrap();
    writer
        .write_image_data(&vec![128; (width * height) as usize])
        .unwrap();
    writer.finish().unwrap();
    out
}

/// The head of a JPEG: SOI, an APP0 segment, then a baseline frame header.
fn jpeg_head(width: u16, height: u16) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
    out.extend_from_slice(b"JFIF\0\x01\x01\x00\x00\x01\x00\x01\x00\x00");
    out.extend_from_slice(&[0xFF, 0xFF, 0xC0, 0x00, 0x11, 0x08]);
    out.extend_from_slice(&height.to_be_bytes());
    out.extend_from_slice(&width.to_be_bytes());
    out.extend_from_slice(&[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
    out
}

#[test]
fn sizes_are_read_from_png_and_jpeg_headers() {
    let info = info(&png(7, 3)).unwrap();
    assert_eq!((info.kind, info.width, info.height), (ImageKind::Png, 7, 3));
    let info = info_of_jpeg();
    assert_eq!(
        (info.kind, info.width, info.height),
        (ImageKind::Jpeg, 640, 480)
    );
    assert_eq!(super::info(b"GIF89a\x01\x00\x01\x00"), None);
    assert_eq!(super::info(&[0xFF, 0xD8, 0xFF]), None, "a cut JPEG");
    assert_eq!(super::info(b""), None);
}

fn info_of_jpeg() -> ImageInfo {
    super::info(&jpeg_head(640, 480)).unwrap()
}

#[test]
fn files_beside_the_deck_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let deck = dir.path().join("deck.yaml");
    std::fs::create_dir(dir.path().join("img")).unwrap();
    std::fs::write(dir.path().join("img/ok.png"), png(40, 20)).unwrap();
    std::fs::write(dir.path().join("thin.png"), png(420, 20)).unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a picture").unwrap();

    let image = check("img/ok.png", &deck).unwrap();
    assert_eq!(image.as_written(), "img/ok.png");
    assert!(matches!(image, QuestionImage::File { ref path, .. } if path.ends_with("img/ok.png")));

    let problem = |written: &str| check(written, &deck).unwrap_err();
    assert!(
        problem("missing.png").contains("cannot be read"),
        "{}",
        problem("missing.png")
    );
    assert!(problem("notes.txt").contains("not a PNG or JPEG"));
    assert!(
        problem("thin.png").contains("20 times"),
        "{}",
        problem("thin.png")
    );
    assert!(problem("../outside.png").contains("inside the deck's folder"));
    assert!(problem("/etc/passwd").contains("inside the deck's folder"));
}

#[test]
fn sizes_telegram_refuses_are_refused() {
    let at = |width, height| {
        check_size(ImageInfo {
            kind: ImageKind::Png,
            width,
            height,
        })
    };
    assert!(at(5000, 5000).is_ok());
    assert!(at(5001, 5000).unwrap_err().contains("10000"));
    assert!(at(2000, 100).is_ok(), "a ratio of exactly 20");
    assert!(at(2001, 100).is_err());
    assert!(at(0, 10).is_err());
}

#[test]
fn urls_must_be_https_with_a_host() {
    let deck = Path::new("content/deck.yaml");
    let url = "https://example.org/a%20b.png";
    assert_eq!(check(url, deck), Ok(QuestionImage::Url(url.to_string())));
    assert!(
        check("http://example.org/a.png", deck)
            .unwrap_err()
            .contains("https")
    );
    assert!(check("https://", deck).is_err());
    assert!(check("ftp://example.org/x.png", deck).is_err());
}
