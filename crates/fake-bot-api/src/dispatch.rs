//! One Bot API request from start to finish, in Telegram's order: token (401), method (404),
//! body, then any scripted fault for this method and chat, then the method itself. Every
//! request is recorded with its answer, whatever happened.

use std::time::Instant;

use serde_json::{Value, json};

use crate::methods::{self, Method};
use crate::multipart::FilePart;
use crate::reply::{Answer, Failure};
use crate::state::State;

/// One HTTP request to `/{token_segment}/{method}`.
pub(crate) struct Incoming<'a> {
    pub token_segment: &'a str,
    pub method: &'a str,
    pub query: &'a [(String, String)],
    pub content_type: &'a str,
    pub body: &'a [u8],
}

/// Answers a request with a JSON or multipart body; query-string parameters are added as
/// strings where the body does not set them (Telegram accepts both).
pub(crate) async fn bot_request(state: &State, request: Incoming<'_>) -> Answer {
    let Incoming {
        token_segment,
        method,
        query,
        content_type,
        body: raw_body,
    } = request;
    let now = Instant::now();
    let method = method.to_ascii_lowercase();
    let (body, files) = match crate::multipart::parse_form(content_type, raw_body) {
        Some(Ok(form)) => (Ok(Value::Object(form.fields)), form.files),
        Some(Err(failure)) => (Err(failure), Vec::new()),
        None => (parse_body(raw_body), Vec::new()),
    };
    let body = body.map(|body| with_query(body, query));
    let answer = match &body {
        Ok(body) => answer(state, token_segment, &method, (body, &files), now).await,
        Err(failure) if is_authorized(state, token_segment) => Answer::Err(failure.clone()),
        Err(_) => Answer::Err(Failure::unauthorized()),
    };
    let recorded = match body {
        Ok(body) => with_file_summaries(body, &files),
        // A body that is not a form nor JSON is kept as text; a broken form is not.
        Err(_) if !files.is_empty() || content_type.starts_with("multipart/") => json!({}),
        Err(_) => json!(String::from_utf8_lossy(raw_body)),
    };
    state.record(method, recorded, now, &answer);
    answer
}

async fn answer(
    state: &State,
    token_segment: &str,
    method_name: &str,
    (body, files): (&Value, &[FilePart]),
    now: Instant,
) -> Answer {
    if !is_authorized(state, token_segment) {
        return Answer::Err(Failure::unauthorized());
    }
    let Some(method) = Method::from_name(method_name) else {
        return Answer::Err(Failure::not_found());
    };
    if let Some(fault) = scripted_fault(state, method_name, body) {
        return fault;
    }
    if method == Method::GetUpdates {
        return methods::updates::get_updates(state, body).await.into();
    }
    let answer = methods::call(method, &mut state.lock(), &state.config, (body, files), now);
    if matches!(method, Method::SetWebhook | Method::DeleteWebhook) {
        // Webhook delivery starts or stops.
        state.wake_polls();
    }
    answer.into()
}

fn is_authorized(state: &State, token_segment: &str) -> bool {
    token_segment.strip_prefix("bot") == Some(state.config.token.as_str())
}

fn scripted_fault(state: &State, method: &str, body: &Value) -> Option<Answer> {
    let mut inner = state.lock();
    let chat_id = body
        .get("chat_id")
        .and_then(|value| inner.chats.resolve(value).ok());
    inner
        .faults
        .take(method, chat_id)
        .map(|fault| fault.answer())
}

fn with_query(mut body: Value, query: &[(String, String)]) -> Value {
    if let Value::Object(fields) = &mut body {
        for (name, value) in query {
            fields.entry(name.clone()).or_insert_with(|| json!(value));
        }
    }
    body
}

/// The recorded body of a form: each file part as `{filename, content_type, size}` under
/// its part name (a test reads the bytes from the photo records, not from here).
fn with_file_summaries(mut body: Value, files: &[FilePart]) -> Value {
    if let Value::Object(fields) = &mut body {
        for file in files {
            let summary = json!({
                "filename": file.filename,
                "content_type": file.content_type,
                "size": file.bytes.len(),
            });
            fields.insert(file.name.clone(), summary);
        }
    }
    body
}

/// The JSON object of a request; an empty body is `{}`.
fn parse_body(raw: &[u8]) -> Result<Value, Failure> {
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    match serde_json::from_slice::<Value>(raw) {
        Ok(value @ Value::Object(_)) => Ok(value),
        Ok(_) => Err(Failure::bad_request("request body must be a JSON object")),
        Err(err) => Err(Failure::bad_request(format!("can't parse JSON: {err}"))),
    }
}
