//! Small JSON helpers: Discord sends snowflakes as strings (and accepts numbers), and
//! permissions as decimal strings.

use serde_json::Value;

/// A snowflake given as a string of digits or as a number.
pub(crate) fn snowflake(value: &Value) -> Option<u64> {
    match value {
        Value::String(text) => text.parse().ok(),
        Value::Number(number) => number.as_u64(),
        _ => None,
    }
}

/// A snowflake as Discord writes it.
pub(crate) fn id(value: u64) -> Value {
    Value::String(value.to_string())
}
