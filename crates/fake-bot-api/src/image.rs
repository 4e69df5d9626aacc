//! What Telegram checks of an uploaded photo before it shows one: that the bytes are an image it
//! can read (PNG or JPEG here, recognised by their signatures, never by the part's content
//! type), at most 10 MB, whose width and height add up to at most 10 000 with a ratio of at
//! most 20 (Bot API, sendPhoto). The size comes from PNG's `IHDR` or JPEG's `SOF` segment.

use crate::reply::Failure;

/// The most bytes Telegram takes for a photo uploaded with multipart/form-data.
pub(crate) const MAX_PHOTO_BYTES: usize = 10 * 1024 * 1024;
/// The most `width + height` Telegram takes.
const MAX_SIDES_SUM: u64 = 10_000;
/// The most `long side / short side` Telegram takes.
const MAX_RATIO: u64 = 20;

/// An image format the fake reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Png,
    Jpeg,
}

/// An image's format and size in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ImageSize {
    pub format: Format,
    pub width: u32,
    pub height: u32,
}

/// Checks an uploaded photo as Telegram does and reads its size.
pub(crate) fn check_photo(bytes: &[u8]) -> Result<ImageSize, Failure> {
    if bytes.is_empty() {
        return Err(Failure::bad_request("file must be non-empty"));
    }
    if bytes.len() > MAX_PHOTO_BYTES {
        // Telegram refuses a photo over 10 MB (Bot API, sendPhoto); this is the wording its
        // servers use for a photo file they cannot save.
        return Err(Failure::bad_request("PHOTO_SAVE_FILE_INVALID"));
    }
    let size = read_size(bytes).ok_or_else(|| Failure::bad_request("IMAGE_PROCESS_FAILED"))?;
    let (long, short) = (
        size.width.max(size.height) as u64,
        size.width.min(size.height) as u64,
    );
    if long + short > MAX_SIDES_SUM || long > short * MAX_RATIO {
        return Err(Failure::bad_request("PHOTO_INVALID_DIMENSIONS"));
    }
    Ok(size)
}

/// The image's format and size, if it is a PNG or JPEG with a readable header and no side 0.
pub(crate) fn read_size(bytes: &[u8]) -> Option<ImageSize> {
    let size = png_size(bytes).or_else(|| jpeg_size(bytes))?;
    (size.width > 0 && size.height > 0).then_some(size)
}

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// PNG: the signature, then the `IHDR` chunk first: length 13, width and height big-endian.
fn png_size(bytes: &[u8]) -> Option<ImageSize> {
    let rest = bytes.strip_prefix(PNG_SIGNATURE)?;
    if rest.get(4..8)? != b"IHDR" || u32_be(rest.get(0..4)?) != 13 || rest.len() < 8 + 13 + 4 {
        return None;
    }
    Some(ImageSize {
        format: Format::Png,
        width: u32_be(&rest[8..12]),
        height: u32_be(&rest[12..16]),
    })
}

/// JPEG: SOI, then segments until a start-of-frame (`SOF0`–`SOF15` but `DHT`, `JPG`, `DAC`),
/// whose payload is precision, height, width.
fn jpeg_size(bytes: &[u8]) -> Option<ImageSize> {
    let mut at = 2;
    if bytes.get(0..2)? != [0xFF, 0xD8] {
        return None;
    }
    loop {
        if *bytes.get(at)? != 0xFF {
            return None;
        }
        let marker = *bytes.get(at + 1)?;
        match marker {
            // Fill bytes, and markers that stand alone (TEM, RSTn).
            0xFF => at += 1,
            0x01 | 0xD0..=0xD7 => at += 2,
            // End of image or start of scan before any frame header.
            0xD9 | 0xDA => return None,
            _ => {
                let length = u16_be(bytes.get(at + 2..at + 4)?) as usize;
                let is_frame =
                    matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
                if is_frame {
                    let frame = bytes.get(at + 4..at + 9)?;
                    return Some(ImageSize {
                        format: Format::Jpeg,
                        height: u16_be(&frame[1..3]) as u32,
                        width: u16_be(&frame[3..5]) as u32,
                    });
                }
                if length < 2 {
                    return None;
                }
                at += 2 + length;
            }
        }
    }
}

fn u32_be(bytes: &[u8]) -> u32 {
    u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
}

fn u16_be(bytes: &[u8]) -> u16 {
    u16::from_be_bytes([bytes[0], bytes[1]])
}

/// A minimal PNG header of the given size (signature, `IHDR`, its CRC left zero): enough for
/// the checks above, for tests.
#[cfg(test)]
pub(crate) fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut png = PNG_SIGNATURE.to_vec();
    png.extend_from_slice(&13u32.to_be_bytes());
    png.extend_from_slice(b"IHDR");
    png.extend_from_slice(&width.to_be_bytes());
    png.extend_from_slice(&height.to_be_bytes());
    png.extend_from_slice(&[8, 6, 0, 0, 0]);
    png.extend_from_slice(&[0; 4]);
    png
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(width: u16, height: u16) -> Vec<u8> {
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x4A, 0x46];
        jpeg.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 0x08]);
        jpeg.extend_from_slice(&height.to_be_bytes());
        jpeg.extend_from_slice(&width.to_be_bytes());
        jpeg.extend_from_slice(&[0x03; 10]);
        jpeg
    }

    #[test]
    fn png_and_jpeg_sizes_are_read() {
        assert_eq!(
            check_photo(&png_header(640, 360)).unwrap(),
            ImageSize {
                format: Format::Png,
                width: 640,
                height: 360
            }
        );
        let size = check_photo(&jpeg(800, 600)).unwrap();
        assert_eq!(
            (size.format, size.width, size.height),
            (Format::Jpeg, 800, 600)
        );
    }

    #[test]
    fn what_telegram_refuses_is_refused() {
        let refusal = |bytes: &[u8]| check_photo(bytes).unwrap_err().description;
        assert_eq!(refusal(b""), "Bad Request: file must be non-empty");
        assert_eq!(refusal(b"GIF89a...."), "Bad Request: IMAGE_PROCESS_FAILED");
        assert_eq!(
            refusal(&png_header(0, 10)),
            "Bad Request: IMAGE_PROCESS_FAILED"
        );
        assert_eq!(
            refusal(&png_header(5001, 5000)),
            "Bad Request: PHOTO_INVALID_DIMENSIONS"
        );
        assert_eq!(
            refusal(&png_header(2100, 100)),
            "Bad Request: PHOTO_INVALID_DIMENSIONS"
        );
        assert!(check_photo(&png_header(2000, 100)).is_ok());
        let mut huge = png_header(100, 100);
        huge.resize(MAX_PHOTO_BYTES + 1, 0);
        assert_eq!(refusal(&huge), "Bad Request: PHOTO_SAVE_FILE_INVALID");
    }
}
