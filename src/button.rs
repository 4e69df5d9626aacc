//! What a button carries, the same on every platform: Telegram's callback
//! data (≤ 64 bytes) and Discord's `custom_id` (≤ 100 characters).
//!
//! `v1:r:<question id>` reveals a question's answer. Anything else — an
//! older version, a forged string, a question id that cannot be — decodes
//! to nothing and the presser gets a polite notice.

use crate::post::Action;

const VERSION: &str = "v1";
/// Telegram's limit on callback data, the tighter of the platforms'
/// (Discord allows 100 characters).
pub const MAX_BYTES: usize = 64;

pub fn encode(action: &Action) -> String {
    let data = match action {
        Action::Reveal { question_id } => format!("{VERSION}:r:{question_id}"),
    };
    debug_assert!(data.len() <= MAX_BYTES, "bank ids are at most 48 bytes");
    data
}

pub fn decode(data: &str) -> Option<Action> {
    if data.len() > MAX_BYTES {
        return None;
    }
    let rest = data.strip_prefix(VERSION)?.strip_prefix(':')?;
    let (kind, arg) = rest.split_once(':')?;
    let id_ok = !arg.is_empty()
        && arg
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    match kind {
        "r" if id_ok => Some(Action::Reveal {
            question_id: arg.to_string(),
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_limit() {
        let action = Action::Reveal {
            question_id: "a".repeat(48),
        };
        let data = encode(&action);
        assert!(data.len() <= MAX_BYTES);
        assert_eq!(decode(&data), Some(action));
    }

    #[test]
    fn forged_and_stale_data_decode_to_nothing() {
        for data in [
            "",
            "v0:r:x",
            "v1:r:",
            "v1:x:abc",
            "v1:r:ABC",
            "v1:r:a b",
            "v1:r:../../etc",
            "v1",
            "v1:r",
        ] {
            assert_eq!(decode(data), None, "{data:?}");
        }
        assert_eq!(decode(&format!("v1:r:{}", "a".repeat(100))), None);
    }
}
