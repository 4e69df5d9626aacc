//! Real-world behaviour fakes tend to miss, at the HTTP level: replies without Read Message
//! History (403 160002), Cloudflare's HTML 502/504 pages, 429 bodies with a `code` and the
//! shared scope, the global limit counted across every client of the token (with
//! `X-RateLimit-Scope: global`), and the ephemeral flag after type 5 and type 6 deferrals.

use crate::support;

use std::time::Duration;

use fake_discord_api::{Config, Outcome, permissions};
use serde_json::json;
use support::{bot, call, commands, world};

#[tokio::test]
async fn a_reply_needs_read_message_history_but_a_plain_message_goes() {
    let w = world(Config::default()).await;
    let path = format!("/api/v10/channels/{}/messages", w.channel);
    let first = bot(&w.fake, "POST", &path, Some(&json!({ "content": "Q" }))).await;
    let question = first.body["id"].as_str().unwrap().to_string();
    let reply = json!({ "content": "A", "message_reference": { "message_id": question } });
    assert_eq!(bot(&w.fake, "POST", &path, Some(&reply)).await.status, 200);
    w.fake
        .deny_bot_permissions(w.channel, permissions::READ_MESSAGE_HISTORY);
    let refused = bot(&w.fake, "POST", &path, Some(&reply)).await;
    assert_eq!(
        (refused.status, refused.body["code"].clone()),
        (403, json!(160002))
    );
    // The thread follows its parent's overwrite.
    let thread = format!("/api/v10/channels/{}/messages", w.thread);
    let in_thread = bot(&w.fake, "POST", &thread, Some(&json!({ "content": "T" }))).await;
    let id = in_thread.body["id"].as_str().unwrap();
    let thread_reply = json!({ "content": "R", "message_reference": { "message_id": id } });
    let refused = bot(&w.fake, "POST", &thread, Some(&thread_reply)).await;
    assert_eq!(refused.body["code"], 160002);
    let plain = bot(&w.fake, "POST", &path, Some(&json!({ "content": "A" }))).await;
    assert_eq!(plain.status, 200, "a plain message still goes");
    let last = w.fake.requests().into_iter().rev().nth(1).unwrap();
    assert_eq!(last.outcome, Outcome::Refused, "not a wrong request");
    assert!(w.fake.rejected().is_empty());
}

#[tokio::test]
async fn an_outage_answers_cloudflares_html_until_it_ends() {
    let w = world(Config::default()).await;
    let path = format!("/api/v10/channels/{}/messages", w.channel);
    let body = json!({ "content": "Q" });
    w.fake.outage(502, Duration::from_millis(300));
    let down = bot(&w.fake, "POST", &path, Some(&body)).await;
    assert_eq!(down.status, 502);
    assert!(
        down.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert_eq!(down.body, serde_json::Value::Null, "not JSON");
    w.fake.outage(504, Duration::from_millis(300));
    assert_eq!(
        bot(&w.fake, "GET", "/api/v10/users/@me", None).await.status,
        504
    );
    let outages = w.fake.requests();
    assert!(outages.iter().all(|r| r.outcome == Outcome::Outage));
    assert!(w.fake.messages(w.channel).is_empty());
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert_eq!(bot(&w.fake, "POST", &path, Some(&body)).await.status, 200);
}

#[tokio::test]
async fn a_write_limit_answers_429_with_a_code_and_the_shared_scope() {
    let w = world(Config::default()).await;
    let path = format!("/api/v10/channels/{}/messages", w.channel);
    let body = json!({ "content": "Q" });
    w.fake.limit_writes(w.channel, Duration::from_millis(400));
    let limited = bot(&w.fake, "POST", &path, Some(&body)).await;
    assert_eq!(limited.status, 429);
    assert_eq!(limited.body["code"], 20028);
    assert_eq!(limited.body["global"], false);
    let retry_after = limited.body["retry_after"].as_f64().unwrap();
    assert!(retry_after > 0.2 && retry_after <= 0.4, "{retry_after}");
    assert_eq!(limited.header("x-ratelimit-scope"), Some("shared"));
    assert_eq!(limited.header("retry-after"), Some("1"));
    assert_eq!(w.fake.invalid_requests(), 0, "shared scope does not count");
    let other = format!("/api/v10/channels/{}/messages", w.thread);
    assert_eq!(bot(&w.fake, "POST", &other, Some(&body)).await.status, 200);
    tokio::time::sleep(Duration::from_secs_f64(retry_after)).await;
    assert_eq!(bot(&w.fake, "POST", &path, Some(&body)).await.status, 200);
}

#[tokio::test]
async fn the_global_limit_counts_every_client_of_the_token() {
    let w = world(Config::default()).await;
    // Two clients (as two replicas would be), each on connections of its own.
    let one = async {
        let mut statuses = Vec::new();
        for _ in 0..30 {
            statuses.push(bot(&w.fake, "GET", "/api/v10/users/@me", None).await.status);
        }
        statuses
    };
    let two = async {
        let mut statuses = Vec::new();
        for _ in 0..30 {
            statuses.push(
                bot(&w.fake, "GET", "/api/v10/gateway/bot", None)
                    .await
                    .status,
            );
        }
        statuses
    };
    let (one, two) = tokio::join!(one, two);
    let refused = one.iter().chain(&two).filter(|s| **s == 429).count();
    // Unless the machine took a whole second for the 60 requests, 10 were refused.
    let requests = w.fake.requests();
    let span = requests.last().unwrap().at - requests[0].at;
    if span < Duration::from_millis(900) {
        assert_eq!(refused, 10, "50 a second between both clients");
        let last = requests.iter().rfind(|r| r.status == 429).unwrap();
        assert_eq!(last.outcome, Outcome::RateLimited);
    }
    let limited = bot(&w.fake, "GET", "/api/v10/users/@me", None).await;
    if limited.status == 429 {
        assert_eq!(limited.body["global"], true);
        assert_eq!(limited.header("x-ratelimit-scope"), Some("global"));
        assert_eq!(limited.header("x-ratelimit-global"), Some("true"));
    }
}

#[tokio::test]
async fn an_exhausted_global_limit_refuses_all_but_interactions() {
    let w = world(Config::default()).await;
    let path = format!("/api/v10/applications/{}/commands", w.fake.application_id());
    bot(&w.fake, "PUT", &path, Some(&commands())).await;
    w.fake.exhaust_global(Duration::from_millis(1500));
    let limited = bot(&w.fake, "GET", "/api/v10/users/@me", None).await;
    assert_eq!(
        (limited.status, limited.body["global"].clone()),
        (429, json!(true))
    );
    assert_eq!(limited.header("x-ratelimit-scope"), Some("global"));
    assert_eq!(limited.header("retry-after"), Some("2"));
    let ask = w.fake.slash(w.channel, w.member, "ask", json!([])).unwrap();
    let callback = format!("/api/v10/interactions/{}/{}/callback", ask.id, ask.token);
    let answer = json!({ "type": 4, "data": { "content": "Q" } });
    assert_eq!(
        call(&w.fake, "POST", &callback, None, Some(&answer))
            .await
            .status,
        204
    );
}

#[tokio::test]
async fn ephemeral_is_ignored_after_type_5_and_honoured_after_type_6() {
    let w = world(Config::default()).await;
    let path = format!("/api/v10/applications/{}/commands", w.fake.application_id());
    bot(&w.fake, "PUT", &path, Some(&commands())).await;
    let app = w.fake.application_id();
    let ask = w.fake.slash(w.channel, w.member, "ask", json!([])).unwrap();
    let callback = format!("/api/v10/interactions/{}/{}/callback", ask.id, ask.token);
    let deferred = call(
        &w.fake,
        "POST",
        &callback,
        None,
        Some(&json!({ "type": 5 })),
    )
    .await;
    assert_eq!(deferred.status, 204);
    let followup = format!("/api/v10/webhooks/{app}/{}", ask.token);
    let note = json!({ "content": "only for you", "flags": 64 });
    let first = call(&w.fake, "POST", &followup, None, Some(&note)).await;
    let id: u64 = first.body["id"].as_str().unwrap().parse().unwrap();
    assert_eq!(Some(id), w.fake.reply(&ask).unwrap().original);
    let filled = w.fake.message(id).unwrap();
    assert!(!filled.ephemeral, "the loading message stays public");
    assert_eq!(first.body["flags"], 0);
    let second = call(&w.fake, "POST", &followup, None, Some(&note)).await;
    let id: u64 = second.body["id"].as_str().unwrap().parse().unwrap();
    assert!(
        w.fake.message(id).unwrap().ephemeral,
        "a later follow-up is"
    );

    // A button press deferred with type 6: no message of its own, follow-ups honour the flag.
    let question = filled.id;
    let row = json!([{ "type": 1, "components": [
        { "type": 2, "style": 1, "label": "Show", "custom_id": "show" }] }]);
    let with_button = json!({ "content": "Q", "components": row });
    let button = w.fake.add_bot_message(w.channel, &with_button).unwrap();
    assert_ne!(button, question);
    let press = w.fake.press(w.channel, w.member, button, "show").unwrap();
    let callback = format!(
        "/api/v10/interactions/{}/{}/callback",
        press.id, press.token
    );
    let update = call(
        &w.fake,
        "POST",
        &callback,
        None,
        Some(&json!({ "type": 6 })),
    )
    .await;
    assert_eq!(update.status, 204);
    assert_eq!(w.fake.reply(&press).unwrap().original, None);
    let followup = format!("/api/v10/webhooks/{app}/{}", press.token);
    let private = call(&w.fake, "POST", &followup, None, Some(&note)).await;
    let id: u64 = private.body["id"].as_str().unwrap().parse().unwrap();
    assert!(w.fake.message(id).unwrap().ephemeral);
    assert!(w.fake.rejected().is_empty(), "{:#?}", w.fake.rejected());
}
