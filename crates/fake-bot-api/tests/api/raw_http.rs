//! The fake at the HTTP level: envelopes and status codes, rate limits, scripted and random
//! faults (including dropped connections), long polling and the control API.

use crate::common;

use std::time::Duration;

use common::{call, get, post, start};
use fake_bot_api::{ChatSpec, Config, Fault, Limits, Outcome, User, Window};
use serde_json::json;

fn long_window(max: usize) -> Window {
    Window {
        max,
        span: Duration::from_secs(3600),
    }
}

#[tokio::test]
async fn wrong_token_and_unknown_method_answer_like_telegram() {
    let fake = start(Config::default()).await;
    let addr = fake.addr();
    let (status, body) = post(addr, "/bot1:WRONG/getMe", &json!({})).await.unwrap();
    assert_eq!(status, 401);
    assert_eq!(
        body,
        json!({ "ok": false, "error_code": 401, "description": "Unauthorized" })
    );
    let (status, body) = call(&fake, "sendPhotograph", json!({})).await.unwrap();
    assert_eq!(
        (status, body["description"].as_str()),
        (404, Some("Not Found"))
    );
    let (status, body) = call(&fake, "GETME", json!({})).await.unwrap();
    assert_eq!(
        (status, body["result"]["username"].as_str()),
        (200, Some("studybot_test_bot"))
    );
    assert_eq!(fake.rejected().len(), 2);
    assert_eq!(fake.requests()[2].method, "getme");
}

#[tokio::test]
async fn missing_required_fields_are_bad_requests() {
    let fake = start(Config::default()).await;
    let (status, body) = call(&fake, "sendMessage", json!({ "text": "hi" }))
        .await
        .unwrap();
    assert_eq!(
        (status, body["description"].as_str()),
        (400, Some("Bad Request: chat_id is empty"))
    );
    let (_, body) = call(&fake, "sendMessage", json!({ "chat_id": 1 }))
        .await
        .unwrap();
    assert_eq!(body["description"], "Bad Request: message text is empty");
    let (_, body) = call(
        &fake,
        "sendMessage",
        json!({ "chat_id": 1, "text": "x", "unknown": 1 }),
    )
    .await
    .unwrap();
    assert_eq!(body["ok"], true);
}

#[tokio::test]
async fn per_chat_limit_refuses_without_delivering() {
    let limits = Limits {
        per_chat: long_window(1),
        ..Limits::default()
    };
    let fake = start(Config {
        rate_limits: true,
        limits,
        ..Config::default()
    })
    .await;
    let send = json!({ "chat_id": 10, "text": "hi" });
    assert_eq!(
        call(&fake, "sendMessage", send.clone()).await.unwrap().0,
        200
    );
    let (status, body) = call(&fake, "sendMessage", send.clone()).await.unwrap();
    assert_eq!(status, 429);
    let retry_after = body["parameters"]["retry_after"].as_u64().unwrap();
    assert!(
        (3590..=3600).contains(&retry_after),
        "retry_after {retry_after}"
    );
    assert_eq!(
        body["description"],
        format!("Too Many Requests: retry after {retry_after}")
    );
    assert_eq!(
        call(&fake, "sendMessage", json!({ "chat_id": 11, "text": "hi" }))
            .await
            .unwrap()
            .0,
        200
    );
    assert_eq!((fake.sent_count(), fake.count_429()), (2, 1));
    assert!(fake.rejected().is_empty());
    assert_eq!(fake.requests()[1].outcome, Outcome::RateLimited);
}

#[tokio::test]
async fn group_and_global_limits_and_edits_count() {
    let limits = Limits {
        per_chat: long_window(100),
        per_group: long_window(3),
        global: long_window(5),
    };
    let fake = start(Config {
        rate_limits: true,
        limits,
        ..Config::default()
    })
    .await;
    for _ in 0..2 {
        assert_eq!(
            call(&fake, "sendMessage", json!({ "chat_id": -7, "text": "q" }))
                .await
                .unwrap()
                .0,
            200
        );
    }
    let edit = json!({ "chat_id": -7, "message_id": 1, "text": "edited" });
    assert_eq!(call(&fake, "editMessageText", edit).await.unwrap().0, 200);
    assert_eq!(
        call(&fake, "sendMessage", json!({ "chat_id": -7, "text": "q" }))
            .await
            .unwrap()
            .0,
        429
    );
    // Private chats are not groups: only the global window (5) applies.
    assert_eq!(
        call(&fake, "sendMessage", json!({ "chat_id": 1, "text": "q" }))
            .await
            .unwrap()
            .0,
        200
    );
    assert_eq!(
        call(&fake, "sendMessage", json!({ "chat_id": 2, "text": "q" }))
            .await
            .unwrap()
            .0,
        200
    );
    assert_eq!(
        call(&fake, "sendMessage", json!({ "chat_id": 3, "text": "q" }))
            .await
            .unwrap()
            .0,
        429
    );
    fake.set_rate_limits(false);
    assert_eq!(
        call(&fake, "sendMessage", json!({ "chat_id": 3, "text": "q" }))
            .await
            .unwrap()
            .0,
        200
    );
    assert_eq!(fake.count_429(), 2);
}

#[tokio::test]
async fn scripted_drop_and_server_error() {
    let fake = start(Config::default()).await;
    fake.fail_next("sendMessage", Some(5), Fault::Drop, 1);
    fake.fail_next("*", None, Fault::ServerError, 1);
    let send = json!({ "chat_id": 5, "text": "hi" });
    assert_eq!(call(&fake, "sendMessage", send.clone()).await, None);
    let (status, body) = call(&fake, "getMe", json!({})).await.unwrap();
    assert_eq!(
        (status, body["description"].as_str()),
        (500, Some("Internal Server Error"))
    );
    assert_eq!(call(&fake, "sendMessage", send).await.unwrap().0, 200);
    let outcomes: Vec<Outcome> = fake.requests().iter().map(|r| r.outcome).collect();
    assert_eq!(outcomes, [Outcome::Dropped, Outcome::Fault, Outcome::Ok]);
    assert_eq!(fake.sent_count(), 1);
}

#[tokio::test]
async fn random_faults_repeat_for_a_seed() {
    let statuses = |seed| async move {
        let fake = start(Config::default()).await;
        fake.set_random_faults(seed, 200);
        let mut statuses = Vec::new();
        for _ in 0..60 {
            statuses.push(
                call(&fake, "getMe", json!({}))
                    .await
                    .map_or(0, |(status, _)| status),
            );
        }
        statuses
    };
    let first = statuses(9).await;
    assert_eq!(first, statuses(9).await);
    assert!(
        first.contains(&0) && first.contains(&500) && first.contains(&200),
        "{first:?}"
    );
}

#[tokio::test]
async fn long_poll_waits_for_a_pushed_update() {
    let fake = start(Config::default()).await;
    let poller = {
        let fake = fake.clone();
        tokio::spawn(async move { call(&fake, "getUpdates", json!({ "timeout": 30 })).await })
    };
    assert!(
        fake.wait_until(Duration::from_secs(5), |f| f.polls_waiting() == 1)
            .await
    );
    fake.push_message(42, None, "hello", None);
    let (status, body) = poller.await.unwrap().unwrap();
    assert_eq!(status, 200);
    assert_eq!(body["result"][0]["message"]["text"], "hello");
    assert_eq!(body["result"][0]["message"]["from"]["id"], 42);
}

#[tokio::test]
async fn a_second_poller_ends_the_first_with_409_and_release_ends_polls() {
    let fake = start(Config::default()).await;
    let first = {
        let fake = fake.clone();
        tokio::spawn(async move { call(&fake, "getUpdates", json!({ "timeout": 30 })).await })
    };
    assert!(
        fake.wait_until(Duration::from_secs(5), |f| f.polls_waiting() == 1)
            .await
    );
    let second = {
        let fake = fake.clone();
        tokio::spawn(async move { call(&fake, "getUpdates", json!({ "timeout": 30 })).await })
    };
    let (status, body) = first.await.unwrap().unwrap();
    assert_eq!(status, 409);
    assert!(
        body["description"]
            .as_str()
            .unwrap()
            .starts_with("Conflict: terminated by other getUpdates")
    );
    assert!(
        fake.wait_until(Duration::from_secs(5), |f| f.polls_waiting() == 1)
            .await
    );
    fake.release_pollers();
    let (status, body) = second.await.unwrap().unwrap();
    assert_eq!((status, body["result"].clone()), (200, json!([])));
}

#[tokio::test]
async fn control_api_plays_a_user_and_lists_what_was_sent() {
    let fake = start(Config::default()).await;
    let addr = fake.addr();
    let chat = json!({ "id": -1001, "type": "supergroup", "title": "Forum", "forum": true });
    assert_eq!(post(addr, "/_fake/chat", &chat).await.unwrap().0, 200);
    let message = json!({ "chat_id": -1001, "text": "/ask", "from": { "id": 7 }, "thread_id": 3 });
    let (_, pushed) = post(addr, "/_fake/message", &message).await.unwrap();
    assert_eq!(pushed["message_id"], 1);
    let (_, updates) = call(&fake, "getUpdates", json!({})).await.unwrap();
    let update = &updates["result"][0]["message"];
    assert_eq!(
        (
            update["message_thread_id"].as_i64(),
            update["is_topic_message"].as_bool()
        ),
        (Some(3), Some(true))
    );
    assert_eq!(update["entities"][0]["type"], "bot_command");
    let reply = json!({ "chat_id": -1001, "text": "<b>Q</b>", "parse_mode": "HTML", "message_thread_id": 3 });
    assert_eq!(call(&fake, "sendMessage", reply).await.unwrap().0, 200);
    let (_, sent) = get(addr, "/_fake/sent").await.unwrap();
    assert_eq!(
        (sent[0]["text"].as_str(), sent[0]["thread_id"].as_i64()),
        (Some("<b>Q</b>"), Some(3))
    );
    let (_, requests) = get(addr, "/_fake/requests").await.unwrap();
    assert_eq!(requests.as_array().unwrap().len(), 2);
    let bad_chat = json!({ "id": 1, "type": "secret" });
    assert_eq!(post(addr, "/_fake/chat", &bad_chat).await.unwrap().0, 400);
}

#[tokio::test]
async fn shutdown_closes_the_port() {
    let fake = start(Config::default()).await;
    let addr = fake.addr();
    fake.add_chat(ChatSpec::private_with(User::new(3, "Ann")));
    fake.shutdown();
    let closed = fake
        .wait_until(Duration::from_secs(5), |_| {
            std::net::TcpStream::connect(addr).is_err()
        })
        .await;
    assert!(closed);
}

#[tokio::test]
async fn query_string_parameters_work_like_json_ones() {
    let fake = start(Config::default()).await;
    let path = format!("/bot{}/sendMessage?chat_id=5&text=hi%20there", fake.token());
    let (status, body) = get(fake.addr(), &path).await.unwrap();
    assert_eq!(
        (status, body["result"]["text"].as_str()),
        (200, Some("hi there"))
    );
    assert_eq!(body["result"]["chat"]["type"], "private");
}

#[tokio::test]
async fn pins_need_the_right_in_groups_and_an_existing_message() {
    let fake = start(Config::default()).await;
    let group = -1_001_234_567_890;
    fake.add_chat(ChatSpec::supergroup(group, "Study", false));
    let sent = call(
        &fake,
        "sendMessage",
        json!({ "chat_id": group, "text": "q" }),
    )
    .await
    .unwrap()
    .1;
    let id = sent["result"]["message_id"].as_i64().unwrap();
    let pin = json!({ "chat_id": group, "message_id": id, "disable_notification": true });
    let (status, body) = call(&fake, "pinChatMessage", pin.clone()).await.unwrap();
    assert_eq!(
        (status, body["description"].as_str()),
        (
            400,
            Some("Bad Request: not enough rights to manage pinned messages in the chat")
        )
    );
    fake.set_pin_right(group, true);
    let (_, body) = call(
        &fake,
        "pinChatMessage",
        json!({ "chat_id": group, "message_id": 99 }),
    )
    .await
    .unwrap();
    assert_eq!(body["description"], "Bad Request: message to pin not found");
    let (status, _) = call(&fake, "pinChatMessage", pin).await.unwrap();
    assert_eq!(status, 200);
    assert_eq!(fake.pinned(group), vec![id as i32]);
    let unpin = json!({ "chat_id": group, "message_id": id });
    assert_eq!(
        call(&fake, "unpinChatMessage", unpin.clone())
            .await
            .unwrap()
            .0,
        200
    );
    let (_, body) = call(&fake, "unpinChatMessage", unpin).await.unwrap();
    assert_eq!(
        body["description"],
        "Bad Request: message to unpin not found"
    );
    assert!(fake.pinned(group).is_empty());
    // Private chats need no right.
    let dm = call(&fake, "sendMessage", json!({ "chat_id": 7, "text": "q" }))
        .await
        .unwrap()
        .1;
    let dm_id = dm["result"]["message_id"].as_i64().unwrap();
    let (status, _) = call(
        &fake,
        "pinChatMessage",
        json!({ "chat_id": 7, "message_id": dm_id }),
    )
    .await
    .unwrap();
    assert_eq!(status, 200);
}
