//! Pins and modals at the HTTP level: the Pin Messages permission, the message's channel, the
//! pin limit and both routes; a modal checked field by field, submitted only by its user, once,
//! with values its text inputs accept, and answered only as Discord allows.

use crate::support;

use fake_discord_api::{Config, InjectError, permissions};
use serde_json::{Value, json};
use support::{bot, call, world};

fn question() -> Value {
    json!({ "content": "Q", "components": [{ "type": 1, "components": [
        { "type": 2, "style": 1, "label": "Report", "custom_id": "v1:p:q1" }] }] })
}

#[tokio::test]
async fn pins_need_the_right_a_message_of_the_channel_and_room() {
    let config = Config {
        max_pins: 2,
        ..Config::default()
    };
    let w = world(config).await;
    let pin =
        |channel: u64, message: u64| format!("/api/v10/channels/{channel}/messages/pins/{message}");
    let first = w.fake.add_bot_message(w.channel, &question()).unwrap();
    // Manage Messages no longer pins.
    let bits = permissions::MEMBER | permissions::MANAGE_MESSAGES;
    w.fake.set_bot_permissions(w.guild, bits);
    let refused = bot(&w.fake, "PUT", &pin(w.channel, first), None).await;
    assert_eq!(
        (refused.status, refused.body["code"].clone()),
        (403, json!(50013))
    );
    w.fake.set_pin_right(w.guild, true);
    assert_eq!(
        bot(&w.fake, "PUT", &pin(w.channel, first), None)
            .await
            .status,
        204
    );
    assert_eq!(
        bot(&w.fake, "PUT", &pin(w.channel, first), None)
            .await
            .status,
        204,
        "again: no change"
    );
    assert_eq!(w.fake.pinned(w.channel), vec![first]);
    let in_thread = w.fake.add_bot_message(w.thread, &question()).unwrap();
    let elsewhere = bot(&w.fake, "PUT", &pin(w.channel, in_thread), None).await;
    assert_eq!(
        (elsewhere.status, elsewhere.body["code"].clone()),
        (404, json!(10008))
    );

    // The deprecated route is served too; the limit counts the channel's pins.
    let second = w.fake.add_bot_message(w.channel, &question()).unwrap();
    let third = w.fake.add_bot_message(w.channel, &question()).unwrap();
    let old = format!("/api/v10/channels/{}/pins/{second}", w.channel);
    assert_eq!(bot(&w.fake, "PUT", &old, None).await.status, 204);
    let full = bot(&w.fake, "PUT", &pin(w.channel, third), None).await;
    assert_eq!(
        (full.status, full.body["code"].clone()),
        (400, json!(30003))
    );
    assert_eq!(
        bot(&w.fake, "DELETE", &pin(w.channel, first), None)
            .await
            .status,
        204
    );
    assert_eq!(
        bot(&w.fake, "PUT", &pin(w.channel, third), None)
            .await
            .status,
        204
    );
    assert_eq!(w.fake.pinned(w.channel), vec![second, third]);
    // In a DM anyone may pin.
    let in_dm = w.fake.add_bot_message(w.dm, &question()).unwrap();
    w.fake.set_pin_right(w.guild, false);
    assert_eq!(
        bot(&w.fake, "PUT", &pin(w.dm, in_dm), None).await.status,
        204
    );
}

fn modal(rows: Value) -> Value {
    json!({ "type": 9, "data": { "custom_id": "report:1", "title": "Report a problem", "components": rows } })
}

fn field(extra: Value) -> Value {
    let mut input = json!({ "type": 4, "custom_id": "text", "style": 2, "label": "What is wrong?",
        "max_length": 20, "required": true });
    if let (Some(input), Some(extra)) = (input.as_object_mut(), extra.as_object()) {
        input.extend(extra.clone());
    }
    json!([{ "type": 1, "components": [input] }])
}

#[tokio::test]
async fn modals_are_checked_and_submitted_once_by_their_user() {
    let w = world(Config::default()).await;
    let message = w.fake.add_bot_message(w.channel, &question()).unwrap();
    let bads = [
        modal(json!([])),
        modal(field(json!({ "label": "x".repeat(46) }))),
        modal(field(json!({ "style": 3 }))),
        modal(field(json!({ "max_length": 4001 }))),
        modal(field(json!({ "min_length": 30 }))),
        modal(field(json!({ "placeholder": "x".repeat(101) }))),
        modal(json!([{ "type": 18, "label": "What is wrong?", "component":
            { "type": 4, "custom_id": "text", "style": 2 } }])),
        json!({ "type": 9, "data": { "custom_id": "", "title": "x", "components": field(json!({})) } }),
    ];
    for bad in &bads {
        let press = w
            .fake
            .press(w.channel, w.member, message, "v1:p:q1")
            .unwrap();
        let path = format!(
            "/api/v10/interactions/{}/{}/callback",
            press.id, press.token
        );
        let answer = call(&w.fake, "POST", &path, None, Some(bad)).await;
        assert_eq!(answer.body["code"], 50035, "{bad}");
        assert_eq!(
            w.fake.submit_modal(&press, w.member, &[("text", "x")]),
            Err(InjectError::NoOpenModal(press.id))
        );
    }
    let press = w
        .fake
        .press(w.channel, w.member, message, "v1:p:q1")
        .unwrap();
    let path = format!(
        "/api/v10/interactions/{}/{}/callback",
        press.id, press.token
    );
    let opened = call(&w.fake, "POST", &path, None, Some(&modal(field(json!({}))))).await;
    assert_eq!(opened.status, 204, "{}", opened.body);
    let values = |text: &'static str| [("text", text)];
    assert_eq!(
        w.fake.submit_modal(&press, w.owner, &values("mine")),
        Err(InjectError::NotYourModal)
    );
    for bad in [values(""), values("far more than twenty characters")] {
        assert!(matches!(
            w.fake.submit_modal(&press, w.member, &bad),
            Err(InjectError::BadModalValue(_))
        ));
    }
    assert!(matches!(
        w.fake.submit_modal(&press, w.member, &[("other", "x")]),
        Err(InjectError::BadModalValue(_))
    ));
    let submit = w
        .fake
        .submit_modal(&press, w.member, &values("a typo"))
        .unwrap();
    let (_, data) = w.fake.dispatched().pop().unwrap();
    assert_eq!(data["type"], 5);
    assert_eq!(data["data"]["custom_id"], "report:1");
    assert_eq!(
        data["data"]["components"][0]["components"][0]["value"],
        "a typo"
    );
    assert_eq!(
        data["message"]["id"],
        message.to_string(),
        "opened from a component"
    );
    assert_eq!(
        w.fake.submit_modal(&press, w.member, &values("again")),
        Err(InjectError::NoOpenModal(press.id))
    );
    let path = format!(
        "/api/v10/interactions/{}/{}/callback",
        submit.id, submit.token
    );
    let no_modal = call(&w.fake, "POST", &path, None, Some(&modal(field(json!({}))))).await;
    assert_eq!(
        no_modal.body["code"], 50035,
        "no modal in answer to a modal"
    );
    let thanks = json!({ "type": 4, "data": { "content": "Thanks", "flags": 64 } });
    assert_eq!(
        call(&w.fake, "POST", &path, None, Some(&thanks))
            .await
            .status,
        204
    );
}
