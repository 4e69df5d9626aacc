//! Reading a request's parameters the way Telegram does: integers may come as JSON numbers or
//! numeric strings, booleans as `true` or `"true"`, and a missing required parameter is a
//! 400 "Bad Request: <name> is empty".

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde_json::Value;

use crate::config::{Config, User};
use crate::json;
use crate::multipart::FilePart;
use crate::reply::Failure;
use crate::state::Inner;

/// One request being handled: the locked state, the config and the body.
pub(crate) struct Ctx<'a> {
    pub inner: &'a mut Inner,
    pub config: &'a Config,
    pub body: &'a Value,
    /// The files of a `multipart/form-data` body (none for JSON).
    pub files: &'a [FilePart],
    pub now: Instant,
    /// Unix time of `now`, for `date` fields.
    pub unix: i64,
}

impl<'a> Ctx<'a> {
    pub fn new(
        inner: &'a mut Inner,
        config: &'a Config,
        (body, files): (&'a Value, &'a [FilePart]),
        now: Instant,
    ) -> Ctx<'a> {
        Ctx {
            inner,
            config,
            body,
            files,
            now,
            unix: unix_now(),
        }
    }

    pub fn bot(&self) -> User {
        json::bot_user(self.config)
    }

    fn field(&self, name: &str) -> Option<&'a Value> {
        self.body.get(name).filter(|value| !value.is_null())
    }

    /// The required `chat_id`, resolved to a numeric id.
    pub fn chat_id(&self) -> Result<i64, Failure> {
        let value = self
            .field("chat_id")
            .ok_or_else(|| Failure::bad_request("chat_id is empty"))?;
        self.inner.chats.resolve(value)
    }

    pub fn required_str(&self, name: &str) -> Result<&'a str, Failure> {
        match self.field(name) {
            None => Err(Failure::bad_request(format!("{name} is empty"))),
            Some(Value::String(s)) => Ok(s),
            Some(_) => Err(Failure::bad_request(format!("invalid {name}"))),
        }
    }

    pub fn optional_str(&self, name: &str) -> Result<Option<&'a str>, Failure> {
        match self.field(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(Failure::bad_request(format!("invalid {name}"))),
        }
    }

    pub fn required_i64(&self, name: &str) -> Result<i64, Failure> {
        self.optional_i64(name)?
            .ok_or_else(|| Failure::bad_request(format!("{name} is empty")))
    }

    pub fn optional_i64(&self, name: &str) -> Result<Option<i64>, Failure> {
        self.field(name)
            .map(|value| integer(value, name))
            .transpose()
    }

    pub fn flag(&self, name: &str) -> bool {
        flag(self.field(name))
    }

    /// An object parameter, accepting a JSON-serialised string as Telegram does.
    pub fn optional_object(&self, name: &str) -> Result<Option<Value>, Failure> {
        match self.field(name) {
            None => Ok(None),
            Some(Value::String(s)) => serde_json::from_str(s)
                .map(Some)
                .map_err(|_| Failure::bad_request(format!("can't parse {name} JSON object"))),
            Some(value) => Ok(Some(value.clone())),
        }
    }
}

/// An integer given as a number or a numeric string.
pub(crate) fn integer(value: &Value, name: &str) -> Result<i64, Failure> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
    .ok_or_else(|| Failure::bad_request(format!("invalid {name}")))
}

/// A boolean given as `true` or `"true"`; anything else is false.
pub(crate) fn flag(value: Option<&Value>) -> bool {
    match value {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s == "true",
        _ => false,
    }
}

/// Seconds since the Unix epoch (0 if the clock is before it).
pub(crate) fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}
