//! The Bot API's answer envelope. Every method ends in an [`Answer`]: `{"ok":true,"result":…}`,
//! `{"ok":false,"error_code":…,"description":…,"parameters":…}` with the same HTTP status
//! Telegram uses, or a dropped connection. Error constructors carry Telegram's exact wording
//! because teloxide matches descriptions verbatim.

use serde_json::{Value, json};

use crate::records::Outcome;

/// An error answer and how it is classified in the records.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Failure {
    pub code: u16,
    pub description: String,
    pub parameters: Option<Value>,
    pub outcome: Outcome,
}

impl Failure {
    /// 400 "Bad Request: {what}" — the bot sent something Telegram refuses.
    pub fn bad_request(what: impl std::fmt::Display) -> Failure {
        Failure {
            code: 400,
            description: format!("Bad Request: {what}"),
            parameters: None,
            outcome: Outcome::Rejected,
        }
    }

    /// 400 "Bad Request: {what}" for a well-formed request the chat's rights forbid (the bot
    /// cannot know them in advance, so this is not counted as the bot's mistake).
    pub fn denied(what: impl std::fmt::Display) -> Failure {
        Failure {
            outcome: Outcome::Denied,
            ..Failure::bad_request(what)
        }
    }

    pub fn unauthorized() -> Failure {
        Failure::plain(401, "Unauthorized", Outcome::Rejected)
    }

    pub fn not_found() -> Failure {
        Failure::plain(404, "Not Found", Outcome::Rejected)
    }

    /// 409: a newer `getUpdates` took over from this one.
    pub fn conflict() -> Failure {
        let text = "Conflict: terminated by other getUpdates request; \
                    make sure that only one bot instance is running";
        Failure::plain(409, text, Outcome::Rejected)
    }

    /// 409: `getUpdates` while a webhook is set.
    pub fn webhook_active() -> Failure {
        let text = "Conflict: can't use getUpdates method while webhook is active; \
                    use deleteWebhook to delete the webhook first";
        Failure::plain(409, text, Outcome::Rejected)
    }

    /// 429 with `parameters.retry_after`.
    pub fn retry_after(seconds: u32, outcome: Outcome) -> Failure {
        Failure {
            code: 429,
            description: format!("Too Many Requests: retry after {seconds}"),
            parameters: Some(json!({ "retry_after": seconds })),
            outcome,
        }
    }

    /// 403 with the given description (e.g. "Forbidden: bot was kicked from the group chat").
    pub fn forbidden(description: &str) -> Failure {
        Failure::plain(403, description, Outcome::Fault)
    }

    /// 400 with `parameters.migrate_to_chat_id`.
    pub fn migrated(to: i64) -> Failure {
        Failure {
            code: 400,
            description: "Bad Request: group chat was upgraded to a supergroup chat".to_string(),
            parameters: Some(json!({ "migrate_to_chat_id": to })),
            outcome: Outcome::Fault,
        }
    }

    pub fn server_error() -> Failure {
        Failure::plain(500, "Internal Server Error", Outcome::Fault)
    }

    fn plain(code: u16, description: &str, outcome: Outcome) -> Failure {
        Failure {
            code,
            description: description.to_string(),
            parameters: None,
            outcome,
        }
    }
}

/// The fake's answer to one request.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Answer {
    Ok(Value),
    Err(Failure),
    /// Close the connection without a response.
    Drop,
}

impl From<Result<Value, Failure>> for Answer {
    fn from(result: Result<Value, Failure>) -> Answer {
        match result {
            Ok(value) => Answer::Ok(value),
            Err(failure) => Answer::Err(failure),
        }
    }
}

impl Answer {
    /// HTTP status (0 for a dropped connection).
    pub fn status(&self) -> u16 {
        match self {
            Answer::Ok(_) => 200,
            Answer::Err(failure) => failure.code,
            Answer::Drop => 0,
        }
    }

    pub fn outcome(&self) -> Outcome {
        match self {
            Answer::Ok(_) => Outcome::Ok,
            Answer::Err(failure) => failure.outcome,
            Answer::Drop => Outcome::Dropped,
        }
    }

    /// The JSON body Telegram would send (`None` for a dropped connection).
    pub fn body(&self) -> Option<Value> {
        match self {
            Answer::Ok(result) => Some(json!({ "ok": true, "result": result })),
            Answer::Err(failure) => {
                let mut body = json!({
                    "ok": false,
                    "error_code": failure.code,
                    "description": failure.description,
                });
                if let Some(parameters) = &failure.parameters {
                    body["parameters"] = parameters.clone();
                }
                Some(body)
            }
            Answer::Drop => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_carries_parameters_and_wording() {
        let body = Answer::Err(Failure::retry_after(7, Outcome::RateLimited))
            .body()
            .unwrap();
        assert_eq!(body["error_code"], 429);
        assert_eq!(body["description"], "Too Many Requests: retry after 7");
        assert_eq!(body["parameters"]["retry_after"], 7);
    }

    #[test]
    fn ok_answer_wraps_result() {
        let answer = Answer::Ok(json!(true));
        assert_eq!(
            answer.body().unwrap(),
            json!({ "ok": true, "result": true })
        );
        assert_eq!(answer.status(), 200);
    }
}
