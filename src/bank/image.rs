//! A question's `image:`: a PNG or JPEG beside the deck, or an https URL.
//!
//! A file is checked when the bank loads (so `studybot check` reports it)
//! against what every platform accepts as a photo: Telegram's 10 MB,
//! width + height ≤ 10,000 and a side ratio ≤ 20. Only its header is read;
//! the bytes are read again when the question is posted, so a bank of
//! pictures costs no memory while it waits. A URL is checked for its form
//! only: the platform fetches it when it posts.

use std::fs::File;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use serde_yaml::Value;

use super::locate::child;
use super::parse::{Walker, field, kind};

/// Telegram's limit on an uploaded photo (Discord's default is 10 MiB).
pub const MAX_IMAGE_BYTES: u64 = 10_000_000;
/// Telegram: "the photo's width and height must not exceed 10000 in total".
const MAX_SIDES_SUM: u32 = 10_000;
/// Telegram: "width and height ratio must be at most 20".
const MAX_RATIO: u32 = 20;
/// Enough of a file for its size: a JPEG's frame header may follow EXIF
/// data of up to 64 KB, and thumbnails.
const HEADER_BYTES: u64 = 256 * 1024;
const MAX_URL_CHARS: usize = 2048;

/// Where a question's picture comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuestionImage {
    /// A checked PNG or JPEG file: the path as the deck writes it (relative
    /// to the deck's folder) and where it is.
    File { written: String, path: PathBuf },
    /// An `https://` address the platform fetches.
    Url(String),
}

impl QuestionImage {
    /// The value as the deck file writes it.
    pub fn as_written(&self) -> &str {
        match self {
            QuestionImage::File { written, .. } => written,
            QuestionImage::Url(url) => url,
        }
    }
}

/// A picture's kind and size, read from its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageInfo {
    pub kind: ImageKind,
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Png,
    Jpeg,
}

impl ImageKind {
    pub fn mime(self) -> &'static str {
        match self {
            ImageKind::Png => "image/png",
            ImageKind::Jpeg => "image/jpeg",
        }
    }
}

impl Walker<'_> {
    /// The question's `image:`, if it has one and it is good; the problem
    /// is recorded at the value otherwise.
    pub(super) fn image(&mut self, fields: &[(&str, &Value)], path: &str) -> Option<QuestionImage> {
        let value = field(fields, "image")?;
        let pos = self.positions.value(&child(path, "image"));
        let checked = match value {
            Value::String(written) if !written.trim().is_empty() => check(written, self.path),
            other => Err(format!(
                "`image` must be a file name beside the deck or an https:// URL, found {}",
                kind(other)
            )),
        };
        checked.map_err(|message| self.error(pos, message)).ok()
    }
}

/// Checks `written` (the `image:` value of a deck at `deck_path`); the error
/// is a complete message.
pub fn check(written: &str, deck_path: &Path) -> Result<QuestionImage, String> {
    let written = written.trim();
    if written.contains("://") {
        return check_url(written).map(|()| QuestionImage::Url(written.to_string()));
    }
    let relative = Path::new(written);
    let escapes = relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir));
    if escapes {
        return Err(format!(
            "image `{written}` must be a path inside the deck's folder (no `/` at the start, no `..`) or an https:// URL"
        ));
    }
    let folder = deck_path.parent().unwrap_or(Path::new("."));
    let path = folder.join(relative);
    check_file(&path).map_err(|problem| format!("image `{written}`: {problem}"))?;
    Ok(QuestionImage::File {
        written: written.to_string(),
        path,
    })
}

fn check_url(url: &str) -> Result<(), String> {
    let parsed =
        url::Url::parse(url).map_err(|e| format!("image `{url}` is not a valid URL: {e}"))?;
    if parsed.scheme() != "https" {
        return Err(format!(
            "image `{url}`: only https:// addresses can be fetched by the platforms"
        ));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(format!("image `{url}` has no host"));
    }
    if url.chars().count() > MAX_URL_CHARS {
        return Err(format!(
            "image URL is longer than {MAX_URL_CHARS} characters"
        ));
    }
    Ok(())
}

/// The file's kind and size when every platform can show it.
pub fn check_file(path: &Path) -> Result<ImageInfo, String> {
    let file = File::open(path).map_err(|e| format!("cannot be read ({e})"))?;
    let meta = file
        .metadata()
        .map_err(|e| format!("cannot be read ({e})"))?;
    if !meta.is_file() {
        return Err("is not a file".into());
    }
    if meta.len() > MAX_IMAGE_BYTES {
        return Err(format!(
            "is {:.1} MB; a photo may be at most 10 MB",
            meta.len() as f64 / 1e6
        ));
    }
    let mut header = Vec::new();
    file.take(HEADER_BYTES)
        .read_to_end(&mut header)
        .map_err(|e| format!("cannot be read ({e})"))?;
    let info = info(&header).ok_or("is not a PNG or JPEG picture")?;
    check_size(info)?;
    Ok(info)
}

fn check_size(info: ImageInfo) -> Result<(), String> {
    let (w, h) = (info.width, info.height);
    if w == 0 || h == 0 {
        return Err("has no pixels".into());
    }
    if w.saturating_add(h) > MAX_SIDES_SUM {
        return Err(format!(
            "is {w}×{h}; width and height may add up to at most {MAX_SIDES_SUM}"
        ));
    }
    if u64::from(w.max(h)) > u64::from(w.min(h)) * u64::from(MAX_RATIO) {
        return Err(format!(
            "is {w}×{h}; one side may be at most {MAX_RATIO} times the other"
        ));
    }
    Ok(())
}

/// Kind and size from a PNG's IHDR or a JPEG's start-of-frame marker.
pub fn info(bytes: &[u8]) -> Option<ImageInfo> {
    png_info(bytes).or_else(|| jpeg_info(bytes))
}

fn png_info(bytes: &[u8]) -> Option<ImageInfo> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    if !bytes.starts_with(SIGNATURE) || bytes.get(12..16)? != b"IHDR" {
        return None;
    }
    Some(ImageInfo {
        kind: ImageKind::Png,
        width: u32::from_be_bytes(bytes.get(16..20)?.try_into().ok()?),
        height: u32::from_be_bytes(bytes.get(20..24)?.try_into().ok()?),
    })
}

/// Walks the JPEG's markers to the first start-of-frame (SOF0–SOF15 but
/// DHT, JPG and DAC), which holds the height then the width.
fn jpeg_info(bytes: &[u8]) -> Option<ImageInfo> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut at = 2;
    loop {
        while *bytes.get(at)? == 0xFF && *bytes.get(at + 1)? == 0xFF {
            at += 1; // fill bytes
        }
        if *bytes.get(at)? != 0xFF {
            return None;
        }
        let marker = *bytes.get(at + 1)?;
        let length = usize::from(u16::from_be_bytes([
            *bytes.get(at + 2)?,
            *bytes.get(at + 3)?,
        ]));
        let is_frame = (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker);
        if is_frame {
            let height = u16::from_be_bytes([*bytes.get(at + 5)?, *bytes.get(at + 6)?]);
            let width = u16::from_be_bytes([*bytes.get(at + 7)?, *bytes.get(at + 8)?]);
            return Some(ImageInfo {
                kind: ImageKind::Jpeg,
                width: u32::from(width),
                height: u32::from(height),
            });
        }
        if length < 2 {
            return None;
        }
        at += 2 + length;
    }
}

#[cfg(test)]
mod tests;
