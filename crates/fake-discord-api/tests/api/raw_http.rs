//! The fake at the HTTP level: Discord's status codes and error bodies, commands, messages,
//! interactions and their deadlines, rate limits with real headers, and channel faults.

use crate::support;

use std::time::Duration;

use fake_discord_api::{Bucket, ChannelFault, Config, InjectError, Outcome};
use serde_json::json;
use support::{bot, call, commands, world};

#[tokio::test]
async fn token_routes_and_methods_answer_like_discord() {
    let w = world(Config::default()).await;
    let answer = call(&w.fake, "GET", "/api/v10/users/@me", Some("wrong"), None).await;
    assert_eq!(
        (answer.status, answer.body.clone()),
        (401, json!({ "message": "401: Unauthorized", "code": 0 }))
    );
    assert_eq!(
        call(&w.fake, "GET", "/api/v10/users/@me", None, None)
            .await
            .status,
        401
    );
    let me = bot(&w.fake, "GET", "/api/v10/users/@me", None).await;
    assert_eq!((me.status, me.body["bot"].clone()), (200, json!(true)));
    assert_eq!(
        bot(&w.fake, "GET", "/api/v10/nothing/here", None)
            .await
            .status,
        404
    );
    assert_eq!(
        bot(&w.fake, "GET", "/api/v9/users/@me", None).await.status,
        404
    );
    assert_eq!(
        bot(&w.fake, "DELETE", "/api/v10/users/@me", None)
            .await
            .status,
        405
    );
    let gateway = bot(&w.fake, "GET", "/api/v10/gateway/bot", None).await;
    assert_eq!(gateway.body["url"], json!(w.fake.gateway_url()));
    let bad = call(
        &w.fake,
        "POST",
        &format!("/api/v10/channels/{}/messages", w.channel),
        Some(w.fake.token()),
        None,
    )
    .await;
    assert_eq!(bad.body["code"], 50006);
    assert_eq!(w.fake.rejected().len(), 6);
}

#[tokio::test]
async fn command_overwrite_follows_discords_rules() {
    let w = world(Config::default()).await;
    let path = format!("/api/v10/applications/{}/commands", w.fake.application_id());
    let ok = bot(&w.fake, "PUT", &path, Some(&commands())).await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert!(ok.body[0]["id"].is_string() && ok.body[1]["default_member_permissions"] == "32");
    assert_eq!(w.fake.commands(None).len(), 2);
    // Overwrites share a bucket of 5 per 20 s; this test is about validation.
    w.fake.set_rate_limits(false);
    let bads = [
        json!([{ "name": "Ask", "description": "x" }]),
        json!([{ "name": "a b", "description": "x" }]),
        json!([{ "name": "ask", "description": "" }]),
        json!([{ "name": "ask", "description": "x".repeat(101) }]),
        json!([{ "name": "ask", "description": "x", "name_localizations": { "zh": "提问" } }]),
        json!([{ "name": "ask", "description": "x", "description_localizations": { "zh-CN": "" } }]),
        json!([{ "name": "ask", "description": "x" }, { "name": "ask", "description": "y" }]),
        json!([{ "name": "ask", "description": "x", "options": [
            { "type": 3, "name": "a", "description": "a" },
            { "type": 3, "name": "b", "description": "b", "required": true }] }]),
        json!([{ "name": "ask", "description": "x", "options": [
            { "type": 3, "name": "a", "description": "a", "autocomplete": true, "choices": [{ "name": "x", "value": "x" }] }] }]),
        json!([{ "name": "ask", "description": "x", "options": (0..25).map(|i| json!({
            "type": 3, "name": format!("o{i}"), "description": "d".repeat(100),
            "choices": (0..25).map(|j| json!({ "name": format!("c{j}"), "value": "v".repeat(90) })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>() }]),
    ];
    for body in bads {
        let answer = bot(&w.fake, "PUT", &path, Some(&body)).await;
        assert_eq!(
            (answer.status, answer.body["code"].clone()),
            (400, json!(50035)),
            "{body}"
        );
    }
    // Refused overwrites change nothing; guild commands are separate.
    assert_eq!(w.fake.commands(None).len(), 2);
    let guild_path = format!(
        "/api/v10/applications/{}/guilds/{}/commands",
        w.fake.application_id(),
        w.guild
    );
    assert_eq!(
        bot(&w.fake, "PUT", &guild_path, Some(&json!([])))
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn channel_messages_are_checked_and_recorded_with_their_pings() {
    let w = world(Config::default()).await;
    let path = format!("/api/v10/channels/{}/messages", w.channel);
    let body = json!({ "content": "@everyone Q1", "allowed_mentions": { "parse": [] } });
    let sent = bot(&w.fake, "POST", &path, Some(&body)).await;
    assert_eq!(sent.status, 200);
    let id: u64 = sent.body["id"].as_str().unwrap().parse().unwrap();
    let message = w.fake.message(id).unwrap();
    assert!(message.pings.is_empty() && message.content == "@everyone Q1");
    let pinging = bot(&w.fake, "POST", &path, Some(&json!({ "content": "@here" }))).await;
    let pinging: u64 = pinging.body["id"].as_str().unwrap().parse().unwrap();
    assert!(w.fake.message(pinging).unwrap().pings.everyone);
    let reply = json!({ "content": "A1", "message_reference": { "message_id": id.to_string() } });
    assert_eq!(bot(&w.fake, "POST", &path, Some(&reply)).await.status, 200);
    let elsewhere = format!("/api/v10/channels/{}/messages", w.thread);
    let answer = bot(&w.fake, "POST", &elsewhere, Some(&reply)).await;
    assert_eq!(
        answer.body["errors"]["message_reference"]["_errors"][0]["code"],
        "MESSAGE_REFERENCE_UNKNOWN_MESSAGE"
    );
    let long = bot(
        &w.fake,
        "POST",
        &path,
        Some(&json!({ "content": "x".repeat(2001) })),
    )
    .await;
    assert_eq!(
        (long.status, long.body["code"].clone()),
        (400, json!(50035))
    );
    let invalid = call(&w.fake, "POST", &path, Some(w.fake.token()), None).await;
    assert_eq!(invalid.status, 400);
    assert_eq!(w.fake.messages(w.channel).len(), 3);
}

#[tokio::test]
async fn refusing_channels_answer_403_or_404() {
    let w = world(Config::default()).await;
    let post = |channel: u64| format!("/api/v10/channels/{channel}/messages");
    let body = json!({ "content": "Q" });
    w.fake
        .set_channel_fault(w.channel, Some(ChannelFault::MissingPermissions));
    let answer = bot(&w.fake, "POST", &post(w.channel), Some(&body)).await;
    assert_eq!(
        (answer.status, answer.body.clone()),
        (
            403,
            json!({ "code": 50013, "message": "Missing Permissions" })
        )
    );
    w.fake
        .set_channel_fault(w.channel, Some(ChannelFault::UnknownChannel));
    assert_eq!(
        bot(&w.fake, "POST", &post(w.channel), Some(&body))
            .await
            .body["code"],
        10003
    );
    assert_eq!(
        bot(&w.fake, "POST", &post(42), Some(&body)).await.body["code"],
        10003
    );
    w.fake.remove_guild(w.guild);
    assert_eq!(
        bot(&w.fake, "POST", &post(w.thread), Some(&body))
            .await
            .body["code"],
        50001
    );
    assert_eq!(
        bot(&w.fake, "POST", &post(w.dm), Some(&body)).await.status,
        200
    );
    assert!(
        w.fake
            .requests()
            .iter()
            .filter(|r| r.status >= 400)
            .all(|r| r.outcome == Outcome::Refused)
    );
}

#[tokio::test]
async fn buckets_send_headers_and_refuse_with_retry_after() {
    let w = world(Config::default()).await;
    let path = format!("/api/v10/channels/{}/messages", w.channel);
    let body = json!({ "content": "Q" });
    for remaining in (0..5).rev() {
        let answer = bot(&w.fake, "POST", &path, Some(&body)).await;
        assert_eq!(answer.header("x-ratelimit-limit"), Some("5"));
        assert_eq!(
            answer.header("x-ratelimit-remaining"),
            Some(remaining.to_string().as_str())
        );
        assert!(
            answer.header("x-ratelimit-bucket").is_some()
                && answer.header("x-ratelimit-reset").is_some()
        );
    }
    let limited = bot(&w.fake, "POST", &path, Some(&body)).await;
    assert_eq!(
        (limited.status, limited.body["global"].clone()),
        (429, json!(false))
    );
    let retry_after = limited.body["retry_after"].as_f64().unwrap();
    assert!(retry_after > 4.0 && retry_after <= 5.0, "{retry_after}");
    assert_eq!(limited.header("x-ratelimit-scope"), Some("user"));
    assert_eq!(w.fake.messages(w.channel).len(), 5);
    // Another channel has its own bucket; a forced limit refuses for the given time only.
    let other = format!("/api/v10/channels/{}/messages", w.thread);
    w.fake.exhaust_bucket(
        Bucket::ChannelMessages(w.thread),
        Duration::from_millis(300),
    );
    assert_eq!(bot(&w.fake, "POST", &other, Some(&body)).await.status, 429);
    tokio::time::sleep(Duration::from_millis(320)).await;
    assert_eq!(bot(&w.fake, "POST", &other, Some(&body)).await.status, 200);
    assert_eq!(w.fake.count_429(), 2);
}

#[tokio::test]
async fn the_global_limit_is_fifty_per_second() {
    let w = world(Config::default()).await;
    let mut statuses = Vec::new();
    for _ in 0..51 {
        statuses.push(bot(&w.fake, "GET", "/api/v10/users/@me", None).await.status);
    }
    // Unless the machine took a whole second for 50 requests, the 51st is refused globally.
    if statuses.iter().filter(|s| **s == 200).count() == 50 {
        let last = w.fake.requests().pop().unwrap();
        assert_eq!((last.status, last.outcome), (429, Outcome::RateLimited));
    }
}

async fn registered(config: Config) -> support::World {
    let w = world(config).await;
    let path = format!("/api/v10/applications/{}/commands", w.fake.application_id());
    assert_eq!(
        bot(&w.fake, "PUT", &path, Some(&commands())).await.status,
        200
    );
    w
}

#[tokio::test]
async fn an_interaction_is_answered_once_then_followed_up() {
    let w = registered(Config::default()).await;
    let ask = w
        .fake
        .slash(
            w.channel,
            w.member,
            "ask",
            json!([{ "name": "tag", "type": 3, "value": "rust" }]),
        )
        .unwrap();
    let callback = format!("/api/v10/interactions/{}/{}/callback", ask.id, ask.token);
    let followup = format!(
        "/api/v10/webhooks/{}/{}",
        w.fake.application_id(),
        ask.token
    );
    assert_eq!(
        call(
            &w.fake,
            "POST",
            &followup,
            None,
            Some(&json!({ "content": "early" }))
        )
        .await
        .body["code"],
        10015
    );
    let wrong = format!("/api/v10/interactions/{}/nope/callback", ask.id);
    assert_eq!(
        call(&w.fake, "POST", &wrong, None, Some(&json!({ "type": 5 })))
            .await
            .body["code"],
        10062
    );
    let modal_like = call(
        &w.fake,
        "POST",
        &callback,
        None,
        Some(&json!({ "type": 8, "data": { "choices": [] } })),
    )
    .await;
    assert_eq!(modal_like.body["code"], 50035);
    assert_eq!(
        call(
            &w.fake,
            "POST",
            &callback,
            None,
            Some(&json!({ "type": 5 }))
        )
        .await
        .status,
        204
    );
    let again = call(
        &w.fake,
        "POST",
        &callback,
        None,
        Some(&json!({ "type": 4, "data": { "content": "x" } })),
    )
    .await;
    assert_eq!(
        (again.status, again.body["code"].clone()),
        (400, json!(40060))
    );
    // The first follow-up fills the deferred reply; the next one is a new message.
    let first = call(
        &w.fake,
        "POST",
        &followup,
        None,
        Some(&json!({ "content": "Q1" })),
    )
    .await;
    let second = call(
        &w.fake,
        "POST",
        &followup,
        None,
        Some(&json!({ "content": "part 2" })),
    )
    .await;
    let reply = w.fake.reply(&ask).unwrap();
    assert_eq!((reply.callback_type, reply.thinking), (Some(5), false));
    assert_eq!(first.body["id"], json!(reply.original.unwrap().to_string()));
    assert_eq!(reply.followups.len(), 1);
    assert_eq!(second.body["id"], json!(reply.followups[0].to_string()));
    let edit = format!("{followup}/messages/@original");
    let edited = call(
        &w.fake,
        "PATCH",
        &edit,
        None,
        Some(&json!({ "content": "Q1 (edited)" })),
    )
    .await;
    assert_eq!(
        (edited.status, edited.body["content"].clone()),
        (200, json!("Q1 (edited)"))
    );
    assert_eq!(
        call(
            &w.fake,
            "PATCH",
            &edit,
            None,
            Some(&json!({ "content": "" }))
        )
        .await
        .body["code"],
        50006
    );
    let contents: Vec<String> = w
        .fake
        .messages(w.channel)
        .into_iter()
        .map(|m| m.content)
        .collect();
    assert_eq!(contents, ["Q1 (edited)", "part 2"]);
}

#[tokio::test]
async fn late_callbacks_and_expired_tokens_are_refused() {
    let config = Config {
        interaction_deadline: Duration::from_millis(100),
        webhook_lifetime: Duration::from_millis(300),
        ..Config::default()
    };
    let w = registered(config).await;
    let late = w.fake.slash(w.channel, w.member, "ask", json!([])).unwrap();
    tokio::time::sleep(Duration::from_millis(150)).await;
    let path = format!("/api/v10/interactions/{}/{}/callback", late.id, late.token);
    let answer = call(
        &w.fake,
        "POST",
        &path,
        None,
        Some(&json!({ "type": 4, "data": { "content": "Q" } })),
    )
    .await;
    assert_eq!(
        (answer.status, answer.body["code"].clone()),
        (404, json!(10062))
    );
    let quick = w.fake.slash(w.channel, w.member, "ask", json!([])).unwrap();
    let path = format!(
        "/api/v10/interactions/{}/{}/callback",
        quick.id, quick.token
    );
    let answer = call(
        &w.fake,
        "POST",
        &path,
        None,
        Some(&json!({ "type": 4, "data": { "content": "Q" } })),
    )
    .await;
    assert_eq!(answer.status, 204);
    tokio::time::sleep(Duration::from_millis(350)).await;
    let followup = format!(
        "/api/v10/webhooks/{}/{}",
        w.fake.application_id(),
        quick.token
    );
    let answer = call(
        &w.fake,
        "POST",
        &followup,
        None,
        Some(&json!({ "content": "late" })),
    )
    .await;
    assert_eq!(
        (answer.status, answer.body["code"].clone()),
        (401, json!(50027))
    );
}

#[tokio::test]
async fn buttons_autocomplete_and_injection_are_strict() {
    let w = registered(Config::default()).await;
    let question = json!({ "content": "Q", "components": [{ "type": 1, "components": [
        { "type": 2, "style": 1, "label": "Show answer", "custom_id": "v1:show:q1" }] }] });
    let message = w.fake.add_bot_message(w.channel, &question).unwrap();
    assert_eq!(
        w.fake.press(w.channel, w.member, message, "v1:show:q2"),
        Err(InjectError::NoSuchComponent("v1:show:q2".into()))
    );
    let press = w
        .fake
        .press(w.channel, w.member, message, "v1:show:q1")
        .unwrap();
    let path = format!(
        "/api/v10/interactions/{}/{}/callback",
        press.id, press.token
    );
    let update = json!({ "type": 7, "data": { "components": [] , "content": "Q — answered" } });
    assert_eq!(
        call(&w.fake, "POST", &path, None, Some(&update))
            .await
            .status,
        204
    );
    assert_eq!(w.fake.message(message).unwrap().content, "Q — answered");

    assert!(matches!(
        w.fake.slash(w.channel, w.member, "nope", json!([])),
        Err(InjectError::UnknownCommand(_))
    ));
    assert!(matches!(
        w.fake.slash(w.dm, w.member, "daily", json!([])),
        Err(InjectError::NotInDms(_))
    ));
    assert!(matches!(
        w.fake.slash(
            w.channel,
            w.member,
            "ask",
            json!([{ "name": "x", "type": 3, "value": "" }])
        ),
        Err(InjectError::UnknownOption(_))
    ));
    let typing = w
        .fake
        .autocomplete(
            w.dm,
            w.member,
            "ask",
            json!([{ "name": "tag", "type": 3, "value": "ru", "focused": true }]),
        )
        .unwrap();
    let path = format!(
        "/api/v10/interactions/{}/{}/callback",
        typing.id, typing.token
    );
    assert_eq!(
        call(
            &w.fake,
            "POST",
            &path,
            None,
            Some(&json!({ "type": 4, "data": { "content": "x" } }))
        )
        .await
        .body["code"],
        50035
    );
    let too_many: Vec<_> = (0..26)
        .map(|i| json!({ "name": format!("t{i}"), "value": format!("t{i}") }))
        .collect();
    assert_eq!(
        call(
            &w.fake,
            "POST",
            &path,
            None,
            Some(&json!({ "type": 8, "data": { "choices": too_many } }))
        )
        .await
        .body["code"],
        50035
    );
    let choices =
        json!({ "type": 8, "data": { "choices": [{ "name": "rust", "value": "rust" }] } });
    assert_eq!(
        call(&w.fake, "POST", &path, None, Some(&choices))
            .await
            .status,
        204
    );
    assert_eq!(w.fake.reply(&typing).unwrap().callback_type, Some(8));
}
