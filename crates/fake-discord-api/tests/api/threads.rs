//! Start Thread from Message (`POST /channels/{c}/messages/{m}/threads`) at the HTTP level: the
//! body checked as Discord's reference says, the message of that channel, one thread a
//! message, the Create Public Threads permission; the thread is a channel (type 11, its
//! message's id, `parent_id`) that takes messages. And `allowed_mentions` decides who a role
//! mention pings.

use crate::support;

use fake_discord_api::{Config, Pings, permissions};
use serde_json::json;
use support::{bot, world};

fn threads_of(channel: u64, message: u64) -> String {
    format!("/api/v10/channels/{channel}/messages/{message}/threads")
}

#[tokio::test]
async fn a_thread_starts_once_from_a_message_of_the_channel() {
    let w = world(Config::default()).await;
    let question = w
        .fake
        .add_bot_message(w.channel, &json!({ "content": "Q?" }))
        .unwrap();
    let path = threads_of(w.channel, question);
    for (body, field) in [
        (json!({}), "name"),
        (json!({ "name": "" }), "name"),
        (json!({ "name": "x".repeat(101) }), "name"),
        (json!({ "name": 5 }), "name"),
        (
            json!({ "name": "Q", "auto_archive_duration": 100 }),
            "auto_archive_duration",
        ),
        (
            json!({ "name": "Q", "rate_limit_per_user": 21601 }),
            "rate_limit_per_user",
        ),
    ] {
        let refused = bot(&w.fake, "POST", &path, Some(&body)).await;
        assert_eq!(
            (refused.status, refused.body["code"].clone()),
            (400, json!(50035)),
            "{body}"
        );
        assert!(
            refused.body["errors"][field].is_object(),
            "{body}: {}",
            refused.body
        );
    }
    let elsewhere = w
        .fake
        .add_bot_message(w.dm, &json!({ "content": "Q?" }))
        .unwrap();
    let unknown = bot(
        &w.fake,
        "POST",
        &threads_of(w.channel, elsewhere),
        Some(&json!({ "name": "Q" })),
    )
    .await;
    assert_eq!(
        (unknown.status, unknown.body["code"].clone()),
        (404, json!(10008))
    );

    // 100 characters (not bytes) is the most a name may have.
    let name: String = "问".repeat(100);
    let body = json!({ "name": name, "auto_archive_duration": 10080 });
    let started = bot(&w.fake, "POST", &path, Some(&body)).await;
    assert_eq!(started.status, 201, "{}", started.body);
    assert_eq!(started.body["id"], json!(question.to_string()));
    assert_eq!(started.body["type"], json!(11));
    assert_eq!(started.body["parent_id"], json!(w.channel.to_string()));
    assert_eq!(
        started.body["thread_metadata"]["auto_archive_duration"],
        json!(10080)
    );
    let threads = w.fake.threads(w.channel);
    assert_eq!(threads.len(), 1);
    assert_eq!(
        (threads[0].id, threads[0].name.as_str()),
        (question, name.as_str())
    );

    let again = bot(&w.fake, "POST", &path, Some(&json!({ "name": "Q" }))).await;
    assert_eq!(
        (again.status, again.body["code"].clone()),
        (400, json!(160004))
    );
    let inside = format!("/api/v10/channels/{question}/messages");
    let posted = bot(&w.fake, "POST", &inside, Some(&json!({ "content": "A." }))).await;
    assert_eq!(posted.status, 200, "{}", posted.body);
    assert_eq!(
        w.fake.messages(question).len(),
        1,
        "the thread takes messages"
    );
    w.fake.lock_thread(question);
    let locked = bot(&w.fake, "POST", &inside, Some(&json!({ "content": "A." }))).await;
    assert_eq!(
        (locked.status, locked.body["code"].clone()),
        (400, json!(50083))
    );
    let nested = bot(
        &w.fake,
        "POST",
        &threads_of(question, w.fake.messages(question)[0].id),
        Some(&json!({ "name": "Q" })),
    )
    .await;
    assert_eq!(
        (nested.status, nested.body["code"].clone()),
        (400, json!(50024))
    );
}

#[tokio::test]
async fn without_create_public_threads_no_thread_starts() {
    let w = world(Config::default()).await;
    let question = w
        .fake
        .add_bot_message(w.channel, &json!({ "content": "Q?" }))
        .unwrap();
    w.fake
        .deny_bot_permissions(w.channel, permissions::CREATE_PUBLIC_THREADS);
    let refused = bot(
        &w.fake,
        "POST",
        &threads_of(w.channel, question),
        Some(&json!({ "name": "Q" })),
    )
    .await;
    assert_eq!(
        (refused.status, refused.body["code"].clone()),
        (403, json!(50013))
    );
    assert!(w.fake.threads(w.channel).is_empty());
}

#[tokio::test]
async fn allowed_mentions_naming_one_role_ping_that_role_only() {
    let w = world(Config::default()).await;
    let path = format!("/api/v10/channels/{}/messages", w.channel);
    let body = json!({
        "content": "<@&77> <@&78> <@12> @everyone today's question",
        "allowed_mentions": { "parse": [], "roles": ["77"] },
    });
    let posted = bot(&w.fake, "POST", &path, Some(&body)).await;
    assert_eq!(posted.status, 200, "{}", posted.body);
    let message = w.fake.messages(w.channel).pop().unwrap();
    assert_eq!(
        message.pings,
        Pings {
            everyone: false,
            users: vec![],
            roles: vec![77]
        }
    );
    assert_eq!(
        message.allowed_mentions,
        Some(json!({ "parse": [], "roles": ["77"] }))
    );
}
