//! What a button carries, the same on every platform: Telegram's callback
//! data (≤ 64 bytes) and Discord's `custom_id` (≤ 100 characters).
//!
//! `v1:r:<question id>` reveals a question's answer; `v1:g:<grade>:<id>`
//! rates one's recall of a reveal (grade 1–4: Again, Hard, Good, Easy) and
//! `v1:n:<grade>:<id>` does so for a card of one's `/review`, which brings
//! the next; `v1:s:<id>` shows a review card's answer; `v1:o:review` opens
//! the review in private; `v1:o:start` starts it where it is pressed (a
//! reminder's button); `v1:f:me` confirms `/forget`; `v1:p:<id>` reports a
//! problem with a question; `v1:u:<step>[:<n>]` is a step of `/suggest`
//! (`o:<chat>` opens the form, `s:0`/`c:0` send or cancel a draft,
//! `a:`/`e:`/`x:<id>` approve, edit or reject a suggestion). Anything else — an older version, a forged
//! string, a question id that cannot be — decodes to nothing and the
//! presser gets a polite notice.

use crate::learn::Rating;
use crate::post::{Action, SuggestAction};

const VERSION: &str = "v1";
/// Telegram's limit on callback data, the tighter of the platforms'
/// (Discord allows 100 characters).
pub const MAX_BYTES: usize = 64;

pub fn encode(action: &Action) -> String {
    let data = match action {
        Action::Reveal { question_id } => format!("{VERSION}:r:{question_id}"),
        Action::Rate {
            question_id,
            rating,
            in_review,
        } => {
            let kind = if *in_review { "n" } else { "g" };
            format!("{VERSION}:{kind}:{}:{question_id}", rating.grade())
        }
        Action::ShowCard { question_id } => format!("{VERSION}:s:{question_id}"),
        Action::OpenReview => format!("{VERSION}:o:review"),
        Action::StartReview => format!("{VERSION}:o:start"),
        Action::Forget => format!("{VERSION}:f:me"),
        Action::Report { question_id } => format!("{VERSION}:p:{question_id}"),
        Action::Choose {
            question_id,
            choice,
        } => format!("{VERSION}:c:{choice}:{question_id}"),
        Action::Suggestion(step) => encode_suggestion(*step),
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
    match kind {
        "r" if id_ok(arg) => Some(Action::Reveal {
            question_id: arg.to_string(),
        }),
        "p" if id_ok(arg) => Some(Action::Report {
            question_id: arg.to_string(),
        }),
        "s" if id_ok(arg) => Some(Action::ShowCard {
            question_id: arg.to_string(),
        }),
        "g" | "n" => {
            let (grade, id) = arg.split_once(':')?;
            let rating = Rating::from_grade(grade.parse().ok()?)?;
            id_ok(id).then(|| Action::Rate {
                question_id: id.to_string(),
                rating,
                in_review: kind == "n",
            })
        }
        "c" => {
            let (digits, id) = arg.split_once(':')?;
            let choice: u8 = digits.parse().ok()?;
            let canonical = choice.to_string() == digits;
            let in_range = usize::from(choice) < crate::bank::rules::MAX_CHOICES;
            (canonical && in_range && id_ok(id)).then(|| Action::Choose {
                question_id: id.to_string(),
                choice,
            })
        }
        "o" if arg == "review" => Some(Action::OpenReview),
        "o" if arg == "start" => Some(Action::StartReview),
        "f" if arg == "me" => Some(Action::Forget),
        "u" => decode_suggestion(arg).map(Action::Suggestion),
        _ => None,
    }
}

fn encode_suggestion(step: SuggestAction) -> String {
    let (kind, n) = match step {
        SuggestAction::Open { chat_id } => ("o", chat_id),
        SuggestAction::Send => ("s", 0),
        SuggestAction::Cancel => ("c", 0),
        SuggestAction::Approve { id } => ("a", id),
        SuggestAction::Edit { id } => ("e", id),
        SuggestAction::Reject { id } => ("x", id),
    };
    format!("{VERSION}:u:{kind}:{n}")
}

fn decode_suggestion(arg: &str) -> Option<SuggestAction> {
    let (kind, digits) = arg.split_once(':')?;
    let n: i64 = digits.parse().ok()?;
    if n.to_string() != digits {
        return None;
    }
    match kind {
        "o" => Some(SuggestAction::Open { chat_id: n }),
        "s" if n == 0 => Some(SuggestAction::Send),
        "c" if n == 0 => Some(SuggestAction::Cancel),
        "a" if n > 0 => Some(SuggestAction::Approve { id: n }),
        "e" if n > 0 => Some(SuggestAction::Edit { id: n }),
        "x" if n > 0 => Some(SuggestAction::Reject { id: n }),
        _ => None,
    }
}

/// A bank id: `[a-z0-9-]+`.
fn id_ok(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
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
    fn every_action_round_trips_within_the_limit() {
        let id = "a".repeat(48);
        let mut actions = vec![
            Action::ShowCard {
                question_id: id.clone(),
            },
            Action::OpenReview,
            Action::StartReview,
            Action::Forget,
            Action::Report {
                question_id: id.clone(),
            },
            Action::Choose {
                question_id: id.clone(),
                choice: 9,
            },
            Action::Suggestion(SuggestAction::Open {
                chat_id: -1_001_234_567_890,
            }),
            Action::Suggestion(SuggestAction::Open { chat_id: i64::MIN }),
            Action::Suggestion(SuggestAction::Send),
            Action::Suggestion(SuggestAction::Cancel),
            Action::Suggestion(SuggestAction::Approve { id: i64::MAX }),
            Action::Suggestion(SuggestAction::Edit { id: 7 }),
            Action::Suggestion(SuggestAction::Reject { id: 1 }),
        ];
        for rating in Rating::ALL {
            for in_review in [false, true] {
                actions.push(Action::Rate {
                    question_id: id.clone(),
                    rating,
                    in_review,
                });
            }
        }
        for action in actions {
            let data = encode(&action);
            assert!(data.len() <= MAX_BYTES, "{data}");
            assert_eq!(decode(&data), Some(action));
        }
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
            "v1:g:5:abc",
            "v1:g:0:abc",
            "v1:g:3:",
            "v1:g:3",
            "v1:n:x:abc",
            "v1:s:A",
            "v1:o:other",
            "v1:p:",
            "v1:p:A b",
            "v1:c:10:abc",
            "v1:c:01:abc",
            "v1:c:-1:abc",
            "v1:c:1:",
            "v1:u:s:1",
            "v1:u:a:0",
            "v1:u:x:-3",
            "v1:u:e:07",
            "v1:u:o:",
            "v1:u:q:5",
        ] {
            assert_eq!(decode(data), None, "{data:?}");
        }
        assert_eq!(decode(&format!("v1:r:{}", "a".repeat(100))), None);
    }
}
