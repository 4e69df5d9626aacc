use serde_json::json;

use super::*;

#[test]
fn content_limit_is_2000_characters() {
    let ok = json!({ "content": "é".repeat(2000) });
    assert!(check_message(&ok, Usage::Channel).is_ok());
    let long = json!({ "content": "x".repeat(2001) });
    let error = check_message(&long, Usage::Channel).unwrap_err();
    assert_eq!((error.status, error.code), (400, 50035));
    assert_eq!(
        error.body()["errors"]["content"]["_errors"][0]["code"],
        "BASE_TYPE_MAX_LENGTH"
    );
}

#[test]
fn empty_messages_are_refused() {
    for body in [
        json!({}),
        json!({ "content": "  \n" }),
        json!({ "embeds": [] }),
    ] {
        let error = check_message(&body, Usage::Interaction).unwrap_err();
        assert_eq!(error.code, 50006, "{body}");
    }
    assert!(check_message(&json!({}), Usage::Edit).is_ok());
}

#[test]
fn embed_limits() {
    let embed = |d: usize| json!({ "title": "t", "description": "d".repeat(d) });
    assert!(check_message(&json!({ "embeds": [embed(4096)] }), Usage::Channel).is_ok());
    assert!(check_message(&json!({ "embeds": [embed(4097)] }), Usage::Channel).is_err());
    let two = json!({ "embeds": [embed(3000), embed(3000)] });
    let error = check_message(&two, Usage::Channel).unwrap_err();
    assert_eq!(
        error.body()["errors"]["embeds"]["_errors"][0]["code"],
        "MAX_EMBED_SIZE_EXCEEDED"
    );
    let eleven: Vec<_> = (0..11).map(|_| embed(1)).collect();
    assert!(check_message(&json!({ "embeds": eleven }), Usage::Channel).is_err());
}

#[test]
fn component_limits() {
    let button = |id: &str| json!({ "type": 2, "style": 1, "label": "Show", "custom_id": id });
    let row = |n: usize| json!({ "type": 1, "components": (0..n).map(|i| button(&format!("b{i}"))).collect::<Vec<_>>() });
    let ok = json!({ "content": "q", "components": [row(5)] });
    assert!(check_message(&ok, Usage::Channel).is_ok());
    assert!(
        check_message(
            &json!({ "content": "q", "components": [row(6)] }),
            Usage::Channel
        )
        .is_err()
    );
    let six_rows: Vec<_> = (0..6)
        .map(|_| json!({ "type": 1, "components": [button("x")] }))
        .collect();
    assert!(
        check_message(
            &json!({ "content": "q", "components": six_rows }),
            Usage::Channel
        )
        .is_err()
    );
    for bad in [
        button(""),
        button(&"x".repeat(101)),
        json!({ "type": 2, "style": 1, "label": "x".repeat(81), "custom_id": "a" }),
    ] {
        let body = json!({ "content": "q", "components": [{ "type": 1, "components": [bad] }] });
        assert_eq!(
            check_message(&body, Usage::Channel).unwrap_err().code,
            50035
        );
    }
    let duplicate = json!({ "content": "q", "components": [{ "type": 1, "components": [button("a"), button("a")] }] });
    assert!(check_message(&duplicate, Usage::Channel).is_err());
    let link = json!({ "type": 2, "style": 5, "label": "Docs", "url": "https://example.org" });
    assert!(
        check_message(
            &json!({ "content": "q", "components": [{ "type": 1, "components": [link] }] }),
            Usage::Channel
        )
        .is_ok()
    );
}

#[test]
fn flags_and_allowed_mentions() {
    let ephemeral = json!({ "content": "x", "flags": 64 });
    assert!(check_message(&ephemeral, Usage::Interaction).is_ok());
    assert!(check_message(&ephemeral, Usage::Channel).is_err());
    let bad_parse = json!({ "content": "x", "allowed_mentions": { "parse": ["everybody"] } });
    assert!(check_message(&bad_parse, Usage::Channel).is_err());
    let exclusive =
        json!({ "content": "x", "allowed_mentions": { "parse": ["users"], "users": ["1"] } });
    assert!(check_message(&exclusive, Usage::Channel).is_err());
    let fine = json!({ "content": "@everyone", "allowed_mentions": { "parse": [] } });
    assert!(check_message(&fine, Usage::Channel).is_ok());
}
