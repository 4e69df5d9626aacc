use jiff::ToSpan;
use jiff::civil::{Date, date};
use sha2::{Digest, Sha256};

use super::*;

fn person() -> PersonalPicture {
    let today = date(2026, 12, 9); // a Wednesday
    let ratings_per_day = (0..120)
        .filter(|d| d % 3 != 0)
        .map(|d: i64| (today.checked_sub(d.days()).unwrap(), (d % 7 + 1) as u32))
        .collect();
    let remembered_by_week = (0..26)
        .map(|w| (w % 5 != 2).then_some(0.4 + (w % 4) as f32 * 0.15))
        .collect();
    PersonalPicture {
        today,
        ratings_per_day,
        remembered_by_week,
    }
}

fn group() -> GroupPicture {
    GroupPicture {
        days: (0..28)
            .map(|d| DayActivity {
                people: d % 5,
                ratings: (d % 5) * 3 + d % 2,
            })
            .collect(),
        hardest: vec![0.8, 0.55, 0.3],
    }
}

fn hex(png: &Png) -> String {
    Sha256::digest(&png.bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The RGB pixel at (x, y) of a decoded PNG.
fn pixel(png: &Png, x: u32, y: u32) -> [u8; 3] {
    let decoder = png::Decoder::new(std::io::Cursor::new(&png.bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let at = ((y * info.width + x) * 3) as usize;
    [buf[at], buf[at + 1], buf[at + 2]]
}

#[test]
fn the_same_figures_give_the_same_bytes() {
    let (a, b) = (person().render(), person().render());
    assert_eq!(a, b);
    assert_eq!(group().render(), group().render());
    assert_ne!(hex(&a), hex(&group().render()));
}

#[test]
fn pictures_are_small_and_of_a_fixed_size() {
    for png in [person().render(), group().render()] {
        assert!(png.bytes.len() <= 100 * 1024, "{} bytes", png.bytes.len());
        assert!(png.bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert!((100..=800).contains(&png.width), "{}", png.width);
        assert!((60..=400).contains(&png.height), "{}", png.height);
    }
    let p = person().render();
    assert_eq!((p.width, p.height), (378, 170));
    let g = group().render();
    assert_eq!((g.width, g.height), (406, 152));
}

#[test]
fn today_is_outlined_and_the_busiest_day_is_darkest() {
    let picture = person();
    let png = picture.render();
    // Today (a Wednesday) is in the last column, third row.
    let (x, y) = (8 + 25 * 14, 8 + 2 * 14);
    assert_eq!(pixel(&png, x - 1, y - 1), [36, 41, 47], "outline");
    // Thursday of this week is still to come: no cell.
    assert_eq!(pixel(&png, x + 5, y + 14 + 5), [255, 255, 255]);
    // A day with no rating (today - 3 days, d % 3 == 0) is empty grey.
    let first = picture.first_day();
    let index = |d: Date| (d - first).get_days() as u32;
    let empty = index(picture.today.checked_sub(3.days()).unwrap());
    let cell = |i: u32| (8 + (i / 7) * 14 + 5, 8 + (i % 7) * 14 + 5);
    let (ex, ey) = cell(empty);
    assert_eq!(pixel(&png, ex, ey), [235, 237, 240]);
    // 7 ratings (d % 7 == 6, d % 3 != 0: d = 20) is the busiest shade.
    let busy = index(picture.today.checked_sub(20.days()).unwrap());
    let (bx, by) = cell(busy);
    assert_eq!(pixel(&png, bx, by), [33, 110, 57]);
}

#[test]
fn nothing_to_show_still_draws_an_empty_picture() {
    let empty = PersonalPicture {
        today: date(2026, 1, 1),
        ratings_per_day: vec![(date(2020, 1, 1), 5)],
        remembered_by_week: vec![None; 26],
    };
    assert!(!empty.render().bytes.is_empty());
    let quiet = GroupPicture {
        days: vec![DayActivity::default(); 28],
        hardest: vec![],
    };
    let png = quiet.render();
    assert_eq!(png.height, 96, "no hard-question rows");
    // Out-of-range shares are clamped, never drawn outside.
    let odd = GroupPicture {
        days: vec![],
        hardest: vec![f32::NAN, -1.0, 7.0],
    };
    assert!(!odd.render().bytes.is_empty());
}

#[test]
fn a_sparkline_scales_to_its_largest_value() {
    assert_eq!(sparkline(&[0, 1, 2, 4, 8]), "▁▂▃▅█");
    assert_eq!(sparkline(&[0, 0]), "▁▁");
    assert_eq!(sparkline(&[]), "");
}

/// The pixels and size of a PNG (its compressed bytes depend on which
/// deflate backend the build's features pick; what it shows does not).
fn decoded(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    (info.width, info.height, pixels)
}

/// The README shows these two pictures (`docs/`): they must show what the
/// code draws for the same figures. `STUDYBOT_BLESS=1` writes them anew.
#[test]
fn the_pictures_in_docs_are_current() {
    let docs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    for (name, png) in [
        ("stats-personal.png", person().render()),
        ("stats-group.png", group().render()),
    ] {
        let path = docs.join(name);
        if std::env::var_os("STUDYBOT_BLESS").is_some() {
            std::fs::create_dir_all(&docs).unwrap();
            std::fs::write(&path, &png.bytes).unwrap();
        }
        let committed = std::fs::read(&path).unwrap_or_default();
        assert!(
            !committed.is_empty() && decoded(&committed) == decoded(&png.bytes),
            "{} is not what the code draws: run STUDYBOT_BLESS=1 cargo test --lib picture",
            path.display()
        );
    }
}
