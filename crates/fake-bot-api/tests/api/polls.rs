//! `sendPoll`, `stopPoll` and `poll_answer` at the HTTP level: every Bot API limit on a quiz
//! is refused as Telegram refuses it, and answers are validated against the poll.

use crate::common;

use common::{call, get, post, start};
use fake_bot_api::{ChatSpec, Config, User};
use serde_json::{Value, json};

const GROUP: i64 = -4001;
const CHANNEL: i64 = -100_4002;

fn quiz(question: &str, options: Value) -> Value {
    json!({
        "chat_id": GROUP, "question": question, "options": options,
        "type": "quiz", "is_anonymous": false, "correct_option_id": 1,
    })
}

async fn refused(fake: &fake_bot_api::FakeBotApi, method: &str, body: Value) -> String {
    let (status, answer) = call(fake, method, body).await.unwrap();
    assert_eq!(status, 400, "{answer}");
    answer["description"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_quiz_poll_is_sent_and_stopped_once() {
    let fake = start(Config::default()).await;
    fake.add_chat(ChatSpec::group(GROUP, "Study"));
    let options = json!([{ "text": "red" }, { "text": "green" }, "blue"]);
    let mut body = quiz("Which?", options);
    body["explanation"] = json!("Green.\nBecause.");
    let (status, answer) = call(&fake, "sendPoll", body).await.unwrap();
    assert_eq!(status, 200, "{answer}");
    let message = &answer["result"];
    let poll = &message["poll"];
    assert_eq!(poll["type"], "quiz");
    assert_eq!(poll["is_anonymous"], false);
    assert_eq!(poll["correct_option_id"], 1);
    assert_eq!(poll["options"][2]["text"], "blue");
    assert_eq!(poll["options"][2]["voter_count"], 0);
    let id = poll["id"].as_str().unwrap().to_string();

    let ann = User::new(7, "Ann");
    fake.push_poll_answer(&id, ann.clone(), &[1]).unwrap();
    assert!(
        fake.push_poll_answer(&id, ann, &[0])
            .unwrap_err()
            .contains("already")
    );
    assert!(
        fake.push_poll_answer(&id, User::new(8, "Bob"), &[3])
            .unwrap_err()
            .contains("no option 3")
    );
    assert!(
        fake.push_poll_answer("nope", User::new(8, "Bob"), &[0])
            .unwrap_err()
            .contains("no poll")
    );
    assert_eq!(fake.pending_updates(), 1, "one poll_answer queued");

    let stop = json!({ "chat_id": GROUP, "message_id": message["message_id"] });
    let (status, closed) = call(&fake, "stopPoll", stop.clone()).await.unwrap();
    assert_eq!(status, 200);
    assert_eq!(closed["result"]["is_closed"], true);
    assert_eq!(closed["result"]["options"][1]["voter_count"], 1);
    assert_eq!(closed["result"]["total_voter_count"], 1);
    assert_eq!(
        refused(&fake, "stopPoll", stop).await,
        "Bad Request: poll has already been closed"
    );
    assert!(
        fake.push_poll_answer(&id, User::new(9, "Cy"), &[1])
            .unwrap_err()
            .contains("closed")
    );
}

#[tokio::test]
async fn quiz_limits_are_telegrams() {
    let fake = start(Config::default()).await;
    fake.add_chat(ChatSpec::group(GROUP, "Study"));
    fake.add_chat(ChatSpec::channel(CHANNEL, "News"));
    let two = json!(["a", "b"]);
    let cases = [
        (quiz("", two.clone()), "poll question must be non-empty"),
        (
            quiz(&"q".repeat(301), two.clone()),
            "poll question length must not exceed 300",
        ),
        (quiz("q", json!(["a"])), "poll must have at least 2 option"),
        (
            quiz(
                "q",
                json!(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"]),
            ),
            "poll can't have more than 10 options",
        ),
        (
            quiz("q", json!(["a", "x".repeat(101)])),
            "poll options length must not exceed 100",
        ),
        (
            quiz("q", json!(["a", " "])),
            "poll options must be non-empty",
        ),
    ];
    for (body, description) in cases {
        assert_eq!(
            refused(&fake, "sendPoll", body).await,
            format!("Bad Request: {description}")
        );
    }
    let mut no_correct = quiz("q", two.clone());
    no_correct
        .as_object_mut()
        .unwrap()
        .remove("correct_option_id");
    assert!(
        refused(&fake, "sendPoll", no_correct)
            .await
            .contains("exactly one correct option")
    );
    let mut out_of_range = quiz("q", two.clone());
    out_of_range["correct_option_id"] = json!(2);
    assert!(
        refused(&fake, "sendPoll", out_of_range)
            .await
            .contains("wrong correct option ID")
    );
    for explanation in ["e".repeat(201), "a\nb\nc\nd".to_string()] {
        let mut body = quiz("q", two.clone());
        body["explanation"] = json!(explanation);
        assert!(
            refused(&fake, "sendPoll", body)
                .await
                .contains("POLL_EXPLANATION_INVALID")
        );
    }
    // Exactly at the limits is fine: 300, 100 and 200 characters (not bytes), 2 line feeds.
    let mut body = quiz(&"题".repeat(300), json!(["a", "选".repeat(100)]));
    body["explanation"] = json!(format!("{}\n\n", "解".repeat(198)));
    assert_eq!(call(&fake, "sendPoll", body).await.unwrap().0, 200);
    let mut channel = quiz("q", two.clone());
    channel["chat_id"] = json!(CHANNEL);
    assert_eq!(
        refused(&fake, "sendPoll", channel.clone()).await,
        "Bad Request: non-anonymous polls can't be sent to channel chats"
    );
    channel["is_anonymous"] = json!(true);
    assert_eq!(call(&fake, "sendPoll", channel).await.unwrap().0, 200);
    let text = call(
        &fake,
        "sendMessage",
        json!({ "chat_id": GROUP, "text": "hi" }),
    )
    .await;
    let message_id = text.unwrap().1["result"]["message_id"].clone();
    let stop = json!({ "chat_id": GROUP, "message_id": message_id });
    assert!(
        refused(&fake, "stopPoll", stop)
            .await
            .contains("poll to stop not found")
    );
}

#[tokio::test]
async fn the_control_api_plays_poll_answers() {
    let fake = start(Config::default()).await;
    let (_, answer) = call(&fake, "sendPoll", quiz("Which?", json!(["a", "b"])))
        .await
        .unwrap();
    let id = answer["result"]["poll"]["id"].clone();
    let addr = fake.addr();
    let body = json!({ "poll_id": id, "from": { "id": 7 }, "option_ids": [1] });
    assert_eq!(
        post(addr, "/_fake/poll_answer", &body).await.unwrap().0,
        200
    );
    let (status, error) = post(addr, "/_fake/poll_answer", &body).await.unwrap();
    assert_eq!(status, 400, "{error}");
    let (_, polls) = get(addr, "/_fake/polls").await.unwrap();
    assert_eq!(polls[0]["votes"]["7"], json!([1]));
}
