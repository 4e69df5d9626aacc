//! Bytes to text: UTF-8 (with or without a BOM), UTF-16 with a BOM, and
//! GBK/GB18030 (detected with chardetng, decoded with encoding_rs), as
//! Chinese documents saved on Windows often are. Anything else is an error
//! naming the first bad byte. Line ends become `\n`; control characters
//! other than tab and newline are dropped and counted.

use encoding_rs::{DecoderResult, Encoding, GB18030, GBK, UTF_16BE, UTF_16LE};
use thiserror::Error;

/// A document's text and what reading it took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// The encoding it was read as (`UTF-8`, `UTF-16LE`, `GB18030`…).
    pub encoding: &'static str,
    /// Control characters dropped (other than tab and newline).
    pub dropped_controls: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DecodeError {
    #[error("not valid {encoding}: a malformed sequence at byte offset {offset}")]
    Malformed {
        encoding: &'static str,
        offset: usize,
    },
    #[error(
        "not UTF-8: byte 0x{byte:02X} at byte offset {offset} is invalid, and the text does not look like GBK/GB18030 either (it looks like {guess}); save it as UTF-8"
    )]
    Unknown {
        offset: usize,
        byte: u8,
        guess: &'static str,
    },
}

/// Reads a document's bytes as text.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        (utf8(rest, 3)?, "UTF-8")
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        (without_replacement(UTF_16LE, rest, 2)?, "UTF-16LE")
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        (without_replacement(UTF_16BE, rest, 2)?, "UTF-16BE")
    } else {
        match std::str::from_utf8(bytes) {
            Ok(text) => (text.to_owned(), "UTF-8"),
            Err(error) => (legacy(bytes, error.valid_up_to())?, "GB18030"),
        }
    };
    let (text, dropped_controls) = clean(&text);
    Ok(Decoded {
        text,
        encoding,
        dropped_controls,
    })
}

fn utf8(bytes: &[u8], skipped: usize) -> Result<String, DecodeError> {
    std::str::from_utf8(bytes)
        .map(str::to_owned)
        .map_err(|error| DecodeError::Malformed {
            encoding: "UTF-8",
            offset: skipped + error.valid_up_to(),
        })
}

/// Not UTF-8: GBK/GB18030 when chardetng says so, else an error at the
/// first byte that is not UTF-8.
fn legacy(bytes: &[u8], bad_at: usize) -> Result<String, DecodeError> {
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let guess = detector.guess(None, true);
    if guess == GBK || guess == GB18030 {
        without_replacement(GB18030, bytes, 0)
    } else {
        Err(DecodeError::Unknown {
            offset: bad_at,
            byte: bytes[bad_at],
            guess: guess.name(),
        })
    }
}

/// Decodes strictly: a malformed sequence is an error with its offset.
fn without_replacement(
    encoding: &'static Encoding,
    bytes: &[u8],
    skipped: usize,
) -> Result<String, DecodeError> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len() * 3);
    let mut text = String::with_capacity(capacity);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut text, true);
    match result {
        DecoderResult::InputEmpty => Ok(text),
        DecoderResult::Malformed(bad, extra) => Err(DecodeError::Malformed {
            encoding: encoding.name(),
            offset: skipped + read - usize::from(bad) - usize::from(extra),
        }),
        DecoderResult::OutputFull => Err(DecodeError::Malformed {
            encoding: encoding.name(),
            offset: skipped + read,
        }),
    }
}

/// `\r\n` and lone `\r` become `\n`; a leading BOM and control characters
/// other than tab and newline are dropped (counted).
fn clean(text: &str) -> (String, usize) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = String::with_capacity(text.len());
    let mut dropped = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\n' | '\t' => out.push(c),
            c if c.is_control() => dropped += 1,
            c => out.push(c),
        }
    }
    (out, dropped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_with_a_bom_and_line_ends() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "题目\r\nA\u{7}".encode_utf16() {
            bytes.extend(unit.to_le_bytes());
        }
        let decoded = decode(&bytes).expect("decodes");
        assert_eq!(decoded.text, "题目\nA");
        assert_eq!(decoded.encoding, "UTF-16LE");
        assert_eq!(decoded.dropped_controls, 1);
    }

    #[test]
    fn gbk_is_detected_and_latin1_is_refused_with_its_offset() {
        let text = "#### 1. 大模型训练中的挑战\n\n**题目：** 大模型训练中常见的技术挑战有哪些？\n\n**答案：** 计算资源需求、数据需求和模型参数量。\n";
        let (bytes, _, _) = GBK.encode(text);
        let decoded = decode(&bytes).expect("decodes");
        assert_eq!(decoded.text, text);
        assert_eq!(decoded.encoding, "GB18030");
        let error = decode(b"caf\xE9 au lait, r\xE9sum\xE9 de la question").unwrap_err();
        assert!(
            matches!(
                error,
                DecodeError::Unknown {
                    offset: 3,
                    byte: 0xE9,
                    ..
                }
            ),
            "{error}"
        );
    }
}
