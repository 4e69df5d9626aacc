//! Quiz and regular polls: `sendPoll` and `stopPoll` within the Bot API's limits, and members'
//! answers pushed by tests as `poll_answer` updates. A poll lives in its message
//! (`Content::Poll`); this module holds the limits, the checks and the JSON.
//!
//! Limits (Bot API 9.1, <https://core.telegram.org/bots/api#sendpoll>): question 1–300
//! characters; 2–10 options of 1–100 characters; a quiz needs `correct_option_id` in range;
//! explanation 0–200 characters with at most 2 line feeds; polls in channels must be anonymous.
//! `poll_answer` updates come only for non-anonymous polls.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Value, json};

use crate::chats::Content;
use crate::config::User;
use crate::reply::Failure;
use crate::state::Inner;

pub(crate) const MAX_QUESTION: usize = 300;
pub(crate) const MIN_OPTIONS: usize = 2;
pub(crate) const MAX_OPTIONS: usize = 10;
pub(crate) const MAX_OPTION: usize = 100;
pub(crate) const MAX_EXPLANATION: usize = 200;
pub(crate) const MAX_EXPLANATION_LINE_FEEDS: usize = 2;

/// A poll as the fake keeps it (and as tests read it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PollState {
    pub id: String,
    pub chat_id: i64,
    pub message_id: i32,
    pub question: String,
    pub options: Vec<String>,
    pub quiz: bool,
    pub correct_option_id: Option<u8>,
    pub explanation: Option<String>,
    pub is_anonymous: bool,
    pub is_closed: bool,
    /// Each voter's current options.
    pub votes: BTreeMap<i64, Vec<u8>>,
}

impl PollState {
    pub fn voter_count(&self, option: usize) -> usize {
        let option = u8::try_from(option).unwrap_or(u8::MAX);
        self.votes.values().filter(|v| v.contains(&option)).count()
    }

    /// Telegram's `Poll` object.
    pub(crate) fn json(&self) -> Value {
        let options: Vec<Value> = (self.options.iter().enumerate())
            .map(|(i, text)| json!({ "text": text, "voter_count": self.voter_count(i) }))
            .collect();
        let mut poll = json!({
            "id": self.id,
            "question": self.question,
            "options": options,
            "total_voter_count": self.votes.len(),
            "is_closed": self.is_closed,
            "is_anonymous": self.is_anonymous,
            "type": if self.quiz { "quiz" } else { "regular" },
            "allows_multiple_answers": false,
        });
        if let Some(correct) = self.correct_option_id {
            poll["correct_option_id"] = json!(correct);
        }
        if let Some(explanation) = &self.explanation {
            poll["explanation"] = json!(explanation);
        }
        poll
    }
}

/// What `sendPoll` asks for, before it is checked.
pub(crate) struct NewPoll<'a> {
    pub question: &'a str,
    pub options: Vec<String>,
    pub quiz: bool,
    pub correct_option_id: Option<i64>,
    pub explanation: Option<&'a str>,
    pub is_anonymous: bool,
    pub in_channel: bool,
}

/// Checks a new poll against Telegram's limits.
pub(crate) fn check(poll: &NewPoll) -> Result<(), Failure> {
    let bad = |d: &str| Err(Failure::bad_request(d));
    let question = poll.question.trim();
    if question.is_empty() {
        return bad("poll question must be non-empty");
    }
    if question.chars().count() > MAX_QUESTION {
        return bad("poll question length must not exceed 300");
    }
    if poll.options.len() < MIN_OPTIONS {
        return bad("poll must have at least 2 option");
    }
    if poll.options.len() > MAX_OPTIONS {
        return bad("poll can't have more than 10 options");
    }
    if poll.options.iter().any(|o| o.trim().is_empty()) {
        return bad("poll options must be non-empty");
    }
    if poll.options.iter().any(|o| o.chars().count() > MAX_OPTION) {
        return bad("poll options length must not exceed 100");
    }
    let in_range = |c: i64| usize::try_from(c).is_ok_and(|c| c < poll.options.len());
    match (poll.quiz, poll.correct_option_id) {
        (true, None) => return bad("quiz poll must have exactly one correct option"),
        (true, Some(c)) if !in_range(c) => return bad("wrong correct option ID specified"),
        (false, Some(_)) => return bad("correct option ID can be specified only for quizzes"),
        _ => {}
    }
    if let Some(explanation) = poll.explanation {
        if !poll.quiz {
            return bad("explanation can be specified only for quizzes");
        }
        let too_long = explanation.chars().count() > MAX_EXPLANATION;
        if too_long || explanation.matches('\n').count() > MAX_EXPLANATION_LINE_FEEDS {
            return bad("POLL_EXPLANATION_INVALID");
        }
    }
    if poll.in_channel && !poll.is_anonymous {
        return bad("non-anonymous polls can't be sent to channel chats");
    }
    Ok(())
}

/// The poll `poll_id` in `inner`, wherever it was sent.
pub(crate) fn find<'a>(inner: &'a mut Inner, poll_id: &str) -> Option<&'a mut PollState> {
    let (chat_id, message_id) = *inner.polls.get(poll_id)?;
    let stored = inner.chats.get(chat_id).messages.get_mut(&message_id)?;
    match &mut stored.content {
        Content::Poll(poll) => Some(poll),
        _ => None,
    }
}

/// Every poll sent, in the order sent.
pub(crate) fn all(inner: &mut Inner) -> Vec<PollState> {
    let mut ids: Vec<String> = inner.polls.keys().cloned().collect();
    ids.sort();
    ids.iter()
        .filter_map(|id| find(inner, id).cloned())
        .collect()
}

/// A member answers a poll (empty `options`: takes the vote back); queues `poll_answer`.
pub(crate) fn answer(
    inner: &mut Inner,
    poll_id: &str,
    from: &User,
    options: &[u8],
) -> Result<(), String> {
    inner.chats.remember(from);
    let poll = find(inner, poll_id).ok_or_else(|| format!("no poll {poll_id}"))?;
    if poll.is_closed {
        return Err(format!("poll {poll_id} is closed"));
    }
    if options.len() > 1 {
        return Err("these polls take one answer".into());
    }
    if let Some(&bad) = options
        .iter()
        .find(|&&o| usize::from(o) >= poll.options.len())
    {
        return Err(format!("poll {poll_id} has no option {bad}"));
    }
    // A quiz answer cannot be changed in Telegram's apps; a regular vote can be retracted.
    if poll.quiz && poll.votes.contains_key(&from.id) {
        return Err(format!("user {} already answered quiz {poll_id}", from.id));
    }
    if options.is_empty() {
        poll.votes.remove(&from.id);
    } else {
        poll.votes.insert(from.id, options.to_vec());
    }
    let anonymous = poll.is_anonymous;
    if !anonymous {
        let update = json!({
            "poll_id": poll_id,
            "user": crate::json::user(from),
            "option_ids": options,
        });
        inner.updates.push("poll_answer", update);
    }
    Ok(())
}
